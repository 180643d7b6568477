"""Respondent types from words: infer one from a response (``infer_respondent_type``).

The words are data, not code: the package's generic patterns
(``helpers/data/respondent_types.yaml``) with the consultation's
``respondent_types:`` section applied, as ``Consultation.respondent_types``
(format in :mod:`helpers.core.consultation`). Session 21 split this module
(behaviour identical): the patterns and the mapping of answers and names are in
:mod:`helpers.ingest.type_words`, the readers of a response's self-description
in :mod:`helpers.ingest.type_readers`; both are re-exported here, so callers
import from this module as before. Every function takes the rules, and without
them uses the package's.
"""

from __future__ import annotations

import re

from helpers.core.consultation import RespondentTypeRules, default_respondent_types
from helpers.ingest.authorship import find_authorship, voice
from helpers.ingest.names import authorship_lists
from helpers.ingest.type_readers import (
    BEHALF_CHARS,
    OPENING_CHARS,
    about_us_type,
    behalf_type,
    capacity_clauses,
    capacity_type,
    collective_type,
    described_type,
    first_clause,
    opening_description_type,
    voluntary_words_type,
)
from helpers.ingest.type_words import (
    _patterns,
    answer_form,
    map_respondent_type,
    names_pattern,
    survey_row_type,
    type_of_name,
)

__all__ = [
    "BEHALF_CHARS",
    "OPENING_CHARS",
    "about_us_type",
    "answer_form",
    "behalf_type",
    "capacity_clauses",
    "capacity_type",
    "collective_type",
    "described_type",
    "first_clause",
    "infer_respondent_type",
    "map_respondent_type",
    "names_pattern",
    "opening_description_type",
    "self_described_type",
    "survey_row_type",
    "type_of_name",
    "voluntary_words_type",
]

# "We are a ...", "<organisation> is the ...": the respondent describing itself.
_SELF_DESCRIPTION = r"\b(?:we are|{org} is|{org} are)\s+(?:a|an|the)\b[^.\n]{{0,60}}?"
# "As a small charity, we ...": the same, as a clause ("As a council tax payer, I" is not).
_AS_A_WE = r"\bas (?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?({pattern}),?\s+we\b"
# "Voices Up is run by a local children's charity", "We are hosted by a housing association": a
# group that is a project of a body of a type, typed by that body (session 21, batch 23,
# unseen: a young people's panel run by a charity). The subject is "we" or the respondent's own
# name (or its first two words, as a body shortens its name), so "the service is run by a
# charity" in a letter about a service is not read.
_RUN_BY = (
    r"\b(?:we are|(?:{org}) is)\s+(?:run|hosted|managed|led|supported)\s+by\s+(?:a|an)\s+"
    r"(?:[\w'’-]+\s+){{0,3}}?({pattern})\b"
)
# "on behalf of the Brightwater Project, a small charity in …": the name with an appositive
# noun phrase after a comma or dash (session 11, ofsted-docs-10). Only "a/an" and at most
# three words before the type word, none a preposition: "the X, the council's partner" and
# "the X, a partner of the county council" name another body.
_APPOSITIVE = (
    r"{org}\s*[,–—]\s*(?:a|an)\s+"
    r"(?:(?!(?:of|for|with|to|by|from|at|in|on)\b)[\w'’-]+\s+){{0,3}}?({pattern})\b"
)


def self_described_type(
    text: str, organisation: str | None, rules: RespondentTypeRules | None = None
) -> str | None:
    """The type a respondent's own description of itself gives, or None.

    The sentences in which a body says what it is ("We are a volunteer-run community
    group", "Become is the national charity", "As a small charity, we …", "the Brightwater
    Project, a small charity", "Voices Up is run by a local children's charity", "We are a
    network of eleven congregations": ``_BODY_OF``), the longest type word winning; then the
    ``phrases`` that show a type by themselves ("registered charity", "our trustees").
    Split out of :func:`infer_respondent_type` (session 25, behaviour identical there) so a
    capacity answer's own sentences are read the same way
    (``capacity_types.organisation_capacity_type``).
    """
    rules = rules if rules is not None else default_respondent_types()
    patterns = _patterns(rules)
    org = re.escape(re.sub(r"\s*\([A-Z]+\)$", "", organisation)) if organisation else "(?!)"
    self_desc = _SELF_DESCRIPTION.format(org=org)
    words = (organisation or "").split()
    short = org if len(words) < 3 else org + "|" + re.escape(" ".join(words[:2]))
    described = [
        (len(m.group(1)), rtype)
        for rtype, pattern in patterns.names
        for form in (
            self_desc + "(" + pattern + ")",
            _AS_A_WE.format(pattern=pattern),
            _APPOSITIVE.format(org=org, pattern=pattern),
            _RUN_BY.format(org=short, pattern=pattern),
        )
        if (m := re.search(form, text, re.IGNORECASE))
    ]
    described += [
        (len(m.group(1)), rtype)
        for rtype, body_of in patterns.body_of
        if (m := body_of.search(text))
    ]
    if described:
        return max(described, key=lambda d: d[0])[1]  # longest word; ties: the earlier type
    for rtype, phrase in patterns.phrases:
        if phrase.search(text):
            return rtype
    return None


