"""A learned re-ranker over each paragraph's question, after the hand-ruled passes.

Why: five sessions of hand rules written from one batch's errors gained on
that batch and little on the next, because each batch's failures are layouts
and wordings not seen before. This pass decides each paragraph's question
from evidence the rules already compute, weighted by a model trained on every
spent development batch (``benchmarks/seg_training.py`` builds the table,
trains it and writes the weights; it reports leave-one-batch-out scores).

A response's text is cut into *units*: its blank-line paragraphs, cut again
at every boundary of the rules' answer rows (so the rules' own decision is
always one of the choices). Each unit is scored against every question and
against "none" (preamble, closing, unstructured) with a linear model over
pair features: whether the rules chose that question and how (heading,
order, meaning), the unit's meaning similarity to the question (its wording
and the run's answers' centroid, ``meaning.build_model``) and its rank, the
character similarity of the unit and of the unit before it to the question
(a heading above), a question number at the unit's start, the neighbours'
questions, and the unit's shape (length, position, a heading-like line).
The best-scoring choice wins, unless the rules' choice is within the
weights' ``margin`` of it; with the weights' ``switch`` above 0 the units of a
document are decided together (``decode``: a change of question between
neighbours without heading evidence costs ``switch``). A document whose
units all keep the rules' choice keeps its rows as they are; one with a
changed unit gets its rows rebuilt from the units (consecutive units with one question make one row).

The weights ship in ``helpers/data/segment_reranker.json`` (a few hundred
numbers, read offline). The pass is off unless the consultation's setting
``segmentation_reranker`` is true: it is kept off by default until its
leave-one-batch-out scores beat the rules in most batches, not only on
average (docs/segmentation.md has the session 13 table).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment.headings import numbered_questions
from helpers.ingest.segment.numbering import read_numbering
from helpers.ingest.segment.similarity import text_similarities

__all__ = [
    "BASE_FEATURES",
    "FEATURES",
    "ORDER_FEATURES",
    "REPEAT_FEATURES",
    "NONE",
    "Unit",
    "apply_reranker",
    "choose",
    "decode",
    "doc_features",
    "free_switch",
    "load_weights",
    "rebuild_rows",
    "units_of",
]

NONE = "_none"
_NONE_KINDS = (schemas.PREAMBLE, schemas.CLOSING, schemas.UNSTRUCTURED)
_HEADING_METHODS = ("number", "text", "number+text", "table")
_SKIP_METHODS = ("survey_column",)
_BLANK_RE = re.compile(r"\n[ \t]*\n\s*")
_HEAD_WORDS = 12
_SIM_CHARS = 300  # a unit's first characters compared with the questions' wording
_VEC_CHARS = 600  # ...and encoded for its meaning

BASE_FEATURES = (
    "is_none",
    "none_short",
    "none_first",
    "none_last",
    "none_loglen",
    "none_headlike",
    "none_cur_none",
    "none_prev_none",
    "is_cur",
    "cur_heading",
    "cur_order",
    "cur_meaning",
    "cur_other",
    "cur_score",
    "cur_short",
    "prev_cur",
    "next_cur",
    "prev_cur_cur_none",
    "prev_final_heading",
    "cos_centroid",
    "cos_variant",
    "gap_centroid",
    "gap_variant",
    "top_centroid",
    "top_variant",
    "char_sim",
    "char_para",
    "prev_char_sim",
    "number_here",
    "number_prev",
    "next_in_order",
    "taken_elsewhere",
    "cos_short",
)
# Reading order (``order_features``): where the unit sits against the questions' order,
# and which question the nearest heading-placed unit above and below names.
ORDER_FEATURES = (
    "order_fit",
    "owner_above",
    "owner_above_next",
    "owner_below",
    "sandwich",
    "unplaced_cos",
    "unplaced_top",
    "unplaced_order",
    "none_unplaced_len",
    "none_end_long",
)
# Repeated lines (``repeat_features``): a short line whose words recur in the document.
REPEAT_FEATURES = ("none_repeated", "prev_cur_repeated")
FEATURES = BASE_FEATURES + ORDER_FEATURES + REPEAT_FEATURES


@dataclass
class Unit:
    """One piece of a response: its span, the rules' choice and how it was made."""

    start: int
    end: int
    cur: str  # the rules' question id, or NONE
    kind: str  # the rules' row question id (preamble, closing, unstructured, a question; "": none)
    method: str
    score: float
    substantive: bool
    heading: bool  # the span is a row's heading line (``heading_start``)


