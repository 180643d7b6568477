"""Nil returns: a sentence that says the respondent has nothing to give on a topic.

"We have not identified any impacts for the purposes of the Public Sector
Equality Duty", "No further comments on housing", "Nothing to add on timing":
the topic is named only to decline it, so it is not a point the respondent
makes (issue 14: a code needs the theme to be a point made). The negation
look-back (``negation``) misses these because the negator sits more than its
window of words before the theme's word, and "no" negates only a few nouns
there. Such codes are kept but marked ``negated`` (as a dismissed topic is),
so they show as evidence yet are not counted.

The rule is a property of English, not of a consultation: a "nothing /
no ... / not identified any ..." phrase whose noun is about the response
itself (evidence, comments, impacts, representations, observations, issues,
concerns, points), optionally "to submit/add/make ...", followed by what it is
about ("on", "under", "for the purposes of", ...) or the end of the sentence.
"There is no evidence that housing has improved" is not a nil return (it makes
a point about housing) and neither is "no support with housing". Only codes
whose match comes after the nil phrase are marked, and not when a contrast
("but", "however", ...) follows it.

Applied by ``Coder`` to the rows of either engine (``mark_rows``, ``mark_frame``),
so the compiled and the Python engines still agree row for row.
"""

from __future__ import annotations

import re

import pandas as pd

_NOUN = (
    r"(?:evidence|comments?|representations?|impacts?|observations?|issues?|concerns?|points?"
    r"|remarks?|submissions?|information)"
)
_ADJ = r"(?:(?:further|specific|particular|additional|other|relevant|significant|major|new)\s+)?"
_VERB = r"(?:submit|add|make|offer|provide|raise|report|give|say|share)"
_ABOUT = (
    r"(?:on|under|about|regarding|concerning|for|in\s+relation\s+to|in\s+respect\s+of"
    r"|with\s+regard\s+to|relating\s+to|at\s+this\s+(?:stage|time|point))\b"
)
NIL_RETURN_RE = re.compile(
    r"(?:"
    r"(?:\bno|(?:\bnot|n['’]t)\s+(?:identified|found|seen|noted|received|got|have)\s+any"
    r"|\bhave\s+not\s+any|\bhaven['’]t\s+any)\s+" + _ADJ + _NOUN + r"(?:\s+to\s+" + _VERB + r")?"
    r"|\bnothing\s+(?:further\s+|more\s+|else\s+)?to\s+" + _VERB + r")"
    r"(?=\s*(?:[.!;]|$)|\s+" + _ABOUT + r")",
    re.IGNORECASE,
)
_CONTRAST_RE = re.compile(r"\b(?:but|however|although|though|except|apart\s+from)\b", re.IGNORECASE)


# Where a nil phrase can start, found with ``str.find`` in the lower-cased sentence (a
# regex scan of every position costs more than the coder spends on the row); the full
# pattern is tried only there.
_START_WORDS = ("no ", "not ", "nothing ", "have ", "haven't ", "haven’t ", "n't ", "n’t ")
_CACHE: dict[str, int | None] = {}
_CACHE_MAX = 1 << 14  # sentences; several themes' rows share one


def _starts(low: str) -> list[int]:
    """Positions in ``low`` (a lower-cased sentence) where a nil phrase could start, in order."""
    found = []
    for word in _START_WORDS:
        i = low.find(word)
        while i != -1:  # inside a word ("know "): the pattern's own \b rejects it
            found.append(i)
            i = low.find(word, i + 1)
    return sorted(found)


def nil_return_end(sentence: str) -> int | None:
    """Where the nil phrase of ``sentence`` ends (a match after it is declined), or None
    if the sentence is not a nil return."""
    if sentence in _CACHE:
        return _CACHE[sentence]
    end = None
    low = sentence.lower()
    # Quick test: no word a nil phrase starts with ("no", "not", "nothing", "have", "-n't").
    if "no" in low or "n't" in low or "n’t" in low or "have" in low:
        starts = _starts(low)
    else:
        starts = []
    for start in starts:
        m = NIL_RETURN_RE.match(sentence, start)
        if m is not None:
            if not _CONTRAST_RE.search(sentence, m.end()):
                end = m.end()
            break
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()  # memory stays flat on endless streams
    _CACHE[sentence] = end
    return end


def is_declined(sentence: str, match_offset: int) -> bool:
    """Whether a theme word at ``match_offset`` of ``sentence`` is named only to be declined."""
    end = nil_return_end(sentence)
    return end is not None and match_offset >= end


def mark_rows(rows: list[dict]) -> list[dict]:
    """Code rows (dicts with ``quote``, ``start``, ``match_start``, ``negated``) with nil
    returns marked negated, in place; returns ``rows``."""
    for row in rows:
        if not row["negated"] and is_declined(row["quote"], row["match_start"] - row["start"]):
            row["negated"] = True
    return rows


def mark_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``mark_rows`` for a frame of CODES columns (changed in place; returned). Each
    distinct sentence is read once."""
    if not len(frame) or "quote" not in frame.columns:
        return frame
    quotes = frame["quote"].tolist()
    ends = {q: nil_return_end(q) for q in set(quotes)}
    if not any(e is not None for e in ends.values()):
        return frame  # the common case: no sentence declines anything
    offsets = (frame["match_start"] - frame["start"]).tolist()
    negated = frame["negated"].tolist()
    hit = [
        not n and ends[q] is not None and o >= ends[q]
        for q, o, n in zip(quotes, offsets, negated, strict=True)
    ]
    if any(hit):
        frame.loc[hit, "negated"] = True
    return frame
