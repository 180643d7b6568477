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

import pandas as pd

from helpers.core.consultation import Consultation, RespondentTypeRules, default_respondent_types
from helpers.core.schemas import RESPONDENT_TYPE_LABELS, RESPONDENT_TYPES, Document
from helpers.ingest.authorship import find_authorship, voice
from helpers.ingest.names import (
    authorship_lists,
    authorship_words,
    is_placeholder_organisation,
    org_noun,
)

# "We are a ...", "<organisation> is the ...": the respondent describing itself.
_SELF_DESCRIPTION = r"\b(?:we are|{org} is|{org} are)\s+(?:a|an|the)\b[^.\n]{{0,60}}?"
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
       we …"): topic words such as
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
       write "I am pleased to submit" too. An anonymous "we" → unknown.
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
    if described:
        return max(described, key=lambda d: d[0])[1]  # longest word; ties: the earlier type
    for rtype, phrase in patterns.phrases:
        if phrase.search(head):
            return rtype
    if organisation and (
        described_as := about_us_type(head, rules) or opening_description_type(head, rules)
    ):
        return described_as
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
    singular, plural = voice(head)
    if singular >= 2 and singular > plural:
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
        r"(?:^|\n)[ \t]*(?:" + authorship_words()["about_us_headings"].pattern + r")[ \t]*"
        r"(?:[:\-–—|][ \t]*|\n\s*)(\S[^\n]{0,300})",
        text,
        re.IGNORECASE,
    )
    if m is None:
        return None
    clause = first_clause(m.group(1), max_words=10)
    rtype = map_respondent_type(clause, rules) or type_of_name(clause, rules)
    return None if rtype in (None, "individual", "other") else rtype


