"""The polarity reader (``stance.polarity``) against the current reading, leave-one-set-out.

    PYTHONPATH=src:. python -m benchmarks.stance_polarity CENSUS_DIR[,DIR2...] SET ... \
        [--C=0.3] [--t=0.5] [--none] [--list] [--synth]

Session 28 (issue 13). For every census row (``benchmarks.stance_census``) read from text
(methods ``text`` and ``unstructured``) the polarity reader's side is the sign of its hits'
sides; a row is a CANDIDATE when at least one hit is inverted (negated, or its object is not
the proposal) on that side and the row's reading takes the other side (``--none``: or no
side). A logistic regression of "the polarity side is the gold side" on general features of
the hits and the reading (below) is fitted on the other sets' candidates and turns a held-out
candidate when its probability is above ``--t``. Prints per set: candidates, right by the
polarity side, turned, fixed, broken; and the pooled totals. ``--rule`` turns every candidate
(no model). ``--synth`` also scores the synthetic answers (``stance_polarity_synth``, both
halves) read by the rules and the gate (``stance_census.reread_full``), by a model fitted
on every set. The first census directory that holds ``<set>.jsonl`` is read. Held-back
sets are refused.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.stance_census import said, verdict
from benchmarks.stance_collect import _forbidden
from helpers.stance.polarity import hits
from helpers.stance.sentences import sentence_spans
from helpers.validate.devsets.stancescore import direction

KINDS = ("proposal", "critic", "supporter", "claim", "undoing", "alternative")
_SIDE = {"agree": 1, "disagree": -1}


def candidate(text: str, current: int, with_none: bool) -> tuple[int, list[float]] | None:
    """(polarity side, features) when the reader disagrees with the ``current`` side."""
    hs = hits(text)
    total = sum(h.side for h in hs)
    side = (total > 0) - (total < 0)
    if not side or side == current or (current == 0 and not with_none):
        return None
    inverted = [h for h in hs if h.side == side and (h.negated or h.kind != "proposal")]
    if not inverted:
        return None
    spans = sentence_spans(text) or [(0, len(text))]
    last = spans[-1][0]
    first_end = spans[0][1]
    on = [h for h in hs if h.side == side]
    off = [h for h in hs if h.side == -side]
    f = [
        len(on), len(off), len(inverted), math.log1p(len(spans)),
        float(any(h.start < first_end for h in inverted)),
        float(any(h.start >= last for h in inverted)),
        float(any(h.negated for h in inverted)),
        float(side > 0), float(current == 0),
        *[float(any(h.kind == k for h in inverted)) for k in KINDS],
        float(any(h.verb > 0 for h in inverted)),
        float("?" in text), float(" but " in text.lower() or "however" in text.lower()),
    ]  # fmt: skip
    return side, f


def rows(folders: list[Path], names: list[str], with_none: bool) -> list[dict]:
    out = []
    for name in names:
        if _forbidden(name):
            raise SystemExit(f"{name} is held back: not read")
        path = next(d / f"{name}.jsonl" for d in folders if (d / f"{name}.jsonl").is_file())
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            row = r["row"]
            if not row or row["method"] not in ("text", "unstructured") or not r["text"]:
                continue
            current = _SIDE.get(direction(said(r)), 0)
            if said(r) in ("neither", "dont_know"):
                continue  # a stated middle is not overturned
            got = candidate(r["text"], current, with_none)
            if got is None:
                continue
            side, f = got
            gold = _SIDE.get(direction(r["gold"]), 0)
            oks = {_SIDE.get(direction(g), 0) for g in [r["gold"], *r["stance_ok"]]}
            conf = row.get("confidence") or 0.5
            out.append({"set": name, "r": r, "side": side, "x": [*f, conf],
                        "y": float(gold == side), "ok_after": side in oks,
                        "ok_before": verdict(r)[1]})  # fmt: skip
    return out


def main(argv: list[str]) -> None:
    folders = [Path(p) for p in argv[0].split(",")]
    names = [a for a in argv[1:] if not a.startswith("--")]
    opt = {a.split("=")[0]: a.split("=", 1)[1] for a in argv if a.startswith("--") and "=" in a}
    c, t = float(opt.get("--C", 0.3)), float(opt.get("--t", 0.5))
    data = rows(folders, names, "--none" in argv)
    tot: Counter = Counter()
    better = worse = 0
    for name in names:
        test = [d for d in data if d["set"] == name]
        train = [d for d in data if d["set"] != name]
        if not test:
            continue
        if "--rule" in argv:
            turn = [True] * len(test)
        elif len({d["y"] for d in train}) < 2:
            turn = [False] * len(test)
        else:
            m = LogisticRegression(C=c, max_iter=2000).fit(
                np.array([d["x"] for d in train]), np.array([d["y"] for d in train])
            )
            turn = list(m.predict_proba(np.array([d["x"] for d in test]))[:, 1] > t)
        fixed = sum(1 for d, k in zip(test, turn, strict=True) if k and d["ok_after"]
                    and not d["ok_before"])  # fmt: skip
        broken = sum(1 for d, k in zip(test, turn, strict=True) if k and d["ok_before"]
                     and not d["ok_after"])  # fmt: skip
        right = sum(d["y"] for d in test)
        tot.update(cand=len(test), right=right, turned=sum(turn), fixed=fixed, broken=broken)
        better += fixed > broken
        worse += broken > fixed
        print(f"{name:18s} candidates {len(test):3d} polarity right {right:3.0f} turned "
              f"{sum(turn):3d} fixed {fixed} broken {broken}")  # fmt: skip
        if "--list" in argv:
            for d, k in zip(test, turn, strict=True):
                tag = "TURN" if k else "keep"
                print(f"   {tag} y={d['y']:.0f} {d['r']['name']} gold {d['r']['gold']} said "
                      f"{said(d['r'])} | {d['r']['text'][:170]!r}")  # fmt: skip
    print(
        f"ALL candidates {tot['cand']} polarity right {tot['right']:.0f} turned {tot['turned']} "
        f"fixed {tot['fixed']} broken {tot['broken']}; sets better {better}, worse {worse}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
