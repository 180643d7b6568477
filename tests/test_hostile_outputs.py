"""Hostile input in the project's outputs (issue 11).

Formula-like cells in every CSV and XLSX the toolkit writes, and read back
exactly; bidirectional controls in respondent text in the report and explore
HTML; malformed REFI-QDA archives that must raise only ``QdpxError``, and
codings that cannot be read, which must be reported as skipped and never
become ``remove`` overrides.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
import report_testdata as td
import test_qdpx as tq
from openpyxl import load_workbook
from pypdf import PdfReader

from helpers import analysis, coding, explore, report
from helpers.coding import parse_codebook
from helpers.core import schemas
from helpers.core.safecsv import write_csv
from helpers.validate import framework, hand_coding, qdpx, sampling

# Cells a spreadsheet would run (OWASP CSV injection): '=', '+', '-', '@', tab, CR.
HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _csv_cells(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


# --------------------------------------------------------------------------- CSV and XLSX


def test_analysis_tables_csv_prefixed_and_xlsx_text(tmp_path):
    uncoded = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(len(HOSTILE))],
            "answer_text": HOSTILE,
            "attribution": list(reversed(HOSTILE)),
            "n_chars": [-1, 2, 3, 4, 5, 6],  # a numeric column is never prefixed
        }
    )
    # The processed tables use pandas' string dtype; the attribution column stays object.
    uncoded = uncoded.astype({"respondent_id": "string", "answer_text": "string[pyarrow]"})
    analysis.write_tables({"uncoded": uncoded}, tmp_path)
    rows = _csv_cells(tmp_path / "tables" / "uncoded.csv")
    assert [r[1] for r in rows[1:]] == ["'" + v for v in HOSTILE]
    assert [r[2] for r in rows[1:]] == ["'" + v for v in reversed(HOSTILE)]
    assert [r[3] for r in rows[1:]] == ["-1", "2", "3", "4", "5", "6"]
    ws = load_workbook(tmp_path / "tables.xlsx")["uncoded"]
    cells = [(c.value, c.data_type) for row in ws.iter_rows(min_row=2) for c in row[1:3]]
    assert all(t == "s" for _, t in cells), cells
    assert [v for v, _ in cells[::2]] == HOSTILE
    assert ws["B2"].quotePrefix  # Excel keeps it text even when edited


def test_empty_string_column_is_written(tmp_path):
    # The default consultation has no uncoded answers: an empty pyarrow-string table.
    empty = pd.DataFrame({"answer_text": pd.Series([], dtype="string[pyarrow]")})
    (path,) = [p for p in analysis.write_tables({"uncoded": empty}, tmp_path) if p.suffix == ".csv"]
    assert path.read_text(encoding="utf-8") == "answer_text\n"


def test_analysis_tables_xlsx_survives_control_characters_and_huge_cells(tmp_path):
    huge = "word " * 8000  # 40,000 characters: over Excel's 32,767 per cell
    uncoded = pd.DataFrame({"respondent_id": ["r1", "r2"], "answer_text": ["a\x01b\x1bc", huge]})
    analysis.write_tables({"uncoded": uncoded}, tmp_path)
    ws = load_workbook(tmp_path / "tables.xlsx")["uncoded"]
    assert ws["B2"].value == "a b c"
    assert len(ws["B3"].value) <= 32_767 and ws["B3"].value.endswith("see the CSV for the rest]")
    assert pd.read_csv(tmp_path / "tables" / "uncoded.csv")["answer_text"].tolist()[1] == huge


def _override_tables():
    """One respondent whose answer contains every hostile string, each a quote to anchor."""
    text = "Intro. " + " | ".join(HOSTILE) + " | end."
    respondents = td.respondents().iloc[:1].copy()
    respondents["respondent_id"] = "=r1"
    respondents["source_file"] = "=evil.txt"
    respondents["organisation"] = "@Org"
    respondents["text"] = text
    respondents["n_chars"] = len(text)
    answers = td.answers().iloc[:1].copy()
    answers["respondent_id"] = "=r1"
    answers["end"] = len(text)
    answers["answer_text"] = text
    return text, respondents, answers


def test_qdpx_overrides_csv_prefixed_and_restored_by_apply_overrides(tmp_path):
    text, respondents, answers = _override_tables()
    rows = [
        {
            "respondent_id": "=r1",
            "question_id": "q1",
            "theme_id": "housing",
            "action": "add",
            "quote": quote,
            "coder": "+Reviewer",
            "note": "-note",
        }
        for quote in HOSTILE
    ]
    result = qdpx.ImportResult(
        overrides=pd.DataFrame(rows, columns=qdpx.OVERRIDE_COLUMNS).astype("string")
    )
    path = result.write_overrides(tmp_path / "overrides.csv")
    cells = _csv_cells(path)
    assert [r[4] for r in cells[1:]] == ["'" + q for q in HOSTILE]
    assert {r[0] for r in cells[1:]} == {"'=r1"}
    assert {r[5] for r in cells[1:]} == {"'+Reviewer"}
    assert {r[6] for r in cells[1:]} == {"'-note"}
    codes = coding.apply_overrides(schemas.empty(schemas.CODES), path, answers, respondents)
    # Read back, each quote is the respondent's exact words, anchored where they are.
    assert codes["respondent_id"].tolist() == ["=r1"] * len(HOSTILE)
    assert codes["quote"].tolist() == HOSTILE
    assert [text[s:e] for s, e in zip(codes["start"], codes["end"], strict=True)] == HOSTILE


def test_codebook_csv_round_trip(tmp_path):
    cb = parse_codebook(
        {
            "id": "cb",
            "themes": [
                {
                    "id": "housing",
                    "label": '=HYPERLINK("http://x")',
                    "description": "-2+3 homes",
                    "patterns": ["housing"],
                }
            ],
        }
    )
    path = coding.to_csv(cb, tmp_path / "cb.csv")
    rows = _csv_cells(path)
    assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[1][3] == "'-2+3 homes"
    back = coding.load_codebook(path)
    assert back.themes[0].label == '=HYPERLINK("http://x")'
    assert back.themes[0].description == "-2+3 homes"


def test_hand_coding_csv_written_safely_reads_back_exactly(tmp_path):
    frame = pd.DataFrame(
        {
            "respondent_id": ["-r1", "@r2", "r3"],
            "question_id": ["q1", "q1", "q1"],
            "theme_id": ["housing", "", "housing"],
            "quote": ["=1+1", "\tx", "\rx"],
            "coder": ["+Ann", "@Bob", "Cy"],
            "note": ["-", "=cmd|' /C calc'!A0", "two\nlines"],
        }
    )
    path = write_csv(frame, tmp_path / "hand.csv")
    assert _csv_cells(path)[1][0] == "'-r1"
    hand = hand_coding.load_hand_coding(path)
    assert hand["respondent_id"].tolist() == ["-r1", "@r2", "r3"]
    assert hand["quote"].tolist() == ["=1+1", "\tx", "\rx"]
    assert hand["coder"].tolist() == ["+Ann", "@Bob", "Cy"]
    assert hand["note"].tolist() == ["-", "=cmd|' /C calc'!A0", "two\nlines"]


def test_sample_workbook_cells_are_text(tmp_path):
    respondents = pd.DataFrame(
        {
            "respondent_id": HOSTILE,
            "organisation": list(reversed(HOSTILE)),
            "respondent_type": ["=individual"] * len(HOSTILE),
        }
    )
    sample = pd.DataFrame(
        {"respondent_id": HOSTILE, "question_id": ["q1"] * len(HOSTILE), "answer_text": HOSTILE}
    )
    cb = parse_codebook(
        {
            "id": "cb",
            "themes": [{"id": "housing", "label": "=1+1", "patterns": ["housing"]}],
        }
    )
    path = sampling.export_sample_workbook(sample, respondents, cb, tmp_path / "s.xlsx")
    wb = load_workbook(path)
    ws = wb[sampling.CODING_SHEET]
    for row in ws.iter_rows(min_row=2, max_col=5):
        assert all(c.data_type == "s" for c in row), [(c.value, c.data_type) for c in row]
    assert [ws.cell(i, 5).value for i in range(2, 2 + len(HOSTILE))] == HOSTILE
    labels = [c for row in wb[sampling.INSTRUCTIONS_SHEET].iter_rows() for c in row]
    label = next(c for c in labels if c.value == "=1+1")
    assert label.data_type == "s"


def test_framework_matrix_cells_are_text(tmp_path):
    respondents = pd.DataFrame(
        {
            "respondent_id": ["=r1"],
            "organisation": ["+Org"],
            "respondent_type": ["@type"],
            "text": [""],
        }
    )
    consultation = SimpleNamespace(
        id="c",
        questions=[
            SimpleNamespace(id="q1", kind="open", number=1, short="-Short", text="=Q?", label="Q1")
        ],
    )
    cb = parse_codebook(
        {"id": "cb", "themes": [{"id": "housing", "label": "-H", "patterns": ["h"]}]}
    )
    codes = pd.DataFrame(
        [
            {
                "respondent_id": "=r1",
                "question_id": "q1",
                "theme_id": "housing",
                "start": 0,
                "end": 5,
                "quote": '=HYPERLINK("http://x")',
                "negated": False,
            }
        ]
    )
    path = framework.export_framework_matrix(
        tmp_path / "fm.xlsx", respondents, pd.DataFrame(), codes, cb, consultation
    )
    ws = load_workbook(path).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("http://x")' in [c.value for c in cells]
    assert all(c.data_type == "s" for c in cells), [(c.value, c.data_type) for c in cells]
    quote = next(c for c in cells if c.value == '=HYPERLINK("http://x")')
    assert quote.quotePrefix  # Excel keeps it text even when edited


# --------------------------------------------------------------------------- bidi


EVIL = "Quote \u202eevil\u202c here."
# Long enough to be chosen as the theme's representative quote.
EVIL_QUOTE = EVIL + " And more words about support for care leavers that matter a great deal."


def test_report_removes_bidi_controls_and_isolates_quotes(tmp_path):
    codes = td.codes()
    codes.loc[codes["respondent_id"] == "r3", "quote"] = EVIL_QUOTE
    resp = td.respondents()
    resp.loc[resp["respondent_id"] == "r1", "organisation"] = "Org \u202dX\u2066Y\u2069"
    stances = td.stances()
    stances.loc[stances["respondent_id"] == "r4", "evidence"] = "We \u202edisagree\u202c."
    inputs = analysis.AnalysisInputs(
        respondents=resp,
        answers=td.answers(),
        codes=codes,
        stances=stances,
        uncoded=td.uncoded(),
        consultation=td.CONSULTATION,
        codebook=td.CODEBOOK,
    )
    page = report.build_report(inputs, output_dir=tmp_path, report_date=dt.date(2026, 11, 24))
    for control in report.bidi.BIDI_CONTROLS:
        assert control not in page, hex(ord(control))
    # Each quote is isolated, so it cannot reorder the quotation marks around it.
    assert "“<bdi>Quote evil here. And more words" in page
    assert "“<bdi>We disagree.</bdi>”" in page
    assert "Org XY" in page
    published = report.render_html(page, "T \u202eitle")
    assert "\u202e" not in published and "<title>T itle</title>" in published
    # The PDF is drawn from the same HTML: the quote reads as written, not reversed.
    pdf = report.write_pdf(published, tmp_path / "report.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Quote evil here." in text and "Quote live" not in text


def test_bidi_helpers_keep_plain_text_as_is():
    assert report.isolate_bidi("plain text") == "plain text"
    assert report.isolate_bidi("שלום") == "<bdi>שלום</bdi>"  # right-to-left words isolated
    assert report.isolate_bidi("<b>\u202e") == "<bdi>&lt;b&gt;</bdi>"
    assert report.strip_bidi("a\u200eb\u200fc\u061cd\u202ae\u202bf") == "abcdef"


def test_explore_html_has_no_bidi_controls():
    quotes = pd.DataFrame(
        {
            "respondent_id": ["r1"],
            "respondent": ["\u202eOrg"],
            "quote": [EVIL],
            "start": [0],
            "end": [5],
        }
    )
    out = explore.quotes_html(quotes)
    assert "\u202e" not in out and "\u202c" not in out
    assert "<blockquote><bdi>Quote evil here.</bdi></blockquote>" in out
    marked = explore.highlight(EVIL, [(6, 12, "theme")])
    assert "\u202e" not in marked and "evil" in marked


# --------------------------------------------------------------------------- REFI-QDA


def _export(tmp_path):
    return tq._export(tmp_path)


def _corrupt_member(path, member, out):
    """Flip a byte in ``member``'s stored data (its CRC no longer matches)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    # Local header: 30 bytes, then the name and extra field, then the data.
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def _source_member(path):
    with zipfile.ZipFile(path) as zf:
        return next(n for n in zf.namelist() if n.startswith("sources/"))


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_qdpx_corrupted_member_is_a_qdpx_error(tmp_path, compression):
    members = tq._members(_export(tmp_path))
    stored = tmp_path / "stored.qdpx"
    with zipfile.ZipFile(stored, "w", compression) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    member = _source_member(stored)
    bad = _corrupt_member(stored, member, tmp_path / "crc.qdpx")
    with pytest.raises(qdpx.QdpxError, match=rf"crc\.qdpx: member '{member}' is corrupt"):
        qdpx.import_qdpx(bad, *tq._tables())
    with pytest.raises(qdpx.QdpxError):
        qdpx.read_archive(bad)


