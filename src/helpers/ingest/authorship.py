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

__all__ = ["Authorship", "consulting_body", "find_authorship", "voice"]


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


# --- Where names are written -------------------------------------------------------------

_RESPONSE_TITLE = re.compile(
    r"^\s*(?:the\s+)?(.{2,80}?)(?:['’]s)?:?\s+(?:response|submission|evidence|comments)"
    r"(?:\s+(?:to|on)\b|\s*[,.;:(–—-]|\s*$)",
    re.IGNORECASE,
)
_RESPONSE_FROM = re.compile(
    r"\b(?i:response|submission|evidence|comments) (?i:from|by|of) (?:[Tt]he )?([A-Z][^\n.,:;]{1,80})"
)
_ON_BEHALF = re.compile(r"\bon behalf of (?:the )?([A-Z][^\n.,:;]{1,80})")
# A title whose name follows a dash or colon: "Consultation response form – Open Door Trust".
_TITLE_DASH = re.compile(
    r"^\W*(?:(?:consultation|our|formal|written)\s+)?(?:response|submission|evidence|comments)"
    r"(?:\s+form)?(?:\s+(?:to|on)\b[^\n–—:|-]{0,80})?\s*(?:[–—:|]|\s-)\s*(?:the\s+)?([A-Z][^\n]{1,80})$",
    re.IGNORECASE,
)
# A form or paper naming who filled it in: "completed by the Designated Teacher lead, X Trust".
_COMPLETED_BY = re.compile(
    r"\b(?:completed|submitted|prepared|compiled|written)\s+by:?\s+(\S[^\n]{1,150})$", re.IGNORECASE
)
# A line opening the response proper: "Submission to …", "Response to the consultation".
_TITLE_LINE = re.compile(
    r"^\W*(?:(?:consultation|our|formal|written)\s+)?(?:response|submission|evidence)\b"
    r"(?!\s+to\s+(?:question|q\b|q\s*\.?\s*\d))",  # "Response to Q1" heads an answer, not a paper
    re.IGNORECASE,
)
_ABOUT = re.compile(r"^About (?:the )?([A-Z][^\n:–—]{1,60}?)(?:\s*:|\s+[-–—]|\s*$)", re.MULTILINE)
_WE_ARE = re.compile(r"\bWe are (?:the )?([A-Z][^\n.,:;]{1,80})")
# "<Name> is a small charity …", "<The Name> represents …" at a sentence start.
_SELF = re.compile(
    r"(?:^|(?<=[.!?]\s))((?:The\s+)?[A-Z][^\n.!?]{0,80}?)\s+"
    r"(?:is\s+(?:a|an|the)\s+([^.\n]{0,80})|(represents|welcomes|responds|is pleased|is grateful))",
    re.MULTILINE,
)
# A form's organisation field: "Organisation (if applicable): Fairway Youth Housing".
_FIELD = re.compile(
    r"^\W*(?:(?:your |name of (?:your )?)?(?:organisation|organization|company|employer)"
    r"(?: name)?(?: \([^)\n]{0,30}\))?)\s*[:\-–]\s*(\S[^\n]{1,100})$",
    re.IGNORECASE | re.MULTILINE,
)
# Session 19 (batch 21, unseen): a form's organisation box printed as a label on its own line
# with the answer below it ("Name of organisation and who it represents" / "Wharf Road …
# Residents' Association, 210 households"; "Who are you responding for?" / "The Widening
# Participation Office of the University of …"). The label names what the box asks for; the
# name is the next non-blank line up to its first clause break.
_FIELD_LABEL = re.compile(
    r"^([^\n]{0,60}?\b(?:name of (?:your |the |responding )?(?:organisation|organization|company|"
    r"body|group)|(?:your |the )?(?:organisation|organization)(?:['’]s)? name|"
    r"responding (?:for|on behalf of)|on whose behalf)\b[^\n]{0,80})\n[ \t]*\n?[ \t]*(\S[^\n]{1,200})",
    re.IGNORECASE | re.MULTILINE,
)
_CLAUSE_END = re.compile(r"[.;:,(]\s|\s[–—-]\s|[.;:]$")
_FROM_LINE = re.compile(r"^(?:.*\s)?from\s*:\s*(\S.{1,150})$", re.IGNORECASE)
# "From Jo Reid, …" or "From: Jo and Sam Reid, foster carers" (a letter's opening line).
_FROM_WORD = re.compile(r"^\s*(?i:from|by):?\s+[A-Z]")
_SALUTATION = re.compile(r"^\s*(?:dear|to|re|subject|from|date|sent|cc)\b", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?::\s|\s+c/o\s+|\s+[–—-]\s+|,\s*|\s+\|\s+)\s*", re.IGNORECASE)


