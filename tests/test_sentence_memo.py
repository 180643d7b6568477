"""The default tokenizer's remembered break tests give Punkt's own spans (session 20)."""

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from helpers.core import sentences

LINES = [
    "We agree. We agree. We do not agree, e.g. on fees. Dr. Smith said so. We agree.",
    "See para. 4 and pp. 12-14. It costs £3.50. Is that fair? No! It is not. It is J. R. Jones.",
    'Hours cut. (Again.) Staff lost. "Why?" they ask. The U.K. rules... apply. Next year.',
    "Vol. 2 was read. Vol. 2 was read. Mr. and Mrs. Lee wrote 3. Then 4. Then they left.",
]


def _plain() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(sentences.ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def test_memo_spans_equal_punkt_twice_over():
    plain = _plain()
    memo = sentences._default_tokenizer()
    for _ in range(2):  # the second pass is answered from the memo
        for line in LINES:
            want = list(plain.span_tokenize(line))
            assert list(memo.span_tokenize(line)) == want
            for ctx in (c for _, c in plain._match_potential_end_contexts(line)):
                assert memo.text_contains_sentbreak(ctx) == plain.text_contains_sentbreak(ctx)
    assert memo._breaks  # it remembered
    # a break is not a fixed answer per word: "agree. We" breaks, "e.g. on" does not
    assert memo.text_contains_sentbreak("agree. We") is True
    assert memo.text_contains_sentbreak("e.g. on") is False


def test_memo_is_bounded(monkeypatch):
    memo = sentences._BreakMemo(PunktParameters())
    monkeypatch.setattr(sentences, "MEMO_CONTEXTS", 3)
    for ctx in ("a. B", "c. D", "e. F", "g. H", "i. J"):
        memo.text_contains_sentbreak(ctx)
        assert len(memo._breaks) <= 3
