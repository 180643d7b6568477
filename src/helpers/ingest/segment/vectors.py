"""The meaning pass's sentence vectors: each distinct text encoded once per run, in large batches.

Why: the meaning pass (``segment.meaning``, ``segment.joint``) asked the
encoder for a few texts at a time, row by row, re-encoding the same text many
times (a campaign's copies, a heading every respondent uses, the empty
heading, the question model's own wording) and encoding bodies no decision
read (a heading that decides, a greeting too short to judge). A forward pass
of all-MiniLM-L6-v2 costs the same per token however it is batched, so the
saving is in encoding fewer texts, and in fewer, fuller batches:

- :class:`TextVectors` wraps an encoder with a per-run cache keyed on the
  text; :meth:`TextVectors.prefetch` encodes every text not seen yet in one
  call (which sorts by length and pads each batch little);
- :meth:`TextVectors.lazy` hands out rows that are encoded only when a
  decision reads them (``numpy`` converts them through ``__array__``), so a
  body a heading already placed is never encoded. A pass that knows which
  texts it will read prefetches them first; a text it missed is still
  encoded on demand, so results never depend on what was prefetched.

A text's vector does not depend on the batch it was encoded in (to float
rounding: ``embedding.encode``), so the answers are those of encoding row by
row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType

import numpy as np

Encoder = Callable[[Sequence[str]], np.ndarray]
_CHUNK = 4096  # texts per encoder call in a prefetch (a progress bar step)


class TextVectors:
    """A caching encoder: ``vectors(texts)`` is ``encode(texts)``, each text encoded once."""

    def __init__(self, encode: Encoder) -> None:
        self._encode = encode
        self._cache: dict[str, np.ndarray] = {}
        self._dim: int | None = None
        self.encoded = 0  # distinct texts encoded (for the benchmark's log)
        self.asked = 0  # texts asked for

    def prefetch(self, texts: Iterable[str]) -> None:
        """Encode, in one call, every text in ``texts`` not encoded yet."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if not missing:
            return
        missing.sort(key=len)  # similar lengths in one call: little padding
        chunks = range(0, len(missing), _CHUNK)
        if len(missing) > _CHUNK:  # a large run: say how far the model has got
            from tqdm.auto import tqdm

            chunks = tqdm(chunks, desc="Encoding text by meaning", unit="chunk", disable=None)
        for a in chunks:
            part = missing[a : a + _CHUNK]
            vecs = np.asarray(self._encode(part), dtype=np.float32)
            self._dim = vecs.shape[1]
            self.encoded += len(part)
            for t, v in zip(part, vecs, strict=True):
                v.flags.writeable = False
                self._cache[t] = v

    def vector(self, text: str) -> np.ndarray:
        """One text's vector (encoded now if it was not prefetched)."""
        self.asked += 1
        if text not in self._cache:
            self.prefetch([text])
        return self._cache[text]

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("takes a sequence of texts, not one string")
        self.prefetch(texts)
        self.asked += len(texts)
        if not texts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        return np.vstack([self._cache[t] for t in texts])

    def lazy(self, texts: Sequence[str]) -> list[LazyVector]:
        """Rows for ``texts`` that are encoded only when read."""
        return [LazyVector(self, t) for t in texts]


class LazyVector:
    """One text's vector, encoded when numpy first reads it (``model.centroids @ v``)."""

    __slots__ = ("_owner", "_text")

    def __init__(self, owner: TextVectors, text: str) -> None:
        self._owner = owner
        self._text = text

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        v = self._owner.vector(self._text)
        return v if dtype is None else v.astype(dtype)

    def __rmatmul__(self, other: np.ndarray) -> np.ndarray:
        return other @ np.asarray(self)

    def __matmul__(self, other: np.ndarray) -> np.ndarray:
        return np.asarray(self) @ other


def wanted(work: Iterable[tuple], min_words: int, chars: int) -> Iterable[str]:
    """The texts the meaning pass will likely read for its ``work`` rows, to prefetch at once.

    ``work`` is ``meaning.resolve_unstructured``'s list of (index, row, text,
    stop, blocks). Every heading; a body only where content can count (not
    inside another question's answer, not a heading-less preamble block, not
    shorter than ``min_words``). A guess that only saves time: what it leaves
    out is encoded when read, what it adds is encoded in vain.
    """
    from helpers.core import schemas

    for _i, row, _text, _stop, blks in work:
        if row["match_method"] in ("order", "paragraph"):
            where = "unstructured"
        else:
            where = {schemas.UNSTRUCTURED: "unstructured", schemas.PREAMBLE: "preamble"}.get(
                row["question_id"], "answer"
            )
        for b in blks:
            if b.heading is not None:
                yield b.heading
            if where == "answer" or (where == "preamble" and b.heading is None):
                continue
            if len(b.body.split()) >= min_words:
                yield b.body[:chars]


def run_encoder(model: str) -> Encoder | None:
    """The sentence encoder for ``model`` (``consultation.segmentation_model``), or None
    when its package is not installed."""
    from helpers.core import embedding

    if not embedding.available(model):
        return None
    return lambda texts: embedding.encode(texts, model=model)


# The meaning pass's thresholds were set on all-MiniLM-L6-v2's cosines; WordLlama's
# run on another scale (unrelated texts closer to 0, paraphrases lower), so its own
# values, calibrated on the spent development sets (benchmarks/segmodel.py,
# benchmarks/README.md). Keys are "module.CONSTANT" of ``segment.meaning`` / ``joint`` /
# ``ordered`` (whose FILL_MIN, session 9, is MiniLM's and not yet calibrated for WordLlama).
# WordLlama: the joint reading's pair scores (heading + body cosines) run lower, so
# a pair is worth assigning from 0.35 (MiniLM 0.62); a letter paragraph needs a
# clearer lead by meaning alone (0.14, MiniLM 0.12) to keep precision.
THRESHOLDS: dict[str, dict[str, float]] = {
    "minilm": {},
    "wordllama": {"joint.BASE": 0.35, "meaning.BODY_MARGIN": 0.14},
}
_LOCK = threading.RLock()


@contextmanager
def model_thresholds(model: str, modules: dict[str, ModuleType]) -> Iterator[None]:
    """``model``'s thresholds set in ``modules`` (name -> module) for the duration.

    Why a context: the decision rules read their module's constants, which stay
    MiniLM's (the default) outside a run with another model; a lock keeps two
    runs in threads from mixing them.
    """
    values = THRESHOLDS.get(model, {})
    with _LOCK:
        old = {}
        try:
            for key, value in values.items():
                mod, _, const = key.partition(".")
                old[(mod, const)] = getattr(modules[mod], const)
                setattr(modules[mod], const, value)
            yield
        finally:
            for (mod, const), value in old.items():
                setattr(modules[mod], const, value)