def _addressee_cut(candidate: str) -> str | None:
    """The name in "response of X to the Y": without a one-word addressee ("to the Ofsted").

    A name can contain "to" ("Access to Care Records Campaign Group"), so only
    a single trailing word after "to (the)" is taken for the addressee, or a
    run ending in a word for the consultation itself ("… to Kingsford City
    Council's consultation"; ``consultation_words`` in ``authorship.yaml``).
    """
    # "Response from Bethania Chapel to Kingsford City Council's consultation": what follows
    # "to" names the consultation (session 10, transport-9), not the author.
    addressed = re.search(
        r"\s+to\s+(?:(?!\s+to\s)[^\n]){0,80}?\b(?:"
        + authorship_words()["consultation_words"].pattern
        + r")\b(?!\s+(?-i:[A-Z]))",
        candidate,
        re.IGNORECASE,
    )
    if addressed:
        candidate = candidate[: addressed.start()]
    name = name_run(candidate)
    return re.sub(r"\s+to\s+(?:the\s+)?\S+$", "", name) if name else None


def _letterhead(lines: list[str], noun: re.Pattern[str]) -> str | None:
    """An organisation's name heading the first or second line ("WESTBROOK DISTRICT COUNCIL").

    A first line that is only a name with no organisation noun ("Open Doors Youth
    Housing") counts when the next line is the response's title ("Submission to
    Ofsted, October 2022"): a letterhead over a title names the author. It is still
    confirmed only by the text speaking as "we" (``find_authorship``). A line
    holding a receiving office's stamp ("SCANNED 17/10/2022", "PAGE 1";
    ``received_stamps`` in ``authorship.yaml``) names the office that logged the
    letter, not its writer, and is skipped.
    """
    if len(lines) >= 2 and _TITLE_LINE.match(lines[1]) and not _SALUTATION.match(lines[0]):
        head = without_the(title_case(lines[0].strip("#*_ ")))
        name = name_run(head)
        if name and name == head.rstrip(".") and not whole("person_titles").match(name):
            return name
    for line in lines[:2]:
        if _SALUTATION.match(line) or len(line.split()) > 25:
            continue
        if whole("received_stamps").search(line):
            continue  # "… COUNCIL – SCANNED 17/10/2022": the receiving office's stamp
        head = without_the(title_case(_SPLIT.split(line.strip("#*_ "))[0]))
        # "Orchard Road Residents' Association (Kingsford KF4)": a place or postcode in brackets
        # after the name is an address, not part of it (an acronym "(AIRO)" is kept).
        head = re.sub(r"\s*\((?![A-Z]{2,10}\))[^()\n]{1,40}\)$", "", head)
        name = name_run(head)
        # The whole line (up to a colon, dash or comma) is the name: not "The Centre conducts …".
        if (
            name == head.rstrip(".")
            and noun.search(name)
            and not whole("person_titles").match(name)
        ):
            return name
        if dashed := _dashed_name(line, noun):
            return dashed
    return None


def _dashed_name(line: str, noun: re.Pattern[str]) -> str | None:
    """A letterhead of a short name and what it is, joined by a dash: "Ablaze – Disabled Young
    People's Network" (session 17, batch 19). Both sides must be names (every word capitalised
    or a connector) and the second must hold an organisation noun; the whole line is the name,
    so the second half's noun types it. "Response – Q1" or "Jo Reid – care leaver" are not."""
    parts = re.split(r"\s+[–—-]\s+", title_case(line.strip("#*_ ")))
    if len(parts) != 2:
        return None
    first, second = (without_the(p.strip()) for p in parts)
    if name_run(first) != first or name_run(second) != second.rstrip("."):
        return None
    if not noun.search(second) or whole("person_titles").match(first):
        return None
    return f"{first} – {second.rstrip('.')}"