def test_qdpx_non_utf8_source_is_a_qdpx_error(tmp_path):
    members = tq._members(_export(tmp_path))
    member = next(n for n in members if n.startswith("sources/"))
    members[member] = "Caf\u00e9 staff help \u2013 a lot.".encode("cp1252")
    bad = tq._rezip(tmp_path / "cp1252.qdpx", members)
    with pytest.raises(qdpx.QdpxError, match=rf"member '{member}'.*not UTF-8"):
        qdpx.import_qdpx(bad, *tq._tables())


def _with_codes_xml(tmp_path, name, codes_xml):
    """The exported project with ``codes_xml`` added inside its CodeBook's Codes."""
    members = tq._members(_export(tmp_path))
    qde = members["project.qde"].decode("utf-8")
    head, tail = qde.split("</Codes>", 1)
    members["project.qde"] = (head + codes_xml + "</Codes>" + tail).encode("utf-8")
    return tq._rezip(tmp_path / name, members)


def test_qdpx_deep_code_tree_is_a_qdpx_error(tmp_path):
    depth = 10_000
    xml = "".join(
        f'<Code guid="00000000-0000-0000-0000-{i:012d}" name="c{i}" isCodable="true">'
        for i in range(depth)
    )
    xml += "</Code>" * depth
    bad = _with_codes_xml(tmp_path, "deep.qdpx", xml)
    with pytest.raises(qdpx.QdpxError, match="levels deep"):
        qdpx.import_qdpx(bad, *tq._tables())


