"""A reviewed REFI-QDA project, read back and mapped onto our respondents, answers and themes.

People edit a project in a QDA package, so nothing in it can be assumed: codes
are matched to themes by our GUID, then by id or label (unknown codes become new
codebook entries); sources to respondents by our GUID, then by name; and each
selection is re-anchored by its words when the source text differs from ours.
What cannot be mapped is skipped and reported as a row of the change report.
Source texts are read only from inside the archive, never from paths it names.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import pandas as pd

from helpers.validate.qdpx.archive import check_member_name, parse_xml, read_archive
from helpers.validate.qdpx.shared import PROJECT_NS, QdpxError, code_guid, source_guid

if TYPE_CHECKING:
    from helpers.coding import Codebook

log = logging.getLogger(__name__)

# Deeper code trees are refused: no codebook needs them, and they are a way to
# exhaust memory or recursion in whatever reads the tree next.
MAX_CODE_DEPTH = 100

CHANGE_COLUMNS = ["action", "respondent_id", "question_id", "theme_id", "quote", "detail"]


@dataclass
class Code:
    """A ``Code`` of the project (``parent``: the enclosing code's GUID)."""

    guid: str
    name: str
    description: str
    parent: str | None


@dataclass
class Selection:
    """A ``PlainTextSelection`` with the codes its codings refer to."""

    source_guid: str
    source_name: str
    start: int
    end: int
    code_guids: list[str]
    user: str | None
    problem: str | None = None  # why the selection cannot be read (then it is skipped)


@dataclass
class Project:
    """What an import needs from ``project.qde``."""

    codes: dict[str, Code]
    texts: dict[str, str | None]  # source guid -> text (None: text not in the archive)
    names: dict[str, str]  # source guid -> name
    selections: list[Selection]
    users: dict[str, str]


def change(action: str, r: str, q: str, t: str, quote: str | None, detail: str) -> dict:
    """One row of the import's change log (``CHANGE_COLUMNS``)."""
    return {
        "action": action,
        "respondent_id": r,
        "question_id": q,
        "theme_id": t,
        "quote": quote,
        "detail": detail,
    }


# --------------------------------------------------------------------------- reading


def read_project(path: Path) -> Project:
    """Read ``project.qde`` and the source texts of an untrusted .qdpx."""
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
    cb = root.find(f"{q}CodeBook/{q}Codes")
    codes = read_codes(cb, q, f"{path}:project.qde") if cb is not None else {}
    users = {u.get("guid", ""): u.get("name", "") for u in root.iterfind(f"{q}Users/{q}User")}
    texts, names, selections = {}, {}, []
    for src in root.iterfind(f"{q}Sources/{q}TextSource"):
        sg = src.get("guid", "")
        names[sg] = src.get("name", "")
        texts[sg] = _source_text(path, src, q, members)
        for sel in src.findall(f"{q}PlainTextSelection"):
            refs = [cr.get("targetGUID", "") for cr in sel.iterfind(f"{q}Coding/{q}CodeRef")]
            user = next(
                (c.get("creatingUser") for c in sel.iterfind(f"{q}Coding")), None
            ) or sel.get("creatingUser")
            start, end, problem = _positions(sel)
            selections.append(Selection(sg, names[sg], start, end, refs, user, problem))
        if src.find(f"{q}Coding") is not None:
            log.warning(
                "%s: source %r has whole-document codings; these are ignored", path, names[sg]
            )
    return Project(codes, texts, names, selections, users)


def read_codes(codes_el: ET.Element, q: str, where: str) -> dict[str, Code]:
    """The project's codes by GUID, each with its parent's GUID, walking the tree iteratively.

    The code tree comes from someone else's file, so it is walked with an
    explicit stack (a deep tree cannot exhaust Python's recursion limit) no
    deeper than ``MAX_CODE_DEPTH`` (no real codebook comes near it; a deeper one
    is a broken or hostile file). Code nesting cannot loop in XML, but a GUID
    used twice would make two codes one and let a code be its own ancestor;
    every GUID must be present and unique, or the import stops with a QdpxError.
    """
    codes: dict[str, Code] = {}
    # Pre-order, as the file lists them: a stack of (children still to visit, their parent).
    stack: list[tuple[Iterator[ET.Element], str | None]] = [
        (iter(codes_el.findall(f"{q}Code")), None)
    ]
    while stack:
        children, parent = stack[-1]
        c = next(children, None)
        if c is None:
            stack.pop()
            continue
        if len(stack) > MAX_CODE_DEPTH:
            raise QdpxError(
                f"{where}: the code tree is more than {MAX_CODE_DEPTH} levels deep; "
                "refusing the project (flatten the codebook in the QDA package)"
            )
        g = c.get("guid", "")
        if not g:
            raise QdpxError(f"{where}: code {c.get('name', '')!r} has no guid")
        if g in codes:
            raise QdpxError(
                f"{where}: code guid {g} is used by more than one code "
                f"({codes[g].name!r} and {c.get('name', '')!r}); every code needs its own guid"
            )
        d = c.find(f"{q}Description")
        codes[g] = Code(g, c.get("name", ""), (d.text or "") if d is not None else "", parent)
        stack.append((iter(c.findall(f"{q}Code")), g))
    return codes


def _positions(sel: ET.Element) -> tuple[int, int, str | None]:
    """A selection's (start, end), or (-1, -1, why) when they are not usable offsets."""
    try:
        start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
    except ValueError:
        return -1, -1, "selection has non-integer positions"
    if start < 0 or end <= start:
        return start, end, f"selection positions {start}-{end} are not a span of text"
    return start, end, None


def _source_text(path: Path, src: ET.Element, q: str, members: dict[str, bytes]) -> str | None:
    content = src.find(f"{q}PlainTextContent")
    if content is not None and content.text is not None:
        return content.text
    ptp = src.get("plainTextPath") or ""
    if ptp.startswith("internal://"):
        rel = ptp[len("internal://") :]
        check_member_name(path, rel)
        name = posixpath.join("sources", rel)
        match = next((n for n in members if n.lower() == name.lower()), None)
        if match is None:
            raise QdpxError(
                f"{path}: source {src.get('name')!r} points to {ptp} but sources/{rel} is not in the archive"
            )
        try:
            return members[match].decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            # REFI-QDA source texts are UTF-8; guessing another encoding would shift
            # every offset, so the project is refused rather than misread.
            raise QdpxError(
                f"{path}: member {match!r} (source {src.get('name')!r}) is not UTF-8 text "
                f"(byte {exc.start}); REFI-QDA sources must be UTF-8, re-export the project"
            ) from exc
    # Never follow paths outside the archive (file://, relative://, absolute paths).
    log.warning(
        "%s: source %r has its text outside the archive (%r); its codings are skipped",
        path,
        src.get("name"),
        ptp,
    )
    return None


# --------------------------------------------------------------------------- mapping


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not s or not s[0].isalpha():
        s = f"theme_{s}" if s else "theme"
    return s


def theme_map(project: Project, codebook: Codebook) -> tuple[dict[str, str], list[dict]]:
    """Project code guid -> theme id; new codebook entries for codes we don't know."""
    cb_id = codebook.id
    themes = codebook.themes
    by_guid = {code_guid(cb_id, t.id): t.id for t in themes}
    by_name = {}
    for t in themes:
        by_name[t.id.lower()] = t.id
        by_name[t.label.strip().lower()] = t.id
    mapping: dict[str, str] = {}
    new: list[dict] = []
    taken = {t.id for t in themes}

    def known(g: str) -> str | None:
        code = project.codes[g]
        return by_guid.get(g) or by_name.get(code.name.strip().lower())

    def resolve(g: str) -> str:
        # Walk up to the nearest code already mapped (or known to the codebook),
        # iteratively: a Project built elsewhere may have a parent chain of any
        # length, or a loop, which is refused rather than followed for ever.
        chain: list[str] = []
        seen: set[str] = set()
        cur: str | None = g
        while cur is not None and cur not in mapping and cur in project.codes:
            if cur in seen:
                raise QdpxError(f"code {project.codes[cur].name!r} ({cur}) is its own ancestor")
            seen.add(cur)
            chain.append(cur)
            cur = None if known(cur) else project.codes[cur].parent
        for c in reversed(chain):  # parents first, so a child can name its parent's id
            mapping[c] = known(c) or new_entry(c)
        return mapping[g]

    def new_entry(g: str) -> str:
        code = project.codes[g]
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
        if code.parent is not None and code.parent in mapping:
            entry["parent"] = mapping[code.parent]
        entry["patterns"] = []
        new.append(entry)
        return tid

    for g in project.codes:
        resolve(g)
    return mapping, new


def match_source(project: Project, sg: str, respondents: pd.DataFrame, cid: str) -> str | None:
    """The respondent a project source is: by our GUID, then by name (or file stem)."""
    ids = set(respondents["respondent_id"])
    by_guid = {source_guid(cid, r): r for r in ids}
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


def imported_codings(
    project: Project,
    respondents: pd.DataFrame,
    answers: pd.DataFrame,
    mapping: dict[str, str],
    cid: str,
    path: Path,
) -> tuple[pd.DataFrame, list[dict]]:
    """Project codings as rows (respondent, question, theme, start, end, quote, user) + problems.

    ``problems`` are change rows with action ``skipped``: one per code of each
    selection that cannot be read (text outside the archive, unusable
    positions, words not found, outside every answer, unknown source or code),
    with the theme when the code is known and the reason in ``detail``.
    """
    texts = dict(zip(respondents["respondent_id"], respondents["text"], strict=True))
    where = _answer_index(answers)
    rows, problems = [], []

    def skip(rid: str, qid: str | None, quote: str | None, why: str, sel: Selection) -> None:
        # One row per code the selection carries (its theme, when the code is
        # known), so the import keeps exactly those codes instead of removing them.
        for t in dict.fromkeys(mapping.get(g) for g in sel.code_guids):
            problems.append(change("skipped", rid, qid, t, quote, why))

    for sel in project.selections:
        if not sel.code_guids:
            continue  # a selection with no coding says nothing about codes
        rid = match_source(project, sel.source_guid, respondents, cid)
        proj_text = project.texts.get(sel.source_guid)
        if proj_text is None:
            skip(rid or sel.source_name, None, None, "source text is not inside the archive", sel)
            continue
        if sel.problem is not None:
            skip(rid or sel.source_name, None, None, sel.problem, sel)
            continue
        quote = proj_text[sel.start : sel.end]
        if rid is None:
            why = "source matches no respondent (by guid or name)"
            skip(sel.source_name, None, quote, why, sel)
            continue
        span = _anchor(proj_text, sel.start, sel.end, str(texts[rid]))
        if span is None:
            skip(rid, None, quote, "selection's words not found in the respondent's text", sel)
            continue
        qid = _question_at(where, rid, span[0])
        if qid is None:
            skip(rid, None, quote, "selection is outside every answer", sel)
            continue
        for g in sel.code_guids:
            if g not in mapping:
                problems.append(
                    change(
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
