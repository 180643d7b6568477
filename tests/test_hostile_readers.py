"""Readers under hostile or malformed input (issue 11): bounded work, nothing lost quietly.

Small sizes, real files built with the libraries users' files come from; the
large sizes and their timings are in ``make fuzz`` (benchmarks/fuzz.py).
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from builders import make_docx, make_xlsx

from helpers.core.consultation import load_consultation
from helpers.core.schemas import Document
from helpers.ingest.readers.export_rows import MAX_NOTED
from helpers.ingest.segment import segment_document
from helpers.ingest.segment.answers import _closing_start
from helpers.ingest.segment.headings import line_spans
from helpers.ingest.stage import run_ingest

ROOT = Path(__file__).resolve().parents[1]
OFSTED = ROOT / "consultations" / "ofsted-ilacs-care-leavers-2022" / "consultation.yaml"

SURVEY_YAML = """\
id: test-survey
title: A test consultation
questions:
  - id: q1
    number: 1
    kind: closed
    text: Do you agree with the proposal?
  - id: q2
    number: 2
    kind: open
    text: What should change?
survey:
  respondent_id: Response ID
  questions:
    q1: {tick_box: "Q1 agree", text: "Q1 comments"}
    q2: {text: "Q2"}
"""
HEADER = ["Response ID", "Q1 agree", "Q1 comments", "Q2"]


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    path = tmp_path / "consultation.yaml"
    path.write_text(SURVEY_YAML, encoding="utf-8")
    return path


@pytest.fixture
def inp(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def _log(result) -> dict[str, tuple[str, str]]:
    """file → (status, reason) of the file's own row (the first one)."""
    out: dict[str, tuple[str, str]] = {}
    for r in result.log.itertuples():
        out.setdefault(r.file, (r.status, r.reason if isinstance(r.reason, str) else ""))
    return out


# --- Zip-based formats --------------------------------------------------------------


def _add_member(path: Path, member: str, payload: bytes) -> None:
    """Add a highly compressible member to a real .docx/.xlsx (as a bomb would)."""
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(member, payload)


def test_docx_bomb_over_unzipped_size_fails_alone(tmp_path, inp) -> None:
    make_docx(inp / "bomb.docx", ["Q1. Do you agree?", "Yes."])
    _add_member(inp / "bomb.docx", "customXml/item9.xml", b" " * (3 << 20))
    (inp / "good.txt").write_text("Q1. Do you agree?\n\nYes, we do.", encoding="utf-8")
    result = run_ingest(inp, OFSTED, tmp_path / "out", limits={"max_unzipped_mb": 2})
    log = _log(result)
    status, reason = log["bomb.docx"]
    assert status == "failed"
    assert re.search(r"bomb\.docx: its parts decompress to 3\.\d MB", reason)
    assert "limit of 2 MB (max_unzipped_mb" in reason
    assert log["good.txt"][0] == "processed"  # the rest of the run goes on
    # Under the default limits the same file is read.
    result = run_ingest(inp, OFSTED, tmp_path / "out2")
    assert _log(result)["bomb.docx"][0] == "processed"


def test_zip_ratio_limit(tmp_path, inp, survey) -> None:
    make_xlsx(inp / "export.xlsx", [HEADER, ["R1", "Agree", "", "More"]])
    _add_member(inp / "export.xlsx", "xl/media/pad.bin", b"\0" * (12 << 20))
    size = (inp / "export.xlsx").stat().st_size
    ratio = (12 << 20) / size
    assert ratio > 200  # the payload compresses hundreds of times
    result = run_ingest(inp, survey, tmp_path / "o")
    status, reason = _log(result)["export.xlsx"]
    assert status == "failed"
    assert "times its size, over the limit of 200 times (max_zip_ratio" in reason
    result = run_ingest(inp, survey, tmp_path / "o2", limits={"max_zip_ratio": ratio * 2})
    assert _log(result)["export.xlsx"][0] == "processed"


def test_zip_member_count_limit(tmp_path, inp) -> None:
    from helpers.ingest.readers.archive import MAX_MEMBERS

    make_docx(inp / "many.docx", ["Q1. Do you agree?", "Yes."])
    with zipfile.ZipFile(inp / "many.docx", "a") as z:
        for i in range(MAX_MEMBERS + 1):
            z.writestr(f"customXml/x{i}.xml", b"")
    result = run_ingest(inp, OFSTED, tmp_path / "out")
    status, reason = _log(result)["many.docx"]
    assert status == "failed"
    assert re.search(rf"the archive has [\d,]+ parts, over the {MAX_MEMBERS:,}", reason)


