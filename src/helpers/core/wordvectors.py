"""Sentence embeddings from WordLlama: averaged token vectors, fast enough for every sentence.

WordLlama (PyPI ``wordllama``, pinned in ``requirements-models.lock``) ships
its 256-dimensional token table (``l2_supercat``, about 16 MB) and tokenizer
inside the wheel. A sentence's vector is the mean of its token vectors, so it
encodes tens of thousands of sentences a second on one core, against about a
hundred for all-MiniLM-L6-v2 in numpy (``embedding``); docs/models.md compares
the two on the development sets.

It stays offline only when loaded with ``cache_dir`` set to the package's own
folder and ``disable_download=True``: without them ``WordLlama.load`` looks in
the user's cache and may try to fetch the files (a packaging quirk). A test
loads it with sockets blocked.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "wordllama"
CONFIG = "l2_supercat"
DIMENSION = 256


def package_dir() -> Path | None:
    """The installed ``wordllama`` folder (found without importing it), or None."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location)
        if any((folder / "weights").glob(f"{CONFIG}_*.safetensors")):
            return folder
    return None


def available() -> bool:
    """Whether :func:`encode` can run here (the package and its bundled weights)."""
    return package_dir() is not None


@lru_cache(maxsize=1)
def load_model():
    """The WordLlama model from the package's own files, never from the network (cached)."""
    folder = package_dir()
    if folder is None:  # ``embedding.encode`` raises its ModelMissingError before this
        raise ImportError(
            f"the sentence-embedding package {PACKAGE!r} is not installed (or lacks its "
            "weights); run `make env` to install it from requirements-models.lock"
        )
    from wordllama import WordLlama

    model = WordLlama.load(config=CONFIG, cache_dir=folder, dim=DIMENSION, disable_download=True)
    log.info("loaded WordLlama %s (%d dimensions) from %s", CONFIG, DIMENSION, folder)
    return model


def encode(texts: Sequence[str], batch_size: int = 512) -> np.ndarray:
    """Embed ``texts`` as an ``(n, 256)`` float32 array of unit-length rows (zero for "").

    The texts are embedded shortest first, so each batch holds texts of
    about one length. Why: WordLlama pads every text of a batch to the
    batch's longest (no truncation) and averages the padded array, so one
    long answer among 511 short lines made the batch cost as much as 512
    long answers (a run's meaning pass spent most of its time there: 4.5x
    less CPU sorted, on a run's answers). A text's vector is the same
    whatever batch it is in (padding adds zeros, summed after its tokens),
    so the result is the same, bit for bit (``tests/test_wordvectors_order.py``).
    """
    if isinstance(texts, str):
        raise TypeError("encode takes a sequence of texts, not one string")
    if not len(texts):
        return np.zeros((0, DIMENSION), dtype=np.float32)
    strings = [str(t) for t in texts]
    out = np.zeros((len(strings), DIMENSION), dtype=np.float32)
    # An empty string has no tokens: WordLlama averages nothing and divides by a zero norm
    # (NaN and a RuntimeWarning). It says nothing, so its vector is zero: its cosine with
    # every text is 0, never NaN, and it matches nothing. Such texts are not embedded.
    order = sorted((i for i, s in enumerate(strings) if s), key=lambda i: len(strings[i]))
    if not order:
        return out
    with np.errstate(invalid="ignore", divide="ignore"):
        vectors = load_model().embed([strings[i] for i in order], norm=True, batch_size=batch_size)
    # Any other text the tokenizer leaves without a token is treated the same way.
    out[order] = np.nan_to_num(vectors, nan=0.0, posinf=0.0, neginf=0.0)
    return out
