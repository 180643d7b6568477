"""Tests for helpers.ingest.textnorm: normalisation rules, page-break repair, markup cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.ingest.textnorm import (
    looks_like_markdown,
    markup_to_text,
    normalise,
    normalise_with_cues,
)

RAW = Path(__file__).resolve().parents[1] / "data" / "raw" / "ofsted-ilacs-care-leavers-2022"


def _read(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("cafe\u0301", "café"),  # NFC composes e + combining acute
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("\ufb01nal \ufb02oor \ufb00 \ufb03x \ufb04y \ufb06op", "final floor ff ffix ffly stop"),
        ("co\u00adoperate", "cooperate"),
        ("zero\u200bwidth\u200d join\ufeff", "zerowidth join"),
        ("a\u00a0b\u2009c\u202fd\te", "a b c d e"),
        ("trailing   \nspaces \t\nhere", "trailing\nspaces\nhere"),
        ("many    spaces  here", "many spaces here"),
        ("a.\n\n\n\n\nb", "a.\n\nb"),
        ("\n\n  leading and trailing  \n\n", "leading and trailing"),
        ("ctrl\x07char\x7f", "ctrlchar"),
    ],
)
def test_character_rules(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the organ-\nisation", "the organisation"),
        ("the organ- \nisation", "the organisation"),  # trailing space removed first
        ("Covid-\n19 cases", "Covid-\n19 cases"),  # digit: a real hyphen
        ("well-\nBeing", "well-\nBeing"),  # capital: not a wrapped word
        ("the organ-\n\nisation", "the organisation"),  # across a page break
        ("Long-\n\nTerm", "Long-\n\nTerm"),
    ],
)
def test_hyphenated_line_breaks(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "line",
    [
        "• item",
        "◦ item",
        "▪item",
        "‣ item",
        "· item",
        "● item",
        "– item",
        "* item",
        "-   item",
        "  • item",
        "\uf0b7 item",
        "\uf0a7\titem",
    ],
)
def test_bullets_become_dash(line: str) -> None:
    assert normalise("Intro.\n" + line) == "Intro.\n- item"


@pytest.mark.parametrize("line", ["**bold** text", "-5 degrees", "*emphasis*", "x • y"])
def test_non_bullets_untouched(line: str) -> None:
    assert normalise(line) == line


def test_page_break_repair_on_acrcg() -> None:
    text = normalise(_read("acrcg.txt"))
    assert "to improve access to records for all is set out" in text
    assert "access to\n\nrecords" not in text
    # Paragraphs that end a sentence keep their break.
    assert "(ILACS) inspection framework 29th July 2022\n\nPlease tell us" in text
    assert text.startswith("ACRCG's response")


def test_page_break_repair_on_become() -> None:
    text, _ = markup_to_text(_read("become.txt"))
    assert "pathway plans, that reflect their aspirations and choices" in text
    assert "response to the Care Review comes too late for this" in text
    assert "their\n\naspirations" not in text
    # A bullet after a finished bullet stays its own paragraph.
    assert (
        "easy to navigate local offer for care leavers.\n\n- Ensuring that care leavers have"
        in text
    )


@pytest.mark.parametrize(
    "raw",
    [
        "We agree.\n\nhowever, more is needed",  # terminal punctuation
        "As they said:\n\nthe plan",  # colon ends the lead-in
        "Q4 Additional comments\n\nnone from us",  # a question heading
        "Question 2\n\nwe think so",
        "(see note 'a')\n\n",  # nothing follows
    ],
)
def test_page_break_repair_leaves_real_breaks(raw: str) -> None:
    assert normalise(raw) == raw.strip()


def test_page_break_repair_skips_cued_heading() -> None:
    raw = "Housing and support\n\nwe think more is needed"
    assert normalise(raw) == raw  # a short paragraph is a heading even without a cue
    long = "We have long argued that the council should fund housing and support\n\nfor all"
    assert normalise(long) == long.replace("\n\n", " ")
    text, cues = normalise_with_cues(raw, [(0, 19, "bold")])
    assert text == raw
    assert cues == [(0, 19, "bold")]


def test_normalise_is_idempotent_on_real_files() -> None:
    for name in ("acrcg.txt", "become.txt"):
        once = normalise(_read(name))
        assert normalise(once) == once
    text, _ = markup_to_text(_read("become.txt"))
    assert normalise(text) == text


def test_cues_follow_normalisation() -> None:
    raw = "\n\n  Intro\u00a0\u00a0text.\n\n\n\nThe  \ufb01rst  heading\n\nBody"
    start = raw.index("The")
    end = raw.index("heading") + len("heading")
    text, cues = normalise_with_cues(raw, [(start, end, "heading")])
    assert text == "Intro text.\n\nThe first heading\n\nBody"
    assert [(text[s:e], k) for s, e, k in cues] == [("The first heading", "heading")]


def test_markup_to_text_on_become() -> None:
    raw = _read("become.txt")
    assert looks_like_markdown(raw)
    text, cues = markup_to_text(raw)
    assert "**" not in text and "](#)" not in text and "# BECOME" not in text
    assert "16% of all initial enquiries to our Care Advice Line." in text
    assert "at matt.blow@becomecharity.org.uk." in text
    assert text.startswith(
        "Become Response to Ofsted consultation:\nIntroducing a separate judgement"
    )
    spans = [(text[s:e], k) for s, e, k in cues]
    bold = [t for t, k in spans if k == "bold"]
    # Title, 'About Become' lead-in, Q1-Q5 headings, 'For Further Information:'.
    assert len(bold) == 8
    assert bold[1] == "About Become"
    assert [b[:3] for b in bold[2:7]] == ["Q1)", "Q2)", "Q3)", "Q4)", "Q5)"]
    assert bold[5] == "Q4) Do you have any additional comments about our proposals?"
    assert bold[7] == "For Further Information:"
    assert bold[0].endswith("children's services (ILACS)")
    assert ("BECOME.", "heading") in spans
    # Bold runs inside bullets ('- **x**') are not headings: none here start with '- '.
    assert not any(t.startswith("- ") for t, _ in spans)


def test_markup_details() -> None:
    raw = (
        "## Our  view ##\r\n\r\n"
        "**Q1)  Housing**  \n"
        "We [strongly](http://x.org/a_(b)) *agree* with `this`.\n\n"
        "- **Lead** item\n"
        "> quoted\n"
        "---\n"
        "Escaped \\*star\\*"
    )
    text, cues = markup_to_text(raw)
    assert text == (
        "Our view\n\nQ1) Housing\nWe strongly agree with this.\n\n- Lead item\nquoted\n\nEscaped *star*"
    )
    assert [(text[s:e], k) for s, e, k in cues] == [
        ("Our view", "heading"),
        ("Q1) Housing", "bold"),
    ]


def test_plain_text_is_not_markdown() -> None:
    assert not looks_like_markdown(_read("acrcg.txt"))
    assert not looks_like_markdown("Cost is 5 ** 2 and #1 priority.")


@pytest.mark.parametrize(
    "text",
    [
        "About me\n\nIm a care leaver, 20\n\nQ.1\n\nyes agree. nobody checks on us",
        "Answer 2\n\nbecause it is fair to everyone",
        "Timing\n\nnot before the spring please",
        "Our views\n\nwe broadly support the plan",
    ],
)
def test_a_heading_or_label_line_is_not_joined_to_a_lower_case_answer(text):
    """Only prose that a page break split is joined: a short heading paragraph stays."""
    assert normalise(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "sorry this is a bit rushed\n\na) who i am\n\nim 15 and walk to school",
        "here are my thoughts\n\n(b) the buses\n\nthey never come on time",
        "a few points from us\n\nii. the car park\n\nnowhere to park after six",
    ],
)
def test_a_lettered_label_is_not_joined_to_the_paragraph_above(text):
    """A page break does not split a sentence just before "a) ...": it is a numbered label."""
    assert normalise(text) == text


@pytest.mark.parametrize(
    "raw, joined",
    [
        # not enumerators: a word, "i.e.", and "a" with no closing mark
        ("most of all we would like the council to run more\n\nbuses at night", None),
        ("the plan is good for the families on our street with\n\ni.e. young children", None),
        ("what the council should give us in return is\n\na proper crossing by the park", None),
    ],
)
def test_lower_case_continuations_are_still_joined(raw, joined):
    assert normalise(raw) == (joined or raw.replace("\n\n", " "))


def test_prose_split_by_a_page_break_is_still_joined():
    text = "We think the council should do far more to improve access to\n\nrecords for all."
    assert normalise(text) == (
        "We think the council should do far more to improve access to records for all."
    )


def test_lower_case_paragraphs_closer_than_a_page_are_the_writers_own():
    # batch 22's teenager (and the lower-case e-mails of batches 4, 9, 13, 16, 18): each
    # blank line ends a thought typed without a full stop; a page is far longer.
    raw = (
        "hi im sam im 15 and i live near the park, my dad said i could write my own\n\n"
        "first of all why so long thats nearly two years, by then ill have done all my exams"
        " and left school so just decide\n\n"
        "the new crossing is actually good tho and my little sister can walk to school now"
        " so keep it\n\n"
        "only bad thing is my gran takes longer to drive over and she moans about it lol"
    )
    assert normalise(raw) == raw


def test_one_lower_case_break_in_a_short_text_is_still_joined():
    raw = (
        "Our members asked the council to think again about the hours of the new scheme and\n\n"
        "the signs at the north end, which drivers miss. We support the rest of it."
    )
    assert normalise(raw) == raw.replace("\n\n", " ")


def test_lower_case_breaks_a_page_apart_are_still_joined():
    filler = "The scheme has worked well for the families who live on the street. " * 25
    raw = (
        f"{filler}We would like the council to run more\n\nbuses at night. {filler}"
        f"We would also ask for better lighting at\n\nthe stops by the park."
    )
    assert normalise(raw) == raw.replace("\n\n", " ")


def test_hard_wrapped_lines_with_blank_lines_between_are_still_joined():
    # a scanned letter's lines (all short), blank lines between them (transport-16's
    # answer re-rendered as HTML by seg_perturb)
    raw = (
        "My wife relies on our son to take her to the clinic at the health\n\n"
        "centre. What was a six-minute journey is now nearer twenty, and on\n\n"
        "clinic days we have to leave before the worst of the school traffic,\n\n"
        "which now queues past our gate from ten past eight."
    )
    assert normalise(raw) == raw.replace("\n\n", " ")
