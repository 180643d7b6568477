"""What a candidate reservation sentence is about, read by grammar (session 28, issue 13).

The finder (:mod:`helpers.stance.reservation_model`) scores each sentence by its words and
its place; on fresh item sets about half its flags are false alarms (stance-items-26 … -28:
precision .53, .59, .50). A flagged sentence that is no reservation by the gold convention
("the text qualifies the position it takes: a condition, caveat or concern set against its
own stance"; docs/evaluation.md) is most often one of a few shapes, each named here by word
classes of English, never a consultation's vocabulary:

- ``concedes other side``: an opponent's contrast or concession that grants the proposal's
  good side ("However, the aim is a good one.", "I understand the intention, but …"): the
  sentence is positive while the writer opposes;
- ``status quo``: a concern about how things are now, the problem the proposal fixes
  ("At the moment the traffic is dreadful."), in a supporter's answer;
- ``another's view``: a third party's worry or objection ("some people say", "my neighbour
  worries", "I'm told"), not the writer's;
- ``goes further``: a supporter's wish for more of the same ("it should go further",
  "sooner", "extended to", "doesn't go far enough");
- ``condition is the proposal``: a supporter's condition that is the proposal's own aim,
  met by the proposal ("If it makes the roads safer, great.");
- ``future act``: the writer's own act conditioned on the proposal, a threat, promise or
  offer ("If it goes ahead we will write to our MP", "Happy to help if …");
- ``politeness hedge``: a note or small addition ("We would just note …", "One small
  point:");
- ``question back``: a question the writer asks.

:func:`mechanisms` names every shape a sentence shows; :func:`cue_features` gives them as
0/1 columns with the sentence's VADER polarity against the writer's read direction, for the
second look measured in ``benchmarks/reservation_stack.py``; ``benchmarks/reservation_fa_census.py``
counts them among the false alarms. Rationale and measurement: docs/stance.md "Session 28:
reservations" (measured, not shipped: the pipeline does not import this module).
"""

from __future__ import annotations

import re

from helpers.stance.sentiment import compound

__all__ = ["MECHANISMS", "N_CUES", "cue_features", "mechanisms"]

_OPPOSED = ("disagree", "strongly_disagree")
_SUPPORT = ("agree", "strongly_agree")
# A concession granted in so many words, or the clause a contrast word turns from.
_GRANT = re.compile(
    r"\b(?:admittedly|granted|of course|i accept|we accept|i understand|we understand|"
    r"i appreciate|we appreciate|i recognise|we recognise|i recognize|we recognize|i can see|"
    r"we can see|i see why|i get (?:it|why|that)|in principle|in theory|on paper)\b"
)
_TURN = re.compile(r"\b(?:but|however|though|yet|nevertheless|nonetheless|even so|that said)\b")
_OPEN_TURN = re.compile(r"^\W*(?:although|though|while|whilst|even though)\b([^,;:]*)")
_GOOD_SIDE = re.compile(
    r"\b(?:aim|aims|intention|intentions|intent|principle|idea|ambition|goal|objective|"
    r"motive|motives|spirit|sentiment|thinking behind|well[- ]meaning|well[- ]intentioned|"
    r"good|right|laudable|admirable|worthy|sensible|understandable|benefits?|merit|merits|"
    r"heart is in the right place)\b"
)
# How things are now: the problem, not the proposal.
_NOW = re.compile(
    r"\b(?:at the moment|at present|currently|right now|as things stand|as it stands|"
    r"at the minute|these days|nowadays|for (?:too long|years|decades|far too long)|"
    r"every (?:day|morning|evening|night|week)|the current|the present|the existing|"
    r"has been|have been|has become|have become|used to|already|at the minute|for ages)\b"
)
_FUTURE = re.compile(
    r"\b(?:will|would|could|might|may|should|won't|wouldn't|'ll|going to|risk|risks|"
    r"if|unless|until|when it|once it)\b"
)
_OTHERS = re.compile(
    r"\b(?:some|many|others|other people|people|they|he|she|critics|opponents|someone|"
    r"somebody|everyone|most|neighbours?|residents|colleagues|friends|parents)\b"
    r"(?:\s+\w+){0,3}?\s+(?:say|says|said|argue|argues|argued|claim|claims|think|thinks|"
    r"worry|worries|worried|feel|feels|fear|fears|object|objects|told|will say|would say|"
    r"complain|complains|reckon|reckons|are concerned|is concerned|raised)\b"
    r"|\b(?:according to|i'm told|i am told|i've been told|i've heard|we've heard|"
    r"we have heard|apparently|it has been said|it is said|concerns? (?:has|have) been raised)\b"
    r"|\b(?:my|our|his|her|their)\s+\w+\s+(?:says|said|worries|worried|thinks|thought|"
    r"feels|felt|fears|argues|claims|reckons)\b"
)
_FURTHER = re.compile(
    r"\b(?:go(?:es|ne)? further|further still|far enough|not enough of|more of (?:this|these|"
    r"them)|(?:much |even |a lot )?(?:sooner|earlier|faster|quicker)\b|extend(?:ed|ing)? "
    r"(?:it|this|them|to)|roll(?:ed|ing)? (?:it |this |them )?out|wider|more widely|"
    r"everywhere|only wish|i wish (?:it|they|this)|we wish|should (?:also|have been)|"
    r"make it permanent|more ambitious|be bolder|bolder)\b"
)
_CONDITION = re.compile(
    r"\b(?:if|as long as|so long as|provided|providing|assuming|so that|in order to)\b"
)
_GOOD_RESULT = re.compile(
    r"\b(?:great|good|brilliant|excellent|fantastic|welcome|all for it|i'm for it|"
    r"worth it|then yes|all the better|so much the better|wonderful|fine by me)\b"
)
_LIMIT = re.compile(r"\b(?:only|unless|provided|providing|as long as|so long as)\b")
_ACT = re.compile(
    r"\b(?:we will|we'll|i will|i'll|we shall|i shall|we would be happy|i'd be happy|"
    r"we'd be happy|happy to|glad to|willing to|we are ready|i am ready|we intend|i intend)\b"
)
_POSITION_VERB = re.compile(r"\b(?:support|agree|back|accept|oppose|object|in favour|disagree)\b")
_HEDGE = re.compile(
    r"\b(?:would (?:just |simply |only )?(?:like to )?(?:note|add|say|mention|point out|"
    r"observe|highlight|flag)|(?:just|simply) (?:to )?(?:note|add|say|flag|mention)|"
    r"one (?:small |minor |further )?(?:point|thing|comment|observation|suggestion)|"
    r"(?:a|one) (?:small|minor) (?:point|note|suggestion)|for what it's worth|just a thought|"
    r"we note|i note|we would note|it is worth noting|worth noting)\b"
)

