"""Make the room screenshots of docs/workshop.md: a phone joining and answering, the board.

A real server on a scratch answer file, 18 participants answering through HTTP
(as their phones do), then headless chromium (Debian's, through Playwright)
takes the pictures. Run from the repository root:

    .venv/bin/python docs/img/room_screenshots.py
"""

from __future__ import annotations

import random
import signal
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from pmo_sim.assessment import load_questionnaire  # noqa: E402
from tests.room_process import start_room  # noqa: E402

OUT = ROOT / "docs" / "img"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}  # fmt: skip
# How each group sees the PMO (mean level), and how far they agree: executives see it a
# tier higher than the people doing the work, as in most first workshops.
VIEWS = {"executive": (2.9, 0.6), "pmo": (2.4, 0.6), "project_manager": (1.8, 0.8),
         "functional_manager": (1.6, 0.7), "team_member": (1.3, 1.1)}  # fmt: skip


def main() -> None:
    q = load_questionnaire()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        room = start_room(
            Path(tmp) / "acme.sqlite",
            "--client", "ACME Logistics",
            # What participants see when served with --host 0.0.0.0 on the room's Wi-Fi.
            "--public-url", "http://192.168.1.20:8800",
        )  # fmt: skip
        try:
            for i in range(18):
                group = list(VIEWS)[i % 5]
                mean, spread = VIEWS[group]
                with httpx.Client(base_url=room.base, follow_redirects=True) as phone:
                    phone.post("/join", data={"code": room.code, "name": f"p{i}", "group": group})
                    for n, question in enumerate(q.questions):
                        if i >= 15 and n > 20:
                            break  # the last three are still answering
                        level = round(rng.gauss(mean, spread))
                        phone.post("/api/answer", json={"question": question,
                                                        "level": min(4, max(0, level))})
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
                page = browser.new_context(**PHONE).new_page()
                page.goto(room.participant.replace("http://192.168.1.20:8800", room.base))
                page.fill("input[name=name]", "Dana")
                page.locator("input[name=group][value=project_manager]").check()
                page.screenshot(path=str(OUT / "room_join.png"))
                page.click("button[type=submit]")
                page.wait_for_selector("body[data-ready='1']")
                page.locator('.q[data-question="AL1"] input[value="2"]').check()
                page.wait_for_selector('.q[data-question="AL1"] .qstate.ok')
                page.screenshot(path=str(OUT / "room_phone.png"))
                board = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
                board.goto(room.facilitator)
                board.wait_for_selector(".radar")
                board.screenshot(path=str(OUT / "room_facilitator.png"), full_page=True)
                browser.close()
        finally:
            room.kill(signal.SIGTERM)


if __name__ == "__main__":
    main()
