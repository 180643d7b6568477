"""What a letter's paragraph does, against what kind of answer each question asks for.

Why (issue 12, session 18): in letters and e-mails with no headings the commonest
wrong placement over spent batches 2-20 is a paragraph filed under the question
whose *subject* it shares, when the gold files it under the question whose
*kind of answer* it gives. The questions of one consultation share one subject
(the proposal), so meaning alone cannot tell them apart; what differs is the act:

* a paragraph that **takes a position** ("So, for what it's worth, yes.", "He
  says: yes, it is good ...") answers the consultation's position question (its
  first closed question), not the open question about the same subject next to it;
* a paragraph that **asks for something** ("Please give Blue Badge holders a
  permit", "We would also ask Ofsted to ...") answers the question asking for
  changes, or the "any other comments" question when there is none;
* a paragraph that **tells the writer's own story** ("For us personally, the bus
  gate would add twenty minutes", "My grandson has had five social workers")
  answers the question about how the proposals affect the respondent, or the
  "any other comments" question when there is none.

The question of each kind comes from ``intents.targets`` (generic English patterns
in ``data/heading_intents.yaml``, with their fallbacks); the acts from generic cue
lists (``data/letter_cues_en.yaml``) and pronouns. These are features of the letter
decoder (``letterseq``), whose weights are learned and kept only if nested
leave-one-batch-out over the spent batches passes; no rule here places anything.
No consultation's vocabulary.
"""

from __future__ import annotations

import re

from helpers.core.consultation import Question
from helpers.ingest.segment import intents
from helpers.ingest.segment.passages import takes_position

__all__ = ["act_targets", "personal_share", "states_position"]

# "yes" / "no" standing as its own clause anywhere in the lead ("So, for what it's
# worth, yes.", "He says: yes, it is good ...", "And no, I don't want ...") or said
# to something ("Yes to a separate ...", "No to the ..."); a clause opening with a
# bare position verb ("Agree.", "Strongly disagree - ..."), or ending in one ("Bus gate yes.").
_CLAUSE_YES_NO_RE = re.compile(
    r"(?:^|[.,:;!?–—-]\s*|\b(?:says?|said|so|and|but)\s+)"
    r"(?:(?:yes|no)\b\s*(?:[.,!:;–—-]|$|to\b)"
    r"|(?:(?:strongly|fully|totally)\s+)?(?:agree|disagree|support|oppose)\s*(?:[.,!:;–—-]|$))"
    r"|\s(?:yes|no)\s*[.!]",  # "Bus gate yes."
    re.IGNORECASE,
)
_FIRST_PERSON_RE = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|mine|we|we're|us|our|ours)\b", re.I)
_WORD_RE = re.compile(r"[\w'’]+")


def states_position(lead: str) -> bool:
    """Whether a paragraph's lead takes a position: the position cues
    (``passages.takes_position``) or a bare "yes" / "no" clause anywhere in it."""
    return takes_position(lead) or bool(_CLAUSE_YES_NO_RE.search(lead))


def personal_share(lead: str) -> float:
    """The share of the lead's words that are first-person pronouns (0-1): how much the
    paragraph is the writer's own account rather than a view on the proposal."""
    words = _WORD_RE.findall(lead.replace("’", "'"))
    if not words:
        return 0.0
    return len(_FIRST_PERSON_RE.findall(" ".join(words))) / len(words)


def act_targets(questions: tuple[Question, ...]) -> dict[str, int]:
    """Index of the question each act answers: ``position`` (the first closed question),
    ``request`` (the question asking for changes, else "any other comments") and
    ``experience`` (how the proposals affect the respondent, else "any other
    comments"), from ``intents.targets``; an act with no such question is absent."""
    t = intents.targets(questions)
    return {k: t[k] for k in ("position", "request", "experience") if k in t}
