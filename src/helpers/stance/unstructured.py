"""Stances from letters and e-mails that answer no question by heading (method ``unstructured``).

A respondent who writes a letter still takes positions: "I am in favour of
the road closures", "January is far too soon". When ingest could not place
such text under a question (it stays ``unstructured``), the closed
questions' stances are read from it here, so a clear supporter is not
missing from the question's table:

1. each paragraph is read like an answer (the fast reader, then
   :func:`helpers.stance.discourse.refine`); paragraphs that take no
   position are skipped;
2. a paragraph that takes a position addresses a closed question when it is
   the consultation's only closed question, or when the paragraph uses that
   question's distinctive words (words of its text, label, aliases or
   keywords found in no other closed question) and no other's;
3. a question's stance is its most confident paragraph's, with confidence
   times ``CONFIDENCE_FACTOR`` (the placement is inferred);
4. a question no paragraph took a position on gets a second reading (``second``,
   the learned no-position gate, session 19): the paragraphs that name it alone
   and in which the rules found no position, or only a sentiment, are read by it
   (``_second_reading``); a question still without one stays ``not_answered``.

Linear in the letter's length; nothing about any consultation is in code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from helpers.core.consultation import Question
from helpers.core.stemming import stem
from helpers.core.text import stopwords
from helpers.stance import addressing
from helpers.stance.discourse import refine
from helpers.stance.infer import infer_stances
from helpers.stance.result import StanceResult, _placed, _stance_result

CONFIDENCE_FACTOR = 0.7
_PARA_RE = re.compile(r"\S(?:.*?\S)??(?=\n\s*\n|\s*\Z)", re.S)
_WORD_RE = re.compile(r"[a-z][a-z'-]+")
_SENT_RE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)")


def _stopwords() -> frozenset[str]:
    """The package's stopwords (:func:`helpers.core.text.stopwords`). Before session 18 this
    read the file's words itself and took the words of its '#' comment lines too
    ("consultation", "responses", "never", "theme" ...)."""
    return stopwords()


def content_stems(text: str) -> set[str]:
    """The Porter stems of ``text``'s content words (stopwords and words under three
    letters left out): what a paragraph, a question or an answer is about."""
    stop = _stopwords()
    return {
        stem(w, "porter") for w in _WORD_RE.findall(text.lower()) if w not in stop and len(w) > 2
    }


@lru_cache(maxsize=8)
def _distinctive(questions: tuple[Question, ...]) -> list[set[str]]:
    """Each closed question's word stems that no other closed question uses."""
    own = _own_stems(questions)
    return [s - set().union(*(o for k, o in enumerate(own) if k != i)) for i, s in enumerate(own)]


@lru_cache(maxsize=8)
def _own_stems(questions: tuple[Question, ...]) -> list[set[str]]:
    """Each closed question's stems: of its text, label, aliases and keywords."""
    return [
        content_stems(" ".join([q.text, q.short or "", *q.aliases, *q.keywords])) for q in questions
    ]


def _hits(piece: str, words: list[set[str]]) -> list[int]:
    """The closed questions (indices) whose distinctive words ``piece`` uses."""
    stems = content_stems(piece)
    return [i for i, w in enumerate(words) if stems & w]


def _most_named(piece: str, words: list[set[str]]) -> int | None:
    """The closed question (index) whose distinctive words ``piece`` uses most, if it
    uses more of them than of any other question's ("opposed to using an experimental
    order": two of the trial's words, one of another question's)."""
    stems = content_stems(piece)
    counts = sorted(((len(stems & w), i) for i, w in enumerate(words)), reverse=True)
    if not counts or counts[0][0] == 0 or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0][1]


_OBJECT_END_RE = re.compile(
    r"[.,;:!?\n]|\b(?:because|although|though|but|as\s+long\s+as|provided|if|unless|while|since)\b"
)


