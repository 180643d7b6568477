"""Charts from hand-made tables: files written, titles, labels, n and counts shown."""

from __future__ import annotations

import pytest
import report_testdata as td
from matplotlib.colors import to_hex
from PIL import Image

from helpers import analysis as analyse
from helpers.analysis import charts


@pytest.fixture()
def data():
    return td.respondents(), td.answers(), td.stances(), td.codes()


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]


def _assert_files(stem):
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    assert png.stat().st_size > 1000 and svg.read_text().startswith("<?xml")
    dpi = Image.open(png).info["dpi"]
    assert dpi[0] >= 150


def test_stance_chart_by_type(tmp_path, data):
    r, _a, s, _c = data
    dist = analyse.stance_distribution(s, r, td.CONSULTATION, by_type=True)
    fig = charts.stance_chart(dist, "q1", tmp_path / "q1_stance", title="Q1: The proposal")
    _assert_files(tmp_path / "q1_stance")
    ax = fig.axes[0]
    assert fig._suptitle.get_text() == "Q1: The proposal"
    assert ax.get_title(loc="left") == "n = 4 who answered; 1 did not answer"
    assert "Percentage of respondents who answered" in ax.get_xlabel()
    assert ax.get_ylabel() == "Respondent group"
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert labels[0] == "All respondents (n=4; 1 not answered)"
    assert "Individual (n=1; 1 not answered)" in labels
    # Overall bar: strongly agree 1 (25%), agree 2 (50%), disagree 1 (25%).
    overall = [p for p in ax.patches if abs(p.get_y() + p.get_height() / 2) < 1e-9]
    assert [round(p.get_width()) for p in overall] == [25, 50, 25]
    assert [to_hex(p.get_facecolor()) for p in overall] == [
        charts.STANCE_COLOURS["strongly_agree"],
        charts.STANCE_COLOURS["agree"],
        charts.STANCE_COLOURS["disagree"],
    ]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[2] == "Neither agree nor disagree"


def test_stance_chart_unknown_question(tmp_path, data):
    r, _a, s, _c = data
    dist = analyse.stance_distribution(s, r, td.CONSULTATION)
    with pytest.raises(ValueError, match="q9"):
        charts.stance_chart(dist, "q9", tmp_path / "x")


def test_theme_frequency_chart(tmp_path, data):
    _r, a, _s, c = data
    freq = analyse.theme_frequencies(c, a, td.CODEBOOK, "q2")
    fig = charts.theme_frequency_chart(freq, tmp_path / "q2_themes.png", title="Q2: themes")
    _assert_files(tmp_path / "q2_themes")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Support",
        "Housing",
        "Access to records",
    ]
    assert [p.get_width() for p in ax.patches] == [3, 1, 1]  # Health (0) left out
    assert "3 (100%)" in _texts(fig) and "1 (33%)" in _texts(fig)
    assert ax.get_title(loc="left").startswith("n = 3 respondents")
    assert ax.get_xlabel() == "Number of respondents raising the theme"


def test_theme_frequency_chart_with_nothing_raised(tmp_path, data):
    _r, a, _s, _c = data
    freq = analyse.theme_frequencies(td.codes([]), a, td.CODEBOOK, "q2")
    fig = charts.theme_frequency_chart(freq, tmp_path / "none")
    assert "No theme was identified" in _texts(fig)


def test_heatmaps(tmp_path, data):
    r, a, _s, c = data
    table = analyse.theme_by_type(c, r, td.CODEBOOK, "q2", answers=a)
    labels = {t["id"]: t["label"] for t in td.THEMES}
    fig = charts.theme_type_heatmap(table, tmp_path / "type", labels)
    _assert_files(tmp_path / "type")
    ax = fig.axes[0]
    xt = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert xt[0] == "Individual (n=1)" and xt[2] == "Local authority (n=0)"
    assert ax.get_xlabel() == "Respondent type" and ax.get_ylabel() == "Theme"
    # Cells are the percentage of each type (its n in the label), never raw counts; in row
    # order (housing, support, records); local authority (n=0) has no base, so no cell text.
    cells = [t.get_text() for t in ax.texts]
    assert cells == ["0%", "100%", "0%", "100%", "100%", "100%", "0%", "0%", "100%"]
    assert fig.axes[1].get_ylabel() == "% of the group"

    # Health was raised by no one: its empty row is left out and the subtitle says so.
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Housing",
        "Support",
        "Access to records",
    ]
    assert "1 theme raised by no one not shown" in ax.get_title(loc="left").replace("\n", " ")

    m = analyse.cooccurrence(c, td.CODEBOOK)
    fig = charts.cooccurrence_heatmap(m, tmp_path / "co", labels, n=5)
    _assert_files(tmp_path / "co")
    assert fig._suptitle.get_text() == "Themes raised together"
    assert fig.axes[0].get_title(loc="left").endswith("n = 5")
    # Rows numbered with their labels, columns the numbers, every label horizontal.
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "1. Housing",
        "2. Support",
        "3. Access to records",
    ]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1", "2", "3"]
    assert all(t.get_rotation() == 0 for t in fig.axes[0].get_xticklabels())
    # Capped at the two most raised themes (support 3, housing 2), kept in codebook order.
    fig = charts.cooccurrence_heatmap(m, tmp_path / "co2", labels, max_themes=2)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["1. Housing", "2. Support"]
    assert [t.get_text() for t in fig.axes[0].texts] == ["2", "1", "1", "3"]
    assert "2 less frequent or unraised themes not shown" in fig.axes[0].get_title(
        loc="left"
    ).replace("\n", " ")


def test_wrap_keeps_words():
    assert charts.wrap("Access to care records and family history", 20) == (
        "Access to care\nrecords and family\nhistory"
    )


def _inputs(codes=None):
    from helpers.core import schemas

    return analyse.AnalysisInputs(
        respondents=td.respondents(),
        answers=td.answers(),
        codes=td.codes() if codes is None else codes,
        stances=td.stances(),
        uncoded=schemas.empty(schemas.UNCODED),
        consultation=td.CONSULTATION,
        codebook=td.CODEBOOK,
    )


def test_charts_drawn_once_reused_from_the_same_data(tmp_path, monkeypatch):
    drawn = charts.write_charts(_inputs(), tmp_path)
    assert drawn and all(p.exists() and p.with_suffix(".svg").exists() for p in drawn.values())
    # The report's redacted inputs are the same data for the charts: the files are reused.
    redacted, _ = analyse.redact_inputs(_inputs())
    monkeypatch.setattr(charts, "_draw_charts", lambda *a: pytest.fail("drawn again"))
    assert charts.write_charts(redacted, tmp_path, formats=("png",), reuse=True) == drawn
    # Different data (one code fewer), or a format not written, is drawn again.
    calls = []
    monkeypatch.setattr(charts, "_draw_charts", lambda *a: calls.append(a) or drawn)
    charts.write_charts(_inputs(td.codes().iloc[1:]), tmp_path, reuse=True)
    assert len(calls) == 1


def test_only_the_formats_asked_for_are_written(tmp_path):
    charts.write_charts(_inputs(), tmp_path)  # png and svg
    drawn = charts.write_charts(_inputs(td.codes().iloc[1:]), tmp_path, formats=("png",))
    for png in drawn.values():
        # PNG only; the SVG of the earlier draw (other data) does not stay beside it.
        assert png.exists() and not png.with_suffix(".svg").exists()
