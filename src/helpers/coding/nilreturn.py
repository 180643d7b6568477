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

The words (nouns, modifiers, verbs, the "about" words and the contrasts) are
data, in the ``nil_return`` section of ``helpers/data/non_answers.yaml``
beside the whole-answer non-answers; the phrase's grammar is here.

Applied by ``Coder`` to the rows of either engine (``mark_rows``, ``mark_frame``),
so the compiled and the Python engines still agree row for row.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import pandas as pd
import yaml

DATA_FILE = "non_answers.yaml"  # in helpers/data/: its ``nil_return`` section


def _words(items: list[str]) -> str:
    """Whole words or phrases as one alternation; a space matches any run of whitespace."""
    words = sorted((str(w) for w in items), key=len, reverse=True)  # longest first
    return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + ")"


def compile_nil_return(data: dict) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The nil-return pattern and the contrast pattern from a ``nil_return`` section.

    The phrase: "no [modifier] noun [to verb]", "not identified/found/seen/…
    any [modifier] noun", "have not any / haven't any …", or "nothing
    [further/more/else] to verb", followed by a clause end or by an ``about``
    word (the topic declined).
    """
    noun, verb, about = _words(data["nouns"]), _words(data["verbs"]), _words(data["about"])
    adj = r"(?:" + _words(data["modifiers"]) + r"\s+)?"
    phrase = re.compile(
        r"(?:"
        r"(?:\bno|(?:\bnot|n['’]t)\s+(?:identified|found|seen|noted|received|got|have)\s+any"
        r"|\bhave\s+not\s+any|\bhaven['’]t\s+any)\s+" + adj + noun + r"(?:\s+to\s+" + verb + r")?"
        r"|\bnothing\s+(?:further\s+|more\s+|else\s+)?to\s+" + verb + r")"
        r"(?=\s*(?:[.!;]|$)|\s+" + about + r"\b)",
        re.IGNORECASE,
    )
    contrast = re.compile(r"\b" + _words(data["contrast"]) + r"\b", re.IGNORECASE)
    return phrase, contrast


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The package's patterns, from the ``nil_return`` section of ``helpers/data/non_answers.yaml``."""
    source = resources.files("helpers").joinpath("data", DATA_FILE)
    return compile_nil_return(yaml.safe_load(source.read_text(encoding="utf-8"))["nil_return"])


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
    phrase, contrast = _patterns()
    for start in starts:
        m = phrase.match(sentence, start)
        if m is not None:
            if not contrast.search(sentence, m.end()):
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
