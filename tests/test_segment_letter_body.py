"""An e-mail's own body, a whole letter, before a headed attachment (``passages.letter_body_end``).

Some respondents answer a few questions in the e-mail itself ("Dear team,
... We back the Sunday opening ... Best wishes") and the rest in an attached
document with headings. The attachment's headings make the body the
preamble; ``letter_body_end`` tells such a body apart so its paragraphs are
read as a letter's. Phrasings written for these tests, with negatives.
"""

from __future__ import annotations

from helpers.ingest.segment.passages import letter_body_end

LETTER = """Dear library team,

I am writing on behalf of the Friends of Eastgate Library.

We back the Sunday opening at the central library without reservation.

Closing the branches at five would end the homework club, which forty children use.

Best wishes,

Morag Innes"""


def test_a_whole_letter_before_the_headings_ends_at_its_sign_off():
    end = letter_body_end(LETTER, 0, len(LETTER))
    assert end is not None and LETTER[end:].startswith("Best wishes")


def test_hello_and_a_signature_block():
    text = LETTER.replace("Dear library team,", "Hello,").replace(
        "Best wishes,\n\nMorag Innes", "Kind regards\nMorag Innes\nSecretary"
    )
    end = letter_body_end(text, 0, len(text))
    assert end is not None and text[end:].startswith("Kind regards")


def test_a_title_page_preamble_is_not_a_letter():
    text = LETTER.replace("Dear library team,", "Response of the Friends of Eastgate Library")
    assert letter_body_end(text, 0, len(text)) is None


def test_a_covering_note_with_nothing_between_greeting_and_sign_off():
    text = "Dear team,\n\nPlease find our answers below.\n\nThanks,\n\nMo"
    assert letter_body_end(text, 0, len(text)) is None


def test_a_greeting_with_no_sign_off_is_not_a_whole_letter():
    text = LETTER.split("\n\nBest wishes")[0]
    assert letter_body_end(text, 0, len(text)) is None


def test_offsets_inside_a_longer_text():
    text = "Subject: library hours\n\n" + LETTER + "\n\nSunday opening\n\nYes please."
    s = text.index("Dear")
    e = text.index("Sunday opening\n")
    end = letter_body_end(text, s, e)
    assert end is not None and text[end:].startswith("Best wishes")
