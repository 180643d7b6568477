"""Embedding neighbour votes: two optional stacker columns from the training file (issue 14).

The stacker's ``neighbours`` column asks whether training answers *worded* like this one
(TF-IDF cosine) were coded with the theme. Points made in everyday words share no
vocabulary with the coded answers, so that vote sits near the base rate for them. These
two columns ask the same question in the trained coder's own embedding space (the
WordLlama sentence vectors it already computes), from the gold answers of the codebook's
``training_answers`` file only (never the answers being coded):

- ``svote``: for every sentence of the answer, its ``NEIGHBOURS`` nearest training
  sentences (cosine) vote whether they are **evidence** of the theme (``evidence``: a
  sentence of a training answer coded with the theme in which the theme's patterns fire,
  or the answer's only sentence), shrunk towards the theme's share of evidence sentences
  as ``stack_features.neighbour_votes`` shrinks; the answer's vote is its best sentence's.
- ``evote``: the answer's unit mean sentence vector against the training answers', the
  same vote over which answers were coded with the theme.

Measured leave-one-batch-out over batches 2-28 of both development consultations, on gold
text (``benchmarks/theme_gbm.py --extras svoteh,evote``) and through the whole pipeline with
each fold's stacker (docs/models.md, "Session 26"): transport gained most batches, Ofsted
did not, so the packaged stacker does not read the votes. The columns are computed only
when the stacker asks for them (``wanted``: its features end with ``FEATURES``), so a
stacker fitted on the ten shared features scores as before, and a refit with the columns
(``theme_gbm --fit PATH --fit-extras svoteh,evote``) turns them on with no other change.
Nothing here names a theme or a consultation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from helpers.coding.stack_features import NEIGHBOUR_ALPHA, NEIGHBOURS
from helpers.coding.trained_fit import hit_matrices

FEATURES = ("svote", "evote")
# query rows whose similarities are held at once (dense float64): 2,000 x 5,000 is 80 MB
CHUNK = 2_000


@dataclass
class VoteIndex:
    """The training file's side of the votes, as plain arrays (cached with ``Fitted``).

    ``sentences``: ``(training sentences, dims)`` unit vectors, answer by answer;
    ``evidence``: ``(training sentences, themes)``, the sentence is evidence of the theme;
    ``answers``: ``(training answers, dims)`` unit mean sentence vectors; ``labels``:
    ``(training answers, themes)``, the answer was coded with the theme.
    """

    sentences: np.ndarray
    evidence: np.ndarray
    answers: np.ndarray
    labels: np.ndarray


def wanted(features: Sequence[str]) -> bool:
    """Whether a stacker with these ``features`` reads the vote columns (its last two)."""
    return tuple(features[-len(FEATURES) :]) == FEATURES


def evidence(sentence_counts: Sequence[int], coded: np.ndarray, here: np.ndarray) -> np.ndarray:
    """``(sentences, themes)`` booleans: the sentence is evidence of the theme.

    ``sentence_counts[i]``: training answer ``i``'s sentences (stacked in order);
    ``coded``: ``(answers, themes)``, the answer has the theme; ``here``: ``(sentences,
    themes)``, the theme's patterns fire in the sentence. Rationale: the gold says which
    themes an answer has, not which sentence makes the point; a sentence the theme's
    patterns fire in, or an answer's only sentence, is the evidence that needs no
    classifier (the training answers' sentences are never scored, so the votes depend on
    the training file and the patterns alone).
    """
    counts = np.asarray(sentence_counts, dtype=int)
    owner = np.repeat(np.arange(len(counts)), counts)
    coded = np.asarray(coded, dtype=bool).reshape(len(counts), -1)
    out = coded[owner] & (np.asarray(here) > 0)
    out |= coded[owner] & (counts[owner] == 1)[:, None]
    return out


def build(
    answer_vec: np.ndarray,
    sentence_vec: np.ndarray,
    sentence_counts: Sequence[int],
    labels: np.ndarray,
    here: np.ndarray,
) -> VoteIndex:
    """The ``VoteIndex`` of a training file: its answers' and sentences' unit vectors (as
    ``trained_score.vectors`` gives them), its labels and its sentences' ``evidence``."""
    sent = np.asarray(sentence_vec, dtype=np.float64)
    sent = sent / np.maximum(np.linalg.norm(sent, axis=1, keepdims=True), 1e-12)
    labels = np.asarray(labels, dtype=bool)
    return VoteIndex(
        sentences=sent.astype(np.float32),
        evidence=evidence(sentence_counts, labels, here),
        answers=np.asarray(answer_vec, dtype=np.float32),
        labels=labels,
    )


