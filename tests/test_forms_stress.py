"""Response-form stress corpus (issue 12/13): every tick layout respondents' forms use.

Each case is a real file built with the library the respondent's file comes
from (python-docx plus the OOXML python-docx does not write, hand-written
OpenDocument XML as LibreOffice writes it, plain HTML), read through
``run_ingest`` with the small transport consultation of ``test_forms``
(q1 and q3 closed, q2 open). The expected ticks were checked by hand
against each layout:

- Word tables: bare question numbers in a side column (with and without a
  header row), option columns with a typed X / ✓ under them, options in rows
  with the tick in the next cell (either side), label and tick cells
  alternating along one row, a question cell merged down beside its option
  rows, a question merged across the columns above its options, content
  controls, legacy form fields ticked by ``w:checked`` or by ``w:default``,
  Wingdings ticks typed as text (not ``w:sym``), ☑ ✓ ✔ (X) [x] marks, a bold
  or highlighted option as the only mark, and a ticked box with no comment;
- OpenDocument: side numbers with check-box controls, an option matrix with X;
- HTML: checked controls whose option text is bare text beside them, tables of
  "label | X" rows and of option columns;
- every form: the unticked options' labels appear in no answer, heading or
  tick, so stance and themes never read the form's print.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_forms import Q1, Q2, Q3, SCALE, W, _ingest, _rows, _stances, make_odt

# The unticked labels that must never be read as the respondent's words.
PRINT = ("Strongly disagree", "Neither agree nor disagree", "Strongly agree", "Tend to")


def _docx(path: Path, build) -> Path:
    import docx

    doc = docx.Document()
    build(doc)
    doc.save(str(path))
    return path


def _para(cell_or_doc, text: str = "", first: bool = False):
    if first and hasattr(cell_or_doc, "paragraphs") and cell_or_doc.paragraphs:
        para = cell_or_doc.paragraphs[0]
        if text:
            para.add_run(text)
        return para
    return cell_or_doc.add_paragraph(text)


def _sdt(checked: bool):
    from test_forms import _sdt_checkbox

    return _sdt_checkbox(checked)


def _field(checked: bool, how: str = "checked") -> list:
    """A FORMCHECKBOX field: ``how`` is "checked" (w:checked), "default" (w:default only),
    or "default-overridden" (w:default on, w:checked off: unticked by the respondent)."""
    from docx.oxml import parse_xml

    if how == "checked":
        inner = f'<w:default w:val="0"/>{"<w:checked/>" if checked else ""}'
    elif how == "default":
        inner = f'<w:default w:val="{int(checked)}"/>'
    else:
        inner = '<w:default w:val="1"/><w:checked w:val="0"/>'
    begin = parse_xml(
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="C"/>'
        f'<w:enabled/><w:checkBox><w:size w:val="20"/>{inner}</w:checkBox></w:ffData></w:fldChar></w:r>'
    )
    instr = parse_xml(
        f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
    )
    sep = parse_xml(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="separate"/></w:r>')
    end = parse_xml(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>')
    return [begin, instr, sep, end]


def _wingdings_run(char: str):
    """A run in Wingdings whose text is the symbol's character (pasted, not w:sym)."""
    from docx.oxml import parse_xml

    return parse_xml(
        f'<w:r xmlns:w="{W}"><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>'
        f"<w:t>{char}</w:t></w:r>"
    )