def _sign_off(lines: list[str]) -> list[str]:
    """The sign-off block: lines after the last valediction, else trailing name-like lines.

    Only the last 12 lines are read; a valediction line has at most 8 words
    ("Thank you for the opportunity to comment …" is a sentence, not a
    valediction).
    """
    valediction = authorship_words()["valedictions"]
    tail = lines[-12:]
    for i in range(len(tail) - 1, -1, -1):
        m = re.match(r"\W*(?:" + valediction.pattern + r")\b[^,\n]*[,.!]?\s*", tail[i], re.I)
        if m and len(tail[i].split()) <= 8:
            rest = tail[i][m.end() :].strip()
            return ([rest] if rest else []) + tail[i + 1 : i + 6]
        m = re.search(r"\b(?:" + valediction.pattern + r")\b[^,]*,\s*([^,]{2,60})$", tail[i], re.I)
        if m and i == len(tail) - 1:
            return [m.group(1)]
    block = []
    for line in reversed(tail[-3:]):
        n = len(line.split())
        # Without a valediction a lone word is an answer ("Agree"), not a name; an initial is.
        if n > 12 or (n == 1 and len(line) > 3) or re.search(r"[a-z][.?!]$", line):
            break
        block.insert(0, line)
    return block


def _sign_off_names(block: list[str], noun: re.Pattern[str]) -> tuple[list[str], bool]:
    """Organisation names in a sign-off block, and whether it is signed by a person."""
    role = whole("role_words")
    parts = [
        p
        for line in block
        for p in _SPLIT.split(re.sub(r"^contact:\s*", "", line, flags=re.I))
        if p
    ]
    orgs: list[str] = []
    after_role = False
    for part in parts:
        behalf = _ON_BEHALF.search(part)
        if behalf and (name := name_run(behalf.group(1))):
            orgs.append(name)
            continue
        name = name_run(part)
        if not name or name != part.strip().rstrip(".,;:"):
            after_role = False
            continue
        if role.search(name):
            after_role = True
            continue
        if noun.search(name) or after_role:
            orgs.append(name)
        after_role = False
    person = bool(parts) and is_person(parts[0].strip()) and not orgs
    return orgs, person


def _signed_by_couple(text: str, block: list[str], noun: re.Pattern[str]) -> bool:
    """The sign-off after a valediction starts with two people's names ("Peter and Anne Marsden").

    Only after a valediction ("With best wishes,"): a line of two capitalised names
    elsewhere is as likely a heading ("Health and Social Care").
    """
    tail = [ln.strip() for ln in text[-3000:].split("\n") if ln.strip()][-12:]
    valediction = authorship_words()["valedictions"]
    if not any(re.match(r"\W*(?:" + valediction.pattern + r")\b", ln, re.I) for ln in tail):
        return False
    for line in block[:2]:
        first = _SPLIT.split(line.strip())[0]
        if first and is_couple(first) and not noun.search(first):
            return True
    return False


_COUPLE = re.compile(r"^(.{1,40}?)\s+(?:and|&)\s+(.{1,40})$")


def is_couple(name: str) -> bool:
    """Two people signing together: "Peter and Anne Marsden", "Mr and Mrs Patel", "Jo & Sam Reid".

    Each side must read as a person's name (or a lone capitalised given name or title
    on the left); "Marsh and Partners" has an organisation noun on the right and the
    caller rules it out.
    """
    m = _COUPLE.match(name.strip().rstrip(".,"))
    if not m:
        return False
    left, right = m.group(1).strip(), m.group(2).strip()
    given = re.fullmatch(r"[A-Z][a-z'’-]+", left) is not None
    titled = whole("person_titles").fullmatch(left.rstrip(".")) is not None
    words = right.split()
    if titled:  # "Mr and Mrs Patel"
        return is_person(right) and len(words) <= 3
    # "Peter and Anne Marsden": a given name, then a given name and a surname
    return given and 2 <= len(words) <= 3 and is_person(right)


_SIGNED_AS = re.compile(r"^([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*\(([^()\n]{2,40})\)\s*$")
# "From Glenys and Tomasz Reid, foster carers for eleven years", "Jo Reid – care leavers' group":
# a person (or two) named at the top, then what they are, after a comma or a dash.
_NAMED_AS = re.compile(
    r"^(?:(?i:from|by):?\s+)?([A-Z][\w'’.-]*(?:\s+(?:and|&|[A-Z][\w'’.-]*)){0,5})"
    r"\s*(?:,|\s[–—-])\s*([^;:()\n]{3,80}?)(?:\s*\([^()\n]{1,80}\))?[.!]?$"
)


