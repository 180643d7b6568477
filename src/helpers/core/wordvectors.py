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
from itertools import chain
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

    The same numbers as WordLlama's ``embed(texts, norm=True)``, bit for bit
    (``tests/test_wordvectors_order.py``), computed in less time (issue 15):

    - each distinct text is embedded once (a campaign's copies, stock sentences);
    - each distinct word's token ids are merged once and kept (``wordpieces``): the
      library merges a whole sentence from its characters every time (session 25);
    - texts are tokenized without padding and each text's token vectors are summed
      in token order by a compiled loop (:func:`_pooled`), where WordLlama pads a
      batch to its longest text, multiplies the padded array by the mask and sums
      it: the same float32 additions in the same order (the padding adds zeros), so
      the same sums, without the padded copies (about 60 % of the embedding's time
      on a survey's answer sentences, measured in session 16);
    - the division by the number of tokens and the normalisation are WordLlama's
      own numpy operations, on the same float32 rows.

    ``batch_size`` bounds how many texts are tokenized and pooled at a time (memory).
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
    slot: dict[str, int] = {}
    where = [slot.setdefault(s, len(slot)) if s else -1 for s in strings]
    if not slot:
        return out
    distinct = list(slot)
    vectors = np.empty((len(distinct), DIMENSION), dtype=np.float32)
    step = max(batch_size, 4096)
    for at in range(0, len(distinct), step):
        vectors[at : at + step] = _pooled(distinct[at : at + step])
    where = np.asarray(where)
    said = where >= 0
    # Any other text the tokenizer leaves without a token is treated the same way.
    out[said] = np.nan_to_num(vectors[where[said]], nan=0.0, posinf=0.0, neginf=0.0)
    return out


@lru_cache(maxsize=1)
def _tokenizer():
    """The model's tokenizer without padding (``load_model``'s pads every batch)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(load_model().tokenizer.to_str())
    tok.no_padding()
    tok.no_truncation()
    return tok


@lru_cache(maxsize=1)
def _pieces():
    """Token ids by words for the model's tokenizer (``wordpieces.WordPieces``)."""
    from helpers.core.wordpieces import WordPieces

    return WordPieces(_tokenizer())


def _pooled(strings: list[str]) -> np.ndarray:
    """WordLlama's normalised mean token vector of each string (NaN for one without tokens)."""
    table = load_model().embedding
    # the library's ids, each distinct word merged once (``wordpieces``, session 25); its
    # fallback is ``encode_batch_fast`` (tokenizers >= 0.20: the same ids without each
    # token's character offsets, session 20)
    id_lists = _pieces().token_ids(strings)
    lengths = np.fromiter(map(len, id_lists), dtype=np.int64, count=len(id_lists))
    ids = np.fromiter(chain.from_iterable(id_lists), dtype=np.int64, count=int(lengths.sum()))
    np.clip(ids, 0, table.shape[0] - 1, out=ids)  # as WordLlama clamps out-of-range ids
    sums = _token_sums(table, ids, lengths)
    count = np.maximum(lengths.astype(np.float32), np.float32(1.0))[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = sums / count
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled


def _sum_rows(table: np.ndarray, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each text's token vectors summed in float32, in token order (the reference loop)."""
    out = np.zeros((len(lengths), table.shape[1]), dtype=np.float32)
    at = 0
    for row, n in enumerate(lengths):
        for t in range(at, at + n):
            out[row] += table[ids[t]]
        at += n
    return out


try:
    from numba import njit

    _token_sums = njit(cache=True, nogil=True)(_sum_rows)
except ImportError:  # pragma: no cover - numba is a dependency
    _token_sums = _sum_rows
