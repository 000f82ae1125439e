"""Executed notebook to a self-contained client HTML report.

The export uses nbconvert without code cells and with a template of our own
(``pmo_sim/data/templates/pmo_report``) that loads nothing from a CDN: figures are inline
PNGs, so a report opens and reads correctly with no internet.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pmo_sim.bundled import bundled

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

__all__ = ["TEMPLATES", "escape", "notebook_to_html"]

#: The bundled nbconvert templates (``pmo_report``).
TEMPLATES: Path = bundled("templates")


def escape(text: object) -> str:
    """HTML-escape any value taken from inputs (client names, comments, ids)."""
    return html.escape(str(text), quote=True)


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="pmo_report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    return exporter


def notebook_to_html(notebook: nbformat.NotebookNode | str | Path, title: str | None = None) -> str:
    """Render an executed notebook as report HTML (no code, no prompts, no CDN)."""
    import nbformat

    nb = (
        nbformat.read(str(notebook), as_version=4) if isinstance(notebook, str | Path) else notebook
    )
    if title:
        nb.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(nb)
    return body
