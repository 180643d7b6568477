"""Who wrote a document: the organisation it names as its author, and personal-capacity cues.

A response says who wrote it in a few conventional places, and only there
does a name count: a **letterhead** (the first line, naming an organisation:
"WESTBROOK DISTRICT COUNCIL"), a **title** ("X response to …", "Response
from X"), a **self-description** near the start ("X is a small charity …",
"We are the X, a group of …", "X welcomes the opportunity …"), "**on behalf
of** X", and the **sign-off block** after "Yours faithfully" (name, job title,
organisation). A name anywhere else is a topic, not an author: a resident who
writes "Dear Northshire County Council" or "the council has ignored us" is
not a council. The words (valedictions, organisation nouns, job titles,
personal-capacity phrases) are generic English kept as data in
``helpers/data/authorship.yaml``; a consultation's own words come in through
its respondent-type ``names``, which also count as organisation nouns.

A candidate name is kept only when something says it is an organisation: an
organisation noun in it ("… Network", "… LLP", a type's ``names``), or the
text describing it as one ("Open Hearth is a small charity"), or the text
speaking as "we". A name that is a person's ("Dr Ruth Amos", or a name in a
letter written as "I") is not an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.core.consultation import RespondentTypeRules, default_respondent_types
from helpers.core.text import stopwords
from helpers.ingest.author_places import (
    _ABOUT,
    _CLAUSE_END,
    _COMPLETED_BY,
    _FIELD,
    _FIELD_LABEL,
    _FROM_LINE,
    _FROM_WORD,
    _ON_BEHALF,
    _OUR_TITLE,
    _RESPONSE_FROM,
    _RESPONSE_TITLE,
    _SALUTATION,
    _SELF,
    _TITLE_DASH,
    _WE_ARE,
    _addressee_cut,
    _all_capitalised,
    _letterhead,
    _titled,
    _unit_of,
    consulting_body,
)
from helpers.ingest.names import (
    authorship_words,
    is_person,
    is_placeholder_organisation,
    name_run,
    org_noun,
    title_case,
    type_noun,
    whole,
    without_the,
)
from helpers.ingest.signoff import (
    _named_as,
    _sign_off,
    _sign_off_names,
    _signed_as,
    _signed_by_couple,
    is_couple,
)

__all__ = ["Authorship", "consulting_body", "find_authorship", "is_couple", "voice"]


@dataclass(frozen=True)
class Authorship:
    """What a document says about its author (all fields may be empty)."""

    organisation: str | None = None
    # letterhead | title | form field | self-description | on behalf of | sign-off | from line
    where: str | None = None
    personal: bool = False  # an explicit personal-capacity statement
    personal_role: bool = False  # "I am a retired nurse", "my views as a foster carer"
    # The sign-off is a person's name and no organisation, or a title names a person.
    signed_by_person: bool = False
    # The sign-off names an office or role ("Jo Reid, Secretary", "Nursery Manager"): a person
    # signing for a body, not only for themselves (``role_words``).
    signer_role: bool = False
    # Signed by two people with one surname or two names ("Peter and Anne Marsden"), or the
    # text names the writer's household ("my wife and I"): private people writing as "we".
    household: bool = False
    office_reference: bool = False  # "Our ref: …": written from an office
    # "I own the Copper Kettle", "my van is my business": a business writing as "I".
    business: bool = False
    # What the sign-off says the signer is: "Jo (care leaver)" → "care leaver".
    signed_as: str | None = None
    # What the opening line says its writer is: "From Jo Reid, foster carer" → "foster carer".
    named_as: str | None = None


def voice(text: str) -> tuple[int, int]:
    """Counts of first person singular ("I", "my", lower-case "i"/"im") and plural words."""
    singular = len(
        re.findall(r"\b(?:I|[Mm]y|[Mm]e|[Mm]ine|[Mm]yself|i(?=\s+[a-z])|i['’]?m)\b", text)
    )
    plural = len(re.findall(r"\b(?:we|our|us)\b", text, re.IGNORECASE))
    return singular, plural


def find_authorship(
    text: str, rules: RespondentTypeRules | None = None, consulting: str | None = None
) -> Authorship:
    """Read the conventional places a response names its author (module docstring).

    Candidates are tried in order (letterhead, title, "response from", "on
    behalf of", "we are", a form's "Organisation:" field, self-description,
    "About X", sign-off, a "From: name, role, organisation" line); the first
    that is confirmed an organisation wins, except that one whose name has a
    respondent type's ``names`` word is preferred to one without.
    """
    rules = rules if rules is not None else default_respondent_types()
    noun = org_noun(rules)
    # All-capitals lines in title case, so "RESPONSE FROM THE X GUILD" reads like any title.
    # Only the opening and the end are read, so a long response costs no more than a short one.
    lines = [title_case(ln.strip()) for ln in text[:3000].split("\n") if ln.strip()]
    head = "\n".join(lines)
    block = _sign_off([ln.strip() for ln in text[-3000:].split("\n") if ln.strip()])
    signed_orgs, person = _sign_off_names(block, noun)
    # A "From: name, role, organisation" line at the top reads like a sign-off.
    from_lines = [m.group(1) for ln in lines[:5] if (m := _FROM_LINE.match(ln))]
    from_lines += [m.group(1) for ln in lines[:3] if (m := _COMPLETED_BY.search(ln))]
    from_orgs, from_person = _sign_off_names(from_lines, noun)
    person = person or from_person
    singular, plural = voice(text[:3000])
    described: dict[str, str] = {}
    for m in _SELF.finditer(text[:2000]):
        subject = re.sub(r"^The\s+", "", m.group(1).strip())
        name = name_run(subject)
        if name != subject.rstrip(",;:") and _all_capitalised(subject):
            # Session 19 (batch 21, "Count Us In is a campaign run by …"): a name in title case
            # may end in a word ``name_run`` takes for a connector ("In", "On", "For").
            name = subject.rstrip(",;:")
        if name != subject.rstrip(",;:"):
            continue  # the whole subject must be a name: "Between 8 and 9 in the morning it is a ..."
        if name and name.split()[0].lower() in stopwords() and not _titled(name, lines[:2]):
            continue  # "That is a …", "This is the …": a pronoun, not a name
        complement = " ".join((m.group(2) or "").split()[:5])
        if name and (m.group(3) or noun.search(complement)):
            described.setdefault(name, m.group(2) or m.group(3))
    found: list[tuple[str, str]] = []
    if name := _letterhead(lines[:2], noun):
        found.append((name, "letterhead"))
    for ln in lines[:3]:
        m = _RESPONSE_TITLE.match(ln)
        if m and len(m.group(1).split()) > 8:
            continue  # prose ("The Centre conducts research … This submission …"), not a title
        if m and (own := _OUR_TITLE.match(m.group(1))):
            # "Keep Kingsford Moving – our response …": the name before "– our" is the author's.
            name = name_run(own.group(1))
            # Not what is consulted on ("Riverside Scheme: our response"): the author's name.
            if (
                name
                and name == own.group(1).strip()
                and not whole("consultation_words").search(name)
            ):
                found.append((name, "title"))
            continue
        if m and re.search(r"\b(?:my|your|our)\W*$", m.group(1), re.I):
            continue
        if m and (name := name_run(m.group(1).strip())):
            found.append((name, "title"))
    for ln in lines[:3]:
        m = _TITLE_DASH.match(ln)
        if m and (name := name_run(m.group(1).strip())) and name == m.group(1).strip().rstrip("."):
            found.append((name, "title"))
    for where, pattern in (
        ("title", _RESPONSE_FROM),
        ("on behalf of", _ON_BEHALF),
        ("self-description", _WE_ARE),
    ):
        found += [(n, where) for m in pattern.finditer(head) if (n := _addressee_cut(m.group(1)))]
    for m in _FIELD_LABEL.finditer(head):
        label = m.group(1).strip()
        if len(label.split()) > 16 or re.search(r"[.!]$|[.!]\s", label):
            continue  # a sentence of prose, not a form's label
        value = without_the(_CLAUSE_END.split(m.group(2).strip(), maxsplit=1)[0])
        n = name_run(value)
        if n and n == value.strip() and not is_placeholder_organisation(n):
            if len(n.split()) >= 2 or noun.search(n):
                found.insert(0, (n, "form field"))
    for m in _FIELD.finditer(head):
        value = m.group(1).strip()
        if not is_placeholder_organisation(value) and (n := name_run(value)):
            found.append((n, "form field"))
    found += [(n, "self-description") for n in described]
    found += [(n, "title") for m in _ABOUT.finditer(head) if (n := name_run(m.group(1)))]
    found += [(n, "sign-off") for n in signed_orgs]
    found += [(n, "from line") for n in from_orgs]

    def confirmed(name: str, where: str) -> bool:
        if noun.fullmatch(name) and len(name.split()) == 1:
            # A bare noun ("Organisation:", "Council") names nobody; a consultation's own
            # name of a body ("Federation of Small Businesses") is a name.
            return False
        if where == "form field":
            return True  # the form asked for the organisation
        if where in ("sign-off", "from line") and singular >= 2 and singular > plural:
            return False  # "Amy Lee, Teaching Assistant, Oak School" writing as "I": her employer
        if is_person(name) and not noun.search(name) and name not in described:
            return bool(plural > singular and not authorship_words()["person_titles"].match(name))
        return bool(noun.search(name) or name in described or plural > singular)

    # The consulting body is turned down as the author unless a unit of it is answering.
    asks = bool(consulting) and not _unit_of(consulting, lines[:3])
    kept = [
        (n, w)
        for n, w in found
        if confirmed(n, w) and not (asks and consulting_body(n, consulting))
    ]
    # "Response from Alison Trent, a retired head teacher": the author named as a person.
    person = person or any(w == "title" and is_person(n) for n, w in found if (n, w) not in kept)
    typed = [(n, w) for n, w in kept if type_noun(rules).search(n)]
    org, where = (typed or kept or [(None, None)])[0]
    personal_text = head + "\n" + "\n".join(block)
    named_as, named_couple = _named_as(
        [ln for ln in lines[:2] if not _SALUTATION.match(ln) or _FROM_WORD.match(ln)], noun
    )
    return Authorship(
        organisation=org,
        where=where,
        personal=whole("personal_capacity").search(personal_text) is not None,
        personal_role=whole("personal_role").search(head[:1500]) is not None,
        signed_by_person=person,
        signer_role=any(whole("role_words").search(line) for line in block),
        household=_signed_by_couple(text, block, noun)
        or named_couple
        or whole("household").search(head[:3000]) is not None,
        signed_as=_signed_as(block),
        named_as=named_as,
        office_reference=whole("office_reference").search(text[:600]) is not None,
        business=whole("business_owner").search(personal_text) is not None,
    )
