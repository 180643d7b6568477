"""Step 4 of segmentation: the ANSWERS rows of one document, and ``segment_document``.

Text before the first heading is the ``preamble``; each heading's answer runs
to the next heading; a sign-off or contact block after the last answer is
``closing``; a document with no headings is read as a letter (``letters``:
paragraphs assigned to questions by content, the rest ``unstructured``), or,
when no paragraph clearly answers a question, is one ``unstructured`` answer.
Survey documents arrive segmented and are taken as given. A closed
question's tick-box lines are read into ``tick_box`` and cut from the answer
(``ticks``). Nothing is ever dropped from ``doc.text``, and
``doc.text[start:end] == answer_text`` for every row.
"""

from __future__ import annotations

import bisect
import logging
import re

import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation
from helpers.core.text import strip_span
from helpers.ingest.nonanswers import judged_kind, load_rule, restates_tick
from helpers.ingest.segment.assign import assign_headings, extend_labels, extend_wrapped
from helpers.ingest.segment.decimal import read_decimal
from helpers.ingest.segment.grouped import grouped_parts
from helpers.ingest.segment.headings import find_candidates, line_spans
from helpers.ingest.segment.letters import inner_answers, split_letter
from helpers.ingest.segment.notes import note_references, note_unmatched
from helpers.ingest.segment.parts import Part
from helpers.ingest.segment.profileend import profile_end
from helpers.ingest.segment.sections import split_sections
from helpers.ingest.segment.signature import signature_start
from helpers.ingest.segment.substantive import mark, two_language_non_answer
from helpers.ingest.segment.thresholds import STRONG
from helpers.ingest.segment.ticks import apply_ticks
from helpers.ingest.segment.transcript import read_transcript
from helpers.ingest.segment.twofold import two_question_parts

log = logging.getLogger(__name__)

_SIGN_OFF_RE = re.compile(
    r"^\W*(yours\s+(sincerely|faithfully|truly)|kind(est)?\s+regards|best\s+(regards|wishes)|"
    r"with\s+(best|kind|warm|warmest)\s+(regards|wishes)|"
    r"warm\s+regards|regards|many\s+thanks|with\s+thanks|thanks|thank\s+you|cheers|"
    r"all\s+the\s+best|best)\b",
    re.I,
)
_CLOSING_HEAD_RE = re.compile(
    r"^\W*(for\s+(further|more)\s+information|further\s+information|more\s+information|"
    r"contact(\s+details|\s+us|\s+information)?|enquiries|about\s+(us|the\s+author))\b",
    re.I,
)
_SENTENCE_END_RE = re.compile(r"[.!?][ \t]+(?=[A-Z])")
# ``\s*(?::\s*)?`` rather than ``\s*:?\s*``: the same matches, without
# backtracking quadratically over a long run of spaces after "tel".
_CONTACT_RE = re.compile(r"(please\s+contact|\b(tel|telephone|phone)\b\s*(?::\s*)?[\d+(])", re.I)
# An e-mail address, ``[\w.+-]+@[\w-]+\.[\w.]+``, is looked for from each "@"
# (``_has_email``): searched for as a whole, a long run of word characters with
# no "@" would be rescanned from every position in it.
_EMAIL_DOMAIN_RE = re.compile(r"[\w-]+\.[\w.]+")
_EMAIL_LOCAL_RE = re.compile(r"[\w.+-]")
# A sign-off has at most 6 words, a closing heading at most 8, a contact block
# at most 40: a position followed by more words on its line cannot start one.
_SIGN_OFF_WORDS, _CLOSING_HEAD_WORDS, _CONTACT_WORDS = 6, 8, 40
_WORD_RE = re.compile(r"\S+")
_MARKUP_RE = re.compile(r"[*_#]")


