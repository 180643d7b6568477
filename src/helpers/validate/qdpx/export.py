"""Writing our coding as a REFI-QDA project (.qdpx) or codebook (.qdc).

A project is ``project.qde`` plus a flat ``sources/`` folder of UTF-8 text
files, one per respondent. The codebook becomes nested ``Code`` elements, every
non-negated code a ``PlainTextSelection`` (Unicode code-point offsets into the
respondent's text) with a ``Coding``, and respondents ``Cases`` with
``respondent_type`` and ``organisation`` variables. GUIDs are uuid5 of stable
keys and the zip has fixed timestamps, so re-exporting the same data gives
byte-identical files.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pandas as pd

from helpers.validate.qdpx.shared import (
    CODEBOOK_NS,
    ORIGIN,
    PROJECT_NS,
    clean,
    code_guid,
    guid,
    live_codes,
    source_guid,
)

if TYPE_CHECKING:
    from helpers.coding import Codebook, Theme

log = logging.getLogger(__name__)

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _codes_element(parent: ET.Element, ns: str, codebook: Codebook) -> None:
    """Nested Code elements: children under their parent theme, file order kept."""
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")

    def add(container: ET.Element, theme: Theme) -> None:
        el = ET.SubElement(
            container,
            f"{{{ns}}}Code",
            {
                "guid": code_guid(codebook.id, theme.id),
                "name": clean(theme.label),
                "isCodable": "true",
            },
        )
        desc = ET.SubElement(el, f"{{{ns}}}Description")
        desc.text = clean(f"[{theme.id}] {theme.description}".strip())
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
            "name": clean(getattr(consultation, "title", cid)),
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
            {"guid": guid("case", cid, row.respondent_id), "name": clean(row.respondent_id)},
        )
        for name in ("respondent_type", "organisation"):
            value = getattr(row, name, None)
            if value is None or pd.isna(value):
                continue
            vv = ET.SubElement(case, f"{{{ns}}}VariableValue")
            ET.SubElement(vv, f"{{{ns}}}VariableRef", {"targetGUID": var_guids[name]})
            ET.SubElement(vv, f"{{{ns}}}TextValue").text = clean(value)
        ET.SubElement(
            case, f"{{{ns}}}SourceRef", {"targetGUID": source_guid(cid, row.respondent_id)}
        )

    live = live_codes(codes)
    by_resp = {r: g for r, g in live.groupby("respondent_id", sort=False)} if len(live) else {}
    known = set(codebook.theme_ids)
    sources_el = ET.SubElement(root, f"{{{ns}}}Sources")
    files: dict[str, bytes] = {}
    for row in resp.itertuples(index=False):
        sg = source_guid(cid, row.respondent_id)
        src = ET.SubElement(
            sources_el,
            f"{{{ns}}}TextSource",
            {
                "guid": sg,
                "name": clean(row.respondent_id),
                "plainTextPath": f"internal://{sg}.txt",
            },
        )
        org = getattr(row, "organisation", None)
        ET.SubElement(src, f"{{{ns}}}Description").text = clean(
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
                    "name": clean(_short(c.quote)),
                    "startPosition": str(int(c.start)),
                    "endPosition": str(int(c.end)),
                    "creatingUser": user,
                },
            )
            ET.SubElement(sel, f"{{{ns}}}Description").text = clean(
                f"{_question_label(consultation, c.question_id)}; {c.method}; {c.source}"
            )
            coding = ET.SubElement(
                sel, f"{{{ns}}}Coding", {"guid": guid("coding", *key), "creatingUser": user}
            )
            ET.SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": code_guid(cb_id, c.theme_id)})
    ET.SubElement(root, f"{{{ns}}}Description").text = clean(
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
