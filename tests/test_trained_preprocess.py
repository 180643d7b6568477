"""The trained coder's TF-IDF preprocessing equals scikit-learn's ``strip_accents="unicode"``
(lower case, accents stripped), on every character and on text (session 16, speed only)."""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode

from helpers.coding.trained_fit import preprocess

# Written for this test.
TEXTS = [
    "The Café’s opening hours — too short!",
    "ÉCOLE naïve coöperation façade",
    "Ｆｕｌｌｗｉｄｔｈ and ﬁ ligature, ² superscript",
    "İstanbul ẞ straße",
    "plain ascii text",
    "",
]


def test_every_character():
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert preprocess(ch) == strip_accents_unicode(ch.lower()), hex(code)


def test_texts_and_the_vectoriser():
    reference = TfidfVectorizer(strip_accents="unicode", ngram_range=(1, 2)).fit(TEXTS)
    fast = TfidfVectorizer(
        strip_accents="unicode", ngram_range=(1, 2), preprocessor=preprocess
    ).fit(TEXTS)
    assert reference.vocabulary_ == fast.vocabulary_
    assert (reference.transform(TEXTS) != fast.transform(TEXTS)).nnz == 0
    for text in TEXTS:
        assert preprocess(text) == strip_accents_unicode(text.lower())