def _has_email(rest: str) -> bool:
    r"""Whether ``rest`` contains ``[\w.+-]+@[\w-]+\.[\w.]+``, in time linear in its length."""
    at = rest.find("@")
    while at != -1:
        if at > 0 and _EMAIL_LOCAL_RE.match(rest, at - 1) and _EMAIL_DOMAIN_RE.match(rest, at + 1):
            return True
        at = rest.find("@", at + 1)
    return False


def _word_starts(text: str, ls: int, le: int) -> list[int]:
    """Starts of the words of text[ls:le] that are words once markup is removed.

    ``rest.split()`` after removing ``*_#`` counts exactly these: removing
    markup never joins two words, but empties a word made only of markup.
    """
    return [m.start() for m in _WORD_RE.finditer(text, ls, le) if m.group().strip("*_#")]


def _closing_start(text: str, s: int, e: int) -> int | None:
    """Start of a sign-off or contact block within text[s:e] (the last answer), if any.

    Looked for at the start of every line but the answer's first, and after a
    sentence end within a line (PDF text joins lines into paragraphs).

    Linear in the answer's length: the words after each position are counted
    from the line's word starts (a bisection), and a position followed by
    more words on its line than a sign-off (6), closing heading (8) or
    contact block (40, only at a line start) can have is not examined, so
    the rest of a long line is not copied and searched once per sentence in
    it. The result is the same as examining every position.
    """
    starts: list[tuple[int, int, bool]] = []  # (start, line end, at a line start)
    for i, (ls, le) in enumerate(line_spans(text[s:e])):
        ls, le = ls + s, le + s
        words = _word_starts(text, ls, le)
        if i > 0 and len(words) <= _CONTACT_WORDS:
            starts.append((ls, le, True))
        # Sentence ends among the last few words only: earlier ones have too many after them.
        tail = len(words) - _CLOSING_HEAD_WORDS
        # A sentence end's punctuation ends the word before the one it opens.
        from_pos = words[tail - 1] if tail > 0 else ls
        for m in _SENTENCE_END_RE.finditer(text, from_pos, le):
            n_after = len(words) - bisect.bisect_left(words, m.end())
            if n_after <= _CLOSING_HEAD_WORDS:
                starts.append((m.end(), le, False))
    for pos, le, at_line_start in sorted(starts):
        rest = _MARKUP_RE.sub("", text[pos:le]).strip()
        words = len(rest.split())
        if _SIGN_OFF_RE.match(rest) and words <= _SIGN_OFF_WORDS:
            return pos
        if _CLOSING_HEAD_RE.match(rest) and words <= _CLOSING_HEAD_WORDS:
            return pos
        if (
            at_line_start
            and words <= _CONTACT_WORDS
            and (_CONTACT_RE.search(rest) or _has_email(rest))
        ):
            return pos
    return None


def _row(
    doc: schemas.Document,
    qid: str,
    qnum,
    s: int,
    e: int,
    method: str,
    score: float,
    heading: tuple[str, int] | None = None,
    tick_box=None,
    warnings=(),
) -> dict:
    s, e = strip_span(doc.text, s, e)
    return {
        "respondent_id": doc.respondent_id,
        "question_id": qid,
        "question_number": qnum,
        "start": s,
        "end": e,
        "answer_text": doc.text[s:e],
        "heading_text": heading[0] if heading else None,
        "heading_start": heading[1] if heading else None,
        "match_method": method,
        "match_score": float(score),
        "tick_box": tick_box,
        "warning": "; ".join(warnings) if warnings else None,
    }