# The verbs and phrases of position whose object says what a position is about.
_POSITION_WORD_RE = {
    1: re.compile(r"\b(?:support|supports|in\s+favou?r\s+of|agree\s+with|welcome|welcomes|endorse|"
                  r"endorses|back|backs)\b"),
    -1: re.compile(r"\b(?:oppose|opposes|object\s+to|objects\s+to|against|disagree\s+with|reject|"
                   r"rejects)\b"),
}  # fmt: skip


def _object_named(piece: str, r: StanceResult, words: list[set[str]]) -> int | None:
    """The closed question (index) that what the position is about names alone: the words
    right after the reading's own position words, to the end of their clause ("I strongly
    oppose introducing the new judgement as early as January 2023" is about the start date,
    whatever else the sentence names). Session 15: a sentence naming the consultation's
    subject ("care leavers") beside one question's own words was placed by the count of
    distinctive words, and the subject's words outnumbered the question's."""
    ends = [
        c.end
        for c in r.cues
        if c.direction == r.direction and c.direction and c.kind not in ("sentiment", "echo")
    ]
    if r.direction:
        ends += [m.end() for m in _POSITION_WORD_RE[r.direction].finditer(piece.lower())]
    for at in sorted(set(ends)):
        end = _OBJECT_END_RE.search(piece, at)
        hits = _hits(piece[at : end.start() if end else len(piece)], words)
        if len(hits) == 1:
            return hits[0]
    return None


def _keep(best: dict[str, StanceResult], qid: str, r: StanceResult) -> None:
    kept = best.get(qid)
    if kept is None or r.confidence > kept.confidence:
        best[qid] = r


def _by_sentence(
    text: str,
    paras: list[tuple[int, int]],
    questions: tuple[Question, ...],
    words: list[set[str]],
    best: dict[str, StanceResult],
) -> None:
    """Positions in paragraphs that name several closed questions, placed sentence by
    sentence: "I think the road closures are a good idea. I don't really know about the
    bus gate" gives each question its own sentence's stance. A sentence counts when it
    takes a position and names one question more than any other; a question a whole paragraph already
    answered keeps that answer (the paragraph's reading weighs its contrasts). A sentence
    is placed under the question whose distinctive words it uses most (``_most_named``).

    Session 21: a sentence that takes a position but names no question at all ("So no, I
    don't agree with it.", "We are strongly opposed to that timetable.") is about what the
    paragraph's sentences last named: it takes the question the nearest sentence before
    it, in the same paragraph, names most. Before, such a sentence was dropped and the
    question stayed ``not_answered``: of the spent item sets' letters with a gold position
    read as none, 46 had their position in a paragraph naming two questions, most often in
    a closing sentence of this kind. Only within a paragraph (a paragraph's opening names
    its own topic); a sentence naming any question keeps its own reading."""
    sents = [
        (k, a + m.start(), a + m.end())
        for k, (a, b) in enumerate(paras)
        for m in _SENT_RE.finditer(text[a:b])
    ]
    sents = [(k, a, b) for k, a, b in sents if text[a:b].strip()]
    pieces = [text[a:b] for _k, a, b in sents]
    read = [refine(p, r) for p, r in zip(pieces, infer_stances(pieces), strict=True)]
    found: dict[str, StanceResult] = {}
    topic: tuple[int, int | None] = (-1, None)  # (paragraph, question its sentences last named)
    for (k, a, _b), piece, r in zip(sents, pieces, read, strict=True):
        named = _most_named(piece, words)
        said = r.stance != "not_answered" and r.method != "sentiment"
        q = _object_named(piece, r, words) if said else None
        q = named if q is None else q
        if said and q is None and not _hits(piece, words) and topic[0] == k:
            q = topic[1]
        if named is not None:
            topic = (k, named)
        if said and q is not None and questions[q].id not in best:
            _keep(found, questions[q].id, _placed(r, a))
    best.update(found)


QUIET_MIN_WORDS = 2