def _box_lines(cell, ticked: str | None, style: str = "glyph", first: bool = True) -> None:
    """The five-point scale as paragraphs of ``cell``, ``ticked`` marked in ``style``."""
    for i, label in enumerate(SCALE):
        para = _para(cell, first=first and i == 0)
        on = label == ticked
        if style == "glyph":
            para.add_run(("☒ " if on else "☐ ") + label)
        elif style == "sdt":
            para._p.append(_sdt(on))
            para.add_run(" " + label)
        elif style in ("field", "default"):
            for r in _field(on, "checked" if style == "field" else "default"):
                para._p.append(r)
            para.add_run(" " + label)
        elif style == "wingdings":  # þ is Wingdings' ticked box, ¨ its empty box
            para._p.append(_wingdings_run("þ" if on else "¨"))
            para.add_run(" " + label)
        elif style == "pua":  # the same symbols at the Symbol-font code points U+F0xx
            para._p.append(_wingdings_run("\uf0fe" if on else "\uf0a8"))
            para.add_run(" " + label)
        elif style == "bold":
            para.add_run(label).bold = on
        elif style == "highlight":
            from docx.enum.text import WD_COLOR_INDEX

            run = para.add_run(label)
            if on:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif style in ("[x]", "(X)", "☑", "✔", "✓"):
            mark = style if on else ("[ ]" if style == "[x]" else "( )" if style == "(X)" else "☐")
            para.add_run(f"{mark} {label}")
        else:
            raise ValueError(style)


# --- the Word cases: each returns the document builder ---------------------------------------


def side_numbers(doc) -> None:
    """No. | Question | Response, the left column only bare numbers."""
    t = doc.add_table(rows=4, cols=3)
    for c, h in enumerate(["No.", "Question", "Response"]):
        t.cell(0, c).text = h
    for r, (n, q) in enumerate([("1", Q1), ("2", Q2), ("3", Q3)], start=1):
        t.cell(r, 0).text = n
        t.cell(r, 1).text = q
    _box_lines(t.cell(1, 2), "Agree", "glyph")
    _para(t.cell(1, 2), "Buses need priority at the junction.")
    t.cell(2, 2).text = "My trips to the hospital would be quicker."
    _box_lines(t.cell(3, 2), "Strongly disagree", "sdt")


def side_numbers_no_header(doc) -> None:
    """Bare numbers, question text, then options in a fourth column; no header row."""
    doc.add_paragraph("Response form")
    t = doc.add_table(rows=3, cols=4)
    for r, (n, q) in enumerate([("1", Q1), ("2", Q2), ("3", Q3)]):
        t.cell(r, 0).text = n
        t.cell(r, 1).text = q
    _box_lines(t.cell(0, 2), "Disagree", "field")
    t.cell(0, 3).text = ""  # a comment box left empty
    t.cell(1, 2).text = "I would walk more."
    _box_lines(t.cell(2, 2), "Agree", "default")
    t.cell(2, 3).text = "Only at peak hours."


def side_numbers_option_columns(doc) -> None:
    """A grid: number | question | one column per option, the tick typed under one."""
    t = doc.add_table(rows=4, cols=7)
    for c, h in enumerate(["", "Question"] + SCALE):
        t.cell(0, c).text = h
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 3).text = "1", Q1, "X"
    t.cell(2, 0).text, t.cell(2, 1).text = "2", Q2
    merged = t.cell(2, 2).merge(t.cell(2, 6))
    merged.text = "Bus stops would move further from my house."
    t.cell(3, 0).text, t.cell(3, 1).text, t.cell(3, 6).text = "3", Q3, "✓"


def options_in_rows_tick_next(doc) -> None:
    """Question cell merged down beside option rows: question | label | tick."""
    t = doc.add_table(rows=12, cols=3)
    q1 = t.cell(0, 0).merge(t.cell(4, 0))
    q1.text = f"1. {Q1}"
    for r, label in enumerate(SCALE):
        t.cell(r, 1).text = label
        t.cell(r, 2).text = "✔" if label == "Agree" else ""
    q2 = t.cell(5, 0)
    q2.text = f"2. {Q2}"
    t.cell(5, 1).merge(t.cell(5, 2)).text = "No change for me, I work from home."
    q3 = t.cell(6, 0).merge(t.cell(10, 0))
    q3.text = f"3. {Q3}"
    for r, label in enumerate(SCALE, start=6):
        t.cell(r, 1).text = label
        t.cell(r, 2).text = "x" if label == "Neither agree nor disagree" else ""
    t.cell(11, 0).text = "Any comments on question 3"
    t.cell(11, 1).merge(t.cell(11, 2)).text = ""


