"""Measure a learned polarity check: should the rules' agree / disagree be turned round?

    PYTHONPATH=src:. python -m benchmarks.stance_flip collected.jsonl [...] [--lex=0] [--C=0.3]

Session 18 (issue 13). On unseen item sets the largest direction error was disagreement
read as agreement (and the reverse): concessive openings ("While we welcome X, we cannot
support it"), a contrastive final verdict ("Sounds sensible on paper ... Not January."),
rhetorical questions, an alternative preferred ("April would be better"). This trainer
asks whether a general structure-level model finds such rows: for every row the rules
read from text with a direction (method ``text`` or ``unstructured``), features of the
answer's shape *relative to the rules' direction* ``d`` (the rules' reading of each
sentence alone, of the first and last positioned sentences, of the text after the last
contrast; a concessive opening; questions; alternative-preferred words; optionally hashed
unigrams times ``d``) and the label "the gold direction is the opposite of ``d``". A
logistic regression is fitted leave-one-batch-out (``stance_gate._batch_group``: an item
set whole, ofsted-docs-N with transport-N) and, at each threshold, the rows whose
out-of-fold probability of a flip reaches it are turned round; the table gives each
held-out group's acceptable / direction accuracy over its direction rows before and after
(fixed / broken). Rows come from ``benchmarks/stance_collect.py`` (held-back sets refused).
"""

from __future__ import annotations

import json
import re
import sys
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.stance_collect import _forbidden
from benchmarks.stance_gate import _batch_group, ok
from helpers.stance import infer_stances
from helpers.stance.discourse import refine
from helpers.stance.sentences import sentence_spans
from helpers.validate.devsets.stancescore import direction

SIGN = {"agree": 1, "disagree": -1, "neutral": 0, "none": 0}
OPPOSITE = {
    "agree": "disagree",
    "strongly_agree": "disagree",
    "disagree": "agree",
    "strongly_disagree": "agree",
}
_CONCESSIVE_RE = re.compile(
    r"^\W*(?:while|whilst|although|though|granted|admittedly|of course|it is true|"
    r"(?:i|we)\s+(?:accept|welcome|recognise|recognize|understand|appreciate|see|"
    r"acknowledge|agree with the (?:aim|principle|idea))|in principle|on paper|"
    r"(?:sounds?|looks?)\s+(?:good|great|sensible|fine|reasonable))\b"
)
_CONTRAST_RE = re.compile(
    r"\b(?:but|however|yet|though|nevertheless|nonetheless|still|that said|even so|"
    r"in practice|instead)\b"
)
_ALTERNATIVE_RE = re.compile(
    r"\b(?:would be better|rather|instead|prefer|preferable|why not|better to|"
    r"should (?:wait|delay|start|be)|not (?:yet|now)|too (?:soon|early|long|short|quick))\b"
)
_NEG_RE = re.compile(r"\b(?:not|no|never|nobody|nothing|cannot|can't|won't|don't|n't)\b")
N_HASH = 2048
_WORD_RE = re.compile(r"[a-z']+")


def _dir(stance: str) -> int:
    return SIGN[direction(stance)]


def _reads(pieces: list[str]) -> list[int]:
    if not pieces:
        return []
    return [_dir(refine(p, r).stance) for p, r in zip(pieces, infer_stances(pieces), strict=True)]


def structure(text: str, d: int, conf: float, strong: bool) -> list[float]:
    """The answer's shape relative to the rules' direction ``d`` (+1 agree, -1 disagree)."""
    low = text.lower()
    spans = [(a, b) for a, b in sentence_spans(text) if text[a:b].strip()]
    sents = [text[a:b] for a, b in spans]
    reads = _reads(sents)
    pos = [r for r in reads if r]
    first = pos[0] * d if pos else 0
    last = pos[-1] * d if pos else 0
    final = reads[-1] * d if reads else 0
    against = sum(1 for r in pos if r == -d) / len(pos) if pos else 0.0
    m = None
    for m in _CONTRAST_RE.finditer(low):  # noqa: B007 (the last contrast)
        pass
    after = 0
    if m is not None and m.end() < len(text) - 3:
        after = _reads([text[m.end() :]])[0] * d
    first_sent = sents[0].lower() if sents else low
    last_sent = sents[-1] if sents else text
    return [
        conf,
        1.0 if strong else 0.0,
        first,
        last,
        final,
        against,
        after,
        1.0 if m is not None else 0.0,
        (m.start() / max(1, len(text))) if m is not None else 0.0,
        1.0 if _CONCESSIVE_RE.search(first_sent) else 0.0,
        low.count("?") / max(1, len(sents)),
        1.0 if text.rstrip().endswith("?") else 0.0,
        1.0 if sents and sents[0].rstrip().endswith("?") else 0.0,
        1.0 if _ALTERNATIVE_RE.search(low) else 0.0,
        len(_NEG_RE.findall(low)) / max(1, len(sents)),
        min(len(sents), 10) / 10.0,
        1.0 if len(last_sent.split()) <= 4 else 0.0,
        low.count("!") / max(1, len(sents)),
        float(d),
    ]


