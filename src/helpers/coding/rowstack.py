"""Dense and sparse feature blocks side by side, as one CSR matrix, in one copy.

The trained coder's features are dense embedding columns (a sentence's, its answer's)
next to sparse TF-IDF columns. ``hstack`` builds the matrix that
``sparse.hstack([dense_csr(a) or m, ...]).tocsr()`` builds, the same ``data``,
``indices`` and ``indptr`` arrays, so every product with it is the same bit for bit.

Rationale (speed and memory, the same matrix): that expression copies every dense
entry four times (the dense CSR's data and column indices, scipy's concatenation of
all blocks' arrays, then ``csr_hstack``'s output), and at 10,000 survey respondents
the copies were about a sixth of the trained step's time, much of it waiting on
memory on a shared machine (session 21 profile: ``features`` 22 of 124 CPU s). Here
each entry is written once into the output, so the extra memory is at most one block's
positions, not the whole matrix twice.

Session 23 (speed only, the same arrays): the entries are written by two small numba
kernels (``_dense_into``, ``_sparse_into``), row by row in output order, instead of
numpy's fancy-index scatter (``data[where] = ...``). The scatter built an int64 array
of positions for every entry (4,096 rows x 256 columns at a time) and wrote through
it; at 10,000 generated respondents (about half a million sentences) ``hstack`` was the
largest own-time function of the trained step's scoring (CPU-clock profile: 27 of 121
CPU s), much of it the kernel's page faults for those fresh temporaries. The kernels
copy each value once and need no temporaries. ``_fill_by_rows``, the numpy loop, is
kept as their reference (``tests/test_scale_session23.py``) and the path without numba.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

# Rows written at a time: bounds the position arrays (rows x columns int64).
ROWS_AT_ONCE = 4096
_INT32_MAX = np.iinfo(np.int32).max

Block = np.ndarray | sparse.csr_matrix

try:
    from numba import njit

    _jit = njit(cache=True, nogil=True)
except ImportError:  # pragma: no cover - numba is a dependency; without it, the numpy loop
    _jit = None


def dense_csr(a: np.ndarray) -> sparse.csr_matrix:
    """``sparse.csr_matrix(a)`` of a 2-D array, built from the nonzero mask directly.

    Rationale (speed, the same matrix): scipy goes through a COO matrix (coordinate
    arrays of every entry, then a sort into rows), about seven times the time of reading
    the mask row by row; the data, column indices (ascending in each row, zeros left
    out, NaN kept) and row pointers are the same arrays (``tests/test_dense_csr.py``),
    so every product with it is the same bit for bit. The sentence vectors of every
    scored answer go through it (session 20).
    """
    a = np.asarray(a)
    mask = a != 0
    big = max(a.shape + (int(mask.sum()),)) >= np.iinfo(np.int32).max
    index = np.int64 if big else np.int32
    indptr = np.zeros(a.shape[0] + 1, dtype=index)
    np.cumsum(mask.sum(axis=1), out=indptr[1:])
    columns = np.broadcast_to(np.arange(a.shape[1], dtype=index), a.shape)
    if indptr[-1] == a.size:  # no zero (the usual case): every row's columns in order
        return sparse.csr_matrix((a.ravel().copy(), columns.ravel(), indptr), shape=a.shape)
    return sparse.csr_matrix((a[mask], columns[mask], indptr), shape=a.shape)


def hstack(blocks: Sequence[Block]) -> sparse.csr_matrix:
    """``sparse.hstack`` of the blocks (a 2-D array stands for ``dense_csr`` of it) as CSR.

    A dense block's zeros are left out, as ``dense_csr`` leaves them out (NaN kept).
    Falls back to scipy's own path when a sparse block is not CSR with canonical, int32
    indices.

    Rationale for the zeros (session 22, speed only): until then a dense block holding a
    single zero sent the whole matrix down scipy's path. WordLlama's sentence vectors
    hold an exact 0.0 now and then (17 entries among the 52,808 sentences of 1,000
    generated respondents), so every block of the sentence features fell back: the
    profile of 10,000 respondents found ``features`` (scipy's ``hstack`` and
    ``dense_csr``) the largest Python-side cost of the trained step. Rows of a dense
    block with zeros are written through their nonzero mask, in row-major order, which
    is the order ``dense_csr`` reads them in: the same arrays.
    """
    dense = [isinstance(b, np.ndarray) for b in blocks]
    if not _simple(blocks, dense):
        return sparse.hstack(
            [dense_csr(b) if d else b for b, d in zip(blocks, dense, strict=True)]
        ).tocsr()
    n = blocks[0].shape[0]
    per_row = np.zeros(n, dtype=np.int64)
    # per dense block: its nonzero count per row, or None when it has no zero (the usual case)
    nonzero: list[np.ndarray | None] = []
    for b, d in zip(blocks, dense, strict=True):
        if d:
            counts = np.count_nonzero(b, axis=1) if b.size else np.zeros(n, dtype=np.int64)
            full = bool(np.all(counts == b.shape[1]))
            nonzero.append(None if full else counts)
            per_row += counts
        else:
            nonzero.append(None)
            per_row += np.diff(b.indptr)
    width = sum(b.shape[1] for b in blocks)
    nnz = int(per_row.sum())
    if max(width - 1, nnz, n) >= _INT32_MAX:  # scipy would choose int64: let it
        return sparse.hstack(
            [dense_csr(b) if d else b for b, d in zip(blocks, dense, strict=True)]
        ).tocsr()
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(per_row, out=indptr[1:])
    data = np.empty(nnz, dtype=np.result_type(*(b.dtype for b in blocks)))
    indices = np.empty(nnz, dtype=np.int32)
    if _KERNELS is None:  # pragma: no cover - numba is a dependency
        _fill_by_rows(blocks, dense, nonzero, indptr, data, indices)
    else:
        _fill_compiled(blocks, dense, indptr, data, indices)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, width))


def _fill_compiled(
    blocks: Sequence[Block],
    dense: list[bool],
    indptr: np.ndarray,
    data: np.ndarray,
    indices: np.ndarray,
) -> None:
    """Write every block's entries into ``data`` and ``indices`` with the numba kernels.

    A dense block's nonzero entries (NaN kept; every entry when it has no zero, which is
    what ``_fill_by_rows`` copies whole) in row-major order, a CSR block's entries as they
    are, each at its row's next free position (``at``), block after block."""
    dense_into, sparse_into = _KERNELS
    at = indptr[:-1].astype(np.int64)
    col = 0
    for b, d in zip(blocks, dense, strict=True):
        if d:
            dense_into(data, indices, at, b, col)
        else:
            sparse_into(data, indices, at, b.data, b.indices, b.indptr, col)
        col += b.shape[1]