def tick_cell_before_label(doc) -> None:
    """Questions as paragraphs, each over a table of tick | label rows."""
    doc.add_paragraph(f"Question 1: {Q1}")
    t = doc.add_table(rows=5, cols=2)
    for r, label in enumerate(SCALE):
        t.cell(r, 0).text = "[x]" if label == "Strongly agree" else "[ ]"
        t.cell(r, 1).text = label
    doc.add_paragraph("Long overdue.")
    doc.add_paragraph(f"Question 2: {Q2}")
    doc.add_paragraph("I take the 42 bus every day.")
    doc.add_paragraph(f"Question 3: {Q3}")
    t = doc.add_table(rows=5, cols=2)
    for r, label in enumerate(SCALE):
        t.cell(r, 0).text = "☑" if label == "Disagree" else "☐"
        t.cell(r, 1).text = label


def options_across_one_row(doc) -> None:
    """Question merged across the columns, then label | tick cells alternating along a row."""
    t = doc.add_table(rows=6, cols=6)
    t.cell(0, 0).merge(t.cell(0, 5)).text = f"Q1. {Q1}"
    labels = ["Agree", "Neither agree nor disagree", "Disagree"]
    for k, label in enumerate(labels):
        t.cell(1, 2 * k).text = label
        t.cell(1, 2 * k + 1).text = "(X)" if label == "Disagree" else "( )"
    t.cell(2, 0).merge(t.cell(2, 5)).text = "Please explain your answer"
    t.cell(3, 0).merge(t.cell(3, 5)).text = "The road is too narrow."
    t.cell(4, 0).merge(t.cell(4, 5)).text = f"Q3. {Q3}"
    for k, label in enumerate(labels):
        t.cell(5, 2 * k).text = "☐ " + label if label != "Agree" else "☒ " + label
    doc.add_paragraph(f"Q2. {Q2}")
    doc.add_paragraph("It would not affect me.")


def typed_marks(doc) -> None:
    """Two-column form, marks typed in the option lines: [x] and (X)."""
    t = doc.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text, t.cell(2, 0).text = Q1, Q2, Q3
    _box_lines(t.cell(0, 1), "Disagree", "[x]")
    t.cell(1, 1).text = "More reliable buses."
    _box_lines(t.cell(2, 1), "Strongly agree", "(X)")


def tick_glyphs(doc) -> None:
    """☑ on one question, ✔ beside empty boxes on the other."""
    t = doc.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text, t.cell(2, 0).text = Q1, Q2, Q3
    _box_lines(t.cell(0, 1), "Strongly agree", "☑")
    _para(t.cell(0, 1), "At last.")
    t.cell(1, 1).text = "Quicker by bus."
    _box_lines(t.cell(2, 1), "Agree", "✔")


def bold_option(doc) -> None:
    """No boxes: the chosen option is bold (q1) or highlighted (q3), the others plain."""
    t = doc.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text, t.cell(2, 0).text = Q1, Q2, Q3
    _box_lines(t.cell(0, 1), "Disagree", "bold")
    _para(t.cell(0, 1), "Too much disruption during the works.")
    t.cell(1, 1).text = "None, I drive."
    _box_lines(t.cell(2, 1), "Agree", "highlight")


def wingdings_text(doc) -> None:
    """Wingdings boxes typed as text: þ/¨ (q1) and the U+F0xx code points (q3)."""
    t = doc.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text, t.cell(2, 0).text = Q1, Q2, Q3
    _box_lines(t.cell(0, 1), "Agree", "wingdings")
    t.cell(1, 1).text = "Safer cycling."
    _box_lines(t.cell(2, 1), "Disagree", "pua")


def ticked_no_comment(doc) -> None:
    """Ticked boxes with the comment boxes under them left empty; q2 skipped."""
    t = doc.add_table(rows=6, cols=2)
    t.cell(0, 0).text = f"Question 1 {Q1}"
    _box_lines(t.cell(0, 1), "Strongly agree", "sdt")
    t.cell(1, 0).text = "Please give reasons for your answer"
    t.cell(2, 0).text = f"Question 2 {Q2}"
    t.cell(3, 0).text = f"Question 3 {Q3}"
    _box_lines(t.cell(3, 1), "Strongly disagree", "sdt")
    t.cell(4, 0).text = "Please give reasons for your answer"
    t.cell(5, 0).text = "Thank you for your response."


