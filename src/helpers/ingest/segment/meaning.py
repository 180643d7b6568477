"""Text left ``unstructured`` assigned to questions by meaning, learned from the run's own answers.

Heading and letter rules (``assign``, ``letters``, ``sections``) leave text
``unstructured`` when nothing names a question clearly: a heading in the
respondent's own words ("When it should start", "Who might be left behind")
or a letter paragraph that never names the question's terms. This pass runs
once over the whole run, after every document is segmented, and reads such
text by meaning:

1. **A model of each question** (:class:`QuestionModel`): sentence embeddings
   (all-MiniLM-L6-v2, :mod:`helpers.core.embedding`) of the question's own
   wording (text, short label, aliases, keywords) and a centroid of the answers
   this run already placed under it by their headings or survey columns (at
   most ``CENTROID_ANSWERS`` distinct answers each, so the cost does not grow
   with the run). The consultation's own respondents teach it how people
   answer each question; no consultation's vocabulary is in code.
2. **Blocks**: an unstructured row is cut at heading-shaped lines (a short
   line standing alone, no full stop) into (heading, body) blocks; text with
   no such line is read paragraph by paragraph, like a letter.
3. **Assignment, precision first**. A heading block goes to the question its
   heading means (cosine at least ``HEADING_MIN`` and ``HEADING_MARGIN`` above
   the runner-up), or to the question both its heading and its body point to.
   A letter paragraph goes to a question only when its body's nearest centroid
   agrees with the topic words of its first sentences (``letters.lead_scores``)
   or leads by ``body_margin``. Introductions, greetings and short lines are
   never assigned; a question this respondent already answered elsewhere is
   not a candidate; profile questions are candidates only by heading (or a
   short first heading over the writer describing themselves:
   ``profile_by_self``). In a preamble only headings count, except for
   sections under the respondent's own headings (``_own_section``), paragraphs
   stating a view (``preamble_view``: "I back a separate judgement" before a
   run-in label) and an
   e-mail's own body before a headed attachment (``passages.letter_body_end``),
   which are read by content where meaning and topic words agree.

Everything assigned is marked ``match_method = meaning`` with a warning to
check it; the rest stays ``unstructured``. Rows keep ``text[start:end] ==
answer_text``. Without the model package the pass logs one warning and
changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Consultation, Question
from helpers.core.text import strip_span
from helpers.ingest.segment.joint import reassign_documents
from helpers.ingest.segment.letters import _cues, _patterns, _phrase_re, lead_scores, lead_sentences
from helpers.ingest.segment.ordered import (
    letter_blocks,
    open_titles,
    place_in_order,
    whole_letters,
)
from helpers.ingest.segment.passages import (
    Block,
    blocks,
    closing_at,
    describes_self,
    has_answer,
    letter_body_end,
    takes_position,
)
from helpers.ingest.segment.profile import (
    _own_section,
    first_heading,
    preamble_view,
    profile_by_self,
)
from helpers.ingest.segment.substantive import mark
from helpers.ingest.segment.vectors import (
    ModelThresholds,
    TextVectors,
    run_encoder,
    thresholds,
    wanted,
)

log = logging.getLogger(__name__)

METHOD = "meaning"
CENTROID_ANSWERS = 64  # distinct placed answers per question that teach its centroid
CENTROID_CHARS = 1200  # of each, the opening (where an answer states its point)
QUESTION_WEIGHT = 2.0  # the question's own text counts as this many answers
HEADING_MIN = 0.30  # a heading's cosine with its question's wording...
PROFILE_MIN = 0.45  # ...and with a profile question's ("About me"), where addresses mislead
HEADING_MARGIN = 0.08  # ...and its lead over the runner-up
INNER_MIN, INNER_MARGIN = 0.45, 0.12  # a heading inside another question's answer: clearer
AGREE_MARGIN = 0.03  # heading and body (or body and topic words) agreeing need this lead each
REASONS_MARGIN = 0.09
CATCH_ALL_GAP = 0.02  # an unclear paragraph goes to "any other comments" if about as close  # ...and a closed question's, for a passage taking no position
_MIN_WORDS = 8  # shorter paragraphs are greetings, titles and address lines
_HEADING_WORDS = 12
_CATCH_WHY = "no question clearly: the catch-all question"
_SOURCE_METHODS = ("number", "text", "number+text", "survey_column", "order", "table")


@dataclass(frozen=True)
class QuestionModel:
    """Unit vectors for each question: its wording variants and its answers' centroid,
    and the thresholds for its encoder's cosine scale."""

    questions: tuple[Question, ...]
    variants: np.ndarray  # (n variants, d)
    owner: np.ndarray  # question index of each variant
    centroids: np.ndarray  # (n questions, d)
    thresholds: ModelThresholds  # the segmentation model's (``vectors.thresholds``)

    def heading_sims(self, vec: np.ndarray) -> np.ndarray:
        """Best cosine of ``vec`` with each question's wording variants."""
        sims = self.variants @ vec
        out = np.full(len(self.questions), -1.0)
        np.maximum.at(out, self.owner, sims)
        return out