def infer_respondent_type(
    text: str, organisation: str | None, rules: RespondentTypeRules | None = None
) -> str:
    """Guess a RESPONDENT_TYPES value from who the text says wrote it.

    In order, strongest evidence first:

    1. An explicit personal-capacity statement ("I respond in a personal
       capacity", "responding as an individual", "this is my personal
       response") → individual, whatever employer the text also names. Then
       the respondent's own answer under a "Who are you?" / "Capacity"
       heading the segmenter did not take for the profile question
       (:func:`capacity_type`).
    2. The organisation's name ("... Campaign Group"; longest ``names``
       match), then sentences where the respondent describes itself ("Become
       is the national charity", "We are a council", "As a small charity,
       we …", "We are a network of eleven congregations": ``_BODY_OF``): topic words such as
       "local authority" in the body are not evidence. Then ``phrases`` that
       show a type by themselves ("registered charity", "the Guild represents
       300 managers"). An organisation of no known type is ``other``.
    3. A letter quoting an office reference ("Our ref: …") → other: private
       people do not file their letters. The writer running a business ("I
       own the café", "my van is my business"; ``business_owner`` in
       ``authorship.yaml``) → the consultation's type for a business. Then what the sign-off or the
       opening line says the writer is ("Jo (care leaver)", "From Jo and Sam
       Reid, foster carers", "Jo Reid – care leavers' group"):
       :func:`described_type`.
    4. The writer naming their role as a person ("I am a retired nurse", "my
       views as a foster carer") → individual, even beside a "we" for the
       group they belong to ("our fostering team"). Likewise a household: a
       sign-off by two people ("Peter and Anne Marsden") or the writer naming
       the person beside them ("my wife and I") → individual, though the text
       says "we" throughout (``authorship.household``).
    5. The voice: first person singular ("I", "my", lower-case "i", "im") at
       least twice and more often than "we/our/us" → individual; or fewer
       words but a sign-off that is a person's name and no "we" majority
       (``authorship.find_authorship``). One "I" is not enough: organisations
       write "I am pleased to submit" too. An anonymous "we" → unknown here;
       ``capacity_types.answers_voice`` reads the voice of the answers alone after
       segmentation.
    """
    rules = rules if rules is not None else default_respondent_types()
    head = text[:5000]
    who = find_authorship(text, rules)
    if who.personal:
        return "individual"
    if answered := capacity_type(head, rules):
        return answered
    by_name = type_of_name(organisation, rules)
    if by_name in (None, "other"):  # an agent's name ("… Solicitors", "… LLP") or none
        by_name = behalf_type(head, rules) or by_name
    if by_name:
        return by_name
    if described := self_described_type(head, organisation, rules):
        return described
    if organisation and (
        described_as := about_us_type(head, rules)
        or opening_description_type(head, rules)
        or voluntary_words_type(head, rules)
    ):
        return described_as
    singular, plural = voice(head)
    if not organisation and plural > singular and (body := collective_type(head, rules)):
        return body
    if organisation or who.office_reference:
        return "other"
    if who.business:
        # "I own the café on Canal Street": the business answers, not a private person.
        for word in authorship_lists()["business_answer"]:
            if owner := map_respondent_type(word, rules):
                return owner
    if who.personal_role:
        return "individual"
    for said in (who.signed_as, who.named_as):
        # "Jo (care leaver)", "From Jo Reid, foster carer": the consultation's word for a kind
        # of person; "Jo Reid – care leavers' group": a group's name.
        if said and (described := described_type(said, rules)):
            return described
    if who.household:
        return "individual"  # "Peter and Anne Marsden", "my wife and I": a household's "we"
    if singular >= 2 and singular > plural:
        return "individual"
    if singular >= 1 and plural == 0:
        # No organisation, no office, no "we": one "I"/"my"/"me" is a person ("Over my dead
        # body", "fine by me"). A text with no pronoun at all stays unknown.
        return "individual"
    if who.signed_by_person and singular >= plural:
        return "individual"
    return "unknown"
