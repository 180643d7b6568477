"""A respondent's chosen alternative, written as a run-in label, is its answer (session 22).

Why (issue 12): a question that offers alternatives in its wording ("Are you
responding as an individual or on behalf of an organisation?") is answered by
repeating the choice and going on: "On behalf of an organisation: the Youth
Justice Service of …", "As an individual – care-experienced mum of two". The
choice shares its words with the question, so the line was cut as a heading
(text score about 0.9) and the choice left out of the answer: the profile
answer of five spent documents in batches 10, 18, 19 and 24 was then under 90 %
of its gold span (ofsted-docs-10, -18, -19, -24, transport-18), and a heading
that named the question ("A1. About you") lost it to the choice line. No
option list or language is needed: the alternatives are read from the
question's own wording, around its " or ".
"""

from __future__ import annotations

from functools import lru_cache

from helpers.core.consultation import Question
from helpers.ingest.segment.similarity import norm

_MIN_WORDS = 2  # "An individual", "On behalf of an organisation"; one word is too loose


@lru_cache(maxsize=256)
def alternatives(q: Question) -> frozenset[str]:
    """The alternatives a question's wordings offer: for each "… A or B" wording, the
    words after "or" (B, to the end) and the last 2-5 words before it (A's tails)."""
    out: set[str] = set()
    for t in (q.text, *q.aliases):
        words = norm(t).split()
        if words.count("or") != 1:
            continue
        k = words.index("or")
        left, right = words[:k], words[k + 1 :]
        if _MIN_WORDS <= len(right) <= 6:
            out.add(" ".join(right))
        for n in range(_MIN_WORDS, min(5, len(left)) + 1):
            out.add(" ".join(left[-n:]))
    return frozenset(out)


def is_choice(piece: str, question: Question) -> bool:
    """Whether ``piece`` (a run-in label, answer text following on its line) is one of
    the alternatives ``question``'s wording offers, as written ("As an individual")."""
    return norm(piece) in alternatives(question)