MECHANISMS = (
    "another's view", "question back", "concedes other side", "status quo", "goes further",
    "condition is the proposal", "future act", "politeness hedge",
)  # fmt: skip
# cue_features: the eight shapes, the polarity, polarity against the read direction (two).
N_CUES = len(MECHANISMS) + 3


def _low(sentence: str) -> str:
    return sentence.lower().replace("’", "'")


def _direction(stance: str | None) -> int:
    return 1 if stance in _SUPPORT else -1 if stance in _OPPOSED else 0


def _conceded(low: str) -> str | None:
    """The clause a sentence concedes: what "although / while" opens, or what stands before
    "but / however"; None without a contrast or a grant."""
    m = _OPEN_TURN.search(low)
    if m is not None:
        return m.group(1)
    m = _TURN.search(low)
    if m is not None and m.start() > 0:
        return low[: m.start()]
    return low if _GRANT.search(low) else None


def _concedes(low: str, direction: int) -> bool:
    """An opponent's grant of the proposal's good side: a grant in words, or a conceded
    clause that is positive or names the aim."""
    if direction >= 0:
        return False
    part = _conceded(low)
    if part is None:
        return False
    return (_GRANT.search(part) is not None or _GOOD_SIDE.search(part) is not None
            or compound(part) >= 0.3)  # fmt: skip


def _shapes(low: str, polarity: float, direction: int) -> list[bool]:
    """The eight shapes of :data:`MECHANISMS` in a lower-cased sentence (see the module)."""
    cond = _CONDITION.search(low) is not None
    return [
        _OTHERS.search(low) is not None,
        "?" in low,
        _concedes(low, direction),
        direction > 0 and _NOW.search(low) is not None and _FUTURE.search(low) is None
        and polarity < 0,
        direction > 0 and _FURTHER.search(low) is not None,
        direction > 0 and cond and _GOOD_RESULT.search(low) is not None
        and _LIMIT.search(low) is None,
        cond and _ACT.search(low) is not None and _POSITION_VERB.search(low) is None,
        _HEDGE.search(low) is not None,
    ]  # fmt: skip


def mechanisms(sents: list[str], best: int, ev: int | None, stance: str | None) -> list[str]:
    """The shapes (:data:`MECHANISMS`, in order) sentence ``best`` of an answer shows, the
    writer's read ``stance`` giving the direction (``ev``, the stance sentence, unused: kept
    for the caller's symmetry with :func:`cue_features`)."""
    low = _low(sents[best])
    got = _shapes(low, compound(sents[best]), _direction(stance))
    return [m for m, g in zip(MECHANISMS, got, strict=True) if g]


def cue_features(sentence: str, stance: str | None) -> list[float]:
    """:data:`N_CUES` columns for one sentence: the eight shapes (0/1), its VADER polarity,
    and the polarity agreeing with / running against the writer's read direction (a
    supporter's negative sentence is the usual reservation, an opponent's positive one a
    concession)."""
    low = _low(sentence)
    polarity = compound(sentence)
    d = _direction(stance)
    shapes = [float(g) for g in _shapes(low, polarity, d)]
    return shapes + [polarity, max(0.0, d * polarity), max(0.0, -d * polarity)]