def lexical(text: str, d: int) -> np.ndarray:
    v = np.zeros(N_HASH, dtype=np.float32)
    words = _WORD_RE.findall(text.lower())
    for w in set(words) | {a + " " + b for a, b in zip(words, words[1:], strict=False)}:
        v[zlib.crc32(w.encode()) % N_HASH] = d
    return v


def load(paths: list[str], kind: str | None = None) -> list[dict]:
    recs = []
    for p in paths:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if _forbidden(r["set"]):
                raise SystemExit(f"{r['set']}: held back; never trained on")
            row = r["row"]
            if row is None or row["method"] not in ("text", "unstructured") or not r["text"]:
                continue
            if not _dir(row["stance"]) or r["gold"] == "not_answered":
                continue
            if kind and r.get("kind", kind) != kind:
                continue
            recs.append(r)
    return recs


def main(argv: list[str]) -> None:
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--"))
    paths = [a for a in argv if not a.startswith("--")]
    recs = load(paths, opts.get("kind"))
    c = float(opts.get("C", "0.3"))
    use_lex = opts.get("lex", "0") == "1"
    rows = []
    for r in recs:
        s = r["row"]["stance"]
        d = _dir(s)
        f = structure(r["text"], d, float(r["row"]["confidence"] or 0), s.startswith("strongly"))
        rows.append(np.hstack([f, lexical(r["text"], d)]) if use_lex else np.array(f))
    x = np.stack(rows).astype(np.float64)
    golds = [{r["gold"], *r["stance_ok"]} for r in recs]
    y = np.array([
        int(all(_dir(g) == -_dir(r["row"]["stance"]) for g in gs))
        for r, gs in zip(recs, golds, strict=True)
    ])  # fmt: skip
    groups = np.array([_batch_group(r) for r in recs])
    mu, sd = x.mean(0), x.std(0) + 1e-6
    x = (x - mu) / sd
    p = np.zeros(len(recs))
    for g in sorted(set(groups)):
        tr, te = groups != g, groups == g
        model = LogisticRegression(C=c, max_iter=2000, class_weight=None, random_state=0)
        model.fit(x[tr], y[tr])
        p[te] = model.predict_proba(x[te])[:, 1]
    print(f"{len(recs)} direction rows, {y.sum()} read the wrong way round", file=sys.stderr)
    for t in (0.4, 0.5, 0.6, 0.7, 0.8):
        table = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
        for r, pr, g in zip(recs, p, groups, strict=True):
            said = r["row"]["stance"]
            new = OPPOSITE[said] if pr >= t else said
            a0, d0 = ok(r, said)
            a1, d1 = ok(r, new)
            row = table[g]
            row[0] += 1
            row[1] += a0
            row[2] += a1
            row[3] += d1 and not d0
            row[4] += d0 and not d1
            row[5] += new != said
        tot = [sum(v[i] for v in table.values()) for i in range(6)]
        better = sum(v[2] > v[1] for v in table.values())
        worse = sum(v[2] < v[1] for v in table.values())
        print(f"threshold {t}: rows {tot[0]} acceptable {tot[1]} -> {tot[2]}, direction fixed "
              f"{tot[3]} broken {tot[4]}, changed {tot[5]}; groups better {better} worse {worse}")  # fmt: skip
        if "table" in opts and float(opts["table"]) == t:
            for g, v in sorted(table.items()):
                print(f"  {g:20s} n {v[0]:4d} acceptable {v[1]:4d} -> {v[2]:4d} "
                      f"fixed {v[3]} broken {v[4]}")  # fmt: skip
    if "show" in opts:
        order = np.argsort(-p)[: int(opts["show"])]
        for i in order:
            r = recs[i]
            print(f"{p[i]:.2f} y={y[i]} {r['set']} {r['name']} {r['row']['stance']} gold "
                  f"{r['gold']}: {r['text'][:160]!r}")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
