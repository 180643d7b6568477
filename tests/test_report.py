"""The narrative report: content computed from hand-made tables, escaping of
hostile respondent text, agreement reporting, and publishing to HTML and PDF."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest
import report_testdata as td
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from helpers import analysis as analyse
from helpers import report
from helpers.core import schemas
from helpers.core.consultation import parse_consultation
from helpers.core.errors import ConfigError
from helpers.report import questions, sections, templating
from helpers.report import tables as report_tables

CODEBOOK = td.CODEBOOK
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '<img src=x onerror="alert(2)">'
HOSTILE_IMG_BARE = "<img src=x onerror=alert(1)>"
HOSTILE_TABLE = "</table>"
HOSTILE_JINJA = "{{ 7*7 }}"  # template syntax: must be printed, never evaluated


def _inputs(**over) -> analyse.AnalysisInputs:
    parts = {
        "respondents": td.respondents(),
        "answers": td.answers(),
        "codes": td.codes(),
        "stances": td.stances(),
        "uncoded": td.uncoded(),
        "consultation": td.CONSULTATION,
        "codebook": CODEBOOK,
    }
    parts.update(over)
    return analyse.AnalysisInputs(**parts)


@pytest.fixture(scope="module")
def toy_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    return report.build_report(_inputs(), output_dir=out, report_date=dt.date(2026, 11, 24))


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed, entities decoded."""
    import html

    no_tags = re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", fragment))
    return re.sub(r"\s+", " ", html.unescape(no_tags))


def test_report_structure_and_numbers(toy_html):
    text = _text(toy_html)
    heads = re.findall(r"<h2>(.*?)</h2>", toy_html)
    assert heads[:4] == ["Summary of key findings", "Introduction", "Method", "Respondent profile"]
    assert heads[4:7] == ["Q1: The proposal", "Q2: Factors", "Q3: Timing"]
    assert heads[-3:] == [
        "Annex A: the codebook",
        "Annex B: detail for each respondent",
        "Annex C: answers with no theme",
    ]
    assert "Report produced 24 November 2026" in text
    # 5 respondents: 2 individuals, 1 each of charity, local authority, campaign group.
    assert (
        "Five responses were received: two from individuals, one from a charity or voluntary "
        "organisation, one from a local authority and one from a campaign group." in text
    )
    # Q1: SA r1, A r2, A r5, D r4; r3 not answered.
    assert (
        "A majority (3 of 4: Become, ACRCG and Respondent 2) agreed (one strongly) and one "
        "(Leeds City Council) disagreed. One respondent did not answer this question." in text
    )
    assert "ACRCG expressed reservations alongside its position." in text
    # The key findings carry the reservation too (r2 on q1), and only for q1.
    summary = _text(toy_html[: toy_html.index('<section id="introduction">')])
    assert "One respondent expressed reservations." in summary
    assert summary.count("expressed reservations") == 1
    # Q2 base 3: support 3, housing 1 (2 mentions), records 1.
    assert (
        "The themes raised most often were Support (all three respondents), Housing (one of three "
        "respondents) and Access to records (one of three respondents)." in text
    )
    assert (
        "Housing was raised by one of the three respondents who answered this question (two mentions)."
        in text
    )
    assert "What this theme covers: Somewhere to live." in text
    assert "The consultation's opening and closing dates are not recorded." in text
    assert "has not been measured" in text
    assert (
        "Five responses were received: three as plain-text files, one as a Word document and one as a PDF document."
        in text
    )
    assert "One answer to this question received no theme (Annex C)." in text  # r4 q1
    annex_c = text[text.rindex("Annex C: answers with no theme") :]  # after the contents list
    # Counted by question (r4's q1 answer; q1 answered by 4, q2 by 3), listed in the workbook.
    assert "One answer received no theme. Each is listed" in annex_c
    assert "(tables.xlsx, sheet uncoded)" in annex_c
    assert "Question Answered No theme Share Q1: The proposal 4 1 25% Q2: Factors 3 0 0%" in annex_c
    assert "Leeds City Council" not in annex_c  # no row per answer
    annex_b = text[text.rindex("Annex B: detail") : text.rindex("Annex C: answers")]
    assert "Which themes each of the five respondents raised is in the workbook" in annex_b
    assert "sheet respondent_themes" in annex_b
    assert "The respondent type was recorded in the metadata file for all five responses." in text


