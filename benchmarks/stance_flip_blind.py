"""A learned polarity check trained on the rules' *blind* errors (session 19, issue 13).

    PYTHONPATH=src:. python -m benchmarks.stance_flip_blind \
        stance-items-14=/path/b17_verbose.txt ... stance-items-18=/path/b21_verbose.txt \
        [--lex=1] [--C=0.3] [--cw=1] [--kinds=answer,form] [--show=N]

Session 18's check (``benchmarks/stance_flip.py``) was trained on the rules' readings of
the sets they were tuned on, where the residual polarity errors are rare and idiosyncratic.
This one is trained on what the rules said when each item set was still unseen: the
verbose error listing written when the set was scored blind (``evaluate --verbose``; an
item not listed for stance was read exactly as its gold). For every item the blind rules
read with a direction ``d``, rule-free discourse features relative to ``d`` (VADER of
the first, last and weakest sentence, of the text after the last contrast and of the
whole; a concessive opening; questions; alternative-preferred, irony and negation words;
optionally hashed word 1-2-grams times ``d``), label "every acceptable gold is the other
direction". Fitted leave-one-set-out; prints, per threshold, the blind errors fixed and
the blind right readings broken in each held-out set. Held-back sets are refused.
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from benchmarks.stance_collect import _forbidden
from helpers.stance.sentences import sentence_spans
from helpers.stance.sentiment import compound
from helpers.validate.devsets.stancescore import direction

ROOT = Path(__file__).resolve().parents[1] / "data" / "evaluation"
SIGN = {"agree": 1, "disagree": -1}
_LINE = re.compile(r"^\s+\[stance\] (\S+): gold (\S+), system (\S+) \(")
_CONC = re.compile(
    r"^\W*(?:while|whilst|although|though|granted|admittedly|of course|it is true|"
    r"(?:i|we)\s+(?:accept|welcome|recognise|recognize|understand|appreciate|see|acknowledge)|"
    r"in principle|on paper|(?:sounds?|looks?)\s+(?:good|great|sensible|fine|reasonable))\b"
)
_CONTR = re.compile(
    r"\b(?:but|however|yet|though|nevertheless|nonetheless|still|that said|even so|"
    r"in practice|instead)\b"
)
_ALT = re.compile(
    r"\b(?:would be better|rather|instead|prefer|preferable|why not|better to|ideally|"
    r"should (?:wait|delay|start|be)|not (?:yet|now)|too (?:soon|early|long|short|quick)|"
    r"leave it|wait (?:until|till)|till|until)\b"
)
_NEG = re.compile(r"\b(?:not|no|never|nobody|nothing|cannot|can't|won't|don't|n't)\b")
_IRONY = re.compile(
    r"\b(?:oh|great|lovely|fantastic|wonderful|brilliant|triumph|genius|marvellous|"
    r"what a|yeah right|sure|can hardly wait|thanks a lot)\b"
)
_WORD = re.compile(r"[a-z']+")
N_HASH = 1024


def blind_readings(name: str, listing: Path) -> dict[tuple[str, str], str]:
    """(item, question) -> the system stance the listing shows for set ``name``."""
    out, on, item = {}, False, None
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.startswith("== "):
            on = line.startswith(f"== {name} ")
        elif on and line.strip() and not line.startswith(" "):
            item = line.strip()
        elif on and (m := _LINE.match(line)):
            out[(item, m[1])] = m[3]
    return out


def census_rows(name: str, path: Path) -> list[dict]:
    """The direction rows of a set's census as first scored (``stance_census`` JSONL at the
    release that first scored it; session 23: the listings of sets 14-18 are gone)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        said = r["row"]["stance"] if r["row"] else "not_answered"
        if r["set"] == name and direction(said) in SIGN and r.get("text"):
            kind = (
                "letter"
                if r["row"]["method"] == "unstructured"
                else (
                    "form" if r.get("tick") or r["row"]["method"].startswith("tick") else "answer"
                )
            )
            out.append({"set": name, "text": r["text"].strip(), "kind": kind, "said": said,
                        "ok": [r["gold"], *r["stance_ok"]]})  # fmt: skip
    return out


