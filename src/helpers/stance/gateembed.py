"""The meaning of an answer as features for the no-position gate: its WordLlama vector.

Session 13 (issue 13). The gate (``stance.gate``) reads an answer the rules found no
position in through hashed word n-grams and word-free tone features. Hashed n-grams
know only the exact words of the training answers; a sentence vector gives every
answer coordinates in one shared space of meaning, so what the gate learned from one
wording can carry to words it never saw (a hope to measure, not assume: a single
pair of paraphrases is not reliably closer than an unrelated sentence in WordLlama's
averaged vectors). WordLlama (``helpers.core.wordvectors``: averaged token vectors,
256 numbers, offline, deterministic, tens of thousands of sentences a second) is
cheap enough for the few rows the gate reads; all-MiniLM was not (``docs/stance.md``,
"A learned layer": two orders of magnitude slower than the rules).

Measured leave-one-batch-out over every spent set (``docs/stance.md``, session 13), and
not shipped: without the augmented training rows the vector beat the same gate without it
(pooled and on stance-items-12 and batch 15, untuned); with them, the recipe the shipped
weights use, it tied on pooled acceptable accuracy (88.1 %), gained two directions in 4,595
and lost one item on stance-items-12. The layout stays for ``benchmarks/stance_gate.py
--layout=extra+wl`` to measure again as the sets grow.

The weights name the layout they were fitted on (``gate.layout_of``): a layout
with ``wl`` adds these 256 columns after the others. Without the WordLlama package
the gate cannot read such weights and leaves the rows as the rules read them
(logged once).
"""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

from helpers.core.wordvectors import DIMENSION  # weights fitted with it fix it

__all__ = ["DIMENSION", "available", "vectors"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the WordLlama vectors can be computed here (package and weights installed)."""
    from helpers.core import wordvectors

    ok = wordvectors.available()
    if not ok:
        log.warning("stance gate: WordLlama not installed; answers without a position stay so")
    return ok


def vectors(texts: list[str]) -> np.ndarray:
    """One unit WordLlama vector per text (``(n, 256)``, float32; zeros for an empty text)."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    from helpers.core.embedding import WORDLLAMA, encode

    return np.asarray(encode(list(texts), model=WORDLLAMA), dtype=np.float32)