def test_qdpx_cyclic_code_guids_are_a_qdpx_error(tmp_path):
    # REFI-QDA nests codes in XML, so a loop can only come from a GUID used twice:
    # A contains B contains A again (A would be its own ancestor).
    a, b = "aaaaaaaa-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"
    xml = (
        f'<Code guid="{a}" name="A" isCodable="true"><Code guid="{b}" name="B" isCodable="true">'
        f'<Code guid="{a}" name="A again" isCodable="true"/></Code></Code>'
    )
    bad = _with_codes_xml(tmp_path, "cycle.qdpx", xml)
    with pytest.raises(qdpx.QdpxError, match=f"code guid {a} is used by more than one code"):
        qdpx.import_qdpx(bad, *tq._tables())


def _edit_records_selection(tmp_path, name, **attrs):
    members = tq._members(_export(tmp_path))
    root = ET.fromstring(members["project.qde"])
    src1 = root.findall("q:Sources/q:TextSource", tq.NS)[0]
    records = tq.TEXT_R1.index("Records access")
    (sel,) = [
        x
        for x in src1.findall("q:PlainTextSelection", tq.NS)
        if int(x.get("startPosition")) == records
    ]
    for k, v in attrs.items():
        sel.set(k, v)
    ET.register_namespace("", qdpx.PROJECT_NS)
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return tq._rezip(tmp_path / name, members)


