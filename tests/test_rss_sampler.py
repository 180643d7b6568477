"""The pipeline benchmark's memory sampler sees a step's transient peak (Linux /proc)."""

import sys
import time

import numpy as np
import pytest

from benchmarks.pipeline import RssSampler


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_sampler_keeps_a_freed_allocation_peak():
    sampler = RssSampler(interval=0.01)
    try:
        sampler.reset()
        before = sampler.rss_mb()
        block = np.ones(200 * (1 << 20) // 8)  # 200 MB, touched
        time.sleep(0.1)
        del block
        time.sleep(0.05)
        peak, after = sampler.peak(), sampler.rss_mb()
        assert peak - before > 150  # the 200 MB were seen while held
        assert peak - after > 150  # and kept after they were freed
        sampler.reset()
        assert sampler.peak() < peak - 150  # a reset starts from the memory held now
    finally:
        sampler.stop()
