"""The compiled MinHash gives datasketch's signatures, so campaign groups are unchanged.

``helpers.ingest.minhash.signatures`` replaced ``datasketch.MinHash.bulk`` in
``nearcopies`` (issue 15: 71 % of ingest's time). The LSH buckets, candidates and
groups follow from the signatures, so equal signatures mean equal groups.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from datasketch import MinHash

from helpers.ingest import campaigns, minhash, nearcopies

TEXTS = [
    "",  # one shingle: the empty text
    "a",
    "abcde",  # exactly one shingle
    "abcdef",
    "we oppose the closure of the library on the high street",
    "we oppose the closure of the library on the high street\nit serves the whole town",
    # non-ASCII: two-, three- and four-byte UTF-8 characters, inside and across shingles
    "café naïve façade — “quoted” ‘text’ … ünïcödé 😀 emoji 𝔘 and ß",
    "日本語のテキストも比較されます",
    campaigns.normalise("Dear Sir/Madam, I STRONGLY object!!  The plan (Q3) is wrong."),
]


def _reference(texts: list[str]) -> np.ndarray:
    def crc(shingle: str) -> int:
        return zlib.crc32(shingle.encode("utf-8"))

    sigs = MinHash.bulk(
        [nearcopies.shingles(t) for t in texts], num_perm=nearcopies.NUM_PERM, hashfunc=crc
    )
    return np.array([m.hashvalues for m in sigs], dtype=np.uint32)


def test_signatures_equal_datasketch() -> None:
    got = minhash.signatures(TEXTS)
    assert got.dtype == np.uint32 and got.shape == (len(TEXTS), nearcopies.NUM_PERM)
    np.testing.assert_array_equal(got, _reference(TEXTS))


def test_signatures_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    # Texts split over several batches get the signatures they get in one.
    texts = [f"answer number {i}: " + "keep the service open " * (i % 7) for i in range(60)]
    whole = minhash.signatures(texts)
    monkeypatch.setattr(minhash, "BATCH_CHARS", 50)
    np.testing.assert_array_equal(minhash.signatures(texts), whole)
    np.testing.assert_array_equal(whole, _reference(texts))


def test_no_texts() -> None:
    assert minhash.signatures([]).shape == (0, nearcopies.NUM_PERM)


def test_texts_sharing_no_band_are_their_own_leaders() -> None:
    # Two near copies and an unrelated text: the unrelated one shares no band and is
    # skipped by the leader loop, yet gets what the loop would give it.
    base = campaigns.normalise(
        "We object to the proposal because the bus route is the only way many older "
        "residents can reach the hospital and the town centre."
    )
    copy = base.replace("older", "elderly")
    other = campaigns.normalise("Parking charges should fund road repairs before anything else.")
    found = nearcopies.cluster([base, copy, other], 90.0)
    assert found.leader == [0, 0, 2]
    assert found.score[0] == 100.0 and 90.0 <= found.score[1] < 100.0 and found.score[2] == 100.0
    codes = minhash.band_codes(minhash.signatures([base, copy, other]))
    assert minhash.shares_a_band(codes).tolist() == [True, True, False]


def test_band_keys_are_the_bands_of_each_signature() -> None:
    # The leader loop indexes buckets by these keys: made in one numpy pass, they must be
    # the per-signature keys the loop used before (session 10), non-ASCII texts included.
    sigs = minhash.signatures(TEXTS)
    assert minhash.band_keys(sigs) == [minhash.bands(s) for s in sigs]
    assert minhash.band_keys(sigs[[2, 5]]) == [minhash.bands(sigs[2]), minhash.bands(sigs[5])]
    assert minhash.band_keys(sigs[[]]) == []
