"""explorer.html without a browser: its counts, its quote sample, its escaping, its size.

Counts are checked against hand counts (``explorer_testdata``'s docstring) and
the analysis tables; the page's JSON is read back from the written file the way
the browser reads it (the text of the ``<script type="application/json">``
element). The browser itself is tests/test_explorer_browser.py.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import explorer_testdata as ed
import pandas as pd
import pytest
import report_testdata as td

from helpers import analysis, coding, ingest, pipeline, report
from helpers.core import schemas
from helpers.report.explorer_data import SampleLimits, excerpt, per_cell_limit

FIXTURE = Path(__file__).parent / "fixtures" / "second_consultation"


def page_data(html: str) -> dict:
    """The explorer's data as the page's script reads it (JSON.parse of the element's text)."""
    found = re.findall(
        r'<script type="application/json" id="explorer-data">(.*?)</script>', html, flags=re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def cell_sum(data: dict, q: str, theme: str | None = None, **where: str) -> int:
    """Σ n of the cells of question ``q`` (theme row, or answered), with attribute values ``where``."""
    qi = [x["id"] for x in data["questions"]].index(q)
    ti = -1 if theme is None else [t["id"] for t in data["themes"]].index(theme)
    stance = where.pop("stance", None)
    si = None if stance is None else [s["id"] for s in data["stances"]].index(stance)
    attr_ids = [a["id"] for a in data["attributes"]]
    want = {
        attr_ids.index(a): [v["id"] for v in data["attributes"][attr_ids.index(a)]["values"]].index(
            v
        )
        for a, v in where.items()
    }
    c = data["counts"]
    total = 0
    for q_, p, s, t, n in zip(c["q"], c["p"], c["s"], c["t"], c["n"], strict=True):
        if q_ != qi or t != ti or (si is not None and s != si):
            continue
        if all(data["profiles"][p][a] == v for a, v in want.items()):
            total += n
    return total


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    out = tmp_path_factory.mktemp("explorer")
    path = report.write_explorer(ed.toy_inputs(), out, title="Toy")
    return path, page_data(path.read_text(encoding="utf-8"))


def test_counts_match_the_hand_counts_and_the_analysis_tables(toy) -> None:
    _, data = toy
    assert cell_sum(data, "q1") == 4  # r1 r2 r4 r5
    assert [cell_sum(data, "q1", stance=s) for s in ("strongly_agree", "agree", "disagree")] == [
        1,
        2,
        1,
    ]
    assert cell_sum(data, "q2") == 3
    inputs = ed.toy_inputs()
    table = analysis.theme_frequencies(inputs.codes, inputs.answers, td.CODEBOOK, "q2")
    for theme_id, n in zip(table["theme_id"], table["n_respondents"], strict=True):
        assert cell_sum(data, "q2", theme_id) == n
    assert [cell_sum(data, "q2", t) for t in ("housing", "support", "records", "health")] == [
        1,
        3,
        1,
        0,
    ]
    assert cell_sum(data, "q2", "support", area="north") == 2  # r1 r2
    assert cell_sum(data, "q2", "support", respondent_type="individual") == 1  # r3
    assert cell_sum(data, "q1", "housing", stance="agree", area="north") == 1  # r5


def test_quotes_are_the_evidence_sentences_and_answers_with_attributions(toy) -> None:
    _, data = toy
    q = data["quotes"]
    themes = [t["id"] for t in data["themes"]]
    support = sorted(
        (text, who)
        for text, t, qi, who in zip(q["text"], q["t"], q["q"], q["who"], strict=True)
        if qi == 1 and t == themes.index("support")
    )
    assert support == sorted(
        [
            (td.text_of(100, "support"), "Become"),  # r1's one sentence for the theme
            (td.text_of(30, "support"), "ACRCG"),
            (td.text_of(150, "support"), "Respondent 1"),  # r3, an individual: never named
        ]
    )
    answers = sorted(
        text for text, t, qi in zip(q["text"], q["t"], q["q"], strict=True) if qi == 1 and t == -1
    )
    assert answers == ["Housing and support.", "Not housing, but support.", "Records."]
    assert "Jane Smith" not in json.dumps(data)  # r5's own name, as metadata


def test_hostile_text_cannot_close_the_script_element(tmp_path) -> None:
    hostile = "</script><script>alert(1)</script><!-- --!> </SCRIPT > & <img src=x>"
    codes = td.codes()
    codes.loc[codes["theme_id"] == "records", "quote"] = hostile
    answers = td.answers()
    answers.loc[answers["answer_text"] == "Records.", "answer_text"] = hostile
    path = report.write_explorer(
        ed.toy_inputs(codes=codes, answers=answers), tmp_path, "T</script>\u2028"
    )
    html = path.read_text(encoding="utf-8")
    block = re.search(r'id="explorer-data">(.*?)</script>', html, flags=re.S).group(1)
    for bad in ("<", ">", "&", "\u2028"):
        assert bad not in block
    assert html.lower().count("</script") == 2  # the data element and the script, nothing else
    assert html.count("<!--") == 0
    data = page_data(html)
    assert hostile in data["quotes"]["text"]  # read back intact: escaped, not altered
    assert data["title"] == "T</script>\u2028"  # a JavaScript line separator, escaped too
    assert "<title>T&lt;/script&gt;\u2028 — explorer</title>" in html  # escaped by the template


def test_script_json_round_trips_what_it_escapes() -> None:
    value = {"a": "</script><!--&\u2028\u2029", "b": [1, 2.5, None]}
    text = str(report.script_json(value))
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_personal_data_in_quotes_is_redacted_and_logged(tmp_path) -> None:
    codes = td.codes()
    leak = "Write to jane.doe@example.org or call 07700 900123 about support here."
    codes.loc[codes["respondent_id"] == "r3", "quote"] = leak
    answers = td.answers()
    answers.loc[answers["answer_text"] == "Fine.", "answer_text"] = "Fine. Jane Smith, 1 High St."
    path = report.write_explorer(ed.toy_inputs(codes=codes, answers=answers), tmp_path, "Toy")
    html = path.read_text(encoding="utf-8")
    for secret in ("jane.doe@example.org", "07700 900123", "Jane Smith"):
        assert secret not in html
    texts = page_data(html)["quotes"]["text"]
    assert any("[email]" in t and "[phone]" in t for t in texts)
    assert any(t.startswith("Fine. [name]") for t in texts)  # r5's own name (metadata)
    log = pd.read_csv(tmp_path / "redaction_log.csv")
    assert set(log["source"]) == {"explorer"}
    assert {"email", "phone"} <= set(log["kind"])


def test_the_same_inputs_give_the_same_page(tmp_path) -> None:
    data1, _ = report.explorer_data(ed.synthetic_inputs(2_000), "S")
    data2, _ = report.explorer_data(ed.synthetic_inputs(2_000), "S")
    assert report.render_explorer(data1, generated="x") == report.render_explorer(
        data2, generated="x"
    )


def test_quotes_per_cell_are_bounded_and_shrink_to_the_budget() -> None:
    data, _ = report.explorer_data(ed.synthetic_inputs(3_000), "S", SampleLimits(per_cell=5))
    q = data["quotes"]
    cells = pd.Series(list(zip(q["q"], q["p"], q["s"], q["t"], strict=True))).value_counts()
    assert cells.max() == 5
    sizes = pd.Series([100, 3, 50, 1])
    assert per_cell_limit(sizes, SampleLimits(per_cell=20, budget=1_000)) == 20
    # k=18: 18+3+18+1 = 40 fits; k=19: 19+3+19+1 = 42 does not
    assert per_cell_limit(sizes, SampleLimits(per_cell=20, budget=40)) == 18
    tight, _ = report.explorer_data(ed.synthetic_inputs(3_000), "S", SampleLimits(budget=200))
    assert tight["sample"]["n_quotes"] <= 200 and tight["sample"]["per_cell"] < 20


def test_excerpt_cuts_at_a_word_with_an_ellipsis() -> None:
    assert excerpt("short  text", 50) == "short text"
    assert excerpt("one two three four", 12) == "one two…"


def test_a_hundred_thousand_respondents_stay_small(tmp_path) -> None:
    n = 100_000
    inputs = ed.synthetic_inputs(n)
    path = report.write_explorer(inputs, tmp_path, "Large")
    size = path.stat().st_size
    assert size < 5_000_000, f"explorer.html is {size:,} bytes"
    data = page_data(path.read_text(encoding="utf-8"))
    assert cell_sum(data, "q1") == n and cell_sum(data, "q2") == n
    table = analysis.theme_frequencies(inputs.codes, inputs.answers, td.CODEBOOK, "q2")
    for theme_id, k in zip(table["theme_id"], table["n_respondents"], strict=True):
        assert cell_sum(data, "q2", theme_id) == k
    assert data["sample"]["n_quotes"] <= SampleLimits().budget


def test_publish_explorer_reads_a_real_processed_folder(tmp_path) -> None:
    """Ingest and code a small survey, then the pipeline's step writes explorer.html."""
    import test_breakdowns_report as tb

    cons = tb._consultation(tmp_path)
    raw = tmp_path / "responses"
    raw.mkdir()
    with (raw / "survey.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([tb.HEADER, *tb.ROWS])
    processed = tmp_path / "processed"
    ingest.run_ingest(raw, cons, processed, metadata_file=None)
    coding.run_coding(processed, cons, FIXTURE / "codebook.yaml")
    config = pipeline.RunConfig(
        consultation=cons,
        codebook=FIXTURE / "codebook.yaml",
        input_dir=raw,
        processed_dir=processed,
        output_root=tmp_path / "reports",
    )
    path = pipeline.publish_explorer(config, processed, tmp_path / "run")
    data = page_data(path.read_text(encoding="utf-8"))
    assert data["n_respondents"] == 9
    # q1 (tick boxes): eight ticked (R9 left it blank), by hand from the rows.
    assert cell_sum(data, "q1") == 8
    assert cell_sum(data, "q1", stance="agree") == 3  # R1 R4 R8
    # Area: North R1 R2 R3, South R4 R5 R6; R7's street (one respondent) is Other.
    values = [v["id"] for v in data["attributes"][1]["values"]]
    assert "other" in values and "Eastfield Close" not in json.dumps(data)
    assert cell_sum(data, "q1", area="south") == 3


def test_no_codes_no_stances_no_attributes(tmp_path) -> None:
    """A consultation before coding: answered counts only, every stance 'No stance recorded'."""
    empty = ed.toy_inputs(
        codes=schemas.empty(schemas.CODES),
        stances=schemas.empty(schemas.STANCES_TABLE),
        attributes=schemas.empty(schemas.ATTRIBUTES),
    )
    path = report.write_explorer(empty, tmp_path, "Toy")
    data = page_data(path.read_text(encoding="utf-8"))
    # q1 by text alone: r1 r2 r4 r5; q2: r1 r2 r3; q3: r1 r5
    assert [cell_sum(data, q) for q in ("q1", "q2", "q3")] == [4, 3, 2]
    assert cell_sum(data, "q1", stance="none") == 4
    assert set(data["counts"]["t"]) == {-1}
    assert data["attributes"][1]["values"] == [{"id": "unknown", "label": "Unknown"}]