def unticked_print(doc) -> None:
    """Q1 answered in words only, every box left empty; q3 an empty option grid."""
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 0).text = Q1, Q2
    _box_lines(t.cell(0, 1), None, "sdt")
    _para(t.cell(0, 1), "I have mixed feelings about the lanes.")
    t.cell(1, 1).text = "Slower car journeys."
    doc.add_paragraph(f"Question 3: {Q3}")
    g = doc.add_table(rows=2, cols=5)
    for c, label in enumerate(SCALE):
        g.cell(0, c).text = label
    doc.add_paragraph("I am not sure about the evenings.")


def side_numbers_box_cells(doc) -> None:
    """Number | question | one cell per option, each with its own content-control box."""
    t = doc.add_table(rows=3, cols=7)
    for r, (n, q) in enumerate([("1", Q1), ("2", Q2), ("3", Q3)]):
        t.cell(r, 0).text = n
        t.cell(r, 1).text = q
    for c, label in enumerate(SCALE, start=2):
        for r, ticked in ((0, "Strongly agree"), (2, "Neither agree nor disagree")):
            para = t.cell(r, c).paragraphs[0]
            para._p.append(_sdt(label == ticked))
            para.add_run(" " + label)
    t.cell(1, 2).merge(t.cell(1, 6)).text = "I would use the bus more."


def side_numbers_short_labels(doc) -> None:
    """Bare numbers beside short labels, not the questions' wording: the number places them."""
    t = doc.add_table(rows=3, cols=3)
    for r, (n, q) in enumerate([("1", "Your view"), ("2", "Your journeys"), ("3", "Hours")]):
        t.cell(r, 0).text = n
        t.cell(r, 1).text = q
    _box_lines(t.cell(0, 2), "Agree", "sdt")
    t.cell(1, 2).text = "I cycle to the station."
    _box_lines(t.cell(2, 2), "Disagree", "sdt")


WORD_CASES = {
    "side-numbers-short-labels": (side_numbers_short_labels, "Agree", "Disagree"),
    "side-numbers-box-cells": (
        side_numbers_box_cells,
        "Strongly agree",
        "Neither agree nor disagree",
    ),
    "side-numbers": (side_numbers, "Agree", "Strongly disagree"),
    "side-numbers-no-header": (side_numbers_no_header, "Disagree", "Agree"),
    "side-numbers-option-columns": (side_numbers_option_columns, "Agree", "Strongly disagree"),
    "options-in-rows-tick-next": (options_in_rows_tick_next, "Agree", "Neither agree nor disagree"),
    "tick-cell-before-label": (tick_cell_before_label, "Strongly agree", "Disagree"),
    "options-across-one-row": (options_across_one_row, "Disagree", "Agree"),
    "typed-marks": (typed_marks, "Disagree", "Strongly agree"),
    "tick-glyphs": (tick_glyphs, "Strongly agree", "Agree"),
    "bold-option": (bold_option, "Disagree", "Agree"),
    "wingdings-text": (wingdings_text, "Agree", "Disagree"),
    "ticked-no-comment": (ticked_no_comment, "Strongly agree", "Strongly disagree"),
    "unticked-print": (unticked_print, None, None),
}


# --- OpenDocument and HTML cases -------------------------------------------------------------


def _cell(inner: str, cols: int = 1) -> str:
    span = f' table:number-columns-spanned="{cols}"' if cols > 1 else ""
    cover = "<table:covered-table-cell/>" * (cols - 1)
    return f"<table:table-cell{span}>{inner}</table:table-cell>{cover}"


def _p(text: str) -> str:
    return f"<text:p>{text}</text:p>"


