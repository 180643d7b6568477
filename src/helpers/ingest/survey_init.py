"""``consult init --from-export FILE``: draft consultation.yaml from a survey export.

A researcher with a new export should not have to type forty column names.
This reads the export's header (and the values under it), and writes a draft
for the researcher to check and edit, never a final file:

1. **Platform.** The header is matched against every preset in
   ``helpers/data/survey_presets.yaml`` (``core.survey_presets.detect``); the
   best fit names the respondent id, organisation, respondent-type,
   timestamp, personal-data and bookkeeping columns. No fit: every column
   but the id is taken as a question.
2. **Kinds, from the values.** A column whose answers are an agree/disagree
   scale ("Agree", "Tend to disagree", "Don't know", 1-5 codes: read by the
   stance stage's tick-box rules, passed in as ``scale_value``) is a tick box,
   so its question is ``closed``; a column of a few repeated short values
   (capacity, type, area, age group) is ``profile``; anything else is free
   text, ``open``. A column with no answers at all is drafted ``open`` and
   flagged.
3. **Pairs.** A closed question's tick box and its free-text column are one
   question: paired when they carry the same number ("Q1"/"Q1a",
   "Q3"/"Q3_TEXT"), or when the text column comes straight after the tick
   box and reads like a follow-up ("Please explain your answer",
   ``follow_up`` in the presets file).
4. **Wording.** From the row under the header when the platform writes one
   (Qualtrics), else from the header itself, less its number.
5. **Who responds.** A column of short labels whose header asks about the
   respondent (area, age group, gender, role: ``attributes`` in the presets
   file) is drafted under ``attributes:``, so every table can break down by
   it, not as a question. Columns asking for a name, e-mail, phone, postcode
   or address (``personal``) are never drafted as questions, whatever the
   platform.

Values that read like sentences are free text however often they repeat (a
small export, a campaign): only short labels make a ``profile`` question.
Repeated column names reach this module already numbered ("Please explain
your answer (2)", ``export_rows.unique_header``).

The YAML is written with comments saying what each guess was based on (the
commonest values of each column) and what to check. Personal-data columns
are listed as not read; their values are never written into the draft.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.core.survey_presets import (
    Column,
    attribute_of,
    classify,
    detect,
    is_follow_up,
    is_personal,
    load_presets,
)
from helpers.ingest.readers import SUPPORTED, ReadError
from helpers.ingest.readers.export_rows import column_index, describes_column, export_rows
from helpers.ingest.readers.limits import DEFAULT_LIMITS

__all__ = ["draft_consultation", "write_draft"]

SAMPLE_ROWS = 5_000  # rows whose values decide a column's kind
SCALE_SHARE = 0.8  # share of a column's values on the scale for it to be a tick box
MAX_CHOICES = 15  # distinct values of a profile column at most
MAX_CHOICE_CHARS = 80  # longest value of a profile column
MAX_CHOICE_WORDS = 12  # most words in a value of a profile column
_NUMBERED = re.compile(r"^(?:Q(?:uestion)?\s*)?\d+[a-z]?[.):]\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]['\")]?$")
_GENERIC_ID = (re.compile(r".*\b(id|identifier|reference|ref)\b.*", re.IGNORECASE),)


@dataclass
class _Col:
    index: int
    header: str
    info: Column
    wording: str
    values: list[str]
    kind: str = "open"  # scale, choice, open, empty
    attribute: str | None = None  # a choice column about the respondent: the attribute id


@dataclass
class _Question:
    qid: str
    kind: str
    text: str
    number: int | None = None
    tick: _Col | None = None
    free: _Col | None = None
    notes: list[str] = field(default_factory=list)


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _labels(distinct: set[str]) -> bool:
    """Whether values read like a list's labels, not sentences someone wrote.

    Labels ("As an individual", "18-24", "Town centre") are short and rarely end
    a sentence; explanations ("It will cost too much.") do, and repeat in a
    small export or a campaign, so repetition alone does not make a list.
    """
    if any(len(v.split()) > MAX_CHOICE_WORDS for v in distinct):
        return False
    return 3 * sum(bool(_SENTENCE_END.search(v)) for v in distinct) <= len(distinct)


def _kind(values: list[str], scale_value: Callable[[str], str | None]) -> str:
    if not values:
        return "empty"
    read = [scale_value(v) for v in values]
    on_scale = [s for s in read if s is not None and s != "not_answered"]
    points = [s for s in on_scale if s != "dont_know"]
    if points and len(on_scale) >= SCALE_SHARE * len(values):
        return "scale"
    distinct = set(values)
    if not _labels(distinct):
        return "open"
    longest = max(map(len, distinct))
    repeated = len(values) >= 2 * len(distinct)
    if len(distinct) <= MAX_CHOICES and longest <= MAX_CHOICE_CHARS and repeated:
        return "choice"
    if len(distinct) <= 3 and all(len(v.split()) <= 4 for v in distinct):
        return "choice"  # a few short labels, each given once (a small export)
    return "open"


def _slug(text: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:4]
    base = "_".join(words)[:30].strip("_") or "profile"
    if not base[0].isalpha():
        base = f"p_{base}"
    slug, k = base, 1
    while slug in taken:
        k += 1
        slug = f"{base}_{k}"
    return slug


def _columns(path: Path, scale_value) -> tuple[list[_Col], object, int, list[str], int]:
    """The export's columns with their roles and kinds; the preset; the rows read; notes."""
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt not in ("csv", "xlsx"):
        raise ReadError(f"{path.name}: not a survey export (.csv or .xlsx)")
    ids = tuple(
        re.compile(p, re.IGNORECASE) for pr in load_presets().values() for p in pr.respondent_id
    )
    header, rows, _, notes = export_rows(
        path.read_bytes(), path.name, fmt, ids + _GENERIC_ID, DEFAULT_LIMITS, keep_descriptions=True
    )
    preset, score = detect(header)
    if preset is not None:
        ids = tuple(re.compile(p, re.IGNORECASE) for p in preset.respondent_id)
    at = column_index(header, ids + _GENERIC_ID)
    wording: list[str] = [""] * len(header)
    if (
        at is not None
        and rows
        and describes_column(rows[0][1][at] if at < len(rows[0][1]) else "", header[at])
    ):
        first = rows[0][1]
        wording = [first[i].strip() if i < len(first) else "" for i in range(len(header))]
        rows = [r for r in rows if not (at < len(r[1]) and describes_column(r[1][at], header[at]))]
    cols = []
    sample = rows[:SAMPLE_ROWS]
    presets = [preset] if preset else list(load_presets().values())
    for i, h in enumerate(header):
        if not h:
            continue
        infos = [classify(p, h) for p in presets]
        info = next((c for c in infos if c.role not in ("unknown", "question")), None)
        info = info or next(
            (c for c in infos if c.role == "question"), Column(h, "question", text=h)
        )
        if i != at and (
            any(p.matches("personal", h) for p in load_presets().values())
            or is_personal(h)
            or is_personal(wording[i] or info.text or h)
        ):
            info = Column(h, "personal")  # personal data under any platform's name for it
        if i == at:
            info = Column(h, "respondent_id")
        elif info.role == "respondent_id":
            info = Column(h, "system")  # a second id column: the platform's, not the respondent's
        values = [r[i].strip() for _, r in sample if i < len(r) and r[i].strip()]
        col = _Col(i, h, info, wording[i] or info.text or h, values)
        col.kind = "open" if info.free_text else _kind(values, scale_value)
        if col.kind == "choice" and is_follow_up(col.wording):
            col.kind = "open"  # "Please explain your answer": free text, however it repeats
        if col.kind == "choice" and info.role == "question":
            col.attribute = attribute_of(col.wording)
        if info.role == "question" and wording[i]:
            # Column ids (Qualtrics' Q4) say nothing: the wording under them may.
            for role in ("organisation", "respondent_type"):
                if any(p.matches(role, wording[i]) for p in load_presets().values()):
                    col.info = Column(h, role)
                    break
        cols.append(col)
    return cols, preset, score, notes, len(rows)


