"""One document-level assignment of the respondent's own headed sections to questions.

Headings in the respondent's own words ("Trying it out first", "What we'd
like to see", "Where it hurts our drivers") name no question, so heading
rules place them by position (method ``order``), leave them ``unstructured``
or swallow the first one into the preamble, and every later heading then
shifts by one question. What such a section answers is usually clear from its
heading *and* its body taken together, and from the other sections of the
same document: two sections rarely answer one question.

This pass runs once per document, after the run's model of each question is
built (``meaning.QuestionModel``), on documents with no question-numbered
heading ("Q3)", "Question 3": the respondent's own clear statement, kept); a
bare number ("2.") is one more piece of evidence for its question
(``number_prior``, session 15). Every heading-shaped line (``passages.blocks``) and every heading the
earlier steps placed opens a section. Each (section, question) pair is scored
from four kinds of evidence:

- the cosine of the heading with the question's wording (text, short label,
  aliases, keywords);
- the cosine of the section's body with the centroid of the answers this run
  placed under that question by a heading (how people answer it);
- the question's distinctive words and phrases in the heading and the first
  two sentences (``letters.lead_scores``), capped;
- a heading that is nothing but a kind's frame ("What we ask", "Is anyone
  left out?") for that kind's question (``intent_evidence``, session 23);
- the kind of answer the body gives (a view, effects, requests, groups, an
  aside: ``bodykind.kind_evidence``, weight ``KIND_W``, session 24);

and, in a document with no row under the profile question, the one section a
learned reader takes for the respondent's self-description goes there
(``selfsection.for_document``, session 25), while a section the earlier steps
put under the profile question that the reader takes for one stays there
(``selfsection.settled``);

plus a weak order prior (sections usually follow the questions' order).
The assignment is solved jointly (``scipy.optimize.linear_sum_assignment``,
each question at most once, each section at most one question, with an
"unassigned" option worth ``pair_base``). A section keeps its new question only
when the joint solution loses at least ``MARGIN`` if that pair is forbidden
(the next best way to read the whole document is clearly worse), so an
unclear section keeps what the earlier steps decided, or stays unstructured
if that was only a guess by position. Questions already answered under a
clear heading of the document (method ``text`` with a high score, a form's
table row) are not candidates; profile questions never are (who writes is
read from headings and forms, not from a section's meaning; only the learned
self-description reader, above, places one section there), and a title, an
introduction or the document's opening section is never assigned. Measured
on the spent development batches 2-7 (docs/segmentation.md): answers under
the right question 75.9 % -> 78.5 %, precision 89.3 % -> 89.8 %, the first
sets unchanged. Cost: a handful of small assignment problems
per document, each over at most a few dozen sections and questions.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.core.text import strip_span
from helpers.ingest.segment import bodykind, intents, ownwords, selfsection
from helpers.ingest.segment.letters import _patterns, lead_scores, lead_sentences
from helpers.ingest.segment.numbering import read_numbering
from helpers.ingest.segment.parts import assignment_margins
from helpers.ingest.segment.passages import blocks, describes_self, takes_position
from helpers.ingest.segment.timeline import stamp_starts

log = logging.getLogger(__name__)

METHOD = "meaning"
HEAD_W, BODY_W, LEX_W = 1.0, 1.0, 0.25  # weights of the three kinds of evidence
LEX_CAP = 6.0  # lexical lead score at which the words' evidence is full
ORDER_W = 0.05  # the order prior: a pair in its expected relative place gains up to this
MARGIN = 0.10  # the joint solution must lose this much when the pair is forbidden
NUMBER_W = 0.15  # a section's bare number ("2.") as evidence for that question
INTENT_W = 0.60  # a heading that is only a kind's frame ("What we ask") for that kind's question
# The body's kind of answer (bodykind), weight chosen leave-one-batch-out (session 24).
KIND_W = 0.60
# The learned own-words reader (session 26, ``ownwords``), on since session 27 in documents
# without bare-numbered headings: leave-one-batch-out over batches 2-29 with the real scorer,
# 15 answers gained in 9 sets and 2 lost in 2, re-rendered gold no type lower; over
# bare-numbered headings it lost answers (docs/segmentation.md "Session 27").
OWN_WORDS = True
_LEAD_MARKUP = re.compile(r"^[\s#>*_•●▪‣◦·-]*")
TIMELINE = True  # clock-time headings open sections (``timeline``, session 28)
_MAX_SECTIONS = 40  # beyond this a document is a report with sub-headings: left alone
_MIN_WORDS = 8  # a shorter body is a title's subtitle, an address or a one-line aside
_BODY_CHARS = 1200
_LEAD_CHARS = 600
_KIND_CHARS = 3000  # the body read for its kind of answer
_NUMBERED = ("number", "number+text")
_ANCHORS = ("table", "survey_column", "copy")  # rows placed by something stronger than words
_STRONG_TEXT = 0.75  # a heading matched by its text at least this well is kept as is
_JOINT = "read with the document's other sections"
_NOT_QUESTIONS = (schemas.PREAMBLE, schemas.CLOSING, schemas.UNSTRUCTURED)
_WEAK = ("order", "section", "meaning", "paragraph", "unstructured", "preamble")


def pair_scores(hs: np.ndarray, bs: np.ndarray, lx: np.ndarray) -> np.ndarray:
    """(sections, questions) evidence: heading cosine, body cosine and capped lead words."""
    return HEAD_W * hs + BODY_W * bs + LEX_W * np.minimum(lx, LEX_CAP) / LEX_CAP


def solve(scores: np.ndarray, allowed: np.ndarray, base: float) -> list[tuple[int | None, float]]:
    """Per section, (question index or None, joint margin) from the pair scores.

    ``allowed`` is a boolean (sections, questions) mask; a pair must score
    above ``base`` (the model's ``pair_base``) to be worth assigning. The order prior
    favours pairs whose relative place among the sections matches the
    question's relative place among the consultation's questions.
    """
    k, n = scores.shape
    if not k or not n:
        return [(None, 0.0)] * k
    rs = np.arange(k) / max(k - 1, 1)
    rq = np.arange(n) / max(n - 1, 1)
    prior = ORDER_W * (1.0 - np.abs(rs[:, None] - rq[None, :]))
    return assignment_margins(np.where(allowed, scores + prior - base, -np.inf))


def _sections(text: str, rows: pd.DataFrame, stop: int) -> list[tuple[int, int, int]]:
    """(heading start, body start, end) of each section before ``stop``.

    A section opens at every heading-shaped line (``passages.blocks``) and
    at every heading the earlier steps placed, except a heading-shaped line
    whose words recur in the document: "Summary position / Evidence /
    Recommendation" repeated under each answer is the respondent's template
    for one answer, not a new question (issue 12: sub-headings inside an
    answer must not start one).
    """
    starts: dict[int, int] = {}
    shaped = [b for b in blocks(text, 0, stop) if b.heading is not None]
    seen = Counter(" ".join(b.heading.lower().split()).strip(" .:*#") for b in shaped)
    for b in shaped:
        if seen[" ".join(b.heading.lower().split()).strip(" .:*#")] < 2:
            starts[b.start] = b.body_start
    if TIMELINE:  # a timeline's clock-time headings open sections too (session 28)
        for a, b in stamp_starts(text, stop).items():
            starts.setdefault(a, b)
    for h, s in zip(rows["heading_start"], rows["start"], strict=True):
        if pd.notna(h) and int(h) < stop and int(h) not in starts:
            line_end = text.find("\n", int(h))
            line_end = stop if line_end == -1 or line_end > stop else line_end
            starts[int(h)] = min(int(s), line_end) if int(s) > int(h) else line_end
    cuts = sorted(starts)
    out = []
    for k, a in enumerate(cuts):
        e = cuts[k + 1] if k + 1 < len(cuts) else stop
        b = min(max(starts[a], a), e)
        out.append((a, b, e))
    return out


def number_prior(rows: pd.DataFrame, index: dict[str, int]) -> dict[int, int] | None:
    """Heading start -> question index of each bare-numbered heading ("2. Summary of our
    position"), or None when a heading carries question numbering ("Q3)", "Question 3").

    Rationale: a bare number before a heading is the document's own section
    number as often as the question's: a report numbers "1. About the Guild",
    "2. Summary of our position", "3. Practice ...", while the consultation's
    question 1 is answered in section 2 (ofsted-docs-17, transport-17). Read
    alone, each number put every section one question late. Here the number is
    weighed with the section's heading words and body (``NUMBER_W``, about the
    gap between a body that fits a question and one that does not), so it
    decides when the words are unclear and gives way when they clearly name
    other questions. Question numbering says "question" and stays decisive.
    """
    out: dict[int, int] = {}
    numbered = rows[rows["match_method"].isin(_NUMBERED) & rows["heading_text"].notna()]
    for head, h, qid in zip(
        numbered["heading_text"], numbered["heading_start"], numbered["question_id"], strict=True
    ):
        line = str(head)
        pos = len(line) - len(_LEAD_MARKUP.sub("", line, count=1))
        n = read_numbering(line, pos, len(line))
        if n is None or n.kind != "bare" or qid not in index or pd.isna(h):
            return None
        out[int(h)] = index[qid]
    if rows["match_method"].isin(_NUMBERED).sum() != len(out):
        return None
    return out


def intent_evidence(headings: list[str], qs) -> np.ndarray:
    """(sections, questions) evidence from headings that are nothing but a kind's frame.

    Rationale (session 23): a respondent's own heading often says what KIND of
    answer follows and no subject: "What we ask", "Is anyone left out?", "Older
    customers", "Where I stand", "Your own words" (``intents``, generic English
    frames kept as data). The heading step reads such a frame, but the joint
    reading compared only the heading's and body's meaning with each question's,
    and a body about the scheme's streets is closer to the closed question on
    those streets than to "what changes would you suggest", so the section went
    there or stayed unstructured (23 such sections in 16 spent batches: 3-10, 14,
    15, 17, 19-22, 24). Over the sections the joint reading saw on batches 1-25, a
    frame-only heading named its section's gold question in 126 of the 129 cases
    where it named one (the self-description kind left out: who writes is never
    read here; the 3 others are "Recommendation" and "Other comments" over text the
    gold files elsewhere). The
    frame adds ``INTENT_W`` for its kind's question (``intents.targets``); the
    joint margin still decides, so a body that plainly answers another question
    outweighs it. A position frame followed by a subject ("Our view on the
    date") adds nothing: the subject decides.
    """
    out = np.zeros((len(headings), len(qs)))
    kinds = intents.targets(tuple(qs))
    for s, heading in enumerate(headings):
        found = intents.intent_of(heading) if heading else None
        if found is None or found[1] or found[0] == "self":
            continue
        j = kinds.get(found[0])
        if j is not None and qs[j].kind != "profile":
            out[s, j] = INTENT_W
    return out


def kind_evidence(free: list[tuple], qs) -> np.ndarray:
    """(sections, questions) evidence from the kind of answer each body gives (``bodykind``).

    Rationale (session 24): a section under its own-words heading ("Station
    Road", "Persons at risk", "Control measures we propose") is read by meaning
    only, and a body about the scheme's streets is as near the closed question
    on them as the effects or changes question; the kind of answer (a view,
    effects, requests, groups, an aside) tells them apart. Weight ``KIND_W``,
    chosen leave-one-batch-out on the joint reading's sections of batches 2-26
    (docs/segmentation.md "Session 24"). A section that says who writes (a
    self-description heading, "Who we are", or a first sentence like "We are a
    charity working with ...") gets none: who writes is never read from
    meaning, and its groups read as an equality answer.
    """
    bodies = [f[4][:_KIND_CHARS] for f in free]
    out = bodykind.kind_evidence(bodies, qs, KIND_W)
    for s, f in enumerate(free):
        found = intents.intent_of(f[3]) if f[3] else None
        if (found is not None and found[0] == "self") or describes_self(lead_sentences(f[4], 1)):
            out[s, :] = 0.0
    return out


def keep_settled(
    words: list[tuple[int | None, float]], kinds: list[tuple[int | None, float]]
) -> list[tuple[int | None, float]]:
    """Per section, the joint solution with the body-kind evidence, except where the words
    alone settled it.

    Rationale (session 24): evidence added to some pairs raises the next best
    way to read the document too, so a section the words alone placed clearly
    ("Part B - The proposed judgement" under the judgement question) could fall
    under ``MARGIN`` and go back to the earlier steps' guess. The kind of answer
    may place a section the words left open, or move one when it is itself
    decisive; it never unsettles a placement it does not change. Same question:
    the larger margin; the words decisive and the kinds not: the words' choice.
    """
    out = []
    for (jw, mw), (jk, mk) in zip(words, kinds, strict=True):
        if jw is not None and jw == jk:
            out.append((jk, max(mw, mk)))
        elif jw is not None and mw >= MARGIN and (jk is None or mk < MARGIN):
            out.append((jw, mw))
        else:
            out.append((jk, mk))
    return out


def _anchored(rows: pd.DataFrame) -> pd.Series:
    """Rows placed by evidence stronger than a joint reading of the words.

    A heading matched by its text, or whose bare number and words agree
    ("1 — A separate judgement"), at ``_STRONG_TEXT`` or more: its question is
    settled, and a sub-heading inside its answer ("Our reservations") is not
    offered another question (ofsted-docs-13).
    """
    return rows["match_method"].isin(_ANCHORS) | (
        rows["match_method"].isin(("text", "number+text")) & (rows["match_score"] >= _STRONG_TEXT)
    )


def _agrees(
    rows: pd.DataFrame, text: str, b: int, e: int, qid: str, opened: int | None = None
) -> bool:
    """Whether the earlier steps already put the body ``text[b:e]`` under ``qid``.

    Rationale: a section's body may have been cut into paragraphs by the
    earlier steps (a letter's reading, then meaning), its first paragraph
    under the right question and a later one under another ("3.1 The Council
    supports ..." under the judgement question, "3.2 That support is subject
    to one reservation ..." under "any other comments" by meaning alone).
    The joint reading agrees with them only when the body opens under
    ``qid`` and no part of it went to another question by meaning alone
    (method ``meaning``); otherwise the section is cut out whole and placed.
    A part split off on purpose (a heading covering two questions,
    ``twofold``) and text left unstructured (a signature under the last
    section) are no disagreement and stay as they were. With ``opened`` (the
    section's heading, in a document with bare-numbered headings) the row must
    also start inside the section: a row opened by the heading before, whose
    number named the question ("1. About the Forum" over "2. Weekday evenings"
    read as its text), says nothing about this section.
    """
    b, e = strip_span(text, b, e)
    hit = rows[(rows["start"] < e) & (rows["end"] > b) & (rows["end"] > rows["start"])]
    if not len(hit):
        return False
    hit = hit.sort_values("start", kind="stable")
    if opened is not None and int(hit["start"].iloc[0]) < opened:
        return False
    first = hit["question_id"].iloc[0]
    named = hit[~hit["question_id"].isin(_NOT_QUESTIONS) & (hit["question_id"] != qid)]
    guessed = named["match_method"].eq(METHOD) if "match_method" in named else named["question_id"]
    return str(first) == qid and not bool(guessed.astype(bool).any())


def reassign_document(rows: pd.DataFrame, text: str, model, encode) -> list[dict] | None:
    """One document's rows with its own-words sections assigned jointly, or None if unchanged.

    ``rows`` are the document's answer rows (schema columns); ``model`` is the
    run's ``meaning.QuestionModel`` and ``encode`` the sentence encoder.
    """
    rows = rows.sort_values("start", kind="stable")
    qs = model.questions
    index = {q.id: j for j, q in enumerate(qs)}
    numbers = number_prior(rows, index)
    if numbers is None:
        return None  # question numbering ("Q3)") is the respondent's own clear statement
    # The document's closing: a closing row after every other row. An e-mail's
    # own sign-off before its attachment is a closing row too, but the
    # attachment's sections after it are still read.
    others = rows.loc[rows["question_id"] != schemas.CLOSING, "start"]
    last = int(others.max()) if len(others) else -1
    closing = rows.loc[(rows["question_id"] == schemas.CLOSING) & (rows["start"] > last), "start"]
    stop = int(closing.min()) if len(closing) else len(text)
    secs = _sections(text, rows, stop)
    if len(secs) < 2 or len(secs) > _MAX_SECTIONS:
        return None
    anchored = rows[_anchored(rows)]
    taken = {index[q] for q in anchored["question_id"] if q in index}
    fixed = set(anchored["heading_start"].dropna().astype(int)) | set(anchored["start"].astype(int))
    free = []
    for a, b, e in secs:
        body = text[b:e].strip()
        if any(a <= f < e for f in fixed) or len(body.split()) < _MIN_WORDS:
            continue
        free.append((a, b, e, text[a:b].strip(), body))
    if len(free) < 2:
        return None
    heads = encode([f[3] for f in free])
    bodies = encode([f[4][:_BODY_CHARS] for f in free])
    hs = np.vstack([model.heading_sims(h) for h in heads])
    bs = bodies @ model.centroids.T
    lx = np.array(
        [
            lead_scores(f"{f[3].rstrip('.:?!')}. {lead_sentences(f[4][:_LEAD_CHARS])}", qs)
            for f in free
        ],
        dtype=float,
    )
    # Who writes is read from headings and forms ("About you"), never from a
    # section's meaning: a body saying "I live on ..." is a view's context.
    allowed = np.array([[q.kind != "profile" for q in qs]] * len(free), dtype=bool)
    for j in taken:
        allowed[:, j] = False
    pats = _patterns()
    for s, f in enumerate(free):
        first = lead_sentences(f[4], 1)
        title = pats["intro_always"].search(f[3]) or pats["intro"].search(f[3])
        intro = pats["intro_always"].search(first) or (
            (pats["intro"].search(first) or describes_self(first)) and not takes_position(first)
        )
        opening = s == 0 and not text[: f[0]].strip() and not takes_position(f[4])
        if title or intro or opening:
            allowed[s, :] = False  # a title, an introduction, the document's opening
    scores = pair_scores(hs, bs, lx)
    bare = np.zeros_like(scores)
    for s, f in enumerate(free):  # a bare number is one more piece of evidence, not the answer
        j = next((j for h, j in numbers.items() if f[0] <= h < f[1]), None)
        if j is not None:
            bare[s, j] = 1.0
    scores += NUMBER_W * bare
    frames = intent_evidence([f[3] for f in free], qs)
    scores += frames
    kinds = kind_evidence(free, qs)
    result = solve(scores, allowed, model.thresholds.pair_base)
    held = selfsection.settled(rows, text, free, scores, qs, result, MARGIN)
    own = selfsection.for_document(rows, text, free, scores, qs, result, MARGIN)
    if kinds.any():
        scores = scores + kinds
        result = keep_settled(result, solve(scores, allowed, model.thresholds.pair_base))
    if OWN_WORDS and not numbers:  # the learned reading (session 26); not over bare-numbered
        # headings (session 27): there it moved sections one question off (re-rendered gold)
        evidence = ownwords.Evidence(hs, bs, lx, bare, frames, kinds)
        result = ownwords.decide(rows, free, qs, evidence, result, allowed, MARGIN)
    for s in held + ([own[0]] if own is not None else []):
        result[s] = (None, 0.0)  # a self-description answers no other question
    new: list[tuple[int, int, int, str, int, float]] = []  # a, b, e, heading, question, margin
    agreed: list[int] = []  # body starts of sections the earlier steps placed the same way
    for s, (f, (j, margin)) in enumerate(zip(free, result, strict=True)):
        if log.isEnabledFor(logging.DEBUG):
            top = np.argsort(-np.where(allowed[s], scores[s], -9))[:2]
            log.debug(
                "section %r -> %s (margin %.3f); best %s",
                f[3][:40], qs[j].id if j is not None else None, margin,
                [(qs[t].id, round(float(hs[s, t]), 2), round(float(bs[s, t]), 2), lx[s, t]) for t in top],
            )  # fmt: skip
        if j is None or margin < MARGIN:
            continue
        if _agrees(rows, text, f[1], f[2], qs[j].id, f[0] if numbers else None):
            agreed.append(f[1])  # the earlier steps agree
            continue
        new.append((f[0], f[1], f[2], f[3], j, margin))
    if own is not None:
        f, j = free[own[0]], own[1]
        new.append((f[0], f[1], f[2], f[3], j, own[2] - 0.5))  # match score: the probability
    if not new:
        return None
    return _rebuild(rows, text, new, agreed, qs, _WEAK + (_NUMBERED if numbers else ()))


def _rebuild(
    rows: pd.DataFrame, text: str, new, agreed: list[int], qs, weak: tuple[str, ...] = _WEAK
) -> list[dict]:
    """The document's rows with the ``new`` sections cut out of them and added.

    Another row left holding a newly assigned question by a weak guess (by
    position, or by meaning alone) becomes ``unstructured``: the joint reading
    gave that question to a section it fits better. A row the joint reading
    agreed with (its section's body starts inside it) keeps its question.
    """
    spans = [(a, e) for a, _b, e, _h, _j, _m in new]
    ids = {qs[j].id for _a, _b, _e, _h, j, _m in new}
    out: list[dict] = []
    for r in rows.to_dict("records"):
        keep = any(int(r["start"]) <= p < int(r["end"]) for p in agreed)
        pieces = [(int(r["start"]), int(r["end"]))]
        for a, e in spans:
            pieces = [
                p for s0, e0 in pieces for p in ((s0, min(e0, a)), (max(s0, e), e0)) if p[1] > p[0]
            ]
        head = r["heading_start"]
        in_new = pd.notna(head) and any(a <= int(head) < e for a, e in spans)
        if int(r["end"]) <= int(r["start"]) and not in_new and r["question_id"] not in ids:
            out.append(r)  # a heading with no text (a form's tick-only row): kept as it was
            continue
        for k, (s0, e0) in enumerate(pieces):
            s0, e0 = strip_span(text, s0, e0)
            if e0 <= s0:
                continue
            piece = dict(r, start=s0, end=e0, answer_text=text[s0:e0])
            if in_new or k:
                piece.update(heading_text=None, heading_start=None)
            if r["question_id"] in ids and r["match_method"] in weak and not keep:
                piece.update(
                    question_id=schemas.UNSTRUCTURED, question_number=None,
                    match_method="unstructured", match_score=0.0,
                    warning="its question was given to another section of the document: "
                    "kept as unstructured",
                )  # fmt: skip
            out.append(piece)
    template = rows.iloc[0].to_dict()
    for a, b, e, heading, j, margin in new:
        s0, e0 = strip_span(text, b, e)
        q = qs[j]
        out.append(
            dict(
                template,
                question_id=q.id,
                question_number=q.number,
                start=s0,
                end=e0,
                answer_text=text[s0:e0],
                heading_text=heading or None,
                heading_start=a if heading else None,
                match_method=METHOD,
                match_score=round(min(1.0, 0.5 + margin), 3),
                tick_box=None,
                warning=f'heading "{heading}" and its text, {_JOINT}, answer {q.label}: check',
            )  # fmt: skip
        )
    out.sort(key=lambda r: (int(r["start"]), int(r["end"])))
    return out


def reassign_documents(
    answers: pd.DataFrame, texts, model, encode, columns: list[str]
) -> tuple[list[dict], int]:
    """Every document's rows (``columns`` only) after the joint reading, and how many moved."""
    records: list[dict] = []
    moved = 0
    for rid, rows in answers[columns].groupby("respondent_id", sort=False):
        new = None
        if not rows["match_method"].eq("survey_column").any():
            new = reassign_document(rows, texts.get(str(rid), ""), model, encode)
        if new is None:
            records.extend(rows.to_dict("records"))
        else:
            moved += sum(_JOINT in str(r["warning"]) for r in new)
            records.extend(new)
    return records, moved