def _variants(q: Question) -> list[str]:
    return [v for v in (q.text, q.short, *q.aliases, *q.keywords) if v]


def build_model(answers: pd.DataFrame, consultation: Consultation, encode) -> QuestionModel:
    """The questions' model from their wording and the answers placed under them by heading,
    with the thresholds of the consultation's ``segmentation_model``."""
    questions = tuple(consultation.questions)
    texts, owner = [], []
    for i, q in enumerate(questions):
        for v in _variants(q):
            texts.append(v)
            owner.append(i)
    variants = encode(texts)
    placed = answers[
        answers["match_method"].isin(_SOURCE_METHODS) & answers["substantive"].fillna(False)
    ]
    centroids = []
    for i, q in enumerate(questions):
        own = placed.loc[placed["question_id"] == q.id, "answer_text"].dropna()
        sample = list(dict.fromkeys(t[:CENTROID_CHARS] for t in own if t.strip()))
        sample = sample[:CENTROID_ANSWERS]
        vec = QUESTION_WEIGHT * variants[owner.index(i)]  # the question's full text
        if sample:
            vec = vec + encode(sample).sum(axis=0)
        centroids.append(vec / (np.linalg.norm(vec) or 1.0))
    limits = thresholds(consultation.segmentation_model)
    return QuestionModel(questions, variants, np.array(owner), np.vstack(centroids), limits)


def _lead(sims: np.ndarray, allowed: list[int]) -> tuple[int | None, float]:
    """The best allowed question and its lead over the next allowed one."""
    if not allowed:
        return None, 0.0
    order = sorted(allowed, key=lambda j: -sims[j])
    second = sims[order[1]] if len(order) > 1 else -1.0
    return order[0], float(sims[order[0]] - second)


