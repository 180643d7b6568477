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

import zipfile
from pathlib import Path

import pandas as pd
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


def _stances(result, consultation, rid: str) -> dict[str, tuple[str, str]]:
    table = stance_answers(result.answers, result.respondents, consultation)
    sub = table[table["respondent_id"] == rid]
    return {r["question_id"]: (r["stance"], r["method"]) for r in sub.to_dict("records")}


def test_word_form_content_controls_and_legacy_check_boxes(tmp_path: Path) -> None:
    path = make_form_docx(
        tmp_path / "sam.docx",
        ["Riverside Road bus lanes: response form", "Name: Sam Example"],
        [
            (Q1, _options("sdt", "Agree") + ["We need faster buses into town."]),
            (Q2, ["I cycle, and the lanes would make it safer."]),
            (Q3, _options("field", "Strongly disagree")),
        ],
    )
    result, consultation = _ingest(tmp_path, {"sam.docx": path})
    rows = _rows(result, "sam")
    assert list(rows) == ["preamble", "q1", "q2", "q3"]
    assert rows["q1"]["tick_box"] == "Agree"
    assert rows["q1"]["answer_text"] == "We need faster buses into town."
    assert pd.isna(rows["q2"]["tick_box"])
    assert rows["q2"]["answer_text"] == "I cycle, and the lanes would make it safer."
    assert (rows["q3"]["tick_box"], rows["q3"]["answer_text"]) == ("Strongly disagree", "")
    _no_unticked(result, {"Strongly disagree"})
    assert "Neither agree nor disagree" not in result.respondents.iloc[0]["text"]
    reason = result.log.set_index("file").loc["sam.docx", "reason"]
    assert "2 ticked option(s)" in reason and "8 unticked option(s)" in reason
    assert _stances(result, consultation, "sam") == {
        "q1": ("agree", "tick_box+text"),
        "q3": ("strongly_disagree", "tick_box"),
    }


def test_word_form_glyphs_on_one_line_and_default_checked_field(tmp_path: Path) -> None:
    """Options on one line ("☐ Strongly agree ☒ Disagree …"); a field ticked by its default."""
    line = "  ".join(("☒ " if label == "Disagree" else "☐ ") + label for label in SCALE)
    path = make_form_docx(
        tmp_path / "line.docx",
        [],
        [
            (f"Question 1: {Q1}", [line, "The lanes would slow my deliveries."]),
            (f"Question 3: {Q3}", _options("field-default", "Neither agree nor disagree")),
        ],
    )
    result, consultation = _ingest(tmp_path, {"line.docx": path})
    rows = _rows(result, "line")
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == (
        "Disagree",
        "The lanes would slow my deliveries.",
    )
    assert rows["q3"]["tick_box"] == "Neither agree nor disagree"
    _no_unticked(result, {"Neither agree nor disagree"})
    assert _stances(result, consultation, "line")["q1"] == ("disagree", "tick_box+text")
    assert _stances(result, consultation, "line")["q3"] == ("neither", "tick_box")


