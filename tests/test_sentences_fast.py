"""``sentence_spans``' one-sentence lines skip Punkt: the spans must be Punkt's (issue 15).

The reference below is the loop ``sentence_spans`` ran before session 16 (every line
through Punkt's ``span_tokenize``); the texts are written for this test and drawn
from the generated corpus, with lines that end in each kind of punctuation and
whitespace.
"""

from __future__ import annotations

import random

import pytest

from helpers.core import sentences as S


def _punkt_spans(text: str, tok=None) -> list[tuple[int, int]]:
    tok = tok or S._default_tokenizer()
    out = []
    for line in S._LINE_RE.finditer(text):
        ls, chunk = line.start(), line.group()
        if not chunk.strip():
            continue
        for s, e in tok.span_tokenize(chunk):
            piece = chunk[s:e]
            lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
            if e - trail > s + lead:
                out.append((ls + s + lead, ls + e - trail))
    return out


# Written for this test: one-sentence lines, lines Punkt must split, and odd endings.
LINES = [
    "The bus shelter on Mill Lane leaks",
    "  We would like longer opening hours on Sundays.  ",
    "Is the consultation period long enough?",
    "No!",
    "ok?!",
    "Wait... what about the cyclists",
    "See para. 4 of the draft",
    'He said "no." Then he left.',
    "(First point.) Second point.",
    "Cost: £4.50 a day. Too much.",
    "e.g. this one",
    "A sentence ending in a tab.\t",
    "A line ending in an odd blank.\x1c",
    "Then a next-line char.\x85 More",
    "Mid-line separator.\u2028Next",
    "Quoted end.\u201d",
    "Numbers 1.5 and 2.75 are not ends",
    "Ends with dots...",
    "   ",
    "Single",
]


@pytest.mark.parametrize("line", LINES)
def test_each_line_alone(line):
    assert S.sentence_spans(line) == _punkt_spans(line)


def test_mixed_answers_and_windows():
    rng = random.Random(16)
    for _ in range(300):
        text = rng.choice(["\n", "\n\n", "\r\n"]).join(
            rng.choice(LINES) for _ in range(rng.randint(1, 8))
        )
        assert S.sentence_spans(text) == _punkt_spans(text), text
        lo = rng.randint(0, len(text))
        hi = rng.randint(lo, len(text))
        window = S.sentence_spans(text, lo, hi)
        expected = [(lo + s, lo + e) for s, e in _punkt_spans(text[lo:hi])]
        # the window's first line starts at lo, as the reference's does
        assert window == expected, (text, lo, hi)


def test_generated_answers():
    from benchmarks.generate import codebook_vocabulary, default_paths, make_respondent, with_zipf
    from helpers.core.consultation import load_consultation

    consultation_path, codebook_path = default_paths()
    consultation = load_consultation(consultation_path)
    vocab = with_zipf(codebook_vocabulary(codebook_path), 1)
    checked = 0
    for k in range(60):
        for _, text in make_respondent(consultation, vocab, 1, k).answers:
            assert S.sentence_spans(text) == _punkt_spans(text)
            checked += 1
    assert checked > 100


def test_a_trained_tokenizer_still_agrees():
    tok = S.train_tokenizer(["Dr. Smith met Mr. Jones. They spoke at length."] * 3)
    text = "Dr. Smith met Mr. Jones. They spoke.\nOne line only\nAnother one."
    assert S.sentence_spans(text, tokenizer=tok) == _punkt_spans(text, tok)