# "A charity supporting young people leaving care on both sides of the border": a sentence or
# line near the top that opens with what the respondent is, no subject before it.
_OPENING_DESCRIPTION = (
    r"(?:^|\n|[.!?/]\s+)(?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?({pattern})\s+"
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


def type_from_capacity_answer(
    doc: Document, answers: pd.DataFrame | list[dict], consultation: Consultation
) -> None:
    """Type a document from its own answer to the consultation's profile (capacity) question.

    A response form answered in Word, an HTML form or a letter that answers
    "In which capacity are you responding?" says who wrote it in the
    respondent's own words ("Foster carer", "Local authority (children's
    services)", "Business – I own the café"), read with the same words as a
    survey's type column (``map_respondent_type``). That beats guessing from
    the voice or a sign-off, so it replaces an inferred type; a manifest's or
    a survey column's type is kept. An answer no type's words match changes
    nothing. Only the answer's first clause is read ("Resident (Canal Street)",
    "I don't live there. I drive to the business park" → not a business): a
    survey option is one short phrase, and later words are detail. Source:
    ``inferred`` (read from the text by the segmenter, not
    given as a field).
    """
    if doc.source_row is not None or doc.respondent_type_source in ("metadata", "survey"):
        return
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    if not profile or answers is None or len(answers) == 0:
        return
    if isinstance(answers, pd.DataFrame):
        texts = answers.loc[answers["question_id"].isin(profile), "answer_text"]
    else:  # a document's rows before they are made a frame (``segment.AnswerRows``)
        texts = [r["answer_text"] for r in answers if r["question_id"] in profile]
    for text in texts:
        if (rtype := capacity_answer_type(str(text), consultation.respondent_types)) is not None:
            doc.respondent_type, doc.respondent_type_source = rtype, "inferred"
            return
    if doc.respondent_type != "unknown":
        return
    for text in texts:
        if rtype := named_organisation_type(str(text), consultation.respondent_types):
            doc.respondent_type, doc.respondent_type_source = rtype, "inferred"
            return


def capacity_answer_type(answer: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type one capacity answer gives: an organisation's head noun
    (:func:`organisation_capacity_type`), else the ``answers`` words of its clauses."""
    rtype = organisation_capacity_type(answer, rules)
    for clause in [] if rtype else capacity_clauses(answer):
        if rtype := map_respondent_type(clause, rules):
            break
    return rtype


def type_unknown_from_capacity(
    respondents: list, answers: pd.DataFrame | list[pd.DataFrame] | None, consultation: Consultation
) -> int:
    """Type the documents still ``unknown`` from a capacity answer the meaning pass placed.

    Session 15 (ofsted-docs-9's "Marrowby Metropolitan Borough Council – Children's
    Services …, on behalf of the council"): :func:`type_from_capacity_answer` reads a
    document's profile answer as segmentation found it, before the run's meaning pass
    (``assemble.by_meaning``) places the text no heading placed; an answer placed under the
    profile question there never typed its respondent. Here, after that pass, each document
    row (``respondents``: the run's row dicts; survey frames are left alone) whose type is
    still ``unknown`` is typed from its profile answers as the segmenter's would have been
    (:func:`capacity_answer_type`, then :func:`named_organisation_type`). A type found
    before is never changed. Returns how many were typed.
    """
    profile = {q.id for q in consultation.questions if q.kind == "profile"}
    rows = [
        r
        for r in respondents
        if isinstance(r, dict)
        and r.get("respondent_type") == "unknown"
        and r.get("source_row") is None
    ]
    if not profile or not rows or answers is None:
        return 0
    texts: dict[str, list[str]] = {}
    for piece in [answers] if isinstance(answers, pd.DataFrame) else answers:
        placed = piece[piece["question_id"].isin(profile)]
        for rid, text in zip(
            placed["respondent_id"].astype(str), placed["answer_text"], strict=True
        ):
            texts.setdefault(rid, []).append(str(text))
    rules, n = consultation.respondent_types, 0
    for r in rows:
        own = texts.get(str(r["respondent_id"]), [])
        rtype = next((t for a in own if (t := capacity_answer_type(a, rules))), None)
        rtype = rtype or next((t for a in own if (t := named_organisation_type(a, rules))), None)
        if rtype is not None:
            r["respondent_type"], r["respondent_type_source"] = rtype, "inferred"
            n += 1
    return n


def organisation_capacity_type(answer: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type of a capacity answer whose first clause is headed by an organisation noun.

    Session 15 (batch 17): "Independent fostering agency (Ltd) – 140 households",
    "A further education college (on behalf of its … support team)", "Church (Church of
    England parish)": the respondent says it is a body, but a word of the consultation's
    ``answers`` inside the answer ("fostering", "care-experienced") typed it as a person,
    or nothing did and an office's name left it ``other``. The clause's head (its words
    before a comma or "of", "at", "for" …: "Parent governor at the school" is a parent governor,
    "Network of … Officers" a network) ends with an organisation noun (``org_noun``:
    the generic ``organisation_words`` and every type's ``names``), so an organisation
    answers: typed by the noun that heads the clause or its bracket
    (:func:`head_noun_type`), else by the ``answers`` words unless they say a person ("A
    professional network of …", "local authority children's services"), else ``other``.
    Any other answer gives None and is read as before.
    """
    rules = rules if rules is not None else default_respondent_types()
    clauses = capacity_clauses(answer)
    head = re.split(r",|\s(?:of|at|in|for|from|with|on|to|by)\s", clauses[0], maxsplit=1)[0]
    if not re.search(r"(?:" + org_noun(rules).pattern + r")[\W_]*$", head.strip(), re.I):
        return None
    for clause in [head, *clauses]:
        if rtype := head_noun_type(clause, rules):
            return rtype
    for clause in clauses:  # "A professional network of …": the answers' words, a person's aside
        if (rtype := map_respondent_type(clause, rules)) not in (None, "individual"):
            return rtype
    return "other"


def head_noun_type(clause: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type a capacity answer's clause gives by its head noun, a type's ``names`` word.

    Session 15 (batch 17): a form's capacity answer names what the respondent is in a
    body's own noun rather than a survey option ("Church (Church of England parish)",
    "A further education college", "Independent fostering agency (Ltd)"), which the
    ``answers`` words do not list, so the voice or a sign-off typed it (individual,
    or ``other`` from an office's name). A clause whose LAST word or phrase is a type's
    ``names`` match is typed by it (:func:`type_of_name`); a noun that only qualifies
    the head ("Council tax payer", "Parent at the church school") is not the head and
    gives nothing.
    """
    rules = rules if rules is not None else default_respondent_types()
    rtype = type_of_name(clause, rules)
    if rtype is None or rtype == "individual":
        return None
    pattern = dict(_patterns(rules).names).get(rtype)
    if pattern is None or not re.search(r"\b" + pattern + r"[\W_]*$", clause, re.IGNORECASE):
        return None
    return rtype


def named_organisation_type(answer: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type of the organisation a capacity answer names after "On behalf of an organisation:".

    Session 13 (transport-15): a form's capacity answer "On behalf of an organisation:
    St Bede's Catholic Primary School, Canal Street (School Business Manager …)" says an
    organisation responds, and names it after the colon or dash. No type's words match the
    first clause, so the document stayed ``unknown``. Here an answer whose first clause
    has the organisation form (``answer_form``) is typed by the name that follows it
    (:func:`type_of_name`, its first clause), else ``other``: an organisation of no listed
    type, never a person. Used only when nothing else typed the document.
    """
    m = re.match(r"\s*([^:;\n–—]{2,60}?)\s*(?::|\s[-–—]|[–—])\s*(\S[^\n]*)?", answer)
    head = m.group(1) if m else first_clause(answer)
    if answer_form(head) != "organisation":
        return None
    named = first_clause(m.group(2), max_words=12) if m and m.group(2) else ""
    rtype = type_of_name(named, rules) if named else None
    return rtype if rtype not in (None, "individual") else "other"


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
