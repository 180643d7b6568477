"""Which unstructured blocks may answer the profile question, and which preamble blocks count.

Two guards of the meaning pass (:mod:`helpers.ingest.segment.meaning`), kept apart
because they judge a block's place in the document rather than its meaning:
``profile_by_self`` (a short own-words heading over the writer describing
themselves is the capacity answer) with ``first_heading``, and ``_own_section``
(a preamble block under the respondent's own heading is read by content).
"""

from __future__ import annotations

import numpy as np

from helpers.core.consultation import Question
from helpers.ingest.segment.letters import _patterns, lead_sentences
from helpers.ingest.segment.numbering import is_section_title
from helpers.ingest.segment.passages import Block, blocks, describes_self, takes_position


def first_heading(text: str, block: Block) -> bool:
    """Whether ``block``'s heading is the first heading-shaped line of the document.

    Who writes is said first: a self-description under a later heading ("More
    thoughts" / "I have been a member since I was a child and ...") is part of
    a view, not the profile answer.
    """
    return not any(b.heading for b in blocks(text, 0, block.start))


PROFILE_HEAD_WORDS = 6  # "Who I am", "My background", "A bit about us"
OTHER_HEADING_MAX = 0.45  # a heading meaning another question this well is not a profile label


def profile_by_self(
    block: Block, hs: np.ndarray, qs: tuple[Question, ...], answerable: list[int]
) -> int | None:
    """The profile question for a short heading over the writer describing themselves.

    Rationale: respondents head the "in which capacity are you responding"
    answer in their own words ("Who I am", "My background", "A bit about
    us"), which share few words or little meaning with the form's wording,
    so the heading alone is too weak evidence (``PROFILE_MIN``). A body that
    opens by saying who writes ("I have been a personal adviser for nine
    years", "We are a tenants' group of 300 households": the
    ``self_description`` cues) and takes no position in that sentence is
    exactly that answer. Only when the consultation has one profile question
    and the respondent has not answered it, the heading is short, not a
    sentence, and means no other question clearly (cosine below
    ``OTHER_HEADING_MAX``).
    """
    if block.heading is None:
        return None
    head = block.heading.strip().rstrip(":")
    if len(head.split()) > PROFILE_HEAD_WORDS or head.endswith((".", "!", ",", ";")):
        return None
    profiles = [j for j in answerable if qs[j].kind == "profile"]
    if len(profiles) != 1 or sum(q.kind == "profile" for q in qs) != 1:
        return None
    others = [j for j, q in enumerate(qs) if q.kind != "profile"]
    if others and max(hs[j] for j in others) >= OTHER_HEADING_MAX:
        return None
    first = lead_sentences(block.body, 1)
    if not describes_self(first) or takes_position(first):
        return None
    return profiles[0]


def _own_section(block: Block) -> bool:
    """Whether a preamble block is a section under the respondent's own heading.

    Rationale: once one heading of a response names a question ("The trial"),
    everything before it is the preamble, including sections under the
    respondent's own headings ("Worship and weddings", "Our elders") that
    answer other questions. Such a block (a heading line with a body, not a
    title or a document section such as "Background", and not the
    document's opening block) is judged by its heading and body as
    unstructured text is, with the same guards (introductions and
    self-descriptions never assigned, topic words and meaning agreeing).
    """
    return (
        block.heading is not None
        and not block.first
        and not is_section_title(block.heading)
        and not _patterns()["intro"].search(block.heading)
    )


def preamble_view(block: Block) -> bool:
    """Whether a preamble paragraph with no heading of its own states a view.

    Rationale: a letter whose only heading-like line is a run-in label ("What
    good looks like – ...", "On what good looks like: ...") has everything
    before that label read as its preamble, including paragraphs that answer
    questions outright ("I back a separate judgement. Councils should ...").
    A paragraph that is not the document's opening and takes a position in
    its first two sentences is judged by content as unstructured text is, with
    the strict guards of a preamble (meaning and topic words agreeing; no
    catch-all; introductions and self-descriptions never assigned).
    """
    return (
        block.heading is None and not block.first and takes_position(lead_sentences(block.body, 2))
    )
