"""Linear scores of side-by-side feature blocks without building their matrix.

The trained coder scores every sentence of every answer with ``x @ coef.T``, where ``x``
is ``rowstack.hstack`` of the sentence's embedding, its TF-IDF row and its answer's
embedding (``trained_fit.features``). ``products`` gives the same ``(rows, themes)``
array, bit for bit, from the blocks themselves: the answer's embedding is read through
an index (``Indexed``) instead of being copied once per sentence, and no matrix is built.

Rationale (speed and memory, the same numbers; session 25, issue 15): at 10,000 generated
survey respondents (about half a million sentences) building that matrix (512 dense
columns a sentence, 12 bytes an entry: several hundred MB a block of 5,000 answers) was
about 10 of the trained step's 58 CPU s, much of it the system's page faults on the fresh
arrays, while the product itself took 1.5. Session 23 listed it as next.

Why the numbers are the same: scipy multiplies a CSR matrix by a dense one
(``_matmul_multivector``, ``csr_matvecs``) row by row, adding ``data[jj] *
other[indices[jj], :]`` into a zeroed output row for each stored entry in storage order.
``rowstack.hstack`` stores a row's entries block after block: a dense block's nonzero
entries (NaN kept) in column order, a CSR block's entries in their stored order. The
kernels below add the same products into a zeroed output in that order (each output cell's
additions happen in the same sequence whether the loop runs block by block or row by row),
in float64, without fused multiply-adds (numba compiles without fast-math, so LLVM does not
contract ``a * b + c``). ``tests/test_scale_session25.py`` compares against scipy bit for bit;
anything but float64 blocks and coefficients goes to scipy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from helpers.coding import rowstack

try:
    from numba import njit

    _jit = njit(cache=True, nogil=True)
except ImportError:  # pragma: no cover - numba is a dependency; without it, scipy
    _jit = None


@dataclass(frozen=True)
class Indexed:
    """A dense block whose row ``r`` is ``table[index[r]]`` (an answer's vector for each of
    its sentences), never copied out."""

    table: np.ndarray
    index: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.index), self.table.shape[1])

    def dense(self) -> np.ndarray:
        return self.table[self.index]


Block = np.ndarray | sparse.csr_matrix | Indexed


def products(blocks: Sequence[Block], coef: np.ndarray) -> np.ndarray:
    """``rowstack.hstack(blocks) @ coef.T`` (an ``Indexed`` block standing for its rows),
    the same float64 array, without building the matrix (module docstring)."""
    n = blocks[0].shape[0]
    width = sum(b.shape[1] for b in blocks)
    if coef.ndim != 2 or coef.shape[1] != width or any(b.shape[0] != n for b in blocks):
        raise ValueError(f"blocks of {width} columns and coefficients {coef.shape} do not fit")
    if _KERNELS is None or not _simple(blocks, coef):
        return _by_matrix(blocks, coef)
    dense_rows, sparse_rows = _KERNELS
    weights = np.ascontiguousarray(coef.T)  # what scipy multiplies (``other.ravel()``)
    out = np.zeros((n, coef.shape[0]), dtype=np.float64)
    col = 0
    for b in blocks:
        if isinstance(b, Indexed):
            dense_rows(out, b.table, b.index.astype(np.int64, copy=False), weights, col)
        elif isinstance(b, np.ndarray):
            dense_rows(out, b, np.arange(n, dtype=np.int64), weights, col)
        else:
            sparse_rows(out, b.data, b.indices, b.indptr, weights, col)
        col += b.shape[1]
    return out


def _by_matrix(blocks: Sequence[Block], coef: np.ndarray) -> np.ndarray:
    """The reference: build the matrix (``rowstack.hstack``) and let scipy multiply."""
    x = rowstack.hstack([b.dense() if isinstance(b, Indexed) else b for b in blocks])
    return np.asarray(x @ coef.T)


def _simple(blocks: Sequence[Block], coef: np.ndarray) -> bool:
    """float64 everywhere, dense blocks 2-D and C-ordered, CSR blocks canonical: what the
    kernels read as scipy reads it (anything else is multiplied by scipy)."""
    if coef.dtype != np.float64:
        return False
    for b in blocks:
        arr = b.table if isinstance(b, Indexed) else b
        if isinstance(arr, np.ndarray):
            if arr.dtype != np.float64 or arr.ndim != 2 or not arr.flags.c_contiguous:
                return False
        elif (
            not (sparse.isspmatrix_csr(arr) or isinstance(arr, sparse.csr_array))
            or arr.dtype != np.float64
            or not arr.has_canonical_format
        ):
            return False
    return True


def _dense_rows(out, table, index, weights, col):  # pragma: no cover - compiled by numba
    """Add each row's nonzero entries (``table[index[r]]``; a NaN is nonzero) times their
    columns' weights into ``out[r]``, in column order."""
    n_themes = weights.shape[1]
    for r in range(out.shape[0]):
        src = index[r]
        for j in range(table.shape[1]):
            v = table[src, j]
            if v != 0:
                for t in range(n_themes):
                    out[r, t] += v * weights[col + j, t]


def _sparse_rows(out, data, indices, indptr, weights, col):  # pragma: no cover - numba
    """Add each row's stored entries times their columns' weights into ``out[r]``, in
    storage order."""
    n_themes = weights.shape[1]
    for r in range(out.shape[0]):
        for k in range(indptr[r], indptr[r + 1]):
            v = data[k]
            c = col + indices[k]
            for t in range(n_themes):
                out[r, t] += v * weights[c, t]


_KERNELS = None if _jit is None else (_jit(_dense_rows), _jit(_sparse_rows))
