"""The kit's default deck template: python-pptx's plain template made 16:9 and given a theme.

The template ships as ``pmo_sim/data/templates/pmo-sim.pptx`` and is read
with :mod:`importlib.resources`. It is not an opaque binary: this module
makes it, byte for byte, from python-pptx's bundled default (widescreen
layouts, the kit's colours as theme accents, Arial as the theme font, a
left-aligned title and an accent rule on every slide). Remake it after
changing anything here, and a test checks the two agree::

    python -m pmo_sim.reporting.deck_template pmo_sim/data/templates/pmo-sim.pptx

A firm's own template replaces it with ``--pptx-template FIRM.pptx``.
"""

from __future__ import annotations

import argparse
import io
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from pmo_sim.files import atomic_write_bytes

__all__ = ["TEMPLATE_RESOURCE", "build_template", "default_template"]

#: Where the default template lives inside the package.
TEMPLATE_RESOURCE = "data/templates/pmo-sim.pptx"

_WIDTH, _HEIGHT = Inches(13 + 1 / 3), Inches(7.5)

#: Theme colours: dark text, light background tint, then the six accents charts cycle through.
_COLOURS = {
    "dk2": "1F2933",
    "lt2": "F0F4F8",
    "accent1": "2F6690",
    "accent2": "D1495B",
    "accent3": "EDAE49",
    "accent4": "00798C",
    "accent5": "8E7DBE",
    "accent6": "66A182",
    "hlink": "2F6690",
    "folHlink": "6B4E9B",
}
_FONT = "Arial"


def _theme(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    root.set("name", "pmo-sim")
    scheme = root.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    scheme.set("name", "pmo-sim")
    for name, value in _COLOURS.items():
        slot = scheme.find(qn(f"a:{name}"))
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=value)
    fonts = root.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    fonts.set("name", "pmo-sim")
    for kind in ("a:majorFont", "a:minorFont"):
        fonts.find(f"{qn(kind)}/{qn('a:latin')}").set("typeface", _FONT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _widen(shapes: Any, factor: float) -> None:
    for shape in shapes:
        if shape.left is not None:
            shape.left = int(shape.left * factor)
            shape.width = int(shape.width * factor)


def _move(shape: Any, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _title_style(master: Any) -> None:
    """Finding titles: left-aligned, 28 pt bold, in the dark theme colour."""
    style = master._element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    style.set("algn", "l")
    rpr = style.find(qn("a:defRPr"))
    rpr.set("sz", "2800")
    rpr.set("b", "1")
    for child in list(rpr):
        if child.tag == qn("a:solidFill"):
            rpr.remove(child)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val="tx2")
    rpr.insert(0, fill)


def _rule(prs: Any, tree: Any, left: int, top: int, width: int, height: int) -> None:
    """An accent-coloured bar added to a master or layout (drawn on every slide using it)."""
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    bar = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    bar.fill.solid()
    bar.fill.fore_color.theme_color = 5  # MSO_THEME_COLOR.ACCENT_1
    bar.line.fill.background()
    bar.shadow.inherit = False
    element = bar._element
    element.getparent().remove(element)
    tree.append(element)
    ids = prs.slides._sldIdLst
    slide_id = ids[-1]
    prs.part.drop_rel(slide_id.rId)
    ids.remove(slide_id)


def build_template() -> bytes:
    """Make the default template from python-pptx's own (the bytes shipped in the package)."""
    from pmo_sim.reporting.office import FIXED_DATE, reproducible_zip

    prs = Presentation()
    factor = _WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = _WIDTH, _HEIGHT
    master = prs.slide_master
    _widen(master.shapes, factor)
    for layout in prs.slide_layouts:
        _widen(layout.placeholders, factor)
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = _theme(theme.blob)
    _title_style(master)
    margin = Inches(0.5)
    for shape in master.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.TITLE:
            _move(shape, margin, Inches(0.3), _WIDTH - 2 * margin, Inches(0.9))
    only = prs.slide_layouts[5]  # "Title Only"
    for shape in only.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.TITLE:
            _move(shape, margin, Inches(0.3), _WIDTH - 2 * margin, Inches(0.9))
    title_slide = prs.slide_layouts[0]
    title_slide._element.set("showMasterSp", "0")  # its own accent bar, not the title rule
    for shape in title_slide.placeholders:
        kind = shape.placeholder_format.type
        if kind == PP_PLACEHOLDER.CENTER_TITLE:
            _move(shape, Inches(1.0), Inches(2.2), Inches(11.3), Inches(1.5))
            shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
            for para in shape.text_frame.paragraphs:
                para.font.size = Pt(40)
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            _move(shape, Inches(1.0), Inches(3.9), Inches(11.3), Inches(2.0))
            shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    # The accent rules: under the title of every finding slide, beside the title slide's text.
    _rule(prs, master.shapes._spTree, margin, Inches(1.22), _WIDTH - 2 * margin, Pt(3))
    _rule(prs, title_slide.shapes._spTree, Inches(0.6), Inches(2.3), Inches(0.12), Inches(3.4))
    props = prs.core_properties
    props.title = "pmo-sim"
    props.author = props.last_modified_by = "pmo-sim"
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return reproducible_zip(buf.getvalue())


def default_template() -> bytes:
    """The bundled default template's bytes."""
    return resources.files("pmo_sim").joinpath(TEMPLATE_RESOURCE).read_bytes()


def main(argv: list[str] | None = None) -> None:
    """Write the default template to the path given (the package's copy, normally)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    atomic_write_bytes(args.out, build_template())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