def _questions(cols: list[_Col]) -> list[_Question]:
    """Questions from the question columns, tick boxes paired with their free text."""
    out: list[_Question] = []
    taken: set[str] = set()
    n = 0
    for col in cols:
        role = col.info.role
        if col.attribute and role == "question":
            continue  # drafted under attributes:
        if role == "respondent_type" or (role == "question" and col.kind == "choice"):
            text = _NUMBERED.sub("", col.wording) or col.wording  # "1. Are you …" → "Are you …"
            qid = _slug(text, taken)
            taken.add(qid)
            out.append(_Question(qid, "profile", text, free=col))
            continue
        if role != "question":
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == "closed"
            and last.free is None
            and col.kind in ("open", "empty")
            and (
                (col.info.number is not None and col.info.number == last.number)
                or (col.info.number is None and is_follow_up(col.wording))
                # numbered as a question of its own (SmartSurvey, Qualtrics' ids)
                or (col.info.number is not None and is_follow_up(col.wording, across_numbers=True))
            )
        ):
            last.free = col
            continue
        n += 1
        number = col.info.number if col.info.number is not None else n
        qid = f"q{number}"
        if qid in taken:  # another part of a numbered question (Qualtrics' Q5_1, Q5_2)
            part = re.sub(r"[^a-z0-9]+", "_", (col.info.part or "").lower()).strip("_")
            qid = _slug(f"q{number} {part or 'part'}", taken)
            number = None  # the number stays with the question's first part
        taken.add(qid)
        q = _Question(qid, "closed" if col.kind == "scale" else "open", col.wording)
        q.number = number
        if col.kind == "scale":
            q.tick = col
        else:
            q.free = col
        if col.kind == "empty":
            q.notes.append("no answers in this export: check the kind")
        out.append(q)
    return out


def _values_note(col: _Col) -> str:
    """What a column's kind was guessed from; free text is described, never quoted."""
    if not col.values:
        return "no answers"
    if col.kind == "open":
        return f"free text: {len(col.values):,} answer(s)"
    common = collections.Counter(col.values).most_common(4)
    shown = ", ".join(f"{v[:30]!s} ({k})" for v, k in common)
    return f"values: {shown}" + (" …" if len(set(col.values)) > 4 else "")


