"""Reservation errors of collected item sets, by class: what the finder flags wrongly and misses.

    PYTHONPATH=src python -m benchmarks.reservation_collect rows.jsonl stance-items-22
    PYTHONPATH=src python -m benchmarks.reservation_errors rows.jsonl [--weights=W.npz] [--verbose]

Each answered row is scored as ``reservations.add_reservations`` scores it (the learned finder's
best sentence against the shipped threshold, then the writer's own split); a row it does not read
keeps the rules' flag. Per set: P / R / F1, then the false alarms and the misses by class, the
first class that fits (the best-scoring sentence is the one read):

false alarms
  - ``tick vs text``: tagged ``tick_conflict`` / ``tick_agrees_but`` (the sets' conventions on a
    hostile text against a tick differ);
  - ``stance wrong``: the row's stance is neither the gold nor one of its acceptable readings;
  - ``condition met`` (session 24): tagged ``condition_met``, or the sentence states a condition the
    writer set before ("We said we could only support it if …", "I'd only have said yes if …") and a
    later sentence of the answer says it is met ("It did.", "The council has now agreed that.");
  - ``another's view``: the sentence reports a third party's view ("some people say", "my
    neighbour worries", "I'm told"), or the item is tagged as a restated, rebutted, quoted or
    reported view;
  - ``declared interest`` (session 24): tagged ``declared_interest``, or the sentence opens by declaring
    the writer's stake ("I should declare an interest: …", "Declaration: …", "In the interests of
    transparency: …");
  - ``reported tick`` (session 24): tagged ``reported_tick``, or the sentence names a box the writer
    ticked, would have ticked or meant ("If there were a box for …, I'd have ticked that");
  - ``reason for opposing``: the gold is an opposition (its plain reasons are not counted);
  - ``letter``: another sentence of a letter;
  - ``cue inside support``: a contrast, condition or reservation phrase the gold does not count;
  - ``no cue``: background, a reason or an explanation;

misses
  - ``not read``: the row was read as not answered (the finder reads answered rows only);
  - ``stance wrong`` as above; ``read, scored low``: the rest.

Session 23 wrote it to read the spent sets' false alarms by class (docs/stance.md, "Session 23")
after precision on a fresh set fell to 0.27. Held-back sets are refused (a collection holds only
what ``reservation_collect`` would collect).
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

import numpy as np

from benchmarks.reservation_collect import _forbidden
from benchmarks.reservation_train import _row, load, prf
from helpers.stance import reservation_model as rm
from helpers.stance.discourse_lexicon import _lexicon
from helpers.stance.reservations import split_reservation

# A third party's view: a third-person subject, at most three words, a verb of saying or fearing;
# or a possessive and one noun before such a verb.
OTHERS = re.compile(
    r"\b(?:some|many|others|other people|people|they|he|she|critics|opponents|someone|somebody|"
    r"everyone|most)\b(?:\s+\w+){0,3}?\s+(?:say|says|said|argue|argues|argued|claim|claims|think|"
    r"thinks|worry|worries|worried|feel|feels|fear|fears|object|objects|told|will say|would say|"
    r"complain|complains|reckon|reckons)\b|\b(?:according to|i'm told|i am told|i've been told|"
    r"i've heard|word is|apparently)\b"
    # someone close to the writer: "my neighbour worries", "our son says"
    r"|\b(?:my|our|his|her|their)\s+\w+\s+(?:says|said|worries|worried|thinks|thought|feels|felt|"
    r"fears|argues|claims|reckons)\b"
)
REPORTED = {"counterargument_rebutted", "restated_then_rejected", "quoted_opponent",
            "reported_speech", "others_quoted", "two_voices", "hearsay"}  # fmt: skip
OPPOSED = ("disagree", "strongly_disagree")
# Session 24 (stance-items-23's false alarms). A condition the writer set earlier (their own or their
# body's past statement, or a counterfactual "I'd only have said yes if"), in a sentence with a
# condition word or "conditional" …
PAST_CONDITION = re.compile(
    r"\b(?:i|we|our\s+\w+)\s+(?:had\s+|have\s+)?(?:\w+ly\s+)?(?:said|told|stated|wrote|made|gave|set|responded|"
    r"asked|insisted)\b|\b(?:would|'d|could)(?:\s+only|\s+\w+ly)?\s+have\s+(?:said|ticked|supported|agreed)\b"
)
# … and a later sentence saying it is met: "It did.", "It has been.", "… are met", "has now agreed".
FULFILLED = re.compile(
    r"\b(?:now that|(?:has|have|had) now|been (?:met|addressed|resolved|agreed|confirmed|included)|"
    r"already (?:been|in place|agreed|confirmed)|(?:is|are|were|was|have been|has been) met)\b"
    r"|^\W*(?:and\s+)?(?:it|they|that|both)\s+(?:did|was|were|has been|have been|is|are)\W*$"
)
# A declared stake opening the sentence.
DECLARED = re.compile(
    r"^\W*(?:i should declare|i must declare|declaring an interest|declaration\b|full disclosure|"
    r"in the interests? of (?:transparency|disclosure))"
)
# A box the writer ticked, would have ticked or meant.
TICKED = re.compile(r"\b(?:ticked|tick(?:ed)? the box|if there (?:were|was) a box)\b")


def decide(r: dict, weights: dict) -> tuple[bool, str | None]:
    """The row's flag as the table sets it, and the sentence read (None if not read)."""
    if not (r["answered"] and r["sents"]):
        return bool(r["rule"]), None
    p = rm.scores(r["sents"], r["ev"], _row(r), weights)
    best = int(np.argmax(p))
    if p[best] >= float(weights["threshold"]):
        return True, r["sents"][best]
    ev = tuple(r["evidence"]) if r["evidence"] else None
    return split_reservation(r["segments"], ev) is not None, r["sents"][best]


