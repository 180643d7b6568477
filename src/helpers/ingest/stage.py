"""Stage 1: read every response in an input folder into respondents and answers.

``run_ingest`` walks the folder, reads each file with the reader for its
format (``readers.py``), attaches respondent metadata (a researcher's
``manifest.csv``, survey columns, or inference from the text), segments each
document into answers (``segment.segment_document``) and writes
``respondents.parquet``, ``answers.parquet`` and ``ingest_log.parquet/.csv``,
plus ``copies.parquet``: groups of near-identical responses (campaign copies,
``campaigns.detect_copies``).
One bad file never stops the run: every file gets a log row saying whether
it was processed, skipped or failed, and why. See docs/ingest.md.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from helpers.core import schemas
from helpers.core.consultation import Consultation, load_consultation
from helpers.ingest.campaigns import detect_copies
from helpers.ingest.readers import (
    CONVERT_HINTS,
    PARSER_VERSION,
    SUPPORTED,
    TEXT_FORMATS,
    ReadError,
    ReadResult,
    SkipFile,
    decode,
    detect_encoding,
    map_respondent_type,
    read_docx,
    read_pdf,
    read_survey,
    read_text,
    sha256,
    slugify,
)

__all__ = [
    "IngestResult",
    "ReadError",
    "SkipFile",
    "detect_encoding",
    "infer_organisation",
    "infer_respondent_type",
    "load_metadata",
    "read_document",
    "run_ingest",
]

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    """The tables ``run_ingest`` writes (RESPONDENTS, ANSWERS, INGEST_LOG, COPIES)."""

    respondents: pd.DataFrame
    answers: pd.DataFrame
    log: pd.DataFrame
    copies: pd.DataFrame = dataclasses.field(default_factory=lambda: schemas.empty(schemas.COPIES))


# --- Reading one file ----------------------------------------------------------


def _read(path: Path, name: str, data: bytes, consultation: Consultation) -> ReadResult:
    suffix = path.suffix.lower()
    fmt = SUPPORTED.get(suffix)
    if fmt is None:
        hint = CONVERT_HINTS.get(suffix, f"unsupported file type '{suffix or '(none)'}'")
        raise SkipFile(hint)
    if not data:
        raise ReadError(f"{name}: empty file (0 bytes)")
    file_sha = sha256(data)
    result = ReadResult()
    if fmt in ("csv", "xlsx"):
        return read_survey(data, name, fmt, consultation, file_sha)
    encoding = None
    if suffix in TEXT_FORMATS:
        text, cues, encoding, result.notes = read_text(data, name, fmt)
    elif fmt == "docx":
        text, cues = read_docx(data, name)
    else:
        text, cues, result.notes = read_pdf(data, name)
    if not text.strip():
        raise ReadError(f"{name}: no text found in the file")
    result.documents.append(
        schemas.Document(
            respondent_id=slugify(path.stem),
            text=text,
            source_file=name,
            source_format=fmt,
            source_sha256=file_sha,
            encoding=encoding,
            cues=cues,
        )
    )
    return result


def read_document(
    path: str | Path, input_dir: str | Path, consultation: Consultation
) -> list[schemas.Document]:
    """Read one input file into Documents (one, or one per survey-export row).

    Raises ReadError (the message names the file and what to do) or SkipFile.
    Metadata and inference are not applied here; see ``run_ingest``.
    """
    input_dir = Path(input_dir)
    path = Path(path)
    if not path.exists() and (input_dir / path).exists():
        path = input_dir / path  # given relative to the input folder
    try:
        name = path.resolve().relative_to(input_dir.resolve()).as_posix()
    except ValueError:  # a file outside the input folder: name it by its file name
        name = path.name
    return _read(path, name, path.read_bytes(), consultation).documents


# --- Respondent metadata ---------------------------------------------------------


def load_metadata(path: Path) -> tuple[dict[str, dict[str, str | None]], list[str]]:
    """Read a researcher's respondent metadata CSV.

    Returns ``({key: {"organisation", "respondent_type"}}, warnings)`` where key
    is the ``file`` value (as written) or ``id:<respondent_id>``. Invalid
    respondent types are dropped with a warning naming the CSV line, so the
    type falls back to inference.
    """
    text, _, _ = decode(path.read_bytes(), path.name)
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
        if rtype and map_respondent_type(rtype) is None:
            warnings.append(
                f"{path.name} line {line_no}: respondent_type '{rtype}' is not one of "
                f"{list(schemas.RESPONDENT_TYPES)}; inferred instead"
            )
            rtype = None
        entries[key] = {
            "organisation": row.get("organisation") or None,
            "respondent_type": map_respondent_type(rtype) if rtype else None,
        }
    return entries, warnings


def _metadata_for(doc: schemas.Document, meta: dict[str, dict[str, str | None]]):
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


_TYPE_RULES = (
    ("local_authority", r"\b(?:council|local authority|borough|county)\b"),
    ("charity_voluntary", r"\b(?:charity|charitable|voluntary organisation|third sector)\b"),
    ("campaign_group", r"\bcampaign(?:s|ing)?\b"),
    (
        "professional_body",
        r"\b(?:association|institute|royal college|professional body|society|federation)\b",
    ),
)
_SELF_DESCRIPTION = r"\b(?:we are|{org} is|{org} are)\s+(?:a|an|the)\b[^.\n]{{0,60}}?"


def infer_respondent_type(text: str, organisation: str | None) -> str:
    """Guess a RESPONDENT_TYPES value from the organisation name and self-description.

    The organisation's own name is checked first ("... Campaign Group"), then
    sentences where the respondent describes itself ("Become is the national
    charity", "We are a council"): topic words such as "local authority" in
    the body are not evidence. A letter in the first person singular with
    no organisation is an individual; otherwise other (organisation known)
    or unknown.
    """
    if organisation:
        for rtype, pattern in _TYPE_RULES:
            if re.search(pattern, organisation, re.IGNORECASE):
                return rtype
    org = re.escape(re.sub(r"\s*\([A-Z]+\)$", "", organisation)) if organisation else "(?!)"
    self_desc = _SELF_DESCRIPTION.format(org=org)
    head = text[:5000]
    for rtype, pattern in _TYPE_RULES:
        if re.search(self_desc + pattern.removeprefix(r"\b"), head, re.IGNORECASE):
            return rtype
    if re.search(r"\bregistered charity\b", head, re.IGNORECASE):
        return "charity_voluntary"
    if organisation:
        return "other"
    singular = len(re.findall(r"\b(?:I|[Mm]y|[Mm]e|[Mm]yself)\b", head))
    plural = len(re.findall(r"\b(?:we|our|us)\b", head, re.IGNORECASE))
    if singular >= 2 and singular > plural:
        return "individual"
    return "unknown"


def _attach_metadata(doc: schemas.Document, meta: dict) -> None:
    entry = _metadata_for(doc, meta) or {}
    if entry.get("organisation"):
        doc.organisation, doc.organisation_source = entry["organisation"], "metadata"
    if entry.get("respondent_type"):
        doc.respondent_type, doc.respondent_type_source = entry["respondent_type"], "metadata"
    if doc.organisation_source == "none" and doc.source_row is None:
        org = infer_organisation(doc.text)
        if org:
            doc.organisation, doc.organisation_source = org, "inferred"
    if doc.respondent_type_source == "none":
        rtype = infer_respondent_type(doc.text, doc.organisation)
        if rtype != "unknown":
            doc.respondent_type, doc.respondent_type_source = rtype, "inferred"


# --- Cache -----------------------------------------------------------------------


def _cache_key(file_sha: str, fmt: str | None, consultation: Consultation) -> str:
    key = f"{file_sha}-v{PARSER_VERSION}"
    if fmt in ("csv", "xlsx"):
        survey = dataclasses.asdict(consultation.survey) if consultation.survey else None
        # Survey documents embed question text, so the questions are part of the key too.
        blob = json.dumps([survey, [dataclasses.asdict(q) for q in consultation.questions]])
        key += "-" + hashlib.sha256(blob.encode()).hexdigest()[:16]
    return key


def _to_json(result: ReadResult) -> str:
    return json.dumps(
        {
            "documents": [dataclasses.asdict(d) for d in result.documents],
            "notes": result.notes,
            "row_problems": result.row_problems,
        }
    )


def _from_json(blob: str, name: str) -> ReadResult:
    raw = json.loads(blob)
    docs = []
    for d in raw["documents"]:
        d["cues"] = [tuple(c) for c in d["cues"]]
        if d["survey_answers"] is not None:
            d["survey_answers"] = {k: tuple(v) for k, v in d["survey_answers"].items()}
        d["source_file"] = name  # the same bytes may have been moved or renamed
        docs.append(schemas.Document(**d))
    return ReadResult(docs, raw["notes"], [tuple(p) for p in raw["row_problems"]])


# --- The run ---------------------------------------------------------------------


def _segment(doc: schemas.Document, consultation: Consultation) -> pd.DataFrame:
    """Segment one document into ANSWERS rows (indirection so tests can stub it)."""
    from helpers.ingest.segment import segment_document

    return segment_document(doc, consultation)


def _log_row(file: str, status: str, reason: str | None = None, **kw) -> dict:
    row = {
        "file": file,
        "status": status,
        "reason": reason,
        "source_format": None,
        "encoding": None,
        "n_respondents": 0,
        "n_answers": 0,
        "sha256": None,
    }
    row.update(kw)
    return row


def _input_files(input_dir: Path, exclude: list[Path]) -> list[Path]:
    """Every file under ``input_dir`` in sorted order, minus output/cache folders inside it."""
    out = []
    for p in input_dir.rglob("*"):
        if not p.is_file():
            continue
        resolved = p.resolve()
        if any(resolved.is_relative_to(x) for x in exclude):
            continue
        out.append(p)
    return sorted(out, key=lambda p: p.relative_to(input_dir).as_posix())


def _read_cached(
    path: Path, name: str, consultation: Consultation, cache_dir: Path | None
) -> tuple[ReadResult, bool]:
    """Read a file, reusing a cached parse of the same bytes when there is one."""
    data = path.read_bytes()
    if cache_dir is None or not data:
        return _read(path, name, data, consultation), False
    key = _cache_key(sha256(data), SUPPORTED.get(path.suffix.lower()), consultation)
    cached = cache_dir / f"{key}.json"
    if cached.exists():
        try:
            return _from_json(cached.read_text(encoding="utf-8"), name), True
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("%s: ignoring unreadable cache entry %s (%s)", name, cached, exc)
    result = _read(path, name, data, consultation)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(_to_json(result), encoding="utf-8")
    tmp.replace(cached)
    return result, False


def run_ingest(
    input_dir: str | Path,
    consultation_path: str | Path,
    output_dir: str | Path,
    metadata_file: str | None = "manifest.csv",
    cache_dir: str | Path | None = None,
) -> IngestResult:
    """Read, describe and segment every response in ``input_dir``; write the tables.

    Raises ConsultationError for an invalid consultation file and
    FileNotFoundError for a missing input folder; problems with individual
    files are logged (status failed/skipped) and never stop the run.
    """
    consultation = load_consultation(consultation_path)
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"{input_dir}: input folder not found")
    cache = Path(cache_dir) if cache_dir is not None else None
    meta_path = input_dir / metadata_file if metadata_file else None
    meta: dict = {}
    meta_row: dict | None = None
    if meta_path is not None and meta_path.is_file():
        try:
            meta, warnings = load_metadata(meta_path)
        except (csv.Error, OSError, ReadError) as exc:
            meta, warnings = {}, [f"{metadata_file}: could not be read ({exc}); metadata ignored"]
        for w in warnings:
            log.warning(w)
        meta_row = _log_row(
            metadata_file, "skipped", "; ".join(["respondent metadata file", *warnings])
        )
        meta_row["source_format"] = "csv"
        meta_row["sha256"] = sha256(meta_path.read_bytes())

    exclude = [p.resolve() for p in (output_dir, cache) if p is not None]
    files = [p for p in _input_files(input_dir, exclude) if p != meta_path]
    log_rows: list[dict] = [meta_row] if meta_row else []
    read: list[tuple[str, ReadResult, dict]] = []  # (file, what was read, its log row)
    for path in tqdm(files, desc="Reading responses", unit="file", disable=None):
        name = path.relative_to(input_dir).as_posix()
        result, row = _read_one(path, name, consultation, cache)
        log_rows.append(row)
        if result is not None:
            read.append((name, result, row))

    respondents, answers, matched = _describe_and_segment(read, consultation, meta, log_rows)
    unmatched = [k for k, v in meta.items() if id(v) not in matched]
    if unmatched and meta_row is not None:
        msg = f"{metadata_file}: entries that match no respondent read: {unmatched}"
        log.warning(msg)
        meta_row["reason"] += f"; {msg}"

    # Files were walked in sorted order; a stable sort keeps each file's own row
    # before its per-row problems.
    log_rows.sort(key=lambda r: r["file"])
    resp_df = schemas.conform(
        pd.DataFrame(respondents, columns=schemas.RESPONDENTS.names), schemas.RESPONDENTS
    )
    ans_df = (
        schemas.conform(pd.concat(answers, ignore_index=True), schemas.ANSWERS)
        if answers
        else schemas.empty(schemas.ANSWERS)
    )
    log_df = schemas.conform(
        pd.DataFrame(log_rows, columns=schemas.INGEST_LOG.names), schemas.INGEST_LOG
    )
    copies_df = detect_copies(resp_df, answers=ans_df)
    output_dir.mkdir(parents=True, exist_ok=True)
    resp_df.to_parquet(output_dir / "respondents.parquet", index=False)
    ans_df.to_parquet(output_dir / "answers.parquet", index=False)
    log_df.to_parquet(output_dir / "ingest_log.parquet", index=False)
    log_df.to_csv(output_dir / "ingest_log.csv", index=False)
    copies_df.to_parquet(output_dir / "copies.parquet", index=False)
    counts = log_df["status"].value_counts().to_dict()
    log.info("ingest: %d respondents, %d answers; files %s", len(resp_df), len(ans_df), counts)
    log.info(
        "ingest: %d campaign copy group(s) covering %d respondent(s) (see copies.parquet)",
        copies_df["copy_group"].nunique(),
        len(copies_df),
    )
    return IngestResult(resp_df, ans_df, log_df, copies_df)


def _read_one(
    path: Path, name: str, consultation: Consultation, cache: Path | None
) -> tuple[ReadResult | None, dict]:
    """Read one file; return what was read (None if skipped/failed) and its log row."""
    fmt = SUPPORTED.get(path.suffix.lower())
    if any(part.startswith((".", "~$")) for part in Path(name).parts):
        return None, _log_row(name, "skipped", "hidden or temporary file")
    try:
        result, cached = _read_cached(path, name, consultation, cache)
    except SkipFile as exc:
        log.info("%s: skipped: %s", name, exc)
        return None, _log_row(name, "skipped", str(exc), source_format=fmt)
    except ReadError as exc:
        log.error("%s", exc)
        return None, _log_row(
            name, "failed", str(exc), source_format=fmt, sha256=sha256(path.read_bytes())
        )
    except Exception as exc:  # a reader bug must not stop the run
        log.exception("%s: unexpected error", name)
        reason = f"{name}: unexpected error while reading ({type(exc).__name__}: {exc}); please report it"
        return None, _log_row(name, "failed", reason, source_format=fmt)
    if cached:
        result.notes.insert(0, "cached parse reused")
    row = _log_row(
        name,
        "processed",
        source_format=fmt,
        sha256=sha256(path.read_bytes()),
        encoding=next((d.encoding for d in result.documents if d.encoding), None),
    )
    return result, row


def _describe_and_segment(
    read: list[tuple[str, ReadResult, dict]],
    consultation: Consultation,
    meta: dict,
    log_rows: list[dict],
) -> tuple[list[dict], list[pd.DataFrame], set[int]]:
    """Give each document a unique id and its metadata, then segment it.

    Returns respondent rows, answer frames and the ids of the metadata entries
    used; appends per-row problems to ``log_rows`` and fills in each file's row.
    """
    respondents: list[dict] = []
    answers: list[pd.DataFrame] = []
    used: dict[str, str] = {}
    matched: set[int] = set()
    for name, result, row in read:
        extra = {"source_format": row["source_format"], "sha256": row["sha256"]}
        for status, reason in result.row_problems:
            log.warning("%s: %s", name, reason)
            log_rows.append(_log_row(name, status, f"{name}: {reason}", **extra))
        n_warnings = 0
        for doc in result.documents:
            base, k = doc.respondent_id, 1
            while doc.respondent_id in used:
                k += 1
                doc.respondent_id = f"{base}-{k}"
            if k > 1:
                result.notes.append(
                    f"respondent id '{base}' already used by {used[base]}; "
                    f"this one is '{doc.respondent_id}'"
                )
            used[doc.respondent_id] = name
            entry = _metadata_for(doc, meta)
            if entry is not None:
                matched.add(id(entry))
            _attach_metadata(doc, meta)
            try:
                seg = _segment(doc, consultation)
            except Exception as exc:  # one document must not stop the run
                log.exception("%s: segmentation failed", name)
                reason = (
                    f"{name}: respondent '{doc.respondent_id}': segmentation failed "
                    f"({type(exc).__name__}: {exc}); please report it"
                )
                log_rows.append(_log_row(name, "failed", reason, **extra))
                continue
            bad = [
                r.question_id
                for r in seg.itertuples()
                if doc.text[int(r.start) : int(r.end)] != r.answer_text
            ]
            if bad:
                result.notes.append(
                    f"respondent '{doc.respondent_id}': answer offsets do not match the text for {bad}"
                )
            for r in seg.itertuples():
                if isinstance(r.warning, str) and r.warning:
                    n_warnings += 1
                    log.warning(
                        "%s (%s, %s): %s", name, doc.respondent_id, r.question_id, r.warning
                    )
            answers.append(seg)
            row["n_respondents"] += 1
            row["n_answers"] += len(seg)
            respondents.append(_respondent_row(doc))
        if n_warnings:
            result.notes.append(f"{n_warnings} segmentation warning(s): see answers.warning")
        if row["n_respondents"] == 0:
            row["status"] = "failed"
            result.notes.append("no usable respondents in the file")
        row["reason"] = "; ".join(result.notes) or None
    return respondents, answers, matched


def _respondent_row(doc: schemas.Document) -> dict:
    return {
        "respondent_id": doc.respondent_id,
        "source_file": doc.source_file,
        "source_sha256": doc.source_sha256,
        "source_format": doc.source_format,
        "source_row": doc.source_row,
        "encoding": doc.encoding,
        "organisation": doc.organisation,
        "organisation_source": doc.organisation_source,
        "respondent_type": doc.respondent_type,
        "respondent_type_source": doc.respondent_type_source,
        "text": doc.text,
        "n_chars": len(doc.text),
    }
