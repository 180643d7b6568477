"""Respondent types' words as patterns: map an answer or a name to a type.

Split from ``respondent_types`` (session 21, behaviour identical). The words are
data, not code: the package's generic patterns (``helpers/data/respondent_types.yaml``)
with the consultation's ``respondent_types:`` section applied, as
``Consultation.respondent_types`` (format in :mod:`helpers.core.consultation`).
This module turns them into regular expressions (``_patterns``) and maps a survey
or capacity answer (:func:`map_respondent_type`), an organisation's name
(:func:`type_of_name`) and a survey row (:func:`survey_row_type`) to a type.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from helpers.core.consultation import RespondentTypeRules, default_respondent_types
from helpers.core.schemas import RESPONDENT_TYPE_LABELS, RESPONDENT_TYPES
from helpers.ingest.names import authorship_words, is_placeholder_organisation, org_noun

# "We are a network of eleven congregations …": a body of member bodies, named in the plural
# after a collective organisation noun; typed by what its members are (session 20, batch 22).
_BODY_OF = (
    r"\bwe are (?:a|an|the)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{noun})\s+of\s+"
    r"(?:[\w'’,-]+\s+){{0,3}}?({plural})"
)


@dataclass(frozen=True)
class _Patterns:
    """Each type's patterns joined into one alternation, in the order types are tried."""

    names: tuple[tuple[str, str], ...]  # "(?:council|...)\b": whole words with a leading \b
    body_of: tuple[tuple[str, re.Pattern[str]], ...]  # ``_BODY_OF`` with the type's plurals
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    answers: tuple[tuple[str, re.Pattern[str]], ...]


@functools.lru_cache(maxsize=32)
def _patterns(rules: RespondentTypeRules) -> _Patterns:
    def alternation(words: tuple[str, ...]) -> str:
        return "(?:" + "|".join(words) + ")"

    noun = org_noun(rules).pattern
    return _Patterns(
        names=tuple((t, alternation(p.names) + r"\b") for t, p in rules.types if p.names),
        body_of=tuple(
            (
                t,
                re.compile(
                    _BODY_OF.format(noun=noun, plural=alternation(p.names) + r"e?s\b"), re.I
                ),
            )
            for t, p in rules.types
            if p.names
        ),
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


def names_pattern(rtype: str, rules: RespondentTypeRules | None = None) -> str | None:
    """One type's ``names`` as a case-blind alternation ending in a word boundary, or None."""
    return dict(_patterns(rules if rules is not None else default_respondent_types()).names).get(
        rtype
    )


def map_respondent_type(value: str | None, rules: RespondentTypeRules | None = None) -> str | None:
    """A friendly respondent-type value ("Charity", "An individual") → RESPONDENT_TYPES, or None.

    A type id or label is taken as it is; otherwise the first type whose
    ``answers`` words start a word of the value. A value no type's words
    match is read by its form (words in ``helpers/data/authorship.yaml``):
    "On behalf of another organisation" says an organisation of no known type
    (None: the caller decides, from the organisation's name if there is one);
    "As a social worker", "I am responding as …", "In a personal capacity"
    say a person answering for themselves (individual) — the survey question
    asks in which capacity someone responds, and these answer "as myself".
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
    if answer_form(v) == "personal":
        return "individual"
    return None


def type_of_name(name: str | None, rules: RespondentTypeRules | None = None) -> str | None:
    """The type an organisation's name shows ("Northshire County *Council*"), or None.

    Every type's ``names`` are tried; the match that is the name's head wins.
    An English name says what kind of body it is by its last word ("St
    Aidan's Church of England Primary *School*" is a school) or, in "X of Y",
    by X ("*Guild* of School Business Managers" is a guild, not a school).
    So, in order: a match that ends the name; a match not inside an "of"/"for"
    phrase; the longest match, so a specific phrase beats a general word
    inside it ("housing association" over "association"); the one further
    right; the earlier type.
    """
    if not name:
        return None
    rest_is_empty = re.compile(r"[\W_]*")
    of_phrase = re.search(r"\s(?:of|for)\s", name, re.IGNORECASE)
    best: tuple[tuple[bool, bool, int, int], str] | None = None
    for rtype, pattern in _patterns(
        rules if rules is not None else default_respondent_types()
    ).names:
        for m in re.finditer(r"\b" + pattern, name, re.IGNORECASE):
            key = (
                rest_is_empty.fullmatch(name, m.end()) is not None,
                not (of_phrase and m.start() > of_phrase.start()),
                len(m.group(0)),
                m.end(),
            )
            if best is None or key > best[0]:
                best = (key, rtype)
    return best[1] if best else None


def survey_row_type(
    raw_type: str | None, organisation: str | None, rules: RespondentTypeRules | None = None
) -> tuple[str, str, str | None]:
    """A survey row's ``(respondent_type, respondent_type_source, organisation)``.

    - An organisation column that names nobody ("n/a", "-", "Individual") is
      no organisation; when the type column is blank, "Individual" there
      still says individual.
    - The type column's answer mapped by ``map_respondent_type`` (source
      ``survey``).
    - An answer of no known type ("On behalf of another organisation", or
      blank) with an organisation named: the type its name shows
      ("... Borough Council"), source ``inferred``; else ``other`` (an
      organisation of no listed type) with the answer, or ``unknown``.
    - The answers' free text is not read for voice: in a survey everyone
      answers in the first person, organisations too.
    """
    org = organisation
    placeholder = None
    if org and is_placeholder_organisation(org):
        placeholder, org = org, None
    rtype = map_respondent_type(raw_type, rules)
    if rtype is not None and rtype != "other":
        return rtype, "survey", org
    by_name = type_of_name(org, rules)
    if by_name is not None:
        return by_name, "inferred", org
    if rtype == "other" or (raw_type or "").strip():
        return "other", "survey", org
    if org:
        return "other", "inferred", org
    if placeholder and map_respondent_type(placeholder, rules) == "individual":
        return "individual", "survey", None
    return "unknown", "none", None


def answer_form(value: str) -> str | None:
    """The form of a capacity answer: "organisation" ("On behalf of …"), "personal" ("As a …")."""
    words = authorship_words()
    v = value.strip().lower()
    if re.search(r"\b(?:" + words["organisation_answer"].pattern + r")", v):
        return "organisation"
    if re.match(r"(?:" + words["personal_answer_starts"].pattern + r")", v):
        return "personal"
    return None
