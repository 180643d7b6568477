"""How much an evidence sentence reads like its theme's description: one stacker column.

Session 27's census of wrong codes over batches 2-29 found most of transport's were
dictionary codes whose patterns fired on a theme's word used about something else (a
false friend) or named in passing in a list of another point's examples. The stacker
sees *that* the patterns fired, how many other themes fired beside them and how many
commas the sentence has, but not *what the sentence is about*. This column asks it in
the codebook's own terms, with no consultation's words in code:

- every theme's description text (``description_text``: its label and description, as a
  second coder reads them) and every sentence of the answer are embedded with the same
  offline vectors the trained coder already computes;
- a sentence's ``margin`` for a theme is its cosine to that theme's description minus
  its largest cosine to any *other* theme's description of the codebook: above 0 when the
  sentence reads more like this theme than like any other, below 0 when it reads like
  another theme (a list of another theme's examples, a false friend's other subject);
- a candidate's column (``column``) is the best margin over the sentences its patterns
  fire in, or over every sentence when they fire in none (a classifier-only candidate).

The column depends on the codebook and the answer alone (no training answer), so a
fitted stacker reads the same numbers in the pipeline as in the benchmark that fitted
it (``benchmarks/theme_context.py``). Measured leave-one-batch-out and not shipped
(docs/models.md, "Session 28"), so it lives with the benchmarks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

FEATURE = "context"
EMPTY = 0.0  # the column of an answer without sentences


_NOT = re.compile(r"\bNot:\s*", re.IGNORECASE)


def description_text(label: str, description: str) -> str:
    """The text a theme's description vector is built from: its label, then its
    description up to a "Not:" clause (which names *other* subjects, often other themes':
    it would pull the vector towards what the theme is not; ``semantic.theme_texts``
    splits the same way)."""
    label = label.strip()
    description = _NOT.split(" ".join(description.split()), maxsplit=1)[0].strip()
    return f"{label}: {description}" if description else label


def unit(x: np.ndarray) -> np.ndarray:
    """Rows of ``x`` scaled to unit length (zero rows stay zero)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or not len(x):
        return x.reshape(len(x), -1) if x.ndim else x
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def margins(sentence_vec: np.ndarray, description_vec: np.ndarray) -> np.ndarray:
    """``(sentences, themes)``: each sentence's cosine to each theme's description minus
    its largest cosine to another theme's. ``description_vec``: one row per theme of the
    codebook (every theme, so "another theme" is any of the codebook's)."""
    s, d = unit(sentence_vec), unit(description_vec)
    if not len(s) or not len(d):
        return np.zeros((len(s), len(d)))
    sim = s @ d.T
    if sim.shape[1] == 1:
        return sim
    top2 = -np.partition(-sim, 1, axis=1)[:, :2]
    first, second = top2.max(axis=1, keepdims=True), top2.min(axis=1, keepdims=True)
    best_other = np.where(sim >= first, second, first)
    return sim - best_other


def column(margin: np.ndarray, evidence: Sequence[bool]) -> float:
    """One candidate's ``context``: the best of one theme's sentence ``margin`` (a column
    of ``margins``) over its ``evidence`` sentences, over every sentence when none is."""
    m = np.asarray(margin, dtype=np.float64)
    if not len(m):
        return EMPTY
    e = np.asarray(evidence, dtype=bool)
    return float(m[e].max() if e.any() else m.max())


def wanted(features: Sequence[str]) -> bool:
    """Whether a stacker with these ``features`` reads the column."""
    return FEATURE in features


def columns(
    sentence_vec: np.ndarray,
    description_vec: np.ndarray,
    first: np.ndarray,
    here: np.ndarray,
    theme_cols: Sequence[int],
) -> np.ndarray:
    """``(answers, themes, 1)``: ``column`` of every (answer, theme) at once.

    ``sentence_vec``: every answer's sentences stacked (answer ``i``'s are rows ``first[i]``
    to ``first[i + 1]``; every answer has one at least); ``description_vec``: one row per
    theme of the codebook; ``here``: ``(sentences, themes)``, the theme's patterns fire in
    the sentence (``trained_fit.hit_matrices``); ``theme_cols[k]``: the codebook row of
    ``here``'s theme ``k``. The same numbers as ``column`` of each pair.
    """
    m = margins(sentence_vec, description_vec)[:, list(theme_cols)]
    hit = np.asarray(here) > 0
    starts = np.asarray(first[:-1], dtype=int)
    if not len(starts):
        return np.zeros((0, len(theme_cols), 1))
    best_all = np.maximum.reduceat(m, starts, axis=0)
    best_hit = np.maximum.reduceat(np.where(hit, m, -np.inf), starts, axis=0)
    return np.where(np.isfinite(best_hit), best_hit, best_all)[:, :, None]
