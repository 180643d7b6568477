"""One question's answers clustered into campaign groups, and the size rule that keeps a group.

:func:`helpers.ingest.campaigns.find_copies` runs these per question: the answers'
text normalised (each distinct text once; a form's option lines left out), hashed and
clustered most-sent first by :mod:`helpers.ingest.nearcopies`, each distinct text's
evidence counted (:func:`reworded.campaign_evidence`), and only groups of at least
:func:`min_group_size` members kept. Why the representative is the most-sent text and
why the sizes are what they are: :mod:`helpers.ingest.campaigns`' module docstring and
:mod:`helpers.ingest.campaign_sizes`. Split off from ``campaigns`` in session 22 (every
name is re-exported there).
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd

from helpers.core import schemas
from helpers.ingest import nearcopies, reworded
from helpers.ingest.campaign_sizes import MIN_GROUP_SIZES  # the size rule (its docstring)
from helpers.ingest.campaign_text import flat, normalise
from helpers.ingest.copyunits import without_option_lines

WHOLE_RESPONSE = schemas.WHOLE_RESPONSE  # question_id of whole-response copies (letters)
# From this length a pair is a campaign when its text has wording of its own (min_group_size).
EVIDENCE_MIN_CHARS = 100


def min_group_size(
    n_chars: int,
    n_answers: int = 0,
    sizes: tuple[tuple[int, int, float], ...] = MIN_GROUP_SIZES,
    evidence: int = 0,
) -> int:
    """Fewest members a group needs whose shared text has ``n_chars`` characters.

    ``n_answers`` is the number of answers compared for the question (the
    share in ``sizes`` is of these). ``evidence`` is the shared text's count of
    distinctive, non-stock word trigrams (:func:`reworded.campaign_evidence`):
    with ``reworded.MIN_SHARED`` or more, the text says something of its own
    at some length (not the question's words, not stopwords, not a phrase many
    answers use), which two people do not write by chance, so two copies make
    a campaign from ``EVIDENCE_MIN_CHARS`` up; the share of the question's answers still
    applies (session 11: batch 13's campaign pairs are 120-140 characters).
    Shorter texts keep their five copies: "I agree with the proposal and have
    nothing to add" has eight such trigrams, and two or three people write it.
    """
    entry = next((e for e in sizes if n_chars >= e[0]), sizes[-1])
    fewest = entry[1]
    if evidence >= reworded.MIN_SHARED and n_chars >= EVIDENCE_MIN_CHARS:
        fewest = 2
    return max(fewest, math.ceil(entry[2] * n_answers))


def _normalised(u: pd.DataFrame, min_chars: int) -> pd.DataFrame:
    """One question's units with their text normalised (each distinct text once), those of
    ``min_chars`` normalised characters or more; a form's option lines are not compared
    (:func:`copyunits.without_option_lines`).

    Session 28 (issue 15, memory): each unit's text is its distinct text's position
    (``pd.factorize``, first seen first, as ``pd.unique`` orders them), so no dict keyed by
    every raw text and no ``Series.map`` through it (which made the column an object array
    and hashed it again: 209 MB above a 25,845-answer question's own 35 MB of normalised
    text at 30,000 generated survey respondents). The column is the one ``map`` gave (the
    same strings, the dtype pandas infers for them: ``tests/test_scale_session28.py``).
    """
    codes, distinct = pd.factorize(u["text"])  # copies sent word for word: normalised once
    if len(codes) and codes.min() < 0:  # a missing text (never, units are filled): as before
        return _normalised_by_map(u, min_chars)
    normalised = np.empty(len(distinct), dtype=object)
    normalised[:] = [normalise(without_option_lines(t)) for t in distinct]
    u = u.assign(text=pd.Series(normalised[codes], index=u.index))
    return u[u["text"].str.len() >= min_chars]


def _normalised_by_map(u: pd.DataFrame, min_chars: int) -> pd.DataFrame:
    """:func:`_normalised` as it was before session 28 (the reference; texts with gaps)."""
    distinct = pd.unique(u["text"])
    normalised = [normalise(without_option_lines(t)) for t in distinct]
    u = u.assign(text=u["text"].map(dict(zip(distinct, normalised, strict=True))))
    return u[u["text"].str.len() >= min_chars]


def _cluster_question(
    u: pd.DataFrame, qid: str, threshold: float, known: reworded.Known | None
) -> tuple[pd.DataFrame, nearcopies.Clusters, pd.DataFrame, list[int]]:
    """Cluster one question's normalised units ``u``: the units with their ``key`` (a hash
    of the flat text), the clusters, the distinct texts most-sent first (``text``, ``n``,
    ``first``, ``chars``, by key) and each distinct text's evidence."""
    u = u.assign(key=[hashlib.sha256(flat(t).encode("utf-8")).digest() for t in u["text"]])
    # Distinct texts, most-sent first (ties: the shortest, so that a text with no
    # sentence of anyone's own added leads; then the lowest first sender).
    distinct = u.groupby("key", sort=False).agg(
        text=("text", "first"), n=("respondent_id", "size"), first=("respondent_id", "min")
    )
    distinct["chars"] = distinct["text"].str.len()
    distinct = distinct.sort_values(
        ["n", "chars", "first"], ascending=[False, True, True], kind="stable"
    )
    with reworded.remembered():  # each text's trigrams read once for both
        found = nearcopies.cluster(
            distinct["text"].tolist(),
            threshold,
            (distinct["n"] == 1).tolist(),
            passages=qid != WHOLE_RESPONSE,
            known=known,
        )
        evidence = reworded.campaign_evidence(distinct["text"].tolist(), known)
    return u, found, distinct, evidence


def _large_enough(
    u: pd.DataFrame,
    chars: pd.Series,
    evidence: pd.Series,
    min_sizes: tuple[tuple[int, int, float], ...],
) -> pd.DataFrame:
    """The rows of one question's clustered units ``u`` whose group has at least
    :func:`min_group_size` members (``chars`` and ``evidence`` by leader key)."""
    size = u["leader"].map(u["leader"].value_counts())
    chars = u["leader"].map(chars)
    evidence = u["leader"].map(evidence)
    needed = [
        min_group_size(int(c), len(u), min_sizes, int(e) if pd.notna(e) else 0)
        for c, e in zip(chars, evidence, strict=True)
    ]
    return u[size >= needed]
