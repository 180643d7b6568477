"""explorer.html in a real browser: Debian's chromium driven by Playwright, offline.

The page is opened from a file:// URL with every other request aborted and
recorded (the test fails if the page asked for anything). A reader's steps are
played: filter by a theme and a stance, click a bar, read the quotes behind it,
search a word; the numbers shown are checked against the analysis tables
(``analysis.theme_frequencies``) and the hand counts in ``explorer_testdata``.
Screenshots of each step are saved in the test's tmp folder; their paths are
printed and recorded as the test's ``screenshots`` property (``--junitxml``).

Skipped, with the reason, when chromium or Playwright is missing: CI installs
chromium from Debian's packages (``.ci/run``); Playwright never downloads a browser
here, it is pointed at the system one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import explorer_testdata as ed
import pytest
import report_testdata as td
from browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

from helpers import analysis
from helpers.report.explorer import write_explorer

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Offline:
    """A page that may load file:// URLs only; every other request is aborted and kept."""

    def __init__(self, browser, shots: Path, record_property) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.shots, self.taken = shots, []
        self.record_property = record_property

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> None:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=30_000)

    def shot(self, name: str) -> None:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(str(path))
        print(f"screenshot: {path}")

    def bars(self, kind: str) -> dict[str, int]:
        out = {}
        for b in self.page.locator(f'button.bar[data-kind="{kind}"]').all():
            out[b.locator(".bar-label").inner_text()] = int(b.get_attribute("data-n"))
        return out

    def quotes(self) -> list[tuple[str, str]]:
        items = self.page.locator("#quotes li").all()
        return [
            (i.locator(".quote-text").inner_text(), i.locator(".quote-meta").inner_text())
            for i in items
        ]

    def close(self) -> None:
        self.record_property("screenshots", json.dumps(self.taken))
        self.context.close()


@pytest.fixture
def offline(browser, tmp_path, record_property):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    o = Offline(browser, shots, record_property)
    yield o
    o.close()