def _decide(
    block: Block,
    model: QuestionModel,
    hvec,
    bvec,
    taken: set[int],
    where: str,
    text: str | None = None,
) -> tuple[int | None, float, str]:
    """(question index or None, score, reason) for one block (module docstring, step 3).

    ``where`` is the row the block is in: ``unstructured`` text is read by
    heading and by content; in a ``preamble`` only a heading counts; inside an
    ``answer`` to another question only a heading that clearly means an
    unanswered question takes the block out (a sub-heading is more likely).
    """
    inner = where == "answer"
    qs = model.questions
    answerable = [j for j, q in enumerate(qs) if j not in taken]
    if block.heading is not None:
        pats = _patterns()
        if (
            not has_answer(block.body)
            or pats["intro_always"].search(block.heading)
            or (pats["intro"].search(block.heading))
        ):
            return None, 0.0, ""  # no answer under it, or a title ("Response to the ...")
        hs = model.heading_sims(hvec)
        if takes_position(block.body):  # "Riverside": a label over a view, not who writes
            answerable = [j for j in answerable if qs[j].kind != "profile"]
        j, lead = _lead(hs, answerable)
        least = PROFILE_MIN if j is not None and qs[j].kind == "profile" else HEADING_MIN
        least, margin = (max(least, INNER_MIN), INNER_MARGIN) if inner else (least, HEADING_MARGIN)
        if j is not None and hs[j] >= least and lead >= margin:
            return j, float(hs[j]), f'heading "{block.heading}" means this question'
        if (
            not inner
            and text is not None
            and first_heading(text, block)
            and (p := profile_by_self(block, hs, qs, answerable)) is not None
        ):
            return p, float(hs[p]), f'heading "{block.heading}" over who is writing'
    if where == "answer" or (
        where == "preamble" and not (_own_section(block) or preamble_view(block))
    ):
        return None, 0.0, ""
    # An e-mail's body before its attachment, and a section of a preamble,
    # answer only what they answer clearly (meaning and topic words agreeing):
    # what they say besides ("my notes are below", a form's "Part one") is no
    # "other comment", so no lead by meaning alone and no catch-all there.
    catch = where not in ("letter", "preamble")
    if len(block.body.split()) < _MIN_WORDS:
        return None, 0.0, ""
    if block.first and not takes_position(block.body):
        return None, 0.0, ""  # a document's title and opening say who writes and why
    body_margin = model.thresholds.body_margin
    j, score, why = _by_body(block, qs, model.centroids @ bvec, answerable, body_margin, catch)
    if j is not None and block.heading is not None:
        why = f'heading "{block.heading}": {why}'
    return j, score, why


def _by_body(
    block: Block,
    qs: tuple[Question, ...],
    body_sims: np.ndarray,
    answerable: list[int],
    body_margin: float,
    catch: bool = True,
) -> tuple[int | None, float, str]:
    """A passage judged by what it says: its nearest centroid, checked by its topic words.

    Rationale: answers to different questions of one consultation share a
    topic, so closeness alone misleads; it counts when the question's own
    distinctive words in the passage's first sentences point the same way, or
    when it leads clearly (by ``body_margin``). An introduction says who writes,
    not what they think. A passage that takes no position answers no closed
    question; one whose opening takes a position answers a closed question if
    any is open to it. With ``catch`` False (an e-mail's own body before a
    headed attachment) only meaning and topic words agreeing count: no lead by
    meaning alone, no catch-all question.
    """
    pats = _patterns()
    first = lead_sentences(block.body, 1)
    if pats["intro_always"].search(first) or (
        (pats["intro"].search(first) or describes_self(first)) and not pats["stance"].search(first)
    ):
        return None, 0.0, ""
    lead = " ".join(filter(None, [block.heading, lead_sentences(block.body, 2)]))
    cands = [j for j in answerable if qs[j].kind != "profile"]
    closed = [j for j in cands if qs[j].kind == "closed"]
    topic = lead_scores(lead, qs)
    if not takes_position(block.body):
        # A passage taking no position answers a closed question only when its
        # meaning and its topic words both name that question (the reasons
        # given under a closed question: "Block off four roads and ...").
        jb, lb = _lead(body_sims, cands)
        jt = max(cands, key=lambda j: topic[j]) if cands else None
        if not (jb is not None and jb == jt and topic[jt] > 0 and lb >= REASONS_MARGIN):
            cands = [j for j in cands if qs[j].kind != "closed"]
    elif closed and takes_position(lead):
        cands = closed
    jb, lb = _lead(body_sims, cands)
    if jb is None:
        return None, 0.0, ""
    jt = max(cands, key=lambda j: topic[j])
    if topic[jt] > 0 and jt == jb and lb >= AGREE_MARGIN:
        return jb, float(body_sims[jb]), "its content and topic words agree"
    if catch and lb >= body_margin and (topic[jt] == 0 or jt == jb):
        return jb, float(body_sims[jb]), "its content is closest to this question's answers"
    other = catch_all(qs) if catch else None
    if other is not None and body_sims[other] >= body_sims[jb] - CATCH_ALL_GAP:
        # a point made that no question clearly asks for
        return other, float(body_sims[other]), _CATCH_WHY
    return None, 0.0, ""