def _stance_wrong(r: dict) -> bool:
    return r["stance"] != r["gold_stance"] and r["stance"] not in r.get("stance_ok", [])


def _condition_met(r: dict, sentence: str, low: str) -> bool:
    """A past condition of the writer's in ``sentence`` that a later sentence of the answer says is met."""
    if not (PAST_CONDITION.search(low) and (rm._CONDITION_ANY.search(low) or "conditional" in low)):
        return False
    sents = [t.lower().replace("’", "'") for t in r.get("sents") or []]
    later = sents[sents.index(low) + 1 :] if low in sents else []
    return any(FULFILLED.search(t) and not rm._CONDITION_ANY.search(t) for t in later)


def false_alarm_class(r: dict, sentence: str | None) -> str:
    if sentence is None:
        return "not read (rules' flag)"
    low = sentence.lower().replace("’", "'")
    if {"tick_conflict", "tick_agrees_but"} & set(r["tags"]):
        return "tick vs text"
    if _stance_wrong(r):
        return "stance wrong"
    if "condition_met" in r["tags"] or _condition_met(r, sentence, low):
        return "condition met"
    if OTHERS.search(low) or REPORTED & set(r["tags"]):
        return "another's view"
    if "declared_interest" in r["tags"] or DECLARED.search(low):
        return "declared interest"
    if "reported_tick" in r["tags"] or TICKED.search(low):
        return "reported tick"
    if r["gold_stance"] in OPPOSED:
        return "reason for opposing"
    if r["kind"] == "letter":
        return "letter"
    if rm._CONTRAST_ANY.search(low) or rm._CONDITION_ANY.search(low):
        return "cue inside support"
    if _lexicon()["reservation"].search(low):
        return "cue inside support"
    return "no cue"


def miss_class(r: dict, sentence: str | None) -> str:
    if sentence is None:
        return "not read"
    return "stance wrong" if _stance_wrong(r) else "read, scored low"


def main(argv: list[str]) -> None:
    path = Path(argv[0])
    given = [a.split("=", 1)[1] for a in argv if a.startswith("--weights=")]
    weights = rm.load_weights() if not given else dict(np.load(given[0], allow_pickle=False))
    rows = load(str(path))
    for name in sorted({r["set"] for r in rows}):
        if _forbidden(name):
            raise SystemExit(f"{name}: held back; never read")
    by_set: dict[str, list] = collections.defaultdict(list)
    for r in rows:
        by_set[r["set"]].append(r)
    for name, test in by_set.items():
        got = [decide(r, weights) for r in test]
        pred = np.array([g[0] for g in got])
        gold = np.array([r["gold"] for r in test])
        p, rec, f, tp, fp, fn = prf(pred, gold)
        print(f"{name}: P {p:.2f} R {rec:.2f} F1 {f:.2f} ({tp}/{fp}/{fn})")
        for label, wrong, classify in (("false alarms", pred & ~gold, false_alarm_class),
                                       ("misses", ~pred & gold, miss_class)):  # fmt: skip
            classes = collections.Counter()
            shown = []
            for r, (_, sentence), w in zip(test, got, wrong, strict=True):
                if w:
                    c = classify(r, sentence)
                    classes[c] += 1
                    shown.append(f"    {c}: {r['item']} {r['question']} {sentence!r}")
            print(f"  {label}: " + ", ".join(f"{c} {n}" for c, n in classes.most_common()))
            if "--verbose" in argv:
                print("\n".join(shown))


if __name__ == "__main__":
    main(sys.argv[1:])
