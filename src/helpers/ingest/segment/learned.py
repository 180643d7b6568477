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

The units and the rows rebuilt from them are in ``segment.units``, the pair
features in ``segment.rerankfeatures`` (split out in session 26); this module
holds the weights, the decision (``choose``, ``decode``) and the pass itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment.rerankfeatures import (
    BASE_FEATURES,
    FEATURES,
    ORDER_FEATURES,
    REPEAT_FEATURES,
    doc_features,
)
from helpers.ingest.segment.units import NONE, Unit, _keep_row_details, rebuild_rows, units_of

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

_SKIP_METHODS = ("survey_column",)
_VEC_CHARS = 600  # a unit's first characters encoded for its meaning


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