@lru_cache(maxsize=8)
def catch_all(qs: tuple[Question, ...]) -> int | None:
    """The consultation's "any other comments" question, if it has one.

    Rationale: a letter's paragraph that is a view (not a greeting, title or
    introduction) but answers no question clearly is what such a question
    collects; a researcher files it there. Found by the open question's own
    wording (``catch_all`` cues in ``data/letter_cues_en.yaml``), so no
    consultation's vocabulary is in code; without one the paragraph stays
    unstructured.
    """
    cue = _catch_all_re()
    for j, q in enumerate(qs):
        if q.kind == "open" and any(cue.search(v) for v in (q.text, q.short) if v):
            return j
    return None


@lru_cache(maxsize=1)
def _catch_all_re():
    return _phrase_re(_cues()["catch_all"])


_COLUMNS = [c for c in schemas.ANSWERS.names if c not in ("substantive", "written")]  # both derived


def _rows_for(
    row: dict, text: str, blks: list[Block], labels, questions: tuple[Question, ...]
) -> list[dict]:
    """The rows replacing one row: its blocks assigned by meaning, and what is left.

    Consecutive blocks with one label are one row. Text left unassigned keeps
    the row's own question (unstructured, preamble, or the answer it was in);
    its heading stays with its first piece only. An assigned block's heading
    goes to ``heading_text`` and its answer starts after it.
    """
    pieces: list[list] = []  # [question index or None, start, end, score, why, block]
    for b, (j, score, why) in zip(blks, labels, strict=True):
        if pieces and pieces[-1][0] == j:
            pieces[-1][2] = b.end
            pieces[-1][3] = max(pieces[-1][3], score)
        else:
            pieces.append([j, b.start, b.end, score, why, b])
    out: list[dict] = []
    for k, (j, s, _e, score, why, b) in enumerate(pieces):
        s = int(row["start"]) if k == 0 else s
        e = int(row["end"]) if k == len(pieces) - 1 else pieces[k + 1][1]
        r = dict(row)
        if j is None:
            if k:
                r.update(heading_text=None, heading_start=None)
            s, e = strip_span(text, s, e)
        else:
            q = questions[j]
            s, e = strip_span(text, b.body_start if b.heading is not None else s, e)
            r.update(
                question_id=q.id, question_number=q.number, match_method=METHOD,
                match_score=round(score, 3), heading_text=b.heading,
                heading_start=b.start if b.heading is not None else None,
                warning=f"assigned by meaning: check ({why})",
            )  # fmt: skip
        if e > s:
            r.update(start=s, end=e, answer_text=text[s:e])
            out.append(r)
    return out


def _todo(answers: pd.DataFrame) -> pd.Index:
    """Rows to read by meaning: unstructured text, preambles, and answers of documents
    (a heading of the respondent's own inside one is read by its heading alone)."""
    return answers.index[
        (answers["match_method"] != "survey_column") & (answers["question_id"] != schemas.CLOSING)
    ]


