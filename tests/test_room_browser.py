"""The room in a real browser: several phones answer at once, the projector follows.

A real ``pmo-sim workshop serve`` process; headless Debian chromium driven by
Playwright (``executable_path``, no browser download), each participant in its
own browser context (its own cookies: its own phone) on a phone-sized viewport.
Screenshots are kept in ``tests/artifacts/`` (git-ignored). Skipped, with the
reason, when chromium or Playwright is missing.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from pmo_sim.reporting.pdf import CHROMIUM_FLAGS, find_chromium
from tests.room_process import ROOT, start_room

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = list(CHROMIUM_FLAGS)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
STEP_MS = 20_000


def _stored(database: Path) -> dict[tuple[str, str], int | None]:
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute("SELECT respondent, question, level FROM answers").fetchall()
    finally:
        conn.close()
    return {(r, q): level for r, q, level in rows}


def _option(page, question: str, level: int):
    return page.locator(f'.q[data-question="{question}"] input[value="{level}"]')


@pytest.mark.slow
def test_phones_answer_at_once_and_the_board_follows(tmp_path):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not found (apt-get install chromium); browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    expect = sync_api.expect
    database = tmp_path / "room.sqlite"
    room = start_room(database, "--client", "Harbourline <Ltd>")
    ARTIFACTS.mkdir(exist_ok=True)
    people = [
        ("Ana", "executive", 4),
        ("Ben", "executive", 3),
        ("Cy", "team_member", 1),
        ("Dee", "project_manager", 2),
    ]
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            try:
                projector = browser.new_context(viewport={"width": 1600, "height": 1000})
                board = projector.new_page()
                board.goto(room.facilitator)
                expect(board.locator(".join-code")).to_have_text(room.code)
                expect(board.locator("#board")).to_contain_text("Waiting for the first participant")

                # Without the code there is nothing to see: the questionnaire sends you to join.
                stranger = browser.new_context(**PHONE).new_page()
                stranger.goto(f"{room.base}/answer")
                expect(stranger.locator("form[action='/join']")).to_be_visible()
                assert "Who sets the PMO" not in stranger.content()

                phones = []
                for name, group, _ in people:  # every phone open at once
                    page = browser.new_context(**PHONE).new_page()
                    page.goto(room.participant)  # the QR link: the code is filled in
                    expect(page.locator("input[name=code]")).to_have_value(room.code)
                    page.fill("input[name=name]", name)
                    page.locator(f"input[name=group][value={group}]").check()
                    phones.append(page)
                phones[0].screenshot(path=str(ARTIFACTS / "room_join_phone.png"))
                for page in phones:
                    page.click("button[type=submit]")
                for page in phones:
                    page.wait_for_selector("body[data-ready='1']", timeout=STEP_MS)
                # Interleaved, as in the room: everyone answers the first dimension.
                for question in ("AL1", "AL2", "AL3", "AL4"):
                    for page, (_, _, level) in zip(phones, people, strict=True):
                        _option(page, question, level).check()
                for page in phones:
                    expect(page.locator('.q[data-question="AL4"] .qstate')).to_have_text(
                        "saved ✓", timeout=STEP_MS
                    )
                    expect(page.locator("#n-answered")).to_have_text("4")
                expected = {
                    (name, q): level
                    for name, _, level in people
                    for q in ("AL1", "AL2", "AL3", "AL4")
                }
                assert _stored(database) == expected
                phones[2].locator("textarea[data-dimension=alignment]").fill("No board <yet>")
                phones[0].click("section:not([hidden]) button.next")
                expect(phones[0].locator("section:not([hidden]) h2")).to_contain_text(
                    "Portfolio management"
                )
                _option(phones[0], "PF1", 3).check()
                expect(phones[0].locator('.q[data-question="PF1"] .qstate')).to_have_text(
                    "saved ✓", timeout=STEP_MS
                )
                phones[0].screenshot(path=str(ARTIFACTS / "room_answer_phone.png"))

                # The projector picked it all up without a reload. Worked by hand: alignment
                # executives 3.5, team 1.0, project manager 2.0; by group (2.0 + 3.5 + 1.0) / 3
                # = 2.1666, shown truncated as 2.16, tier 2; executives vs team +2.50.
                live = board.locator("#board")
                expect(live).to_contain_text("4 joined · 17 answers", timeout=STEP_MS)
                expect(live).to_contain_text("Tier 2 · Controlling")
                expect(live.locator(".dims-table")).to_contain_text("2.16")
                expect(live.locator(".gaps")).to_contain_text("Executive 3.50 vs Team member 1.00")
                expect(live.locator(".flag").first).to_be_visible()
                assert board.locator(".radar polygon").count() >= 4 + 3 + 1
                board.screenshot(path=str(ARTIFACTS / "room_facilitator.png"), full_page=True)

                # Reopening on the same phone resumes where it stood.
                phones[0].goto(room.participant)
                phones[0].wait_for_selector("body[data-ready='1']")
                assert phones[0].url.split("#")[0].endswith("/answer")
                assert _option(phones[0], "PF1", 3).is_checked()
                assert _option(phones[0], "AL1", 4).is_checked()
                expect(phones[0].locator("section:not([hidden]) h2")).to_contain_text(
                    "Portfolio management"
                )

                # The server is killed mid-session: the page says so and keeps the answer...
                room.kill(signal.SIGKILL)
                phones[1].click(".chip[data-chip='1']")
                _option(phones[1], "PF1", 0).check()
                status = phones[1].locator("#status")
                expect(status).to_have_class("status show offline", timeout=STEP_MS)
                expect(status).to_contain_text("No connection")
                phones[1].screenshot(path=str(ARTIFACTS / "room_offline_phone.png"))
                expect(board.locator("#conn")).to_contain_text("unreachable", timeout=STEP_MS)
                # ...and saves it by itself once the server is back on the same port.
                room = start_room(database, "--client", "Harbourline <Ltd>", port=room.port)
                expect(phones[1].locator('.q[data-question="PF1"] .qstate')).to_have_text(
                    "saved ✓", timeout=STEP_MS
                )
                assert _stored(database)[("Ben", "PF1")] == 0
                expect(board.locator("#conn")).to_contain_text("Live", timeout=STEP_MS)
            finally:
                browser.close()
    finally:
        room.kill(signal.SIGTERM)
    stored = _stored(database)
    assert stored[("Ana", "PF1")] == 3 and len(stored) == 18
    conn = sqlite3.connect(database)
    comments = conn.execute("SELECT respondent, comment FROM comments").fetchall()
    conn.close()
    assert comments == [("Cy", "No board <yet>")]
