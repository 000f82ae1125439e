"""Make docs/img/workshop.png: the facilitator's notebook as ``make workshop-notebook`` serves it.

The real ``notebooks/workshop.ipynb`` is served by Voila, as the Makefile's
``workshop-notebook`` target does, on a scratch answer file holding the 15
respondents of ``questionnaires/examples/harbourline_long.csv`` (written through
:class:`~pmo_sim.assessment.AnswerStore`, the last one still answering). Headless
chromium (Debian's, through Playwright) waits for the room's board, the live
results and the what-if charts, ticks "People work on several projects at once"
as a facilitator would, waits for the re-run and takes the picture. Run from the
repository root:

    .venv/bin/python docs/img/workshop_screenshot.py
"""

from __future__ import annotations

import io
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from pmo_sim.assessment import AnswerStore, load_responses  # noqa: E402
from pmo_sim.reporting.pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402
from pmo_sim.room.access import load_keys, remember_link  # noqa: E402

OUT = ROOT / "docs" / "img" / "workshop.png"
EXAMPLE = ROOT / "questionnaires" / "examples" / "harbourline_long.csv"
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
CLIENT = "Harbourline Logistics"
# The join code and the link a room server on the room's Wi-Fi would have printed.
CODE = "VXRMN6"
LINK = f"http://192.168.1.20:8800/j/{CODE}"
# The last respondent is still answering: the form shows them part-way through.
IN_PROGRESS = 14
TIMEOUT_MS = 180_000
#: Shown by Voila or the widgets when something went wrong: the picture would be wrong.
FAILURES = ("Traceback", "Error", "Cannot score", "Not run", "failed")
PNG_BUDGET = 300_000
VIEWPORT_WIDTH = 1280
#: Colours of the saved PNG: text stays sharp at under a third of the bytes.
COLOURS = 64


def fill_answers(database: Path) -> None:
    """Write the example's respondents into ``database`` through the kit's answer store."""
    responses = load_responses(EXAMPLE)
    with AnswerStore(database) as store:
        store.set_info(client=responses.client, assessed_on=responses.assessed_on)
        dimension_of = store.questionnaire.dimension_of
        last = max(responses.answers["respondent"])
        for respondent, rows in responses.answers.groupby("respondent", sort=True):
            rid = store.add_respondent(str(respondent), str(rows["group"].iloc[0]))
            for n, row in enumerate(rows.itertuples()):
                if respondent == last and n >= IN_PROGRESS:
                    break
                level = None if math.isnan(row.level) else int(row.level)
                store.record_answer(rid, row.question, level)
                if row.comment:
                    store.record_comment(rid, dimension_of[row.question], row.comment)
    # What a room server on this file would have left beside it (the join box shows it).
    remember_link(database, load_keys(database, code=CODE), LINK)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    """Return once Voila accepts connections; fail if it exits first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"voila exited with status {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("voila did not start listening within 120 s")


def wait_rendered(page: Page) -> None:
    """Wait for the board, the live results and the what-if's charts and table."""
    for selector in (
        ".pmo-room .pmo-board svg",  # the board's radar
        ".pmo-capture .pmo-question >> visible=true",  # the open dimension's questions
        ".pmo-live img[src^='data:image/png'], .pmo-live img[src^='blob:']",  # live radar
        ".pmo-live .pmo-table",
        ".pmo-whatif .pmo-whatif-chart",
        ".pmo-whatif .pmo-differences",
    ):
        page.wait_for_selector(selector, state="visible", timeout=TIMEOUT_MS)


def check_page(page: Page) -> None:
    """Refuse to save a picture showing an error or a missing value."""
    text = page.inner_text("body")
    problems = [word for word in FAILURES if word in text]
    cells = page.locator(".pmo-differences td, .pmo-live .pmo-table td").all_inner_texts()
    if any(cell.strip() in {"n/a", "nan", ""} for cell in cells):
        problems.append("an empty or n/a cell in a results table")
    if problems:
        raise SystemExit(f"not saving {OUT.name}: the page shows {', '.join(problems)}")


