"""The ``stances`` table: every closed answer read (in batches), tick boxes weighed.

:func:`stance_answers` makes one row per respondent × closed question from the
tick box and the text's stance (:func:`helpers.stance.infer.infer_stances`, a
batch of about ``STANCE_BATCH_CHARS`` characters at a time, with a progress bar
for large inputs). A closed question's rows are grouped in :mod:`helpers.stance.closed`;
the second readings (the gate, the learned layer) are in :mod:`helpers.stance.rereading`
(split off in session 21); :func:`stance_summary`, which counts the rows by question, is
in :mod:`helpers.stance.summary` (split off in session 22, re-exported here).
"""

from __future__ import annotations

import logging

import pandas as pd
from tqdm.auto import tqdm

from helpers.core import schemas
from helpers.core.blocks import respondent_blocks
from helpers.core.consultation import Consultation
from helpers.stance.calibration import calibrate_rows
from helpers.stance.closed import Closed as _Closed  # noqa: F401 (re-exported)
from helpers.stance.closed import closed_groups as _closed_groups
from helpers.stance.comparison import by_comparison, question_words
from helpers.stance.crossq import cross_questions
from helpers.stance.discourse import no_position, refine
from helpers.stance.implied import implied_letters, implied_rows
from helpers.stance.infer import infer_stances
from helpers.stance.placement import (
    PLACED_BY_CONTENT,
    gate_reading,
    letters_reading,
    structured_respondents,
)
from helpers.stance.polarity_turn import polarity_answers
from helpers.stance.rereading import gate_rows as _gate_rows
from helpers.stance.rereading import learned_layer as _learned_layer
from helpers.stance.reservations import add_reservations as _add_reservations
from helpers.stance.result import StanceResult, _placed
from helpers.stance.selfanswer import self_answers
from helpers.stance.shortform import short_form_answers
from helpers.stance.summary import LOW_CONFIDENCE, stance_summary  # noqa: F401 (re-exported)
from helpers.stance.tickbox import tick_box_stance
from helpers.stance.topic import about_something_else, topic_vocabulary
from helpers.stance.unstructured import unstructured_stances
from helpers.stance.verdict import closing_verdicts

log = logging.getLogger(__name__)


def _row(rid: str, qid: str, **kw) -> dict:
    row = {
        "respondent_id": rid,
        "question_id": qid,
        "stance": "not_answered",
        "score": None,
        "reservations": False,
        "confidence": 1.0,
        "evidence": None,
        "start": None,
        "end": None,
        "method": "none",
        "tick_box": None,
        "text_stance": None,
        "conflict": False,
        "reservation": None,
        "reservation_start": None,
        "reservation_end": None,
    }
    row.update(kw)
    return row


def _most_confident(
    text: str, spans: list[tuple[int, int]], results: list[StanceResult]
) -> StanceResult | None:
    """The most confident of the ``results`` read from ``text[s:e]`` for the ``spans``
    (blank segments skipped), with offsets into ``text``."""
    best: StanceResult | None = None
    for (s, e), r in zip(spans, results, strict=True):
        if not text[s:e].strip():
            continue
        # A segment that takes a position beats one that does not, whatever their confidence.
        rank = (r.stance != "not_answered", r.confidence)
        if best is None or rank > (best.stance != "not_answered", best.confidence):
            best = _placed(r, s) if s else r
    return best


STANCE_BATCH_CHARS = 1_000_000  # bounds the memory of one compiled pass
PROGRESS_MIN_CHARS = 5_000_000  # reading this much shows a progress bar
STANCE_WINDOW_CHARS = 20_000  # an answer longer than twice this is read at its two ends


