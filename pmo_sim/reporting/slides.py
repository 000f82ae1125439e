"""Building blocks of a client deck: a template's layouts, native charts, tables and text.

A partner edits the deck the night before the steering committee, so
everything on a slide stays editable: charts are native PowerPoint charts
with their data embedded (bar, line, radar), text sits in text boxes and
tables, and a picture appears only where PowerPoint has no chart type (a
heatmap, a Gantt), always with alt text. :class:`Deck` takes the layouts and
theme of a firm's own template (``--pptx-template FIRM.pptx``) or of the
kit's default (:mod:`.deck_template`); the decks of each report kind are
built from it in :mod:`.deck_assessment`, :mod:`.deck_capacity` and
:mod:`.deck_business_case`.

Text from inputs (client names, comments) is set as run text, which
PowerPoint never interprets. Saved decks are byte-for-byte reproducible: the
document dates and the zip entries' timestamps are fixed.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from pmo_sim.reporting.office import FIXED_DATE, reproducible_zip

if TYPE_CHECKING:
    from pptx.chart.chart import Chart
    from pptx.slide import Slide, SlideLayout

__all__ = [
    "VERDICT_FILLS",
    "Box",
    "Deck",
    "add_error_bars",
    "series_as_line",
    "style_series",
]

_MARGIN = Inches(0.5)
_INK = RGBColor(0x1F, 0x29, 0x33)
_MUTED = RGBColor(0x52, 0x60, 0x6D)
_HEADER_FILL = RGBColor(0x2F, 0x66, 0x90)
_STRIPE_FILL = RGBColor(0xF0, 0xF4, 0xF8)
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)
#: Table fill of a verdict cell: green where the change is for the better, red for the worse.
VERDICT_FILLS = {"better": RGBColor(0xD8, 0xEF, 0xDF), "worse": RGBColor(0xF8, 0xD7, 0xDA)}
_FILLED = {XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED}
_RADARS = {XL_CHART_TYPE.RADAR, XL_CHART_TYPE.RADAR_MARKERS, XL_CHART_TYPE.RADAR_FILLED}


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    def split(self, fraction: float, gap: int = Inches(0.3)) -> tuple[Box, Box]:
        """Left and right parts: the left one ``fraction`` of the width (minus half the gap)."""
        left_w = int((self.width - gap) * fraction)
        right = Box(self.left + left_w + gap, self.top, self.width - left_w - gap, self.height)
        return Box(self.left, self.top, left_w, self.height), right

    def below(self, height: int, gap: int = Inches(0.15)) -> tuple[Box, Box]:
        """A strip of ``height`` at the top and the rest under it."""
        top = Box(self.left, self.top, self.width, height)
        rest = Box(
            self.left, self.top + height + gap, self.width, max(self.height - height - gap, 0)
        )
        return top, rest


def _has(layout: SlideLayout, kinds: set[int]) -> bool:
    return any(ph.placeholder_format.type in kinds for ph in layout.placeholders)


def _pick_layouts(prs: Any) -> tuple[SlideLayout, SlideLayout]:
    """The template's title layout and its title-only layout (by name, else by placeholders)."""
    layouts = list(prs.slide_layouts)
    titles = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
    by_name = {layout.name.strip().lower(): layout for layout in layouts}
    title = by_name.get("title slide") or next(
        (la for la in layouts if _has(la, {PP_PLACEHOLDER.CENTER_TITLE})), layouts[0]
    )
    content = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
    only = by_name.get("title only")
    if only is None:
        candidates = [la for la in layouts if _has(la, titles) and not _has(la, content)]
        candidates = candidates or [la for la in layouts if _has(la, titles)] or layouts
        only = min(candidates, key=lambda la: len(la.placeholders))
    return title, only


def _set_text(frame: Any, paragraphs: Sequence[str], size: float, bold_first: bool = False) -> None:
    frame.word_wrap = True
    for i, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = str(text)
        run.font.size = Pt(size)
        if bold_first and i == 0:
            run.font.bold = True


