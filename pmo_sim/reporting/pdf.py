"""Print a report's HTML to PDF with a Chromium found on PATH (Debian's ``chromium``)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pmo_sim.errors import InputError
from pmo_sim.files import atomic_write_bytes

__all__ = ["CHROMIUM_FLAGS", "find_chromium", "html_to_pdf"]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")

#: Flags for a headless Chromium on a closed network, run as root: without the
#: background-networking ones it keeps trying (and failing) to reach Google's hosts.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_chromium() -> str | None:
    """Path of a Chromium-family browser on PATH, or None."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: Path, pdf: Path, timeout: float = 120) -> Path:
    """Render ``html`` to ``pdf`` headless; the PDF appears only when complete."""
    browser = find_chromium()
    if browser is None:
        raise InputError(
            None,
            "--pdf needs Chromium on PATH (Debian: apt-get install chromium); "
            "the HTML reports were written",
        )
    with tempfile.TemporaryDirectory(prefix="pmo-sim-pdf-") as tmp:
        target = Path(tmp) / "report.pdf"
        subprocess.run(
            [
                browser,
                "--headless",
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        # the temporary folder may be on another filesystem: a move there is a copy
        atomic_write_bytes(pdf, target.read_bytes())
    return pdf
