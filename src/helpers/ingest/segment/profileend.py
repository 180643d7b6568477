"""Where a profile answer under its own heading ends (session 22, issue 12).

Why: a respondent who titles every section in its own words ("Who we are",
"Trade and footfall", "Deliveries and servicing", "Older customers") gets its
self-description heading placed on the profile question by its frame
(``intents``), while headings that name no question by their words are left
unplaced, so the profile answer ran on over every later section up to the next
placed heading, and the run-level meaning pass, which never reads a
self-description's row for other questions, could not take them back
(transport-17's chamber, ofsted-docs-24's health network, transport-24's
builders' merchant; session 16 listed "a capacity answer running on into the
next own-words section" as left to do). A self-description seldom has
sub-headings of its own, so the profile answer ends at the next line with the
profile heading's own look: the same reader cue (bold, a Word heading, markdown)
or, for a plain line, the same heading shape. What follows, up to the next placed
heading, is kept ``unstructured`` for the meaning pass and the joint reading.

Other questions' answers keep their sub-headings (a "Q2" answer with bold points
of its own is common), so only the profile question is cut.
"""

from __future__ import annotations

from helpers.core.consultation import Question
from helpers.ingest.segment.assign import Heading
from helpers.ingest.segment.candidate import Candidate

WEAK = 0.75  # a text score under this only paraphrases the question (``sections._WEAK``)


def profile_end(
    cands: list[Candidate], heading: Heading, question: Question, start: int, end: int
) -> int | None:
    """The start of the first line between ``start`` and ``end`` that looks like the
    heading (same cue; or, both without a cue, the same heading shape), or None.

    Only a profile heading in the respondent's own words is cut: placed by its
    position or by a paraphrase (text score under ``WEAK``, the band of frames,
    ``intents.INTENT``). A heading repeating the question or its label ("About you",
    "Capacity in which responding") is a form's, whose answer lines ("Organisation:
    …", "Resident, Westgate") look like headings themselves.
    """
    if question.kind != "profile" or heading.cand.numbering is not None:
        return None
    if not (heading.method == "order" or (heading.method == "text" and heading.score < WEAK)):
        return None
    head = heading.cand
    for c in cands:
        if c.line_start < start or c.line_start >= end or c is head:
            continue
        if c.start != c.line_start:
            continue
        if head.cue is not None:
            if c.cue == head.cue:
                return c.line_start
        elif c.cue is None and head.shape is not None and c.shape == head.shape:
            return c.line_start
    return None
