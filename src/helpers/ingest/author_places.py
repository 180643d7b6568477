"""Where a response names its author: the patterns of titles, letterheads and form fields.

Split from ``authorship`` (session 21, behaviour identical): the places a name is
read from (a letterhead, a title "X response to …", "on behalf of X", a form's
organisation field, "About X", a self-description "X is a small charity …") and
the checks on a candidate (the consulting body itself, a unit of it, a title
spelling the name out). ``authorship.find_authorship`` reads these places and
decides which candidate is confirmed an organisation.
"""

from __future__ import annotations

import re

from helpers.ingest.names import authorship_words, name_run, title_case, whole, without_the

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
        if unit := _unit_line(line, noun):
            return unit
    return None


def _unit_line(line: str, noun: re.Pattern[str]) -> str | None:
    """The organisation a letterhead's later part names, after a unit of it: "Oak Class (Year
    6), St Aidan's CE Primary School, Canal Street" (session 21, batch 23, unseen).

    A heading line of comma-, dash- or bar-separated names (a class, team or branch, then
    the body it belongs to, then an address) names its body in a later part; the first part
    is turned down by :func:`_letterhead` when it has no organisation noun. Every part must
    be a name (no sentence, no lower-case words), none a job title (``role_words``: "Jo
    Reid, Teacher, Oak School" is a person naming an employer), and the first part not a
    person's title ("Dr …"); the second part, when it has an organisation noun, is the name.
    """
    parts = [p.strip() for p in _SPLIT.split(line.strip("#*_ ")) if p.strip()]
    if len(parts) < 2 or len(parts) > 4 or len(line.split()) > 16:
        return None
    parts = [re.sub(r"\s*\([^()\n]{1,40}\)$", "", p) for p in parts]
    if any(name_run(p) != p.rstrip(".") for p in parts):
        return None
    if any(whole("role_words").search(p) for p in parts) or whole("person_titles").match(parts[0]):
        return None
    # The body right after the unit: "Jo Reid, Teacher, Oak School" has a job title between.
    return without_the(parts[1].rstrip(".")) if noun.search(parts[1]) else None


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
