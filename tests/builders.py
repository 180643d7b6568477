"""Fixture builders: real files made with the libraries users' files come from.

Import in tests as ``from builders import make_docx, make_pdf, make_xlsx, make_csv``
(and ``make_doc`` for an in-memory Document handed straight to segmentation)
(pytest puts ``tests/`` on ``sys.path``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

Block = str | tuple[str, str]

# A third consultation, unlike the Ofsted default and the transport set (a library
# service's opening hours), for rules that must hold on wording nobody tuned them on.
LIBRARY_CONSULTATION = """\
id: library-hours-2027
title: Changes to library opening hours
organisation: Example Borough Council
questions:
  - id: about
    kind: profile
    short: About you
    text: Are you responding as a library user, a member of staff or on behalf of a group?
  - id: hours
    number: 1
    kind: closed
    short: Shorter weekday opening hours
    text: To what extent do you agree or disagree with the proposal to close branch libraries at 5pm on weekdays instead of 7pm?
  - id: sundays
    number: 2
    kind: closed
    short: Sunday opening at the central library
    text: To what extent do you agree or disagree with opening the central library on Sundays from 11am to 4pm?
  - id: effects
    number: 3
    kind: open
    short: Effects on you
    text: How would these changes affect you or the people you care for?
  - id: other
    number: 4
    kind: open
    short: Anything else
    text: Do you have any other comments on the proposals?
"""


# Headed answers to the library consultation: three copies teach each question's
# centroid in the segmentation-by-meaning tests.
LIBRARY_HEADED = """\
Q1
I disagree. Closing at five means nobody who works can use the branch on a weekday.

Q2
I agree, Sunday opening at the central library would be very welcome for families.

Question 3
My children do their homework at the branch after school and would lose the evening.

Q4
No further comments.
"""


def ingest_library(root: Path, documents: dict[str, str], copies_of_headed: int = 3):
    """Ingest ``documents`` (file stem -> text) with ``copies_of_headed`` copies of
    ``LIBRARY_HEADED`` under the library consultation; returns (answers, texts by id)."""
    from helpers.ingest import run_ingest

    (root / "consultation.yaml").write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    inp = root / "in"
    inp.mkdir()
    for n in range(copies_of_headed):
        (inp / f"headed-{n}.txt").write_text(LIBRARY_HEADED, encoding="utf-8")
    for stem, text in documents.items():
        (inp / f"{stem}.txt").write_text(text, encoding="utf-8")
    result = run_ingest(inp, root / "consultation.yaml", root / "out", metadata_file=None)
    texts = dict(zip(result.respondents["respondent_id"], result.respondents["text"], strict=True))
    return result.answers, texts


def library_questions(folder: Path) -> tuple:
    """The library consultation's questions, loaded from a copy written into ``folder``."""
    from helpers.core.consultation import load_consultation

    path = Path(folder) / "consultation.yaml"
    path.write_text(LIBRARY_CONSULTATION, encoding="utf-8")
    return tuple(load_consultation(path).questions)


def rows_of(answers, rid: str):
    """One respondent's answer rows, renumbered from 0."""
    return answers[answers["respondent_id"] == rid].reset_index(drop=True)


def make_doc(text: str, cues=(), rid: str = "r1", **kw):
    """A plain-text ``schemas.Document`` for segmentation tests (no file read)."""
    from helpers.core import schemas

    return schemas.Document(
        respondent_id=rid,
        text=text,
        source_file=f"{rid}.txt",
        source_format="txt",
        source_sha256="0" * 64,
        cues=list(cues),
        **kw,
    )


def make_docx(path: str | Path, blocks: Sequence[Block | list[list[str]]]) -> Path:
    """Write a .docx with python-docx.

    ``blocks`` items: ``"text"`` (Normal paragraph); ``("text", kind)`` with
    kind ``heading1``/``heading2``/``title`` (real heading styles), ``bold``
    (every run bold), ``boldlead`` (first word bold, rest not), ``bullet``
    (List Bullet style), ``number`` (List Number style); or a list of rows
    (list of cell strings) for a table.
    """
    import docx

    doc = docx.Document()
    for block in blocks:
        if isinstance(block, list):
            table = doc.add_table(rows=len(block), cols=max(len(r) for r in block))
            for r, row in enumerate(block):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            continue
        text, kind = (block, "normal") if isinstance(block, str) else block
        if kind.startswith("heading"):
            doc.add_heading(text, level=int(kind[-1]))
        elif kind == "title":
            doc.add_heading(text, level=0)
        elif kind == "bold":
            para = doc.add_paragraph()
            for i, word in enumerate(text.split(" ")):
                para.add_run(("" if i == 0 else " ") + word).bold = True
        elif kind == "boldlead":
            head, _, rest = text.partition(" ")
            para = doc.add_paragraph()
            para.add_run(head).bold = True
            para.add_run(" " + rest)
        elif kind == "bullet":
            doc.add_paragraph(text, style="List Bullet")
        elif kind == "number":
            doc.add_paragraph(text, style="List Number")
        else:
            doc.add_paragraph(text)
    path = Path(path)
    doc.save(str(path))
    return path


def make_pdf(
    path: str | Path,
    pages: Sequence[Sequence[Block]],
    header: str | None = None,
    page_numbers: bool = False,
) -> Path:
    """Write a text PDF with reportlab, one drawn line per item.

    Each page is a list of lines: ``"text"`` (Helvetica 11pt), ``("text",
    "bold")`` (Helvetica-Bold) or ``""`` (an empty line: a paragraph gap).
    ``header`` is drawn at the top of every page; ``page_numbers`` adds a
    bare page number at the bottom.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = Path(path)
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for n, lines in enumerate(pages, start=1):
        if header:
            c.setFont("Helvetica", 9)
            c.drawString(72, height - 40, header)
        y = height - 72
        for line in lines:
            text, kind = (line, "normal") if isinstance(line, str) else line
            c.setFont("Helvetica-Bold" if kind == "bold" else "Helvetica", 11)
            if text:
                c.drawString(72, y, text)
            y -= 14
        if page_numbers:
            c.setFont("Helvetica", 9)
            c.drawString(width / 2, 30, str(n))
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: str | Path, n_pages: int = 2) -> Path:
    """A PDF with shapes only (no text layer), like a scan before OCR."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = Path(path)
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(n_pages):
        for i in range(30):
            c.rect(72, 700 - i * 20, 300 + (i % 5) * 20, 8, fill=1)
        c.showPage()
    c.save()
    return path


def make_xlsx(path: str | Path, rows: Sequence[Sequence[object]], sheet: str = "Responses") -> Path:
    """Write an .xlsx with openpyxl; ``rows[0]`` is the header row."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    path = Path(path)
    wb.save(str(path))
    return path


def make_csv(
    path: str | Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig"
) -> Path:
    """Write a CSV with the csv module (Excel dialect) in ``encoding``; ``rows[0]`` is the header."""
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    path = Path(path)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
