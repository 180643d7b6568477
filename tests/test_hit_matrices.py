"""``trained_fit.hit_matrices`` by bisection (session 18, speed only) gives the matrices of
the plain test of every hit against every sentence: sentence spans in order, overlapping or
out of order, hits inside, across, between and outside sentences, empty ones."""

from __future__ import annotations

import random

import numpy as np

from helpers.coding.trained_fit import hit_matrices


def _reference(spans, hits, theme_ids):
    col = {t: k for k, t in enumerate(theme_ids)}
    n = sum(len(sp) for sp in spans)
    here = np.zeros((n, len(theme_ids)))
    anywhere = np.zeros_like(here)
    row = 0
    for sp, hs in zip(spans, hits, strict=True):
        for theme, s, e in hs:
            k = col.get(theme)
            if k is None:
                continue
            anywhere[row : row + len(sp), k] = 1.0
            for j, (a, b) in enumerate(sp):
                if s < b and e > a:
                    here[row + j, k] = 1.0
        row += len(sp)
    return here, anywhere * (1.0 - here)


def _spans(rng: random.Random, ordered: bool) -> list[tuple[int, int]]:
    at, out = 0, []
    for _ in range(rng.randint(1, 12)):
        at += rng.randint(0, 3)  # gaps (blank space between sentences), some none
        end = at + rng.randint(0, 30)  # an empty span now and then
        out.append((at, end))
        at = end
    if not ordered:
        rng.shuffle(out)
        if rng.random() < 0.5 and len(out) > 1:  # overlapping spans
            a, b = out[0]
            out[1] = (max(0, a - 2), b + 5)
    return out


def test_bisection_gives_the_plain_matrices():
    rng = random.Random(18)
    themes = ["a", "b", "c"]
    for trial in range(400):
        ordered = trial % 3 != 0
        spans = [_spans(rng, ordered) for _ in range(rng.randint(1, 5))]
        hits = []
        for sp in spans:
            last = max(b for _, b in sp) + 5
            hs = []
            for _ in range(rng.randint(0, 8)):
                s = rng.randint(0, last)
                hs.append((rng.choice([*themes, "unknown"]), s, s + rng.randint(0, 15)))
            hits.append(hs)
        got, want = hit_matrices(spans, hits, themes), _reference(spans, hits, themes)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_written_case():
    spans = [[(0, 10), (11, 20), (21, 30)], [(0, 5)]]
    hits = [[("a", 9, 12), ("b", 25, 26), ("c", 30, 31)], [("b", 0, 1)]]
    here, elsewhere = hit_matrices(spans, hits, ["a", "b", "c"])
    assert here.tolist() == [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]
    assert elsewhere.tolist() == [[0, 1, 1], [0, 1, 1], [1, 0, 1], [0, 0, 0]]


def test_sentence_table_gives_the_plain_sets():
    """``stack.sentence_table`` by bisection: the same sets, built in the same order."""
    from helpers.coding.stack import sentence_table

    rng = random.Random(81)
    for trial in range(300):
        ordered = trial % 3 != 0
        spans = [_spans(rng, ordered) for _ in range(rng.randint(1, 4))]
        hits, texts = [], []
        for sp in spans:
            last = max(b for _, b in sp) + 5
            texts.append("".join(rng.choice("ab, ") for _ in range(last)))
            hs = []
            for _ in range(rng.randint(0, 8)):
                s = rng.randint(0, last)
                hs.append((rng.choice("xyzw"), s, s + rng.randint(0, 15)))
            hits.append(hs)
        themes, commas = sentence_table(spans, hits, texts)
        want = [
            [{t for t, s, e in hs if s < b and e > a} for a, b in sp]
            for sp, hs in zip(spans, hits, strict=True)
        ]
        assert themes == want
        assert [[list(x) for x in row] for row in themes] == [
            [list(x) for x in row] for row in want
        ]
        assert commas == [
            [t[a:b].count(",") for a, b in sp] for sp, t in zip(spans, texts, strict=True)
        ]


def test_overlapping_ranges():
    from helpers.core.sentences import overlapping

    spans = [(0, 10), (11, 20), (21, 30)]
    assert overlapping(spans, [(9, 12), (10, 11), (30, 31), (0, 30)]) == [
        range(0, 2), range(1, 1), range(3, 3), range(0, 3)
    ]  # fmt: skip
    assert overlapping([(5, 9), (0, 4)], [(0, 1)]) is None
