"""Personal data out of everything shared: typed placeholders instead of the values.

:func:`redact` replaces, in a piece of respondent text, what identifies a
person with a placeholder naming its kind:

==================  ==========================================================
``[email]``         jane.smith@example.co.uk
``[phone]``         UK numbers: 07700 900123, +44 (0)7700 900 123, (020) 7946 0018,
                    01632 960961, 0161-496-0000
``[postcode]``      UK postcodes: KF4 2NW, SW1A 1AA, ec1a1bb
``[address]``       a house number, street name and suffix ("14 Mill Lane"), a
                    flat or unit in a named building ("Flat 3, Mill House")
``[ni_number]``     national insurance numbers: AB123456C, AB 12 34 56 C
``[date_of_birth]`` the date after "born", "DOB" or "date of birth"
``[url]``           a person's own page: a URL on a social or personal site
                    (``personal_sites`` in ``data/redaction_en.yaml``); other URLs
                    (organisations', GOV.UK, legislation) stay
``[handle]``        @handles
``[name]``          after "My name is" / "I'm called", on the line after a sign-off
                    ("Kind regards,\\nJane Smith"), after "From:"/"Name:" labels,
                    and any name the caller knows (``names``: metadata)
==================  ==========================================================

Organisations' names stay: a name candidate holding an organisation word
("Leeds City Council", "Foster Carers Network") is left alone. Numbers that are
not personal (years, "Section 2", "18 months", "24 hours", "£1,200", question
numbers, "Children Act 1989") do not match any rule.

Findings are ``(kind, start, end)`` offsets into the *original* text: never the
value, so a log of them holds no personal data. Own regular expressions, not
a library: presidio-analyzer's pattern recognisers are US-centred (no UK
postcode, address or NI rule without custom recognisers) and its analyzer
engine loads a spaCy model; scrubadub's UK postcode and phone detectors need
``phonenumbers`` and its name detectors need models. The rules here are a
few dozen lines, offline, deterministic and tested on UK formats
(``tests/test_redact.py``).

Core: imports no stage.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers.core.safecsv import write_csv

__all__ = [
    "KINDS",
    "LOG_COLUMNS",
    "redact",
    "redact_frame",
    "redact_value",
    "write_log",
]

KINDS = (
    "email",
    "url",
    "handle",
    "ni_number",
    "date_of_birth",
    "phone",
    "postcode",
    "address",
    "name",
)
LOG_COLUMNS = ["source", "table", "kind", "respondent_id", "question_id", "count"]
LOG_FILE = "redaction_log.csv"
_DATA = Path(__file__).resolve().parent.parent / "data" / "redaction_en.yaml"

Finding = tuple[str, int, int]


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` (longest first, spaces as any whitespace)."""
    parts = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
# A person's name: optional title, optional initials, one to four capitalised words.
_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Cllr|Councillor|Rev|Revd)\.?\s+)"
_WORD = r"[A-Z][a-zA-Z'’\-]+"
_NAME = (
    rf"{_TITLE}?(?:(?:[A-Z]\.\s*){{1,3}}{_WORD}|{_WORD}(?:[ \t]+(?:[A-Z]\.[ \t]*)?{_WORD}){{0,3}})"
)