@pytest.mark.parametrize(
    "attrs, reason",
    [
        ({"startPosition": "100000", "endPosition": "100010"}, "words not found"),
        ({"startPosition": "x", "endPosition": "y"}, "non-integer positions"),
        ({"startPosition": "40", "endPosition": "10"}, "not a span of text"),
    ],
)
def test_unreadable_coding_is_skipped_never_removed(tmp_path, attrs, reason):
    bad = _edit_records_selection(tmp_path, "unreadable.qdpx", **attrs)
    res = qdpx.import_qdpx(bad, *tq._tables())
    assert "remove" not in set(res.overrides["action"])
    assert res.overrides.empty
    skipped = res.skipped
    assert skipped[["action", "respondent_id", "theme_id"]].values.tolist() == [
        ["skipped", "r1", "records"]
    ]
    assert reason in skipped["detail"].iloc[0]


def test_coding_to_an_unknown_code_that_cannot_be_read_keeps_the_answers_codes(tmp_path):
    members = tq._members(_export(tmp_path))
    root = ET.fromstring(members["project.qde"])
    src1 = root.findall("q:Sources/q:TextSource", tq.NS)[0]
    records = tq.TEXT_R1.index("Records access")
    (sel,) = [
        x
        for x in src1.findall("q:PlainTextSelection", tq.NS)
        if int(x.get("startPosition")) == records
    ]
    # The reviewed project lost the code (a dangling reference) and the selection is out of range.
    sel.find("q:Coding/q:CodeRef", tq.NS).set("targetGUID", "cccccccc-0000-0000-0000-000000000003")
    sel.set("startPosition", "100000")
    sel.set("endPosition", "100010")
    ET.register_namespace("", qdpx.PROJECT_NS)
    members["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    res = qdpx.import_qdpx(tq._rezip(tmp_path / "dangling.qdpx", members), *tq._tables())
    assert res.overrides.empty
    assert res.skipped["respondent_id"].tolist() == ["r1"]


def test_qdpx_unknown_xml_encoding_is_a_qdpx_error(tmp_path):
    members = tq._members(_export(tmp_path))
    members["project.qde"] = members["project.qde"].replace(b"utf-8", b"utf-0", 1)
    bad = tq._rezip(tmp_path / "enc.qdpx", members)
    with pytest.raises(qdpx.QdpxError, match="unreadable encoding"):
        qdpx.import_qdpx(bad, *tq._tables())


def test_non_utf8_overrides_and_codebook_csv_are_clear_errors(tmp_path):
    text, respondents, answers = _override_tables()
    overrides = tmp_path / "overrides.csv"
    overrides.write_bytes(
        "respondent_id,question_id,theme_id,action,quote\n=r1,q1,housing,add,Café\n".encode(
            "cp1252"
        )
    )
    with pytest.raises(coding.OverrideError, match="overrides.csv: cannot be read as a UTF-8 CSV"):
        coding.apply_overrides(schemas.empty(schemas.CODES), overrides, answers, respondents)
    cb = tmp_path / "cb.csv"
    cb.write_bytes("id,label,patterns\nhousing,Café,housing\n".encode("cp1252"))
    with pytest.raises(coding.CodebookError, match="cb.csv: cannot be read as a UTF-8 CSV"):
        coding.load_codebook(cb)


def test_non_utf8_hand_coding_files_are_hand_coding_errors(tmp_path):
    coded = tmp_path / "hand.csv"
    coded.write_bytes(
        "respondent_id,question_id,theme_id,note\nr1,q1,housing,Café\n".encode("cp1252")
    )
    with pytest.raises(hand_coding.HandCodingError, match="not UTF-8"):
        hand_coding.load_hand_coding(coded)
    stances = tmp_path / "stances.csv"
    stances.write_bytes("respondent_id,question_id,stance\nr1,q1,agree\n# Café\n".encode("cp1252"))
    with pytest.raises(hand_coding.HandCodingError, match="not UTF-8"):
        hand_coding.load_hand_stances(stances)
