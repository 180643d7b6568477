"""Missed reservations by mechanism: which shape of answer the finder does not flag (session 25).

    PYTHONPATH=src python -m benchmarks.reservation_misses rows.jsonl [--weights=W.npz] [--verbose]

``benchmarks.reservation_errors`` sorts a set's misses into *not read*, *stance wrong* and *read,
scored low*; this module reads the answers of every miss (and, for comparison, of every gold
reservation that was found) by the grammar that carries the reservation. Each answer gets every
mechanism that fits (:func:`mechanisms`) and the first in :data:`ORDER` (:func:`mechanism`):

- ``letter``: the item is a letter (the finder reads the evidence sentence's segment);
- ``question asked``: a sentence other than the stance sentence is the writer's own question
  ("A trial? Fine. Eighteen months? Too long.", "Who pays for the extra inspection work? Until
  that's answered, I can't back it.");
- ``condition without if``: a condition phrased without "if" — "provided", "as long as",
  "only once", "subject to", "depends", "until", "need to see … first", "before I decide";
- ``faint support``: support given grudgingly or provisionally ("I suppose", "reluctantly",
  "give it a go", "better than never", "for now");
- ``resource/capacity/timing``: a concern about money, staff, capacity or time stated as a fact
  ("Our minibus would need a 15-minute detour", "caseloads", "too long", "the budget");
- ``later sentence``: a sentence after the stance sentence opens with or holds a contrast, concern
  or caveat word ("… Yes. Mind you, the signs are awful.");
- ``none of these``.

The word classes are grammar and everyday words of conditions, concern and resources, no
consultation's vocabulary. Held-back sets are refused (``reservation_collect._forbidden``).
"""

from __future__ import annotations

import collections
import re
import sys

import numpy as np

from benchmarks.reservation_collect import _forbidden
from benchmarks.reservation_errors import _stance_wrong, decide
from benchmarks.reservation_train import load
from helpers.stance import reservation_model as rm

__all__ = ["ORDER", "mechanism", "mechanisms"]

COND_NOIF = re.compile(
    r"\b(?:provided|providing|as long as|so long as|only once|only when|only after|only with|only where|"
    r"only on|subject to|on condition|conditional|assuming|dependent on|depends|depending|contingent|"
    r"in return for|on the basis that|proviso|unless|until|till|as soon as|not before|not until|"
    r"need to (?:see|know|hear|understand)|want to (?:see|know)|"
    r"before (?:i|we) (?:say|decide|commit|agree|support|back))\b"
)
FAINT = re.compile(
    r"\b(?:i suppose|suppose so|reluctantly|grudgingly|give it a (?:go|chance|try|fair)|fair chance|"
    r"i guess|not the worst|can't be worse|cannot be worse|better than nothing|than never|narrowly|"
    r"just about|for now|for the time being|at a push|half-hearted\w*|lukewarm|live with|not ideal)\b"
)
RESOURCE = re.compile(
    r"\b(?:staff\w*|fund\w*|money|resourc\w*|capacity|workloads?|caseloads?|budgets?|costs?|costly|"
    r"expensive|afford\w*|stretched|overstretched|shortages?|short of|recruit\w*|timescales?|"
    r"timetables?|timelines?|deadlines?|too (?:soon|early|quick\w*|fast|short|late|tight|long)|rushed|"
    r"insufficient|lack\w*|pressures?|backlogs?|delays?|delayed|readiness|burden\w*|strain\w*|"
    r"under-?resourced|underfunded|overwhelmed|cope|coping|detour\w*)\b"
)
CONCERN = re.compile(
    r"\b(?:worr\w+|concern\w*|fear\w*|afraid|anxious|nervous|wary|sceptic\w*|skeptic\w*|doubt\w*|"
    r"unsure|not sure|hesitant|reservations?|caveats?|risks?|risky|danger\w*|hope|hoped|hopefully|"
    r"not convinced|remains? to be seen|time will tell|unclear|caution\w*|mindful|downside\w*|"
    r"drawback\w*|mind you|that said|having said that|even so|then again)\b"
)
ORDER = ("letter", "question asked", "condition without if", "faint support",
         "resource/capacity/timing", "later sentence", "none of these")  # fmt: skip


def _later(sents: list[str], ev: int | None) -> bool:
    if ev is None:
        return False
    return any(rm._CONTRAST_ANY.search(s) or CONCERN.search(s) for s in sents[ev + 1 :])


def mechanisms(r: dict) -> list[str]:
    """Every mechanism of :data:`ORDER` that fits the answer ``r`` (a collected row with
    ``sents`` and ``ev``, see ``reservation_train.load``), in that order."""
    sents = [s.lower().replace("’", "'") for s in r.get("sents") or []]
    ev = r.get("ev")
    fits = {
        "letter": r.get("kind") == "letter",
        "question asked": any("?" in s for k, s in enumerate(sents) if k != ev),
        "condition without if": any(COND_NOIF.search(s) for s in sents),
        "faint support": any(FAINT.search(s) for s in sents),
        "resource/capacity/timing": any(RESOURCE.search(s) for s in sents),
        "later sentence": _later(sents, ev),
    }
    out = [k for k in ORDER[:-1] if fits[k]]
    return out or ["none of these"]


def mechanism(r: dict) -> str:
    """The first mechanism of :data:`ORDER` that fits."""
    return mechanisms(r)[0]


def main(argv: list[str]) -> None:
    given = [a.split("=", 1)[1] for a in argv if a.startswith("--weights=")]
    weights = rm.load_weights() if not given else dict(np.load(given[0], allow_pickle=False))
    rows = load(argv[0])
    for name in sorted({r["set"] for r in rows}):
        if _forbidden(name):
            raise SystemExit(f"{name}: held back; never read")
    first: collections.Counter = collections.Counter()
    miss: collections.Counter = collections.Counter()
    hit: collections.Counter = collections.Counter()
    sets: dict[str, set] = collections.defaultdict(set)
    for r in rows:
        if not r["gold"]:
            continue
        flag, sentence = decide(r, weights)
        if sentence is None:
            (hit if flag else miss)["not read"] += 1
            first["not read"] += 0 if flag else 1
            continue
        found = mechanisms(r)
        for c in found:
            (hit if flag else miss)[c] += 1
            if not flag:
                sets[c].add(r["set"])
        if not flag:
            c = "stance wrong" if _stance_wrong(r) else found[0]
            first[c] += 1
            if "--verbose" in argv:
                print(f"  {c}: {r['set']} {r['item']} {r['question']} " + " | ".join(r["sents"]))
    print("misses, first mechanism:", ", ".join(f"{c} {n}" for c, n in first.most_common()))
    for c in (*ORDER, "not read"):
        m, h = miss[c], hit[c]
        print(
            f"  {c:26s} missed {m:4d} in {len(sets[c]):2d} sets, found {h:4d}, miss rate {m / max(1, m + h):.2f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