def test_word_form_typed_x_in_its_own_cell_and_option_matrix(tmp_path: Path) -> None:
    """A nested "label | X" table under Q1; an option matrix (labels row, marks rows) for Q3."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("Response form")
    form = doc.add_table(rows=2, cols=2)
    form.cell(0, 0).text = Q1
    nested = form.cell(0, 1).add_table(rows=5, cols=2)
    for r, label in enumerate(SCALE):
        nested.cell(r, 0).text = label
        nested.cell(r, 1).text = "x" if label == "Strongly agree" else ""
    form.cell(1, 0).text = Q2
    form.cell(1, 1).text = "It would make the 42 bus reliable."
    doc.add_paragraph("")
    matrix = doc.add_table(rows=2, cols=6)
    for c, label in enumerate([""] + SCALE):
        matrix.cell(0, c).text = label
    for c, value in enumerate([Q3, "", "", "", "X", ""]):
        matrix.cell(1, c).text = value
    path = tmp_path / "grid.docx"
    doc.save(str(path))
    result, consultation = _ingest(tmp_path, {"grid.docx": path})
    rows = _rows(result, "grid")
    assert [q for q in rows if q.startswith("q")] == ["q1", "q2", "q3"]
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == ("Strongly agree", "")
    assert rows["q2"]["answer_text"] == "It would make the 42 bus reliable."
    assert (rows["q3"]["tick_box"], rows["q3"]["answer_text"]) == ("Disagree", "")
    _no_unticked(result, {"Strongly agree"})
    reason = result.log.set_index("file").loc["grid.docx", "reason"]
    assert "2 ticked option(s)" in reason and "8 unticked option(s)" in reason
    assert _stances(result, consultation, "grid") == {
        "q1": ("strongly_agree", "tick_box"),
        "q3": ("disagree", "tick_box"),
    }


def test_word_form_two_ticks_is_no_answer_with_a_warning(tmp_path: Path) -> None:
    items = [("sdt", label in ("Agree", "Disagree"), label) for label in SCALE]
    path = make_form_docx(tmp_path / "both.docx", [], [(Q1, items + ["Hard to say."])])
    result, consultation = _ingest(tmp_path, {"both.docx": path})
    q1 = _rows(result, "both")["q1"]
    assert pd.isna(q1["tick_box"])
    assert q1["answer_text"] == "Hard to say."
    assert "2 options ticked ('Agree', 'Disagree')" in q1["warning"]
    assert _stances(result, consultation, "both")["q1"][1] == "text"


# --- OpenDocument form ------------------------------------------------------------

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"'
)
ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def make_odt(path: Path, body: str) -> Path:
    """A minimal valid .odt (mimetype stored first, content.xml, manifest) with ``body``."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} '
        f'office:version="1.3"><office:body><office:text>{body}</office:text></office:body>'
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", ODT_MANIFEST, zipfile.ZIP_DEFLATED)
    return path


def _odt_row(question: str, answer: str) -> str:
    return (
        f"<table:table-row><table:table-cell>{question}</table:table-cell>"
        f"<table:table-cell>{answer}</table:table-cell></table:table-row>"
    )


def test_odt_form_controls_and_content_control(tmp_path: Path) -> None:
    controls = "".join(
        f'<form:checkbox form:id="c{i}" form:label="{label}" '
        f'form:current-state="{"checked" if label == "Tend to agree" else "unchecked"}"/>'
        for i, label in enumerate(["Strongly agree", "Tend to agree", "Disagree"])
    )
    radios = '<form:radio form:id="r1" form:label="Yes" form:current-selected="false"/>'
    q1_answer = "".join(f'<text:p><draw:control draw:control="c{i}"/></text:p>' for i in range(3))
    q1_answer += "<text:p>Only if the lanes end at 7pm.</text:p>"
    q3_answer = "".join(
        '<text:p><loext:content-control loext:checkbox="true" '
        f'loext:checked="{"true" if label == "Strongly agree" else "false"}">'
        f"<text:span>{'☒' if label == 'Strongly agree' else '☐'}</text:span>"
        f"</loext:content-control> {label}</text:p>"
        for label in SCALE
    )
    body = (
        f"<office:forms><form:form>{controls}{radios}</form:form></office:forms>"
        "<text:p>Response from a local resident</text:p>"
        "<table:table>"
        + _odt_row(f"<text:p>{Q1}</text:p>", q1_answer)
        + _odt_row(
            f"<text:p>{Q2}</text:p><text:p>Think about your weekly trips.</text:p>",
            "<text:p>My commute would be ten minutes shorter.</text:p>",
        )
        + _odt_row(f"<text:p>{Q3}</text:p>", q3_answer)
        + "</table:table>"
    )
    result, consultation = _ingest(tmp_path, {"resident.odt": make_odt(tmp_path / "r.odt", body)})
    rows = _rows(result, "resident")
    assert [q for q in rows if q.startswith("q")] == ["q1", "q2", "q3"]
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == (
        "Tend to agree",
        "Only if the lanes end at 7pm.",
    )
    # The question's guidance note belongs to the question, not the answer.
    assert rows["q2"]["answer_text"] == "My commute would be ten minutes shorter."
    assert (rows["q3"]["tick_box"], rows["q3"]["answer_text"]) == ("Strongly agree", "")
    _no_unticked(result, {"Strongly agree"})
    reason = result.log.set_index("file").loc["resident.odt", "reason"]
    assert "2 ticked option(s)" in reason and "6 unticked option(s)" in reason
    assert _stances(result, consultation, "resident") == {
        "q1": ("agree", "tick_box+text"),
        "q3": ("strongly_agree", "tick_box"),
    }


