"""Synthesis at scale (issue 15): the array versions of its per-sentence steps give what the
Python steps they replace gave, the sampled clustering is deterministic and places every
sentence, and the analysis loads without the whole responses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_synthesis import BUILD, RENTS, make_inputs

from helpers.analysis import load_inputs, synthesise
from helpers.analysis.campaigns import campaign_groups
from helpers.analysis.sentence_clusters import (
    DISTANCE_THRESHOLD,
    cluster_means,
    cluster_sentences,
    embed,
    trim_marker,
    trim_markers,
)
from helpers.analysis.synthesis import _representative, _representative_reference


def test_cluster_means_are_the_per_cluster_means_to_the_bit():
    rng = np.random.default_rng(3)
    for n, k in ((2, 1), (7, 7), (300, 40), (2000, 900), (1500, 3)):
        vectors = rng.standard_normal((n, 256))
        labels = np.unique(rng.integers(0, k, n), return_inverse=True)[1]
        expected = np.vstack([vectors[labels == c].mean(axis=0) for c in range(labels.max() + 1)])
        assert np.array_equal(cluster_means(vectors, labels), expected)


TRICKY = [
    "- a bulleted point about rents",
    "  • indented bullet",
    "2. numbered",
    "(b) lettered",
    "a) lettered without bracket",
    "A. Capital letter marker",
    "No marker here.",
    "No marker, trailing space ",
    "\u00a0non-breaking space first",
    "12) twelve",
    "123. not a marker (three digits)",
    "-",
    "- ",
    "e.g. this is not a list",
    "I.e. neither is this",
    "(a)",
    "٣. an Arabic-Indic digit",
    "x",
    "Ok",
    "\tTabbed\t",
    "—— dashes",
    "",
]


def test_trim_markers_match_trim_marker_on_every_text():
    starts = np.arange(len(TRICKY), dtype=np.int64) * 100
    clean, new_starts = trim_markers(pd.Series(TRICKY, dtype="string"), starts)
    expected = [trim_marker(t, int(s)) for t, s in zip(TRICKY, starts, strict=True)]
    assert list(zip(clean, new_starts.tolist(), strict=True)) == expected


def _group(texts: list[str], keys: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"clean": pd.array(texts, dtype="string"), "key": keys})


@pytest.mark.parametrize("seed", range(30))
def test_representative_is_the_reference_choice(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    pool = [
        "short",
        "lower case start but long enough to be readable in a report, yes",
        "Upper case start and long enough to be a readable sentence here.",
        "'Quoted start, long enough to be readable in the report text.'",
        "x" * 400,
    ]
    texts = [pool[i] for i in rng.integers(0, len(pool), n)]
    keys = [f"r{i}:{int(rng.integers(0, 999))}-{i}" for i in range(n)]
    # Near-ties on purpose: similarities that round to the same six places.
    sims = np.round(rng.uniform(0.5, 0.9, n), int(rng.integers(2, 8)))
    sims = sims + rng.choice([0.0, 3e-7, -3e-7], n)
    used = {keys[i] for i in rng.integers(0, n, int(rng.integers(0, n + 1)))}
    group = _group(texts, keys)
    assert _representative(group, sims, used) == _representative_reference(group, sims, used)


def test_sampled_clustering_is_deterministic_and_places_every_sentence():
    texts = [f"{t} (respondent {i})" for i in range(6) for t in RENTS + BUILD]
    keys = [f"r{i}:0-{len(t)}" for i, t in enumerate(texts)]
    vectors = embed(texts)
    labels = cluster_sentences(vectors, keys, max_clustered=10)
    assert len(labels) == len(texts)
    # Every sentence out of the sample joins its nearest cluster, or none only when no
    # centroid is within the threshold.
    found = labels[labels >= 0]
    assert len(found) and set(found.tolist()) == set(range(found.max() + 1))
    rng = np.random.default_rng(0)
    for _ in range(3):
        order = rng.permutation(len(texts))
        again = cluster_sentences(vectors[order], [keys[i] for i in order], max_clustered=10)
        back = np.empty_like(again)
        back[order] = again
        # The same partition whatever the input order (labels may be renumbered).
        pairs = {(int(a), int(b)) for a, b in zip(labels, back, strict=True)}
        assert len(pairs) == len(set(labels.tolist())) == len(set(back.tolist()))


def test_sampled_clustering_assigns_the_rest_to_the_nearest_centroid():
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((60, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keys = [f"k{i}" for i in range(60)]
    labels = cluster_sentences(vectors, keys, threshold=0.9, max_clustered=20)
    exact = cluster_sentences(vectors, keys, threshold=0.9, max_clustered=60)
    assert len(labels) == len(exact) == 60
    # Centroids of the sampled clusters, recomputed by hand.
    from helpers.analysis.sentence_clusters import _stable_rank

    sample = np.sort(_stable_rank(keys)[:20])
    rest = np.setdiff1d(np.arange(60), sample)
    sl = labels[sample]
    cents = np.vstack([vectors[sample][sl == c].mean(axis=0) for c in range(sl.max() + 1)])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    sims = vectors[rest] @ cents.T
    want = np.where(sims.max(axis=1) >= 1 - 0.9, sims.argmax(axis=1), -1)
    assert np.array_equal(labels[rest], want)


def test_synthesis_embeds_question_by_question_with_the_same_points():
    """Two questions: points as when each question is synthesised alone."""
    q1 = {f"s{i}": ("agree", [RENTS[i % 5]]) for i in range(6)}
    both = synthesise(make_inputs(q1=q1))[0]
    alone = synthesise(make_inputs())[0]
    q2_points = both[both["question_id"] == "q2"].reset_index(drop=True)
    pd.testing.assert_frame_equal(q2_points, alone, check_dtype=False)
    assert (both["question_id"] == "q1").any()
    assert DISTANCE_THRESHOLD > 0


def test_inputs_without_response_text_give_the_same_campaign_groups(tmp_path):
    """Loaded without the whole responses, the campaign annex still gets its
    representatives' texts (read from the folder), and nothing else changes."""
    from benchmarks.generate import default_paths
    from helpers.core import schemas

    inputs = make_inputs()
    r = inputs.respondents
    copies = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r1", "r2", "r5", "r6"],
                "question_id": [schemas.WHOLE_RESPONSE] * 4,
                "copy_group": ["campaign-1", "campaign-1", "campaign-2", "campaign-2"],
                "similarity": [100.0, 100.0, 100.0, 97.5],
                "is_first": [True, False, True, False],
            }
        ),
        schemas.COPIES,
    )
    r.to_parquet(tmp_path / "respondents.parquet", index=False)
    inputs.answers.to_parquet(tmp_path / "answers.parquet", index=False)
    copies.to_parquet(tmp_path / "copies.parquet", index=False)
    cons, codebook = default_paths()
    full = load_inputs(tmp_path, cons, codebook)
    lazy = load_inputs(tmp_path, cons, codebook, response_text=False)
    assert full.response_text_loaded and not lazy.response_text_loaded
    assert (lazy.respondents["text"] == "").all()
    pd.testing.assert_frame_equal(
        lazy.respondents.drop(columns="text"), full.respondents.drop(columns="text")
    )
    text = dict(zip(r["respondent_id"], r["text"], strict=True))
    assert lazy.response_texts({"r1", "r5", "nobody"}) == {"r1": text["r1"], "r5": text["r5"]}
    assert lazy.response_texts(set()) == {}
    groups = campaign_groups(full.copies, full.answers, full.respondents)
    pd.testing.assert_frame_equal(
        campaign_groups(lazy.copies, lazy.answers, lazy.respondents, lazy.response_texts), groups
    )
    assert groups["text"].tolist() == [text["r1"], text["r5"]]  # no answers: whole responses


def test_response_texts_read_batch_by_batch(tmp_path):
    from helpers.analysis.inputs import _rows_with_ids

    r = make_inputs().respondents
    r.to_parquet(tmp_path / "respondents.parquet", index=False, row_group_size=2)
    got = _rows_with_ids(tmp_path / "respondents.parquet", ["r6", "r1", "r4"], batch_rows=2)
    want = r[r["respondent_id"].isin(["r1", "r4", "r6"])]
    assert got["respondent_id"].tolist() == want["respondent_id"].tolist()
    assert got["text"].tolist() == want["text"].tolist()
    assert _rows_with_ids(tmp_path / "respondents.parquet", ["nobody"]).empty