def _named_alone(piece: str, words: list[set[str]]) -> int | None:
    """The one closed question (index) whose distinctive words ``piece`` uses, when it uses at
    least ``QUIET_MIN_WORDS`` of them and none of another's: a paragraph the second reading
    may read for that question. One shared word is too weak a sign that a paragraph with no
    position word is about the question ("the potholes on my road need fixing" names a road
    closure's "road" and is about something else)."""
    stems = content_stems(piece)
    named = [(len(stems & w), i) for i, w in enumerate(words) if stems & w]
    if len(named) != 1 or named[0][0] < QUIET_MIN_WORDS:
        return None
    return named[0][1]


# The directions the second reading gives (the learned gate reads agree or disagree only).
DIRECTIONS = {"agree": 1, "disagree": -1}
# A second reading of paragraphs the rules found no position in: given the paragraphs'
# texts and the index of the question each names, (stance, confidence, (start, end) of the
# evidence in the paragraph) or None for each. ``stance.table`` passes the learned gate's.
SecondReading = Callable[[list[str], list[int]], list[tuple[str, float, tuple[int, int]] | None]]


def _second_reading(
    text: str,
    quiet: dict[int, list[tuple[int, int]]],
    questions: tuple[Question, ...],
    second: SecondReading,
    best: dict[str, StanceResult],
) -> None:
    """Positions taken without a word of position in a letter's paragraph that names one
    question alone ("I like the new grade. Councils should help care leavers.", "Since the
    planters went in the children cross calmly"): the rules read none, so the question
    stayed ``not_answered`` though the letter plainly speaks to it. Each such paragraph of
    a question no paragraph took a position on is read by ``second`` (the learned gate
    that reads answers under a question the same way); the question takes the most
    confident reading when all its paragraphs' readings agree in direction (a letter
    whose paragraphs lean both ways is left alone). Session 19 (issue 13): a gold position
    read as no position was most often a letter whose paragraph named the question and
    read no position (89 of 177 item-set letters so read, stance-items 1-18)."""
    todo = [(k, a, b) for k, ps in quiet.items() if questions[k].id not in best for a, b in ps]
    if not todo:
        return
    got = second([text[a:b] for _, a, b in todo], [k for k, _, _ in todo])
    by_q: dict[int, list[tuple[float, str, int, int, int]]] = {}
    for (k, a, _b), g in zip(todo, got, strict=True):
        if g is not None:
            stance, conf, (ea, eb) = g
            by_q.setdefault(k, []).append((conf, stance, a, a + ea, a + eb))
    for k, reads in by_q.items():
        if len({DIRECTIONS[s] for _, s, _, _, _ in reads}) != 1:
            continue
        conf, stance, _a, ea, eb = max(reads)
        best[questions[k].id] = _stance_result(
            stance, float(DIRECTIONS[stance]), False, conf, text[ea:eb], ea, eb, "gate", ()
        )


