"""Session 22, letters (issue 12): the letter rules' cue patterns by public names."""

from __future__ import annotations

from helpers.ingest.segment import letters, passages


def test_public_cue_names_are_the_ones_the_rules_use():
    # The short-message rule and the decoder read the letter rules' own patterns, now by
    # public names; the old private names stay as aliases for existing importers.
    assert letters.letter_patterns() is letters._patterns()
    assert passages.greeting_re() is passages._greeting_re()
    assert letters.letter_patterns()["intro"].search("We are writing in response to")
    assert passages.greeting_re().search("Good evening all,")
    assert passages.greeting_re().search("Subject: hours")
    assert not passages.greeting_re().search("Sundays matter to us.")
