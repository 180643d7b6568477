"""Session 24 (issue 15): exact speed-ups of the stance step must give the same answers.

``crossq.parts`` asks of every sentence and piece which closed questions it names. It now
asks ``naming.Namer`` (each distinct word stemmed and tested once per set of questions)
instead of stemming every piece and testing every stem against every question
(``crossq._named_by_stems``, session 22's way, kept as the reference). The sets must be
the same on hand-checked pieces and on every piece of generated answers, read against
the shipped consultations' and the spent transport set's questions.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from helpers.core.uniq import unique_ints

ROOT = Path(__file__).resolve().parents[1]
TRANSPORT = ROOT / "data" / "evaluation" / "transport" / "consultation.yaml"  # a spent set


@pytest.fixture(scope="module")
def transport_words():
    from helpers.core.consultation import load_consultation
    from helpers.stance.comparison import question_words

    c = load_consultation(TRANSPORT)
    return {q.id: question_words(c, q.id) for q in c.closed_questions}


@pytest.mark.parametrize(
    ("words", "piece", "want"),
    [
        # "experimental" stems to "experiment": the question's "experi" is a prefix of it
        ({"a": frozenset({"experi"}), "b": frozenset({"gate"})}, "An experimental order", {"a"}),
        ({"a": frozenset({"experimental"})}, "the experiment", {"a"}),  # it is a prefix
        ({"a": frozenset({"bu", "gate"}), "b": frozenset({"planter"})}, "The bus gate, no.", {"a"}),
        (
            {"a": frozenset({"bus"}), "b": frozenset({"gat"})},
            "buses and gates",
            set(),
        ),  # < 5 letters
        (
            {"a": frozenset({"planter"}), "b": frozenset({"filter"})},
            "Planters and FILTERS",
            {"a", "b"},
        ),
        ({"a": frozenset(), "b": frozenset({"filter"})}, "the filters", {"b"}),  # no words: never
        ({"a": frozenset({"the"})}, "the the the", set()),  # a stopword is no content word
        ({"a": frozenset()}, "filters", set()),
    ],
)
def test_named_hand_checked(words, piece, want):
    from helpers.stance.crossq import _named, _named_by_stems
    from helpers.stance.naming import Namer

    assert Namer(words).named(piece) == want == _named_by_stems(piece, words)
    assert _named(piece, words) == want


def test_named_on_transport_pieces(transport_words):
    """The spent transport set's questions (names, own words, distinctive words) against
    every sentence and comma piece of its question texts and of generated answers."""
    from helpers.core.consultation import load_consultation
    from helpers.stance.crossq import _named_by_stems, distinctive
    from helpers.stance.naming import Namer

    texts = _generated_answers(24, 60) + [q.text for q in load_consultation(TRANSPORT).questions]
    texts += ["Trial yes, bus gate no.", "The planters I can live with. The bus gate I can't."]
    pieces = [p for t in texts for p in _pieces(t)]
    sets = [
        distinctive(transport_words),
        {q: own for q, (_, own) in transport_words.items()},
        {q: name for q, (name, _) in transport_words.items()},
    ]
    named = 0
    for words in sets:
        namer = Namer(words)
        for piece in pieces:
            got = namer.named(piece)
            assert got == _named_by_stems(piece, words), piece
            named += bool(got)
    assert len(pieces) > 1000 and named > 20  # the test reads pieces that name questions


def test_named_random_words_match_reference():
    """Random question words (prefixes and extensions of the pieces' own stems) and pieces."""
    from helpers.stance.crossq import _named_by_stems
    from helpers.stance.naming import Namer
    from helpers.stance.unstructured import content_stems

    rng = random.Random(24)
    vocab = "filters planters experimental experiment gate buses timing judgement date".split()
    for _ in range(300):
        piece = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 6)))
        stems = sorted(content_stems(" ".join(vocab)))
        words = {}
        for q in "abc":
            own = set()
            for s in rng.sample(stems, rng.randint(0, 3)):
                own.add(s[: rng.randint(2, len(s))] if rng.random() < 0.5 else s + "al")
            words[q] = frozenset(own)
        assert Namer(words).named(piece) == _named_by_stems(piece, words)


def test_cache_is_emptied_past_its_cap(monkeypatch):
    from helpers.stance import naming

    monkeypatch.setattr(naming, "CACHE_MAX", 3)
    namer = naming.Namer({"a": frozenset({"filter"})})
    assert namer.named("one two three four filters five") == {"a"}
    assert len(namer._by_word) <= 3
    assert namer.named("filters") == {"a"}


