"""End to end in a real browser: Voila serves the workshop notebook, headless chromium uses it.

Debian's ``chromium`` is driven by Playwright with ``executable_path`` (no browser
download). Without chromium, Playwright or Voila the test is skipped with the reason.
The screenshot is kept in ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmo_sim.assessment.store import AnswerStore
from pmo_sim.reporting.pdf import CHROMIUM_FLAGS, find_chromium

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = list(CHROMIUM_FLAGS)
# Voila runs every cell (two simulations among them) before the page shows.
PAGE_TIMEOUT_MS = 120_000
STEP_TIMEOUT_MS = 30_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def voila_page(tmp_path):
    """The workshop notebook served by Voila on 127.0.0.1; yields (url, database)."""
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not found (apt-get install chromium); browser test skipped")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    voila = Path(sys.executable).with_name("voila")
    if not voila.exists():
        pytest.skip(f"voila not found at {voila}")
    database = tmp_path / "engagement" / "workshop.sqlite"
    port = _free_port()
    env = {
        **os.environ,
        "PMO_WORKSHOP_DB": str(database),
        "PMO_WORKSHOP_SCENARIO": str(ROOT / "scenarios" / "baseline.yaml"),
        "PMO_WORKSHOP_CLIENT": "Browser test Ltd",
    }
    log = (tmp_path / "voila.log").open("w")
    server = subprocess.Popen(
        [str(voila), "notebooks/workshop.ipynb", "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Only a connection: a GET of the page would start a kernel and run the notebook.
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"voila did not start:\n{(tmp_path / 'voila.log').read_text()}")
                time.sleep(0.3)
        yield url, database, chromium
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


def _stored(database: Path) -> list[tuple]:
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT respondent, question, level FROM answers").fetchall()
    finally:
        conn.close()


@pytest.mark.slow
def test_workshop_page_in_a_real_browser(voila_page):
    from playwright.sync_api import expect, sync_playwright

    url, database, chromium = voila_page
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, timeout=PAGE_TIMEOUT_MS)
            page.wait_for_selector(".pmo-whatif svg", timeout=PAGE_TIMEOUT_MS)
            capture = page.locator(".pmo-capture")
            live = page.locator(".pmo-live")
            whatif = page.locator(".pmo-whatif")
            expect(live).to_contain_text("Waiting for the first answer", timeout=STEP_TIMEOUT_MS)

            # A participant joins and answers the first question.
            capture.get_by_placeholder("name or id").fill("Dana")
            capture.get_by_placeholder("group").fill("project manager")
            capture.get_by_role("button", name="Add respondent").click()
            expect(capture).to_contain_text("Saved respondent Dana", timeout=STEP_TIMEOUT_MS)
            option = capture.locator(".widget-radio-box label").filter(
                has_text="3: The executive team set the PMO's goals"
            )
            option.click()
            expect(capture).to_contain_text("Saved AL1 = 3 for Dana", timeout=STEP_TIMEOUT_MS)
            assert _stored(database) == [("Dana", "AL1", 3)]
            # The live results picked the answer up.
            expect(live).to_contain_text("Tier 3", timeout=STEP_TIMEOUT_MS)
            expect(live).to_contain_text("1 respondents (Project manager 1)")
            # A participant on another laptop (another kernel) answers: the page polls the file.
            with AnswerStore(database) as elsewhere:
                elsewhere.record_answer(elsewhere.add_respondent("Eli", "executive"), "AL1", 1)
            expect(live).to_contain_text("2 respondents", timeout=STEP_TIMEOUT_MS)

            # The room adds two developers with the keyboard on the slider...
            chart = "document.querySelector('.pmo-whatif-chart').outerHTML"
            before = page.evaluate(chart)
            slider = whatif.locator(".widget-slider").filter(has_text="Software developer")
            slider.locator(".ui-slider-handle, .noUi-handle").first.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            expect(whatif).to_contain_text(
                "--set roles.developer.headcount=38", timeout=STEP_TIMEOUT_MS
            )
            page.wait_for_function(
                f"before => {chart} !== before", arg=before, timeout=STEP_TIMEOUT_MS
            )
            expect(whatif).to_contain_text("Updated", timeout=STEP_TIMEOUT_MS)

            # ... then asks what spreading people over several projects would cost.
            cap = whatif.locator("select").filter(has_text="no cap")
            expect(cap).to_be_disabled()
            whatif.get_by_label("People work on several projects at once").check()
            expect(whatif).to_contain_text(
                "--set policy.multitasking={max_assignments: 5", timeout=STEP_TIMEOUT_MS
            )
            expect(cap).to_be_enabled()
            expect(whatif.locator(".pmo-differences")).to_contain_text(
                "time lost to switching: Software developer", timeout=STEP_TIMEOUT_MS
            )

            ARTIFACTS.mkdir(exist_ok=True)
            whatif.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "workshop_browser.png"))
            whatif.screenshot(path=str(ARTIFACTS / "whatif_browser.png"))
        finally:
            browser.close()
    # Still there after the browser is gone.
    assert sorted(_stored(database)) == [("Dana", "AL1", 3), ("Eli", "AL1", 1)]
