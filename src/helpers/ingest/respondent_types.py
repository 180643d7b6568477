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
from helpers.ingest.authorship import find_authorship, voice
from helpers.ingest.names import (
    authorship_lists,
    authorship_words,
    is_placeholder_organisation,
    name_run,
    org_noun,
)

# "We are a ...", "<organisation> is the ...": the respondent describing itself.
_SELF_DESCRIPTION = r"\b(?:we are|{org} is|{org} are)\s+(?:a|an|the)\b[^.\n]{{0,60}}?"
# "We are a network of eleven congregations …": a body of member bodies, named in the plural
# after a collective organisation noun; typed by what its members are (session 20, batch 22).
_BODY_OF = (
    r"\bwe are (?:a|an|the)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{noun})\s+of\s+"
    r"(?:[\w'’,-]+\s+){{0,3}}?({plural})"
)
# "As a small charity, we ...": the same, as a clause ("As a council tax payer, I" is not).
_AS_A_WE = r"\bas (?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?({pattern}),?\s+we\b"
# "on behalf of the Brightwater Project, a small charity in …": the name with an appositive
# noun phrase after a comma or dash (session 11, ofsted-docs-10). Only "a/an" and at most
# three words before the type word, none a preposition: "the X, the council's partner" and
# "the X, a partner of the county council" name another body.
_APPOSITIVE = (
    r"{org}\s*[,–—]\s*(?:a|an)\s+"
    r"(?:(?!(?:of|for|with|to|by|from|at|in|on)\b)[\w'’-]+\s+){{0,3}}?({pattern})\b"
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
    patterns = _patterns(rules)
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
    org = re.escape(re.sub(r"\s*\([A-Z]+\)$", "", organisation)) if organisation else "(?!)"
    self_desc = _SELF_DESCRIPTION.format(org=org)
    described = [
        (len(m.group(1)), rtype)
        for rtype, pattern in patterns.names
        for form in (
            self_desc + "(" + pattern + ")",
            _AS_A_WE.format(pattern=pattern),
            _APPOSITIVE.format(org=org, pattern=pattern),
        )
        if (m := re.search(form, head, re.IGNORECASE))
    ]
    described += [
        (len(m.group(1)), rtype)
        for rtype, body_of in patterns.body_of
        if (m := body_of.search(head))
    ]
    if described:
        return max(described, key=lambda d: d[0])[1]  # longest word; ties: the earlier type
    for rtype, phrase in patterns.phrases:
        if phrase.search(head):
            return rtype
    if organisation and (
        described_as := about_us_type(head, rules) or opening_description_type(head, rules)
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


def capacity_type(text: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type the respondent's answer under a capacity heading gives, or None.

    Session 10 (ofsted-docs-7, transport-5, ofsted-docs-12): a form asks "Who
    are you?" or "Capacity" in its own words, which the consultation's
    profile question does not always match, so the answer stays in the
    preamble ("Part one: Who are you?" then "Foster carer (currently a Staying
    Put carer …)"). The line after such a heading (``capacity_headings`` in
    ``helpers/data/authorship.yaml``), on the same line after a colon or on the
    next, is read as a capacity answer is (:func:`capacity_clauses`,
    :func:`map_respondent_type`). Only the first ``2000`` characters are read.
    """
    m = re.search(
        r"(?:^|\n)[ \t]*(?:[\w ]{0,20}[:.\-–—][ \t]*)?(?:"
        + authorship_words()["capacity_headings"].pattern
        + r")\??[ \t]*(?:[:\-–—|][ \t]*|\n\s*)(\S[^\n]{0,300})",
        text[:2000],
        re.IGNORECASE,
    )
    if m is None:
        return None
    for clause in capacity_clauses(m.group(1)):
        if rtype := map_respondent_type(clause, rules):
            return rtype
    return None


def described_type(description: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type of a writer described in a few words ("foster carers", "care leavers' group").

    A description whose head (the words before "of", "at" …) has an
    organisation noun names a body: its type by its name
    (:func:`type_of_name`), else ``other``; otherwise it is a person's
    role, read with the capacity answers' words (:func:`map_respondent_type`),
    and only ``individual`` counts (a role a type's words give another type,
    "Council officer", is the writer's job, not who responds).
    """
    rules = rules if rules is not None else default_respondent_types()
    # The head of the description, before "of", "at" …: "parents of two pupils at the
    # school" are parents; "Network of Housing Officers" is a network.
    head = re.split(r"\s(?:of|at|in|for|from|with|on|to)\s", description, maxsplit=1)[0]
    if org_noun(rules).search(head):
        return type_of_name(description, rules) or "other"
    return "individual" if map_respondent_type(description, rules) == "individual" else None


def about_us_type(text: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type the respondent's own "Who we are" / "About us" text gives, or None.

    An organisation whose name shows no type ("Westcountry Fostering
    Consortium") often says what it is under such a heading, or in a form's
    "Who we are" cell, without "we are": "A consortium of fourteen
    not-for-profit fostering agencies". The first clause after the heading
    is read as a capacity answer is (``map_respondent_type``), then by its
    names (``type_of_name``). Headings: ``about_us_headings`` in
    ``helpers/data/authorship.yaml``. Used only for an organisation that
    would otherwise be ``other``.
    """
    m = re.search(
        # "Slide 1 – About us", "Part A: Who we are": a short numbered label may come first.
        r"(?:^|\n)[ \t]*(?:[\w .]{0,15}[–—:\-][ \t]*)?(?:"
        + authorship_words()["about_us_headings"].pattern
        + r")[ \t]*"
        r"(?:[:\-–—|][ \t]*|\n\s*)(\S[^\n]{0,300})",
        text,
        re.IGNORECASE,
    )
    if m is None:
        return None
    clause = first_clause(m.group(1), max_words=10)
    rtype = map_respondent_type(clause, rules) or type_of_name(clause, rules)
    return None if rtype in (None, "individual", "other") else rtype


# "A charity supporting young people leaving care on both sides of the border": a line near the
# top (or the second half of a bilingual line, after "/") that opens with what the respondent is,
# no subject before it. Session 20 (batch 22, unseen): not a sentence inside a paragraph ("…
# with. A council that is a good corporate parent helps …" is a view of councils).
_OPENING_DESCRIPTION = (
    r"(?:^|\n|/\s+)[ \t]*(?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?({pattern})\s+"
    r"(?:supporting|working|helping|serving|representing|run|led|based|founded|set up|that|which)\b"
)
OPENING_CHARS = 1500  # how far into the response an opening description is read


def opening_description_type(text: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type a subjectless self-description near the top gives ("A charity supporting …").

    Session 14 (ofsted-docs-16): a bilingual preamble says "Elusen sy'n cefnogi … / A
    charity supporting young people leaving care …" under the organisation's name, with no
    "we are" (``_SELF_DESCRIPTION``) or "About us" heading (:func:`about_us_type`). A
    sentence or line that opens with "A"/"An", at most three words, a type's ``names`` word
    and a verb or relative that describes what the body does ("supporting", "working",
    "run by", "that") is the respondent describing itself; "A council should …" has no
    such verb after the noun and is a view. Only the first ``OPENING_CHARS`` characters are
    read, and, like ``about_us_type``, only for an organisation that would otherwise be
    ``other``; the longest type word wins.
    """
    rules = rules if rules is not None else default_respondent_types()
    found = [
        (len(m.group(1)), rtype)
        for rtype, pattern in _patterns(rules).names
        if (
            m := re.search(_OPENING_DESCRIPTION.format(pattern=pattern), text[:OPENING_CHARS], re.I)
        )
    ]
    rtype = max(found, key=lambda d: d[0])[1] if found else None
    return None if rtype in (None, "individual", "other") else rtype


def capacity_clauses(text: str) -> list[str]:
    """The parts of a capacity answer read for a type: its first clause, then a bracket right
    after it.

    "Supported lodgings host (private individual)": a role the type words do
    not know, qualified in brackets by one they do. Only a bracket that
    follows the first clause directly is read, so the detail later in the
    answer ("I don't live there. I drive to the business park") still is not.
    """
    clauses = [first_clause(text)]
    m = re.match(r"\s*[^.;:()\[\]\n–—]{1,80}?\s*[(\[]([^()\[\]\n]{2,60})[)\]]", text)
    if m:
        clauses.append(" ".join(m.group(1).split()[:8]))
    return clauses


def first_clause(text: str, max_words: int = 8) -> str:
    """The text up to its first sentence or clause break, at most ``max_words`` words."""
    clause = re.split(r"[.;:()\[\]\n–—]|\s-\s", text.strip(), maxsplit=1)[0]
    return " ".join(clause.split()[:max_words])


# "Representations on behalf of the Station Road Residents' Association": the body an agent
# (a solicitor, a consultant) writes for.
# Only the opening (letterhead, title, first lines) says whom a letter is written for; "a survey
# done on behalf of the County Council" further down is a topic.
BEHALF_CHARS = 600
_BEHALF = re.compile(r"\bon behalf of (?:the )?((?-i:[A-Z])[^\n.,:;()]{1,80})", re.IGNORECASE)


def behalf_type(text: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type of a named body the response is written "on behalf of", or None.

    Session 16 (transport-14): a solicitors' letter "on behalf of the Station Road Residents'
    Association" is the association's response; the letterhead names the agent, whose name
    shows no type. A capitalised name after "on behalf of" in the opening (``BEHALF_CHARS``)
    whose words show a type (:func:`type_of_name`; "on behalf of my neighbours" has no
    capital) gives that type. Used only when the organisation's own name shows none or
    ``other`` (an agent's "… LLP"); a person's type is never taken from it ("on behalf of
    Sarah Jones MP" names no body's type).
    """
    rules = rules if rules is not None else default_respondent_types()
    for m in _BEHALF.finditer(text[:BEHALF_CHARS]):
        # The capitalised name only ("the Trust's health team" is the writer's own body's team,
        # not a body of its own; "the Wyebridge Residents' Association" is a body).
        name = name_run(m.group(1))
        if not name or len(name.split()) < 2 or re.search(r"['’]s$", name):
            continue
        if (rtype := type_of_name(name, rules)) not in (None, "individual", "other"):
            return rtype
    return None


# "The Forum held an open meeting …", "The association supports the scheme": a body that
# refers to itself by its kind, at the start of a sentence.
_COLLECTIVE = (
    r"(?:^|\n|[.!?]\s+)The\s+((?i:{noun}))\s+"
    r"(?:held|met|discussed|voted|represents|responds|welcomes|has\s+(?:about\s+)?\d+)\b"
)


def collective_type(text: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type of an unnamed body writing as "we" that calls itself "the <noun>".

    Session 16 (transport-6, transport-5): "The Forum held an open meeting on 28 September
    … We are not against quieter streets": a group that never gives its name but speaks of
    itself as "the Forum", "the association", "the committee". Only a sentence that opens
    with "The" + an organisation noun (``org_noun``) + a verb a body says of its own
    meetings and members ("held", "met", "voted", "represents", "has 140 …": not "supports"
    or "has ignored", which a resident's "we" says of the council), in the first ``1500``
    characters, and only for a response in the "we" voice with no organisation named (the
    caller checks): "The council has ignored us" in a resident's letter is not enough, as
    the voice then is "I". Typed by the noun's ``names`` (:func:`type_of_name`), else
    ``other`` (an organisation of no listed type).
    """
    rules = rules if rules is not None else default_respondent_types()
    m = re.search(_COLLECTIVE.format(noun=org_noun(rules).pattern), text[:1500])
    if m is None:
        return None
    rtype = type_of_name(m.group(1), rules)
    return rtype if rtype not in (None, "individual") else "other"
