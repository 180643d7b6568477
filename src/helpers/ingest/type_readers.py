"""Where a response describes its respondent: capacity answers, "About us", "on behalf of".

Split from ``respondent_types`` (session 21, behaviour identical): the readers
``infer_respondent_type`` consults for a type besides the organisation's name —
the answer under a capacity heading, a sign-off's or opening line's description,
an "About us" section, a subjectless opening description ("A charity supporting
…"), the body a letter is written on behalf of, and an unnamed body calling
itself "the Forum".
"""

from __future__ import annotations

import re

from helpers.core.consultation import RespondentTypeRules, default_respondent_types
from helpers.ingest.names import authorship_lists, authorship_words, name_run, org_noun
from helpers.ingest.type_words import _patterns, map_respondent_type, type_of_name


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


VOLUNTARY_MIN = 2  # how many voluntary words (``voluntary_cues``) make a body a voluntary one


def voluntary_words_type(text: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The consultation's voluntary type for a body that speaks of its volunteers and trustees.

    Session 25: charities whose name has no type word and who never write "charity" were
    typed ``other`` on unseen batches again and again (batches 23, 26, 27 and 28): "Lanterns
    recruits and trains volunteer independent visitors … Forty of our current volunteers";
    "This response was agreed by our trustees". A voluntary body's own words — volunteers,
    trustees, donations, fund-raising, "registered charity" (``voluntary_cues`` in
    ``helpers/data/authorship.yaml``, generic English) — at least ``VOLUNTARY_MIN`` times in
    the opening 5,000 characters give the type the consultation's ``answers`` words map
    ``voluntary_answer`` to ("voluntary" → ``charity_voluntary`` in the package's words; a
    consultation with no such type gets None). Used only for a body that would otherwise be
    ``other``: a person who volunteers is typed by the voice and role rules before this.
    Spent document sets: 41 of the 51 documents with such words are charities in the gold,
    the rest people or campaigns the rules type otherwise; no body typed ``other`` in the
    gold has them.
    """
    vtype = next(
        (t for w in authorship_lists()["voluntary_answer"] if (t := map_respondent_type(w, rules))),
        None,
    )
    if vtype in (None, "individual", "other", "unknown"):
        return None
    cues = re.findall(
        r"(?<![\w'’])(?:" + authorship_words()["voluntary_cues"].pattern + r")(?![\w'’])",
        text[:5000],
        re.IGNORECASE,
    )
    return vtype if len(cues) >= VOLUNTARY_MIN else None


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
