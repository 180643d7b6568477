"""Session 21 (issue 15): exact speed-ups must give Punkt's own answers.

``sentences._plain_break`` answers Punkt's break test for the commonest contexts without
running Punkt's annotators; where it says True, Punkt with the same (default) parameters
must say True too. Checked on contexts written for this test, on every context of the
generated survey and of spent development sets, and on random contexts.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from helpers.core import sentences as S

ROOT = Path(__file__).resolve().parents[1]


def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(S.ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


# (context, Punkt's answer) hand-checked; the shortcut answers only the True ones
# of its three kinds and leaves the rest to Punkt.
CASES = [
    ("them. We", True),  # a word, a period, a token
    ("Them. we", True),  # lower-case next word: still a break (no casing learnt)
    ("agree.   (a)", True),
    ("e.g. We", False),  # an abbreviation: no break
    ("Dr. Smith", False),
    ("etc. The", False),
    ("J. Jones", False),  # an initial
    ("3. Then", True),  # a number: Punkt decides, the shortcut does not
    ("(2007). As", True),  # a period after a bracket
    ('"no." Then', False),  # "no." is an abbreviation inside the quotes
    ('"yes". Then', True),
    ('said". Then', True),
    ("why? We", True),
    ("No!! Never", True),
    ("well-being. We", True),  # hyphenated: left to Punkt
    ("don't. We", True),  # Punkt's token is "'t.": not an initial, left to Punkt
]


@pytest.mark.parametrize("context,want", CASES)
def test_hand_checked_contexts(context, want):
    punkt = _punkt()
    assert punkt.text_contains_sentbreak(context) is want
    fast = S._plain_break(context, punkt._params.abbrev_types)
    assert (not fast) or want  # the shortcut never claims a break Punkt does not find
    assert S._default_tokenizer().text_contains_sentbreak(context) is want


def test_shortcut_kinds():
    ab = set(S.ABBREVIATIONS)
    assert S._plain_break("them. We", ab)
    assert S._plain_break("(2007). As", ab)
    assert S._plain_break("why? We", ab)
    assert not S._plain_break("e.g. We", ab)  # abbreviation: ask Punkt
    assert not S._plain_break("J. Jones", ab)  # one letter: ask Punkt
    assert not S._plain_break("3. Then", ab)  # digits: ask Punkt
    assert not S._plain_break("them.\u2028We", ab)  # not a plain space: ask Punkt
    assert not S._plain_break("well-being. We", ab)


def test_trained_parameters_are_not_shortcut():
    params = PunktParameters()
    params.collocations = {("st", "john")}
    tok = S._BreakMemo(params)
    assert tok._plain is False
    assert S._BreakMemo(PunktParameters())._plain is True


def _all_contexts(texts):
    punkt = _punkt()
    for text in texts:
        for line in S._LINE_RE.finditer(text):
            for _, context in punkt._match_potential_end_contexts(line.group()):
                yield context


def _check(contexts) -> tuple[int, int]:
    punkt = _punkt()
    ab = punkt._params.abbrev_types
    seen = fast = 0
    for context in contexts:
        seen += 1
        if S._plain_break(context, ab):
            fast += 1
            assert punkt.text_contains_sentbreak(context), context
    return seen, fast


def _generated_answers(seed: int, n: int) -> list[str]:
    from benchmarks.generate import codebook_vocabulary, default_paths, make_respondent
    from benchmarks.zipf import with_zipf
    from helpers.core.consultation import load_consultation

    cons_path, cb_path = default_paths()
    cons = load_consultation(cons_path)
    vocab = with_zipf(codebook_vocabulary(cb_path), seed)
    return [text for k in range(n) for _, text in make_respondent(cons, vocab, seed, k).answers]


def test_generated_survey_contexts():
    texts = _generated_answers(21, 120)
    seen, fast = _check(_all_contexts(texts))
    assert seen > 500
    assert fast > seen * 0.8  # most contexts of a survey take the shortcut


def test_spent_set_contexts():
    """The text files of four spent sets (2 and 23, documents and the survey export)."""
    names = ["transport-2", "ofsted-docs-2", "ofsted-docs-23", "ofsted-survey"]
    texts = [
        f.read_text(errors="ignore")
        for name in names
        for f in sorted((ROOT / "data" / "evaluation" / name / "responses").rglob("*"))
        if f.is_file() and f.suffix.lower() in {".txt", ".md", ".csv", ".html", ".eml"}
    ]
    seen, fast = _check(_all_contexts(texts))
    assert seen > 300 and fast > 180  # 349 and 202 when written


def test_random_contexts():
    rng = random.Random(2026)
    pieces = list("aAbZ)]}\"'(.-?!,;\u201c\u2019 09") + ["e.g", "etc", "Dr", "no", "..", "ab"]
    contexts = (
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        + rng.choice(".?!")
        + rng.choice([" ", "  ", "", ")"])
        + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        for _ in range(20_000)
    )
    seen, fast = _check(contexts)
    assert fast > 2_000


def test_spans_unchanged_on_generated_answers():
    """Whole lines: the shortcut tokenizer's spans equal a fresh Punkt's."""
    punkt = _punkt()
    for text in _generated_answers(7, 60):
        for line in S._LINE_RE.finditer(text):
            chunk = line.group()
            assert list(S._default_tokenizer().span_tokenize(chunk)) == list(
                punkt.span_tokenize(chunk)
            )


# -- rowstack.hstack: the trained coder's feature matrices, array for array ----------


def _scipy_hstack(blocks):
    from scipy import sparse

    from helpers.coding.rowstack import dense_csr

    return sparse.hstack([dense_csr(b) if isinstance(b, np.ndarray) else b for b in blocks]).tocsr()


def _same(a, b) -> None:
    assert type(a) is type(b) and a.shape == b.shape
    for x, y in ((a.data, b.data), (a.indices, b.indices), (a.indptr, b.indptr)):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("rows_at_once", [1, 3, 4096])
def test_rowstack_equals_scipy(monkeypatch, rows_at_once):
    from scipy import sparse

    from helpers.coding import rowstack

    monkeypatch.setattr(rowstack, "ROWS_AT_ONCE", rows_at_once)
    rng = np.random.default_rng(21)
    n = 37
    left = rng.standard_normal((n, 5))
    right = rng.standard_normal((n, 3)).astype(np.float32)
    dense_words = sparse.random(n, 11, density=0.2, random_state=3).toarray()
    dense_words[4] = 0.0  # an empty row
    words = sparse.csr_matrix(dense_words)
    assert words.indices.dtype == np.int32
    for blocks in ([left, words, right], [left, words], [words, left], [left, right]):
        _same(rowstack.hstack(blocks), _scipy_hstack(blocks))
    # a zero in a dense block: dense_csr leaves it out, and so does the fast path (session 22)
    holed = left.copy()
    holed[2, 1] = 0.0
    _same(rowstack.hstack([holed, words]), _scipy_hstack([holed, words]))
    # no rows
    _same(rowstack.hstack([left[:0], words[:0]]), _scipy_hstack([left[:0], words[:0]]))


def test_rowstack_on_real_features():
    """Sentence vectors and TF-IDF of generated answers, as the trained coder builds them."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpers.coding import rowstack, tfidf_counts

    texts = _generated_answers(5, 30)
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(texts)
    words = tfidf_counts.transform(vec, texts)
    dense = np.random.default_rng(0).standard_normal((len(texts), 8))
    owner = np.arange(len(texts))[::-1]
    assert rowstack._simple([dense, words, dense[owner]], [True, False, True])  # the fast path
    _same(
        rowstack.hstack([dense, words, dense[owner]]), _scipy_hstack([dense, words, dense[owner]])
    )


