"""The generic theme stacker (``helpers.coding.stack``), fitted and scored leave-one-batch-out.

``python -m benchmarks.theme_stacker /tmp/transport.jsonl /tmp/ofsted-docs.jsonl``
``python -m benchmarks.theme_stacker ... --fit src/helpers/data/theme_stacker.json``

Reads the rows ``benchmarks.theme_sentence_loo --context 1 --min-df 2 --save`` writes
for each consultation (every spent set's gold answers with their dictionary codes and
the probabilities of an answer and a sentence classifier trained on the *other* sets
of the consultation: out-of-fold scores, the same classifiers ``coding.trained``
fits) and the same sets' sentences and per-sentence dictionary hits
(``theme_sentence_loo.answers_with_spans``). Candidates and features are
``coding.stack``'s, so the benchmark scores exactly what the pipeline decides; the
neighbour vote (session 18) is computed per fold by ``attach_votes`` from the rows
outside the batch left out and the row's own set, as the pipeline computes it from a
training file.

For each batch N (``ofsted-docs-N`` and ``transport-N`` together) the stacker is
fitted on the candidates of every other batch of *both* consultations (the Ofsted
survey set always trains, it is no batch), with each row's dictionary prior taken
from the sets of its consultation other than its own and N, and scores batch N.
Printed per batch and consultation, micro P / R / F1 of (answer, theme):

- ``dict``: the dictionary alone;
- ``union``: the pre-stacker union rule (``UNION``; transport: dictionary + blend of
  answer and sentence classifier at 0.6; ofsted-docs: dictionary + answer classifier at
  0.8). Both consultations' codebooks ship the stacker since session 19, so this is the
  reference the stacker replaced, not what ships (the label was ``shipped`` until
  session 21);
- ``answer``: dictionary + answer classifier at the codebook's cut (transport without
  its ``training_sentences`` blend);
- ``stack``: the generic stacker.

``--falsefriends`` also counts, per consultation, the dictionary's wrong and right
codes the stacker drops, split by whether the code's sentence names other themes
too (a list of examples); ``--excludes`` codes the gold answers with and without the
codebooks' ``exclude`` phrases. ``--fit PATH`` writes the stacker fitted on every row
(the packaged ``helpers/data/theme_stacker.json``). Written for issue 14 (session 14).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from benchmarks.theme_sentence_loo import answers_with_spans
from helpers.coding import stack

# the union rule each consultation used before the stacker (both now ship the stacker)
UNION = {"transport": ("blend", 0.6), "ofsted-docs": ("answer", 0.8)}


def consultation_of(set_name: str) -> str:
    return "transport" if set_name.startswith("transport") else "ofsted-docs"


def batch_of(set_name: str) -> int:
    """1 for the first set of a consultation, N for ``<prefix>-N``, 0 for the survey set."""
    if set_name == "ofsted-survey":
        return 0
    tail = set_name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def load_rows(paths: list[str]) -> list[dict]:
    """The saved rows joined with their answers' sentences and per-sentence hits."""
    rows = [json.loads(line) for p in paths for line in Path(p).read_text().splitlines() if line]
    by_key = defaultdict(list)
    for name in dict.fromkeys(r["set"] for r in rows):
        for a in answers_with_spans(name):
            by_key[(a["set"], a["response"], a["question"])].append(a)
    for r in rows:
        a = by_key[(r["set"], r["response"], r["question"])].pop(0)
        r["sentence_themes"] = a["hits"]
        r["commas"] = [a["text"][s:e].count(",") for s, e in a["spans"]]
        r["consultation"] = consultation_of(r["set"])
        r["batch"] = batch_of(r["set"])
        r["gold"] = set(r["gold"])
        r["dictionary"] = set(r["dictionary"])
        r["sprobs"] = r.get("sprobs", {})
        r["text"], r["spans"] = a["text"], a["spans"]
    return rows