def test_individuals_are_never_named(toy_html):
    assert "Jane Smith" not in toy_html
    assert "Respondent 2" in toy_html


def test_quotes_are_attributed_and_exact(toy_html):
    # Support in q2: r3's 150-char quote (nearest 160) then Become's 100-char quote.
    quote_r3 = td.text_of(150, "support")
    section = toy_html[
        toy_html.index("<h2>Q2: Factors</h2>") : toy_html.index("<h2>Q3: Timing</h2>")
    ]
    assert f"“{quote_r3}”</p><footer>— Respondent 1</footer>" in section
    assert f"“{td.text_of(100, 'support')}”</p><footer>— Become</footer>" in section
    assert f"“{td.text_of(30, 'support')}”" not in section  # ACRCG's 30-char sentence: too short


def test_only_the_most_frequent_themes_are_written_up(tmp_path, monkeypatch):
    monkeypatch.setattr(questions, "MAX_THEMES_DETAILED", 1)
    page = report.build_report(_inputs(), output_dir=tmp_path)
    section = page[page.index("<h2>Q2: Factors</h2>") : page.index("<h2>Q3: Timing</h2>")]
    assert re.findall(r"<h4>(.*?)</h4>", section) == ["Support"]
    assert (
        "Other themes raised: Housing (one of three respondents) and Access to records "
        "(one of three respondents)." in _text(section)
    )


def test_charts_embedded_as_data_uris(toy_html, tmp_path):
    imgs = re.findall(r'<img src="([^"]+)"', toy_html)
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)
    # q1 and q3 stance, q1 and q2 themes, overall, by type; co-occurrence is left out
    # (two respondents raised two themes in one answer, below the threshold of 10).
    assert len(imgs) == 6
    assert re.findall(r"<figcaption>Figure (\d+):", toy_html) == [str(i) for i in range(1, 7)]


def test_hostile_text_is_escaped(tmp_path):
    rows = [r for r in td.CODE_ROWS]
    codes = td.codes(rows)
    codes.loc[codes["respondent_id"] == "r3", "quote"] = (
        f"We say {HOSTILE_SCRIPT} and {HOSTILE_IMG} loudly."
    )
    resp = td.respondents()
    resp.loc[resp["respondent_id"] == "r1", "organisation"] = f"Evil {HOSTILE_IMG} Ltd"
    stances = td.stances()
    stances.loc[stances["respondent_id"] == "r2", "evidence"] = HOSTILE_SCRIPT
    cons = parse_consultation(
        {
            "id": "toy",
            "title": f"Title {HOSTILE_SCRIPT}",
            "questions": [
                {"id": "q1", "number": 1, "kind": "closed", "short": "S <b>", "text": HOSTILE_IMG},
                {"id": "q2", "number": 2, "kind": "open", "text": "What matters?"},
                {"id": "q3", "number": 3, "kind": "closed", "text": "Start?"},
            ],
        }
    )
    page = report.build_report(
        _inputs(codes=codes, respondents=resp, stances=stances, consultation=cons),
        output_dir=tmp_path,
    )
    assert "<script" not in page.lower()
    assert "<img src=x" not in page and 'onerror="alert' not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert HOSTILE_IMG not in page and "&lt;img src=x onerror=" in page
    assert f"Evil {HOSTILE_IMG} Ltd" in _text(page)  # shown as text, exactly as written
    # The only <img> tags are our charts.
    assert all(
        m.startswith('<img src="data:image/png;base64,') for m in re.findall(r"<img[^>]*>", page)
    )