# --- HTML form --------------------------------------------------------------------


def test_html_form_table_with_radio_buttons(tmp_path: Path) -> None:
    def radios(name: str, ticked: str) -> str:
        return "".join(
            f'<label><input type="radio" name="{name}" value="{i}"'
            f"{' checked' if label == ticked else ''}> {label}</label><br>"
            for i, label in enumerate(SCALE)
        )

    page = (
        "<html><body><h1>Have your say</h1><form><table>"
        f"<tr><th>{Q1}</th><td>{radios('q1', 'Strongly disagree')}"
        "<textarea name='c1'>Buses are empty already.</textarea></td></tr>"
        f"<tr><th>{Q2}</th><td><textarea name='q2'>Longer car journeys.</textarea></td></tr>"
        f"<tr><th>{Q3}</th><td>{radios('q3', 'Disagree')}</td></tr>"
        "</table></form></body></html>"
    )
    result, consultation = _ingest(tmp_path, {"web.html": page.encode("utf-8")})
    rows = _rows(result, "web")
    assert [q for q in rows if q.startswith("q")] == ["q1", "q2", "q3"]
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == (
        "Strongly disagree",
        "Buses are empty already.",
    )
    assert rows["q2"]["answer_text"] == "Longer car journeys."
    assert (rows["q3"]["tick_box"], rows["q3"]["answer_text"]) == ("Disagree", "")
    _no_unticked(result, {"Strongly disagree"})
    reason = result.log.set_index("file").loc["web.html", "reason"]
    assert "2 ticked option(s)" in reason and "8 unticked option(s)" in reason
    assert _stances(result, consultation, "web") == {
        "q1": ("strongly_disagree", "tick_box+text"),
        "q3": ("disagree", "tick_box"),
    }


# --- Plain-text and PDF forms: the printed list is still there --------------------


def _txt_form(q1_options: list[str], q3_options: list[str], q1_comment: str = "") -> bytes:
    parts = ["Riverside Road bus lanes - response form", "", f"Question 1: {Q1}"]
    parts += q1_options + ["", q1_comment, "", f"Question 2: {Q2}", "Fewer cars on my street."]
    parts += ["", f"Question 3: {Q3}"] + q3_options
    return "\n".join(parts).encode("utf-8")


def test_text_forms_typed_marks_printed_lists_and_double_ticks(tmp_path: Path) -> None:
    files = {
        # A typed X after the option, the list printed one option a line.
        "typed.txt": _txt_form(
            [label + ("      X" if label == "Disagree" else "") for label in SCALE],
            [("[x] " if label == "Agree" else "[ ] ") + label for label in SCALE],
            "The lanes would make my bus late.",
        ),
        # An arrow and "Don't know" (an option outside the five-point scale).
        "arrow.txt": _txt_form(
            ["Strongly agree <--", "Agree", "Disagree", "Strongly disagree", "Don't know"],
            ["Agree", "Disagree", "Don't know: X"],
            "Ask the bus company first.",
        ),
        # Nothing marked under Q1 (the list is the form's, removed); two marked under Q3.
        "unmarked.txt": _txt_form(
            SCALE,
            ["X Strongly agree", "Agree", "X Disagree"],
            "I have no view on the lanes themselves.",
        ),
    }
    result, consultation = _ingest(tmp_path, files)
    ticks = {}
    for rid in ("typed", "arrow", "unmarked"):
        rows = _rows(result, rid)
        assert [q for q in rows if q.startswith("q")] == ["q1", "q2", "q3"], rid
        assert rows["q2"]["answer_text"] == "Fewer cars on my street."
        ticks[rid] = {q: (rows[q]["tick_box"], rows[q]["answer_text"]) for q in ("q1", "q3")}
    assert ticks["typed"] == {
        "q1": ("Disagree", "The lanes would make my bus late."),
        "q3": ("Agree", ""),
    }
    assert ticks["arrow"] == {
        "q1": ("Strongly agree", "Ask the bus company first."),
        "q3": ("Don't know", ""),
    }
    q1, q3 = ticks["unmarked"]["q1"], ticks["unmarked"]["q3"]
    assert pd.isna(q1[0]) and q1[1] == "I have no view on the lanes themselves."
    assert pd.isna(q3[0]) and q3[1] == ""
    assert (
        "2 options ticked ('Strongly agree', 'Disagree')"
        in _rows(result, "unmarked")["q3"]["warning"]
    )
    _no_unticked(result, set())
    for row in result.answers.to_dict("records"):  # offsets still point at the answer
        text = result.respondents.set_index("respondent_id").loc[row["respondent_id"], "text"]
        assert row["answer_text"] == text[row["start"] : row["end"]].strip()
    stances = {rid: _stances(result, consultation, rid) for rid in ticks}
    assert stances["typed"] == {"q1": ("disagree", "tick_box+text"), "q3": ("agree", "tick_box")}
    assert stances["arrow"]["q1"] == ("strongly_agree", "tick_box+text")
    assert stances["arrow"]["q3"] == ("dont_know", "tick_box")  # its own category, never "neither"
    assert stances["unmarked"]["q1"][1] == "text"  # read from the respondent's words only
    assert stances["unmarked"]["q3"] == ("not_answered", "none")