# --- Survey exports: row limit, formulas, broken CSV ----------------------------------


def test_xlsx_over_max_rows_fails_with_the_limit(tmp_path, inp, survey) -> None:
    rows = [HEADER, *[[f"R{i}", "Agree", "", f"Answer {i}"] for i in range(1, 31)]]
    make_xlsx(inp / "export.xlsx", rows)
    result = run_ingest(inp, survey, tmp_path / "out", limits={"max_rows": 25})
    status, reason = _log(result)["export.xlsx"]
    assert status == "failed"
    assert "more than 25 data rows (max_rows" in reason
    result = run_ingest(inp, survey, tmp_path / "out2", limits={"max_rows": 30})
    assert _log(result)["export.xlsx"][0] == "processed"
    assert len(result.respondents) == 30


def test_csv_over_max_rows_counts_rows_not_blank_lines(tmp_path, inp, survey) -> None:
    lines = [",".join(HEADER)] + [""] * 40 + [f"R{i},Agree,,x" for i in range(1, 6)]
    (inp / "export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_ingest(inp, survey, tmp_path / "out", limits={"max_rows": 5})
    assert _log(result)["export.csv"][0] == "processed"
    assert len(result.respondents) == 5
    assert result.respondents.source_row.tolist() == [41, 42, 43, 44, 45]
    result = run_ingest(inp, survey, tmp_path / "out2", limits={"max_rows": 4})
    status, reason = _log(result)["export.csv"]
    assert status == "failed" and "more than 4 data rows" in reason


def test_xlsx_formula_without_saved_value_is_reported(tmp_path, inp, survey) -> None:
    # openpyxl writes formulas without a cached value, as many programs do.
    rows = [HEADER, ["R1", "Agree", "", '="More "&"housing"'], ["R2", "Agree", "", "Plain"]]
    make_xlsx(inp / "export.xlsx", rows)
    result = run_ingest(inp, survey, tmp_path / "out")
    status, reason = _log(result)["export.xlsx"]
    assert status == "processed"
    assert (
        "row 1, column D ('Q2'): formula with no saved value, read as empty "
        "(open and save the file in Excel)"
    ) in reason
    assert "row 2" not in reason


CSV_HEADER = ",".join(HEADER)


def test_csv_unterminated_quote_keeps_later_rows(tmp_path, inp, survey) -> None:
    text = "\r\n".join(
        [
            CSV_HEADER,
            'R1,Agree,"This comment never closes,More',
            "R2,Agree,,Two",
            "R3,Disagree,Fine,Three",
            'R4,Agree,"A proper, quoted, cell",Four',
            "R5,Agree,,Five",
        ]
    )
    (inp / "export.csv").write_text(text + "\r\n", encoding="utf-8")
    result = run_ingest(inp, survey, tmp_path / "out")
    status, reason = _log(result)["export.csv"]
    assert status == "processed"
    assert result.respondents.respondent_id.tolist() == ["R1", "R2", "R3", "R4", "R5"]
    assert "row 1 (line 2): unterminated quote; the row was read up to the end of its line" in (
        reason
    )
    by_id = result.answers.set_index(["respondent_id", "question_id"]).answer_text
    assert by_id["R1", "q1"] == "This comment never closes,More"
    assert by_id["R4", "q1"] == "A proper, quoted, cell"
    assert by_id["R5", "q2"] == "Five"


def test_csv_quote_running_to_end_of_file(tmp_path, inp, survey) -> None:
    text = CSV_HEADER + '\nR1,Agree,,One\nR2,Agree,"open to the end,Two\nR3,Agree,,Three\n'
    (inp / "export.csv").write_text(text, encoding="utf-8")
    result = run_ingest(inp, survey, tmp_path / "out")
    _, reason = _log(result)["export.csv"]
    assert result.respondents.respondent_id.tolist() == ["R1", "R2", "R3"]
    assert "row 2 (line 3): unterminated quote" in reason


def test_csv_text_after_closing_quote_is_noted(tmp_path, inp, survey) -> None:
    text = CSV_HEADER + '\nR1,Agree,"quoted"then more,One\nR2,Agree,,Two\n'
    (inp / "export.csv").write_text(text, encoding="utf-8")
    result = run_ingest(inp, survey, tmp_path / "out")
    _, reason = _log(result)["export.csv"]
    assert "row 1 (line 2): text after a closing quote; the row was read as written" in reason
    by_id = result.answers.set_index(["respondent_id", "question_id"]).answer_text
    assert by_id["R1", "q1"] == "quotedthen more"  # what a lenient CSV reader makes of it
    assert result.respondents.respondent_id.tolist() == ["R1", "R2"]


def test_csv_multiline_cells_are_not_broken_quotes(tmp_path, inp, survey) -> None:
    text = CSV_HEADER + '\nR1,Agree,"Line one\nline two, with a comma",One\nR2,Agree,,Two\n'
    (inp / "export.csv").write_text(text, encoding="utf-8")
    result = run_ingest(inp, survey, tmp_path / "out")
    _, reason = _log(result)["export.csv"]
    assert "quote" not in (reason or "")
    by_id = result.answers.set_index(["respondent_id", "question_id"]).answer_text
    assert by_id["R1", "q1"] == "Line one\nline two, with a comma"


def test_csv_ragged_rows_are_noted_per_row(tmp_path, inp, survey) -> None:
    lines = [CSV_HEADER, "R1,Agree,,One", "R2,Agree,,Two,extra,more", "R3,Agree,,Three,,"]
    lines += [f"R{i},Agree,,x,spill" for i in range(4, 4 + MAX_NOTED + 3)]
    (inp / "export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_ingest(inp, survey, tmp_path / "out")
    status, reason = _log(result)["export.csv"]
    assert status == "processed"
    assert "row 2: 2 cell(s) beyond the header's 4 columns not read" in reason
    assert "row 3:" not in reason  # empty trailing cells lose nothing
    assert "row 1:" not in reason
    named = re.findall(r"row (\d+): \d+ cell\(s\) beyond", reason)
    assert len(named) == MAX_NOTED
    assert "… and 4 more rows with cells beyond the header" in reason
    assert len(result.respondents) == 3 + MAX_NOTED + 3


# --- Segmentation of a long one-paragraph answer ------------------------------------


def test_long_one_paragraph_answer_segments(tmp_path) -> None:
    consultation = load_consultation(OFSTED)
    q = consultation.questions[-1]
    unit = "We think the proposal is sensible. Care leavers deserve better support, e.g. housing! "
    body = unit * (2_000_000 // len(unit))
    text = f"Q{q.number}. {q.text}\n\n{body}Kind regards. Jane Smith"
    doc = Document(
        respondent_id="long",
        text=text,
        source_file="long.txt",
        source_format="txt",
        source_sha256="0" * 64,
        cues=[],
    )
    answers = segment_document(doc, consultation).set_index("question_id")
    assert answers.loc[q.id, "answer_text"] == body.strip()
    assert answers.loc["closing", "answer_text"] == "Kind regards. Jane Smith"


def _closing_start_reference(text: str, s: int, e: int) -> int | None:
    """The closing-start rule examined at every position, as written before it was made linear."""
    from helpers.ingest.segment import answers as a

    starts = []
    for i, (ls, le) in enumerate(line_spans(text[s:e])):
        ls, le = ls + s, le + s
        if i > 0:
            starts.append((ls, le, True))
        for m in a._SENTENCE_END_RE.finditer(text, ls, le):
            starts.append((m.end(), le, False))
    contact = re.compile(
        r"(please\s+contact|[\w.+-]+@[\w-]+\.[\w.]+|\b(tel|telephone|phone)\b\s*:?\s*[\d+(])",
        re.I,
    )
    for pos, le, at_line_start in sorted(starts):
        rest = re.sub(r"[*_#]", "", text[pos:le]).strip()
        words = len(rest.split())
        if a._SIGN_OFF_RE.match(rest) and words <= 6:
            return pos
        if a._CLOSING_HEAD_RE.match(rest) and words <= 8:
            return pos
        if at_line_start and words <= 40 and contact.search(rest):
            return pos
    return None


def test_closing_start_is_the_rule_at_every_position() -> None:
    pieces = [
        "Regards", "Kind regards", "Yours sincerely", "For further information", "Contact us",
        "Please contact", "tel: 0123", "Tel  (0)", "phone 5", "a@b.co", "x @y.z", "**", "*",
        "#", "__", "Hello", "world", ".", "!", "?", "John Smith", "A", "B.", "Many thanks",
        "enquiries", "About us", "foo@bar", "@", ":",
    ]  # fmt: skip
    seps = [" ", "  ", "\t", "\n", "\n\n", ". ", "! ", "? ", ".\t", " \n ", "", ".  "]
    rng = random.Random(11)
    found = 0
    for _ in range(3000):
        t = "".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(1, 120)))
        s = rng.randint(0, len(t))
        e = rng.randint(s, len(t))
        expected = _closing_start_reference(t, s, e)
        assert _closing_start(t, s, e) == expected, (t, s, e)
        found += expected is not None
    assert found > 500  # the cases exercise both outcomes


# --- Markdown conversion: the linear matchers are the patterns ----------------------


def test_markdown_matchers_match_their_patterns() -> None:
    from helpers.ingest import textnorm as tn

    alphabet = [
        "*", "**", "_", "__", "#", "##", " ", "\t", "\n", "\n\n", "\n \n", "[", "]", "(",
        ")", "!", "a", "b c", '"t"', "x", "> ", "`", "###### ", "http://x", "](", "[t](u)",
    ]  # fmt: skip
    rng = random.Random(7)
    counts = [0, 0, 0]
    for _ in range(4000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        heads = [(m.start(), m.end(), m.start(2), m.end(2)) for m in tn._MD_HEADING.finditer(t)]
        links = [(m.start(), m.end(), m.start(1), m.end(1)) for m in tn._MD_LINK.finditer(t)]
        bold = [(m.start(), m.end(), m.start(2), m.end(2)) for m in tn._MD_BOLD.finditer(t)]
        assert list(tn._md_headings(t)) == heads, t
        assert list(tn._md_links(t)) == links, t
        assert list(tn._md_bold(t)) == bold, t
        assert tn._EDGE_SPACES.sub("", t) == re.sub(r"^ +| +$", "", t, flags=re.M), t
        for i, found in enumerate((heads, links, bold)):
            counts[i] += bool(found)
    assert min(counts) > 100  # every construct is exercised


def test_hostile_markup_converts() -> None:
    from helpers.ingest.textnorm import looks_like_markdown, markup_to_text, normalise

    n = 200_000
    hostile = "**x " * n + "\n" + "[" * n + "](" + "a" * n + " x\n# a" + " \t" * n + "b\n"
    assert looks_like_markdown(hostile + "[link](http://x) **bold**")
    text, _ = markup_to_text(hostile)
    assert text.startswith("**x **x") and text.endswith("\na b")  # the heading lost its "#"
    assert normalise("a" + " \t" * n + "b") == "a b"


def test_docx_nested_too_deep_fails_alone(tmp_path, inp) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Q1. Do you agree?")
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    for level in range(300):  # lxml refuses XML nested over 256 deep
        cell.paragraphs[0].text = f"level {level}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    doc.save(str(inp / "deep.docx"))
    (inp / "good.txt").write_text("Q1. Do you agree?\n\nYes.", encoding="utf-8")
    log = _log(run_ingest(inp, OFSTED, tmp_path / "out"))
    status, reason = log["deep.docx"]
    assert status == "failed"
    assert "deep.docx: not a valid Word .docx file" in reason
    assert "unexpected error" not in reason
    assert log["good.txt"][0] == "processed"


def test_cue_index_finds_the_first_covering_cue() -> None:
    from helpers.ingest.segment.headings import _CueIndex, _first_covering

    rng = random.Random(5)
    kinds = ["bold", "heading", "list", "survey_column"]
    for _ in range(2000):
        cues = []
        for _ in range(rng.randint(0, 8)):
            s = rng.randint(0, 40)
            cues.append((s, s + rng.randint(0, 15), rng.choice(kinds)))
        if rng.random() < 0.8:
            cues.sort()
        index = _CueIndex(cues)
        for pos in range(0, 60):
            assert index.covering(pos) == _first_covering(cues, pos), (cues, pos)
