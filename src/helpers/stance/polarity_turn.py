"""An answer's reading turned to the side its inverted verbs of opinion take (session 28).

``stance.polarity`` reads each verb of opinion with its negation and its object ("I can't
disagree with it": +1, "we agree with those who say it is a mistake": -1, "I'd support
scrapping it": -1, "I oppose keeping things as they are": +1). The rules read most such
sentences right already, so the reader decides only where (1) the sum of its hits' sides
over the answer takes a side, (2) at least one hit on that side is INVERTED (negated, or its
object is a critic, a claim, an act undoing the proposal or an alternative: the class the
rules read by the surface word), and (3) the reading before it found no position or the
opposite one (``MODE``). A stated middle is never overturned (``verdict.turned``).

Measured (docs/stance.md "Session 28"): over the census rows of all 27 spent item sets and
58 document sets the conditions hold in 6 answers: 4 fixed (stance-items-3, -4, -19, -23),
1 broken (-23: "To argue the other side for a moment: … Argued it; not convinced by it."),
1 wrong either way (gold no position); on synthetic answers from templates held out before
the reader was written, the readings right 27 → 68 of 70. The learned gate the session
planned (a logistic regression over the hits' features, leave-one-set-out) could not be
fitted on 6 candidates, so the conditions above are the rule.
"""

from __future__ import annotations

from helpers.core.consultation import Consultation
from helpers.stance.comparison import QuestionWords, question_words
from helpers.stance.polarity import hits
from helpers.stance.result import StanceResult
from helpers.stance.sentences import _sentence_at
from helpers.stance.verdict import reread, turned

__all__ = ["CONFIDENCE", "MODE", "by_polarity", "polarity_answers", "polarity_side"]

CONFIDENCE = 0.66  # a weak text reading, as ``verdict.CONFIDENCE`` (then the map)
# Which readings it overturns: the opposite side (4 fixed, 1 broken on the spent sets) and
# no position (none in the spent sets; 4 of the 70 held-out synthetic answers).
MODE: frozenset[str] = frozenset({"opposite", "none"})


def polarity_side(text: str) -> tuple[int, int, int] | None:
    """(side, start, end) of ``text``'s verbs of opinion when they take a side and at least
    one inverted hit takes it (the span is the last such hit's); else None."""
    hs = hits(text)
    total = sum(h.side for h in hs)
    side = (total > 0) - (total < 0)
    inverted = [h for h in hs if h.side == side and (h.negated or h.kind != "proposal")]
    if not side or not inverted:
        return None
    last = inverted[-1]
    return side, last.start, last.end


def by_polarity(
    text: str, spans: list[tuple[int, int]], r: StanceResult | None, words: QuestionWords
) -> StanceResult | None:
    """``r`` turned to the side of the answer's inverted verbs of opinion (``polarity_side``
    over its spans, each read on its own) when ``MODE`` allows; else ``r`` unchanged.
    ``words`` is unused (the shared ``verdict.reread`` signature)."""
    found = [(f, s0, e0) for s0, e0 in spans if (f := polarity_side(text[s0:e0]))]
    if not found or len({f[0] for f, _, _ in found}) > 1:
        return r
    (side, a, _), s0, e0 = found[-1]
    # The quoted span: the sentence around the hit (as the cue readers quote theirs).
    start, end = _sentence_at(text[s0:e0], a, 0, e0 - s0)
    return turned(text, s0, (side, start, end), r, MODE, CONFIDENCE)


def polarity_answers(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    consultation: Consultation,
) -> dict[tuple[str, str], StanceResult | None]:
    """Each (respondent, question)'s reading after ``by_polarity``, for the ``stances`` table
    (``stance.table``)."""
    words = {q.id: question_words(consultation, q.id) for q in consultation.closed_questions}
    return reread(read, texts, segments, words, by_polarity)
