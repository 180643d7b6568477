"""Measure a learned chooser between an answer's competing sentence readings (session 27).

    PYTHONPATH=src:. python -m benchmarks.stance_chooser CENSUS_DIR SET ... [--C=0.3] [--no-whole] [--list]

Issue 13: the largest stance error on fresh item sets is a direction flip, and most flips
are answers whose sentences, read alone by the rules, take both sides ("We welcome the aim.
We cannot support it.", "The case for January is strong … I cannot. Too soon.") and the
whole answer's reading took the wrong one. For every text answer of the census files
(``benchmarks.stance_census``) with at least two sentences, each sentence is read alone
(``discourse.refine``); where the sentences with a position take both sides, every such
sentence is a candidate, described by general features of its place and shape (position,
first / last, a contrast opening it or the next sentence, a concessive opening, a question,
negators, "I / we" or a third party as subject, the question's own words in it, an
alternative or the status quo named, length, its reading's confidence and strength, whether
it is the side the whole answer was read as). A logistic regression learns "this sentence's
side is the gold side", fitted leave-one-set-out; in the held-out set the answer is turned to
the side of its best candidate when that side differs from the whole reading's and the best
candidate's probability beats the best candidate of the whole reading's side by ``margin``.
Prints, per set and margin, the answers fixed and broken (direction).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.stance_census import said, verdict
from benchmarks.stance_collect import _forbidden
from benchmarks.stance_flip_census import (
    _ALTERNATIVE_RE,
    _CONCESSIVE_RE,
    _CONTRAST_RE,
    _NEGATION_RE,
    _OTHERS_RE,
)
from helpers.stance.sentences import sentence_spans
from helpers.stance.unstructured import content_stems
from helpers.validate.devsets.stancescore import direction

SIGN = {"agree": 1, "disagree": -1}
_OPENS_CONTRAST = re.compile(r"^\W*(?:but|however|yet|still|that said|even so|nevertheless|"
                             r"nonetheless|though|instead|unfortunately|sadly)\b")  # fmt: skip
_FIRST = re.compile(r"\b(?:i|we|i['’]m|we['’]re|i['’]d|we['’]d|my|our)\b")


def _words(r: dict) -> frozenset[str]:
    from benchmarks.stance_gate import _consultation, _consultation_path
    from helpers.stance.comparison import question_words

    name, own = question_words(_consultation(str(_consultation_path(r))), r["question"])
    return name | own


def candidates(text: str, whole: int, words: frozenset[str]) -> list[tuple[int, list[float]]]:
    """(direction, features) of each sentence of ``text`` read alone with a position."""
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stance

    spans = sentence_spans(text)
    n = len(spans)
    if n < 2:
        return []
    out = []
    low = text.lower()
    for i, (s, e) in enumerate(spans):
        sent = text[s:e]
        got = refine(sent, infer_stance(sent))
        d = SIGN.get(direction(got.stance), 0)
        if not d:
            continue
        ls = low[s:e]
        nxt = low[spans[i + 1][0] : spans[i + 1][1]] if i + 1 < n else ""
        prev = low[spans[i - 1][0] : spans[i - 1][1]] if i else ""
        q = len(content_stems(sent) & words)
        out.append((d, [
            i / (n - 1), float(i == 0), float(i == n - 1),
            float(bool(_OPENS_CONTRAST.search(ls))), float(bool(_OPENS_CONTRAST.search(nxt))),
            float(bool(_CONTRAST_RE.search(ls))), float(bool(_CONCESSIVE_RE.search(ls))),
            float(ls.rstrip().endswith("?")), float(prev.rstrip().endswith("?")),
            min(len(_NEGATION_RE.findall(ls)), 3) / 3, float(bool(_FIRST.search(ls))),
            float(bool(_OTHERS_RE.search(ls))), min(q, 4) / 4, float(q == 0),
            float(bool(_ALTERNATIVE_RE.search(ls))), math.log1p(len(sent.split())) / 4,
            float(got.confidence or 0), float(got.stance.startswith("strongly")),
            float(d == whole), float(d > 0),
        ]))  # fmt: skip
    return out


def collect(folder: Path, names: list[str]) -> list[dict]:
    """One row per answer whose sentences take both sides."""
    rows = []
    for name in names:
        if _forbidden(name):
            raise SystemExit(f"{name} is held back: not read")
        for x in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(x)
            if not r["row"] or r["row"]["method"] != "text" or not r["text"]:
                continue
            whole = SIGN.get(direction(said(r)), 0)
            if not whole:
                continue
            cands = candidates(r["text"], whole, _words(r))
            if len({d for d, _ in cands}) < 2:
                continue
            gold = {SIGN.get(direction(g), 0) for g in (r["gold"], *r["stance_ok"])}
            rows.append({"set": name, "r": r, "whole": whole, "cands": cands, "gold": gold})
    return rows


def main(argv: list[str]) -> None:
    folder = Path(argv[0])
    names = [a for a in argv[1:] if not a.startswith("--")]
    c_reg = float(next((a.split("=")[1] for a in argv if a.startswith("--C=")), 0.3))
    rows = collect(folder, names)
    if "--no-whole" in argv:  # the shape alone, without "the side the whole answer took"
        for x in rows:
            x["cands"] = [(d, f[:18] + f[19:]) for d, f in x["cands"]]
    print(f"{len(rows)} answers with both sides among their sentences; whole reading right "
          f"{sum(x['whole'] in x['gold'] for x in rows)}")  # fmt: skip
    margins = (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2)
    res: dict[float, dict[str, Counter]] = {m: defaultdict(Counter) for m in margins}
    for held in names:
        train = [x for x in rows if x["set"] != held]
        test = [x for x in rows if x["set"] == held]
        if not test:
            continue
        xs = [f for x in train for _, f in x["cands"]]
        ys = [int(d in x["gold"]) for x in train for d, _ in x["cands"]]
        model = LogisticRegression(C=c_reg, max_iter=2000).fit(np.array(xs), np.array(ys))
        for x in test:
            p = model.predict_proba(np.array([f for _, f in x["cands"]]))[:, 1]
            best = {d: max(pi for (dd, _), pi in zip(x["cands"], p, strict=True) if dd == d)
                    for d in {d for d, _ in x["cands"]}}  # fmt: skip
            other = -x["whole"]
            for m in margins:
                if other in best and best[other] - best.get(x["whole"], 0.0) > m:
                    r = x["r"]
                    new = "agree" if other > 0 else "disagree"
                    a0, d0 = verdict(r)
                    a1, d1 = verdict(r, new)
                    res[m][held].update(fixed=d1 and not d0, broken=d0 and not d1,
                                        turned=1)  # fmt: skip
                    if "--list" in argv and m == margins[2] and d0 != d1:
                        print(f"  {'FIX' if d1 else 'BRK'} {held} {r['name']} gold {r['gold']} "
                              f"{said(r)} -> {new}: {r['text'][:150]!r}")  # fmt: skip
    for m in margins:
        per = res[m]
        fx = sum(c["fixed"] for c in per.values())
        br = sum(c["broken"] for c in per.values())
        better = sum(1 for c in per.values() if c["fixed"] > c["broken"])
        worse = sum(1 for c in per.values() if c["fixed"] < c["broken"])
        cells = " ".join(f"{k.replace('stance-items', 'si')}:{c['fixed']}/{c['broken']}"
                         for k, c in per.items() if c["fixed"] or c["broken"])  # fmt: skip
        tn = sum(c["turned"] for c in per.values())
        print(
            f"margin {m:.1f}: turned {tn} fixed {fx} broken {br}; sets better {better} worse {worse}  {cells}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
