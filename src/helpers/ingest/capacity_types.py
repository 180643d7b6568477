"""Respondent types from a document's own answer to the consultation's capacity question.

A response form, an HTML form or a letter that answers "In which capacity are you
responding?" says who wrote it in the respondent's own words; these functions read that
answer (as the segmenter or the meaning pass placed it) with the type rules of
:mod:`helpers.ingest.respondent_types`. Split from that module in session 16 (its size);
the behaviour is unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from helpers.core.consultation import Consultation, RespondentTypeRules, default_respondent_types
from helpers.core.schemas import Document
from helpers.ingest.authorship import find_authorship, voice
from helpers.ingest.names import authorship_words, org_noun
from helpers.ingest.respondent_types import (
    answer_form,
    capacity_clauses,
    first_clause,
    map_respondent_type,
    names_pattern,
    self_described_type,
    type_of_name,
    voluntary_words_type,
)


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
    if rtype := answers_voice(doc, answers, consultation):
        doc.respondent_type, doc.respondent_type_source = rtype, "inferred"


def answers_voice(
    doc: Document, answers: pd.DataFrame | list[dict], consultation: Consultation
) -> str | None:
    """The type the voice of the respondent's own answers gives an unnamed, untyped writer.

    Session 18 (batch 20: three response forms typed ``unknown`` whose writers were a
    mother, a teenager and a grandmother): the voice rule of ``infer_respondent_type``
    counts "I/my" against "we/our/us" over the whole document, and a response form
    prints the consultation's questions ("our proposal", "for us to take into account")
    and its instructions ("we will send it to …") in the consulting body's voice, so a
    person's six "I"s lose to the form's seven "we"s. Here only the text the segmenter
    placed under the consultation's questions is counted (not the preamble, closing or
    headings): the respondent's own words; a document with none (a letter read as
    unstructured text) is counted whole.

    - ``individual``: at least two first-person-singular words and more than the plural
      ones (the whole-text rule's thresholds);
    - ``other``: at least ``_WE_BODY_MIN`` "we/our/us" and more than twice the "I/my": a
      body writing as "we" throughout ("our staff", "our members") that never said its
      name or kind (spent sets: a provider, a nursery, a class council, a youth council, a
      residents' association, with 3 to 17), an organisation of no listed type. A couple's
      short "we" ("we'll leave that to those who live there": 2) stays unknown;
    - but ``individual`` for such a "we" text signed with a person's name and no office
      (session 19: on unseen batch 21 two supporters who pasted a campaign's "we" text and
      signed it were typed ``other``; spent batches 2-20 have no such case either way).

    Only for a document with no organisation named that no other evidence typed: an
    organisation's "we" is never overruled, and a type read elsewhere stands.
    """
    if doc.organisation:
        return None
    asked = {q.id for q in consultation.questions}
    if isinstance(answers, pd.DataFrame):
        texts = answers.loc[answers["question_id"].isin(asked), "answer_text"].tolist()
    else:
        texts = [r["answer_text"] for r in answers if r["question_id"] in asked]
    own = "\n".join(str(t) for t in texts) if texts else doc.text
    singular, plural = voice(own[:5000])
    if singular >= 2 and singular > plural:
        return "individual"
    if plural < _WE_BODY_MIN or plural <= 2 * singular:
        return None
    who = find_authorship(doc.text, consultation.respondent_types)
    # Session 19 (batch 21, unseen): a supporter who pasted a campaign's "we" text and signed
    # it with their own name ("Tyler, 19, care leaver"; "Hollie Brandt / Orchard Road") is a
    # person; a body's officer signs with an office ("Jo Reid, Nursery Manager").
    if who.signed_by_person and not who.signer_role:
        return "individual"
    # Session 21 (batch 23, unseen): an unnamed "we" body that says near its top which body
    # runs it ("Voices Up is run by a local children's charity") takes that body's type.
    # Session 25: an unnamed "we" body that speaks of its volunteers and trustees is a
    # voluntary body (``type_readers.voluntary_words_type``), as a named one is.
    rules = consultation.respondent_types
    return (
        _run_by_type(doc.text[:_RUN_BY_CHARS], rules)
        or voluntary_words_type(doc.text, rules)
        or "other"
    )


_RUN_BY_CHARS = 1500  # how far into an unnamed body's text "… is run by a charity" is read
# Session 18: how many "we/our/us" (and more than twice the "I/my") make an unnamed writer a body.
_WE_BODY_MIN = 3


def capacity_answer_type(answer: str, rules: RespondentTypeRules | None = None) -> str | None:
    """The type one capacity answer gives: an organisation's head noun
    (:func:`organisation_capacity_type`), else the ``answers`` words of its clauses."""
    rtype = organisation_capacity_type(answer, rules) or _service_user(answer)
    for clause in [] if rtype else capacity_clauses(answer):
        if rtype := map_respondent_type(clause, rules):
            break
    return rtype


def _service_user(answer: str) -> str | None:
    """``individual`` for a capacity answer headed by a person who uses or pays for a body's
    service ("Council tax payer of 40 years", "Housing association tenant"), else None.

    Session 21 (transport, left open since session 20): the ``answers`` words match at a
    word's start anywhere in the clause, so "council" typed a council tax payer a local
    authority. The clause's head (its words before a comma or a preposition) ends with a
    ``service_user_heads`` word (``helpers/data/authorship.yaml``) after at least one other
    word, so the body's word only qualifies a private person.
    """
    head = re.split(r",|\s(?:of|at|in|for|from|with|on|to|by|since)\s", first_clause(answer))[0]
    words = head.split()
    if len(words) < 2:
        return None
    return "individual" if _service_user_end().search(" ".join(words[-2:])) else None


@lru_cache(maxsize=1)
def _service_user_end() -> re.Pattern[str]:
    """A ``service_user_heads`` word ending a clause's head (compiled once)."""
    heads = authorship_words()["service_user_heads"].pattern
    return re.compile(r"(?<![\w'])(?:" + heads + r")[\W_]*$", re.I)


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
            # "A group of young people … run by a local charity": a generic body's runner's type.
            return (rtype == "other" and _run_by_type(answer, rules)) or rtype
    for clause in clauses:  # "A professional network of …": the answers' words, a person's aside
        if (rtype := map_respondent_type(clause, rules)) not in (None, "individual"):
            return rtype
    after_head = r"\s*" + r"\s+".join(map(re.escape, head.split())) + r"\s+of\s+(?:the\s+)?"
    if (of := re.match(after_head + r"([^,;:()\n]{2,80})", answer)) and (
        rtype := head_noun_type(of.group(1).strip(), rules)
    ):
        return rtype  # "The Board of Trustees of the Riverside Jamia Masjid": the body's own type
    for part in _elaborations(answer):
        # Its head only: "provider of housing in four local authority areas" is a provider.
        part = re.split(r"\s(?:of|at|in|for|from|with|on|to|by|across|within)\s", part)[0]
        if rtype := head_noun_type(part, rules):
            return rtype
        if (rtype := map_respondent_type(part, rules)) not in (None, "individual"):
            return rtype
    return _run_by_type(answer, rules) or _answer_describes(answer, rules) or "other"


def _answer_describes(answer: str, rules: RespondentTypeRules) -> str | None:
    """The listed type a capacity answer headed by a bare noun gives in its own later sentences.

    Session 25 (batches 22 and 26): "We are a network of eleven congregations … who run a
    weekly drop-in" and "Organisation. Northfold Care Leavers' Trust is a registered charity
    running drop-in hubs …" are headed by a noun of no type ("network", "Organisation"), and
    the answer's fallback ``other`` replaced the type the rest of the answer says — a
    voluntary body typed ``other`` in both. The answer is read as a response's own
    self-description is (``respondent_types.self_described_type``: "we are a …", "X is a …",
    a body of member bodies, a type's ``phrases`` such as "registered charity"); only a
    listed type counts, never a person's.
    """
    rtype = self_described_type(answer, None, rules)
    return rtype if rtype not in (None, "individual", "other") else None


# Session 21 (batch 23, unseen): a group that describes itself as run by a body ("We are a
# group of 13 young people … Voices Up is run by a local children's charity") is a project of
# that body and takes its type, as "The Board of Trustees of …" takes its body's. Read only
# inside a capacity answer whose head is an organisation noun, after every other reading.
_RUN_BY = re.compile(
    r"\b(?:is|are)\s+(?:run|hosted|managed|led)\s+by\s+(?:a|an)\s+([^,;:.()\n]{2,60})", re.I
)
_PREPOSITION = r"\s(?:of|at|in|for|from|with|on|to|by|across|within)\s"


def _run_by_type(answer: str, rules: RespondentTypeRules) -> str | None:
    """The listed type of the body a group says runs it ("… is run by a local children's
    charity"; ``_RUN_BY``), by the head noun of that body's description, or None."""
    run = _RUN_BY.search(answer)
    if run is None:
        return None
    body = re.split(_PREPOSITION + r"|\s(?:and|or|who|which|that|where|so)\s", run.group(1))[0]
    rtype = head_noun_type(body, rules)
    return rtype if rtype not in (None, "other", "individual") else None


def _elaborations(answer: str) -> list[str]:
    """What a capacity answer headed by a bare organisation noun says the body is.

    Session 20 (batch 22, unseen; transport-9): "The Board of Trustees of the Riverside Jamia
    Masjid, a registered charity" and "An organisation: a voluntary community group of older
    residents" are headed by a noun of no type ("Board", "organisation"), and the answer was
    typed ``other`` although it says what kind of body answers. Read, in order, an
    appositive after a comma ("a registered charity") and the text after a colon or dash
    ("a voluntary community group …"), each as a short clause (:func:`first_clause`). (The
    body a unit belongs to, "of the Riverside Jamia Masjid", is read by the caller, only
    when its name ends in a type's word.)
    """
    one = answer.strip().split("\n", 1)[0]
    parts = []
    if m := re.search(r",\s+((?:a|an|the)\s[^,;:()\n]{2,80})", one):
        parts.append(first_clause(m.group(1)))
    if m := re.search(r"(?::|\s[–—-]|[–—])\s*(\S[^\n]{2,120})", one):
        parts.append(first_clause(m.group(1)))
    return parts


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
    pattern = names_pattern(rtype, rules)
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
