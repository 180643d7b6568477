"""Respondent types from words: map a survey or manifest answer, infer one from a response.

The words are data, not code: the package's generic patterns
(``helpers/data/respondent_types.yaml``) with the consultation's
``respondent_types:`` section applied, as ``Consultation.respondent_types``
(format in :mod:`helpers.core.consultation`). This module turns them into
regular expressions and applies them; every function takes the rules, and
without them uses the package's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from helpers.core.consultation import RespondentTypeRules, default_respondent_types
from helpers.core.schemas import RESPONDENT_TYPE_LABELS, RESPONDENT_TYPES

# "We are a ...", "<organisation> is the ...": the respondent describing itself.
_SELF_DESCRIPTION = r"\b(?:we are|{org} is|{org} are)\s+(?:a|an|the)\b[^.\n]{{0,60}}?"


@dataclass(frozen=True)
class _Patterns:
    """Each type's patterns joined into one alternation, in the order types are tried."""

    names: tuple[tuple[str, str], ...]  # "(?:council|...)\b": whole words with a leading \b
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    answers: tuple[tuple[str, re.Pattern[str]], ...]


@functools.lru_cache(maxsize=32)
def _patterns(rules: RespondentTypeRules) -> _Patterns:
    def alternation(words: tuple[str, ...]) -> str:
        return "(?:" + "|".join(words) + ")"

    return _Patterns(
        names=tuple((t, alternation(p.names) + r"\b") for t, p in rules.types if p.names),
        phrases=tuple(
            (t, re.compile(r"\b" + alternation(p.phrases) + r"\b", re.IGNORECASE))
            for t, p in rules.types
            if p.phrases
        ),
        # At word starts, in the lower-cased value ("a charity" → charit; "mother" is not "other").
        answers=tuple(
            (t, re.compile(r"\b" + alternation(p.answers))) for t, p in rules.types if p.answers
        ),
    )


def map_respondent_type(value: str | None, rules: RespondentTypeRules | None = None) -> str | None:
    """A friendly respondent-type value ("Charity", "An individual") → RESPONDENT_TYPES, or None.

    A type id or label is taken as it is; otherwise the first type whose
    ``answers`` words start a word of the value.
    """
    v = " ".join(str(value or "").split()).lower()
    if not v:
        return None
    slug = v.replace(" ", "_").replace("-", "_")
    if slug in RESPONDENT_TYPES:
        return slug
    for key, label in RESPONDENT_TYPE_LABELS.items():
        if v == label.lower():
            return key
    for key, pattern in _patterns(
        rules if rules is not None else default_respondent_types()
    ).answers:
        if pattern.search(v):
            return key
    return None


def infer_respondent_type(
    text: str, organisation: str | None, rules: RespondentTypeRules | None = None
) -> str:
    """Guess a RESPONDENT_TYPES value from the organisation name and self-description.

    The organisation's own name is checked first ("... Campaign Group"), then
    sentences where the respondent describes itself ("Become is the national
    charity", "We are a council"): topic words such as "local authority" in
    the body are not evidence. Then ``phrases`` that show a type by themselves
    ("registered charity"). A letter in the first person singular with no
    organisation is an individual; otherwise other (organisation known) or
    unknown.
    """
    patterns = _patterns(rules if rules is not None else default_respondent_types())
    if organisation:
        for rtype, pattern in patterns.names:
            if re.search(r"\b" + pattern, organisation, re.IGNORECASE):
                return rtype
    org = re.escape(re.sub(r"\s*\([A-Z]+\)$", "", organisation)) if organisation else "(?!)"
    self_desc = _SELF_DESCRIPTION.format(org=org)
    head = text[:5000]
    for rtype, pattern in patterns.names:
        if re.search(self_desc + pattern, head, re.IGNORECASE):
            return rtype
    for rtype, phrase in patterns.phrases:
        if phrase.search(head):
            return rtype
    if organisation:
        return "other"
    singular = len(re.findall(r"\b(?:I|[Mm]y|[Mm]e|[Mm]yself)\b", head))
    plural = len(re.findall(r"\b(?:we|our|us)\b", head, re.IGNORECASE))
    if singular >= 2 and singular > plural:
        return "individual"
    return "unknown"
