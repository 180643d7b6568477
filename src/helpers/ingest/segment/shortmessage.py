"""A very short message's first paragraph as its first answer (session 21, issue 12).

Why: a letter's first paragraph usually says who writes and why, so both the
meaning pass (``meaning``: no opening, nothing under eight words) and the
learned letter decoder (``letterseq``: its ``none_first`` and ``none_short``
features) leave it out. In a very short e-mail there is no room for that: its
first line often IS the answer ("We support the separate judgement.", "No to
the planters."), and the answers after it were placed while it was dropped.
Batch 23 lost two answers this way (docs/segmentation.md, "Session 21").

The rule (:func:`opening_answer`), after the decoder, on one letter's units:

* the message is very short: at most :data:`MAX_PARTS` paragraphs that are not
  its sign-off, of at most :data:`MAX_WORDS` words together, and it opens with
  no greeting (a "Dear ..." letter has room for an opening);
* its first paragraph was left out by everyone (no question), is at most
  :data:`FIRST_WORDS` words and is no introduction or self-description;
* it takes a position (``passages.takes_position``) or its lead names a
  question's own topic words (``letters.lead_scores``).

It then answers the question its topic words name clearly (``lead_scores`` at
least :data:`CLEAR_TOPIC`: the question's own phrase; ties: the nearest in
meaning), if that question is not answered elsewhere in the message and comes
before the message's first placed answer in the consultation's order (the
answers after it were read in order). With weaker topic words (one shared word)
or none, a position or a weak topic answers the first closed question open to it
in that way, in the consultation's order: a reply starts at the top, and a few
words of position ("Not before time. Do it.") are too little to choose between
closed questions by a shared word ("time") or by meaning (either sent
ofsted-docs-6's one-line e-mail to the timing question, not the first; measured in
session 21). A paragraph whose clear topic words name only questions answered
elsewhere or later is left as it was. No consultation's words: only the questions' wording,
the generic cue lists and the run's meaning model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.core import schemas
from helpers.core.consultation import Question
from helpers.ingest.segment import learned
from helpers.ingest.segment.letters import lead_scores, lead_sentences, letter_patterns
from helpers.ingest.segment.passages import describes_self, greeting_re, takes_position

__all__ = ["CLEAR_TOPIC", "FIRST_WORDS", "MAX_PARTS", "MAX_WORDS", "opening_answer"]

MAX_PARTS = 4  # paragraphs before the sign-off: a one-to-four line e-mail
MAX_WORDS = 120  # words of those paragraphs together
FIRST_WORDS = 25  # the first paragraph: one short sentence or two
# ``lead_scores`` of a question's own phrase or alias ("separate judgement", "Bridge Street"):
# one shared word scores 0.5-1 ("planters", "time"), too weak to choose between questions.
CLEAR_TOPIC = 2.0


def _is_opening(body: str) -> bool:
    """An introduction, self-description or greeting: the letter's usual opening."""
    pats = letter_patterns()
    first = lead_sentences(body, 1)
    if greeting_re().search(body) or pats["intro_always"].search(first):
        return True
    return bool(
        (pats["intro"].search(first) or describes_self(first)) and not pats["stance"].search(first)
    )


def opening_answer(
    text: str,
    units: Sequence[learned.Unit],
    labels: Sequence[str],
    questions: tuple[Question, ...],
    centroid_sims: np.ndarray,
) -> list[str]:
    """``labels`` with a very short message's first paragraph placed (module docstring).

    ``centroid_sims``: each unit's cosine with each question's answers' centroid.
    """
    out = list(labels)
    body_units = [i for i, u in enumerate(units) if u.kind != schemas.CLOSING and not u.heading]
    if not body_units or len(body_units) > MAX_PARTS:
        return out
    first = body_units[0]
    if out[first] != learned.NONE or units[first].cur != learned.NONE:
        return out
    bodies = [text[units[i].start : units[i].end] for i in body_units]
    if sum(len(b.split()) for b in bodies) > MAX_WORDS or len(bodies[0].split()) > FIRST_WORDS:
        return out
    body = bodies[0]
    if _is_opening(body):
        return out
    lead = lead_sentences(body, 2)
    position = takes_position(lead)
    topic = np.asarray(lead_scores(lead, questions), dtype=float)
    ids = [q.id for q in questions]
    later = [ids.index(lab) for lab in out[first + 1 :] if lab in ids]
    bound = min((n for j in later if (n := questions[j].number) is not None), default=None)
    open_to = [
        j
        for j, q in enumerate(questions)
        if j not in later
        and q.kind != "profile"
        and (bound is None or q.number is None or q.number < bound)
    ]
    if not open_to:
        return out
    named = [j for j in open_to if topic[j] >= CLEAR_TOPIC]
    closed = [j for j in open_to if questions[j].kind == "closed"]
    if named:
        best = max(named, key=lambda j: (topic[j], centroid_sims[first][j]))
    elif topic.max(initial=0.0) >= CLEAR_TOPIC:
        return out  # it names a question that is answered, or comes later: not this rule's
    elif (position or topic.max(initial=0.0) > 0) and closed:
        best = closed[0]  # the first in the consultation's order (a reply starts at the top)
    else:
        return out
    out[first] = questions[best].id
    return out