def _addressed_positions(
    paras: list[tuple[int, int]],
    pieces: list[str],
    read: list[StanceResult],
    questions: tuple[Question, ...],
    words: list[set[str]],
    best: dict[str, StanceResult],
    whole: set[str],
) -> set[str]:
    """Session 23: a closed question the letter gave no position takes the position of the
    paragraph the learned reader (:mod:`stance.addressing`) says answers it. Before, a
    paragraph naming no closed question was dropped, and one naming another question's
    distinctive words went to that question only ("I think this new judgement is very good":
    the start date's "new"); a gold position read as ``not_answered`` is the largest class of
    letter-item errors (91 of 221 over stance-items 1-22). Off without the weights.
    First the verifier, when the weights carry one (the shipped weights do not): a position a whole paragraph gave a question by one word of it
    (``whole``; not the sentence pass's, nor the gate's) is dropped when the model says the
    letter does not give it that question ("I strongly agree with the parents who say
    Greenbank Primary needs a new head teacher" under the start date by its "new").
    Returns the questions so filled."""
    weights = addressing_weights()
    if weights is None:
        return set()
    stems_of = [content_stems(p) for p in pieces]
    named = [[i for i, w in enumerate(words) if s & w] for s in stems_of]
    own = _own_stems(questions)
    at = {i: best[q.id].start for i, q in enumerate(questions) if q.id in best}
    para_of = {
        i: next((k for k, (a, b) in enumerate(paras) if x is not None and a <= x < b), None)
        for i, x in at.items()
    }
    answered = set(para_of)
    if weights.get("verify"):  # measured, not in the shipped weights: no rows built without it
        checked = [(i, k) for i, k in para_of.items() if k is not None and questions[i].id in whole]
        rows = addressing.pair_rows(stems_of, read, named, own, checked, answered)
        stances = [best[questions[i].id].stance for i, _ in checked]
        for i in addressing.verify(rows, stances, weights):
            del best[questions[i].id]  # the letter does not answer it (session 23, the verifier)
    used = {k for k in para_of.values() if k is not None}
    rows = addressing.candidate_rows(stems_of, read, named, own, answered, used)
    got = addressing.assign(rows, read, weights)
    for q, k in got.items():
        best[questions[q].id] = _placed(read[k], paras[k][0])
    return {questions[q].id for q in got}


@lru_cache(maxsize=1)
def addressing_weights() -> dict | None:
    """The shipped weights of :mod:`stance.addressing` (None: the reader is off)."""
    return addressing.load_weights()


def unstructured_stances(
    text: str,
    spans: list[tuple[int, int]],
    questions: tuple[Question, ...],
    second: SecondReading | None = None,
    addressed: set[str] | None = None,
) -> dict[str, StanceResult]:
    """The stance each closed question gets from the unstructured ``text[s:e]`` spans
    (``second``: a reading of the paragraphs naming one question that the rules found no
    position in, ``_second_reading``). ``addressed``, when given, receives the questions
    whose position the learned reader gave (``_addressed_positions``).

    Offsets in the results are offsets into ``text``; method ``unstructured``.
    """
    if not questions:
        return {}
    paras = [(s + m.start(), s + m.end()) for s, e in spans for m in _PARA_RE.finditer(text[s:e])]
    pieces = [text[a:b] for a, b in paras]
    read = [refine(p, r) for p, r in zip(pieces, infer_stances(pieces), strict=True)]
    words = _distinctive(questions) if len(questions) > 1 else None
    best: dict[str, StanceResult] = {}
    mixed: list[tuple[int, int]] = []  # paragraphs that name several questions
    quiet: dict[int, list[tuple[int, int]]] = {}  # question -> paragraphs naming it alone
    alone = _distinctive(questions) if second is not None else None
    for (a, b), piece, r in zip(paras, pieces, read, strict=True):
        if r.stance == "not_answered" or r.method == "sentiment":
            k = _named_alone(piece, alone) if alone is not None else None
            if k is not None:
                quiet.setdefault(k, []).append((a, b))
            continue
        if words is None:
            q = questions[0]
        else:
            hits = _hits(piece, words)
            if len(hits) > 1:
                mixed.append((a, b))
            if len(hits) != 1:
                continue
            q = questions[hits[0]]
        _keep(best, q.id, _placed(r, a))
    whole = set(best)  # placed by a whole paragraph naming one question (the verifier's)
    if mixed:
        _by_sentence(text, mixed, questions, words or [], best)
    if quiet and second is not None:
        _second_reading(text, quiet, questions, second, best)
    if words is not None:
        filled = _addressed_positions(paras, pieces, read, questions, words, best, whole)
        if addressed is not None:
            addressed.update(filled)
    return {
        qid: _stance_result(
            r.stance,
            r.score,
            r.reservations,
            round(r.confidence * CONFIDENCE_FACTOR, 2),
            r.evidence,
            r.start,
            r.end,
            "unstructured",
            r.cues,
        )  # fmt: skip
        for qid, r in best.items()
    }
