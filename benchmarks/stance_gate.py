"""Train and cross-validate the no-position gate (``helpers.stance.gate``) and the confidence table.

    PYTHONPATH=src python -m benchmarks.stance_gate /tmp/s5st/*.jsonl [--write] [--C=1] [--threshold=0.6]
        [--augment=1] [--shipped=1] [--reread=1] [--cv=0] [--layout=extra] [--by=batch]

Reads the rows ``benchmarks/stance_collect.py`` wrote (the spent sets only; the
held-back ones are refused), and reports by leave-one-set-out cross-validation
(a group is a set, and an item set's file) the acceptable and direction
accuracy of the rules alone and of the rules with the gate, per held-out
group, and how many ``not_answered`` errors the gate fixed against the new
errors it made. The gate is trained on every text row (rules' position or
not): the label is the gold's direction (agree, disagree, or none for
``neither``/``dont_know``/``not_answered``); it is applied only to rows the
rules left ``not_answered`` with text read. With ``--write`` the model is
refitted on all rows and saved with the threshold and the out-of-fold
confidence scale to ``src/helpers/data/stance_gate.npz``. Deterministic
(lbfgs, fixed order). ``--reread=1`` reads every text row again with the current
rules first; ``--cv=0`` skips the cross-validation (with ``--write``: only the refit).

Session 12: ``--layout`` picks the feature layout (``gate.LAYOUTS``); ``--by=batch``
leaves a whole batch out (ofsted-docs-N with transport-N, an item set whole); each
fold's fit starts from the all-rows solution (``warm``: the L2 problem is strictly
convex, so the start changes the time, not the answer). With ``--write`` after a
cross-validation the confidence map is fitted too (``confidence_map``: Platt scaling
of "the reading was acceptable" on the gate's out-of-fold probability over every row
it changed; ``calib_x``/``calib_y`` in the weights; ``gate.confidence``).

Session 13: ``--layout=extra+wl`` adds the answer's WordLlama vector (``stance.gateembed``);
measured leave-one-batch-out on 4,595 cases and not shipped (docs/stance.md, "Session 13").
The shipped weights are ``--layout=extra --by=batch --C=3 --threshold=0.5 --reread=1
--augment=1 --write`` over the census files (``benchmarks.stance_census``) of stance-items
1-25 and batches 21-28 (session 26: 5,821 cases; leave-one-batch-out against the session-13
weights on the 21 groups those never saw, 12 better, 3 worse, +23 acceptable; threshold 0.5
kept over 0.55 and 0.6; docs/stance.md, "Session 26").
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from benchmarks.stance_collect import _forbidden
from benchmarks.stance_train import group
from helpers.core.consultation import load_consultation
from helpers.stance import gate
from helpers.stance.topic import topic_vocabulary
from helpers.validate.devsets.stancescore import direction

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
OUT = Path(__file__).resolve().parents[1] / "src" / "helpers" / "data" / gate.WEIGHTS


def load(paths: list[str]) -> list[dict]:
    """The collected cases (``stance_collect`` output); a held-back set stops the run."""
    recs = []
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if _forbidden(r["set"]):
                raise SystemExit(f"{r['set']}: held back; never trained on")
            recs.append(r)
    return recs


@cache
def _consultation(path: str):
    return load_consultation(path)


def vocabulary(r: dict) -> frozenset[str]:
    return topic_vocabulary(_consultation(str(_consultation_path(r))), r["question"])


def _consultation_path(r: dict) -> Path:
    if r["set"].startswith("stance-items"):
        file = ROOT / r["set"] / (r["name"].split(":")[0] + ".yaml")
        head = re.search(r"^consultation:\s*(\S+)", file.read_text(encoding="utf-8"), re.M)
        path = (file.parent / head.group(1)).resolve()
    else:
        path = ROOT / r["set"] / "consultation.yaml"
    return path


def question_text(r: dict) -> str:
    """The question's full wording and the consultation's title (what an answer is about)."""
    c = _consultation(str(_consultation_path(r)))
    q = next(q for q in c.questions if q.id == r["question"])
    return f"{c.title}. {q.text}"


def _consultation_group(r: dict) -> str:
    """The cross-validation group when leaving a whole consultation out."""
    return _consultation_path(r).parent.name.split("-")[0]


def label(gold: str) -> str:
    d = direction(gold)
    return d if d in ("agree", "disagree") else "none"


def trainable(r: dict) -> bool:
    """A text row the rules read (their position or none) with its answer's text."""
    return r["row"] is not None and r["row"]["method"] == "text" and bool(r["text"])


