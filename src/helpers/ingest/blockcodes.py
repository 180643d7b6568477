"""Campaign detection's per-question arrays computed a block of texts at a time (issue 15).

Session 26: at 100,000 generated survey respondents campaign detection peaked at 7.2 GB
(docs/scale.md, "Session 25"), and its peak grew with the answers to one question: the
passes that turn a question's texts into integer codes built every intermediate array for
all of its texts at once. Per passage window, MinHash signatures (512 bytes), their
64-bit widening in ``band_codes`` (1 KB) and every window's string; per word occurrence,
a dozen int64 arrays in ``reworded_index.coded_grams``. Here each pass works through the
texts a block at a time and keeps only what it returns (a window's band codes and its
text, a text's distinct trigram codes), so the transient memory is one block's, whatever
the number of answers. A text's values do not depend on its block (a window's signature
is its own, a text's trigrams are its own), so the results are the ones computed whole
(``tests/test_scale_session26.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from helpers.ingest.minhash import LSH_BANDS, NUM_PERM, band_codes, band_keys, signatures

# Texts turned into codes at a time: a few MB of text, so a block's transient arrays stay
# in the tens of MB (a survey answer is 1-2 KB; at 100,000 respondents a question has
# about 90,000).
BLOCK_TEXTS = 2_000


def window_codes(
    texts: Sequence[str],
    windows: Callable[[Sequence[str]], tuple[list[str], list[int]]],
    block: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``(owner, codes)``: each passage window's text (int64, non-decreasing) and its
    ``LSH_BANDS`` band codes (``minhash.band_codes`` of its MinHash signature), as
    ``band_codes(signatures(found))`` gives them for ``found, owner = windows(texts)``;
    the windows' strings and signatures live one block of texts at a time."""
    block = block or BLOCK_TEXTS
    owners: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for start in range(0, len(texts), block):
        found, owner = windows(texts[start : start + block])
        if not found:
            continue
        owners.append(np.asarray(owner, dtype=np.int64) + start)
        codes.append(band_codes(signatures(found, NUM_PERM)))
    if not owners:
        return np.zeros(0, dtype=np.int64), np.zeros((0, LSH_BANDS), dtype=np.uint64)
    return np.concatenate(owners), np.concatenate(codes)


def band_keys_of(
    sigs: np.ndarray, rows: Sequence[int], block: int | None = None
) -> Iterator[tuple[int, list[tuple[int, bytes]]]]:
    """``(row, minhash.band_keys of its signature)`` for each of ``rows`` in turn, the keys
    made a block of rows at a time: every row's ``LSH_BANDS`` Python tuples at once were
    about 4 KB a text held through the leader loop of ``nearcopies.cluster``."""
    block = block or BLOCK_TEXTS
    for start in range(0, len(rows), block):
        part = list(rows[start : start + block])
        yield from zip(part, band_keys(sigs[part]), strict=True)