def _spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Blank-line paragraphs of ``text[lo:hi]``, stripped of surrounding white space."""
    out, pos = [], lo
    for m in _BLANK_RE.finditer(text, lo, hi):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, hi))
    spans = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def units_of(text: str, rows: pd.DataFrame) -> list[Unit]:
    """The document's units with the rules' choice for each (see the module docstring)."""
    cuts = {0, len(text)}
    marks: list[tuple[int, int, int]] = []  # (start, end, row position)
    for k, r in enumerate(rows.itertuples(index=False)):
        s, e = int(r.start), int(r.end)
        cuts.update((s, e))
        marks.append((s, e, k))
        if pd.notna(r.heading_start):
            cuts.add(int(r.heading_start))
    heads = {int(h): k for k, h in enumerate(rows["heading_start"]) if pd.notna(h) and int(h) >= 0}
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    rec = rows.to_dict("records")
    units = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        for s, e in _spans(text, a, b):
            best, cover = None, 0
            for rs, re_, k in marks:
                o = min(e, re_) - max(s, rs)
                if o > cover:
                    best, cover = k, o
            if best is None:  # a heading line, or text between rows: in no row
                kind, method, score, subst = "", "none", 0.0, True
            else:
                r = rec[best]
                kind, method = str(r["question_id"]), str(r["match_method"])
                score = float(r["match_score"]) if pd.notna(r["match_score"]) else 0.0
                subst = True if pd.isna(r["substantive"]) else bool(r["substantive"])
            head = s in heads and best is None
            cur = NONE if kind in _NONE_KINDS or best is None else kind
            units.append(Unit(s, e, cur, kind, method, score, subst, head))
    return units


def _numbered(text: str, s: int, e: int, numbered: dict[int, int]) -> int | None:
    n = read_numbering(text, s, e)
    if n is None or n.number is None:
        return None
    return numbered.get(n.number)


def doc_features(
    text: str,
    units: Sequence[Unit],
    questions: tuple[Question, ...],
    centroid_sims: np.ndarray,
    variant_sims: np.ndarray,
) -> np.ndarray:
    """Pair features, shape (units, questions + 1, len(FEATURES)); choice 0 is NONE.

    ``centroid_sims`` and ``variant_sims`` are each unit's cosine with each
    question's answers' centroid and best wording variant (units, questions).
    """
    nq, nu = len(questions), len(units)
    ids = [q.id for q in questions]
    col = {q: j + 1 for j, q in enumerate(ids)}
    numbered = numbered_questions(questions)
    f = np.zeros((nu, nq + 1, len(BASE_FEATURES)), dtype=np.float64)
    ix = {name: i for i, name in enumerate(BASE_FEATURES)}
    chars = [
        text_similarities(" ".join(text[u.start : u.end][:_SIM_CHARS].split()), questions)
        for u in units
    ]
    nums = [_numbered(text, u.start, u.end, numbered) for u in units]
    count: dict[str, int] = {}
    for u in units:
        count[u.cur] = count.get(u.cur, 0) + 1
    for i, u in enumerate(units):
        body = text[u.start : u.end]
        words = len(body.split())
        short = words <= _HEAD_WORDS
        headlike = short and not body.rstrip().endswith((".", "!", ","))
        prev = units[i - 1] if i else None
        nxt = units[i + 1] if i + 1 < nu else None
        row = f[i]
        row[0, ix["is_none"]] = 1
        row[0, ix["none_short"]] = short
        row[0, ix["none_first"]] = i == 0
        row[0, ix["none_last"]] = i == nu - 1
        row[0, ix["none_loglen"]] = math.log1p(len(body))
        row[0, ix["none_headlike"]] = headlike or u.heading
        row[0, ix["none_cur_none"]] = u.cur == NONE
        row[0, ix["none_prev_none"]] = prev is None or prev.cur == NONE
        cs, vs = centroid_sims[i], variant_sims[i]
        c_order = np.argsort(-cs, kind="stable") if nq else []
        v_order = np.argsort(-vs, kind="stable") if nq else []
        c_rank = {int(j): r for r, j in enumerate(c_order)}
        v_rank = {int(j): r for r, j in enumerate(v_order)}
        prev_num = nums[i - 1] if prev is not None else None
        prev_q = col.get(prev.cur) if prev is not None else None
        for j in range(nq + 1):
            q = NONE if j == 0 else ids[j - 1]
            r = row[j]
            if u.cur == q:
                r[ix["is_cur"]] = 1
                r[ix["cur_heading"]] = u.method in _HEADING_METHODS
                r[ix["cur_order"]] = u.method == "order"
                r[ix["cur_meaning"]] = u.method == "meaning"
                r[ix["cur_other"]] = u.method not in (*_HEADING_METHODS, "order", "meaning")
                r[ix["cur_score"]] = u.score
                r[ix["cur_short"]] = short
            if prev is not None and prev.cur == q:
                r[ix["prev_cur"]] = 1
                r[ix["prev_cur_cur_none"]] = u.cur == NONE
                r[ix["prev_final_heading"]] = prev.method in _HEADING_METHODS
            if nxt is not None and nxt.cur == q:
                r[ix["next_cur"]] = 1
            if j == 0:
                continue
            k = j - 1
            r[ix["cos_centroid"]] = cs[k]
            r[ix["cos_variant"]] = vs[k]
            r[ix["gap_centroid"]] = cs[k] - cs[c_order[0]]
            r[ix["gap_variant"]] = vs[k] - vs[v_order[0]]
            r[ix["top_centroid"]] = 1.0 / (1 + c_rank[k])
            r[ix["top_variant"]] = 1.0 / (1 + v_rank[k])
            r[ix["cos_short"]] = cs[k] * short
            r[ix["char_sim"]], r[ix["char_para"]] = chars[i][k]
            if prev is not None:
                r[ix["prev_char_sim"]] = chars[i - 1][k][0] * (
                    len(text[prev.start : prev.end].split()) <= _HEAD_WORDS
                )
            r[ix["number_here"]] = nums[i] == k
            r[ix["number_prev"]] = prev_num == k
            r[ix["next_in_order"]] = prev_q is not None and j == prev_q + 1
            r[ix["taken_elsewhere"]] = count.get(q, 0) - (u.cur == q) > 0
    extra = [order_features(units, questions, f), repeat_features(text, units, questions)]
    return np.concatenate([f, *extra], axis=2)


_NORM_RE = re.compile(r"[\W_]+")


def repeated_lines(text: str, units: Sequence[Unit]) -> np.ndarray:
    """Per unit: a short line (at most ``_HEAD_WORDS`` words) whose words recur as
    another unit of the same document ("Evidence", "Our reasons" under each answer)."""
    keys = []
    for u in units:
        body = text[u.start : u.end]
        short = len(body.split()) <= _HEAD_WORDS
        keys.append(_NORM_RE.sub(" ", body.lower()).strip() if short else "")
    count: dict[str, int] = {}
    for k in keys:
        count[k] = count.get(k, 0) + 1
    return np.array([bool(k) and count[k] > 1 for k in keys], dtype=bool)


def repeat_features(
    text: str, units: Sequence[Unit], questions: tuple[Question, ...]
) -> np.ndarray:
    """``REPEAT_FEATURES`` of each (unit, choice), shape (units, questions + 1, 2).

    Why: a heading-shaped line repeated through one document is the
    respondent's template inside each answer (docs/segmentation.md, repeated
    sub-headings), not a title or a sign-off: it belongs with the answer
    around it (the unit before's question), where a one-off short line may
    be in no answer at all.
    """
    col = {q.id: j + 1 for j, q in enumerate(questions)}
    rep = repeated_lines(text, units)
    f = np.zeros((len(units), len(questions) + 1, len(REPEAT_FEATURES)))
    f[:, 0, 0] = rep
    for i in range(1, len(units)):
        j = col.get(units[i - 1].cur)
        if rep[i] and j is not None:
            f[i, j, 1] = 1
    return f


def order_features(
    units: Sequence[Unit], questions: tuple[Question, ...], base: np.ndarray
) -> np.ndarray:
    """``ORDER_FEATURES`` of each (unit, choice), shape (units, questions + 1, 10).

    Why: respondents answer mostly in the consultation's order, and text
    under a heading belongs to it until the next one; the rules apply both
    as fixed preferences, the model weighs them against meaning. Text the
    rules left in no question (``unplaced``) is judged by meaning and order
    apart from placed text, since that is where the rules are weakest.
    A long paragraph first or last is told apart from a short one
    (``none_end_long``): a sign-off or a title is short, a last answer is not.
    ``base`` is ``BASE_FEATURES`` of the same pairs.
    """
    nq, nu = len(questions), len(units)
    col = {q.id: j + 1 for j, q in enumerate(questions)}
    f = np.zeros((nu, nq + 1, len(ORDER_FEATURES)))
    above: list[int | None] = []
    last = None
    for u in units:
        above.append(last)
        if u.method in _HEADING_METHODS and u.cur in col:
            last = col[u.cur]
    below: list[int | None] = [None] * nu
    last = None
    for i in range(nu - 1, -1, -1):
        below[i] = last
        if units[i].method in _HEADING_METHODS and units[i].cur in col:
            last = col[units[i].cur]
    ix = {name: i for i, name in enumerate(BASE_FEATURES)}
    for i, u in enumerate(units):
        rel = i / (nu - 1) if nu > 1 else 0.0
        unplaced = u.cur == NONE and u.kind in ("", schemas.UNSTRUCTURED)
        prev_cur = units[i - 1].cur if i else None
        next_cur = units[i + 1].cur if i + 1 < nu else None
        f[i, 0, 8] = unplaced * base[i, 0, ix["none_loglen"]]
        f[i, 0, 9] = (i in (0, nu - 1)) * (1 - base[i, 0, ix["none_short"]])
        for j in range(1, nq + 1):
            qid = questions[j - 1].id
            f[i, j, 0] = 1 - abs(rel - ((j - 1) / (nq - 1) if nq > 1 else 0.0))
            f[i, j, 1] = above[i] == j
            f[i, j, 2] = above[i] is not None and j == above[i] + 1
            f[i, j, 3] = below[i] == j
            f[i, j, 4] = prev_cur == qid and next_cur == qid
            f[i, j, 5] = unplaced * base[i, j, ix["cos_centroid"]]
            f[i, j, 6] = unplaced * base[i, j, ix["top_centroid"]]
            f[i, j, 7] = unplaced * f[i, j, 0]
    return f


@lru_cache(maxsize=1)
def load_weights() -> dict:
    """The shipped model: ``features``, ``mean``, ``scale``, ``coef``, ``intercept``."""
    path = resources.files("helpers.data").joinpath("segment_reranker.json")
    return json.loads(path.read_text(encoding="utf-8"))


def choose(features: np.ndarray, weights: Mapping, margin: float | None = None) -> np.ndarray:
    """The best choice (0 = NONE, j = question j-1) of each unit under ``weights``.

    The rules' choice (the pair with ``is_cur``) is kept unless another
    scores more than ``margin`` above it (the weights' ``margin`` unless given):
    a change must be clearly better, since the rules are right most of the time.
    With the weights' ``switch`` above 0 the units are decided together (``decode``).
    """
    if list(weights["features"]) != list(FEATURES):
        raise ValueError("segment_reranker.json was trained on other features: regenerate it")
    margin = float(weights.get("margin", 0.0)) if margin is None else margin
    x = (features - np.asarray(weights["mean"])) / np.asarray(weights["scale"])
    score = x @ np.asarray(weights["coef"]) + float(weights["intercept"])
    return decode(score, features, margin, float(weights.get("switch", 0.0)))


def free_switch(features: np.ndarray) -> np.ndarray:
    """Per unit: may its question differ from the unit before's at no cost?

    Heading evidence opens a new answer: the unit or the one before is a
    heading-like line not repeated in the document (``repeated_lines``), the unit starts with a question number, or the rules
    placed it by a heading in a row that starts there. The first unit is free.
    """
    ix = {name: i for i, name in enumerate(FEATURES)}
    n = len(features)
    head = (features[:, 0, ix["none_headlike"]] > 0) & (features[:, 0, ix["none_repeated"]] == 0)
    number = features[:, 1:, ix["number_here"]].max(axis=1, initial=0) > 0
    cur = features[:, :, ix["is_cur"]] > 0
    opens = (
        cur & (features[:, :, ix["cur_heading"]] > 0) & (features[:, :, ix["prev_cur"]] == 0)
    ).any(axis=1)
    free = head | number | opens
    free[1:] |= head[:-1]
    if n:
        free[0] = True
    return free


def decode(
    score: np.ndarray, features: np.ndarray, margin: float, switch: float = 0.0
) -> np.ndarray:
    """Each unit's choice from its scores: the rules' choice gets ``margin`` extra, and
    (Viterbi) a change of choice between neighbours costs ``switch`` unless ``free_switch``.

    Why: paragraphs in a run usually answer one question; a change mid-run
    needs evidence (a heading, a number) or a clear lead in the scores.
    With ``switch`` 0 this is ``choose``: each unit alone.
    """
    cur = np.argmax(features[:, :, FEATURES.index("is_cur")], axis=1)
    rows = np.arange(len(score))
    if not switch:
        best = np.argmax(score, axis=1)
        keep = score[rows, best] - score[rows, cur] <= margin
        return np.where(keep, cur, best)
    s = score.copy()
    s[rows, cur] += margin + 1e-9  # ties go to the rules
    free = free_switch(features)
    n, k = s.shape
    back = np.zeros((n, k), dtype=int)
    total = s[0].copy()
    for i in range(1, n):
        cost = 0.0 if free[i] else switch
        move = total.max() - cost
        stay = total
        back[i] = np.where(stay >= move, np.arange(k), int(np.argmax(total)))
        total = np.maximum(stay, move) + s[i]
    out = np.zeros(n, dtype=int)
    out[-1] = int(np.argmax(total))
    for i in range(n - 1, 0, -1):
        out[i - 1] = back[i, out[i]]
    return out


def rebuild_rows(
    rid: str, text: str, units: Sequence[Unit], labels: Sequence[str], numbers: Mapping[str, int]
) -> list[dict]:
    """Answer rows from units' chosen labels: consecutive units with one label make one row."""
    rows: list[dict] = []

    def key(i: int) -> tuple[str, bool]:  # text in no row stays apart from a preamble's
        return labels[i], labels[i] != NONE or bool(units[i].kind)

    i = 0
    while i < len(units):
        k = i
        while k + 1 < len(units) and key(k + 1) == key(i):
            k += 1
        s, e, lab = units[i].start, units[k].end, labels[i]
        group = units[i : k + 1]
        if lab == NONE and not any(u.kind for u in group):
            i = k + 1  # in no row before (a heading line): in none now
            continue
        if lab == NONE:
            kinds = [u.kind for u in group if u.kind in _NONE_KINDS]
            qid = kinds[0] if kinds else schemas.UNSTRUCTURED
            method = qid if qid != schemas.UNSTRUCTURED else "unstructured"
        else:
            qid, method = lab, "learned" if any(u.cur != lab for u in group) else group[0].method
        rows.append(
            {
                "respondent_id": rid,
                "question_id": qid,
                "question_number": numbers.get(qid),
                "start": s,
                "end": e,
                "answer_text": text[s:e],
                "match_method": method,
                "match_score": max(u.score for u in group),
                "substantive": any(u.substantive for u in group),
            }
        )
        i = k + 1
    return rows


_DETAILS = ("heading_text", "heading_start", "tick_box", "warning")


def _keep_row_details(rows: pd.DataFrame, rebuilt: list[dict]) -> pd.DataFrame:
    """Rebuilt rows with the heading, tick-box answer and warning of the rules' row they
    start with (same question, same start), so a kept answer keeps what was read of it."""
    old = {(str(r["question_id"]), int(r["start"])): r for r in rows.to_dict("records")}
    for r in rebuilt:
        match = old.get((r["question_id"], r["start"]))
        if match is not None:
            r.update({k: match.get(k) for k in _DETAILS})
        elif r["match_method"] == "learned":
            r["warning"] = "placed by the learned re-ranker: check"
    return pd.DataFrame(rebuilt)


def unit_vectors(text: str, units: Sequence[Unit], model, encode) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's cosine with each question's centroid and best wording variant."""
    nq = len(model.questions)
    if not units:
        return np.zeros((0, nq)), np.zeros((0, nq))
    vecs = encode([text[u.start : u.end][:_VEC_CHARS] for u in units])
    cs = vecs @ model.centroids.T
    vs = np.vstack([model.heading_sims(v) for v in vecs])
    return cs, vs


def apply_reranker(
    answers: pd.DataFrame,
    texts: Mapping[str, str],
    questions: tuple[Question, ...],
    model,
    encode,
    weights: Mapping | None = None,
) -> pd.DataFrame:
    """``answers`` with each document's units re-decided by the learned model."""
    weights = weights or load_weights()
    numbers = {q.id: q.number for q in questions}
    out: list[pd.DataFrame] = []
    changed = False
    for rid, rows in answers.groupby("respondent_id", sort=False):
        text = texts.get(str(rid), "")
        if not text or rows["match_method"].isin(_SKIP_METHODS).any():
            out.append(rows)
            continue
        units = units_of(text, rows)
        cs, vs = unit_vectors(text, units, model, encode)
        best = choose(doc_features(text, units, questions, cs, vs), weights)
        labels = [NONE if b == 0 else questions[b - 1].id for b in best]
        if all(lab == u.cur for lab, u in zip(labels, units, strict=True)):
            out.append(rows)
            continue
        changed = True
        out.append(_keep_row_details(rows, rebuild_rows(str(rid), text, units, labels, numbers)))
    if not changed:
        return answers
    return schemas.conform(pd.concat(out, ignore_index=True), schemas.ANSWERS)


def rerank(
    answers: pd.DataFrame, texts: Mapping[str, str], consultation, encode=None
) -> pd.DataFrame:
    """The run's answers re-decided by the shipped model (``consultation.segmentation_reranker``).

    The questions' meaning model is built from the run's answers as the
    meaning pass builds it (``meaning.build_model``), with the consultation's
    ``segmentation_model``; without that model installed the answers are kept.
    """
    from helpers.ingest.segment.meaning import build_model
    from helpers.ingest.segment.vectors import TextVectors, run_encoder

    if answers.empty:
        return answers
    encode = encode or run_encoder(consultation.segmentation_model)
    if encode is None:
        return answers
    vectors = TextVectors(encode)
    model = build_model(answers, consultation, vectors)
    return apply_reranker(answers, texts, tuple(consultation.questions), model, vectors)