@functools.lru_cache(maxsize=1)
def _rules() -> dict[str, re.Pattern[str] | frozenset[str] | tuple[str, ...]]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    street = _alt(data["street_suffixes"])
    building = _alt(data["building_suffixes"])
    return {
        "email": re.compile(
            r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
        ),
        "url": re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]"),
        "handle": re.compile(r"(?<![\w@./])@[A-Za-z0-9_]{2,30}\b(?![(]|\.[A-Za-z])"),
        "ni_number": re.compile(
            r"(?i)\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
            r"[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D]\b"
        ),
        "date_of_birth": re.compile(
            rf"(?i)\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth)\s*(?:is\s+|was\s+)?[:\-–]?\s*"
            rf"(?P<v>{_DATE})"
        ),
        "phone": re.compile(
            r"(?<![\w£$€.,/])(?:\+44[ \t]?(?:\(0\)[ \t]?)?|\(?0)\d(?:[ \t\-()]{0,2}\d){8,9}(?![\d/])"
        ),
        "postcode": re.compile(
            r"(?i)\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR)[ \t]*\d[ABD-HJLNP-UW-Z]{2}\b"
        ),
        "address": re.compile(
            rf"(?:\b(?:Flat|Apartment|Apt\.?|Unit|Room)\s+\d+[A-Za-z]?,?\s+"
            rf"(?:{_WORD}\s+){{0,3}}(?-i:[A-Z])(?i:[a-z]*)\s*(?i:{building}|{street})\b"
            rf"|\b\d{{1,3}}[A-Za-z]?,?\s+(?:{_WORD}\s+){{1,3}}(?i:{street})\b)"
        ),
        "name_cue": re.compile(rf"(?i:\b(?:{_alt(data['name_cues'])}))\s+(?P<v>{_NAME})"),
        "name_label": re.compile(
            rf"(?m)^[ \t>*]*(?i:{_alt(data['name_labels'])})[ \t]*:[ \t]*"
            rf"(?P<v>{_WORD},[ \t]*{_WORD}(?=[ \t]*<)|{_NAME})"
        ),
        # "Eleanor Vance, 22 Orchard Road": a name opening a line, then an address.
        "name_address": re.compile(
            rf"(?m)^[ \t>*_-]*(?P<v>{_NAME}),[ \t]*(?=(?:Flat|Apartment|Unit)\s+\d"
            rf"|\d{{1,3}}[A-Za-z]?,?\s+(?:{_WORD}\s+){{1,3}}(?i:{street})\b)"
        ),
        "name_tail": re.compile(r"[ \t]+[a-z][a-z \t]*"),
        "sign_off": re.compile(
            rf"(?im)^[ \t>*_-]*(?:{_alt(data['sign_offs'])})[ \t]*,?[ \t]*\n(?:[ \t]*\n)?"
            rf"[ \t>*_-]*(?-i:(?P<v>{_NAME}))"
        ),
        "sign_off_start": re.compile(rf"(?i)(?:{_alt(data['sign_offs'])})\b"),
        "org_words": frozenset(w.lower() for w in data["organisation_words"]),
        "personal_sites": tuple(s.lower() for s in data["personal_sites"]),
    }


@functools.lru_cache(maxsize=1)
def _triggers() -> dict[str, re.Pattern[str]]:
    """Patterns for :func:`could_hold_personal_data`, each with a fast first character or literal."""
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return {
        # after a digit: NI number (six digits in pairs), phone (nine digits with
        # separators), postcode (the inward code: digit, two letters), address and a
        # name before one (a number, then a capitalised word)
        "digit": re.compile(
            r"\d(?:\d[ \t]?\d{2}[ \t]?\d{2}|(?:[ \t\-()]{0,2}\d){8}|(?i:[a-z]{2})"
            r"|[A-Za-z]?,?\s+[A-Z])"
        ),
        "flat": re.compile(r"\b(?:Flat|Apartment|Apt\.?|Unit|Room)\s+\d"),
        "born": re.compile(r"(?i)\b(?:born|d\.?o\.?b|date\s+of\s+birth)"),
        "www": re.compile(r"(?i:www\.)"),
        "cue": re.compile(r"(?i)\b(?:my\s+name|called)"),  # every name cue holds one
        # the rules' own openings, anchored at a line start: an alternation of many words
        # tried at every position would cost more than the rules it saves
        "label": re.compile(rf"(?m)^[ \t>*]*(?i:{_alt(data['name_labels'])})[ \t]*:"),
        "sign_off": re.compile(rf"(?im)^[ \t>*_-]*(?:{_alt(data['sign_offs'])})[ \t]*,?[ \t]*\n"),
        "any_digit": re.compile(r"\d"),
    }


