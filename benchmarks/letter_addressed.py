"""Which closed question a letter's paragraph takes a position on, for the letter decoder
(session 23; measured, not shipped): the learned reader of :mod:`helpers.stance.addressing`
applied to the decoder's units. It lives with the benchmarks because ingest may not read
the stance stage; ``letter_decoder.featurize`` passes its matrix to ``letterseq.features``.

The decoder's errors on closed questions are answers filed under the neighbouring question
whose words they share ("So yes, I am in favour of what you are proposing" under the start
date; docs/segmentation.md, "Session 23"). The stance reader scores, for a paragraph that
takes a position, whether that position answers each closed question, from the letter
against the consultation's own wording; its probability is one decoder feature
(``letterseq.FEATURES``: ``q_addressed``), weighed like every other by the decoder's
training. Nothing about a consultation is in code; without the reader's weights every value
is 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.core.consultation import Question


def addressed(bodies: Sequence[str], questions: tuple[Question, ...]) -> np.ndarray:
    """(units, questions): the reader's probability that unit ``i``'s position answers
    closed question ``j`` (0 for open questions, units taking no position, and a
    consultation with fewer than two closed questions)."""
    from helpers.stance import addressing, unstructured
    from helpers.stance.discourse import refine
    from helpers.stance.infer import infer_stances

    out = np.zeros((len(bodies), len(questions)))
    weights = unstructured.addressing_weights()
    closed = [j for j, q in enumerate(questions) if q.kind == "closed"]
    if weights is None or len(closed) < 2 or not bodies:
        return out
    qs = tuple(questions[j] for j in closed)
    pieces = list(bodies)
    read = [refine(p, r) for p, r in zip(pieces, infer_stances(pieces), strict=True)]
    stems_of = [unstructured.content_stems(p) for p in pieces]
    words = unstructured._distinctive(qs)
    named = [[i for i, w in enumerate(words) if s & w] for s in stems_of]
    rows = addressing.candidate_rows(stems_of, read, named, unstructured._own_stems(qs), set())
    for q, k, f in rows:
        out[k, closed[q]] = addressing.probability(f, weights)
    return out