def survey_answer_rows(doc: schemas.Document, consultation: Consultation) -> list[dict]:
    """ANSWERS rows (as dicts) of a survey row: its ``survey_answers`` taken as given.

    One row per mapped question, in document order, including the questions
    the respondent left blank (empty text, no tick box): an empty answer is
    still an answer row, so every respondent of an export has every question.
    """
    numbers = {q.id: q.number for q in consultation.questions}
    kinds = {q.id: q.kind for q in consultation.questions}
    rule = load_rule()
    rows = []
    for qid, (s, e, tick) in sorted(doc.survey_answers.items(), key=lambda kv: kv[1][:2]):
        if qid not in numbers:
            raise ValueError(
                f"{doc.source_file}: survey answer for unknown question {qid!r}; "
                f"known: {consultation.question_ids}"
            )
        row = _row(doc, qid, numbers[qid], s, e, "survey_column", 1.0, tick_box=tick)
        kind = judged_kind(kinds[qid], tick)  # beside a tick, the text only explains it
        row["substantive"] = restates_tick(row["answer_text"], tick) or not (
            rule.is_non_answer(row["answer_text"], kind)
            or two_language_non_answer(row["answer_text"], kind)
        )
        rows.append(row)
    return rows


def _split_inner(
    doc: schemas.Document, rows: list[dict], consultation: Consultation, headed: set[int]
) -> list[dict]:
    """Split an answer where a paragraph in it names a question with no heading (``letters``)."""
    out: list[dict] = []
    for r in rows:
        qid = r["question_id"]
        splits = (
            []
            if qid in schemas.SPECIAL_QUESTION_IDS
            else inner_answers(doc.text, r["start"], r["end"], consultation.questions, headed)
        )
        if not splits:
            out.append(r)
            continue
        heading = (r["heading_text"], r["heading_start"]) if r["heading_text"] else None
        w = [r["warning"]] if r["warning"] else []
        out.append(
            _row(
                doc,
                qid,
                r["question_number"],
                r["start"],
                splits[0][0],
                r["match_method"],
                r["match_score"],
                heading=heading,
                warnings=w,
            )
        )
        for n, (s, qi, reason) in enumerate(splits):
            q = consultation.questions[qi]
            e = splits[n + 1][0] if n + 1 < len(splits) else r["end"]
            w = [f"assigned by content: check ({reason}, inside the answer to {qid})"]
            out.append(_row(doc, q.id, q.number, s, e, "paragraph", 1.0, warnings=w))
    return out


_OWN_WORDS = ("text", "order", "section")  # headings that may join two questions (``twofold``)


def _split_joined(
    doc: schemas.Document, rows: list[dict], consultation: Consultation, grouped: bool
) -> list[dict]:
    """Split each answer whose heading covers several questions into one row per question.

    With ``grouped``, a heading that names several question numbers ("Q1-Q3:",
    ``grouped``); else an own-words heading joining two questions
    (``twofold``). The first part keeps the heading; a part for another
    question becomes a ``paragraph`` row with a warning to check it.
    """
    questions = consultation.questions
    index = {q.id: j for j, q in enumerate(questions)}
    answered = {index[r["question_id"]] for r in rows if r["question_id"] in index}
    says = "names several questions" if grouped else "covers two questions"
    out: list[dict] = []
    for r in rows:
        j, head, s0, e0 = index.get(r["question_id"]), r["heading_text"], r["start"], r["end"]
        parts = []
        if j is not None and head:
            if grouped:
                parts = grouped_parts(doc.text, s0, e0, head, questions, answered)
                parts = parts if parts and parts[0][1] == j else []  # the first: the heading's own
            elif r["match_method"] in _OWN_WORDS:
                parts = two_question_parts(doc.text, s0, e0, head, j, questions, answered - {j})
        if not parts:
            out.append(r)
            continue
        for n, (s, k) in enumerate(parts):
            e = parts[n + 1][0] if n + 1 < len(parts) else e0
            q = questions[k]
            if n == 0 and k == j:
                w = [r["warning"]] if r["warning"] else []
            else:
                w = [f"heading {head!r} {says}: check {q.label}"]
            heading = (head, r["heading_start"]) if n == 0 else None
            method = r["match_method"] if k == j else "paragraph"
            out.append(
                _row(doc, q.id, q.number, s, e, method, r["match_score"], heading, warnings=w)
            )
            if not grouped:  # an own-words part answers its question for the headings after
                answered.add(k)
    return out