def could_hold_personal_data(text: str) -> bool:
    """False when no rule of :func:`redact` can find anything in ``text`` (names given apart).

    Checks a piece that any match of each rule must contain, with the rule's own
    character classes and case flags: ``@`` (e-mail, handle), ``://`` or ``www.``
    (URL), after a digit the shapes of an NI number, a phone number, a postcode's
    inward code or a house number before a capitalised word (address, and a name
    before an address), "Flat 3" (address), a birth cue (date of birth, which also
    needs a digit), a name cue, a name label then a colon, a sign-off then a line
    break. Cheap tests first (``in``, one character class), so plain prose costs a
    few scans instead of every rule: at 10,000 respondents the rules, run on every
    cell, were a fifth of the analysis stage (issue 15).
    """
    t = _triggers()
    if "@" in text or "://" in text or t["www"].search(text):
        return True
    if t["any_digit"].search(text) and (
        t["digit"].search(text) or t["flat"].search(text) or t["born"].search(text)
    ):
        return True
    if t["cue"].search(text):
        return True
    if ":" in text and t["label"].search(text):
        return True
    return "\n" in text and t["sign_off"].search(text) is not None


# Literal pieces, at least one of which every text ``could_hold_personal_data`` passes
# holds: "@", "://", "www." (any case), a digit (Unicode ``\d``, RE2's ``\p{Nd}``), "name"
# or "called" (any case: every name cue), ":" (a name label), a line break (a sign-off).
_MAYBE_LITERALS = ("@", "://", ":", "\n")
_MAYBE_ANY_CASE = ("www.", "name", "called")


def could_hold_personal_data_many(texts: Sequence[str]) -> np.ndarray:
    """For each of ``texts`` (str), False when :func:`could_hold_personal_data` is False for
    certain; True means "maybe": ask :func:`could_hold_personal_data` (or :func:`redact`).

    One vectorised pass per literal piece (pyarrow's compute kernels) instead of a Python
    call per text: each piece is one that a text the prefilter passes must contain
    (``_MAYBE_LITERALS``, ``_MAYBE_ANY_CASE``, a digit), so the test is a superset of the
    prefilter and the rules' findings are the same (issue 15: the prefilter, called once
    per distinct text, was the largest part of redacting 2.3 M evidence quotes at 100,000
    respondents). Case-insensitive pieces hold none of the letters (k, s, i) that Python's
    ``re.IGNORECASE`` also matches to a non-ASCII letter.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(list(texts), type=pa.large_string())
    if len(arr) == 0:
        return np.zeros(0, dtype=bool)
    maybe = pc.match_substring_regex(arr, r"\p{Nd}")
    for piece in _MAYBE_LITERALS:
        maybe = pc.or_(maybe, pc.match_substring(arr, piece))
    for piece in _MAYBE_ANY_CASE:
        maybe = pc.or_(maybe, pc.match_substring(arr, piece, ignore_case=True))
    return maybe.to_numpy(zero_copy_only=False).astype(bool)


# A capitalised word that starts a sentence, not a name ("Thanks,\nThe committee").
_NOT_NAMES = frozenset(
    "the a an we i our my this that these those please dear on for in at to and or but if "
    "it as all any no yes see note p.s ps sent".split()
)


def _is_organisation(name: str) -> bool:
    """True when ``name`` is no person's: it holds an organisation word or opens a sentence."""
    words = re.findall(r"[a-z]+", name.lower())
    if not words or words[0] in _NOT_NAMES:
        return True
    return bool(set(words) & _rules()["org_words"])  # type: ignore[operator]


def _postcode_ok(value: str) -> bool:
    # "A1 2nd": an ordinal, not a postcode; mixed case ("Ab1 2Cd") is prose.
    letters = re.sub(r"[^A-Za-z]", "", value)
    return letters.isupper() or letters.islower()