class Deck:
    """A presentation being built from a template: title slide, finding slides, then bytes.

    Args:
        template: a ``.pptx`` whose layouts and theme are used (its own slides are
            dropped); ``None`` for the kit's default template.
        title: document title (file properties).
    """

    def __init__(self, template: str | Path | None = None, title: str = "") -> None:
        if template is None:
            from pmo_sim.reporting.deck_template import default_template

            source: Any = io.BytesIO(default_template())
        else:
            source = str(template)
        self.prs = Presentation(source)
        ids = self.prs.slides._sldIdLst
        for slide_id in list(ids):  # a firm's template often carries sample slides
            self.prs.part.drop_rel(slide_id.rId)
            ids.remove(slide_id)
        self.title_layout, self.content_layout = _pick_layouts(self.prs)
        self.width = int(self.prs.slide_width)
        self.height = int(self.prs.slide_height)
        props = self.prs.core_properties
        props.title = title
        props.author = "pmo-sim"
        props.last_modified_by = "pmo-sim"
        props.created = props.modified = props.last_printed = FIXED_DATE
        props.revision = 1

    # --- slides -----------------------------------------------------------------------------

    def title_slide(self, title: str, subtitle: Sequence[str]) -> Slide:
        """The opening slide: the report's title and client, date and tier under it."""
        slide = self.prs.slides.add_slide(self.title_layout)
        if slide.shapes.title is not None:
            slide.shapes.title.text_frame.text = title
        sub = next(
            (
                ph
                for ph in slide.placeholders
                if ph.placeholder_format.type in {PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY}
            ),
            None,
        )
        if sub is not None:
            sub.text_frame.clear()
            _set_text(sub.text_frame, subtitle, 20)
            for para in sub.text_frame.paragraphs:
                para.alignment = PP_ALIGN.LEFT
        else:
            self.text(slide, self.body(slide), list(subtitle), size=20)
        return slide

    def slide(self, title: str, notes: str = "") -> tuple[Slide, Box]:
        """A finding slide with ``title``; returns it and the free area under the title."""
        slide = self.prs.slides.add_slide(self.content_layout)
        if slide.shapes.title is not None:
            frame = slide.shapes.title.text_frame
            frame.text = title
            if len(title) > 52:  # one line at the template's 28 pt holds about 55 characters
                frame.paragraphs[0].runs[0].font.size = Pt(24 if len(title) <= 62 else 20)
        else:
            box = Box(_MARGIN, Inches(0.3), self.width - 2 * _MARGIN, Inches(0.9))
            self.text(slide, box, [title], size=28, bold_first=True)
        # Placeholders the layout adds beyond the title would show "Click to add text".
        for ph in list(slide.placeholders):
            if ph.placeholder_format.type not in {
                PP_PLACEHOLDER.TITLE,
                PP_PLACEHOLDER.CENTER_TITLE,
            }:
                ph._element.getparent().remove(ph._element)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide, self.body(slide)

    def body(self, slide: Slide) -> Box:
        """The area under the slide's title, inside the margins."""
        title = slide.shapes.title
        top = (
            int(title.top) + int(title.height) + Inches(0.15)
            if title is not None and title.top is not None
            else Inches(1.3)
        )
        return Box(_MARGIN, top, self.width - 2 * _MARGIN, self.height - top - Inches(0.4))

    # --- content ----------------------------------------------------------------------------

    def text(
        self,
        slide: Slide,
        box: Box,
        paragraphs: Sequence[str],
        size: float = 16,
        bold_first: bool = False,
        bullets: bool = False,
    ) -> Any:
        """A text box of paragraphs (``bullets``: each paragraph starts with a bullet)."""
        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        shown = [f"• {p}" if bullets else p for p in paragraphs]
        _set_text(frame, shown, size, bold_first)
        for para in frame.paragraphs:
            para.space_after = Pt(size * 0.5)
            for run in para.runs:
                run.font.color.rgb = _INK
        return shape

    def table(
        self,
        slide: Slide,
        box: Box,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float] | None = None,
        size: float = 12,
        fills: Sequence[Sequence[RGBColor | None]] | None = None,
    ) -> Any:
        """A native table: a coloured header row, then ``rows`` as text.

        ``widths`` are relative column widths; ``fills`` an optional colour per cell.
        """
        n_rows, n_cols = len(rows) + 1, len(header)
        row_height = Pt(size * 2.1)
        shape = slide.shapes.add_table(
            n_rows, n_cols, box.left, box.top, box.width, min(box.height, row_height * n_rows)
        )
        table = shape.table
        weights = list(widths or [1.0] * n_cols)
        total = sum(weights)
        for i, w in enumerate(weights):
            table.columns[i].width = Emu(int(box.width * w / total))
        for r in range(n_rows):
            table.rows[r].height = row_height
        for c, name in enumerate(header):
            self._cell(table.cell(0, c), name, size, bold=True, colour=_WHITE, fill=_HEADER_FILL)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                fill = fills[r - 1][c] if fills is not None else None
                if fill is None and r % 2 == 0:
                    fill = _STRIPE_FILL
                self._cell(table.cell(r, c), value, size, fill=fill or _WHITE)
        return shape

    @staticmethod
    def _cell(
        cell: Any,
        value: Any,
        size: float,
        bold: bool = False,
        colour: RGBColor = _INK,
        fill: RGBColor = _WHITE,
    ) -> None:
        cell.text_frame.clear()
        cell.text_frame.word_wrap = True
        run = cell.text_frame.paragraphs[0].add_run()
        run.text = "" if value is None else str(value)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = Inches(0.06)
        cell.margin_top = cell.margin_bottom = Inches(0.03)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE

    def chart(
        self,
        slide: Slide,
        box: Box,
        kind: int,
        categories: Sequence[str],
        series: Mapping[str, Sequence[float | None]],
        number_format: str = "0.00",
        axis: tuple[float | None, float | None, float | None] = (None, None, None),
        legend: bool = True,
        alt: str = "",
    ) -> Chart:
        """A native chart of ``kind`` (an ``XL_CHART_TYPE``) with its data embedded.

        ``axis`` is (minimum, maximum, major unit) of the value axis; None leaves
        PowerPoint's automatic choice. Missing values (None, NaN) stay gaps.
        """
        data = CategoryChartData(number_format=number_format)
        data.categories = [str(c) for c in categories]
        for name, values in series.items():
            data.add_series(str(name), [_number(v) for v in values])
        frame = slide.shapes.add_chart(kind, box.left, box.top, box.width, box.height, data)
        if alt:
            frame._element.nvGraphicFramePr.cNvPr.set("descr", alt)
        chart = frame.chart
        chart.font.size = Pt(12)
        chart.font.color.rgb = _INK
        chart.has_legend = legend and len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(12)
        low, high, unit = axis
        value_axis = chart.value_axis
        if low is not None:
            value_axis.minimum_scale = low
        if high is not None:
            value_axis.maximum_scale = high
        if unit is not None:
            value_axis.major_unit = unit
        value_axis.has_major_gridlines = True
        value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xE2, 0xEC)
        value_axis.tick_labels.number_format = number_format
        value_axis.tick_labels.number_format_is_linked = False
        if kind not in _RADARS:
            category_axis = chart.category_axis
            category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
            # Horizontal labels that wrap, rather than long names slanted at 45 degrees.
            body = category_axis._element.get_or_add_txPr().find(qn("a:bodyPr"))
            body.set("rot", "0")
            body.set("vert", "horz")
            category_axis.tick_labels.font.size = Pt(10 if len(categories) > 8 else 12)
        return chart

    def time_chart(
        self,
        slide: Slide,
        box: Box,
        weeks: Sequence[float],
        series: Mapping[str, Sequence[float | None]],
        number_format: str = "0",
        week_unit: float = 13,
        alt: str = "",
    ) -> Chart:
        """A line chart over weeks (a scatter with lines, so the week axis is numeric)."""
        data = XyChartData()
        for name, values in series.items():
            ser = data.add_series(str(name), number_format=number_format)
            for week, value in zip(weeks, values, strict=True):
                ser.add_data_point(float(week), _number(value))
        frame = slide.shapes.add_chart(
            XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
            box.left,
            box.top,
            box.width,
            box.height,
            data,
        )
        if alt:
            frame._element.nvGraphicFramePr.cNvPr.set("descr", alt)
        chart = frame.chart
        chart.font.size = Pt(12)
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
        x_axis, y_axis = chart.category_axis, chart.value_axis
        x_axis.minimum_scale = float(min(weeks)) if len(weeks) else 0.0
        x_axis.maximum_scale = float(max(weeks)) + 1 if len(weeks) else 1.0
        x_axis.major_unit = week_unit
        x_axis.has_title = True
        x_axis.axis_title.text_frame.text = "week"
        x_axis.tick_labels.number_format = "0"
        x_axis.tick_labels.number_format_is_linked = False
        y_axis.minimum_scale = 0
        y_axis.has_major_gridlines = True
        y_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xE2, 0xEC)
        y_axis.tick_labels.number_format = number_format
        y_axis.tick_labels.number_format_is_linked = False
        for ser in chart.plots[0].series:
            ser.smooth = False
        return chart

    def picture(self, slide: Slide, box: Box, png: bytes, alt: str) -> Any:
        """A picture (where PowerPoint has no chart type) fitted into ``box``, with alt text."""
        pic = slide.shapes.add_picture(io.BytesIO(png), box.left, box.top)
        scale = min(box.width / pic.width, box.height / pic.height)
        pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        pic.left = box.left + (box.width - pic.width) // 2
        pic.top = box.top
        pic._element.nvPicPr.cNvPr.set("descr", alt)
        return pic

    def to_bytes(self) -> bytes:
        """The deck as ``.pptx`` bytes (reproducible)."""
        buf = io.BytesIO()
        self.prs.save(buf)
        return reproducible_zip(buf.getvalue())


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# --- chart touches python-pptx has no API for (DrawingML written directly) ---------------------