def _signed_as(block: list[str]) -> str | None:
    """The role in a bracket after a signer's name ("Jo (care leaver)", "Sam Reid (parent)").

    The caller maps it with the respondent types' answer words, so only the
    consultation's own words for a kind of person make it evidence.
    """
    for line in block[:3]:
        m = _SIGNED_AS.match(line.strip())
        if m and is_person(m.group(1)):
            return m.group(2).strip()
    return None


def _named_as(lines: list[str], noun: re.Pattern[str]) -> tuple[str | None, bool]:
    """What the opening line says its writer is, and whether it names two people.

    Session 10 (ofsted-docs-12): "From Glenys and Tomasz Wrobel-Hart, foster
    carers for eleven years." opens a response the way a sign-off closes one: a
    person's name (or a couple's: ``is_couple``), then what they are. Only the
    first two lines are read, and only a name of one to six capitalised words;
    the description is returned for the caller to read with the respondent
    types' words (``respondent_types.described_type``).
    """
    role = whole("role_words")
    for i, line in enumerate(lines[:2]):
        m = _NAMED_AS.match(line.strip().strip("#*_ "))
        if not m:
            # "Peter and Anne Marsden" alone on the first line over an address line ("Victoria
            # Road, Kingsford"): a couple heads their letter as a sign-off would close it. Over
            # a sentence the names could be a heading, and the "we" stays anonymous.
            address = len(lines) > 1 and re.fullmatch(r"[^.!?:]{3,60},[^.!?:]{2,40}", lines[1])
            if i == 0 and address and is_couple(line.strip()) and not noun.search(line):
                return None, True
            continue
        name, what = m.group(1).strip(), m.group(2).strip()
        couple = is_couple(name)
        if (couple or is_person(name)) and not (noun.search(name) or role.search(name)):
            return what, couple
    return None, False


# "Not Done at 18 – our": a title naming its author before a dash or colon and "our".
_OUR_TITLE = re.compile(r"^(.{2,60}?)\s*(?:[–—:|]|\s-)\s*our\W*$", re.IGNORECASE)


def _titled(name: str, lines: list[str]) -> bool:
    """Whether ``name`` (two words or more) opens the first or second line, up to a dash,
    colon or comma: the letterhead or title names it.

    Session 20 (batch 22, unseen): "Not Done at 18 – our response to Ofsted" over "Not
    Done at 18 is a campaign run by …": the self-description's subject starts with a
    stopword ("Not"), which the rule turns down as a pronoun ("That is a …"); a subject
    the title spells out word for word is the respondent's name, not a pronoun.
    """
    if len(name.split()) < 2:
        return False
    return any(
        re.match(re.escape(name) + r"\s*(?:$|[–—:,|]|\s-\s)", ln.strip("#*_ ")) for ln in lines
    )


def _all_capitalised(words: str) -> bool:
    """Every word of ``words`` (at most six) starts with a capital letter."""
    split = words.rstrip(",;:").split()
    return 2 <= len(split) <= 6 and all(w[0].isupper() for w in split)


def _plain_name(v: str) -> str:
    """A body's name as two spellings of it compare: no leading "the", case and spacing
    folded ("The  Kingsford City Council" and "kingsford city council")."""
    return " ".join(without_the(v.strip()).casefold().split())


def consulting_body(name: str, consulting: str | None) -> bool:
    """Whether ``name`` is the consulting body itself (``consulting``: the consultation's
    ``organisation``), as a form's or a phone line's title prints it ("Kingsford City Council
    – Riverside consultation response form"). Session 19 (batch 21, unseen): a residents'
    association's form was typed a local authority by the council's own name in the form's
    title, and (transport-13) a caller's note taken by the council's phone line. The body that
    asks is not the one that answers; a name that only contains it ("Ofsted Parents' Forum")
    is another body, and a unit of it is kept (:func:`_unit_of`)."""
    return bool(consulting) and _plain_name(name) == _plain_name(consulting or "")


def _unit_of(consulting: str | None, lines: list[str]) -> bool:
    """Whether an opening line names a unit of the consulting body ("Kingsford City Council –
    Public Health Team"): its name, a dash or colon, then only a name (a department answering
    its own body's consultation, transport-19). "… – Riverside consultation response form" is
    a title, not a unit."""
    if not consulting:
        return False
    c = re.escape(consulting.strip())
    for line in lines:
        m = re.match(rf"\W*(?:the\s+)?{c}\s*[–—:-]\s*(\S.*)$", line.strip(), re.IGNORECASE)
        if m and name_run(m.group(1)) == m.group(1).strip().rstrip("."):
            return True
    return False


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
