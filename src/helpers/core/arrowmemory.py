"""Arrow's memory handed back to the system when it is freed (issue 15, session 27).

Why: the pipeline's tables are Arrow-backed (pandas ``string`` columns, Parquet), and
pyarrow's default memory pool on Linux wheels is mimalloc, which keeps pages it has
freed for reuse instead of returning them. Every temporary Arrow column (a ``fillna``,
a ``concat``, a text column cut into words) then stays resident after it is dropped.
Measured in ingest on the generated 30,000-respondent export (benchmarks/README.md,
"Session 27"): the tables held 406 MB of Arrow memory before campaign detection, the
pool had reached 854 MB, and the process was resident at 1,296 MB with mimalloc
against 736 MB with the system allocator, 43 % of it freed memory the pool kept. At
100,000 respondents that retained memory is most of the ~5 GB resident before
detection began (docs/scale.md, "Session 26").

Rules:

- ``ARROW_DEFAULT_MEMORY_POOL`` set by the user is left alone (pyarrow reads it): whoever
  set it chose.
- Otherwise jemalloc with its decay time set to 0, so freed pages go back at once, when
  the wheel has it (Linux and macOS wheels); the system allocator where it does not.
  Both return freed memory; jemalloc keeps Arrow's speed on many small buffers.
- ``trim_heap``: the C heap's free pages handed back too (glibc's ``malloc_trim``), where
  a step has just dropped many Python strings or numpy arrays that the allocator keeps
  (ingest, before campaign detection: its segmentation pass leaves them). A no-op where
  the C library has no ``malloc_trim``.
- Buffers already made keep the pool that made them; only new ones use the new pool,
  so switching at any point is safe. Which allocator holds a buffer never changes a
  value: every table is the same byte for byte (``tests/test_scale_session27.py``).
"""

from __future__ import annotations

import logging
import os
from functools import cache

log = logging.getLogger(__name__)

_ENV = "ARROW_DEFAULT_MEMORY_POOL"


@cache  # once per process: idempotent
def return_freed_memory() -> str:
    """Make Arrow's default pool one that returns freed memory; the backend's name.

    Idempotent; a user's ``ARROW_DEFAULT_MEMORY_POOL`` wins (module docstring).
    """
    import pyarrow as pa

    if os.environ.get(_ENV):
        name = pa.default_memory_pool().backend_name
    else:
        try:
            pool = pa.jemalloc_memory_pool()
            pa.jemalloc_set_decay_ms(0)
        except (NotImplementedError, pa.ArrowNotImplementedError):
            pool = pa.system_memory_pool()
        pa.set_memory_pool(pool)
        name = pool.backend_name
    log.debug("Arrow memory pool: %s", name)
    return name


def trim_heap() -> bool:
    """Return the C heap's free memory to the system (glibc ``malloc_trim(0)``); whether
    it could. Values are never touched: only pages holding nothing are released."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@cache  # the C library looked up once (find_library runs ldconfig): trim_heap is called
def _malloc_trim():  # per question of campaign detection since session 28
    """glibc's ``malloc_trim``, or None where the C library has none."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = None if libc is None else libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim
