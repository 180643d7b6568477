"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

Export writes a REFI-QDA 1.5 project (namespace ``urn:QDA-XML:project:1.0``):
``project.qde`` plus a flat ``sources/`` folder of UTF-8 text files, one per
respondent. The codebook becomes nested ``Code`` elements, every non-negated
code a ``PlainTextSelection`` (Unicode code-point offsets into the respondent's
text) with a ``Coding``, and respondents ``Cases`` with a ``respondent_type``
variable. GUIDs are uuid5 of stable keys and the zip has fixed timestamps, so
re-exporting the same data gives byte-identical files.

Import reads a project that people reviewed in a QDA package and turns their
edits into manual override rows (docs/CONTRACTS.md format), new codebook
entries and a change report. Archives are untrusted: member paths, sizes,
compression ratios and member counts are limited, and DTDs/entities refused.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pandas as pd
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from helpers.core.errors import InputError
from helpers.core.schemas import counted_codes

if TYPE_CHECKING:
    from helpers.coding import Codebook, Theme

log = logging.getLogger(__name__)

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "consultation-helpers"
_GUID_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/consultation-helpers/refi-qda")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Limits for untrusted archives.
MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, checked for members over RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024

OVERRIDE_COLUMNS = ["respondent_id", "question_id", "theme_id", "action", "quote", "coder", "note"]
CHANGE_COLUMNS = ["action", "respondent_id", "question_id", "theme_id", "quote", "detail"]
# XML 1.0 forbids most C0 control characters even when escaped.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class QdpxError(InputError, ValueError):
    """A REFI-QDA archive is unsafe or invalid; the message names the archive and the problem."""


def guid(*parts: str) -> str:
    """A deterministic GUID for a stable key (uuid5)."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(parts)))


def schema_path(name: str = "Project.xsd") -> Path:
    """Path of a shipped REFI-QDA schema (Project.xsd or Codebook.xsd)."""
    return Path(str(resources.files("helpers") / "data" / "refi-qda" / name))


def validate_xml(xml: bytes, schema: str = "Project.xsd") -> None:
    """Raise ``xmlschema.XMLSchemaValidationError`` unless ``xml`` is valid against the schema."""
    import xmlschema

    xmlschema.XMLSchema(str(schema_path(schema))).validate(io.BytesIO(xml))


def _clean(text: Any) -> str:
    return _XML_BAD.sub(
        " ", "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    )


def _code_guid(codebook_id: str, theme_id: str) -> str:
    return guid("code", codebook_id, theme_id)


# --------------------------------------------------------------------------- export


def _codes_element(parent: ET.Element, ns: str, codebook: Codebook) -> None:
    """Nested Code elements: children under their parent theme, file order kept."""
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")

    def add(container: ET.Element, theme: Theme) -> None:
        el = ET.SubElement(
            container,
            f"{{{ns}}}Code",
            {
                "guid": _code_guid(codebook.id, theme.id),
                "name": _clean(theme.label),
                "isCodable": "true",
            },
        )
        desc = ET.SubElement(el, f"{{{ns}}}Description")
        desc.text = _clean(f"[{theme.id}] {theme.description}".strip())
        for child in codebook.children(theme.id):
            add(el, child)

    for t in codebook.roots:
        add(codes, t)


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, members[name])


def _tostring(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def build_project_xml(
    respondents: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Any,
) -> tuple[bytes, dict[str, bytes]]:
    """The ``project.qde`` XML and the ``sources/`` files (name -> UTF-8 bytes)."""
    ns = PROJECT_NS
    cid = str(getattr(consultation, "id", "consultation"))
    cb_id = codebook.id
    user = guid("user", ORIGIN)
    root = ET.Element(
        f"{{{ns}}}Project",
        {
            "name": _clean(getattr(consultation, "title", cid)),
            "origin": ORIGIN,
            "creatingUserGUID": user,
        },
    )
    users = ET.SubElement(root, f"{{{ns}}}Users")
    ET.SubElement(users, f"{{{ns}}}User", {"guid": user, "name": ORIGIN, "id": "auto"})
    _codes_element(ET.SubElement(root, f"{{{ns}}}CodeBook"), ns, codebook)

    var_guids = {}
    variables = ET.SubElement(root, f"{{{ns}}}Variables")
    for name, desc in (
        ("respondent_type", "Type of respondent"),
        ("organisation", "Organisation responding, if any"),
    ):
        var_guids[name] = guid("variable", cid, name)
        v = ET.SubElement(
            variables,
            f"{{{ns}}}Variable",
            {"guid": var_guids[name], "name": name, "typeOfVariable": "Text"},
        )
        ET.SubElement(v, f"{{{ns}}}Description").text = desc

    resp = respondents.sort_values("respondent_id").reset_index(drop=True)
    cases = ET.SubElement(root, f"{{{ns}}}Cases")
    for row in resp.itertuples(index=False):
        case = ET.SubElement(
            cases,
            f"{{{ns}}}Case",
            {"guid": guid("case", cid, row.respondent_id), "name": _clean(row.respondent_id)},
        )
        for name in ("respondent_type", "organisation"):
            value = getattr(row, name, None)
            if value is None or pd.isna(value):
                continue
            vv = ET.SubElement(case, f"{{{ns}}}VariableValue")
            ET.SubElement(vv, f"{{{ns}}}VariableRef", {"targetGUID": var_guids[name]})
            ET.SubElement(vv, f"{{{ns}}}TextValue").text = _clean(value)
        ET.SubElement(
            case, f"{{{ns}}}SourceRef", {"targetGUID": guid("source", cid, row.respondent_id)}
        )

    live = _live_codes(codes)
    by_resp = {r: g for r, g in live.groupby("respondent_id", sort=False)} if len(live) else {}
    known = set(codebook.theme_ids)
    sources_el = ET.SubElement(root, f"{{{ns}}}Sources")
    files: dict[str, bytes] = {}
    for row in resp.itertuples(index=False):
        sg = guid("source", cid, row.respondent_id)
        src = ET.SubElement(
            sources_el,
            f"{{{ns}}}TextSource",
            {
                "guid": sg,
                "name": _clean(row.respondent_id),
                "plainTextPath": f"internal://{sg}.txt",
            },
        )
        org = getattr(row, "organisation", None)
        ET.SubElement(src, f"{{{ns}}}Description").text = _clean(
            f"{'' if org is None or pd.isna(org) else org} ({row.respondent_type}); file {getattr(row, 'source_file', '')}".strip()
        )
        files[f"sources/{sg}.txt"] = str(row.text).encode("utf-8")
        group = by_resp.get(row.respondent_id)
        if group is None:
            continue
        for c in group.itertuples(index=False):
            if c.theme_id not in known:
                log.warning(
                    "code for theme %r (respondent %s) is not in the codebook; not exported",
                    c.theme_id,
                    c.respondent_id,
                )
                continue
            key = (cid, c.respondent_id, c.question_id, c.theme_id, str(c.start), str(c.end))
            sel = ET.SubElement(
                src,
                f"{{{ns}}}PlainTextSelection",
                {
                    "guid": guid("selection", *key),
                    "name": _clean(_short(c.quote)),
                    "startPosition": str(int(c.start)),
                    "endPosition": str(int(c.end)),
                    "creatingUser": user,
                },
            )
            ET.SubElement(sel, f"{{{ns}}}Description").text = _clean(
                f"{_question_label(consultation, c.question_id)}; {c.method}; {c.source}"
            )
            coding = ET.SubElement(
                sel, f"{{{ns}}}Coding", {"guid": guid("coding", *key), "creatingUser": user}
            )
            ET.SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": _code_guid(cb_id, c.theme_id)})
    ET.SubElement(root, f"{{{ns}}}Description").text = _clean(
        f"{getattr(consultation, 'title', cid)}: automatic coding exported by {ORIGIN} (codebook {cb_id})."
    )
    return _tostring(root, ns), files


def _question_label(consultation: Any, question_id: str) -> str:
    """'Q2: What good looks like' when the consultation knows the question, else its id."""
    try:
        return str(consultation.question(question_id).label)
    except (AttributeError, KeyError):
        return f"question {question_id}"


def _short(text: Any, n: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _live_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """Non-negated codes, one per (respondent, question, theme, span), in a stable order."""
    if codes is None or len(codes) == 0:
        return pd.DataFrame(
            columns=[
                "respondent_id",
                "question_id",
                "theme_id",
                "start",
                "end",
                "quote",
                "method",
                "source",
            ]
        )
    live = counted_codes(codes).copy()
    for col, default in (("method", "dictionary"), ("source", "auto")):
        if col not in live.columns:
            live[col] = default
    live = live.drop_duplicates(subset=["respondent_id", "question_id", "theme_id", "start", "end"])
    return live.sort_values(
        ["respondent_id", "start", "end", "theme_id"], kind="stable"
    ).reset_index(drop=True)


def export_qdpx(
    path: str | Path,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Any,
) -> Path:
    """Write a REFI-QDA project (.qdpx) of every respondent's text and the non-negated codes.

    ``answers`` is not needed for the export itself (codes carry their question)
    but keeps the signature in line with ``import_qdpx``.
    """
    path = Path(path)
    xml, files = build_project_xml(respondents, codes, codebook, consultation)
    _write_zip(path, {"project.qde": xml, **files})
    log.info("wrote REFI-QDA project %s (%d sources)", path, len(files))
    return path


def build_codebook_xml(codebook: Codebook) -> bytes:
    """The codebook alone as REFI-QDA codebook XML (``urn:QDA-XML:codebook:1.0``)."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN})
    _codes_element(root, CODEBOOK_NS, codebook)
    return _tostring(root, CODEBOOK_NS)


def export_qdc(path: str | Path, codebook: Codebook) -> Path:
    """Write the codebook as a REFI-QDA codebook file (.qdc)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_codebook_xml(codebook))
    log.info("wrote REFI-QDA codebook %s", path)
    return path


# --------------------------------------------------------------------------- safe reading


def _check_member_name(archive: Path, name: str) -> None:
    norm = name.replace("\\", "/")
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm) or ".." in norm.split("/"):
        raise QdpxError(
            f"{archive}: member {name!r} escapes the project folder (absolute path or '..'); refusing the archive"
        )


def read_archive(path: str | Path) -> dict[str, bytes]:
    """Read an untrusted .qdpx into memory, member name -> bytes, enforcing the safety limits."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise QdpxError(f"{path}: archive not found") from exc
    except zipfile.BadZipFile as exc:
        raise QdpxError(
            f"{path}: not a zip archive (a .qdpx is a zip with project.qde and sources/)"
        ) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise QdpxError(f"{path}: {len(infos)} members, more than the limit of {MAX_MEMBERS}")
        total = 0
        for info in infos:
            _check_member_name(path, info.filename)
            total += info.file_size
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise QdpxError(
                    f"{path}: member {info.filename!r} has a compression ratio over {MAX_RATIO} (a zip bomb?)"
                )
        if total > MAX_TOTAL_BYTES:
            raise QdpxError(
                f"{path}: {total} bytes uncompressed, more than the limit of {MAX_TOTAL_BYTES}"
            )
        out: dict[str, bytes] = {}
        read = 0
        for info in infos:
            if info.is_dir():
                continue
            # Don't trust the declared sizes: stop reading once the limit is passed.
            with zf.open(info) as fh:
                data = fh.read(min(info.file_size, MAX_TOTAL_BYTES - read) + 1)
            if len(data) > info.file_size or read + len(data) > MAX_TOTAL_BYTES:
                raise QdpxError(
                    f"{path}: member {info.filename!r} is larger than its header says; refusing the archive"
                )
            read += len(data)
            out[info.filename.replace("\\", "/")] = data
    return out


def parse_xml(data: bytes, where: str) -> ET.Element:
    """Parse untrusted XML, refusing DTDs, entity declarations and external references."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise QdpxError(
            f"{where}: XML with a DTD or entity declarations is refused ({type(exc).__name__})"
        ) from exc
    except ET.ParseError as exc:
        raise QdpxError(f"{where}: not well-formed XML: {exc}") from exc


# --------------------------------------------------------------------------- parsed project


@dataclass
class _Code:
    guid: str
    name: str
    description: str
    parent: str | None


@dataclass
class _Selection:
    source_guid: str
    source_name: str
    start: int
    end: int
    code_guids: list[str]
    user: str | None


@dataclass
class _Project:
    codes: dict[str, _Code]
    texts: dict[str, str | None]  # source guid -> text (None: text not in the archive)
    names: dict[str, str]  # source guid -> name
    selections: list[_Selection]
    users: dict[str, str]


def _read_project(path: Path) -> _Project:
    members = read_archive(path)
    qde = next((n for n in members if n.lower() == "project.qde"), None)
    if qde is None:
        raise QdpxError(f"{path}: no project.qde at the top of the archive")
    root = parse_xml(members[qde], f"{path}:project.qde")
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if ns != PROJECT_NS or root.tag.split("}")[-1] != "Project":
        raise QdpxError(
            f"{path}: project.qde root is {root.tag!r}, expected Project in namespace {PROJECT_NS}"
        )
    q = f"{{{ns}}}"
    codes: dict[str, _Code] = {}

    def walk(el: ET.Element, parent: str | None) -> None:
        for c in el.findall(f"{q}Code"):
            d = c.find(f"{q}Description")
            codes[c.get("guid", "")] = _Code(
                c.get("guid", ""),
                c.get("name", ""),
                (d.text or "") if d is not None else "",
                parent,
            )
            walk(c, c.get("guid"))

    cb = root.find(f"{q}CodeBook/{q}Codes")
    if cb is not None:
        walk(cb, None)
    users = {u.get("guid", ""): u.get("name", "") for u in root.iterfind(f"{q}Users/{q}User")}
    texts, names, selections = {}, {}, []
    for src in root.iterfind(f"{q}Sources/{q}TextSource"):
        sg = src.get("guid", "")
        names[sg] = src.get("name", "")
        texts[sg] = _source_text(path, src, q, members)
        for sel in src.findall(f"{q}PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError as exc:
                raise QdpxError(
                    f"{path}: selection {sel.get('guid')} in source {names[sg]!r} has non-integer positions"
                ) from exc
            refs = [cr.get("targetGUID", "") for cr in sel.iterfind(f"{q}Coding/{q}CodeRef")]
            user = next(
                (c.get("creatingUser") for c in sel.iterfind(f"{q}Coding")), None
            ) or sel.get("creatingUser")
            selections.append(_Selection(sg, names[sg], start, end, refs, user))
        if src.find(f"{q}Coding") is not None:
            log.warning(
                "%s: source %r has whole-document codings; these are ignored", path, names[sg]
            )
    return _Project(codes, texts, names, selections, users)


def _source_text(path: Path, src: ET.Element, q: str, members: dict[str, bytes]) -> str | None:
    content = src.find(f"{q}PlainTextContent")
    if content is not None and content.text is not None:
        return content.text
    ptp = src.get("plainTextPath") or ""
    if ptp.startswith("internal://"):
        rel = ptp[len("internal://") :]
        _check_member_name(path, rel)
        name = posixpath.join("sources", rel)
        match = next((n for n in members if n.lower() == name.lower()), None)
        if match is None:
            raise QdpxError(
                f"{path}: source {src.get('name')!r} points to {ptp} but sources/{rel} is not in the archive"
            )
        return members[match].decode("utf-8-sig")
    # Never follow paths outside the archive (file://, relative://, absolute paths).
    log.warning(
        "%s: source %r has its text outside the archive (%r); its codings are skipped",
        path,
        src.get("name"),
        ptp,
    )
    return None


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """What people changed in a reviewed project.

    ``overrides``: rows for the manual overrides CSV; ``new_themes``: codebook
    entries (dicts ready for YAML) for codes the codebook lacks; ``changes``:
    the change report (action, respondent_id, question_id, theme_id, quote, detail).
    """

    overrides: pd.DataFrame
    new_themes: list[dict] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))

    def write_overrides(self, path: str | Path) -> Path:
        """Write the override rows as a new overrides CSV (review, then merge into overrides.csv)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.overrides.to_csv(path, index=False)
        return path

    def new_themes_yaml(self) -> str:
        """The new codebook entries as YAML, to paste under ``themes:`` after adding patterns."""
        import yaml

        return (
            yaml.safe_dump(self.new_themes, sort_keys=False, allow_unicode=True)
            if self.new_themes
            else ""
        )


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not s or not s[0].isalpha():
        s = f"theme_{s}" if s else "theme"
    return s


def _theme_map(project: _Project, codebook: Codebook) -> tuple[dict[str, str], list[dict]]:
    """Project code guid -> theme id; new codebook entries for codes we don't know."""
    cb_id = codebook.id
    themes = codebook.themes
    by_guid = {_code_guid(cb_id, t.id): t.id for t in themes}
    by_name = {}
    for t in themes:
        by_name[t.id.lower()] = t.id
        by_name[t.label.strip().lower()] = t.id
    mapping: dict[str, str] = {}
    new: list[dict] = []
    taken = {t.id for t in themes}

    def resolve(g: str) -> str:
        if g in mapping:
            return mapping[g]
        code = project.codes[g]
        tid = by_guid.get(g) or by_name.get(code.name.strip().lower())
        if tid is None:
            tid = base = _slug(code.name)
            n = 2
            while tid in taken:
                tid, n = f"{base}_{n}", n + 1
            taken.add(tid)
            entry = {
                "id": tid,
                "label": code.name.strip() or tid,
                "description": re.sub(r"^\[[a-z0-9_]+\]\s*", "", code.description).strip(),
            }
            if code.parent is not None and code.parent in project.codes:
                entry["parent"] = resolve(code.parent)
            entry["patterns"] = []
            new.append(entry)
        mapping[g] = tid
        return tid

    for g in project.codes:
        resolve(g)
    return mapping, new


def _match_source(project: _Project, sg: str, respondents: pd.DataFrame, cid: str) -> str | None:
    ids = set(respondents["respondent_id"])
    by_guid = {guid("source", cid, r): r for r in ids}
    if sg in by_guid:
        return by_guid[sg]
    name = project.names.get(sg, "")
    if name in ids:
        return name
    stem = Path(name).stem
    return stem if stem in ids else None


def _anchor(proj_text: str, start: int, end: int, our_text: str) -> tuple[int, int] | None:
    """Our (start, end) for a selection, re-anchored by its quote when the texts differ."""
    if proj_text == our_text:
        return (start, end) if 0 <= start < end <= len(our_text) else None
    quote = proj_text[max(start, 0) : max(end, 0)]
    if not quote.strip():
        return None
    hits = [m.start() for m in re.finditer(re.escape(quote), our_text)]
    if not hits:
        # Whitespace may differ (line endings, wrapped lines): match on words.
        pattern = r"\s+".join(re.escape(w) for w in quote.split())
        found = [(m.start(), m.end()) for m in re.finditer(pattern, our_text)]
        if not found:
            return None
        return min(found, key=lambda se: abs(se[0] - start))
    s = min(hits, key=lambda h: abs(h - start))
    return s, s + len(quote)


def _answer_index(answers: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    """respondent_id -> [(start, end, question_id)], for locating a selection's answer."""
    index: dict[str, list[tuple[int, int, str]]] = {}
    for r, q, s, e in answers[["respondent_id", "question_id", "start", "end"]].itertuples(
        index=False
    ):
        index.setdefault(str(r), []).append((int(s), int(e), str(q)))
    return index


def _question_at(
    index: dict[str, list[tuple[int, int, str]]], respondent_id: str, pos: int
) -> str | None:
    return next((q for s, e, q in index.get(respondent_id, ()) if s <= pos < e), None)


def _imported_codings(
    project: _Project,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    mapping: dict[str, str],
    cid: str,
    path: Path,
) -> tuple[pd.DataFrame, list[dict]]:
    """Project codings as rows (respondent, question, theme, start, end, quote, user) + problems."""
    texts = dict(zip(respondents["respondent_id"], respondents["text"], strict=True))
    where = _answer_index(answers)
    rows, problems = [], []
    for sel in project.selections:
        rid = _match_source(project, sel.source_guid, respondents, cid)
        proj_text = project.texts.get(sel.source_guid)
        if proj_text is None:
            problems.append(
                _change(
                    "skipped",
                    rid or sel.source_name,
                    None,
                    None,
                    None,
                    "source text is not inside the archive",
                )
            )
            continue
        quote = proj_text[max(sel.start, 0) : max(sel.end, 0)]
        if rid is None:
            problems.append(
                _change(
                    "skipped",
                    sel.source_name,
                    None,
                    None,
                    quote,
                    "source matches no respondent (by guid or name)",
                )
            )
            continue
        span = _anchor(proj_text, sel.start, sel.end, str(texts[rid]))
        if span is None:
            problems.append(
                _change(
                    "skipped",
                    rid,
                    None,
                    None,
                    quote,
                    "selection's words not found in the respondent's text",
                )
            )
            continue
        qid = _question_at(where, rid, span[0])
        if qid is None:
            problems.append(
                _change("skipped", rid, None, None, quote, "selection is outside every answer")
            )
            continue
        for g in sel.code_guids:
            if g not in mapping:
                problems.append(
                    _change(
                        "skipped", rid, qid, None, quote, f"coding refers to unknown code guid {g}"
                    )
                )
                continue
            user = project.users.get(sel.user or "", "") or "qdpx import"
            rows.append(
                (rid, qid, mapping[g], span[0], span[1], str(texts[rid])[span[0] : span[1]], user)
            )
    df = pd.DataFrame(
        rows, columns=["respondent_id", "question_id", "theme_id", "start", "end", "quote", "user"]
    )
    if problems:
        log.warning(
            "%s: %d selection(s) could not be imported; see the change report", path, len(problems)
        )
    return df.drop_duplicates(
        subset=["respondent_id", "question_id", "theme_id", "start", "end"]
    ), problems


def import_qdpx(
    path: str | Path,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    codes: pd.DataFrame,
    codebook: Codebook,
    consultation: Any = None,
) -> ImportResult:
    """Turn a reviewed REFI-QDA project into override rows, new themes and a change report.

    Codings are matched to respondents by source guid or name and re-anchored
    by their words where offsets drifted. Per answer x theme: present in ours
    but not in the project -> ``remove``; only in the project -> ``add`` (one row
    per selection, quote-anchored); present in both but on different words ->
    ``add`` with the new words (reported as ``moved``). Importing our own
    export unchanged yields no rows.
    """
    path = Path(path)
    cid = str(getattr(consultation, "id", None) or _consultation_id_from(respondents, codebook))
    project = _read_project(path)
    mapping, new_themes = _theme_map(project, codebook)
    imported, problems = _imported_codings(project, respondents, answers, mapping, cid, path)
    ours = _live_codes(codes)
    note = f"REFI-QDA import from {path.name}"
    key = ["respondent_id", "question_id", "theme_id"]
    our_spans = (
        {k: set(zip(g["start"], g["end"], strict=True)) for k, g in ours.groupby(key, sort=False)}
        if len(ours)
        else {}
    )
    our_quote = (
        {k: str(g["quote"].iloc[0]) for k, g in ours.groupby(key, sort=False)} if len(ours) else {}
    )
    span_quote = {
        (r, q, t, int(s_), int(e_)): str(qu)
        for r, q, t, s_, e_, qu in ours[[*key, "start", "end", "quote"]].itertuples(index=False)
    }
    imp_groups = {k: g for k, g in imported.groupby(key, sort=False)} if len(imported) else {}
    overrides, changes = [], list(problems)
    # Only respondents whose text is in the project can have codes removed:
    # a source left out (or unreadable) says nothing about its codes.
    covered = {
        _match_source(project, sg, respondents, cid)
        for sg, text in project.texts.items()
        if text is not None
    } - {None}
    absent = sorted({k[0] for k in our_spans} - covered)
    if absent:
        log.warning(
            "%s: respondent(s) %s are not in the project; their codes are left as they are",
            path,
            absent,
        )
    for k in sorted(set(our_spans) | set(imp_groups)):
        r, q, t = k
        if r not in covered:
            continue
        if k not in imp_groups:
            overrides.append(_override(r, q, t, "remove", our_quote[k], _reviewer(project), note))
            changes.append(
                _change("removed", r, q, t, our_quote[k], "coding deleted in the project")
            )
            continue
        g = imp_groups[k]
        mine = our_spans.get(k, set())
        theirs = set(zip(g["start"], g["end"], strict=True))
        if mine == theirs:
            continue
        is_new = t in {e["id"] for e in new_themes}
        dropped = mine - theirs
        if dropped:
            # Some of our evidence was unmarked: remove the automatic code and
            # re-add exactly the reviewer's selections (overrides remove first, then add).
            ours_q = span_quote.get((*k, *[int(x) for x in min(dropped)]), our_quote[k])
            overrides.append(
                _override(
                    r, q, t, "remove", ours_q, _reviewer(project), f"{note}; evidence changed"
                )
            )
            action = "moved" if theirs - mine else "evidence_removed"
            changes.append(
                _change(action, r, q, t, ours_q, "automatic evidence unmarked by the reviewer")
            )
            keep = g
        else:
            action = "added" if not mine else "evidence_added"
            keep = g[[(s_, e_) not in mine for s_, e_ in zip(g["start"], g["end"], strict=True)]]
        for row in keep.itertuples(index=False):
            new_span = (row.start, row.end) not in mine
            detail = "new code" if is_new else ("" if new_span else "kept evidence")
            overrides.append(
                _override(
                    r,
                    q,
                    t,
                    "add",
                    row.quote,
                    row.user,
                    f"{note}; {action}" + (f"; {detail}" if detail else ""),
                )
            )
            if new_span:
                changes.append(_change(action, r, q, t, row.quote, detail))
    used = {o["theme_id"] for o in overrides}
    new_themes = [
        e
        for e in new_themes
        if e["id"] in used or any(e["id"] == x.get("parent") for x in new_themes)
    ]
    for e in new_themes:
        detail = f"code {e['label']!r} is not in the codebook"
        changes.append(_change("new_theme", None, None, e["id"], None, detail))
    ov = pd.DataFrame(overrides, columns=OVERRIDE_COLUMNS).astype("string")
    ch = pd.DataFrame(changes, columns=CHANGE_COLUMNS).astype("string")
    log.info("%s: %d override row(s), %d new theme(s)", path, len(ov), len(new_themes))
    return ImportResult(overrides=ov, new_themes=new_themes, changes=ch)


def _override(r: str, q: str, t: str, action: str, quote: str, coder: str, note: str) -> dict:
    return {
        "respondent_id": r,
        "question_id": q,
        "theme_id": t,
        "action": action,
        "quote": quote,
        "coder": coder,
        "note": note,
    }


def _change(action: str, r: str, q: str, t: str, quote: str | None, detail: str) -> dict:
    """One row of the import's change log (``CHANGE_COLUMNS``)."""
    return {
        "action": action,
        "respondent_id": r,
        "question_id": q,
        "theme_id": t,
        "quote": quote,
        "detail": detail,
    }


def _reviewer(project: _Project) -> str:
    others = [n for n in project.users.values() if n and n != ORIGIN]
    return others[0] if others else "qdpx import"


def _consultation_id_from(respondents: pd.DataFrame, codebook: Codebook) -> str:
    return codebook.id


def hand_coding_from_qdpx(
    path: str | Path,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    codebook: Codebook,
    consultation: Any = None,
) -> pd.DataFrame:
    """A hand-coding table (agreement.load_hand_coding format) from a project coded by people.

    Every answer of every matched source counts as hand-coded; answers with no
    coding get a row with an empty theme. Codes not in the codebook are skipped
    with a warning.
    """
    from helpers.core.schemas import SPECIAL_QUESTION_IDS

    path = Path(path)
    cid = str(getattr(consultation, "id", None) or _consultation_id_from(respondents, codebook))
    project = _read_project(path)
    mapping, new = _theme_map(project, codebook)
    if new:
        log.warning(
            "%s: code(s) %s are not in the codebook and are ignored for agreement",
            path,
            [e["label"] for e in new],
        )
    known = set(codebook.theme_ids)
    imported, _ = _imported_codings(project, respondents, answers, mapping, cid, path)
    imported = imported[imported["theme_id"].isin(known)]
    matched = {_match_source(project, sg, respondents, cid) for sg in project.texts} - {None}
    cons = consultation or codebook.consultation
    profile = [
        q.id for q in getattr(cons, "questions", ()) if getattr(q, "kind", None) == "profile"
    ]
    skip = [*SPECIAL_QUESTION_IDS, *profile]
    units = answers[answers["respondent_id"].isin(matched) & ~answers["question_id"].isin(skip)]
    rows = [
        (r.respondent_id, r.question_id, t, qu)
        for r in imported.itertuples(index=False)
        for t, qu in [(r.theme_id, r.quote)]
    ]
    coded = {(r, q) for r, q, _, _ in rows}
    rows += [
        (r, q, None, None)
        for r, q in units[["respondent_id", "question_id"]].itertuples(index=False)
        if (r, q) not in coded
    ]
    df = pd.DataFrame(rows, columns=["respondent_id", "question_id", "theme_id", "quote"])
    df["coder"] = pd.NA
    df["note"] = f"from {path.name}"
    df = (
        df.astype("string")
        .drop_duplicates(subset=["respondent_id", "question_id", "theme_id"])
        .reset_index(drop=True)
    )
    return df
