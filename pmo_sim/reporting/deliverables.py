"""The files a report can come out as: HTML, an editable deck, a workbook, a PDF.

A consultant hands over more than a web page: the partner edits a deck
before the steering committee and the client's PMO keeps working in a
workbook. :data:`FORMATS` is the catalogue (the manifest's and
``pmo-sim report``'s ``formats``); each format is made either in the report's
kernel, from the results themselves (``pptx``, ``xlsx``: :func:`save`, one
call in each notebook), or by the batch after the notebook ran (``html``
always, ``pdf`` from it). Adding a format or a kind is one entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pmo_sim.files import atomic_write_bytes

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "DeliverableFormat",
    "parse_formats",
    "save",
    "template_problem",
]


@dataclass(frozen=True)
class DeliverableFormat:
    """One kind of file a report comes out as."""

    #: The name in ``formats`` and the file's suffix: ``{kind}.{name}``.
    name: str
    #: What the index page calls the file ("deck").
    label: str
    #: What it is, for help texts and the docs.
    description: str
    #: ``kernel``: built from the results in the report's notebook; ``batch``: after it.
    made_in: Literal["kernel", "batch"]
    #: For kernel formats, the builder per report kind as ``"module:function"`` (imported on
    #: use, so naming a format costs nothing); it takes (results, client, template) -> bytes.
    builders: dict[str, str] = field(default_factory=dict)
    #: True when the builder takes the deck template (``pptx_template``) as third argument.
    takes_template: bool = False


#: Every format by name, in the order the index page lists a report's files.
FORMATS: dict[str, DeliverableFormat] = {
    f.name: f
    for f in (
        DeliverableFormat(
            "html", "open", "the report as a self-contained web page (always made)", "batch"
        ),
        DeliverableFormat(
            "pptx",
            "deck",
            "an editable PowerPoint deck: native charts, tables and text",
            "kernel",
            {
                "assessment": "pmo_sim.reporting.deck_assessment:assessment_deck",
                "capacity": "pmo_sim.reporting.deck_capacity:capacity_deck",
                "business_case": "pmo_sim.reporting.deck_business_case:business_case_deck",
            },
            takes_template=True,
        ),
        DeliverableFormat(
            "xlsx",
            "workbook",
            "an Excel workbook: one formatted table per sheet",
            "kernel",
            {
                "assessment": "pmo_sim.reporting.sheets:assessment_workbook",
                "capacity": "pmo_sim.reporting.sheets:capacity_workbook",
                "business_case": "pmo_sim.reporting.sheets:business_case_workbook",
            },
        ),
        DeliverableFormat("pdf", "PDF", "the HTML report printed to PDF (needs Chromium)", "batch"),
    )
}

#: What a report comes out as when nothing is said.
DEFAULT_FORMATS = ("html",)


def parse_formats(values: str | Iterable[str] | None) -> list[str]:
    """``"html,pptx"`` or ``["pptx", "xlsx"]`` to known format names, HTML first and once.

    Raises ValueError naming the known formats for an unknown one.
    """
    if values is None:
        return list(DEFAULT_FORMATS)
    items = [values] if isinstance(values, str) else list(values)
    names = [p.strip().lower() for item in items for p in str(item).split(",") if p.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ValueError(
            f"unknown format {', '.join(map(repr, unknown))}; choose from {', '.join(FORMATS)}"
        )
    # HTML is the report itself (and the index links it), so it is always made.
    return [n for n in FORMATS if n == "html" or n in names]


def template_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot serve as a deck template, or None when python-pptx opens it."""
    from pptx import Presentation

    try:
        prs = Presentation(str(path))
    except Exception as exc:  # python-pptx raises zip, KeyError and XML errors alike
        return f"not a PowerPoint .pptx file python-pptx can open ({type(exc).__name__})"
    if len(prs.slide_layouts) == 0:
        return "the template has no slide layouts"
    return None


def _builder(fmt: DeliverableFormat, kind: str) -> Any:
    module, _, function = fmt.builders[kind].partition(":")
    return getattr(importlib.import_module(module), function)


def save(
    kind: str,
    results: Any,
    client: str,
    output_dir: str | Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    pptx_template: str | Path | None = None,
) -> list[Path]:
    """Build the kernel-made ``formats`` of a ``kind`` report from its results into ``output_dir``.

    Called once in each report notebook; the files (``{kind}.pptx``, ``{kind}.xlsx``)
    travel back with the report and are published beside its HTML.
    """
    written = []
    for name in parse_formats(formats):
        fmt = FORMATS[name]
        if fmt.made_in != "kernel" or kind not in fmt.builders:
            continue
        build = _builder(fmt, kind)
        data = (
            build(results, client, pptx_template) if fmt.takes_template else build(results, client)
        )
        path = Path(output_dir) / f"{kind}.{name}"
        atomic_write_bytes(path, data)
        written.append(path)
    return written