def _phone_ok(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    national = digits[2:] if value.lstrip().startswith("+") else digits[1:]
    if value.lstrip().startswith("+") and "(0)" in value:
        national = national[1:]
    return 9 <= len(national) <= 10 and not national.startswith("0")


def _url_personal(value: str) -> bool:
    low = value.lower()
    return "/~" in low or any(site in low for site in _rules()["personal_sites"])  # type: ignore[union-attr]


def _spans(text: str, names: Sequence[str]) -> list[Finding]:
    rules = _rules()
    found: list[Finding] = []
    for kind in ("email", "url", "handle", "ni_number", "phone", "postcode", "address"):
        for m in rules[kind].finditer(text):  # type: ignore[union-attr]
            v = m.group(0)
            if kind == "phone" and not _phone_ok(v):
                continue
            if kind == "postcode" and not _postcode_ok(v):
                continue
            if kind == "url" and not _url_personal(v):
                continue
            found.append((kind, m.start(), m.end()))
    for m in rules["date_of_birth"].finditer(text):  # type: ignore[union-attr]
        found.append(("date_of_birth", m.start("v"), m.end("v")))
    for rule in ("name_cue", "name_label", "sign_off", "name_address"):
        for m in rules[rule].finditer(text):  # type: ignore[union-attr]
            # The words after the name count too: "Consultation team" is no person.
            tail = rules["name_tail"].match(text, m.end("v"))  # type: ignore[union-attr]
            candidate = m.group("v") + (tail.group(0) if tail else "")
            if not _is_organisation(candidate) and not rules["sign_off_start"].match(m.group("v")):
                found.append(("name", m.start("v"), m.end("v")))
    for name in names:
        name = str(name or "").strip()
        if len(name) >= 3 and not _is_organisation(name):
            pat = re.compile(r"(?<!\w)" + _alt([name]) + r"(?!\w)", re.I)
            found.extend(("name", m.start(), m.end()) for m in pat.finditer(text))
    return found


def _resolve(found: list[Finding]) -> list[Finding]:
    """Non-overlapping findings: earlier kinds in ``KINDS`` first, then longer spans."""
    order = {k: i for i, k in enumerate(KINDS)}
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (order[f[0]], -(f[2] - f[1]), f[1])):
        if all(f[2] <= k[1] or f[1] >= k[2] for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f[1])


def redact(text: str, names: Sequence[str] = ()) -> tuple[str, list[Finding]]:
    """``text`` with personal data as ``[kind]`` placeholders, and the findings.

    ``names``: people's names known from metadata (a respondent's own name),
    replaced wherever they occur. Findings are ``(kind, start, end)`` in the
    original ``text``, in order; the values themselves are never returned.
    Placeholders match no rule, so redacting twice changes nothing.
    """
    if not isinstance(text, str) or not text:
        return text, []
    if not names and not could_hold_personal_data(text):  # plain prose: nothing to find
        return text, []
    findings = _resolve(_spans(text, names))
    if not findings:
        return text, []
    out, pos = [], 0
    for kind, s, e in findings:
        out.append(text[pos:s])
        out.append(f"[{kind}]")
        pos = e
    out.append(text[pos:])
    return "".join(out), findings


def redact_value(value: object) -> object:
    """:func:`redact` for any value: text redacted, anything else unchanged."""
    if isinstance(value, str):
        return redact(value)[0]
    return value


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]