def _c(tag: str, **attrs: str) -> Any:
    element = etree.Element(qn(f"c:{tag}"))
    for key, val in attrs.items():
        element.set(key, val)
    return element


def _num_lit(values: Sequence[float | None]) -> Any:
    lit = _c("numLit")
    fmt = etree.SubElement(lit, qn("c:formatCode"))
    fmt.text = "General"
    lit.append(_c("ptCount", val=str(len(values))))
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            continue
        pt = etree.SubElement(lit, qn("c:pt"), idx=str(i))
        etree.SubElement(pt, qn("c:v")).text = repr(float(v))
    return lit


def _line_props(colour: str, width_pt: float, dash: str | None = None) -> Any:
    sp = _c("spPr")
    ln = etree.SubElement(sp, qn("a:ln"), w=str(int(width_pt * 12700)))
    fill = etree.SubElement(ln, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=colour)
    if dash:
        etree.SubElement(ln, qn("a:prstDash"), val=dash)
    return sp


def _spread(low: float | None, high: float | None) -> float | None:
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return None
    return max(high - low, 0.0)


def add_error_bars(
    chart: Chart,
    series_index: int,
    low: Sequence[float | None],
    high: Sequence[float | None],
    plot_index: int = 0,
) -> None:
    """Whiskers from ``low`` to ``high`` on one series (custom error bars, editable later)."""
    ser = chart.plots[plot_index].series[series_index]
    values = list(ser.values)
    plus = [_spread(v, h) for v, h in zip(values, high, strict=True)]
    minus = [_spread(lo, v) for v, lo in zip(values, low, strict=True)]
    bars = _c("errBars")
    if chart.chart_type in {XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS}:
        bars.append(_c("errDir", val="y"))
    bars.append(_c("errBarType", val="both"))
    bars.append(_c("errValType", val="cust"))
    bars.append(_c("noEndCap", val="0"))
    for tag, vals in (("plus", plus), ("minus", minus)):
        holder = etree.SubElement(bars, qn(f"c:{tag}"))
        holder.append(_num_lit(vals))
    bars.append(_line_props("1F2933", 1.25))
    ser._element.find(qn("c:cat")).addprevious(bars)


