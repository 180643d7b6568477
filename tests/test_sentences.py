"""Sentence splitting with no NLTK data: abbreviations, bullets, headings."""

from helpers.core.paths import raw_dir
from helpers.core.sentences import enclosing_sentence, sentence_spans, sentences, train_tokenizer


def test_abbreviations_do_not_split():
    text = "Support e.g. housing and health matters. See Vol. 3 pp. 36-43 for detail. It is clear."
    assert sentences(text) == [
        "Support e.g. housing and health matters.",
        "See Vol. 3 pp. 36-43 for detail.",
        "It is clear.",
    ]


def test_bullets_and_headings_are_their_own_sentences():
    text = "Workforce\n- Training for staff\n- Retention of advisers\nWe agree. It matters."
    assert sentences(text) == [
        "Workforce",
        "- Training for staff",
        "- Retention of advisers",
        "We agree.",
        "It matters.",
    ]


def test_spans_are_offsets_into_the_text_without_whitespace():
    text = "  First one.   Second one.\n\n  Third"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one.", "Third"]
    assert spans[0] == (2, 12)


def test_spans_within_a_window():
    text = "Intro. Answer one. Answer two. Outro."
    lo, hi = text.index("Answer one"), text.index(" Outro")
    assert [text[s:e] for s, e in sentence_spans(text, lo, hi)] == ["Answer one.", "Answer two."]


def test_enclosing_sentence_on_the_real_acrcg_text():
    text = (raw_dir() / "acrcg.txt").read_text(encoding="utf-8")
    s, e = enclosing_sentence(text, text.index("Vol 3"))
    assert text[s:e].startswith("records for all is set out in the 2014 revision")
    assert text[s:e].endswith("pp 36-43.")


def test_trained_tokenizer_keeps_shipped_abbreviations():
    tok = train_tokenizer(["The Dept. said so. It was clear.", "We met Cllr. Smith today."])
    assert sentences("See e.g. the report. Next.", tokenizer=tok) == [
        "See e.g. the report.",
        "Next.",
    ]