def rows(name: str, listing: Path) -> list[dict]:
    if _forbidden(name):
        raise SystemExit(f"{name}: held back; never read")
    if listing.suffix == ".jsonl":
        return census_rows(name, listing)
    said_by = blind_readings(name, listing)
    out = []
    for part in ("ofsted", "transport"):
        for it in yaml.safe_load((ROOT / name / f"{part}.yaml").read_text())["items"]:
            key = (f"{part}:{it['id']}", it["question"])
            said = said_by.get(key, it["stance"])
            if direction(said) in SIGN and it.get("text"):
                ok = [it["stance"], *(it.get("stance_ok") or [])]
                out.append({"set": name, "text": it["text"].strip(), "kind": it["kind"],
                            "said": said, "ok": ok})  # fmt: skip
    return out


def features(text: str, d: int) -> list[float]:
    low = text.lower()
    spans = [(a, b) for a, b in sentence_spans(text) if text[a:b].strip()] or [(0, len(text))]
    sents = [text[a:b] for a, b in spans]
    comp = [compound(s) for s in sents]
    last = None
    for last in _CONTR.finditer(low):  # noqa: B007 (the last contrast)
        pass
    after = compound(text[last.end() :]) if last and last.end() < len(text) - 3 else 0.0
    tone = [comp[0], comp[-1], float(np.mean(comp)), min(comp), max(comp), after, compound(text)]
    flags = [
        1.0 if last else 0.0,
        last.start() / len(text) if last else 0.0,
        1.0 if _CONC.search(sents[0].lower()) else 0.0,
        low.count("?") / len(sents),
        1.0 if text.rstrip().endswith("?") else 0.0,
        1.0 if sents[0].rstrip().endswith("?") else 0.0,
        1.0 if _ALT.search(low) else 0.0,
        len(_NEG.findall(low)) / len(sents),
        1.0 if _IRONY.search(low) else 0.0,
        low.count("!") / len(sents),
        min(len(sents), 10) / 10,
    ]
    return [x * d for x in tone + flags] + flags + [float(d)]


def lexical(text: str, d: int) -> np.ndarray:
    v = np.zeros(N_HASH)
    w = _WORD.findall(text.lower())
    for t in set(w) | {a + " " + b for a, b in zip(w, w[1:], strict=False)}:
        v[zlib.crc32(t.encode()) % N_HASH] = d
    return v


def main(argv: list[str]) -> None:
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--"))
    specs = [a.split("=", 1) for a in argv if not a.startswith("--")]
    kinds = opts.get("kinds", "answer,form,letter").split(",")
    recs = [r for name, path in specs for r in rows(name, Path(path)) if r["kind"] in kinds]
    xs, ys = [], []
    for r in recs:
        d = SIGN[direction(r["said"])]
        f = np.array(features(r["text"], d))
        xs.append(np.hstack([f, lexical(r["text"], d)]) if opts.get("lex") == "1" else f)
        ys.append(all(SIGN.get(direction(g), 0) == -d for g in r["ok"]))
    x, y = np.array(xs), np.array(ys, dtype=int)
    groups = np.array([r["set"] for r in recs])
    p = np.zeros(len(recs))
    for name, _ in specs:
        tr, te = groups != name, groups == name
        mu, sd = x[tr].mean(0), x[tr].std(0) + 1e-6
        cw = "balanced" if opts.get("cw") == "1" else None
        model = LogisticRegression(C=float(opts.get("C", "0.3")), max_iter=3000, class_weight=cw)
        model.fit((x[tr] - mu) / sd, y[tr])
        p[te] = model.predict_proba((x[te] - mu) / sd)[:, 1]
    print(f"{len(recs)} blind direction rows, {y.sum()} read the wrong way round")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        cells, fixed, broken = [], 0, 0
        for name, _ in specs:
            idx = np.where((groups == name) & (p >= t))[0]
            f = int(y[idx].sum())
            b = sum(1 for i in idx if not y[i] and direction(recs[i]["said"]) in
                    {direction(g) for g in recs[i]["ok"]})  # fmt: skip
            fixed, broken = fixed + f, broken + b
            cells.append(f"{name}: +{f}/-{b}")
        print(f"threshold {t}: fixed {fixed} broken {broken} | " + "; ".join(cells))
    for i in np.argsort(-p)[: int(opts.get("show", "0"))]:
        r = recs[i]
        print(f"{p[i]:.2f} y={y[i]} {r['set']} {r['said']} ok {r['ok']}: {r['text'][:120]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
