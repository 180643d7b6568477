"""One answer, positions on two questions: "Bus gate yes, filters no." under the filters question.

Session 21 (issue 13): stance-items-20's ``cross_question`` items were wrong in 6 of 14. A
respondent answering one closed question often says where they stand on another in the same
breath, and the reader, which does not know what each part is about, took the louder or the
first part: "Agree with the proposal, disagree with the timing." (timing question, read agree),
"Bus gate yes, filters no." and "I'd happily see the bus gate scrapped. The filters, though,
I'd fight for." (filters question, read the bus gate's side), "The planters I can live with.
The bus gate I can't." (bus gate question, read the planters' side), "Yes to the judgement. As
for the date, no strong feelings." (date question, read agree).

The rule reads what each part is about with the questions' own words (``comparison.
question_words``: each closed question's text, label, aliases and keywords), keeping only the
words no other closed question uses and that do not name the proposal as a whole ("scheme",
"proposal", ``proposal_references`` and ``topic_generic``: "we cannot support the scheme" is
about every question). The answer is cut into sentences, and a sentence that names a question
is cut again at its commas, semicolons, dashes and "but / though / however / yet" when it names
two questions or at least two of its pieces take a side of their own. When the reading's
evidence overlaps a part naming only another question, and the parts naming the answered
question alone take one side (or say they take none) that differs from the reading, those
parts decide, as a weak reading (``CONFIDENCE``, never strong: a part read out of its answer
loses its hedges). Anything else is left as read.

Measured (session 21, answer and form items of stance-items 1-20, gold answers of every spent
document set): one direction fixed ("Bus gate yes, filters no."), none broken. A looser version
that also let a part naming the answered question overrule evidence naming no question fixed 7
and broke 22 (a part read alone loses its sarcasm, conditions and summing-up), so was dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from helpers.core.consultation import Consultation
from helpers.core.text import strip_span
from helpers.stance.comparison import QuestionWords, _names, question_words
from helpers.stance.discourse import refine
from helpers.stance.infer import infer_stance
from helpers.stance.lexicon import entries
from helpers.stance.naming import namer
from helpers.stance.result import StanceResult, _placed, _stance_result
from helpers.stance.unstructured import content_stems

__all__ = ["CONFIDENCE", "by_question", "cross_questions", "distinctive", "parts"]

CONFIDENCE = 0.6
_WEAK = {"strongly_agree": "agree", "strongly_disagree": "disagree"}
_SCORE = {"agree": 1.0, "disagree": -1.0}
_DIRECTION = {"strongly_agree": 1, "agree": 1, "disagree": -1, "strongly_disagree": -1}
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_CUT_RE = re.compile(r"[,;:–—]\s*|\s+-\s+|\b(?:but|though|however|yet)\b")


def distinctive(words: dict[str, QuestionWords]) -> dict[str, frozenset[str]]:
    """Each question's own words that no other closed question uses ("filter", "planter" for
    the filters; "bus", "gate" for the bus gate; "street", in both, for neither)."""
    out = {}
    general = _general()
    for q, (name, own) in words.items():
        others = set().union(*(n | o for k, (n, o) in words.items() if k != q))
        out[q] = frozenset((name | own) - others - general)
    return out


@lru_cache(maxsize=1)
def _general() -> frozenset[str]:
    """Words that name the proposal as a whole or any consultation ("the scheme", "the
    proposals", "council"): ``proposal_references`` and ``topic_generic`` of the lexicon."""
    lex = [*entries("proposal_references"), *entries("topic_generic")]
    return frozenset(content_stems(" ".join(lex)))


def _named(piece: str, words: dict[str, frozenset[str]]) -> set[str]:
    """The questions whose distinctive words ``piece`` names: ``naming.Namer``'s answer,
    the same set as ``_named_by_stems`` with each distinct word tested once (session 24,
    speed only)."""
    return namer(words).named(piece)


def _named_by_stems(piece: str, words: dict[str, frozenset[str]]) -> set[str]:
    """``_named`` stem by stem, every question tested for every piece (session 22's way;
    kept as the reference ``tests/test_scale_session24.py`` compares the Namer with)."""
    if not any(words.values()):
        return set()
    stems = content_stems(piece)  # once for every question (session 22: speed only)
    return {q for q, own in words.items() if own and _names(piece, own, stems)}


def _side(piece: str) -> str | None:
    """The stance the rules read in ``piece`` alone, or None (no position, or sentiment only)."""
    x = refine(piece, infer_stance(piece))
    return None if x.stance == "not_answered" or x.method == "sentiment" else x.stance


def parts(text: str, words: dict[str, frozenset[str]]) -> list[tuple[int, int, set[str]]]:
    """(start, end, questions named) of each part of ``text``: its sentences, and a sentence
    that names a question cut at its commas and contrasts, when it names two, or when at
    least two of its pieces take a side of their own ("Agree with the proposal, disagree
    with the timing.")."""
    out = []
    names = namer(words).named  # once per call, not per piece (same as ``_named``)
    for m in _SENTENCE_RE.finditer(text):
        named = names(m.group())
        pieces, at = [], m.start()
        if named:
            for c in [*_CUT_RE.finditer(text, m.start(), m.end()), None]:
                end = c.start() if c is not None else m.end()
                if text[at:end].strip():
                    pieces.append((at, end, names(text[at:end])))
                at = c.end() if c is not None else m.end()
        if len(pieces) > 1 and (
            len(named) > 1 or sum(_side(text[a:b]) is not None for a, b, _ in pieces) > 1
        ):
            out.extend(pieces)
        else:
            out.append((m.start(), m.end(), named))
    return out


def by_question(text: str, r: StanceResult, qid: str, words: dict[str, QuestionWords]
                ) -> StanceResult:  # fmt: skip
    """``r`` (the reading of ``text`` for question ``qid``) read again from the parts naming
    ``qid`` alone, when its evidence is in a part naming only another question."""
    if r.start is None or len(words) < 2 or qid not in words:
        return r
    cut = parts(text, distinctive(words))
    end = r.end if r.end is not None else r.start + 1
    about = [named for a, b, named in cut if a < end and r.start < b]
    if not any(named and qid not in named for named in about):
        return r  # the evidence names no other question: read as it stands
    mine = [(a, b) for a, b, named in cut if named == {qid}]
    if not mine:
        return r
    reads = [(a, b, refine(text[a:b], infer_stance(text[a:b]))) for a, b in mine]
    sides = {
        x.stance for _, _, x in reads if x.stance != "not_answered" and x.method != "sentiment"
    }
    if len(sides) != 1:
        return r
    stance = sides.pop()
    if _DIRECTION.get(stance, 0) == r.direction:
        return r  # the parts about the question agree with the reading
    a, b, x = next(p for p in reads if p[2].stance == stance)
    # Weak: a part read out of its answer loses its hedges ("on the whole ... seems justified").
    stance = _WEAK.get(stance, stance)
    a, b = strip_span(text, a, b)
    return _stance_result(stance, _SCORE.get(stance, x.score), r.reservations, CONFIDENCE, text[a:b], a, b,
                          r.method, r.cues)  # fmt: skip


def cross_questions(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    consultation: Consultation,
) -> dict[tuple[str, str], StanceResult | None]:
    """Each reading whose evidence is about another closed question read again from the
    parts about its own ("Bus gate yes, filters no.")."""
    closed = consultation.closed_questions
    if len(closed) < 2:
        return read
    words = {q.id: question_words(consultation, q.id) for q in closed}
    out = {}
    for key, r in read.items():
        span = None
        if r is not None and r.start is not None and r.direction != 0:
            span = next(((s, e) for s, e in segments.get(key, []) if s <= r.start < e), None)
        if span is None:
            out[key] = r
            continue
        s, e = span
        again = by_question(texts[key[0]][s:e], _placed(r, -s), key[1], words)
        out[key] = r if again.evidence == r.evidence else _placed(again, s)
    return out
