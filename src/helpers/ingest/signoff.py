"""The sign-off block of a response, and the people it names.

Split from ``authorship`` (session 21, behaviour identical): the lines after the
last valediction ("Yours faithfully"), the organisations and persons they name,
two people signing together ("Peter and Anne Marsden"), a role in brackets after
a signer's name ("Jo (care leaver)"), and an opening line naming its writer
("From Jo Reid, foster carer").
"""

from __future__ import annotations

import re

from helpers.ingest.author_places import _ON_BEHALF, _SPLIT
from helpers.ingest.names import authorship_words, is_person, name_run, whole


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