def test_pdf_form_printed_list_joined_into_one_line(tmp_path: Path) -> None:
    """A PDF's text layer joins the printed options into one line; the typed X still counts."""
    from builders import make_pdf

    lines = ["Riverside Road bus lanes: response form", "", ("Question 1", "bold")]
    lines += [label + ("     X" if label == "Disagree" else "") for label in SCALE]
    lines += ["", "The lanes would make my bus late.", "", ("Question 2", "bold")]
    lines += ["Fewer cars on my street.", "", ("Question 3", "bold")]
    lines += [("[x] " if label == "Agree" else "[ ] ") + label for label in SCALE]
    pdf = make_pdf(tmp_path / "scan.pdf", [lines])
    result, consultation = _ingest(tmp_path, {"printed.pdf": pdf})
    rows = _rows(result, "printed")
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == (
        "Disagree",
        "The lanes would make my bus late.",
    )
    assert (rows["q3"]["tick_box"], rows["q3"]["answer_text"]) == ("Agree", "")
    _no_unticked(result, set())
    assert _stances(result, consultation, "printed") == {
        "q1": ("disagree", "tick_box+text"),
        "q3": ("agree", "tick_box"),
    }


def test_word_form_question_rows_over_answer_rows_and_a_data_table(tmp_path: Path) -> None:
    """One-column rows (question row, answer row); a header row; the respondent's own table kept."""
    import docx

    doc = docx.Document()
    form = doc.add_table(rows=5, cols=1)
    cells = [
        "Question | Your response",
        f"1. {Q1}",
        "☐ Strongly agree\n☐ Agree\n☐ Neither agree nor disagree\n☒ Disagree\n☐ Strongly disagree",
        f"2. {Q2}",
        "I drive to work. Trips I counted:",
    ]
    for r, value in enumerate(cells):
        form.cell(r, 0).text = value
    figures = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Week", "Minutes"), ("Before", "25"), ("After", "40")]):
        figures.cell(r, 0).text, figures.cell(r, 1).text = a, b
    doc.add_paragraph("That is fifteen minutes lost each way.")
    path = tmp_path / "rows.docx"
    doc.save(str(path))
    result, consultation = _ingest(tmp_path, {"rows.docx": path})
    rows = _rows(result, "rows")
    assert [q for q in rows if q.startswith("q")] == ["q1", "q2"]
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == ("Disagree", "")
    assert rows["q2"]["answer_text"] == (
        "I drive to work. Trips I counted:\n\nWeek\n\nMinutes\n\nBefore\n\n25\n\nAfter\n\n40"
        "\n\nThat is fifteen minutes lost each way."
    )
    _no_unticked(result, set())
    assert _stances(result, consultation, "rows") == {
        "q1": ("disagree", "tick_box"),
        "q3": ("not_answered", "none"),
    }