def resolve_unstructured(
    answers: pd.DataFrame,
    texts: Mapping[str, str],
    consultation: Consultation,
    encode=None,
) -> pd.DataFrame:
    """``answers`` with text no heading placed assigned to questions by meaning.

    ``texts`` maps respondent id to the respondent's text (``respondents.text``);
    ``encode`` is the consultation's ``segmentation_model`` unless given (with
    that model's thresholds either way: ``vectors.thresholds``).
    """
    work = []  # (row index, row, text, end of its answer text, blocks)
    letters = whole_letters(answers)  # a letter's pieces read again as one text
    pieces = {j: i for i, (rows, _) in letters.items() for j in rows}
    for i in _todo(answers):
        row = {c: answers.at[i, c] for c in _COLUMNS}
        if i in pieces:
            if i not in letters:
                continue
            rows, row["preset"] = letters[i]
            row.update(question_id=schemas.UNSTRUCTURED, match_method="unstructured",
                       end=max(int(answers.at[j, "end"]) for j in rows))  # fmt: skip
        text = texts.get(str(row["respondent_id"]), "")
        s, e = int(row["start"]), int(row["end"])
        if row["match_method"] == "order" and isinstance(row["heading_text"], str):
            head = int(row["heading_start"]) if pd.notna(row["heading_start"]) else s
            work.append((i, row, text, e, [Block(head, e, s, row["heading_text"], text[s:e])]))
            continue
        if row["match_method"] == "paragraph":
            blks = blocks(text, s, e)
            if len(blks) == 1:  # one passage (with its own heading, if any): judged again
                work.append((i, row, text, e, blks))
            continue
        unstructured = row["question_id"] == schemas.UNSTRUCTURED
        stop = closing_at(text, s, e) if unstructured else e
        if row["question_id"] == schemas.PREAMBLE and (end := letter_body_end(text, s, e)):
            stop, unstructured = end, True  # an e-mail's own body before its attachment
            row["letter"] = True
        blks = (
            letter_blocks(text, row["preset"], stop) if "preset" in row else blocks(text, s, stop)
        )
        preamble = row["question_id"] == schemas.PREAMBLE
        if blks and (
            unstructured or any(b.heading or (preamble and preamble_view(b)) for b in blks)
        ):
            work.append((i, row, text, stop, blks))
    if not work:
        return answers
    if encode is None:
        encode = run_encoder(consultation.segmentation_model)
        if encode is None:
            log.warning("the sentence-embedding model is not installed: text kept unstructured")
            return answers
    # Each distinct text encoded once, most of them in one batched call (``vectors``).
    encode = TextVectors(encode)
    encode.prefetch(wanted(work, _MIN_WORDS, CENTROID_CHARS))
    model = build_model(answers, consultation, encode)
    index = {q.id: j for j, q in enumerate(model.questions)}
    owned: dict = {}
    for rid, qid in zip(answers["respondent_id"], answers["question_id"], strict=True):
        owned.setdefault(rid, set()).add(qid)
    replaced: dict[int, list[dict]] = {}
    for i, row, text, stop, blks in work:
        own = owned[row["respondent_id"]]
        if row["match_method"] in ("order", "paragraph"):
            got = _rejudge(row, blks[0], model, encode, {index[q] for q in own if q in index}, text)
        else:
            taken = {index[q] for q in own if q in index}
            got = _read_row(row, text, stop, blks, model, encode, taken)
        if got is not None:
            replaced[i] = got
            replaced.update({j: [] for j in letters.get(i, ([],))[0] if j != i})
            own.update(r["question_id"] for r in got)
    records = []
    for i, rec in zip(answers.index, answers[_COLUMNS].to_dict("records"), strict=True):
        records.extend(replaced.get(i, [rec]))
    n = sum(r["match_method"] == METHOD for rows in replaced.values() for r in rows)
    log.info("segment: %d passage(s) with no clear heading assigned by meaning", n)
    out = pd.DataFrame(records, columns=_COLUMNS)
    # The whole document read at once: its own-words sections against the questions.
    records, moved = reassign_documents(out, texts, model, encode, _COLUMNS)
    if not replaced and not moved:
        return answers
    log.info("segment: %d section(s) placed by reading their document as a whole", moved)
    out = pd.DataFrame(records, columns=_COLUMNS)
    return schemas.conform(mark(out, consultation), schemas.ANSWERS)


def _rejudge(
    row: dict, block: Block, model: QuestionModel, encode, taken: set[int], text: str | None = None
):
    """A heading placed by position only, judged again by what it means.

    Rationale: ``assign`` gives a heading that names no question the next
    question in order (method ``order``, score 0.40): a guess that holds when
    a respondent's own labels follow the consultation's order and fails when
    they do not. A heading that clearly means another unanswered question
    moves there; one that means nothing clearly keeps its place. A form's
    label over a ticked option (``formlabels.closed_by_options``) stays with a
    closed question: the tick is the clearest evidence it has.
    """
    qs = model.questions
    own = next((j for j, q in enumerate(qs) if q.id == row["question_id"]), None)
    hv, bv = encode.lazy([block.heading, block.body[:CENTROID_CHARS]])
    j, score, why = _decide(block, model, hv, bv, taken - {own}, "unstructured", text)
    if j == own or (j is None and row["match_method"] == "paragraph"):
        return None
    if (
        isinstance(row.get("tick_box"), str)
        and row["tick_box"]
        and (j is None or qs[j].kind != "closed")
    ):
        return None  # a form's ticked option under its label answers a closed question: kept
    if j is None:  # a guess with nothing behind it: left for the researcher
        return [dict(row, question_id=schemas.UNSTRUCTURED, question_number=None,
                     match_method="unstructured", match_score=0.0,
                     warning=f'heading "{row["heading_text"]}" names no question clearly: '
                     "kept as unstructured")]  # fmt: skip
    q = qs[j]
    return [dict(row, question_id=q.id, question_number=q.number, match_method=METHOD,
                 match_score=round(score, 3), warning=f"assigned by meaning: check ({why})")]  # fmt: skip