class AnswerRows(list):
    """One document's ANSWERS rows as dicts, before ``substantive`` is marked and dtypes cast.

    Why: making, marking and conforming a pandas frame costs a few
    milliseconds whatever its size, more than reading a short document, so
    ``run_ingest`` makes the rows of all its documents into one frame
    (``answers_frame``) instead of one per document. Every column but
    ``substantive`` is there; a list, so a document's rows can be read
    before the frame exists.
    """


def segment_document(doc: schemas.Document, consultation: Consultation) -> pd.DataFrame:
    """ANSWERS rows for one document, in document order.

    For every row ``doc.text[start:end] == answer_text`` and the span has no
    surrounding whitespace. Survey rows (``doc.survey_answers``) are taken as
    given; free text is segmented by heading detection (module docstring).
    """
    if doc.survey_answers is not None:
        return answers_frame(survey_answer_rows(doc, consultation), consultation)
    return answers_frame(segment_rows(doc, consultation), consultation)


def segment_rows(doc: schemas.Document, consultation: Consultation) -> AnswerRows:
    """``segment_document``'s rows for a free-text document, not yet made a frame.

    ``answers_frame`` of the rows of one or many documents equals
    ``segment_document`` of each, concatenated (every step it adds reads one row at a time).
    """
    return AnswerRows(_segment_rows(doc, consultation))


