"""Who responded: a researcher's manifest, or inference from the response itself.

Each document gets an organisation and a respondent type, with where they
came from (``*_source``): a researcher's ``manifest.csv`` wins
(``metadata``), then survey columns (``survey``, set by the reader), then
inference from the opening of the text (``inferred``). Respondent types are
recognised with the consultation's respondent-type words
(``ingest.respondent_types``).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from helpers.core import schemas
from helpers.core.consultation import RespondentTypeRules
from helpers.ingest.readers.text import decode
from helpers.ingest.respondent_types import infer_respondent_type, map_respondent_type

# --- Respondent metadata ---------------------------------------------------------


def load_metadata(
    path: Path, rules: RespondentTypeRules | None = None, data: bytes | None = None
) -> tuple[dict[str, dict[str, str | None]], list[str]]:
    """Read a researcher's respondent metadata CSV.

    Returns ``({key: {"organisation", "respondent_type"}}, warnings)`` where key
    is the ``file`` value (as written) or ``id:<respondent_id>``. Invalid
    respondent types are dropped with a warning naming the CSV line, so the
    type falls back to inference. ``data`` is the file's bytes when the caller
    has already read them safely (the stage reads input files without
    following links; see ``cache.read_input``).
    """
    text, _, _ = decode(path.read_bytes() if data is None else data, path.name)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip() for f in reader.fieldnames or []]
    if "file" not in fields and "respondent_id" not in fields:
        return {}, [
            f"{path.name}: needs a 'file' or 'respondent_id' column; found {fields}; ignored"
        ]
    entries: dict[str, dict[str, str | None]] = {}
    warnings: list[str] = []
    for line_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        key = row.get("file") or (f"id:{row['respondent_id']}" if row.get("respondent_id") else "")
        if not key:
            warnings.append(f"{path.name} line {line_no}: no file or respondent_id; line ignored")
            continue
        rtype = row.get("respondent_type") or None
        if rtype and map_respondent_type(rtype, rules) is None:
            warnings.append(
                f"{path.name} line {line_no}: respondent_type '{rtype}' is not one of "
                f"{list(schemas.RESPONDENT_TYPES)}; inferred instead"
            )
            rtype = None
        entries[key] = {
            "organisation": row.get("organisation") or None,
            "respondent_type": map_respondent_type(rtype, rules) if rtype else None,
        }
    return entries, warnings


def metadata_for(doc: schemas.Document, meta: dict[str, dict[str, str | None]]):
    """The manifest entry for a document: by respondent id, else by file path or name."""
    if f"id:{doc.respondent_id}" in meta:
        return meta[f"id:{doc.respondent_id}"]
    if doc.source_row is None:
        if doc.source_file in meta:
            return meta[doc.source_file]
        base = Path(doc.source_file).name
        if base in meta:
            return meta[base]
    return None


# --- Inference -------------------------------------------------------------------

# Words that start a title-cased phrase but never an organisation's name.
_NOT_NAMES = {
    "a",
    "an",
    "about",
    "dear",
    "full",
    "i",
    "joint",
    "my",
    "our",
    "please",
    "re",
    "response",
    "subject",
    "the",
    "this",
    "these",
    "us",
    "we",
    "your",
    "consultation",
    "draft",
}
_CONNECTORS = {"of", "to", "for", "and", "the", "in", "on", "&", "de"}
_RESPONSE_TITLE = re.compile(
    r"^\s*(?:the\s+)?(.{2,80}?)(?:['’]s)?\s+(?:response|submission|evidence|comments)\s+(?:to|on)\b",
    re.IGNORECASE,
)
_RESPONSE_FROM = re.compile(
    r"\b(?i:response|submission|evidence) (?:from|by) (?:the )?([A-Z][^\n.,:;]{1,80})"
)
_ON_BEHALF = re.compile(r"\bon behalf of (?:the )?([A-Z][^\n.,:;]{1,80})")
_ABOUT = re.compile(r"^About (?:the )?([A-Z][^\n:–—]{1,60}?)(?:\s*:|\s+[-–—]|\s*$)", re.MULTILINE)


def _name_prefix(candidate: str) -> str | None:
    """The leading run of name-like words ('Leeds City Council and we' → 'Leeds City Council').

    A name-like word starts with a capital or digit, is an acronym in
    brackets, or is a connector inside a name ('Access to Care Records').
    """
    words: list[str] = []
    for w in candidate.split():
        if w[0].isupper() or w[0].isdigit() or re.fullmatch(r"\([A-Z]{2,10}\)", w):
            words.append(w)
        elif w.lower() in _CONNECTORS and words:
            words.append(w)
        else:
            break
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if not words or words[0].lower().strip("'’") in _NOT_NAMES:
        return None
    return " ".join(words)


def _expand_acronym(name: str, text: str) -> str:
    """'ACRCG' → 'Access to Care Records Campaign Group (ACRCG)' when the text spells it out."""
    if not re.fullmatch(r"[A-Z]{2,10}", name):
        return name
    m = re.search(
        r"(?:The\s+)?((?:[A-Z][\w'&-]*\s+(?:(?:of|to|for|and|the|in|on)\s+)*){1,10})\("
        + name
        + r"\)",
        text,
    )
    if m and "".join(w[0] for w in m.group(1).split() if w[0].isupper()) == name:
        return f"{' '.join(m.group(1).split())} ({name})"
    return name


def infer_organisation(text: str) -> str | None:
    """Guess the responding organisation from the opening of a response, or None.

    Tried in order: a title like "X response to ..." / "X's response to ..."
    in the first three lines; "response from X"; "on behalf of X"; an
    "About X" section. Only a run of capitalised words counts as a name ("I am
    writing in response to" names nobody). Acronyms are expanded when the
    text spells them out ("... Group (ACRCG)").
    """
    head = text[:3000]
    lines = [ln for ln in head.split("\n") if ln.strip()][:3]
    candidates = [m.group(1) for ln in lines if (m := _RESPONSE_TITLE.match(ln))]
    for pattern in (_RESPONSE_FROM, _ON_BEHALF, _ABOUT):
        candidates += [m.group(1) for m in pattern.finditer(head)]
    for candidate in candidates:
        name = _name_prefix(candidate.strip())
        if name:
            return _expand_acronym(name, text[:6000])
    return None


def attach_metadata(
    doc: schemas.Document, meta: dict, rules: RespondentTypeRules | None = None
) -> None:
    """Set the document's organisation and type: manifest first, then inference."""
    entry = metadata_for(doc, meta) or {}
    if entry.get("organisation"):
        doc.organisation, doc.organisation_source = entry["organisation"], "metadata"
    if entry.get("respondent_type"):
        doc.respondent_type, doc.respondent_type_source = entry["respondent_type"], "metadata"
    if doc.organisation_source == "none" and doc.source_row is None:
        org = infer_organisation(doc.text)
        if org:
            doc.organisation, doc.organisation_source = org, "inferred"
    if doc.respondent_type_source == "none":
        rtype = infer_respondent_type(doc.text, doc.organisation, rules)
        if rtype != "unknown":
            doc.respondent_type, doc.respondent_type_source = rtype, "inferred"
