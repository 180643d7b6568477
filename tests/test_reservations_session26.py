"""Session 26 (issue 13): a stronger sentence representation for the reservation finder, measured.

``benchmarks.reservation_embed`` adds the sentence's WordLlama vector and the stance sentence's
relation to it (a contrast between them, the stance sentence's own contrast, their cosine) to the
finder's features and measures them leave-one-set-out (docs/stance.md, "Session 26"). The phrasings
below were written for this test (none from a set) and hand-checked.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import reservation_embed as emb
from helpers.core import wordvectors


def _unit(n: int) -> np.ndarray:
    return np.eye(n, 4)


def test_a_contrast_between_the_stance_sentence_and_a_later_one() -> None:
    lows = [s.lower() for s in (
        "We support the new opening hours.",
        "The staff are friendly.",
        "However, Sunday mornings will be hard to cover.",
        "Thank you.",
    )]  # fmt: skip
    got = emb.relation(lows, 0, _unit(4))
    # The contrast opens sentence 2: it lies between the stance sentence and 2, and 3.
    assert got[:, 0].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert got[:, 1].tolist() == [0.0] * 4  # the stance sentence holds no contrast
    assert got[:, 2].tolist() == [1.0, 0.0, 0.0, 0.0]  # cosine with the stance sentence's vector


def test_a_contrast_before_the_stance_sentence_counts_from_the_earlier_one() -> None:
    lows = [s.lower() for s in (
        "Parking is already hard on our street.",
        "But on balance we agree with the scheme.",
        "It should cut the through traffic.",
    )]  # fmt: skip
    got = emb.relation(lows, 1, _unit(3))
    # Sentence 0 comes before the stance sentence, whose own "but" lies between them; sentence 2
    # follows it with no contrast in between.
    assert got[:, 0].tolist() == [1.0, 0.0, 0.0]
    assert got[:, 1].tolist() == [1.0, 1.0, 1.0]


def test_no_stance_sentence_gives_no_relation() -> None:
    lows = ["fine by me.", "although the bins are a worry."]
    assert not emb.relation(lows, None, _unit(2)).any()


def test_spherical_kmeans_is_seeded_and_returns_unit_centres() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 5))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    a, b = emb._kmeans(x, 4), emb._kmeans(x, 4)
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert emb._kmeans(x[:2], 4).shape == (2, 5)  # never more centres than rows


def test_held_back_collections_are_refused(tmp_path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"set": "stance-items-28", "item": "x", "question": "q", "gold": false, '
        '"stance": "agree", "segments": [], "evidence": null, "rule": false, "method": "text"}\n'
    )
    with pytest.raises(SystemExit, match="held-back"):
        emb.main([str(rows), str(tmp_path / "out.pkl"), "--extra=A"])


@pytest.mark.skipif(not wordvectors.available(), reason="WordLlama not installed")
def test_sentence_vectors_are_unit_and_offline() -> None:
    rows = [{"answered": True, "sents": ["We agree.", "My only worry is the **cost**."]},
            {"answered": False, "sents": []}]  # fmt: skip
    emb.embed_rows(rows)
    assert rows[0]["_vec"].shape == (2, wordvectors.DIMENSION)
    assert np.allclose(np.linalg.norm(rows[0]["_vec"], axis=1), 1.0, atol=1e-5)
    assert "_vec" not in rows[1]
