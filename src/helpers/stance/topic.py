"""A position about something else: "I strongly disagree with the new parking charges".

Respondents answer a closed question with a stance on another matter (a
school's grade, bin collections, a library's hours) as often as they answer
it. The reader finds the stance words and would count them for the proposal.
This rule reads what the position is *about*: the object of the sentence's
position words ("disagree with X", "agree that X", "against X", "in favour of
X"). A position is about something else when that object names things (content
words) and none of them is a word of the question, the consultation's title or
its description, and it does not refer back to the proposal ("this", "the
plan", "these changes": ``proposal_references`` in ``data/stance_lexicon.yaml``).
Words any consultation uses ("council", "government", "people") are left out
of both sides (``topic_generic``), so "the council should fix the street
lights" is not on topic because it says "council".

Rationale for a word test rather than a model: the object is short, the
consultation's own words are the best evidence of its topic, and a word test
is traceable (the log names the words). A paraphrase that shares no word with
the question ("closing the roads" for a "low-traffic neighbourhood") would be
missed, so the rule needs at least ``MIN_OBJECT_WORDS`` content words and
turns a stance into no position only then.
"""

from __future__ import annotations

import re
from functools import lru_cache

from helpers.core.consultation import Consultation
from helpers.stance.lexicon import entries
from helpers.stance.unstructured import content_stems

__all__ = ["about_something_else", "topic_vocabulary"]

MIN_OBJECT_WORDS = 3

# Position words and their object. "agree"/"object" take their object after a
# preposition or "that" ("agree with X", "object to X", "agree that X"); "support" and
# "oppose" after a subject ("we oppose X", not "the support from X"); "against X" and
# "in favour of X" stand alone.
_OBJECT_RE = re.compile(
    r"(?:\b(?:agree|agrees|disagree|disagrees|object|objects)\s+(?:with|to|that)"
    r"|\b(?:agree|disagree)(?=\s+the\b)"
    r"|\b(?:i|we|they)\s+(?:[a-z']+\s+){0,2}?(?:support|supports|oppose|opposes)"
    r"|(?:^|\b(?:am|are|is|was|were|be|been|i'm|we're|totally|completely|strongly|firmly|dead|"
    r"wholly|utterly)\s+)against|\bin\s+favou?r\s+of)"
    r"\s+(?P<obj>[^.,;:!?()\n]+)",
    re.IGNORECASE,
)
# The object ends where a new clause starts.
_CLAUSE_RE = re.compile(
    r"\b(?:because|although|though|but|as long as|so long as|provided|providing|if|unless|"
    r"while|whilst|since|so that|as it|as they|until)\b",
    re.IGNORECASE,
)

_VERB_RE = re.compile(
    r"(?:are|is|was|were|have|has|had|do|does|did|will|would|can|could|should|may|might|must)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern, frozenset[str]]:
    refs = sorted(entries("proposal_references"), key=len, reverse=True)
    ref_re = re.compile(r"^(?:" + "|".join(re.escape(w) for w in refs) + r")\b", re.IGNORECASE)
    generic = frozenset(content_stems(" ".join(entries("topic_generic"))))
    return ref_re, generic


def topic_vocabulary(consultation: Consultation, question_id: str) -> frozenset[str]:
    """The word stems that put an object on topic for one question."""
    q = next(q for q in consultation.questions if q.id == question_id)
    parts = [consultation.title, consultation.description or "", q.text, q.short or "",
             *q.aliases, *q.keywords]  # fmt: skip
    return frozenset(content_stems(" ".join(parts)))


def about_something_else(sentence: str, vocabulary: frozenset[str]) -> bool:
    """Whether the sentence's positions are all about something the question is not about.

    Any position on topic, or referring back to the proposal, keeps the stance
    ("The young people I support … For that reason I support a separate judgement").
    """
    ref_re, generic = _words()
    found = False
    for m in _OBJECT_RE.finditer(sentence or ""):
        obj = _CLAUSE_RE.split(m.group("obj"), maxsplit=1)[0].strip()
        if _VERB_RE.match(obj):
            continue  # "the young people I support are …": no object
        if ref_re.match(obj):
            return False
        content = content_stems(obj) - generic
        if content & vocabulary:
            return False  # one position on topic is enough
        found = found or len(content) >= MIN_OBJECT_WORDS
    return found