def series_as_line(chart: Chart, series_index: int, colour: str, dash: str = "dash") -> None:
    """Draw one series of a column chart as a line over the columns (a target line, say)."""
    plot_area = chart._chartSpace.chart.plotArea
    bar_chart = plot_area.find(qn("c:barChart"))
    ser = bar_chart.findall(qn("c:ser"))[series_index]
    bar_chart.remove(ser)
    for tag in ("c:invertIfNegative", "c:spPr"):
        for child in ser.findall(qn(tag)):
            ser.remove(child)
    line_chart = _c("lineChart")
    line_chart.append(_c("grouping", val="standard"))
    line_chart.append(_c("varyColors", val="0"))
    tx = ser.find(qn("c:tx"))
    tx.addnext(_line_props(colour, 2.5, dash))
    marker = _c("marker")
    marker.append(_c("symbol", val="none"))
    ser.find(qn("c:spPr")).addnext(marker)
    ser.append(_c("smooth", val="0"))
    line_chart.append(ser)
    line_chart.append(_c("marker", val="1"))
    for ax in bar_chart.findall(qn("c:axId")):
        line_chart.append(copy.deepcopy(ax))
    bar_chart.addnext(line_chart)


def style_series(chart: Chart, colours: Sequence[str], dashed: Sequence[int] = ()) -> None:
    """Give each series of the first plot a line/fill colour; ``dashed`` indexes get dashes."""
    for i, ser in enumerate(chart.plots[0].series):
        colour = RGBColor.from_string(colours[i % len(colours)])
        fmt = ser.format
        if chart.chart_type in _FILLED:
            fmt.fill.solid()
            fmt.fill.fore_color.rgb = colour
        else:
            fmt.line.color.rgb = colour
            fmt.line.width = Pt(2.25)
            if i in dashed:
                fmt.line.dash_style = 4  # MSO_LINE_DASH_STYLE.DASH
        if hasattr(ser, "smooth"):
            ser.smooth = False