@pytest.mark.parametrize(
    ("answer", "expected_tick", "expected_text"),
    [
        # The respondent's words that look a little like options stay their words.
        ("Agree.", None, "Agree."),
        ("Agree\n\nBuses need priority.", None, "Agree\n\nBuses need priority."),
        ("✓ Cheaper fares\n✓ More buses", None, "✓ Cheaper fares\n✓ More buses"),
        ("Yes and no. It depends on the hours.", None, "Yes and no. It depends on the hours."),
        (
            "☒ I support the lanes only where the road is wide enough for two lanes of cars too",
            None,
            "☒ I support the lanes only where the road is wide enough for two lanes of cars too",
        ),
        # Marks in the phrasings forms use.
        ("✔ Tend to agree\n\nIf enforced.", "Tend to agree", "If enforced."),
        ("(x) Strongly agree ( ) Agree ( ) Disagree", "Strongly agree", ""),
        ("Agree ☐ Disagree ☒ Don't know ☐", "Disagree", ""),
        ("Buses first.\n\nStrongly agree\nAgree - X\nDisagree", "Agree", "Buses first."),
        ("Not sure\nYes\nNo", None, ""),
        (
            "(x) The tenth point: more buses at night.",
            None,
            "(x) The tenth point: more buses at night.",
        ),
        # Words typed on the ticked box's line are the answer.
        (
            "☒ Agree its a good idea but more paperwork",
            "Agree",
            "its a good idea but more paperwork",
        ),
        ("[x] Don't know, we need the data first.", "Don't know", "we need the data first."),
        # A prompt before the options is cut with them; a colon line before prose is not a prompt.
        (
            "Buses first.\n\nPlease tick one box:\n[ ] Agree\n[x] Disagree",
            "Disagree",
            "Buses first.",
        ),
        ("Our view:\n\nWe agree with the lanes.", None, "Our view:\n\nWe agree with the lanes."),
    ],
)
def test_tick_lines_of_a_closed_answer(answer: str, expected_tick, expected_text: str) -> None:
    from helpers.ingest.segment.ticks import take_ticks

    text = f"Question 1\n\n{answer}\n"
    start, end = len("Question 1\n\n"), len(text)
    s, e, tick, warning = take_ticks(text, start, end)
    assert (tick, text[s:e].strip()) == (expected_tick, expected_text)
    assert warning is None


def test_ticked_list_under_an_open_question_is_the_answer(tmp_path: Path) -> None:
    """A plain-text form: the text reader drops unticked boxes too; open answers keep their ticks."""
    files = {
        "open.txt": (
            f"Question 1: {Q1}\nX Agree\n\nQuestion 2: {Q2}\n☒ Commuting\n☒ School run\n☐ Shopping"
        ).encode()
    }
    result, _ = _ingest(tmp_path, files)
    rows = _rows(result, "open")
    assert rows["q1"]["tick_box"] == "Agree"
    assert pd.isna(rows["q2"]["tick_box"])
    # The ticks stay the answer's words; the unticked option is the form's, not read.
    assert rows["q2"]["answer_text"] == "☒ Commuting\n☒ School run"
    reason = result.log.set_index("file").loc["open.txt", "reason"]
    assert "2 ticked option(s)" in reason and "1 unticked option(s)" in reason


def test_word_form_options_after_a_prompt(tmp_path: Path) -> None:
    """ "Please tick one: ☐ … ☒ …" in the answer cell; options inside the question cell."""
    line = "Please tick one: " + " ".join(
        ("☒ " if label == "Strongly agree" else "☐ ") + label for label in SCALE
    )
    path = make_form_docx(
        tmp_path / "prompt.docx",
        [],
        [
            (Q1, [line, "Long overdue."]),
            (f"{Q3} ☐ Agree ☒ Disagree ☐ Don't know", []),
        ],
    )
    result, consultation = _ingest(tmp_path, {"prompt.docx": path})
    rows = _rows(result, "prompt")
    # The prompt is the form's print too: cut with the options.
    assert (rows["q1"]["tick_box"], rows["q1"]["answer_text"]) == (
        "Strongly agree",
        "Long overdue.",
    )
    assert (rows["q3"]["tick_box"], rows["q3"]["answer_text"]) == ("Disagree", "")
    _no_unticked(result, {"Strongly agree"})