def palette_reduced(image: Image.Image) -> Image.Image:
    """``image`` in :data:`COLOURS` colours, its background and its vivid colours exact.

    A plain median cut spends the palette on the greys of anti-aliased text and
    merges the groups' colours (green into blue, vermilion into orange); here the
    most common colours and every saturated colour that fills a patch (legend
    squares, radar lines, bars, verdicts) are kept as they are, and a median cut
    of the rest supplies the shades. Each pixel takes its nearest palette colour
    (Pillow's own mapping goes through a coarse cache that turns white grey).
    """
    pixels = np.asarray(image.convert("RGB"), dtype=np.int32)
    keys = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
    unique, where, counts = np.unique(keys, return_inverse=True, return_counts=True)
    colours = np.stack([unique >> 16, (unique >> 8) & 255, unique & 255], axis=1)
    by_count = np.argsort(-counts, kind="stable")
    common = by_count[:8]
    chroma = colours.max(axis=1) - colours.min(axis=1)
    vivid = [i for i in by_count[8:] if counts[i] >= 50 and chroma[i] >= 48][: COLOURS // 2]
    rest = COLOURS - len(common) - len(vivid)
    shades = image.quantize(rest, method=Image.Quantize.MEDIANCUT).getpalette() or []
    palette = np.concatenate(
        [colours[common], colours[vivid], np.array(shades[: 3 * rest]).reshape(-1, 3)]
    )
    nearest = ((colours[:, None, :] - palette[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    reduced = Image.fromarray(nearest[where].reshape(keys.shape).astype(np.uint8), "P")
    reduced.putpalette(palette.astype(np.uint8).flatten().tolist())
    return reduced


def show_everything(page: Page) -> None:
    """Make the viewport as tall as the page: Voila scrolls inside its own container."""
    height = page.evaluate(
        """() => {
            const tallest = Math.max(...[...document.querySelectorAll('*')]
                .map(e => e.scrollHeight));
            document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; });
            return tallest;
        }"""
    )
    page.set_viewport_size({"width": VIEWPORT_WIDTH, "height": int(height)})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def main() -> None:
    """Fill an answer file, serve the notebook on it, take and shrink the picture."""
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "harbourline.sqlite"
        fill_answers(database)
        port = free_port()
        env = {
            **os.environ,
            # As `make workshop-notebook` passes them.
            "PMO_WORKSHOP_DB": str(database),
            "PMO_WORKSHOP_SCENARIO": str(SCENARIO),
            "PMO_WORKSHOP_CLIENT": CLIENT,
        }
        voila = Path(sys.executable).with_name("voila")
        server = subprocess.Popen(
            [str(voila), str(ROOT / "notebooks" / "workshop.ipynb"), "--no-browser",
             f"--port={port}", "--Voila.ip=127.0.0.1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            wait_for_port(port, server)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium, headless=True, args=list(CHROMIUM_FLAGS)
                )
                page = browser.new_page(viewport={"width": VIEWPORT_WIDTH, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}/", timeout=TIMEOUT_MS)
                wait_rendered(page)
                # The facilitator turns multitasking on; the dashboard re-runs and the
                # differences table gains the time lost to switching.
                page.get_by_label("People work on several projects at once").check()
                page.wait_for_function(
                    """() => {
                        const box = document.querySelector('.pmo-whatif');
                        const table = box.querySelector('.pmo-differences');
                        return table.innerText.includes('switching')
                            && box.innerText.includes('Updated')
                            && !box.innerText.includes('Re-running');
                    }""",
                    timeout=TIMEOUT_MS,
                )
                check_page(page)
                show_everything(page)
                shot = page.screenshot(full_page=True)
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    with Image.open(io.BytesIO(shot)) as image:
        palette_reduced(image.convert("RGB")).save(OUT, optimize=True)
    size = OUT.stat().st_size
    print(f"{OUT.relative_to(ROOT)}: {size / 1000:.0f} kB")
    if size > PNG_BUDGET:
        print(f"  larger than {PNG_BUDGET / 1000:.0f} kB: consider a narrower viewport")


if __name__ == "__main__":
    main()
