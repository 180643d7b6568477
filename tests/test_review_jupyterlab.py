"""The reviewer widget in a real JupyterLab 4, driven in Debian's chromium by Playwright.

``ReviewSession.widget()`` is only useful if JupyterLab's widget frontend
(``jupyterlab_widgets``) renders it and sends its clicks back to the kernel.
This test starts ``jupyter lab`` from this venv on a free localhost port with a
random token, in a tmp folder holding a two-cell notebook over the hand-made
tables of ``tests/test_explore.py`` (offsets counted there), runs all cells from
the Run menu, and plays a reviewer: filter by the theme Stability (one answer,
r1 · q1), remove that code with a reason. The row must be in overrides.csv on
disk at once, exactly, and the widget must show the change when the filter is
applied again (no Stability answer left; r1 · q1 without its Stability mark).

Offline: JupyterLab's news feed and update check are switched off in a tmp
config folder (the announcements plugin disabled), every browser request that
is not to localhost is aborted and recorded, and the test fails if one was
attempted. The server and its kernel are stopped in the fixture's teardown; a
kernel still running then (found by its connection file in the tmp runtime
folder) is killed and fails the test. A screenshot is saved in the tmp folder
and recorded as the test's ``screenshots`` property (``--junitxml``).

Skipped, with the reason, when chromium, Playwright or JupyterLab is missing
(as ``test_explorer_browser``; no browser is ever downloaded).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, needs_chromium

import helpers

psutil = pytest.importorskip("psutil", reason="psutil not installed (ipykernel requires it)")

pytestmark = needs_chromium
TESTS = Path(__file__).resolve().parent
SRC = Path(helpers.__file__).resolve().parents[1]
REASON = "a heading, not a view"

CELLS = [
    "from pathlib import Path\n"
    "from test_explore import make_data\n"
    "from test_review_session import CODEBOOK\n"
    "from helpers.review import ReviewSession\n"
    "session = ReviewSession(\n"
    '    make_data(), Path("overrides.csv").resolve(), codebook=CODEBOOK, coder="ann"\n'
    ")",
    "session.widget()",
]


def notebook() -> dict:
    cells = [
        {
            "cell_type": "code",
            "id": f"cell-{i}",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": src,
        }
        for i, src in enumerate(CELLS)
    ]
    kernel = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kernels_of(runtime: Path) -> list[int]:
    """Pids of processes started with a connection file in ``runtime`` (our kernels)."""
    out = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        if any(str(runtime) in part for part in p.info["cmdline"] or []):
            out.append(p.info["pid"])
    return out


class Lab:
    """``jupyter lab`` on localhost in ``root``, with its own config, runtime and settings."""

    def __init__(self, tmp: Path) -> None:
        pytest.importorskip("jupyterlab", reason="jupyterlab not installed")
        pytest.importorskip("ipywidgets", reason="ipywidgets not installed")
        self.root, self.runtime = tmp / "lab", tmp / "runtime"
        config = tmp / "config"
        for d in (self.root, self.runtime, config / "labconfig"):
            d.mkdir(parents=True)
        # No news feed, no update check, announcements plugin off, no PyPI extension manager.
        (config / "jupyter_lab_config.json").write_text(
            json.dumps(
                {
                    "LabApp": {
                        "news_url": None,
                        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                        "extension_manager": "readonly",
                    }
                }
            ),
            encoding="utf-8",
        )
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps(
                {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
            ),
            encoding="utf-8",
        )
        (self.root / "review.ipynb").write_text(json.dumps(notebook()), encoding="utf-8")
        self.port, self.token = free_port(), secrets.token_hex(16)
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_RUNTIME_DIR=str(self.runtime),
            JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
            PYTHONPATH=os.pathsep.join([str(SRC), str(TESTS)]),
        )
        self.log = (tmp / "lab.log").open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                f"--port={self.port}",
                "--ip=127.0.0.1",
                f"--IdentityProvider.token={self.token}",  # ServerApp.token is deprecated
                f"--ServerApp.root_dir={self.root}",
                "--ServerApp.open_browser=False",
                "--ServerApp.port_retries=0",
                "--allow-root",  # CI containers run as root; harmless otherwise
            ],
            cwd=self.root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        try:
            self._wait_up()
        except BaseException:
            self.stop()
            raise

    def _api(self, path: str, method: str = "GET") -> bytes:
        req = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=5) as r:  # noqa: S310 (localhost only)
            return r.read()

    def _wait_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: {self.proc.returncode}")
            try:
                self._api("/api/status")
                return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError("jupyter lab did not answer within 30 s")

    def stop(self) -> list[int]:
        """Shut the server (and its kernels) down; returns kernels that had to be killed."""
        try:
            self._api("/api/shutdown", method="POST")
            self.proc.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        finally:
            self.log.close()
        left = kernels_of(self.runtime)
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return left


@pytest.fixture
def lab(tmp_path):
    server = Lab(tmp_path)
    try:
        yield server
    finally:
        left = server.stop()
    assert left == [], f"kernels still running after the server stopped: {left}"


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def overrides(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_reviewer_widget_filters_and_writes_a_decision_in_jupyterlab(
    browser, lab, tmp_path, record_property
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []

    def route(r) -> None:
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    shots: list[str] = []
    try:
        page.goto(f"{lab.url}/lab/tree/review.ipynb?token={lab.token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=30_000)
        # Wait for the kernel to be connected before running: JupyterLab drops a cell run
        # while the notebook has no kernel yet. The status bar says "| Idle" only then
        # (the toolbar's execution indicator reads "idle" from the start).
        kernel = page.locator("[title='Change kernel for review.ipynb']", has_text="| Idle")
        kernel.wait_for(timeout=30_000)
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()

        # The widget itself (not the text/html fallback): its dropdowns and buttons.
        widget = page.locator(".jp-OutputArea-output .widget-vbox").first
        widget.wait_for(timeout=30_000)
        # The teardown's orphan check finds kernels by their connection file: this one too.
        assert kernels_of(lab.runtime), "the notebook's kernel is not found by its connection file"
        answers = widget.locator(".review-answer")
        answers.first.wait_for(timeout=10_000)
        assert answers.count() == 3  # r1 q1, r1 q2, r2 q2: one page of 20

        def dropdown(label: str):
            return widget.locator(".widget-dropdown", has_text=label).locator("select")

        def text(label: str):
            return widget.locator(".widget-text", has_text=label).locator("input")

        def button(name: str):
            return widget.locator("button.jupyter-button", has_text=name).first

        dropdown("Theme").first.select_option(label="Stability")
        button("Filter").click()
        page.wait_for_function(
            "() => document.querySelectorAll('.review-answer').length === 1", timeout=10_000
        )
        assert "r1 · q1" in answers.first.inner_text()
        assert answers.first.locator("mark[title*='Stability']").count() >= 1

        dropdown("Code").select_option(label="Stability")
        text("Reason").fill(REASON)
        text("Reason").press("Enter")  # commits the Text's value even without a blur
        button("Remove").click()
        status = widget.locator(".widget-label", has_text="written to overrides.csv")
        status.wait_for(timeout=10_000)

        # On disk at once, exactly this row.
        assert overrides(lab.root / "overrides.csv") == [
            {
                "respondent_id": "r1",
                "question_id": "q1",
                "theme_id": "stability",
                "action": "remove",
                "quote": "",
                "coder": "ann",
                "note": REASON,
            }
        ]

        # Refresh (the same filter again): no Stability answer is left.
        button("Filter").click()
        page.wait_for_function(
            "() => document.querySelectorAll('.review-answer').length === 0", timeout=10_000
        )
        # All answers: r1 q1 is still there, its Housing mark kept, its Stability mark gone.
        dropdown("Theme").first.select_option(label="(all)")
        button("Filter").click()
        shown = "s => s.selectedIndex < 0 ? null : s.options[s.selectedIndex].text"
        assert dropdown("Theme").first.evaluate(shown) == "(all)"  # not a blank box
        page.wait_for_function(
            "() => document.querySelectorAll('.review-answer').length === 3", timeout=10_000
        )
        first = answers.first
        assert "r1 · q1" in first.inner_text()
        assert first.locator("mark[title*='Stability']").count() == 0
        assert first.locator("mark[title*='Housing']").count() >= 1

        shot = tmp_path / "review_jupyterlab.png"
        page.screenshot(path=str(shot), full_page=True)
        shots.append(str(shot))
        print(f"screenshot: {shot}")
    except Exception:
        shot = tmp_path / "failure.png"  # what the page showed when the test failed
        page.screenshot(path=str(shot), full_page=True)
        shots.append(str(shot))
        (tmp_path / "failure.html").write_text(page.content(), encoding="utf-8")
        raise
    finally:
        record_property("screenshots", json.dumps(shots))
        context.close()
    assert blocked == [], f"requests outside localhost were attempted: {blocked}"
    assert sockets and all(urlparse(u).hostname == "127.0.0.1" for u in sockets), sockets
