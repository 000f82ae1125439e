"""Make docs/img/whatif-multitasking.png: the what-if dashboard with multitasking turned on.

A scratch notebook holding only the dashboard on ``scenarios/baseline.yaml``,
with "People work on several projects at once" ticked and at most 3 projects
per person, is served by Voila; headless chromium (Debian's, through
Playwright) takes the picture. Run from the repository root:

    .venv/bin/python docs/img/whatif_screenshot.py
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from pmo_sim.reporting.pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402

OUT = ROOT / "docs" / "img" / "whatif-multitasking.png"
CELL = f"""\
from pmo_sim.widgets import whatif_dashboard
dashboard = whatif_dashboard({str(ROOT / "scenarios" / "baseline.yaml")!r}, save_dir={{tmp!r}})
dashboard.multitasking.enabled.value = True
dashboard.multitasking.max_assignments.value = 3
dashboard.run()
dashboard
"""


def main() -> None:
    """Serve the scratch notebook, take the picture, crop it to the dashboard."""
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(CELL.format(tmp=tmp))]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(notebook, Path(tmp) / "whatif.ipynb")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        voila = Path(sys.executable).with_name("voila")
        server = subprocess.Popen(
            [str(voila), "whatif.ipynb", "--no-browser", f"--port={port}",
             "--Voila.ip=127.0.0.1"],
            cwd=tmp, env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.3)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium, headless=True, args=list(CHROMIUM_FLAGS)
                )
                page = browser.new_page(viewport={"width": 1280, "height": 1800})
                page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
                page.wait_for_selector(".pmo-whatif .pmo-differences", timeout=120_000)
                box = page.locator(".pmo-whatif").bounding_box()
                page.screenshot(path=str(OUT), full_page=True)
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    if box is not None:  # keep the dashboard, not the empty page below it
        with Image.open(OUT) as image:
            cropped = image.crop((0, 0, image.width, int(box["y"] + box["height"]) + 16))
            # A palette of 128 colours keeps text and bars sharp at a third of the bytes.
            cropped.convert("RGB").quantize(128).save(OUT, optimize=True)


if __name__ == "__main__":
    main()
