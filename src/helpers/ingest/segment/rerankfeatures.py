"""The learned re-ranker's pair features: one row per (unit, choice) of a response.

Each unit (``segment.units``) is paired with "none" (choice 0: preamble,
closing, unstructured) and with every question; ``doc_features`` computes
``FEATURES`` of every pair: the rules' choice and how it was made, meaning and
character similarity to the question, a question number, the neighbours'
questions and the unit's shape (``BASE_FEATURES``), then where the unit sits
in reading order (``order_features``) and repeated short lines
(``repeat_features``). The re-ranker itself (``segment.learned``) scores and
decodes them. Moved out of ``segment.learned`` in session 26, unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment.headings import numbered_questions
from helpers.ingest.segment.numbering import read_numbering
from helpers.ingest.segment.similarity import text_similarities
from helpers.ingest.segment.units import NONE, Unit

__all__ = [
    "BASE_FEATURES",
    "FEATURES",
    "ORDER_FEATURES",
    "REPEAT_FEATURES",
    "doc_features",
    "order_features",
    "repeat_features",
    "repeated_lines",
]

_HEADING_METHODS = ("number", "text", "number+text", "table")
_HEAD_WORDS = 12
_SIM_CHARS = 300  # a unit's first characters compared with the questions' wording

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