def rule(r: dict, kind: str, cut: float) -> set:
    """The union rule: dictionary codes plus learned codes at ``cut``."""
    if kind == "dict":
        return set(r["dictionary"])
    pa, ps = r["probs"], r["sprobs"]
    if kind == "blend":
        got = {t for t in pa if (pa[t] + ps.get(t, 0.0)) / 2 >= cut}
    else:
        got = {t for t, p in pa.items() if p >= cut}
    return r["dictionary"] | got


def priors(rows: list[dict], exclude_sets: set[str]) -> dict[str, tuple[dict, float]]:
    """Per consultation, the dictionary prior from its rows outside ``exclude_sets``."""
    out = {}
    for c in {r["consultation"] for r in rows}:
        pairs = [
            (t, t in r["gold"])
            for r in rows
            if r["consultation"] == c and r["set"] not in exclude_sets
            for t in r["dictionary"]
        ]
        out[c] = stack.dictionary_prior(pairs)
    return out


def candidates(r: dict, prior: tuple[dict, float]) -> list[tuple[str, list[float]]]:
    """The stacker's (theme, features) candidates of one answer (learned themes only)."""
    table, pooled = prior
    out = []
    for t in sorted(r["probs"]):  # themes with a classifier for this question
        dic = t in r["dictionary"]
        pa, ps = r["probs"][t], r["sprobs"].get(t, 0.0)
        if stack.is_candidate(dic, pa, ps):
            mine = max(pa, ps)
            rank = sum(max(p, r["sprobs"].get(u, 0.0)) > mine for u, p in r["probs"].items())
            f = stack.candidate_features(
                t, dic, pa, ps, r["sentence_themes"], r["commas"], table.get(t, pooled), rank,
                r.get("votes", {}).get(t, 0.0),
            )  # fmt: skip
            out.append((t, f))
    return out


