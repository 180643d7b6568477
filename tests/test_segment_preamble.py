"""Sections under the respondent's own headings before the first matched heading (``meaning``).

Once one heading names a question, the text before it is the preamble; a
section there under an own-words heading ("Saturday mornings", "Our
volunteers") is read by its heading and body as unstructured text is.
``_own_section`` says which preamble blocks qualify. Phrasings written for
these tests.
"""

from __future__ import annotations

import pytest

from helpers.ingest.segment.passages import Block
from helpers.ingest.segment.profile import _own_section


def block(heading, first=False):
    return Block(0, 10, 5, heading, "Our volunteers open the hall at eight for the market.", first)


@pytest.mark.parametrize(
    "heading", ["Saturday mornings", "Our volunteers", "What the market needs"]
)
def test_own_headings_in_a_preamble_are_sections(heading):
    assert _own_section(block(heading))


@pytest.mark.parametrize(
    "heading, first",
    [
        ("Background", False),  # a document's own section
        ("Introduction", False),
        ("Saturday mornings", True),  # the document's opening block: its title
        (None, False),  # a paragraph with no heading: a preamble's prose
    ],
)
def test_not_sections(heading, first):
    assert not _own_section(block(heading, first))
