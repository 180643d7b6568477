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
from helpers.core.attributes import Attribute
from helpers.core.consultation import RespondentTypeRules
from helpers.ingest.authorship import find_authorship
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
            # Every field by lower-cased name: attributes read from the manifest (core.attributes).
            "fields": {k.casefold(): v for k, v in row.items() if v},
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


def infer_organisation(
    text: str, rules: RespondentTypeRules | None = None, consulting: str | None = None
) -> str | None:
    """Guess the responding organisation from where a response names its author, or None.

    The letterhead, a title ("X response to ..."), "response from X", "on
    behalf of X", a self-description or the sign-off block
    (``ingest.authorship``). Acronyms are expanded when the text spells them
    out ("... Group (ACRCG)").
    """
    org = find_authorship(text, rules, consulting).organisation
    return _expand_acronym(org, text[:6000]) if org else None


def attach_metadata(
    doc: schemas.Document,
    meta: dict,
    rules: RespondentTypeRules | None = None,
    attributes: tuple[Attribute, ...] = (),
    consulting: str | None = None,
) -> None:
    """Set the document's organisation and type: manifest first, then inference.

    Attributes whose source is a manifest field take the entry's value of that field.
    """
    entry = metadata_for(doc, meta) or {}
    fields = entry.get("fields") or {}
    for attr in attributes:
        value = fields.get(attr.manifest.casefold()) if attr.manifest else None
        if value:
            doc.attributes[attr.id] = (value, "metadata")
    if entry.get("organisation"):
        doc.organisation, doc.organisation_source = entry["organisation"], "metadata"
    if entry.get("respondent_type"):
        doc.respondent_type, doc.respondent_type_source = entry["respondent_type"], "metadata"
    if doc.source_row is not None:
        return  # survey rows: typed from their columns by the reader (survey_row_type)
    if doc.organisation_source == "none":
        org = infer_organisation(doc.text, rules, consulting)
        if not org and doc.cover_note:
            org = infer_organisation(doc.cover_note, rules, consulting)
        if org:
            doc.organisation, doc.organisation_source = org, "inferred"
    if doc.respondent_type_source == "none":
        rtype = with_cover_note(
            infer_respondent_type(doc.text, doc.organisation, rules), doc, rules
        )
        if rtype != "unknown":
            doc.respondent_type, doc.respondent_type_source = rtype, "inferred"


def with_cover_note(
    rtype: str, doc: schemas.Document, rules: RespondentTypeRules | None = None
) -> str:
    """``rtype`` (inferred from the response), completed from an e-mail's covering note.

    Rationale: when an attachment is the response, the covering note's
    signature is often the only place that says what the sender is
    ("Registered charity no. …", "Chief Executive, X Trust"). The response's
    own evidence comes first: the note decides only when the response says
    nothing (``unknown``), or names an organisation of no known type
    (``other``) and the note gives it a type; a note signed by a person does
    not turn an organisation's response into an individual's.
    """
    if not doc.cover_note or rtype not in ("unknown", "other"):
        return rtype
    noted = infer_respondent_type(doc.cover_note, doc.organisation, rules)
    if rtype == "unknown" and noted != "unknown":
        return noted
    return noted if noted not in ("unknown", "other", "individual") else rtype