def test_lower_case_answer_after_a_tick_is_not_run_into_it(tmp_path: Path) -> None:
    """Text normalisation joins a paragraph to a lower-case next one (a page break), not a tick line."""
    page = (
        f"<p>{Q1}</p><p><label><input type=radio name=a checked> Strongly agree</label>"
        "<label><input type=radio name=a> Disagree</label></p>"
        "<p>im leaving care next year and nobody has told me anything</p>"
    )
    result, _ = _ingest(tmp_path, {"young.htm": page.encode("utf-8")})
    q1 = _rows(result, "young")["q1"]
    assert (q1["tick_box"], q1["answer_text"]) == (
        "Strongly agree",
        "im leaving care next year and nobody has told me anything",
    )


def test_word_wingdings_box_symbols(tmp_path: Path) -> None:
    """Boxes drawn as Wingdings symbols (w:sym), which python-docx's text leaves out."""
    import docx
    from docx.oxml import parse_xml

    path = make_form_docx(tmp_path / "sym.docx", [], [(Q1, SCALE)])
    doc = docx.Document(str(path))
    for para in doc.tables[0].cell(0, 1).paragraphs:
        char = "F0FE" if para.text == "Agree" else "F0A8"  # a ticked box, an empty box
        para.runs[0]._r.addprevious(
            parse_xml(
                f'<w:r xmlns:w="{W}"><w:sym w:font="Wingdings" w:char="{char}"/>'
                '<w:t xml:space="preserve"> </w:t></w:r>'
            )
        )
    doc.save(str(path))
    result, consultation = _ingest(tmp_path, {"sym.docx": path})
    q1 = _rows(result, "sym")["q1"]
    assert (q1["tick_box"], q1["answer_text"]) == ("Agree", "")
    _no_unticked(result, set())
    assert _stances(result, consultation, "sym")["q1"] == ("agree", "tick_box")


def test_reader_option_paragraphs_keep_what_is_not_a_form() -> None:
    """Bullets, numbering and brackets in prose stay; a form's options are rendered and counted."""
    from helpers.ingest.readers.forms import FormCounts, option_paragraphs

    prose = [
        ("✓ Cheaper fares", "list"),
        ("✓ More buses at night", "list"),
        ("(x) The tenth point: lanes on Mill Road too.", None),
        ("See section 4(x) and the helper foo() in the appendix", None),
        ("■ A bullet from a PDF", None),
    ]
    counts = FormCounts()
    assert option_paragraphs(prose, counts) == prose
    assert (counts.ticked, counts.dropped) == (0, 0)
    form = [
        ("Are you responding as:", None),
        ("○ An individual", None),
        ("● A business", None),
        ("○ A community group", None),
        ("Then the answer.", None),
    ]
    assert option_paragraphs(form, counts) == [
        ("Are you responding as:", None),
        ("☒ A business", None),
        ("Then the answer.", None),
    ]
    assert (counts.ticked, counts.dropped) == (1, 2)


def test_unticked_profile_option_does_not_set_the_respondent_type(tmp_path: Path) -> None:
    """ "☐ A registered charity", printed and not ticked, is not the respondent saying so."""
    form = (
        "Riverside Road bus lanes - response form\n\nAre you responding as:\n"
        "☐ A registered charity\n☐ A local council\n☒ A member of the public\n\n"
        f"Question 1: {Q1}\n☐ Agree\n☒ Disagree\n\nQuestion 2: {Q2}\nMy bus would be slower.\n"
    )
    result, _ = _ingest(tmp_path, {"public.txt": form.encode()})
    respondent = result.respondents.set_index("respondent_id").loc["public"]
    assert respondent["respondent_type"] not in ("charity_voluntary", "local_authority")
    assert "registered charity" not in respondent["text"]
    assert _rows(result, "public")["q1"]["tick_box"] == "Disagree"
