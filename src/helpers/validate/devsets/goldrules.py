"""Conventions applied to gold labels before scoring, where the sets' labels disagree.

"Don't know" (session 13). Issue 12 says a blank tick-box is ``not_answered``
and "Don't know" is *its own category* in tables and charts; its list of
non-answers ("No comment", "N/A", "None", "Nothing to add" …) does not name
it. So a bare "Don't know" (or "Not sure", "Unsure" …: the don't-know options
of ``helpers/data/tick_options.yaml``) answering a *closed* question is the
respondent's position, the ``dont_know`` stance, and is substantive; to an
*open* question it says nothing and is a non-answer (``ingest.nonanswers``
judges it so), and so is one written beside a ticked box (a comment that
adds nothing to the tick: ``nonanswers.judged_kind``). The development sets' gold was written both ways (ofsted-docs,
-2, -3, transport, -5, -13 mark the closed-question "Don't know" a non-answer;
ofsted-docs-7, transport-2 … keep it), so ``dont_know_rule`` reads every set's
gold the one way before it is scored.
"""

from __future__ import annotations

import dataclasses
import re

from helpers.core.consultation import Consultation
from helpers.validate.devsets.goldview import GoldResponse

# The don't-know options of a tick-box form, and a closing word ("Don't know yet.",
# "Not sure, sorry"): the whole answer, compared without case, punctuation or apostrophes.
_DONT_KNOW = re.compile(
    r"(?:dont know|do not know|not sure|unsure|no idea|dunno)(?: (?:yet|really|sorry|honestly))*"
)


def is_bare_dont_know(text: str) -> bool:
    """Whether the whole answer is "Don't know" or one of its short forms."""
    t = re.sub(r"[^a-z ]+", " ", text.lower().replace("'", "").replace("’", ""))
    return _DONT_KNOW.fullmatch(" ".join(t.split())) is not None


def dont_know_rule(records: list[GoldResponse], consultation: Consultation) -> list[GoldResponse]:
    """``records`` with a bare "Don't know" answering a closed question (no box ticked)
    marked substantive."""
    closed = {q.id for q in consultation.questions if q.kind == "closed"}
    out = []
    for r in records:
        answers = tuple(
            dataclasses.replace(a, substantive=True)
            if not a.substantive
            and not a.tick
            and a.question in closed
            and is_bare_dont_know(a.text)
            else a
            for a in r.answers
        )
        out.append(r if answers == r.answers else dataclasses.replace(r, answers=answers))
    return out
