"""Names of people and organisations: the generic words, name runs, persons, placeholders.

The building blocks of ``ingest.authorship``: the generic English words of
``helpers/data/authorship.yaml`` (valedictions, organisation nouns, job
titles, personal-capacity phrases, placeholders), compiled once; the run of
capitalised words that makes a name; whether a name is a person's; and
whether an "organisation" field names anybody at all.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml

from helpers.core.consultation import RespondentTypeRules, default_respondent_types
from helpers.core.text import stopwords

__all__ = [
    "authorship_lists",
    "authorship_words",
    "is_person",
    "is_placeholder_organisation",
    "name_run",
    "org_noun",
    "organisation_name",
    "title_case",
    "type_noun",
    "whole",
]


@functools.cache
def authorship_lists() -> dict[str, list[str]]:
    """``helpers/data/authorship.yaml`` as written: each key's list of entries."""
    return yaml.safe_load(
        resources.files("helpers").joinpath("data", "authorship.yaml").read_text("utf-8")
    )


@functools.cache
def authorship_words() -> dict[str, re.Pattern[str]]:
    """``helpers/data/authorship.yaml``, each list compiled into one alternation."""
    raw = authorship_lists()
    return {
        key: re.compile(r"(?:" + "|".join(f"(?:{w})" for w in words) + r")", re.IGNORECASE)
        for key, words in raw.items()
    }


def whole(key: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])" + authorship_words()[key].pattern + r"(?![\w'])", re.IGNORECASE)


@functools.lru_cache(maxsize=32)
def org_noun(rules: RespondentTypeRules) -> re.Pattern[str]:
    """Organisation nouns: the generic list plus every respondent type's ``names``."""
    names = [n for _, p in rules.types for n in p.names]
    alternation = "|".join([authorship_words()["organisation_words"].pattern, *names])
    return re.compile(r"(?<![\w'])(?:" + alternation + r")(?![\w'])", re.IGNORECASE)


@functools.lru_cache(maxsize=32)
def type_noun(rules: RespondentTypeRules) -> re.Pattern[str]:
    """Any respondent type's ``names`` word: a name that has one shows its type."""
    names = [n for _, p in rules.types for n in p.names] or ["(?!)"]
    return re.compile(r"\b(?:" + "|".join(names) + r")\b", re.IGNORECASE)


def is_placeholder_organisation(value: str | None) -> bool:
    """True for an organisation-column value that names nobody ("n/a", "-", "Individual").

    Survey respondents who answer as themselves fill a required "organisation"
    box with such words; they are not organisations.
    """
    v = " ".join(str(value or "").split()).strip()
    return (
        bool(v)
        and re.fullmatch(authorship_words()["placeholder_organisations"].pattern, v, re.I)
        is not None
    )


def without_the(text: str) -> str:
    """``text`` without a leading "the" ("The Guild of X" → "Guild of X"): a body's name is
    written with and without it, so names are compared and checked without it."""
    return re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)


def organisation_name(value: str, rules: RespondentTypeRules | None = None) -> str | None:
    """``value`` when it is wholly an organisation's name (it has an organisation noun), else None.

    For a field that holds either a person's or an organisation's name, such
    as an e-mail's From display name: "Westbrook District Council" is kept,
    "Jane Doe" and "Jane Doe (Northshire Council)" are not.
    """
    v = " ".join(value.split()).strip(" \"'")
    name = name_run(without_the(v))
    noun = org_noun(rules if rules is not None else default_respondent_types())
    if name and name == v.removeprefix("The ").removeprefix("the ") and noun.search(name):
        return v[:200]
    return None


# --- Names -----------------------------------------------------------------------------

_CONNECTORS = {"of", "to", "for", "and", "the", "in", "on", "&", "de", "at", "upon"}
_NOT_NAMES = {
    "a", "an", "about", "dear", "full", "i", "joint", "my", "our", "please", "re", "response",
    "subject", "the", "this", "these", "us", "we", "your", "consultation", "draft", "to",
    "from", "question", "answer", "q", "submission", "comments", "hi", "hello",
    # Session 17: a question word opens a sentence, not a name ("How to read this response.").
    "how", "what", "why", "when", "where", "who", "which",
}  # fmt: skip


def name_run(candidate: str) -> str | None:
    """The leading run of name-like words ('Leeds City Council and we' → 'Leeds City Council').

    A name-like word starts with a capital or digit, is an acronym in
    brackets, or is a connector inside a name ('Access to Care Records'). A
    word ending in a comma or colon ends the name; trailing punctuation is
    dropped.
    """
    words: list[str] = []
    for w in candidate.split():
        if w[0].isupper() or w[0].isdigit() or re.fullmatch(r"\([A-Z]{2,10}\)", w):
            words.append(w)
        elif w.lower() in _CONNECTORS and words:
            words.append(w)
        else:
            break
        if w[-1] in ",:;":
            break
    words = [w.rstrip(",:;.") for w in words]
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if not words or words[0].lower().strip("'’") in _NOT_NAMES:
        return None
    return " ".join(words)


def title_case(line: str) -> str:
    """An all-capitals letterhead in title case ('THE GUILD OF X' → 'The Guild of X')."""
    if any(c.islower() for c in line):
        return line
    out = []
    for i, w in enumerate(line.split()):
        if i and w.lower() in _CONNECTORS:
            out.append(w.lower())
        elif len(w.strip("'’")) <= 3 and i and w.lower() not in _CONNECTORS:
            out.append(w)  # acronyms: CE, NHS, LLP
        else:
            out.append(w[0] + w[1:].lower())
    return " ".join(out)


def is_person(name: str) -> bool:
    """A person's name: a title ("Dr", "Cllr") or 1–5 capitalised words/initials.

    Function words rule a name out ("Any Other Comments" is a heading, not a
    signature); the caller checks for organisation nouns.
    """
    words = name.replace("(", " ").replace(")", " ").split()
    if not words or len(words) > 5 or any(len(w) > 24 for w in words):
        return False
    if whole("person_titles").fullmatch(words[0].rstrip(".")):
        return True
    if any(c.isdigit() for c in name) or "/" in name or "@" in name:
        return False
    # Function words (the package's stopwords) are never part of a name.
    if any(w.lower().strip(".,'’") in stopwords() for w in words):
        return False
    return all(re.fullmatch(r"[A-Z][\w'’.-]*", w) for w in words if w.lower() not in {"mp"})