def attach_votes(rows: list[dict], held: set[str]) -> None:
    """Each row's neighbour votes (``votes``, per theme; ``stack.neighbour_votes``) from the
    rows of its consultation outside ``held`` and its own set, as the pipeline computes
    them from a training file: the trained coder's TF-IDF (``trained_score.TFIDF``)
    fitted on the rows outside ``held``, cosine of L2-normalised rows."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.coding.trained_score import TFIDF

    for c in sorted({r["consultation"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["consultation"] == c]
        themes = sorted({t for i in idx for t in (*rows[i]["probs"], *rows[i]["gold"])})
        vec = TfidfVectorizer(**TFIDF).fit([rows[i]["text"] for i in idx
                                            if rows[i]["set"] not in held])  # fmt: skip
        m = vec.transform([rows[i]["text"] for i in idx]).tocsr()
        labels = np.array([[t in rows[i]["gold"] for t in themes] for i in idx], dtype=bool)
        sets = np.array([rows[i]["set"] for i in idx])
        outside = ~np.isin(sets, sorted(held))
        for name in sorted(set(sets)):
            mine = np.flatnonzero(sets == name)
            pool = np.flatnonzero(outside & (sets != name))
            sim = (m[mine] @ m[pool].T).toarray()
            votes = stack.neighbour_votes(sim, labels[pool])
            for a, i in enumerate(mine):
                rows[idx[i]]["votes"] = dict(zip(themes, votes[a].tolist(), strict=True))


def table(rows: list[dict], prior_of) -> tuple[np.ndarray, np.ndarray, list, Counter]:
    """Candidate features, labels, (row index, theme, dictionary) and the outside counts."""
    x, y, where = [], [], []
    outside: Counter = Counter()
    for i, r in enumerate(rows):
        cands = candidates(r, prior_of(r))
        seen = {t for t, _ in cands}
        for t, f in cands:
            x.append(f)
            y.append(int(t in r["gold"]))
            where.append((i, t, f[0] > 0))
        # decisions outside the stacker: dictionary codes of themes not learned here
        fixed = {t for t in r["dictionary"] if t not in r["probs"]}
        outside["tp"] += len(fixed & r["gold"])
        outside["fp"] += len(fixed - r["gold"])
        outside["fn"] += len(r["gold"] - fixed - seen)
    return np.array(x).reshape(-1, len(stack.FEATURES)), np.array(y), where, outside


def decide(rows: list[dict], model: stack.Stacker, prior_of) -> list[set]:
    x, _, where, _ = table(rows, prior_of)
    coded = [{t for t in r["dictionary"] if t not in r["probs"]} for r in rows]
    if len(x):
        for (i, t, _), p in zip(where, model.probabilities(x), strict=True):
            if p >= model.cut:
                coded[i].add(t)
    return coded


def count(rows: list[dict], coded: list[set]) -> Counter:
    c: Counter = Counter()
    for r, got in zip(rows, coded, strict=True):
        c["tp"] += len(r["gold"] & got)
        c["fp"] += len(got - r["gold"])
        c["fn"] += len(r["gold"] - got)
    return c


def prf(c: Counter) -> str:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{p:.3f}/{r:.3f}/{f:.3f}"


def f1(c: Counter) -> float:
    return 2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]) if c["tp"] else 0.0


def fit_on(rows: list[dict], exclude: set[str], note: str = "") -> stack.Stacker:
    """The stacker fitted on ``rows``, each row's prior from its consultation's other sets."""
    cache: dict = {}

    def prior_of(r):
        if r["set"] not in cache:
            cache[r["set"]] = priors(rows, exclude | {r["set"]})[r["consultation"]]
        return cache[r["set"]]

    x, y, _, outside = table(rows, prior_of)
    return stack.fit_stacker(x, y, (outside["tp"], outside["fp"], outside["fn"]), note)


def falsefriends(rows: list[dict], coded: list[set]) -> Counter:
    """Dictionary codes the stacker dropped, right or wrong, in a list sentence or not."""
    c: Counter = Counter()
    for r, got in zip(rows, coded, strict=True):
        for t in r["dictionary"]:
            listy = min((len(h) - 1 for h in r["sentence_themes"] if t in h), default=0) >= 1
            kind = ("right" if t in r["gold"] else "wrong") + (" list" if listy else "")
            c[f"dict {kind}"] += 1
            c[("theme", t, "right" if t in r["gold"] else "wrong")] += 1
            if t not in got:
                c[f"dropped {kind}"] += 1
                c[("theme", t, "dropped " + ("right" if t in r["gold"] else "wrong"))] += 1
    return c


def excludes(set_names: list[str]) -> None:
    """Dictionary tp/fp/fn per set with the codebook's ``exclude`` phrases and without."""
    from benchmarks.theme_loo import ROOT
    from helpers import coding
    from helpers.coding import Coder
    from helpers.coding.runner import _skip_questions
    from helpers.core.consultation import load_consultation
    from helpers.validate.devsets.gold import load_gold
    from helpers.validate.devsets.goldview import gold_responses

    total = {k: Counter() for k in ("with", "without")}
    for name in set_names:
        d = ROOT / name
        cons = load_consultation(d / "consultation.yaml")
        cb = coding.load_codebook(d / "codebook.yaml", cons)
        bare = coding.load_codebook(d / "codebook.yaml", cons)
        bare = dataclasses.replace(
            bare, themes=[dataclasses.replace(t, exclude=()) for t in bare.themes]
        )
        coders = {"with": Coder(cb), "without": Coder(bare)}
        skip = _skip_questions(cb, cons)
        line = [f"{name:16s}"]
        for k, coder in coders.items():
            c: Counter = Counter()
            for rec in gold_responses(load_gold(d), "all", where=str(d / "gold.yaml")):
                for a in rec.answers:
                    if a.themes is None or not a.text.strip() or a.question in skip:
                        continue
                    got = {r["theme_id"] for r in coder.code_text(a.text, a.question)
                           if not r["negated"]}  # fmt: skip
                    gold = set(a.themes)
                    c["tp"] += len(gold & got)
                    c["fp"] += len(got - gold)
                    c["fn"] += len(gold - got)
            total[k].update(c)
            line.append(f"{k} tp {c['tp']} fp {c['fp']} fn {c['fn']} F1 {f1(c):.3f}")
        print("  ".join(line), flush=True)
    for k, c in total.items():
        print(f"pooled {k}: tp {c['tp']} fp {c['fp']} fn {c['fn']} {prf(c)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="+")
    parser.add_argument("--fit", help="write the stacker fitted on every row here")
    parser.add_argument("--batches", nargs="*", type=int, default=list(range(2, 31)))
    parser.add_argument("--falsefriends", action="store_true")
    parser.add_argument("--excludes", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = load_rows(args.rows)
    if args.excludes:
        excludes(list(dict.fromkeys(r["set"] for r in rows)))
    kinds = ("dict", "union", "answer", "stack")
    totals = {(c, k): Counter() for c in UNION for k in kinds}
    wins: Counter = Counter()
    ff = {c: Counter() for c in UNION}
    for b in args.batches:
        test = [r for r in rows if r["batch"] == b]
        train = [r for r in rows if r["batch"] != b]
        if not test:
            continue
        held = {r["set"] for r in test}
        attach_votes(rows, held)
        model = fit_on(train, held)
        pri = priors(rows, held)
        batch = {k: Counter() for k in kinds}
        for c, (blend, cut) in UNION.items():
            part = [r for r in test if r["consultation"] == c]
            if not part:
                continue
            got = {
                "dict": [rule(r, "dict", 0) for r in part],
                "union": [rule(r, blend, cut) for r in part],
                "answer": [rule(r, "answer", cut) for r in part],
                "stack": decide(part, model, lambda r, pri=pri: pri[r["consultation"]]),
            }
            counts = {k: count(part, v) for k, v in got.items()}
            for k in kinds:
                totals[(c, k)].update(counts[k])
                batch[k].update(counts[k])
            wins[(c, "better")] += f1(counts["stack"]) > f1(counts["union"]) + 1e-9
            wins[(c, "worse")] += f1(counts["stack"]) < f1(counts["union"]) - 1e-9
            ff[c].update(falsefriends(part, got["stack"]))
            print(
                f"{part[0]['set']:16s} " + "  ".join(f"{k} {prf(counts[k])}" for k in kinds)
                + f"  (cut {model.cut})", flush=True,
            )  # fmt: skip
        wins[("batch", "better")] += f1(batch["stack"]) > f1(batch["union"]) + 1e-9
        wins[("batch", "worse")] += f1(batch["stack"]) < f1(batch["union"]) - 1e-9
        print(f"batch {b:<10d} " + "  ".join(f"{k} {prf(batch[k])}" for k in kinds), flush=True)
    for c in UNION:
        print(f"pooled {c:12s} " + "  ".join(f"{k} {prf(totals[(c, k)])}" for k in kinds))
        print(f"  stack vs union: better on {wins[(c, 'better')]}, worse on {wins[(c, 'worse')]}")
        if args.falsefriends:
            flat = {k: v for k, v in ff[c].items() if isinstance(k, str)}
            print(f"  false friends: {dict(sorted(flat.items()))}")
            themes = sorted({k[1] for k in ff[c] if isinstance(k, tuple)})
            for t in sorted(themes, key=lambda t: -ff[c][("theme", t, "wrong")]):
                g = {k: ff[c][("theme", t, k)] for k in
                     ("wrong", "dropped wrong", "right", "dropped right")}  # fmt: skip
                print(f"    {t:30s} dict wrong {g['wrong']:3d} (dropped {g['dropped wrong']:3d})"
                      f"  right {g['right']:3d} (dropped {g['dropped right']:3d})")  # fmt: skip
    both = {k: totals[("transport", k)] + totals[("ofsted-docs", k)] for k in kinds}
    print("pooled both        " + "  ".join(f"{k} {prf(both[k])}" for k in kinds))
    print(f"  batches (both sets) stack vs union: better on {wins[('batch', 'better')]}, "
          f"worse on {wins[('batch', 'worse')]}")  # fmt: skip
    if args.fit:
        sets = sorted({r["set"] for r in rows})
        attach_votes(rows, set())
        model = fit_on(rows, set(), note=f"benchmarks/theme_stacker.py --fit on {', '.join(sets)}")
        Path(args.fit).write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {args.fit}: cut {model.cut}, coef {np.round(model.coef, 3).tolist()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