def _segment_rows(doc: schemas.Document, consultation: Consultation) -> list[dict]:
    text = doc.text
    questions = consultation.questions
    cands = find_candidates(text, list(doc.cues or []), questions)
    headings = assign_headings(text, cands, questions)
    headings = extend_wrapped(text, headings, questions)
    extend_labels(text, headings)
    # Structures that are not heading lines (session 19): an interview's speaker turns, and
    # a letter's numbered paragraphs ("2.1") where no heading is clearly a question's.
    parts = read_transcript(text, questions)
    if parts is None and not any(h.score >= STRONG for h in headings):
        parts = read_decimal(text, questions)
    if parts:
        rows = _part_rows(doc, consultation, parts)
        note_references(text, rows, questions)
        apply_ticks(text, rows, {q.id for q in questions if q.kind == "closed"})
        return rows
    rows: list[dict] = []
    if not headings and (pieces := split_letter(text, questions)):
        # A letter: paragraphs assigned to questions by content (``letters``).
        for p in pieces:
            if p.question_id is not None:
                q = consultation.question(p.question_id)
                w = [f"assigned by content: check ({p.reason})"]
                rows.append(
                    _row(doc, q.id, q.number, p.start, p.end, "paragraph", p.score, warnings=w)
                )
            elif p.closing:
                rows.append(_row(doc, schemas.CLOSING, None, p.start, p.end, "closing", 1.0))
            else:
                w = ["no question named clearly: kept as unstructured"]
                rows.append(
                    _row(
                        doc,
                        schemas.UNSTRUCTURED,
                        None,
                        p.start,
                        p.end,
                        "unstructured",
                        0.0,
                        warnings=w,
                    )
                )
        apply_ticks(text, rows, {q.id for q in questions if q.kind == "closed"})
        return rows
    # No heading found, or only sentences cut at a colon while the document's
    # own heading-shaped lines name no question: read it as sections.
    shaped = any(h.cand.shape is not None or h.cand.numbering is not None for h in headings)
    if not shaped and (sections := split_sections(text, cands, questions)):
        rows = _section_rows(doc, consultation, sections)
        rows = _split_joined(doc, rows, consultation, grouped=False)
        note_references(text, rows, questions)
        apply_ticks(text, rows, {q.id for q in questions if q.kind == "closed"})
        return rows
    if not headings:
        w = ["no question headings found: whole response kept as unstructured"]
        log.warning("%s: %s", doc.source_file, w[0])
        rows.append(
            _row(doc, schemas.UNSTRUCTURED, None, 0, len(text), "unstructured", 0.0, warnings=w)
        )
        note_unmatched(text, cands, headings, rows, doc.source_file)
        note_references(text, rows, questions)
        return rows
    first = headings[0].cand.start
    if text[:first].strip():
        rows.append(_row(doc, schemas.PREAMBLE, None, 0, first, "preamble", 1.0))
    for i, h in enumerate(headings):
        c, q = h.cand, questions[h.qindex]
        body_end = headings[i + 1].cand.start if i + 1 < len(headings) else len(text)
        closing = None
        if i + 1 == len(headings):
            closing = _closing_start(text, c.end, body_end)
            if closing is None:  # no "Yours sincerely": a bare name-and-role block
                closing = signature_start(text, c.end, body_end)
            else:  # a name-and-role block just above an e-mail or contact line
                closing = signature_start(text, c.end, closing) or closing
            if closing is not None:
                body_end = closing
        warnings = list(h.warnings)
        if not text[c.end : body_end].strip():
            warnings.append(f"heading for {q.label} has no answer text")
        hs, he = strip_span(text, c.start, c.end)
        cut = profile_end(cands, h, q, c.end, body_end)
        rows.append(
            _row(
                doc,
                q.id,
                q.number,
                c.end,
                body_end if cut is None else cut,
                h.method,
                round(h.score, 3),
                heading=(text[hs:he], hs),
                warnings=warnings,
            )
        )
        if cut is not None:  # the profile answer ends at the next heading of its look
            w = ["own heading after the profile answer names no question: kept as unstructured"]
            rows.append(
                _row(
                    doc, schemas.UNSTRUCTURED, None, cut, body_end, "unstructured", 0.0, warnings=w
                )
            )
        if closing is not None:
            rows.append(_row(doc, schemas.CLOSING, None, closing, len(text), "closing", 1.0))
    rows = _split_joined(doc, rows, consultation, grouped=True)
    rows = _split_inner(doc, rows, consultation, {h.qindex for h in headings})
    rows = _split_joined(doc, rows, consultation, grouped=False)
    note_unmatched(text, cands, headings, rows, doc.source_file)
    note_references(text, rows, questions)
    apply_ticks(text, rows, {q.id for q in questions if q.kind == "closed"})  # form tick boxes
    for r in rows:
        if r["warning"]:
            log.info("%s: %s: %s", doc.source_file, r["question_id"], r["warning"])
    return rows


_PART_KINDS = {"preamble": schemas.PREAMBLE, "closing": schemas.CLOSING}
_PART_WARNINGS = {
    "text": "asked in an interview turn: check it is {}",
    "section": "assigned by its numbered paragraphs and their words: check it is {}",
}


def _part_rows(doc: schemas.Document, consultation: Consultation, parts: list[Part]) -> list[dict]:
    """Rows for a document a structure reader cut into parts (``transcript``, ``decimal``).

    A sign-off at the end of the last answer is the closing, as after a last heading.
    """
    text, rows = doc.text, []
    last = max((k for k, p in enumerate(parts) if isinstance(p.question, int)), default=-1)
    for k, p in enumerate(parts):
        if not isinstance(p.question, int):
            qid = _PART_KINDS.get(p.question, schemas.UNSTRUCTURED)
            w = (
                []
                if qid != schemas.UNSTRUCTURED
                else ["no question named clearly: kept as unstructured"]
            )
            rows.append(_row(doc, qid, None, p.start, p.end, p.method, p.score, warnings=w))
            continue
        q = consultation.questions[p.question]
        end, closing = p.end, None
        if k == last:
            closing = _closing_start(text, p.start, end) or signature_start(text, p.start, end)
            end = closing if closing is not None else end
        head = None
        if p.head is not None:
            hs, he = strip_span(text, *p.head)
            head = (text[hs:he], hs)
        w = [_PART_WARNINGS[p.method].format(q.label)] if p.method in _PART_WARNINGS else []
        rows.append(_row(doc, q.id, q.number, p.start, end, p.method, p.score, head, warnings=w))
        if closing is not None:
            rows.append(_row(doc, schemas.CLOSING, None, closing, p.end, "closing", 1.0))
    return [r for r in rows if r["end"] > r["start"] or r["heading_text"]]