def test_parts_the_same_with_the_reference(transport_words, monkeypatch):
    """``crossq.parts`` (and so ``by_question``) cut and name the same with either way."""
    from helpers.stance import crossq

    words = crossq.distinctive(transport_words)
    texts = [
        "Trial yes, bus gate no.",
        "I'd happily see the bus gate scrapped. The filters, though, I'd fight for.",
        "The planters I can live with. The bus gate I can't.",
        *_generated_answers(7, 20),
    ]
    fast = [crossq.parts(t, words) for t in texts]

    class Reference:
        def __init__(self, w):
            self.w = w

        def named(self, piece):
            return crossq._named_by_stems(piece, self.w)

    monkeypatch.setattr(crossq, "namer", Reference)
    assert [crossq.parts(t, words) for t in texts] == fast
    # hand-checked: each part names its own question (the set's YAML words, not code)
    assert [(texts[0][a:b], named) for a, b, named in fast[0]] == [
        ("Trial yes", {"trial"}),
        ("bus gate no.", {"bus_gate"}),
    ]
    assert [(texts[2][a:b], named) for a, b, named in fast[2]] == [
        ("The planters I can live with.", {"ltn"}),
        (" The bus gate I can't.", {"bus_gate"}),
    ]


def _pieces(text: str) -> list[str]:
    from helpers.stance.crossq import _CUT_RE, _SENTENCE_RE

    out = []
    for m in _SENTENCE_RE.finditer(text):
        out.append(m.group())
        at = m.start()
        for c in [*_CUT_RE.finditer(text, m.start(), m.end()), None]:
            end = c.start() if c is not None else m.end()
            out.append(text[at:end])
            at = c.end() if c is not None else m.end()
    return out


def _generated_answers(seed: int, n: int) -> list[str]:
    from benchmarks.generate import codebook_vocabulary, default_paths, make_respondent
    from benchmarks.zipf import with_zipf
    from helpers.core.consultation import load_consultation

    cons_path, cb_path = default_paths()
    cons = load_consultation(cons_path)
    vocab = with_zipf(codebook_vocabulary(cb_path), seed)
    return [text for k in range(n) for _, text in make_respondent(cons, vocab, seed, k).answers]


# -- np.unique's hash path replaced by a sort (``core.uniq``) --------------------------


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16, np.int8, bool])
def test_unique_ints_is_np_unique(dtype):
    rng = np.random.default_rng(24)
    for n, high in [(0, 2), (1, 2), (2, 2), (50, 3), (1000, 100), (20_000, 120)]:
        x = rng.integers(0, high, size=n).astype(dtype)
        got = unique_ints(x)
        want = np.unique(x)
        assert got.dtype == want.dtype and np.array_equal(got, want)
    square = rng.integers(-5, 5, size=(30, 4))  # flattened, as np.unique does
    assert np.array_equal(unique_ints(square), np.unique(square))


def test_unique_ints_hand_checked_and_refuses_floats():
    assert unique_ints(np.array([5, -1, 5, 3, -1, 2**40], dtype=np.int64)).tolist() == [
        -1,
        3,
        5,
        2**40,
    ]
    with pytest.raises(TypeError):
        unique_ints(np.array([1.0, np.nan, np.nan]))  # np.unique folds the NaNs: not ours


def test_pair_features_the_same_with_np_unique(monkeypatch):
    """``pair_features.features`` with copy groups (the path that calls ``unique_ints``)
    builds the same arrays as with ``np.unique``, on generated answers with repeated texts
    (a campaign's copies in one group)."""
    from helpers.core.text import stopwords
    from helpers.ingest import pair_features
    from helpers.ingest.copytext import SENTENCE_BREAK

    answers = _generated_answers(5, 40)
    texts = [t.lower() for t in answers] + [answers[0].lower()] * 5 + [answers[3].lower()] * 3
    groups = list(range(len(answers))) + [0] * 5 + [3] * 3
    got = pair_features.features(texts, frozenset(), stopwords(), SENTENCE_BREAK, groups)
    monkeypatch.setattr(pair_features, "unique_ints", np.unique)
    want = pair_features.features(texts, frozenset(), stopwords(), SENTENCE_BREAK, groups)
    assert got is not None and len(got.df) > 1000
    for field in ("unit_text", "indptr", "column", "idf", "weight", "df"):
        a, b = getattr(got, field), getattr(want, field)
        assert a.dtype == b.dtype and np.array_equal(a, b), field