def test_a_reader_filters_clicks_a_bar_reads_quotes_and_searches(offline, tmp_path) -> None:
    inputs = ed.toy_inputs()
    page_path = write_explorer(inputs, tmp_path / "run", title="Toy consultation")
    o, page = offline, offline.page
    o.open(page_path)
    o.shot("01-opened")

    # q1 (the first question): stances as counted by hand, the base of those who answered.
    assert o.bars("stance") == {"Strongly agree": 1, "Agree": 2, "Disagree": 1}
    assert page.locator("#summary").get_attribute("data-n") == "4"

    # q2: the theme bars equal the analysis table of theme frequencies.
    page.select_option("#f-question", label="Q2: Factors")
    table = analysis.theme_frequencies(
        inputs.codes, inputs.answers, td.CODEBOOK, "q2", inputs.stances
    )
    expected = dict(zip(table["label"], table["n_respondents"].astype(int), strict=True))
    assert (
        o.bars("theme")
        == expected
        == {
            "Housing": 1,
            "Support": 3,
            "Access to records": 1,
            "Health": 0,
        }
    )
    assert "of 3 who answered" in page.locator('[data-chart="theme"] .base').inner_text()
    assert page.locator('[data-chart="stance"]').count() == 0  # an open question: no stances
    o.shot("02-q2-themes")

    # Click the Support bar: its three evidence sentences, attributed (individuals unnamed).
    page.locator('button.bar[data-kind="theme"]', has_text="Support").click()
    assert page.locator("#f-theme option:checked").inner_text() == "Support"
    assert page.locator("#summary").get_attribute("data-n") == "3"
    got = o.quotes()
    assert sorted(q for q, _ in got) == sorted(
        [td.text_of(100, "support"), td.text_of(30, "support"), td.text_of(150, "support")]
    )
    assert sorted(m.split(" · ")[0] for _, m in got) == ["ACRCG", "Become", "Respondent 1"]
    assert o.bars("attr-1") == {"North": 2, "South": 1}  # r1, r2 North; r3 South
    o.shot("03-support-quotes")

    # Then the Individual bar of the respondent-type chart: r3 alone.
    page.locator('button.bar[data-kind="attr-0"]', has_text="Individual").click()
    assert page.locator("#summary").get_attribute("data-n") == "1"
    assert page.locator("#summary").inner_text().startswith("1 respondent raised Support in Q2")
    assert [q for q, _ in o.quotes()] == [td.text_of(150, "support")]
    o.shot("04-support-individuals")

    # q1 with theme Housing and stance Agree: r5 alone; Disagree: nobody.
    page.click("#f-reset")
    page.select_option("#f-question", label="Q1: The proposal")
    page.select_option("#f-theme", label="Housing")
    page.select_option("#f-stance", label="Agree")
    assert page.locator("#summary").get_attribute("data-n") == "1"
    assert [m.split(" · ")[:2] for _, m in o.quotes()] == [["Respondent 2", "Agree"]]
    page.select_option("#f-stance", label="Disagree")
    assert page.locator("#summary").get_attribute("data-n") == "0"
    assert o.quotes() == []
    o.shot("05-q1-housing-disagree")

    # Search q2's answers for a word: two of the three answers contain it, highlighted.
    page.click("#f-reset")
    page.select_option("#f-question", label="Q2: Factors")
    page.fill("#f-search", "housing")
    page.locator("#quotes-status[data-n='2']").wait_for()  # the search waits 150 ms for typing
    assert sorted(q for q, _ in o.quotes()) == ["Housing and support.", "Not housing, but support."]
    assert [m.lower() for m in page.locator("#quotes mark").all_inner_texts()] == ["housing"] * 2
    o.shot("06-search")

    assert o.blocked == [], f"the page asked the network for {o.blocked}"
    assert o.errors == []
    assert len(o.taken) == 6 and all(Path(p).stat().st_size > 1000 for p in o.taken)


def test_hostile_quotes_stay_text_in_the_browser(offline, tmp_path) -> None:
    hostile = "</script><script>document.title='pwned'</script><!-- <img src=x onerror=alert(1)>"
    codes = td.codes()
    codes.loc[codes["theme_id"] == "records", "quote"] = hostile
    page_path = write_explorer(ed.toy_inputs(codes=codes), tmp_path / "run", title="Toy")
    o, page = offline, offline.page
    o.open(page_path)
    page.select_option("#f-question", label="Q2: Factors")
    page.locator('button.bar[data-kind="theme"]', has_text="Access to records").click()
    assert [q for q, _ in o.quotes()] == [hostile]
    assert page.title() == "Toy — explorer"
    assert page.locator("#quotes img").count() == 0
    o.shot("hostile")
    assert o.blocked == [] and o.errors == []


def test_a_hundred_thousand_respondents_load(offline, tmp_path) -> None:
    n = 100_000
    inputs = ed.synthetic_inputs(n)
    page_path = write_explorer(inputs, tmp_path / "run", title="Large")
    o, page = offline, offline.page
    o.open(page_path)
    answered_q1 = int(page.locator("#summary").get_attribute("data-n"))
    assert answered_q1 == n
    assert sum(o.bars("stance").values()) == n
    page.select_option("#f-question", label="Q2: Factors")
    table = analysis.theme_frequencies(
        inputs.codes, inputs.answers, td.CODEBOOK, "q2", inputs.stances
    )
    assert o.bars("theme") == dict(
        zip(table["label"], table["n_respondents"].astype(int), strict=True)
    )
    page.locator('button.bar[data-kind="theme"]', has_text="Housing").click()
    shown = page.locator("#quotes li").count()
    assert shown == 30  # the first page of the sample
    assert all(re.search(r"respondent \d+", q) for q, _ in o.quotes())
    o.shot("large")
    assert o.blocked == [] and o.errors == []