def _section_rows(doc: schemas.Document, consultation: Consultation, sections: list) -> list[dict]:
    """Rows for a document read as sections under the respondent's own headings (``sections``).

    Text before the first section is the preamble; a section naming no
    question is kept ``unstructured`` (heading included) with a warning; a
    sign-off in the last section is the closing.
    """
    text, rows = doc.text, []
    if text[: sections[0].head_start].strip():
        rows.append(_row(doc, schemas.PREAMBLE, None, 0, sections[0].head_start, "preamble", 1.0))
    for k, sec in enumerate(sections):
        end = sec.end
        closing = None
        if k + 1 == len(sections):
            closing = _closing_start(text, sec.start, end)
            if closing is None and sec.question_index is not None:
                closing = signature_start(text, sec.start, end)
            if closing is not None:
                end = closing
        hs, he = strip_span(text, sec.head_start, sec.head_end)
        if sec.question_index is None:
            w = [
                f'unmatched heading: "{text[hs:he]}"; no question named clearly: kept as unstructured'
            ]
            rows.append(
                _row(doc, schemas.UNSTRUCTURED, None, hs, end, "unstructured", 0.0, warnings=w)
            )
        else:
            q = consultation.questions[sec.question_index]
            w = [f"assigned by its own heading and first sentences: check it is {q.label}"]
            rows.append(
                _row(
                    doc,
                    q.id,
                    q.number,
                    sec.start,
                    end,
                    "section",
                    round(min(sec.score / 10, 1.0), 3),
                    heading=(text[hs:he], hs),
                    warnings=w,
                )
            )
        if closing is not None:
            rows.append(_row(doc, schemas.CLOSING, None, closing, len(text), "closing", 1.0))
    for r in rows:
        if r["warning"]:
            log.info("%s: %s: %s", doc.source_file, r["question_id"], r["warning"])
    return [r for r in rows if r["end"] > r["start"] or r["heading_text"]]


def answers_frame(rows: list[dict], consultation: Consultation) -> pd.DataFrame:
    """The rows (of one document or many) as ANSWERS, each marked substantive or not
    (``nonanswers``). Each row is judged on its own, so one frame for a run's documents
    equals one frame per document, concatenated."""
    cols = [c for c in schemas.ANSWERS.names if c != "substantive"]
    return schemas.conform(mark(pd.DataFrame(rows, columns=cols), consultation), schemas.ANSWERS)


def run_frames(
    chunks: list[pd.DataFrame | AnswerRows], consultation: Consultation
) -> list[pd.DataFrame]:
    """A run's answers as frames, in order: each run of documents' rows made one frame.

    ``chunks`` are survey files' frames and documents' ``AnswerRows`` in the
    order they were read. Why: a frame per document (made, marked
    substantive and cast to the schema) cost more than reading the document
    (issue 15 item 4, benchmarks/README.md); rows are judged one at a time,
    so one frame for many documents holds the same rows and values.
    """
    out: list[pd.DataFrame] = []
    rows: list[dict] | None = None  # documents' rows since the last survey frame, if any
    for chunk in chunks:
        if isinstance(chunk, AnswerRows):
            rows = [] if rows is None else rows
            rows.extend(chunk)
            continue
        if rows is not None:  # even none: a document with no rows still gave a frame
            out.append(answers_frame(rows, consultation))
            rows = None
        out.append(chunk)
    if rows is not None:
        out.append(answers_frame(rows, consultation))
    return out
