"""Response forms (issue 12, item 2): question | answer tables and tick boxes.

Each form is a real file: Word forms built with python-docx (tables, ☒
glyphs, a content-control check box and a legacy FORMCHECKBOX written with
lxml, a typed X in its own cell, an option matrix), an OpenDocument form
(zip + hand-written XML with check-box form controls) and an HTML form with
radio buttons, plus plain-text forms. All are read through ``run_ingest`` with
a small consultation written here (a council's transport scheme, unlike the
default consultations), and checked against hand-checked values: the
question each answer lands under, its tick box, that no unticked option's
label is read as the respondent's words, and the stance the tick gives.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest

from helpers.core.consultation import load_consultation
from helpers.ingest.stage import run_ingest
from helpers.stance import stance_answers

CONSULTATION = """\
id: riverside-bus-lanes
title: Riverside Road bus lanes
organisation: Example Borough Council
questions:
  - id: q1
    number: 1
    kind: closed
    short: Bus lanes on Riverside Road
    text: To what extent do you agree or disagree with the proposal to add bus lanes on Riverside Road?
  - id: q2
    number: 2
    kind: open
    short: Effects on your journeys
    text: How would the bus lanes affect the journeys you make?
  - id: q3
    number: 3
    kind: closed
    short: Operating hours
    text: To what extent do you agree or disagree that the bus lanes should operate at all times?
"""
Q1 = "To what extent do you agree or disagree with the proposal to add bus lanes on Riverside Road?"
Q2 = "How would the bus lanes affect the journeys you make?"
Q3 = "To what extent do you agree or disagree that the bus lanes should operate at all times?"
SCALE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _ingest(tmp_path: Path, files: dict[str, bytes | Path]):
    inp = tmp_path / "in"
    inp.mkdir(exist_ok=True)
    for name, data in files.items():
        if isinstance(data, Path):
            data = data.read_bytes()
        (inp / name).write_bytes(data)
    cfile = tmp_path / "consultation.yaml"
    cfile.write_text(CONSULTATION, encoding="utf-8")
    return run_ingest(inp, cfile, tmp_path / "out", metadata_file=None), load_consultation(cfile)


def _rows(result, rid: str) -> dict[str, dict]:
    sub = result.answers[result.answers["respondent_id"] == rid]
    return {r["question_id"]: r for r in sub.to_dict("records")}


def _no_unticked(result, ticked: set[str]) -> None:
    """No unticked scale label appears in any answer text, heading or tick."""
    for text in result.answers["answer_text"]:
        for label in ("Strongly disagree", "Neither agree nor disagree", "Strongly agree"):
            if label not in ticked:
                assert label.lower() not in str(text).lower(), (label, text)


# --- Word forms ---------------------------------------------------------------------


def _sdt_checkbox(checked: bool):
    """A content-control check box as Word 2010+ writes it (state in w14:checked)."""
    from docx.oxml import parse_xml

    glyph = "☒" if checked else "☐"
    return parse_xml(
        f'<w:sdt xmlns:w="{W}" xmlns:w14="{W14}"><w:sdtPr><w14:checkbox>'
        f'<w14:checked w14:val="{int(checked)}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/>'
        "</w14:checkbox></w:sdtPr>"
        f"<w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def _field_checkbox(checked: bool, by_default: bool = False) -> list:
    """The runs of a legacy FORMCHECKBOX field (no visible text; state in w:ffData)."""
    from docx.oxml import parse_xml

    state = "" if by_default else ("<w:checked/>" if checked else '<w:checked w:val="0"/>')
    default = int(checked and by_default)
    begin = parse_xml(
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/>'
        f'<w:enabled/><w:checkBox><w:sizeAuto/><w:default w:val="{default}"/>{state}'
        "</w:checkBox></w:ffData></w:fldChar></w:r>"
    )
    instr = parse_xml(
        f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
    )
    end = parse_xml(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>')
    return [begin, instr, end]


def _fill(cell, items) -> None:
    """Fill a table cell: items are paragraph texts or (control, checked, label) options."""
    cell.text = ""
    first = True
    for item in items:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if isinstance(item, str):
            para.add_run(item)
            continue
        control, checked, label = item
        if control == "sdt":
            para._p.append(_sdt_checkbox(checked))
        elif control == "field":
            for r in _field_checkbox(checked):
                para._p.append(r)
        elif control == "field-default":
            for r in _field_checkbox(checked, by_default=True):
                para._p.append(r)
        para.add_run(" " + label)


def make_form_docx(path: Path, intro: list[str], rows: list[tuple[str, list]]) -> Path:
    """A Word response form: intro paragraphs, then a two-column question | answer table."""
    import docx

    doc = docx.Document()
    for line in intro:
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(rows), cols=2)
    for r, (question, items) in enumerate(rows):
        table.cell(r, 0).text = question
        _fill(table.cell(r, 1), items)
    doc.save(str(path))
    return path


def _options(kind: str, ticked: str | None) -> list:
    return [(kind, label == ticked, label) for label in SCALE]