def _attribute_lines(cols: list[_Col]) -> list[str]:
    """The ``attributes:`` section: one open attribute per column about the respondent.

    Open (no ``values:``): each label the export uses is a group, and tables
    count a label only one respondent gave as other. The comment shows the
    labels, so the researcher can group them (``values:`` with ``aliases:``).
    """
    if not cols:
        return []
    lines = [
        "# Who the respondents are, for tables and charts to break down by (run.yaml",
        "# breakdowns:); each label is a group until you declare values: (helpers/core/attributes.py).",
        "attributes:",
    ]
    taken: set[str] = set()
    for col in cols:
        aid, k = col.attribute or "attribute", 1
        while aid in taken:
            k += 1
            aid = f"{col.attribute}_{k}"
        taken.add(aid)
        label = aid.replace("_", " ").capitalize()
        lines += [
            f"  - id: {aid}",
            f"    label: {_q(label)}  # {_q(col.wording)[1:-1]}; {_values_note(col)}",
            f"    source: {{column: {_q(col.header)}}}",
        ]
    return lines


def draft_consultation(path: str | Path, scale_value: Callable[[str], str | None]) -> str:
    """The draft consultation.yaml for the export at ``path``, as text (module docstring).

    ``scale_value`` reads a tick-box value as a stance, or None when it is not
    one (``stance.tick_box_stance``). Raises ReadError for an unreadable export.
    """
    path = Path(path)
    cols, preset, score, notes, n_rows = _columns(path, scale_value)
    questions = _questions(cols)
    if not questions:
        raise ReadError(f"{path.name}: no question columns found in the header")
    by_role = collections.defaultdict(list)
    for c in cols:
        by_role[c.info.role].append(c)
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "consultation"
    if not slug[0].isalnum():
        slug = f"c{slug}"
    lines = [
        f"# Drafted by `consult init --from-export {path.name}` on {dt.date.today().isoformat()}",
        f"# from its header and {n_rows:,} data row(s). A draft: CHECK IT before a run.",
        "#",
    ]
    if preset is not None:
        lines.append(
            f"# Platform: {preset.label} (preset {preset.name}; {score} of its marker columns found)."
        )
    else:
        lines.append("# Platform: not recognised; every column but the id is taken as a question.")
    lines += [
        "# To check:",
        "#   - id and title (and organisation, opened, closed, url: see helpers/core/consultation.py);",
        "#   - each question's wording (text:) and number against the consultation document;",
        "#   - each kind: closed = an agree/disagree tick box, open = free text,",
        "#     profile = who is responding (capacity, type, area); the values each guess",
        "#     was based on are in the comment beside it;",
        "#   - that each tick_box/text pair under survey: belongs to one question.",
        "# Then give short: labels (used in tables) and aliases: if respondents also send documents.",
        f"id: {slug}",
        'title: "TODO: the consultation\'s title"',
        "questions:",
    ]
    for q in questions:
        lines.append(f"  - id: {q.qid}")
        if q.number is not None:
            lines.append(f"    number: {q.number}")
        basis = "; ".join(filter(None, [_values_note(c) for c in (q.tick, q.free) if c] + q.notes))
        lines.append(f"    kind: {q.kind}" + (f"  # {basis}" if basis else ""))
        lines.append(f"    text: {_q(q.text)}")
    lines += ["survey:"]
    if preset is not None:
        lines.append(f"  preset: {preset.name}")
    rid = by_role["respondent_id"][0].header if by_role["respondent_id"] else cols[0].header
    lines.append(f"  respondent_id: {_q(rid)}")
    for role in ("organisation", "respondent_type"):
        if by_role[role]:
            lines.append(f"  {role}: {_q(by_role[role][0].header)}")
    lines.append("  questions:")
    for q in questions:
        parts = [f"tick_box: {_q(q.tick.header)}"] if q.tick else []
        parts += [f"text: {_q(q.free.header)}"] if q.free else []
        lines.append(f"    {q.qid}: {{{', '.join(parts)}}}")
    lines += _attribute_lines([c for c in cols if c.attribute and c.info.role == "question"])
    skipped = [(r, by_role[r]) for r in ("timestamp", "personal", "system") if by_role[r]]
    if skipped:
        lines.append("# Columns not read:")
        why = {
            "timestamp": "timestamps",
            "personal": "personal data, never read",
            "system": "the platform's own",
        }
        for role, cs in skipped:
            lines.append(f"#   {why[role]}: {', '.join(c.header for c in cs)}")
    for note in notes:
        lines.append(f"# Reading the export: {note}")
    return "\n".join(lines) + "\n"


def write_draft(
    export: str | Path, out: str | Path, scale_value: Callable[[str], str | None]
) -> Path:
    """Write the draft for ``export`` to ``out``; FileExistsError if ``out`` exists (never overwritten)."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(
            f"{out}: already exists; not overwritten (choose another --out, or move it away)"
        )
    text = draft_consultation(export, scale_value)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("x", encoding="utf-8") as f:  # "x": fails rather than overwrite, even in a race
        f.write(text)
    return out
