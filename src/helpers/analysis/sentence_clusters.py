"""Sentence vectors and clusters for synthesis: list markers trimmed, sentences embedded
(each distinct text once), and clustered by average linkage on cosine distance.

Moved out of ``analysis.synthesis`` (session 27, no change in behaviour) so that module
keeps the points, sides and representatives; the method is described there and in
docs/reporting.md ("What respondents said").
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

# Average cosine distance (1 - similarity) under which clusters merge into one point. With
# WordLlama, close paraphrases of one argument are 0.2-0.45 apart and two arguments on one
# theme 0.7-0.95 (the hand-made set in tests/test_synthesis.py); on the ofsted-survey
# development set 0.6 joined rewordings of a point and kept different points apart.
DISTANCE_THRESHOLD = 0.60
MAX_CLUSTERED = 2000  # sentences clustered exactly; above, a sample is, the rest join it
_OPENERS = "-–—•*·▪◦"  # the bullet characters of _MARKER
_MARKER = re.compile(r"^\s*(?:[-–—•*·▪◦]+|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)])\s+")


def trim_marker(text: str, start: int) -> tuple[str, int]:
    """``text`` without a leading list marker ('- ', '• ', '2. ', '(a) '), and its new start."""
    m = _MARKER.match(text)
    if not m or m.end() >= len(text):
        return text.strip(), start + len(text) - len(text.lstrip())
    return text[m.end() :].strip(), start + m.end()


def trim_markers(texts: pd.Series, starts: np.ndarray) -> tuple[list[str], np.ndarray]:
    """:func:`trim_marker` of every text, with its start: Python runs only on the texts it
    can change (issue 15: 2 M sentences at 100,000 respondents).

    A text is unchanged (itself, same start) unless its first or last character is
    whitespace (``str.strip``), its first character can open a marker (a bullet, a digit,
    ``(``) or its second closes one (``.`` or ``)`` after a letter). Those characters
    are judged once per distinct value with Python's own ``str`` methods.
    """
    values = texts.astype(object).to_numpy(dtype=object)
    clean = values.tolist()
    new_starts = np.asarray(starts, dtype=np.int64).copy()
    if not len(values):
        return clean, new_starts
    s = pd.Series(values, dtype=object)
    maybe = np.zeros(len(values), dtype=bool)
    for part, test in (
        (s.str[:1], lambda c: c.isspace() or c in _OPENERS or c.isdigit() or c == "("),
        (s.str[-1:], str.isspace),
        (s.str[1:2], lambda c: c in ".)"),
    ):
        codes, distinct = pd.factorize(part.to_numpy(dtype=object))
        hit = np.array([bool(c) and test(c) for c in distinct], dtype=bool)
        if hit.any():
            maybe |= hit[codes]
    for i in np.flatnonzero(maybe).tolist():
        clean[i], new_starts[i] = trim_marker(values[i], int(starts[i]))
    return clean, new_starts


def embed(texts: Sequence[str], model: str = "wordllama") -> np.ndarray:
    """Unit vectors for ``texts``: WordLlama, or TF-IDF when no model package is installed."""
    raw, which = embed_distinct(texts, model)
    return unit_rows(raw, which)


def unit_rows(raw: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``raw``'s ``rows`` as float64 unit vectors (a zero row stays zero).

    Each row is normalised on its own (its norm reads only its own values), so
    normalising a group's rows gives the same numbers as normalising every row and
    then taking the group's: synthesis keeps the model's float32 vectors of the
    distinct texts and makes float64 ones per (question, theme, side) only (issue 15:
    at 100,000 respondents the float64 array of every distinct text, copied while it
    was normalised, was most of the analysis stage's peak memory).
    """
    vectors = np.asarray(raw[rows], dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def embed_distinct(
    texts: Sequence[str], model: str = "wordllama", fallback: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of the distinct texts, as the model gives them (not yet normalised), and each
    text's row in them: ``unit_rows(raw, which)`` is :func:`embed`'s array without holding
    a row per sentence.

    Each distinct text is embedded once (campaign copies and stock phrases recur: at
    10,000 generated respondents 208,000 evidence sentences are 77,000 texts; at 100,000
    the full float64 array alone was 4 GB). A WordLlama vector is the mean of the text's
    own token vectors (padding adds zeros), so the rows are the same; other models, and
    TF-IDF (whose weights depend on the repeats), keep one row per text. ``fallback=False``
    raises ``ModelMissingError`` instead of falling back to TF-IDF.
    """
    from helpers.core import embedding

    try:
        if model == "wordllama":
            which, distinct = pd.factorize(pd.Series(list(texts), dtype=object))
        else:
            which, distinct = np.arange(len(texts)), list(texts)
        vectors = np.asarray(embedding.encode(list(distinct), model=model))
    except embedding.ModelMissingError:
        if not fallback:
            raise
        log.warning("synthesis: %s not installed; clustering on TF-IDF instead", model)
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts).toarray()
        which = np.arange(len(texts))
    return vectors, np.asarray(which)


def _stable_rank(keys: Sequence[str]) -> np.ndarray:
    """Positions ordered by a hash of each key: a sample that does not depend on input order."""
    digests = [hashlib.sha1(k.encode("utf-8")).hexdigest() for k in keys]
    return np.argsort(np.asarray(digests), kind="stable")


def cluster_sentences(
    vectors: np.ndarray,
    keys: Sequence[str],
    threshold: float = DISTANCE_THRESHOLD,
    max_clustered: int = MAX_CLUSTERED,
) -> np.ndarray:
    """Cluster labels (-1: joined no cluster) for unit ``vectors`` sorted by their ``keys``.

    Average-linkage agglomerative clustering on cosine distance cut at
    ``threshold``. With more than ``max_clustered`` rows a sample chosen by a
    hash of the keys is clustered, and each other row joins the cluster whose
    centroid is nearest, if within ``threshold``.
    """
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    sample = np.sort(_stable_rank(keys)[:max_clustered]) if n > max_clustered else np.arange(n)
    from sklearn.cluster import AgglomerativeClustering

    # Cosine distances by one matrix product (BLAS), several times faster than pdist's loop.
    distances = np.clip(1.0 - vectors[sample] @ vectors[sample].T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    found = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    ).fit_predict(distances)
    labels = np.full(n, -1, dtype=int)
    labels[sample] = found
    rest = np.setdiff1d(np.arange(n), sample)
    if len(rest):
        centroids = cluster_means(vectors[sample], found)
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        sims = vectors[rest] @ centroids.T
        best = sims.argmax(axis=1)
        labels[rest] = np.where(sims[np.arange(len(rest)), best] >= 1 - threshold, best, -1)
    return labels


def cluster_means(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Mean row of ``vectors`` per label ``0..labels.max()``, every label present.

    The same numbers as ``vectors[labels == c].mean(axis=0)`` for each ``c``: the rows
    are sorted stably by label once and each cluster's mean is taken over its own
    contiguous block (the same rows in the same order, so the same sums), instead of a
    boolean mask over the whole sample per cluster, which was O(clusters x sentences)
    with up to ``MAX_CLUSTERED`` sentences and hundreds of clusters a group (issue 15).
    """
    order = np.argsort(labels, kind="stable")
    ordered = vectors[order]
    ends = np.cumsum(np.bincount(labels))
    starts = ends - np.bincount(labels)
    return np.vstack([ordered[a:b].mean(axis=0) for a, b in zip(starts, ends, strict=True)])