def gated(r: dict) -> bool:
    """A row the gate reads: the rules found no position in the text they read."""
    return trainable(r) and r["row"]["stance"] == "not_answered" and not r.get("augmented")


def low(r: dict, below: float) -> bool:
    """A row whose direction the gate may overrule: the rules took a position from text
    at a confidence under ``below`` (a sentiment reading, a mixed answer)."""
    return (trainable(r) and not r.get("augmented") and r["row"]["stance"] != "not_answered"
            and (r["row"]["confidence"] or 0) < below
            and direction(r["row"]["stance"]) in ("agree", "disagree"))  # fmt: skip


def training(r: dict, only_gated: bool) -> bool:
    return (not only_gated) or gated(r) or bool(r.get("augmented"))


def rules_said(r: dict) -> str:
    return r["row"]["stance"] if r["row"] else "not_answered"


def ok(r: dict, said: str) -> tuple[bool, bool]:
    golds = {r["gold"], *r["stance_ok"]}
    return said in golds, direction(said) in {direction(g) for g in golds}


def _batch_group(r: dict) -> str:
    """The cross-validation group when leaving a whole batch out: ofsted-docs-N and
    transport-N together (written together), an item set whole, the survey alone."""
    s = r["set"]
    if s.startswith("stance-items") or not s.startswith(("ofsted-docs", "transport")):
        return s
    n = s.rsplit("-", 1)[-1]
    return "batch-" + (n if n.isdigit() else "1")


def fit(x, y: list[str], c: float, weight: np.ndarray | None = None, warm=None):
    """Multinomial logistic regression (lbfgs); ``warm``: (coef, intercept, classes) to
    start from."""
    m = LogisticRegression(C=c, max_iter=5000, random_state=0, warm_start=warm is not None)
    if warm is not None:
        m.coef_, m.intercept_, m.classes_ = (a.copy() for a in warm)
    m.fit(x, y, sample_weight=weight)
    fit.last = (m.coef_.copy(), m.intercept_.copy(), m.classes_.copy())
    order = [list(m.classes_).index(k) for k in gate.CLASSES]
    return m.coef_[order].astype(np.float32), m.intercept_[order].astype(np.float32)


def confidence_map(p: list[float], right: list[bool], threshold: float) -> dict[str, np.ndarray]:
    """Platt scaling of the gate's out-of-fold readings: a logistic regression of "the
    reading was acceptable" on the log-odds of the model's probability, tabulated on a
    grid from the threshold to 1 (``calib_x``/``calib_y``; ``gate.confidence``
    interpolates). Session 12: isotonic regression was tried first; on 310 readings
    its steps at the ends were a handful of rows each (p 0.50-0.504 mapped to 0.0),
    while the two-parameter map is smooth and matched every band out of fold."""
    z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    m = LogisticRegression(C=1e6, max_iter=1000).fit(z.reshape(-1, 1), np.asarray(right, int))
    grid = np.linspace(threshold, 0.999, 11)
    gz = np.log(grid / (1 - grid)).reshape(-1, 1)
    return {"calib_x": grid.astype(np.float32),
            "calib_y": m.predict_proba(gz)[:, 1].astype(np.float32)}  # fmt: skip


def implicit(recs: list[dict]) -> list[dict]:
    """More examples of a position read between the lines: each text answer with a gold
    direction, its evidence sentence taken out, kept when the rules find no position
    in what is left (the respondent's reasons, labelled with the respondent's direction)."""
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stances

    cands = []
    for r in recs:
        if not trainable(r) or label(r["gold"]) == "none" or r["row"]["stance"] == "not_answered":
            continue
        ev = r["row"]["evidence"] or ""
        if not ev or ev not in r["text"]:
            continue
        rest = r["text"].replace(ev, " ", 1).strip()
        if len(rest.split()) >= 6:
            cands.append((r, rest))
    read = infer_stances([t for _, t in cands])
    out = []
    for (r, rest), first in zip(cands, read, strict=True):
        if refine(rest, first).stance == "not_answered":
            out.append({**r, "text": rest, "augmented": True})
    return out