def odt_side_numbers() -> str:
    """Number | question | options (check-box controls) | comment."""
    controls, q1, q3 = [], "", ""
    for i, label in enumerate(SCALE):
        for q, ticked in (("a", "Agree"), ("b", "Disagree")):
            state = "checked" if label == ticked else "unchecked"
            controls.append(
                f'<form:checkbox form:id="{q}{i}" form:label="{label}" form:current-state="{state}"/>'
            )
        q1 += _p(f'<draw:control draw:control="a{i}"/>')
        q3 += _p(f'<draw:control draw:control="b{i}"/>')
    rows = [
        [_cell(_p("1")), _cell(_p(Q1)), _cell(q1), _cell(_p(""))],
        [_cell(_p("2")), _cell(_p(Q2)), _cell(_p("Quieter streets near the school."), 2)],
        [_cell(_p("3")), _cell(_p(Q3)), _cell(q3), _cell(_p("Not overnight."))],
    ]
    body = "".join(f"<table:table-row>{''.join(r)}</table:table-row>" for r in rows)
    return (
        f"<office:forms><form:form>{''.join(controls)}</form:form></office:forms>"
        f'<table:table><table:table-column table:number-columns-repeated="4"/>{body}</table:table>'
    )


def odt_option_matrix() -> str:
    """Header of option labels over number | question | X rows; the open answer merged across."""
    head = [_cell(_p("")), _cell(_p("Question"))] + [_cell(_p(lab)) for lab in SCALE]
    r1 = [_cell(_p("1")), _cell(_p(Q1))] + [
        _cell(_p("X" if lab == "Strongly agree" else "")) for lab in SCALE
    ]
    r2 = [_cell(_p("2")), _cell(_p(Q2)), _cell(_p("It would cut my commute."), 5)]
    r3 = [_cell(_p("3")), _cell(_p(Q3))] + [
        _cell(_p("x" if lab == "Disagree" else "")) for lab in SCALE
    ]
    body = "".join(f"<table:table-row>{''.join(r)}</table:table-row>" for r in (head, r1, r2, r3))
    return f"<table:table>{body}</table:table>"


def html_bare_labels() -> str:
    """Checked controls with their option as bare text beside them (no <label>)."""

    def radios(name: str, ticked: str) -> str:
        return "".join(
            f'<input type="radio" name="{name}" value="{i}"{" checked" if lab == ticked else ""}> {lab}<br>'
            for i, lab in enumerate(SCALE)
        )

    return (
        "<html><body><form>"
        f"<p><b>1. {Q1}</b></p><p>{radios('q1', 'Agree')}</p>"
        f"<p><b>2. {Q2}</b></p><p><textarea>Faster journeys to work.</textarea></p>"
        f"<p><b>3. {Q3}</b></p>"
        + "".join(
            f'<input type="checkbox" id="c{i}"{" checked" if lab == "Disagree" else ""}>{lab}<br>'
            for i, lab in enumerate(SCALE)
        )
        + "</form></body></html>"
    )


def html_tables() -> str:
    """ "label | X" rows under q1; option columns with an X row under q3."""
    rows = "".join(
        f"<tr><td>{lab}</td><td>{'X' if lab == 'Strongly disagree' else ''}</td></tr>"
        for lab in SCALE
    )
    head = "".join(f"<th>{lab}</th>" for lab in SCALE)
    marks = "".join(f"<td>{'✓' if lab == 'Agree' else ''}</td>" for lab in SCALE)
    return (
        f"<html><body><h2>Question 1</h2><p>{Q1}</p><table>{rows}</table>"
        f"<h2>Question 2</h2><p>{Q2}</p><p>Much longer drive to the station.</p>"
        f"<h2>Question 3</h2><p>{Q3}</p><table><tr>{head}</tr><tr>{marks}</tr></table>"
        "</body></html>"
    )


def odt_merged_down() -> str:
    """Question cell merged down over its option rows (covered cells below it); tick beside label."""

    def block(q: str, ticked: str) -> list[str]:
        rows = []
        for k, lab in enumerate(SCALE):
            first = (
                f'<table:table-cell table:number-rows-spanned="5">{_p(q)}</table:table-cell>'
                if k == 0
                else "<table:covered-table-cell/>"
            )
            rows.append(first + _cell(_p(lab)) + _cell(_p("☒" if lab == ticked else "☐")))
        return rows

    rows = block(f"1. {Q1}", "Disagree")
    rows.append(_cell(_p(f"2. {Q2}")) + _cell(_p("Longer walk to the stop."), 2))
    rows += block(f"3. {Q3}", "Strongly agree")
    body = "".join(f"<table:table-row>{r}</table:table-row>" for r in rows)
    return f"<table:table>{body}</table:table>"


