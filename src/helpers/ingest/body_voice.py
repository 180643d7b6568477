"""Whether a response says it is a body's, whoever writes it: a feature of the type scorer.

Census of session 28 (every spent document set, batches 1-30, ``benchmarks/type_rules``): the
commonest type error is a body read as a person (``individual`` for a gold charity or
``other``: 10 documents in batches 3, 24, 25, 26, 28 and 30, and batches 29 and 31's campaign
groups through ingest). Half of them reach the learned scorer (``type_model``) because the
rules found no type, and it reads their first person ("I", "me") as a person's: a form whose
capacity box reads "Selected: On behalf of an organisation", a pub's "our answers to the
council", a vicar's "the PCC asked me to send the council this column as our response".

:func:`body_cues` counts the generic English ways a writer says the response is a body's
(not which body or its type: that stays the other features' work):

- "on behalf of an organisation/group/body" as the respondent's answer, not the form's
  question offering it ("… or on behalf of an organisation?", "(resident, business, …)");
- "our response/answers/submission/reply" (the response as a body's; a household writes "our
  views" more than "our response", and the scorer weighs the cue against the voice);
- responding/answering/writing/replying "for" or "on behalf of" the/a/an/our + a word,
  not after "not" ("responding in my own name, not for the council").

Only the opening ``BODY_CHARS`` characters are read (the letterhead, the capacity answer, the
first paragraph): further down "our response" is often a topic ("our response times").
"""

from __future__ import annotations

import re

BODY_CHARS = 1500

_CUES = (
    # the respondent's answer, not the option list of the form's question
    r"(?<!\bor )\bon behalf of an? (?:organi[sz]ation|group|body)\b(?!\s*[)?])",
    r"\bour (?:response|answers|submission|reply)\b(?! times?\b| data\b)",
    r"(?<!\bnot )\b(?:answering|responding|replying|writing|respond|reply|write)\s+"
    r"(?:this\s+)?(?:for|on behalf of)\s+(?:the|an?|our)\s+(?!consultation\b|council\b)",
)
_CUE = re.compile("|".join(f"(?:{c})" for c in _CUES), re.IGNORECASE)


def body_cues(text: str) -> int:
    """How many of the opening's sentences say the response is a body's (0, 1, 2…)."""
    return len(_CUE.findall(text[:BODY_CHARS]))
