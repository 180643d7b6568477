"""The batched heading similarity gives the per-pair numbers exactly (issue 15 item 4).

``similarity.similarities_from`` scores one line against every question at
once and ``similarity.partial_at_least`` skips the window search when a
bound says the score cannot reach the cutoff; both are speed-ups only, so
every number must equal the per-pair version's on varied inputs: real
consultations' questions, their pieces and paraphrases, short labels, lines
of respondents' prose, random strings, the empty line and very long lines.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from helpers.core.consultation import load_consultation
from helpers.ingest.segment import similarity as sim

ROOT = Path(__file__).resolve().parents[1]
CONSULTATIONS = [
    ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml",
    ROOT / "data" / "evaluation" / "transport-10" / "consultation.yaml",
]

# Lines written for this test, not taken from any development set.
LINES = [
    "",
    "?",
    "Q3",
    "Question 2:",
    "Other comments",
    "Any other comments",
    "No further comments.",
    "Parking:",
    "Timing",
    "Care leavers",
    "Our view on the proposed changes to inspection of services for young people leaving care",
    "We support the bus lane but the parking restrictions will hurt the high street shops.",
    "Re: the consultation on the new inspection framework - response from a foster carer",
    "Do you agree with the proposal?",
    "Do you agree or disagree with the proposal to change the way we inspect?",
    "What, if anything, would you change about the plans for the town centre?",
    "I have lived here thirty years and the buses have never been worse than they are now.",
    "zzzz qqqq xxxx wwww vvvv uuuu",
    "a" * 25,
    "the " * 90,  # over the memo's length: not remembered
    "word " * 20_000,  # a one-paragraph answer of 100 KB
]


def _questions():
    return [load_consultation(p).questions for p in CONSULTATIONS if p.exists()]


def _lines(questions) -> list[str]:
    rng = random.Random(15)
    out = list(LINES)
    for qs in questions:
        for q in qs:
            for text in (q.text, q.short or "", *q.aliases):
                out.append(text)  # the whole question
                out.append(text.upper().replace("?", ""))  # shouted, no mark
                words = text.split()
                for _ in range(4):  # pieces of it, 20+ characters: the partial ratio decides
                    a = rng.randrange(len(words) or 1)
                    b = min(len(words), a + rng.randrange(3, 12))
                    out.append(" ".join(words[a:b]))
                shuffled = words[:]
                rng.shuffle(shuffled)
                out.append(" ".join(shuffled))  # the same words, another order
                if len(words) > 4:  # one word swapped for a typo
                    k = rng.randrange(len(words))
                    out.append(" ".join(w if i != k else w[::-1] for i, w in enumerate(words)))
    alphabet = "abcdefghij klmnop"
    for n in (5, 19, 20, 21, 40, 63, 64, 65, 120, 400):  # random strings about the cut lengths
        out.append("".join(rng.choice(alphabet) for _ in range(n)))
    return out


@pytest.fixture(scope="module")
def questions():
    qs = _questions()
    assert qs, "no consultation to score against"
    return qs


def test_similarities_from_equals_per_pair(questions):
    checked = nonzero = 0
    for qs in questions:
        for line in _lines(questions):
            h, hs = sim.norm(line), sim.stems(line)
            batched = sim.similarities_from(h, hs, qs)
            assert batched == [sim.similarity_from(h, hs, q) for q in qs], line[:80]
            # The words only: text_similarities also reads a frame-only heading
            # ("Anything else") as naming its kind's question (segment.intents).
            assert sim.unframed_similarities(line, qs) == batched
            checked += 1
            nonzero += any(v > 0 for v, _ in batched)
    assert checked > 200
    assert nonzero > 50  # the inputs reach the verbatim scores, not only zeros


def _pairs(questions):
    wordings = [
        v.norm for qs in questions for q in qs for v in sim.variants(q) if len(v.norm) >= 20
    ]
    for line in _lines(questions):
        h = sim.norm(line)
        for w in wordings:
            if len(h) <= len(w) and len(h) < 1000:
                yield h, w


def test_partial_at_least_equals_partial_ratio_above_cutoff(questions):
    n = hits = skipped_ok = 0
    for h, w in _pairs(questions):
        full = fuzz.partial_ratio(h, w)
        for cutoff in (70, 85):
            want = full if full >= cutoff else 0.0
            assert sim.partial_at_least(h, w, cutoff) == want, (h, w, cutoff)
        n += 1
        hits += full >= 70
        skipped_ok += full < 70
    assert n > 1000 and hits > 100 and skipped_ok > 100


def test_partial_at_least_edge_cases():
    assert sim.partial_at_least("", "", 70) == fuzz.partial_ratio("", "")
    assert sim.partial_at_least("", "abc", 70) == 0.0
    # Equal lengths: the window search runs both ways; the bound is symmetric.
    assert sim.partial_at_least("abcdefghij", "abcdefghiz", 70) == fuzz.partial_ratio(
        "abcdefghij", "abcdefghiz"
    )
    # Longer needle than haystack: partial_ratio swaps them, so does the bound.
    long, short = "the proposed changes to the bus lane", "changes to the bus"
    assert sim.partial_at_least(long, short, 70) == fuzz.partial_ratio(long, short) == 100.0
    # Nothing shared: no window can reach the cutoff.
    assert sim.partial_at_least("qqqqqqqqqqqqqqqqqqqqqq", "a b c d e f g h i j k l m", 70) == 0.0