def html_rowspan() -> str:
    """A question cell spanning its option rows; "✔" in the cell after the label."""

    def block(n: int, q: str, ticked: str) -> str:
        out = ""
        for k, lab in enumerate(SCALE):
            head = f'<td rowspan="5">{n}. {q}</td>' if k == 0 else ""
            out += f"<tr>{head}<td>{lab}</td><td>{'✔' if lab == ticked else ''}</td></tr>"
        return out

    return (
        "<html><body><table>"
        + block(1, Q1, "Neither agree nor disagree")
        + f"<tr><td>2. {Q2}</td><td colspan='2'>It would not change my trips.</td></tr>"
        + block(3, Q3, "Disagree")
        + "</table></body></html>"
    )


OTHER_CASES = {
    "odt-merged-down.odt": (odt_merged_down, "Disagree", "Strongly agree"),
    "html-rowspan.html": (html_rowspan, "Neither agree nor disagree", "Disagree"),
    "odt-side-numbers.odt": (odt_side_numbers, "Agree", "Disagree"),
    "odt-option-matrix.odt": (odt_option_matrix, "Strongly agree", "Disagree"),
    "html-bare-labels.html": (html_bare_labels, "Agree", "Disagree"),
    "html-tables.html": (html_tables, "Strongly disagree", "Agree"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stress")
    files: dict[str, bytes | Path] = {}
    for name, (build, _, _) in WORD_CASES.items():
        files[f"{name}.docx"] = _docx(tmp / f"{name}.docx", build)
    for name, (build, _, _) in OTHER_CASES.items():
        if name.endswith(".odt"):
            files[name] = make_odt(tmp / name, build())
        else:
            files[name] = build().encode("utf-8")
    result, consultation = _ingest(tmp, files)
    return result, consultation


EXPECTED = {name: (q1, q3) for name, (_, q1, q3) in WORD_CASES.items()} | {
    name.rsplit(".", 1)[0]: (q1, q3) for name, (_, q1, q3) in OTHER_CASES.items()
}


def _tick(rows: dict, qid: str):
    if qid not in rows:
        return "(no row)"
    value = rows[qid]["tick_box"]
    return None if value is None or pd.isna(value) else value


@pytest.mark.parametrize("rid", sorted(EXPECTED))
def test_ticks_read(corpus, rid: str) -> None:
    result, _ = corpus
    rows = _rows(result, rid)
    assert (_tick(rows, "q1"), _tick(rows, "q3")) == EXPECTED[rid]


@pytest.mark.parametrize("rid", sorted(EXPECTED))
def test_printed_options_never_read_as_words(corpus, rid: str) -> None:
    """No unticked option label in any answer text or heading: the form's print is not an answer."""
    result, _ = corpus
    sub = result.answers[result.answers["respondent_id"] == rid]
    ticked = set(EXPECTED[rid]) - {None}
    for text in list(sub["answer_text"]) + list(sub["heading_text"].fillna("")):
        for label in PRINT:
            if not any(label.lower() in t.lower() for t in ticked):
                assert label.lower() not in str(text).lower(), (label, text)


@pytest.mark.parametrize("rid", sorted(EXPECTED))
def test_stance_follows_the_tick(corpus, rid: str) -> None:
    result, consultation = corpus
    stances = _stances(result, consultation, rid)
    for qid, tick in zip(("q1", "q3"), EXPECTED[rid], strict=True):
        if tick is not None:
            assert stances[qid][1].startswith("tick_box"), (qid, stances[qid])
            assert stances[qid][0] == tick.lower().replace(" ", "_").replace(
                "neither_agree_nor_disagree", "neither"
            ), (qid, stances[qid])