def for_training(
    answer_vec: np.ndarray,
    spans: Sequence[Sequence[tuple[int, int]]],
    sentence_vec: np.ndarray,
    labels: np.ndarray,
    hits: Sequence[Sequence[tuple[str, int, int]]],
    theme_ids: Sequence[str],
) -> VoteIndex:
    """``build`` of a training file as ``trained`` fits it: ``spans`` its answers' sentences,
    ``hits`` their dictionary codes (``trained_fit.dictionary_hits``), ``labels`` its
    ``(answers, theme_ids)`` gold; a sentence's hits by ``trained_fit.hit_matrices``."""
    here, _ = hit_matrices(list(spans), hits, theme_ids)
    return build(answer_vec, sentence_vec, [len(sp) for sp in spans], labels, here)


def top_votes(
    query: np.ndarray, base: np.ndarray, labels: np.ndarray,
    k: int = NEIGHBOURS, alpha: float = NEIGHBOUR_ALPHA,
) -> np.ndarray:  # fmt: skip
    """``(queries, themes)``: ``stack_features.neighbour_votes`` of unit ``query`` rows
    against unit ``base`` rows with ``labels``, ``CHUNK`` query rows at a time.

    The ``k`` nearest are found by partition (the vote sums over them, so their order does
    not matter); only rows tied at the ``k``-th similarity may be chosen otherwise than
    by ``neighbour_votes``' stable sort.
    """
    labels = np.asarray(labels, dtype=np.float64)
    prior = labels.mean(axis=0) if len(labels) else np.zeros(labels.shape[1])
    out = np.tile(prior, (len(query), 1))
    if not len(query) or not len(base):
        return out
    k = min(k, len(base))
    base = np.asarray(base, dtype=np.float64)
    for at in range(0, len(query), CHUNK):
        sim = np.asarray(query[at : at + CHUNK], dtype=np.float64) @ base.T
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k] if k < len(base) else None
        if top is None:
            top = np.broadcast_to(np.arange(len(base)), sim.shape)
        w = np.clip(np.take_along_axis(sim, top, axis=1), 0.0, None)
        votes = np.einsum("ij,ijt->it", w, labels[top])
        out[at : at + CHUNK] = (votes + alpha * prior) / (w.sum(axis=1, keepdims=True) + alpha)
    return out


def columns(
    index: VoteIndex, answer_vec: np.ndarray, sentence_vec: np.ndarray, first: np.ndarray
) -> np.ndarray:
    """``(answers, themes, 2)``: each answer's ``svote`` and ``evote`` for each theme.

    ``answer_vec``: the answers' unit vectors; ``sentence_vec``: their sentences' (answer
    ``i``'s are rows ``first[i]`` to ``first[i + 1]``; every answer has one at least).
    """
    sent = np.asarray(sentence_vec, dtype=np.float64)
    sent = sent / np.maximum(np.linalg.norm(sent, axis=1, keepdims=True), 1e-12)
    per_sentence = top_votes(sent, index.sentences, index.evidence)
    svote = np.maximum.reduceat(per_sentence, np.asarray(first[:-1], dtype=int), axis=0)
    evote = top_votes(np.asarray(answer_vec, dtype=np.float64), index.answers, index.labels)
    return np.stack([svote, evote], axis=2)
