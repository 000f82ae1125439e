"""Remake the deck and workbook pictures of docs/reports.md (needs LibreOffice and Ghostscript).

    .venv/bin/python docs/img/deliverables.py

Builds Northgate's assessment deck and workbook from the bundled example, prints them to PDF
with LibreOffice headless and rasterises one slide and one sheet with Ghostscript.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from pmo_sim.assessment import assess_file
from pmo_sim.reporting.deck_assessment import assessment_deck
from pmo_sim.reporting.sheets import assessment_sheets
from pmo_sim.reporting.workbook import workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
EXAMPLES = ROOT / "questionnaires" / "examples"


def _pdf(source: Path, work: Path) -> Path:
    profile = (work / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return work / f"{source.stem}.pdf"


def _png(pdf: Path, page: int, target: Path, dpi: int = 90) -> None:
    subprocess.run(
        ["gs", "-q", "-dSAFER", "-sDEVICE=png16m", f"-r{dpi}", "-dTextAlphaBits=4",
         "-dGraphicsAlphaBits=4", f"-dFirstPage={page}", f"-dLastPage={page}",
         "-o", str(target), str(pdf)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def _crop(png: Path, margin: int = 12) -> None:
    """Cut the printed page down to the table."""
    from PIL import Image, ImageOps

    with Image.open(png) as image:
        box = ImageOps.invert(image.convert("L")).getbbox()
        left, top, right, bottom = box
        image.crop((left - margin, top - margin, right + margin, bottom + margin)).save(png)


def main() -> None:
    """Write docs/img/deck-dimensions.png, deck-radar.png and workbook-dimensions.png."""
    a = assess_file(
        EXAMPLES / "northgate_long.csv", previous=EXAMPLES / "northgate_previous_long.csv", seed=1
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        deck = work / "deck.pptx"
        deck.write_bytes(assessment_deck(a))
        pdf = _pdf(deck, work)
        _png(pdf, 3, HERE / "deck-dimensions.png")
        _png(pdf, 4, HERE / "deck-radar.png")
        # one sheet, landscape, one page wide: how the dimensions table looks when opened
        dims = next(s for s in assessment_sheets(a) if s.name == "dimensions")
        book = load_workbook(io.BytesIO(workbook_bytes([dims])))
        sheet = book.active
        sheet.page_setup.orientation = "landscape"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 1
        sheet.print_options.gridLines = True
        sheet.print_area = "A1:J13"  # the columns a reader looks at first
        xlsx = work / "sheet.xlsx"
        book.save(xlsx)
        _png(_pdf(xlsx, work), 1, HERE / "workbook-dimensions.png", dpi=130)
    _crop(HERE / "workbook-dimensions.png")
    print("wrote", *sorted(p.name for p in HERE.glob("*.png")))


if __name__ == "__main__":
    if shutil.which("soffice") is None or shutil.which("gs") is None:
        raise SystemExit("needs LibreOffice (soffice) and Ghostscript (gs)")
    main()
