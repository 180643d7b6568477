"""Code rows' text as Arrow-backed pandas string columns, with no Python string per row.

A batch's quotes and matched words are gathered from its code points and UTF-8
encoded in one compiled pass (``utf8_spans``) straight into an Arrow string
array; ids and patterns are an Arrow ``take``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
from numba import njit


@njit(cache=True, nogil=True)
def utf8_spans(text, starts, ends, offsets):
    """``text[starts[i]:ends[i]]`` for every i, UTF-8 encoded into one byte array, with
    Arrow-style ``offsets`` (length n + 1, filled here): the quotes of a batch as an
    Arrow string column, without a Python string per row.

    Indices are unsigned: numba checks every signed index for wraparound, which
    here cost as much as the encoding itself.
    """
    n = starts.shape[0]
    offsets[0] = 0
    for i in range(n):
        size = 0
        for p in range(starts[i], ends[i]):
            c = np.uint32(text[np.uint64(p)])
            size += 1 + (c >= 0x80) + (c >= 0x800) + (c >= 0x10000)
        offsets[i + 1] = offsets[i] + size
    out = np.empty(offsets[n], np.uint8)
    u1, u2, u3, u4 = np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(4)
    for i in range(n):
        k = np.uint64(offsets[i])
        for p in range(starts[i], ends[i]):
            c = np.uint32(text[np.uint64(p)])
            if c < 0x80:
                out[k] = c
                k += u1
            elif c < 0x800:
                out[k] = 0xC0 | (c >> 6)
                out[k + u1] = 0x80 | (c & 0x3F)
                k += u2
            elif c < 0x10000:
                out[k] = 0xE0 | (c >> 12)
                out[k + u1] = 0x80 | ((c >> 6) & 0x3F)
                out[k + u2] = 0x80 | (c & 0x3F)
                k += u3
            else:
                out[k] = 0xF0 | (c >> 18)
                out[k + u1] = 0x80 | ((c >> 12) & 0x3F)
                out[k + u2] = 0x80 | ((c >> 6) & 0x3F)
                out[k + u3] = 0x80 | (c & 0x3F)
                k += u4
    return out


def spans_column(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pd.Series:
    """``codes[starts[i]:ends[i]]`` as text: a pandas string column backed by Arrow,
    gathered and UTF-8 encoded in one compiled pass (no Python string per row)."""
    offsets = np.empty(len(starts) + 1, np.int64)
    data = utf8_spans(codes, starts.astype(np.int64), ends.astype(np.int64), offsets)
    arr = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(data))
    return pd.Series(pd.arrays.ArrowStringArray(arr), copy=False)


def take_column(values: Sequence[str] | pa.Array, index: np.ndarray) -> pd.Series:
    """``values[index[i]]`` as a pandas string column backed by Arrow (a C++ take);
    ``values`` may already be a large_string Arrow array."""
    if not isinstance(values, pa.Array):
        values = pa.array(list(values), type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(values.take(index)), copy=False)


def constant_column(value: str, n: int) -> pd.Series:
    """``value`` ``n`` times as a pandas string column backed by Arrow."""
    data = value.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    arr = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))
    return pd.Series(pd.arrays.ArrowStringArray(arr), copy=False)
