"""The accessible PDF report (issue 16.2, 16.7): tagged PDF/UA, bookmarks, a contents page
whose numbers are the headings' pages, alt text with the charts' numbers, marked table
headers, a colour-blind-safe palette, no text off the page; and ``pdfcheck`` finding faults.

The report is the toy one of ``report_testdata`` (five respondents, three questions), whose
counts are worked out by hand there; it is built and published once for the module.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import nbformat
import numpy as np
import pandas as pd
import pytest
import report_testdata as td
from matplotlib.colors import to_rgb
from nbformat.v4 import new_code_cell, new_notebook, new_output
from pypdf import PdfReader

from helpers import analysis
from helpers.analysis import chart_text, charts
from helpers.report import pdfcheck, publish, write_pdf
from helpers.report.builder import build_report

SECTIONS = [
    "Summary of key findings",
    "Introduction",
    "Method",
    "Respondent profile",
    "Q1: The proposal",
    "Q2: Factors",
    "Q3: Timing",
    "Themes across all questions",
    "Annex A: the codebook",
    "Annex B: detail for each respondent",
    "Annex C: answers with no theme",
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """(report.html text, report.pdf path) of the toy report, published as the pipeline does."""
    out = tmp_path_factory.mktemp("a11y")
    fragment = build_report(td.inputs(), output_dir=out, report_date=dt.date(2026, 11, 24))
    nb = new_notebook()
    nb.cells = [
        new_code_cell(
            "show_report(html)",
            outputs=[new_output("display_data", data={"text/html": fragment})],
        )
    ]
    nbformat.write(nb, out / "04_report.ipynb")
    html_path, pdf_path = publish(out / "04_report.ipynb", out / "out")
    return html_path.read_text(encoding="utf-8"), pdf_path


def test_pdf_is_tagged_pdf_ua_with_language_and_title(published):
    _, pdf = published
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "A toy consultation"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp


def test_bookmarks_are_the_sections_with_subsections_nested(published):
    _, pdf = published
    marks = pdfcheck.bookmarks(pdf)
    assert [m.title for m in marks if m.level == 0] == SECTIONS
    titles = [m.title for m in marks]
    # The title block and the contents' own heading are not bookmarks.
    assert "A toy consultation" not in titles and "Contents" not in titles
    method = titles.index("Method")
    assert marks[method + 1] == pdfcheck.Bookmark(
        1, "How responses were received", marks[method + 1].page
    )
    # Q2's themes: h3 'Main themes' then each theme (h4) under it.
    q2 = titles.index("Q2: Factors")
    assert [(m.level, m.title) for m in marks[q2 + 1 : q2 + 5]] == [
        (1, "Main themes"),
        (2, "Support"),
        (2, "Housing"),
        (2, "Access to records"),
    ]


def test_contents_page_numbers_are_the_headings_pages(published):
    _, pdf = published
    texts = pdfcheck.page_texts(pdf)
    page, entries = pdfcheck.contents_entries(texts)
    assert page == 1
    assert [title for title, _ in entries] == SECTIONS
    assert entries[0] == ("Summary of key findings", 2)  # the contents close page 1
    numbers = [n for _, n in entries]
    assert numbers == sorted(numbers) and numbers[-1] <= len(texts)
    for title, number in entries:
        lines = [re.sub(r"\s+", " ", line).strip() for line in texts[number - 1].splitlines()]
        assert title in lines, (title, number)  # the heading is a line of that page
        for earlier in texts[1 : number - 1]:  # and no earlier page (after the contents) has it
            assert title not in [line.strip() for line in earlier.splitlines()]
    marks = {m.title: m.page for m in pdfcheck.bookmarks(pdf) if m.level == 0}
    assert dict(entries) == marks


def test_check_pdf_passes_on_the_report(published):
    _, pdf = published
    assert pdfcheck.check_pdf(pdf) == []


def test_contents_in_the_html_are_links_to_the_sections(published):
    page, _ = published
    nav = re.search(
        r'<nav aria-labelledby="contents-heading" class="contents">(.*?)</nav>', page, re.S
    )
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(1))
    assert [text for _, text in links] == SECTIONS
    for anchor, text in links:
        assert re.search(f'<section[^>]* id="{anchor}">\n<h2>{re.escape(text)}</h2>', page)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.imgs: list[dict] = []
        self.tables: list[list[tuple[str, dict]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.imgs.append(attrs)
        elif tag == "table":
            self.tables.append([])
        elif tag in ("caption", "tr", "th", "td", "thead", "tbody") and self.tables:
            self.tables[-1].append((tag, attrs))


def test_every_chart_has_alt_text_with_its_numbers(published):
    page, _ = published
    tags = _Tags()
    tags.feed(page)
    # Two stance charts, two theme charts, overall themes, themes by type; the toy data has
    # too few respondents raising themes together for the co-occurrence chart.
    assert len(tags.imgs) == 6
    for img in tags.imgs:
        assert re.search(r"\bn ?= ?\d+", img["alt"]) and re.search(
            r"\d+ \(\d+%\)|: \d+", img["alt"]
        )
    # Q2 (open): Support 3 of 3 who answered, Housing 1, Access to records 1; Health by nobody.
    assert (
        "Bar chart: Q2: Factors: themes (n=3 respondents), respondents raising each theme, "
        "most frequent first: Support 3 (100%), Housing 1 (33%), Access to records 1 (33%); "
        "1 theme not raised or not shown."
    ) in [i["alt"] for i in tags.imgs]


def test_table_headers_are_marked(published):
    page, _ = published
    tags = _Tags()
    tags.feed(page)
    assert len(tags.tables) >= 7
    for cells in tags.tables:
        assert cells[0][0] == "caption"
        head = [a for t, a in cells[: cells.index(("tbody", {}))] if t == "th"]
        assert head and all(a.get("scope") == "col" for a in head)
        body = cells[cells.index(("tbody", {})) + 1 :]
        firsts = [body[i + 1] for i, (t, _) in enumerate(body) if t == "tr"]
        assert firsts and all(tag == "th" and a.get("scope") == "row" for tag, a in firsts)


def test_stance_alt_text_from_the_distribution(tmp_path):
    dist = analysis.stance_distribution(td.stances(), td.respondents(), td.CONSULTATION)
    png = tmp_path / "q1_stance.png"
    charts.stance_chart(dist, "q1", png, title="Q1: The proposal")
    # Q1: Become strongly agrees, ACRCG and Respondent 2 agree, Leeds disagrees; Respondent 1 blank.
    assert analysis.read_alt(png) == (
        "Stacked bar chart of level of agreement: Q1: The proposal. All respondents (n=4): "
        "strongly agree 1 (25%), agree 2 (50%), disagree 1 (25%), 1 not answered."
    )


def test_alt_text_of_many_bars_is_bounded():
    rows = [(f"Theme number {i}", 40 - i) for i in range(30)]
    text = chart_text.bar_alt("Themes", 50, rows)
    assert text.startswith("Bar chart: Themes (n=50 respondents)")
    assert "Theme number 0 40 (80%)" in text and "Theme number 7 33 (66%)" in text
    assert "Theme number 8 " not in text and text.endswith(", and 22 more.")
    assert len(text) < 500


def test_heatmap_alt_lists_each_pair_once_largest_first():
    m = pd.DataFrame([[3, 1, 0], [1, 2, 2], [0, 2, 1]])
    text = chart_text.heatmap_alt(
        "Together", "n = 5", m, ["A", "B", "C"], ["A", "B", "C"], row_name="Theme", col_name="Theme"
    )
    assert text == (
        "Heatmap: Together (n = 5); 3 rows (Theme) by 3 columns (Theme); pairs most often "
        "together first: "
        "B and C: 2; A and B: 1."
    )


# Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1 (linear RGB).
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _lab(colour, matrix) -> np.ndarray:
    c = np.asarray(to_rgb(colour))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x = xyz @ np.clip(np.asarray(matrix) @ linear, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(x > 0.008856, np.cbrt(x), 7.787 * x + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", sorted(CVD))
def test_stance_colours_stay_apart_in_colour_blind_vision(vision):
    """Every pair of the scale's colours (and Don't know) differs by ΔE > 12 when simulated.

    ColorBrewer's RdBu with a purple Don't know, used before, fails: 7.9 under protanopia.
    """
    colours = [*charts.STANCE_COLOURS.values(), charts.DONT_KNOW_COLOUR]
    for a, b in itertools.combinations(colours, 2):
        assert np.linalg.norm(_lab(a, CVD[vision]) - _lab(b, CVD[vision])) > 12, (a, b)
    assert set(colours) <= set(charts.PALETTE.values())


def _contrast(a, b) -> float:
    def lum(c):
        c = np.asarray(to_rgb(c))
        lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_numbers_on_coloured_cells_have_enough_contrast():
    cells = [*charts.STANCE_COLOURS.values()] + [
        charts.HEATMAP_CMAP(x)[:3] for x in np.linspace(0, 1, 21)
    ]
    for colour in cells:
        assert _contrast(colour, charts.text_colour(colour)) >= 4.5, colour


def test_render_pages_writes_every_page(published, tmp_path):
    _, pdf = published
    paths = pdfcheck.render_pages(pdf, tmp_path / "png", dpi=50)
    assert len(paths) == len(PdfReader(pdf).pages)
    from PIL import Image

    assert Image.open(paths[0]).size == (414, 585)  # A4 (595 x 842 pt) at 50 dpi, rounded up


def test_check_pdf_finds_an_untagged_pdf_with_text_off_the_page(tmp_path):
    page = (
        "<html><head><title>T</title></head><body><p>Contents</p>"
        "<p>Alpha ........ 3</p><h2>Alpha</h2>"
        '<p style="position: absolute; left: 200mm; white-space: nowrap">off the page</p>'
        "</body></html>"
    )
    pdf = write_pdf(page, tmp_path / "bad.pdf", variant=None)
    problems = pdfcheck.check_pdf(pdf)
    assert "not tagged (no /MarkInfo /Marked true or no /StructTreeRoot)" in problems
    assert "no document language (/Lang)" in problems
    assert "no PDF/UA identifier (pdfuaid:part) in the XMP metadata" in problems
    assert "contents give page 3 for 'Alpha', which is on page 1" in problems
    assert "contents: 'Alpha' is not on page 3" in problems
    assert any(p.startswith("page 1: 1 text run(s) outside the page") for p in problems)


def test_check_pdf_finds_a_pdf_with_no_contents_or_bookmarks(tmp_path):
    pdf = write_pdf(
        '<html lang="en"><head><title>T</title></head><body><p>Text</p></body></html>',
        tmp_path / "p.pdf",
    )
    assert pdfcheck.check_pdf(pdf) == [
        "no bookmarks (outlines)",
        "no contents page with page numbers",
    ]


def test_heatmap_alt_of_a_table_by_group_names_row_and_column():
    m = pd.DataFrame([[2, 0], [1, 3]])
    rows, cols = ["Cost", "Access"], ["Individual (n=4)", "Charity (n=3)"]
    text = chart_text.heatmap_alt(
        "Themes by type", "n = 7", m, rows, cols, "{:.0f}", "Theme", "Type"
    )
    assert text.endswith(
        "2 rows (Theme) by 2 columns (Type); highest values first: "
        "Access, Charity (n=3): 3; Cost, Individual (n=4): 2; Access, Individual (n=4): 1."
    )


def test_check_pdf_finds_a_table_too_wide_for_the_page(tmp_path):
    """The clipped respondent x theme table of issue 16: columns past the page's right edge."""
    cells = "".join(f"<th>Respondent{i:03d}</th>" for i in range(30))
    page = (
        '<html lang="en"><head><title>T</title><style>th { white-space: nowrap }</style></head>'
        f"<body><table><tr>{cells}</tr></table></body></html>"
    )
    problems = pdfcheck.text_outside(write_pdf(page, tmp_path / "wide.pdf"))
    assert len(problems) == 1 and problems[0].startswith("page 1: ")
    assert "text run(s) outside the page, e.g. 'Respondent" in problems[0]