def _dense_into(data, indices, at, block, col):  # pragma: no cover - compiled by numba
    """Rows of a dense ``block``: its nonzero entries (a NaN is nonzero) from ``at[r]`` on."""
    n, w = block.shape
    for r in range(n):
        p = at[r]
        for j in range(w):
            v = block[r, j]
            if v != 0:
                data[p] = v
                indices[p] = col + j
                p += 1
        at[r] = p


def _sparse_into(data, indices, at, bdata, bindices, bindptr, col):  # pragma: no cover
    """Rows of a CSR block (``bdata``, ``bindices``, ``bindptr``) from ``at[r]`` on."""
    for r in range(at.shape[0]):
        p = at[r]
        for k in range(bindptr[r], bindptr[r + 1]):
            data[p] = bdata[k]
            indices[p] = bindices[k] + col
            p += 1
        at[r] = p


_KERNELS = None if _jit is None else (_jit(_dense_into), _jit(_sparse_into))


def _fill_by_rows(
    blocks: Sequence[Block],
    dense: list[bool],
    nonzero: list[np.ndarray | None],
    indptr: np.ndarray,
    data: np.ndarray,
    indices: np.ndarray,
) -> None:
    """The numpy loop the kernels replaced (session 22): ``ROWS_AT_ONCE`` rows at a time,
    each block's entries scattered through an array of their positions. The reference
    for ``_fill_compiled`` and the path without numba."""
    n = len(indptr) - 1
    for r0 in range(0, n, ROWS_AT_ONCE):
        r1 = min(r0 + ROWS_AT_ONCE, n)
        at = indptr[r0:r1].astype(np.int64)  # where each row's next entry goes
        col = 0
        for b, d, nz in zip(blocks, dense, nonzero, strict=True):
            if d and nz is not None:  # zeros left out: the nonzero entries, row by row
                part = b[r0:r1]
                mask = part != 0
                k = nz[r0:r1].astype(np.int64)
                first = np.cumsum(k) - k  # each row's first entry among the part's
                where = np.repeat(at - first, k) + np.arange(int(k.sum()))
                data[where] = part[mask]
                indices[where] = np.nonzero(mask)[1].astype(np.int32) + col
                at += k
            elif d:
                w = b.shape[1]
                where = (at[:, None] + np.arange(w)).ravel()
                data[where] = b[r0:r1].ravel()
                indices[where] = np.tile(np.arange(col, col + w, dtype=np.int32), r1 - r0)
                at += w
            else:
                lo, hi = b.indptr[r0:r1], b.indptr[r0 + 1 : r1 + 1]
                k = (hi - lo).astype(np.int64)
                src = slice(int(b.indptr[r0]), int(b.indptr[r1]))
                where = np.repeat(at - lo, k) + np.arange(src.start, src.stop)
                data[where] = b.data[src]
                indices[where] = b.indices[src] + col
                at += k
            col += b.shape[1]


def _simple(blocks: Sequence[Block], dense: list[bool]) -> bool:
    """True when every dense block is a 2-D array and every other block a CSR matrix (not
    array) with int32 indices: rows the fast path copies as scipy does."""
    if not blocks or len({b.shape[0] for b in blocks}) != 1:
        return False
    for b, d in zip(blocks, dense, strict=True):
        if d:
            if b.ndim != 2:
                return False
        elif not (
            sparse.isspmatrix_csr(b) and b.indptr.dtype == np.int32 and b.indices.dtype == np.int32
        ):
            return False
    return True