def redact_frame(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    source: str = "",
    table: str = "",
    names: Mapping[str, Sequence[str]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A copy of ``frame`` with its text cells redacted, and the log (``LOG_COLUMNS``).

    ``columns``: the columns to redact (default every text column). The log
    counts findings per kind and place (``respondent_id``, ``question_id`` when
    the frame has them, else blank): never the values. ``names``: people's names
    known from metadata, by respondent id; a row's respondent's names are
    redacted in its cells (see :func:`redact`).

    Each distinct value of a column is redacted once (a sentence coded for several
    themes, campaign copies, labels repeated on every row), and only the values
    :func:`could_hold_personal_data_many` cannot rule out reach :func:`redact`
    (issue 15: a Python step per cell, then the prefilter per distinct text, were most
    of redacting the tables and the report's inputs at 100,000 respondents). Rows whose
    respondent has known ``names`` are redacted one by one, with their names.
    """
    # A shallow copy: columns are replaced, never written in place (copy-on-write), so the
    # caller's frame is untouched; the ids are read as whole columns and only the changed
    # and named rows' ids become Python strings (issue 15: a deep copy and a Python list of
    # every row's ids were most of what redacting 2 M codes held).
    out = frame.copy(deep=False)
    found: list[tuple[int, str]] = []  # (row position, kind) of every finding, in order
    rid = out["respondent_id"].astype(str) if "respondent_id" in out else None
    qid = out["question_id"].astype(str) if "question_id" in out else None
    named = named_ids = None
    if names and rid is not None:
        keys = [k for k, v in names.items() if isinstance(k, str) and v]
        named = rid.isin(keys).to_numpy(dtype=bool)
        at = np.flatnonzero(named)
        named_ids = dict(zip(at.tolist(), rid.iloc[at].tolist(), strict=True))
    for col in columns if columns is not None else _text_columns(out):
        if col not in out or col in ("respondent_id", "question_id"):
            continue
        changes = _redact_column(out[col], named, named_ids, names)
        if not changes:
            continue
        positions = np.fromiter(changes, dtype=np.int64, count=len(changes))
        column = out[col].copy()
        column.iloc[positions] = [red for red, _ in changes.values()]
        out[col] = column
        found.extend(
            (i, kind) for i, (_red, findings) in changes.items() for kind, _s, _e in findings
        )
    at = np.asarray([i for i, _ in found], dtype=np.int64)
    rids = rid.iloc[at].tolist() if rid is not None and len(rid) else [""] * len(at)
    qids = qid.iloc[at].tolist() if qid is not None and len(qid) else [""] * len(at)
    rows = [(source, table, kind, r, q) for (_i, kind), r, q in zip(found, rids, qids, strict=True)]
    log = pd.DataFrame(rows, columns=LOG_COLUMNS[:-1])
    log = log.groupby(LOG_COLUMNS[:-1], sort=True).size().rename("count").reset_index()
    return out, log[LOG_COLUMNS]


def _redact_column(
    column: pd.Series,
    named: np.ndarray | None,
    rid: Mapping[int, str] | None,
    names: Mapping[str, Sequence[str]] | None,
) -> dict[int, tuple[str, list[Finding]]]:
    """Row position -> (redacted text, findings) for the cells of ``column`` that change.

    ``rid``: the respondent id of each ``named`` row, by row position."""
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
    except TypeError:  # unhashable cells (lists, dicts): every cell its own value
        uniques = column.to_numpy(dtype=object)
        codes = np.arange(len(uniques))
    text = np.asarray([isinstance(u, str) and u != "" for u in uniques], dtype=bool)
    redacted: dict[int, tuple[str, list[Finding]]] = {}  # unique position -> result
    maybe = np.flatnonzero(text)
    if len(maybe):
        maybe = maybe[could_hold_personal_data_many(uniques[maybe].tolist())]
    for u in maybe.tolist():
        red, findings = redact(uniques[u])
        if findings:
            redacted[u] = (red, findings)
    changes: dict[int, tuple[str, list[Finding]]] = {}
    if redacted:
        hit = np.zeros(len(uniques), dtype=bool)
        hit[list(redacted)] = True
        rows = np.flatnonzero((codes >= 0) & hit[np.maximum(codes, 0)])
        if named is not None:
            rows = rows[~named[rows]]
        for i in rows.tolist():
            changes[i] = redacted[int(codes[i])]
    if named is not None and rid is not None and names:
        # A respondent's own names (metadata) are redacted in their cells: per row.
        seen: dict[tuple[str, tuple[str, ...]], tuple[str, list[Finding]]] = {}
        for i in np.flatnonzero(named & (codes >= 0)).tolist():
            value = uniques[codes[i]]
            if not (isinstance(value, str) and value):
                continue
            key = (value, tuple(names.get(rid[i], ())))
            done = seen.get(key)
            if done is None:
                done = seen[key] = redact(*key)
            if done[1]:
                changes[i] = done
    return changes


def write_log(log: pd.DataFrame, out_dir: str | Path, source: str) -> Path:
    """Write ``log`` as ``out_dir/redaction_log.csv``, replacing earlier rows of ``source``.

    The analysis and report stages each log what they redacted into the same
    run folder; a re-run of one replaces its own rows and keeps the other's.
    """
    path = Path(out_dir) / LOG_FILE
    frames = [log.assign(source=source)[LOG_COLUMNS]]
    if path.exists():
        old = pd.read_csv(path, dtype=str, keep_default_na=False)
        if list(old.columns) == LOG_COLUMNS:
            frames.insert(0, old[old["source"] != source])
    merged = pd.concat(frames, ignore_index=True).astype({"count": "int64"})
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(merged, path, encoding="utf-8")