# -- sentences._plain_line: whole lines split without Punkt ----------------------------


def _punkt_line(chunk: str) -> list[tuple[int, int]]:
    out = []
    for s, e in _punkt().span_tokenize(chunk):
        piece = chunk[s:e]
        lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


@pytest.mark.parametrize(
    "line,want",
    [
        ("We agree. Fees rose. 3 shops shut.", [(0, 9), (10, 20), (21, 34)]),
        (" We agree. Fees rose", [(1, 10), (11, 20)]),  # one leading space
        ("We agree.   Fees rose!  ", [(0, 9), (12, 22)]),
    ],
)
def test_plain_line_hand_checked(line, want):
    assert S._plain_line(line, set(S.ABBREVIATIONS)) == want == _punkt_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "See e.g. Fees here. Then",  # an abbreviation
        "It is J. Jones. Yes",  # an initial
        "It costs 3.50 now. Yes",  # a mark inside a token
        'He said no. "Why" then',  # a quote after the break: Punkt realigns
        "Done.\tNext one",  # a tab
        "Why? Because",  # a question mark before the end
        "well-being. We",
        "At the end?!",
    ],
)
def test_plain_line_leaves_the_rest_to_punkt(line):
    assert S._plain_line(line, set(S.ABBREVIATIONS)) is None
    assert S.sentence_spans(line) == _punkt_line(line)


def test_plain_line_on_generated_and_spent_lines():
    names = ["transport-2", "ofsted-docs-2", "ofsted-docs-23", "ofsted-survey"]
    texts = _generated_answers(11, 150) + [
        f.read_text(errors="ignore")
        for name in names
        for f in sorted((ROOT / "data" / "evaluation" / name / "responses").rglob("*"))
        if f.is_file() and f.suffix.lower() in {".txt", ".md", ".csv", ".html", ".eml"}
    ]
    ab = set(S.ABBREVIATIONS)
    fast = several = 0
    for text in texts:
        for line in S._LINE_RE.finditer(text):
            chunk = line.group()
            if not chunk.strip():
                continue
            got = S._plain_line(chunk, ab)
            if got is not None:
                fast += 1
                several += len(got) > 1
                assert got == _punkt_line(chunk), chunk
    assert several > 200  # lines of several sentences took the shortcut


def test_plain_line_random_lines():
    rng = random.Random(21)
    pieces = ["aa", "Bb", "word.", "Word.", "e.g.", "etc.", "A.", "1.5", "3.", "why?", "ok!"]
    pieces += ["(x)", '"q"', "x).", "\u2019s", "...", "--", " ", "\t", "\u00a0", "end."]
    ab = set(S.ABBREVIATIONS)
    fast = 0
    for _ in range(20_000):
        chunk = "".join(
            rng.choice(pieces) + rng.choice([" ", " ", "", "  "]) for _ in range(rng.randint(1, 9))
        )
        if not chunk.strip():
            continue
        got = S._plain_line(chunk, ab)
        if got is not None:
            fast += 1
            assert got == _punkt_line(chunk), chunk
    assert fast > 2_000  # 2,810 when written