def _read_row(
    row: dict, text: str, stop: int, blks: list[Block], model: QuestionModel, encode, taken
) -> list[dict] | None:
    """The rows replacing one row, or None when nothing in it is assigned."""
    s, e = int(row["start"]), int(row["end"])
    where = {schemas.UNSTRUCTURED: "unstructured", schemas.PREAMBLE: "preamble"}.get(
        row["question_id"], "answer"
    )
    if row.pop("letter", False):
        where = "letter"  # a letter before a headed attachment: read as a letter
    preset = {span: next(j for j, q in enumerate(model.questions) if q.id == qid)
              for span, qid in row.pop("preset", {}).items() if qid is not None}  # fmt: skip
    taken -= set(preset.values())
    if not text[:s].strip():
        blks[0].first = True
    letter = where in ("unstructured", "letter")
    opened: set[int] = set()
    if letter:
        given = {b.start for b in blks}
        blks = open_titles(text, blks, lambda b: not _clear_heading(b, model, encode, taken))
        opened = {k for k, b in enumerate(blks) if b.start not in given}
    taken_before = set(taken)
    heads = encode.lazy([b.heading or "" for b in blks])  # encoded when a decision reads them
    bodies = encode.lazy([b.body[:CENTROID_CHARS] for b in blks])
    labels, headed = [], set()
    for b, hv, bv in zip(blks, heads, bodies, strict=True):
        if b.start == s and where == "answer":
            labels.append((None, 0.0, ""))  # an answer's opening belongs to its question
            continue
        at = (b.start, b.body_start)
        if (
            p := next((j for (a, z), j in preset.items() if any(a <= x < z for x in at)), None)
        ) is not None:
            labels.append((p, 1.0, "topic words"))  # placed by ``letters``: an anchor
            taken |= {p} if model.questions[p].kind != "open" else set()
            continue
        j, score, why = _decide(b, model, hv, bv, taken, where, text)
        if j is not None and b.heading is not None:
            if j in headed:  # two of the respondent's headings for one question: unsure
                j, score, why = None, 0.0, ""
            headed.add(j)
        if j is not None and model.questions[j].kind != "open":
            taken.add(j)  # one answer per closed or profile question
        labels.append((j, score, why))
    if letter:
        labels = place_in_order(blks, labels, model, bodies, taken_before, opened, _CATCH_WHY)
    if all(j is None for j, _, _ in labels):
        return None
    rows = _rows_for(dict(row, end=stop), text, blks, labels, model.questions)
    a, z = strip_span(text, stop, e)
    if z > a:  # the sign-off and signature: closing, as after headed answers
        rows.append(dict(row, question_id=schemas.CLOSING, question_number=None, start=a, end=z,
                         answer_text=text[a:z], match_method="closing", match_score=1.0,
                         heading_text=None, heading_start=None, warning=None))  # fmt: skip
    return rows


def _clear_heading(block: Block, model: QuestionModel, encode, taken: set[int]) -> bool:
    """Whether ``block``'s heading means one unanswered question clearly (``_decide``'s test)."""
    hs = model.heading_sims(np.asarray(encode.lazy([block.heading or ""])[0]))
    j, lead = _lead(hs, [j for j in range(len(model.questions)) if j not in taken])
    return j is not None and hs[j] >= HEADING_MIN and lead >= HEADING_MARGIN