def reread(recs: list[dict]) -> None:
    """Each text row read again with the rules as they are now (``--reread=1``): rows
    collected before a rule changed are gated (or not) as the pipeline would gate them
    today (session 11: the rows of earlier sessions were collected with earlier rules)."""
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stance

    for r in recs:
        if trainable(r):
            nr = refine(r["text"], infer_stance(r["text"]))
            r["row"] = {**r["row"], "stance": nr.stance, "confidence": nr.confidence,
                        "evidence": nr.evidence}  # fmt: skip


def main(argv: list[str]) -> None:
    write = "--write" in argv
    opts = dict(a[2:].split("=") for a in argv if a.startswith("--") and "=" in a)
    cs = [float(v) for v in opts.get("C", "1").split(",")]
    thresholds = [float(v) for v in opts.get("threshold", "0.5,0.6,0.7,0.8").split(",")]
    only_gated = opts.get("train", "all") == "gated"
    # --shipped=1: score the shipped weights instead of refitting per held-out group.
    shipped = gate.load_weights() if opts.get("shipped", "0") == "1" else None
    # Measured, not used at run time: also turn round positions read below this confidence.
    below = float(opts.get("overrule", "0"))
    t_over = float(opts["t_over"]) if "t_over" in opts else None  # default: the threshold
    recs = load([a for a in argv if not a.startswith("--")])
    if opts.get("reread", "0") == "1":
        reread(recs)
    tr = [r for r in recs if trainable(r)]
    if opts.get("augment", "0") == "1":
        extra = implicit(recs)
        print(f"{len(extra)} implicit examples: {dict(Counter(label(r['gold']) for r in extra))}")
        tr += extra
    print(f"{len(recs)} cases; {len(tr)} text rows; {sum(gated(r) for r in recs)} gated; "
          f"gold of gated: {dict(Counter(label(r['gold']) for r in recs if gated(r)))}")  # fmt: skip
    # As the pipeline reads them: closing courtesies blanked (``gate.without_courtesies``).
    layout = opts.get("layout", "base")
    x = gate.features(
        [gate.without_courtesies(r["text"]) for r in tr], [vocabulary(r) for r in tr], layout
    )
    if opts.get("embed", "0") != "0":
        from helpers.core.embedding import encode

        v = encode([r["text"][:2000] for r in tr])
        qs = sorted({question_text(r) for r in tr})
        qv = dict(zip(qs, encode(qs), strict=True))
        q = np.stack([qv[question_text(r)] for r in tr])
        cos = (v * q).sum(axis=1, keepdims=True)
        extra = [cos * 4] if opts["embed"] == "cos" else [cos * 4, v]
        x = np.hstack([x, *extra]).astype(np.float32)
    x = sparse.csr_matrix(x)  # mostly zeros (hashed n-grams): lbfgs is faster on sparse rows
    idx = {id(r): i for i, r in enumerate(tr)}
    # --by=consultation: leave a whole consultation out (its words never seen in training).
    grp = {"consultation": _consultation_group, "batch": _batch_group}.get(opts.get("by"), group)
    groups = sorted({grp(r) for r in recs})
    fired: list[tuple[float, bool]] = []  # out of fold, first C and threshold: (p, right)
    for c in cs if opts.get("cv", "1") == "1" else ():
        probs: dict[int, np.ndarray] = {}
        warm = None
        if not shipped:
            fit(x[[idx[id(r)] for r in tr if training(r, only_gated)]],
                [label(r["gold"]) for r in tr if training(r, only_gated)], c)  # fmt: skip
            warm = fit.last
        for g in groups:
            train = [r for r in tr if grp(r) != g and training(r, only_gated)]
            test = [r for r in recs if grp(r) == g and (gated(r) or low(r, below))]
            if not test:
                continue
            if shipped:  # the weights in the package, not refitted (out of sample only on
                coef, b = shipped["coef"], shipped["intercept"]  # sets it never trained on)
            else:
                train_x = x[[idx[id(r)] for r in train]]
                coef, b = fit(train_x, [label(r["gold"]) for r in train], c, warm=warm)
            p = gate.probabilities(
                x[[idx[id(r)] for r in test]].toarray(), {"coef": coef, "intercept": b}
            )
            probs.update({id(r): pr for r, pr in zip(test, p, strict=True)})
        for t in thresholds:
            print(
                f"\nC={c} threshold={t} (train on {'gated rows' if only_gated else 'all text rows'})"
            )
            tot = Counter()
            right_by_p = []
            for g in groups:
                test = [r for r in recs if grp(r) == g]
                cnt = Counter()
                for r in test:
                    a = rules_said(r)
                    b = a
                    pr = probs.get(id(r))
                    if pr is not None and gated(r):
                        k = int(pr[:2].argmax())
                        asks = gate.CLASSES[k] == "agree" and gate.asks_only(
                            gate.without_courtesies(r["text"])
                        )  # as ``gate.read``
                        if pr[k] >= t and not asks:
                            b = gate.CLASSES[k]
                            right_by_p.append((float(pr[k]), ok(r, b)[0]))
                            if c == cs[0] and t == thresholds[0]:
                                fired.append((float(pr[k]), ok(r, b)[0]))
                    elif pr is not None:  # a low-confidence position: turned round, or kept
                        k = int(pr[:2].argmax())
                        if pr[k] >= (t_over or t) and gate.CLASSES[k] != direction(a):
                            b = gate.CLASSES[k]
                            cnt.update(overruled=1)
                    oa, da = ok(r, a)
                    ob, db = ok(r, b)
                    cnt.update(n=1, acc_a=oa, dir_a=da, acc_b=ob, dir_b=db,
                               fixed=(not oa and ob), broke=(oa and not ob))  # fmt: skip
                tot.update(cnt)
                n = cnt["n"]
                print(f"  {g:28s} n {n:4d}  rules acc {cnt['acc_a'] / n:.3f} dir {cnt['dir_a'] / n:.3f}"
                      f"  gate acc {cnt['acc_b'] / n:.3f} dir {cnt['dir_b'] / n:.3f}"
                      f"  fixed {cnt['fixed']} broke {cnt['broke']}"
                      + (f" overruled {cnt['overruled']}" if cnt["overruled"] else ""))  # fmt: skip
            n = tot["n"]
            print(f"  ALL n {n} rules acc {tot['acc_a'] / n:.4f} dir {tot['dir_a'] / n:.4f}  "
                  f"gate acc {tot['acc_b'] / n:.4f} dir {tot['dir_b'] / n:.4f}  "
                  f"fixed {tot['fixed']} broke {tot['broke']} overruled {tot['overruled']}")  # fmt: skip
            if right_by_p:
                ps = np.array([p for p, _ in right_by_p])
                rs = np.array([k for _, k in right_by_p])
                print(
                    f"  gate changed {len(ps)} rows: mean p {ps.mean():.2f}, right {rs.mean():.2f}"
                )
    if write:
        c, t = cs[0], thresholds[0]
        train = [r for r in tr if training(r, only_gated)]
        coef, b = fit(x[[idx[id(r)] for r in train]], [label(r["gold"]) for r in train], c)
        lo, hi = float(opts.get("lo", "0.45")), float(opts.get("hi", "0.6"))
        calib = {}
        if fired:  # out-of-fold readings: stated confidence = observed accuracy
            calib = confidence_map([p for p, _ in fired], [k for _, k in fired], t)
            print(f"confidence map from {len(fired)} out-of-fold readings "
                  f"({sum(k for _, k in fired)} right): "
                  f"{np.round(calib['calib_x'], 2).tolist()} -> "
                  f"{np.round(calib['calib_y'], 3).tolist()}")  # fmt: skip
        np.savez(OUT, coef=coef, intercept=b, threshold=np.float32(t),
                 scale=np.array([lo, hi], dtype=np.float32), layout=np.array(layout),
                 classes=np.array(gate.CLASSES), **calib)  # fmt: skip
        print(f"wrote {OUT} (C={c}, threshold {t}, {len(train)} rows)")


if __name__ == "__main__":
    main(sys.argv[1:])