def _bounded(text: str, spans: list[tuple[int, int]], where: str) -> list[tuple[int, int]]:
    """The spans stance reads: a very long segment is read at its opening and its close.

    Rationale: reading a cue weighs the whole sentence around it, so the work
    grows with the square of a sentence's length, and a hostile (or pasted)
    answer of a million characters in one "sentence" would stall a run for
    minutes. A respondent states a position on a closed question where an
    answer opens ("We agree…") or closes ("Overall, we oppose…"), so a segment
    longer than ``2 * STANCE_WINDOW_CHARS`` is read as its first and last
    ``STANCE_WINDOW_CHARS`` characters (cut at whitespace), two spans whose
    most confident stance is kept like any answer in several segments. Offsets
    stay offsets into the respondent's text; a warning names the answer.
    Ordinary answers (under 40,000 characters, about 15 pages) are untouched.
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if e - s <= 2 * STANCE_WINDOW_CHARS:
            out.append((s, e))
            continue
        head = text.rfind(" ", s, s + STANCE_WINDOW_CHARS)
        tail = text.find(" ", e - STANCE_WINDOW_CHARS, e)
        head = head if head > s else s + STANCE_WINDOW_CHARS
        tail = tail + 1 if tail != -1 else e - STANCE_WINDOW_CHARS
        out += [(s, head), (tail, e)]
        log.warning(
            "%s: answer of %s characters; its stance is read from its first and last %s",
            where,
            f"{e - s:,}",
            f"{STANCE_WINDOW_CHARS:,}",
        )
    return out


def _segment_stances(
    texts: dict[str, str], segments: dict[tuple[str, str], list[tuple[int, int]]]
) -> dict[tuple[str, str], StanceResult | None]:
    """The most confident stance of each (respondent, question)'s segments, read with
    :func:`infer_stances` a batch of about ``STANCE_BATCH_CHARS`` characters at a time."""
    out: dict[tuple[str, str], StanceResult | None] = {}
    keys: list[tuple[str, str]] = []
    pieces: list[str] = []
    size = 0
    total = sum(e - s for spans in segments.values() for s, e in spans)
    bar = tqdm(
        total=total, desc="Reading stances", unit="char", unit_scale=True,
        disable=None if total >= PROGRESS_MIN_CHARS else True,
    )  # fmt: skip

    def flush() -> None:
        # The fast reader's cues, then the whole answer weighed clause by clause.
        results = iter(refine(p, r) for p, r in zip(pieces, infer_stances(pieces), strict=True))
        for key in keys:
            spans = segments[key]
            out[key] = _most_confident(texts[key[0]], spans, [next(results) for _ in spans])
        bar.update(sum(map(len, pieces)))
        keys.clear()
        pieces.clear()

    with bar:
        for key, spans in segments.items():
            text = texts[key[0]]
            keys.append(key)
            for s, e in spans:
                pieces.append(text[s:e])
                size += e - s
            if size >= STANCE_BATCH_CHARS:
                flush()
                size = 0
        flush()
    return out


def _drop_other_topics(
    read: dict[tuple[str, str], StanceResult | None], consultation: Consultation
) -> dict[tuple[str, str], StanceResult | None]:
    """No position where the sentence that shows one is about something else
    (:mod:`helpers.stance.topic`: "I strongly disagree with the parking charges")."""
    vocab = {q.id: topic_vocabulary(consultation, q.id) for q in consultation.closed_questions}
    out = {}
    for (rid, qid), r in read.items():
        if r is not None and r.direction != 0 and about_something_else(r.evidence, vocab[qid]):
            log.debug("respondent %s, question %s: position about something else", rid, qid)
            r = None
        out[(rid, qid)] = r
    return out


def _compared(
    read: dict[tuple[str, str], StanceResult | None],
    texts: dict[str, str],
    segments: dict[tuple[str, str], list[tuple[int, int]]],
    consultation: Consultation,
) -> dict[tuple[str, str], StanceResult | None]:
    """Each reading with the side its comparisons take on the proposal (``stance.comparison``)."""
    words = {q.id: question_words(consultation, q.id) for q in consultation.closed_questions}
    out = {}
    for key, r in read.items():
        spans = segments.get(key, [])
        out[key] = r if r is None else by_comparison(texts[key[0]], spans, r, words[key[1]])
    return out


def _letter_stances(
    answers: pd.DataFrame,
    texts: dict[str, str],
    consultation: Consultation,
    structured: set[str],
    addressed: set[tuple[str, str]],
) -> dict[tuple[str, str], StanceResult]:
    """Stances read from each respondent's ``unstructured`` text (``stance.unstructured``):
    text no heading placed, or a letter's paragraphs placed under an open question by their
    content (a position there is about the proposal). In a letter (no heading-placed row,
    session 17) also the paragraphs the learned re-ranker moved, and those placed under a
    closed question: the letter's own placement, by what a position is about, can name
    another closed question than the paragraph's topic words did. ``addressed`` receives the
    (respondent, question) pairs whose position the learned reader gave (session 23)."""
    closed = tuple(consultation.closed_questions)
    letter = ~answers["respondent_id"].astype(str).isin(structured)
    how = answers["match_method"] if "match_method" in answers else pd.Series("", answers.index)
    placed = how.isin(PLACED_BY_CONTENT) | ((how == "learned") & letter)
    loose = answers[
        ((answers["question_id"] == schemas.UNSTRUCTURED) | placed)
        & (letter | ~answers["question_id"].isin([q.id for q in closed]))
        & schemas.substantive_answers(answers)
    ]
    out: dict[tuple[str, str], StanceResult] = {}
    second = gate_reading(consultation) if GATE and LETTER_GATE else None
    for rid, g in loose.groupby("respondent_id", sort=False):
        text = texts.get(str(rid))
        if not isinstance(text, str):
            continue
        spans = _bounded(text, list(zip(g["start"].astype(int), g["end"].astype(int), strict=True)),
                         f"respondent {rid}, unstructured text")  # fmt: skip
        filled: set[str] = set()
        for qid, r in unstructured_stances(text, spans, closed, second, filled).items():
            out[(str(rid), qid)] = r
        addressed.update((str(rid), qid) for qid in filled)
    return out


# Respondents read at a time (``core.blocks``): their texts as Python strings, their
# closed answers, readings and rows are held for one block, never the whole corpus.
# Measured (session 14, generated survey of 10,000 respondents): read all at once, the
# step added 0.1 GB above the 1.2 GB the process held (about 11 KB a respondent, so
# about 1 GB at 100,000 and 11 GB at 1,000,000).
BLOCK_RESPONDENTS = 5_000
# The ANSWERS columns a block's reading looks at (the rest are never copied into a block).
_COLUMNS = ("respondent_id", "question_id", "start", "end", "tick_box", "answer_text",
            "match_method", "substantive")  # fmt: skip


def stance_answers(
    answers: pd.DataFrame,
    respondents: pd.DataFrame,
    consultation: Consultation,
    block_respondents: int = BLOCK_RESPONDENTS,
) -> pd.DataFrame:
    """One STANCES_TABLE row per respondent × closed question (conformed), read a block of
    ``block_respondents`` respondents at a time (the same table whatever the block size:
    every reading is of one respondent's answers or text; see ``_stance_block``)."""
    closed = [q.id for q in consultation.closed_questions]
    if not closed or respondents.empty:
        return schemas.empty(schemas.STANCES_TABLE)
    answers = answers[[c for c in _COLUMNS if c in answers.columns]]
    respondents = respondents[["respondent_id", "text"]]
    parts = [
        _stance_block(a, r, consultation)
        for a, r in respondent_blocks(answers, respondents, block_respondents)
    ]
    if len(parts) == 1:
        return parts[0]
    return schemas.conform(pd.concat(parts, ignore_index=True), schemas.STANCES_TABLE)


def _stance_block(
    answers: pd.DataFrame, respondents: pd.DataFrame, consultation: Consultation
) -> pd.DataFrame:
    """One STANCES_TABLE row per respondent × closed question (conformed).

    - no answer (no segment, empty text, blank tick box) → ``not_answered``,
      score null, method ``none``;
    - a recognised tick box is taken as given (method ``tick_box``; "Don't
      know" is ``dont_know``, score null, and never in conflict); if the
      answer also has text, the text's stance is stored in ``text_stance``
      (method ``tick_box+text``) and ``conflict`` is True when the text, read
      from an explicit cue or an evaluative sentence, points the other way;
    - text only → the inferred stance (method ``text``); when every row of it is a
      letter's paragraph placed under the question by its content (``meaning``,
      ``paragraph``: no heading of the respondent's), method ``unstructured`` (the
      report marks it), the reading's confidence kept; when that paragraph takes no
      position but another of the letter's does, the letter's position
      (``stance.unstructured``, as for a letter no paragraph of which was placed here);
    - no answer to the question but ``unstructured`` text (a letter no heading
      placed) that takes a position on it → that stance, method
      ``unstructured``, lower confidence (``stance.unstructured``);
    - a non-answer ("No comment", ``answers.substantive == False``) is not read:
      ``not_answered`` unless a tick box was ticked, which is taken as given.
    """
    closed = [q.id for q in consultation.closed_questions]
    if not closed or respondents.empty:
        return schemas.empty(schemas.STANCES_TABLE)
    texts = dict(zip(respondents["respondent_id"].astype(str), respondents["text"], strict=True))
    has_tick = "tick_box" in answers.columns
    sub = answers[answers["question_id"].isin(closed)]
    structured = structured_respondents(answers, consultation)
    unheaded = set(texts) - structured  # respondents with no heading-placed row
    groups = _closed_groups(sub, has_tick, structured)
    segments = {}
    for rid, text in texts.items():
        for qid in closed:
            g = groups.get((rid, qid))
            if g is None or not g.spans:  # only substantive text is read for a stance
                continue
            if text is None or text is pd.NA:
                raise ValueError(f"respondents: respondent {rid!r} has no text; re-run ingest")
            segments[(rid, qid)] = _bounded(text, g.spans, f"respondent {rid}, question {qid}")
    read = _segment_stances(texts, segments)  # all answers read in batches
    read = _drop_other_topics(read, consultation)
    read = _compared(read, texts, segments, consultation)
    read = cross_questions(read, texts, segments, consultation)  # (session 21)
    read = closing_verdicts(read, texts, segments, consultation)  # "No to the plan." (s. 25)
    read = self_answers(read, texts, segments, consultation)  # "Am I against it? Yes." (s. 27)
    read = polarity_answers(read, texts, segments, consultation)  # "I can't disagree" (s. 28)
    read = short_form_answers(read, texts, segments, consultation)  # "SA", "SD." (s. 28)
    addressed: set[tuple[str, str]] = set()
    letters = _letter_stances(answers, texts, consultation, structured, addressed)
    rows: list[dict] = []
    for rid in texts:
        for qid in closed:
            g = groups.get((rid, qid))
            if g is None:
                r = letters.get((rid, qid))
                said = isinstance(texts[rid], str) and bool(texts[rid].strip())
                kind = "structured" if rid in structured else "letter"
                unfound = NOT_FOUND_CONFIDENCE[kind] if said else 1.0
                rows.append(_row(rid, qid, confidence=unfound) if r is None else _row(
                    rid, qid, stance=r.stance, score=r.score, reservations=r.reservations,
                    confidence=r.confidence, evidence=r.evidence, start=r.start, end=r.end,
                    method="unstructured", text_stance=r.stance,
                ))  # fmt: skip
                continue
            tick = g.tick
            r = read.get((rid, qid))
            lr = letters.get((rid, qid))
            # A reading the learned reader gave another question is not that question's own
            # position by the letter's placement (session 23: "So on balance ... I cannot
            # agree with closing the roads", given to the trial, made the road closures'
            # answer take the letter's opening line instead).
            others = [
                letters.get((rid, q)) for q in closed if q != qid and (rid, q) not in addressed
            ]
            by_reader = (rid, qid) in addressed
            if (
                not tick
                and g.by_content
                and letters_reading(r, lr, others, rid in unheaded, by_reader)
            ):
                rows.append(_row(
                    rid, qid, stance=lr.stance, score=lr.score, reservations=lr.reservations,
                    confidence=lr.confidence, evidence=lr.evidence, start=lr.start, end=lr.end,
                    method="unstructured", text_stance=lr.stance,
                ))  # fmt: skip
                continue
            tick_stance = tick_box_stance(tick) if tick else None
            if tick and tick_stance is None:
                log.warning(
                    "respondent %s, question %s: tick-box value %r not recognised; using the text instead",
                    rid,
                    qid,
                    tick,
                )
            if tick_stance and tick_stance != "not_answered":
                tick_dir = schemas.STANCE_SCORES.get(tick_stance)  # None for dont_know
                row = _row(
                    rid,
                    qid,
                    stance=tick_stance,
                    score=float(tick_dir) if tick_dir is not None else None,
                    confidence=1.0,
                    method="tick_box",
                    tick_box=tick,
                )
                if r is not None:
                    # "Don't know" has no direction for the text to contradict.
                    # "I agree with the aim, but ..." beside a Disagree tick is no conflict:
                    # the text is read as a whole (``discourse``) before comparing.
                    conflict = (
                        tick_dir is not None
                        and r.method in ("cue", "evaluative", "discourse")
                        and r.direction != 0
                        and (tick_dir > 0) - (tick_dir < 0) != r.direction
                    )
                    row.update(
                        method="tick_box+text",
                        text_stance=r.stance,
                        reservations=r.reservations,
                        evidence=r.evidence,
                        start=r.start,
                        end=r.end,
                        conflict=conflict,
                    )
                rows.append(row)
            elif r is not None:
                # A letter's paragraph placed under the question by its content, not by a
                # heading: marked as a letter's position (method unstructured, issue 13).
                # Its confidence stays the reading's: measured (session 10, ofsted-docs-9
                # and -12, transport-9 and -12, stance-items-9, all splits) such rows were
                # right 38 times in 43 (0.88) at a stated 0.87; times 0.7 they were
                # under-confident (stated 0.58, observed 0.75-0.90 per set).
                letter = g.by_content and not tick and r.stance != "not_answered"
                rows.append(
                    _row(
                        rid,
                        qid,
                        stance=r.stance,
                        score=r.score,
                        reservations=r.reservations,
                        confidence=r.confidence,
                        evidence=r.evidence,
                        start=r.start,
                        end=r.end,
                        method="unstructured" if letter else "text",
                        tick_box=tick,
                        text_stance=r.stance,
                    )
                )
            else:
                # "No view." / "Not sure.": not an answer, yet it says where they stand.
                said_text = " ".join(g.said)
                stated = no_position(said_text)
                if stated is not None and not tick:
                    rows.append(_row(rid, qid, stance=stated, confidence=0.85, method="text",
                                     text_stance=stated))  # fmt: skip
                else:
                    rows.append(_row(rid, qid, tick_box=tick))
    if LEARNED_LAYER:
        _learned_layer(rows, texts, segments, consultation)
    if GATE:
        _gate_rows(rows, texts, segments, consultation, GATE_MAX_CHARS)
    # A letter's question still without a position: read from the whole letter (session 25).
    implied_rows(rows, texts, implied_letters(answers, unheaded), consultation)
    _add_reservations(rows, texts, segments)
    calibrate_rows(rows)  # stated confidence = accuracy seen on unseen sets (session 22)
    n_text = sum(r["method"] == "text" for r in rows)
    log.info(
        "stances: %d rows (%d from text, %d conflicts)",
        len(rows),
        n_text,
        sum(r["conflict"] for r in rows),
    )
    return schemas.conform(pd.DataFrame(rows), schemas.STANCES_TABLE)


LEARNED_LAYER = False  # re-read text-only stances with ``stance.learned`` (docs/stance.md)
GATE = True  # a position read between the lines where the rules found none (``stance.gate``)
# Session 19: the gate also reads a letter's paragraphs that name one question alone and
# take no position by the rules' words (``stance.unstructured._second_reading``).
LETTER_GATE = True
# The gate reads answers up to one window long. It learned from answers of at most a few
# thousand characters; over a longer text its word counts average away any position
# (a 1 MB word salad read as agreement), and the rules already read such answers in
# two windows, so their "no position" stands.
GATE_MAX_CHARS = STANCE_WINDOW_CHARS
# "Not answered" where no answer to the question was found in a response that has text
# is a reading, not a blank (a blank the respondent left, a survey cell or an empty form
# box, stays at 1). Measured on the spent development sets (rules' rows, all splits):
# - a response with headings that placed other answers (a structured document): right
#   1 time in 33 — the answer was there under a heading that was missed;
# - a letter no heading placed (``unstructured``): right 33 times in 70 (session 5,
#   gate on, letters placed sentence by sentence): 33 / 52 on the item sets' letters,
#   which often leave a question alone, 0 / 18 on the document sets' letters, whose
#   gold has a stance wherever the letter takes one. Pooled, 0.47 (stated 0.45).
NOT_FOUND_CONFIDENCE = {"structured": 0.2, "letter": 0.45}