class _Markup(HTMLParser):
    """The elements and attributes of a page, as a browser would parse them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_inert(page: str, payloads: list[str]) -> None:
    """No payload became markup: no script element, no event-handler attribute, no image but
    our charts, tables balanced, and every payload legible as text exactly as written."""
    tags = _Markup(page).tags
    assert "script" not in {t for t, _ in tags}
    assert not [(t, a) for t, a in tags for name in a if name.lower().startswith("on")]
    imgs = [a.get("src", "") for t, a in tags if t == "img"]
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)
    assert page.count("<table") == page.count("</table>") == sum(t == "table" for t, _ in tags)
    assert "<script" not in page.lower() and "<b>" not in page
    for payload in payloads:
        if "<" in payload:
            assert payload not in page, payload
        assert payload in _text(page), payload


def test_hostile_text_everywhere_stays_text(tmp_path):
    """Respondent and configuration text carrying markup or template syntax, in every place
    the report prints it, is escaped in the fragment and in the published report.html;
    '{{ 7*7 }}' is printed, never evaluated (responses are data, not template source)."""
    script, img = HOSTILE_SCRIPT, HOSTILE_IMG_BARE
    table, jinja = HOSTILE_TABLE, HOSTILE_JINJA
    resp = td.respondents()
    resp.loc[resp["respondent_id"] == "r1", "organisation"] = f"Evil {img} {jinja} Ltd"
    resp.loc[resp["respondent_id"] == "r2", "organisation"] = f"ACRCG {table}{script}"
    resp.loc[resp["respondent_id"] == "r5", "text"] = f"Copy {script} {table} {jinja} text"
    codes = td.codes()
    codes.loc[codes["respondent_id"] == "r3", "quote"] = f"Quote {script} {img} {table} {jinja}."
    stances = td.stances()
    stances.loc[stances["respondent_id"] == "r4", "evidence"] = f"We {table} disagree {jinja}."
    themes = [dict(t) for t in td.THEMES]
    themes[1]["label"] = f"Support {script}"
    themes[1]["description"] = f"Help {img} {table} {jinja}"
    cons = parse_consultation(
        {
            "id": "toy",
            "title": f"Title {jinja} {script}",
            "organisation": f"Office {table}",
            "description": f"About {img} {jinja}",
            "url": f'https://example.org/?q="><script>alert(3)</script>{jinja}',
            "questions": [
                {"id": "q1", "number": 1, "kind": "closed", "short": f"S {table}", "text": img},
                {"id": "q2", "number": 2, "kind": "open", "text": f"What {jinja} {script}?"},
                {"id": "q3", "number": 3, "kind": "closed", "text": "Start?"},
            ],
        }
    )
    copies = schemas.conform(
        pd.DataFrame(
            {
                "respondent_id": ["r5", "r1"],
                "question_id": ["*", "*"],  # whole responses: the annex shows r5's text
                "copy_group": ["campaign-1"] * 2,
                "similarity": [100.0, 100.0],
                "is_first": [True, False],
            }
        ),
        schemas.COPIES,
    )
    hand = tmp_path / "hand.csv"
    hand.write_text(
        f"# Coded by {script} {img} {jinja}\nrespondent_id,question_id,theme_id\nr1,q2,support\n",
        encoding="utf-8",
    )
    inputs = _inputs(
        codes=codes,
        respondents=resp,
        stances=stances,
        consultation=cons,
        codebook=td.codebook(themes, title=f"Codebook {table} {jinja}"),
    )
    inputs.copies = copies
    fragment = report.build_report(inputs, hand_coded=hand, output_dir=tmp_path)
    payloads = [
        f"Evil {img} {jinja} Ltd",  # organisation (named in stance sentences, matrix, quotes)
        f"ACRCG {table}{script}",
        f"Quote {script} {img} {table} {jinja}.",  # a representative quote
        f"We {table} disagree {jinja}.",  # answer text quoted as stance evidence
        f"Copy {script} {table} {jinja} text",  # response text in the campaign-copies annex
        f"Support {script}",  # codebook theme label
        f"What this theme covers: Help {img} {table} {jinja}",  # and description
        f"Codebook {table} {jinja}",
        f"Title {jinja} {script}",  # the consultation's own text
        f"Office {table}",
        f"About {img} {jinja}",
        f"What {jinja} {script}?",
        img,  # question text
        f"Coded by {script} {img} {jinja}",  # hand-coding file provenance
    ]
    _assert_inert(fragment, payloads)
    # The link's address is an attribute: it is escaped there too and cannot close it.
    (link,) = [a for t, a in _Markup(fragment).tags if t == "a" and a["href"][:1] != "#"]
    assert link["href"] == f'https://example.org/?q="><script>alert(3)</script>{jinja}'
    nb_path = tmp_path / "04_report.ipynb"
    _tiny_executed_notebook(nb_path, fragment)
    html_path, _ = report.publish(nb_path, tmp_path / "out")
    page = html_path.read_text(encoding="utf-8")
    _assert_inert(page, payloads)
    assert f"<title>Title {jinja} &lt;script&gt;" in page


def test_agreement_figures_from_summary(tmp_path):
    summary = {
        "n_answers": 12,
        "n_themes": 4,
        "percent_agreement": 0.9,
        "kappa": 0.71,
        "kappa_ci": (0.5, 0.88),
        "alpha": 0.7,
        "alpha_ci": (0.48, 0.87),
        "precision": 0.8,
        "recall": 0.75,
        "per_theme": pd.DataFrame(),
    }
    page = report.build_report(
        _inputs(), hand_coded="hand.csv", output_dir=tmp_path, agreement_summary=summary
    )
    text = _text(page)
    assert "compared with hand coding of 12 answers across four themes (file: hand.csv)" in text
    assert "Percent agreement was 90%; Cohen's kappa was 0.71 (95% interval 0.50 to 0.88)" in text
    assert "Krippendorff's alpha was 0.70 (95% interval 0.48 to 0.87)" in text
    assert "Agreement with the hand-coded sample: Cohen's kappa 0.71 on 12 answers." in text
    assert "has not been measured" not in text


def test_agreement_from_hand_coded_file(tmp_path):
    # Hand coding that matches the automatic codes for q2 exactly (r3's negated housing excluded).
    hand = tmp_path / "hand.csv"
    hand.write_text(
        "respondent_id,question_id,theme_id\n"
        "r1,q2,housing\nr1,q2,support\nr2,q2,records\nr2,q2,support\nr3,q2,support\n",
        encoding="utf-8",
    )
    page = report.build_report(_inputs(), hand_coded=hand, output_dir=tmp_path)
    text = _text(page)
    assert "compared with hand coding of three answers across four themes (file: hand.csv)" in text
    assert "Percent agreement was 100%" in text
    assert "does not record who coded it" in text


def test_agreement_states_who_coded_the_sample(tmp_path):
    hand = tmp_path / "hand.csv"
    hand.write_text(
        "# Coded by <b>J. Smith</b>, research officer, 3 May 2024.\n"
        "respondent_id,question_id,theme_id\nr1,q2,housing\nr2,q2,records\n",
        encoding="utf-8",
    )
    page = report.build_report(_inputs(), hand_coded=hand, output_dir=tmp_path)
    assert "Who coded the sample, as recorded in the file: Coded by <b>J. Smith</b>" in _text(page)
    assert "&lt;b&gt;J. Smith&lt;/b&gt;" in page  # provenance is file text: escaped


def test_agreement_from_refi_qda_project(tmp_path):
    """A .qdpx hand coding (as 05_validate accepts) works in the report too. The project is
    exported from the automatic codes of the two real responses, so the round trip must agree
    perfectly, over the eight coded answers (ACRCG Q1-Q3, Become Q1-Q5)."""
    from helpers.coding import run_coding
    from helpers.core import paths
    from helpers.ingest import run_ingest
    from helpers.validate import export_qdpx

    folder = paths.consultation_dir()
    cons_path, cb_path = folder / "consultation.yaml", folder / "codebook.yaml"
    processed = tmp_path / "processed"
    run_ingest(paths.raw_dir(), cons_path, processed)
    run_coding(processed, cons_path, cb_path)
    inputs = analyse.load_inputs(processed, cons_path, cb_path)
    project = export_qdpx(
        tmp_path / "project.qdpx",
        inputs.respondents,
        inputs.answers,
        inputs.codes,
        inputs.codebook,
        inputs.consultation,
    )
    text = _text(report.build_report(inputs, hand_coded=project, output_dir=tmp_path))
    assert (
        "compared with hand coding of eight answers across 21 themes (file: project.qdpx)" in text
    )
    assert "Percent agreement was 100%; Cohen's kappa was 1.00" in text
    assert "Precision was 1.00 and recall 1.00" in text


def test_missing_hand_coded_file_says_not_measured(tmp_path):
    page = report.build_report(_inputs(), hand_coded=tmp_path / "nope.csv", output_dir=tmp_path)
    assert "has not been measured" in _text(page)


def _tiny_executed_notebook(path, fragment: str) -> None:
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Analyst notes: not part of the report"),
        new_code_cell(
            "SECRET_CODE = 1\nprint('log line')",
            outputs=[new_output("stream", name="stdout", text="log line\n")],
        ),
        new_code_cell(
            "show_report(html)",
            outputs=[
                new_output("display_data", data={"text/html": fragment, "text/plain": "<HTML>"})
            ],
        ),
    ]
    nbformat.write(nb, path)


def test_publish_html_and_pdf(tmp_path):
    fragment = report.build_report(
        _inputs(), output_dir=tmp_path, report_date=dt.date(2026, 11, 24)
    )
    nb_path = tmp_path / "04_report.ipynb"
    _tiny_executed_notebook(nb_path, fragment)
    html_path, pdf_path = report.publish(nb_path, tmp_path / "out")
    page = html_path.read_text(encoding="utf-8")
    assert "SECRET_CODE" not in page and "log line" not in page and "Analyst notes" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert "<title>A toy consultation</title>" in page
    assert "<h2>Summary of key findings</h2>" in page
    # Self-contained: no external scripts, stylesheets or images.
    assert not re.search(r'<script[^>]+src=|<link[^>]+stylesheet|src="http', page)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert "A toy consultation" in first and "Summary of key findings" in first
    assert f"Page 1 of {len(reader.pages)}" in first
    box = reader.pages[0].mediabox  # A4 is 595 x 842 points
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842
    # --formats html: no PDF is rendered at all.
    html_only, no_pdf = report.publish(nb_path, tmp_path / "html-only", formats=("html",))
    assert html_only.read_text(encoding="utf-8") == page
    assert not no_pdf.exists()
    alltext = " ".join(p.extract_text() for p in reader.pages)
    for heading in (
        "Introduction",
        "Method",
        "Respondent profile",
        "Q2: Factors",
        "Annex A: the codebook",
    ):
        assert heading in alltext


def test_publish_missing_notebook(tmp_path):
    with pytest.raises(FileNotFoundError, match="04_report"):
        report.publish(tmp_path / "missing.ipynb", tmp_path)


def test_other_consultation_without_closed_questions_or_codes(tmp_path):
    """A different shape of consultation needs no edits: open questions only, no codes,
    an unstructured response, an unknown respondent type."""
    cons = parse_consultation(
        {
            "id": "other",
            "title": "Another consultation",
            "opened": "2024-01-08",
            "closed": "2024-03-01",
            "questions": [{"id": "views", "kind": "open", "text": "Your views?"}],
        }
    )
    resp = td.respondents().iloc[:3].copy()
    resp["respondent_type"] = ["unknown", "unknown", "individual"]
    answers = td.answers()
    answers = answers[answers["respondent_id"].isin(["r1", "r2", "r3"])].copy()
    answers["question_id"] = ["views", "unstructured", "unstructured", "views", "views", "views"][
        : len(answers)
    ]
    answers = answers.drop_duplicates(["respondent_id", "question_id"])
    empty_codes = td.codes([])
    page = report.build_report(
        _inputs(
            consultation=cons,
            respondents=resp,
            answers=answers,
            codes=empty_codes,
            stances=td.stances().iloc[0:0],
            uncoded=td.uncoded().iloc[0:0],
        ),
        output_dir=tmp_path,
    )
    text = _text(page)
    assert "The consultation opened on 8 January 2024 and closed on 1 March 2024." in text
    assert (
        "Three responses were received: one from an individual and two from respondents of unknown type."
        in text
    )
    assert "No theme in the codebook was identified in the answers to this question." in text
    assert "Level of agreement" not in text
    assert "Every answer to a coded question received at least one theme." in text


def test_notebook_css_is_scoped():
    """The CSS injected into a notebook must not restyle JupyterLab: every rule is scoped."""
    html_obj = report.show_report("<div class='consultation-report'></div>")
    css = re.search(r"<style>(.*?)</style>", html_obj.data, re.S).group(1)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@page\s*\{(?:[^{}]|\{[^{}]*\})*\}", "", css)  # page boxes only apply to print
    selectors = [
        sel.strip() for block in re.findall(r"([^{}]+)\{[^{}]*\}", css) for sel in block.split(",")
    ]
    assert selectors and all(sel.startswith(".consultation-report") for sel in selectors), selectors
    assert "body {" in report.report_css(page=True)


def test_type_breakdown_wording():
    resp = td.respondents()
    resp["respondent_type"] = [
        "local_authority",
        "local_authority",
        "individual",
        "professional_body",
        "other",
    ]
    profile = analyse.respondent_profile(resp)
    assert sections.type_breakdown(profile) == (
        "one from an individual, two from local authorities, one from a professional body "
        "and one from another organisation"
    )


def _squeeze(fragment: str) -> str:
    """Markup with the line breaks between tags removed (the templates put rows on lines)."""
    return re.sub(r">\s+<", "><", fragment)


def test_cooccurrence_chart_only_above_its_threshold(toy_html, tmp_path, monkeypatch):
    # r1 (support + housing in q2) and r5 (housing + records in q1): 2 respondents < 10.
    overall = _text(toy_html[toy_html.index("<h2>Themes across all questions") :])
    assert "Themes raised together" not in overall
    assert (
        "Which themes were raised together is not charted: two respondents raised two or more "
        "themes in the same answer, fewer than the 10 needed" in overall
    )
    monkeypatch.setattr(sections, "COOCCURRENCE_MIN_RESPONDENTS", 2)
    page = report.build_report(_inputs(), output_dir=tmp_path)
    overall = _text(page[page.index("<h2>Themes across all questions") :])
    assert "Themes raised together in the same answer" in overall
    assert "is not charted" not in overall


def test_profile_table_of_respondents_only_when_few(toy_html, tmp_path, monkeypatch):
    assert "Questions each respondent answered" in toy_html
    monkeypatch.setattr(sections, "PROFILE_ANSWERED_MAX", 4)  # the toy data has five
    page = _text(report.build_report(_inputs(), output_dir=tmp_path))
    assert "Questions each respondent answered" not in page
    assert (
        "Which questions each of the five respondents answered is in the workbook "
        "(tables.xlsx, sheet questions_answered)" in page
    )


def test_table_headers_fit_their_columns():
    # "Answered" (8 characters) needs 12% of the A4 text width, "substantive" 15%: the
    # widest column (Wording) gives what they lack, the total stays 100.
    assert report_tables.header_widths(
        ["No.", "Wording", "Type", "Answered", "No substantive answer"], [10, 50, 16, 11, 13]
    ) == [10, 47, 16, 12, 15]
    assert report_tables.header_widths(["A"], []) == []


@pytest.mark.parametrize(
    ("url", "linked"),
    [("https://www.gov.uk/consultation", True), ("javascript:alert(1)", False)],
)
def test_only_web_addresses_become_links(tmp_path, url, linked):
    cons = parse_consultation(
        {
            "id": "linked",
            "title": "Linked",
            "url": url,
            "questions": [{"id": "views", "kind": "open", "text": "Your views?"}],
        }
    )
    page = report.build_report(_inputs(consultation=cons), output_dir=tmp_path)
    assert (f'<a href="{url}">' in page) is linked
    assert f"Consultation page: {url}" in _text(page)


def test_a_team_restyles_the_report_with_its_own_templates(tmp_path):
    """A folder of the team's own templates and CSS, searched before the package's, changes
    the report with no Python edit; what it does not override comes from the package, and
    its templates are escaped like the package's."""
    house = tmp_path / "house"
    (house / "sections").mkdir(parents=True)
    (house / "report.css").write_text(
        ".consultation-report h2 { color: #ff00aa; }\n", encoding="utf-8"
    )
    (house / "sections" / "title.html.j2").write_text(
        '<header class="title-block house">\n'
        '<img class="logo" src="data:image/png;base64,AAAA" alt="Our logo">\n'
        "<h1>{{ title.title }}</h1>\n"
        '<p class="date">Published {{ title.date }}</p>\n'
        "</header>\n",
        encoding="utf-8",
    )
    (house / "page.html.j2").write_text(
        '{% extends "base.html.j2" %}\n'
        '{% block body %}<div class="house-banner">Our department</div>\n{{ body }}{% endblock %}\n',
        encoding="utf-8",
    )
    cons = parse_consultation(
        {
            "id": "toy",
            "title": f"House {HOSTILE_SCRIPT}",
            "questions": [{"id": "views", "kind": "open", "text": "Your views?"}],
        }
    )
    inputs = _inputs(consultation=cons)
    day = dt.date(2026, 11, 24)
    plain = report.build_report(inputs, output_dir=tmp_path, report_date=day)
    fragment = report.build_report(
        inputs, output_dir=tmp_path, report_date=day, templates_dir=house
    )
    assert 'class="title-block house"' in fragment and 'alt="Our logo"' in fragment
    assert "Published 24 November 2026" in fragment
    assert "Analysis of consultation responses" in plain
    assert "Analysis of consultation responses" not in fragment
    assert "<h1>House &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in fragment  # still escaped
    # Everything after the title block comes from the package's templates, unchanged.
    assert fragment[fragment.index("</header>") :] == plain[plain.index("</header>") :]
    # The stylesheet: shown in the notebook and in the published page.
    assert "#ff00aa" in report.show_report(fragment, templates_dir=house).data
    assert "#ff00aa" not in report.show_report(plain).data
    assert report.report_css(templates_dir=house).startswith(".consultation-report h2")
    assert "body {" in report.report_css(page=True, templates_dir=house)  # page.css: package's
    nb_path = tmp_path / "04_report.ipynb"
    _tiny_executed_notebook(nb_path, fragment)
    html_path, _ = report.publish(nb_path, tmp_path / "out", templates_dir=house)
    page = html_path.read_text(encoding="utf-8")
    assert '<div class="house-banner">Our department</div>' in page
    assert "#ff00aa" in page and "@page" not in page.split("</style>")[0]


def test_templates_dir_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="templates folder"):
        templating.environment(tmp_path / "missing")


def test_stances_read_from_letters_are_marked(tmp_path):
    """Issue 13: a stance inferred from a letter that follows no question is counted in
    the question's table and said to be read from a letter, with lower confidence."""
    st = td.stances()
    st.loc[(st["respondent_id"] == "r4") & (st["question_id"] == "q1"), "method"] = "unstructured"
    st.loc[(st["respondent_id"] == "r5") & (st["question_id"] == "q1"), "method"] = "unstructured"
    page = report.build_report(_inputs(stances=st), output_dir=tmp_path)
    q1 = _text(page[page.index("<h2>Q1") : page.index("<h2>Q2")])
    assert (
        "Two stances were read from letters or e-mails that do not follow the questions "
        "(inferred from the whole text, with lower confidence)." in q1
    )
    q3 = _text(page[page.index("<h2>Q3") :])
    assert "read from letters" not in q3.split("<h2>")[0]
