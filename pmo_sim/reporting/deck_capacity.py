"""The capacity scenarios as a deck: the key figures first, then one slide per finding.

Slides: title; executive summary (key figures per scenario with 95%
intervals, the bottleneck); demand against capacity by role (a native chart)
and over time (a heatmap picture, which PowerPoint has no chart type for);
utilisation by role per scenario with intervals and the 85% line; lead
times; work in progress over time; each scenario compared with the first
(differences with intervals and a verdict); the bottleneck role's queue
week by week; the pipeline roadmap (a Gantt picture with its table).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pptx.enum.chart import XL_CHART_TYPE

from pmo_sim.presentation import clip_interval, figure_png, verdict
from pmo_sim.reporting.capacity_sections import KEY_METRICS, bottleneck
from pmo_sim.reporting.slides import (
    VERDICT_FILLS,
    Deck,
    add_error_bars,
    series_as_line,
    style_series,
)
from pmo_sim.simulation.metrics import describe_metric, format_metric

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from pmo_sim.simulation import SimulationResult

__all__ = ["capacity_deck"]

_COLOURS = ["2F6690", "D1495B", "EDAE49", "00798C", "8E7DBE", "66A182"]


def _png(fig: Figure) -> bytes:
    """A report figure as a sharp PNG for a slide (names drawn literally), then released."""
    data = figure_png(fig, dpi=150, bbox_inches="tight")
    fig.clear()
    return data


def _role(name: str) -> str:
    return name.replace("_", " ")


def _summary(deck: Deck, results: dict[str, SimulationResult]) -> None:
    first = next(iter(results.values()))
    slide, box = deck.slide(
        "Executive summary",
        notes=(
            "Every scenario sees the same project arrivals, efforts and benefits (common random "
            "numbers), so differences come from the decisions, not from luck."
        ),
    )
    names = list(results)
    rows = []
    for metric in KEY_METRICS:
        row = [describe_metric(metric).label]
        for result in results.values():
            rec = result.summary().set_index("metric").loc[metric]
            mean = format_metric(metric, rec["mean"])
            low, high = describe_metric(metric).show_interval(rec["low"], rec["high"])
            row.append(f"{mean} ({low} to {high})")
        rows.append(row)
    table_box, rest = box.below(int(box.height * 0.78))
    size = {1: 14, 2: 14, 3: 12}.get(len(names), 10)
    deck.table(
        slide, table_box, ["mean (95% interval)", *names], rows, widths=[2.6] + [2] * len(names),
        size=size,
    )  # fmt: skip
    role, util, queued = bottleneck(first)
    deck.text(
        slide,
        rest,
        [
            f"{first.n} replications of {first.scenario.horizon_weeks:g} weeks per scenario. "
            f"Bottleneck in {names[0]}: {_role(role)}, {util:.0%} utilised, "
            f"{queued:.1f} FTE of work queued on average."
        ],
        size=14,
    )


def _demand_slides(deck: Deck, results: dict[str, SimulationResult]) -> None:
    from pmo_sim.reporting.plots import demand_capacity_heatmap

    name, result = next(iter(results.items()))
    weekly = result.weekly_roles
    means = weekly.groupby("role", sort=False)[["demand_fte", "capacity_fte"]].mean()
    slide, box = deck.slide(
        f"Demand against capacity by role: {name}",
        notes="Demand is the FTE busy plus the FTE of work queued for the role, per week.",
    )
    chart = deck.chart(
        slide,
        box,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        [_role(r) for r in means.index],
        {"demand (FTE)": list(means["demand_fte"]), "capacity (FTE)": list(means["capacity_fte"])},
        number_format="0.0",
        axis=(0, None, None),
        alt=f"Column chart of mean weekly demand and capacity in FTE per role, {name}.",
    )
    style_series(chart, ["D1495B", "2F6690"])
    slide, box = deck.slide(f"Demand against capacity over time: {name}")
    deck.picture(
        slide,
        box,
        _png(demand_capacity_heatmap(result)),
        alt=(
            f"Heatmap of demand over capacity per role and four-week period in {name}: "
            "blue is spare capacity, red is more work than the role's people could take on."
        ),
    )


def _utilisation_slide(deck: Deck, results: dict[str, SimulationResult]) -> None:
    first = next(iter(results.values()))
    roles = list(first.scenario.roles)
    series, lows, highs = {}, [], []
    for name, result in results.items():
        summary = result.summary().set_index("metric")
        keys = [f"utilisation.{r}" for r in roles]
        rec = summary.reindex(keys)
        series[name] = list(rec["mean"])
        # Whiskers within what a utilisation can be (0 to 100%), as every table shows them.
        ends = [
            clip_interval(low, high, describe_metric(key).domain)
            for key, low, high in zip(keys, rec["low"], rec["high"], strict=True)
        ]
        lows.append([low for low, _ in ends])
        highs.append([high for _, high in ends])
    series["85% (queues grow fast above)"] = [0.85] * len(roles)
    slide, box = deck.slide(
        "Utilisation by role, scenario by scenario",
        notes="Whiskers: 95% interval across replications. Near 100% looks efficient but makes "
        "queues, and so lead times, explode.",
    )
    chart = deck.chart(
        slide,
        box,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        [_role(r) for r in roles],
        series,
        number_format="0%",
        axis=(0, 1, 0.25),
        alt="Column chart of mean utilisation per role for each scenario, with 95% intervals.",
    )
    style_series(chart, _COLOURS)
    for i in range(len(results)):
        add_error_bars(chart, i, lows[i], highs[i])
    series_as_line(chart, len(results), "B3261E", dash="sysDot")


def _lead_time_slide(deck: Deck, results: dict[str, SimulationResult]) -> None:
    names = list(results)
    values: dict[str, list[float]] = {}
    bounds: dict[str, tuple[list[float], list[float]]] = {}
    for metric, label in (("lead_time_mean", "mean"), ("lead_time_p85", "85th percentile")):
        recs = [r.summary().set_index("metric").loc[metric] for r in results.values()]
        values[f"{label} lead time (weeks)"] = [rec["mean"] for rec in recs]
        bounds[label] = ([rec["low"] for rec in recs], [rec["high"] for rec in recs])
    slide, box = deck.slide(
        "Lead times: from idea to delivery",
        notes="Plan commitments on the 85th percentile, not the mean.",
    )
    chart = deck.chart(
        slide,
        box,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        names,
        values,
        number_format="0",
        axis=(0, None, None),
        alt="Column chart of mean and 85th-percentile lead time per scenario, with 95% intervals.",
    )
    style_series(chart, ["2F6690", "A7B6C2"])
    for i, (low, high) in enumerate(bounds.values()):
        add_error_bars(chart, i, low, high)


def _flow_slide(deck: Deck, results: dict[str, SimulationResult]) -> None:
    weeks: list[float] = []
    series = {}
    for name, result in results.items():
        wip = result.weekly_portfolio.groupby("week")["wip"].mean()
        weeks = list(wip.index)
        series[name] = list(wip)
    slide, box = deck.slide("Projects in progress, week by week (mean across replications)")
    chart = deck.time_chart(
        slide,
        box,
        weeks,
        series,
        alt="Line chart of the mean number of projects in progress per week for each scenario.",
    )
    style_series(chart, _COLOURS)


def _comparison_slides(deck: Deck, results: dict[str, SimulationResult]) -> None:
    from pmo_sim.simulation import compare

    if len(results) < 2:
        return
    frame = compare(results)
    baseline = next(iter(results))
    for scenario, part in frame.groupby("scenario", sort=False):
        rows = []
        for r in part[part["metric"].isin(KEY_METRICS)].itertuples(index=False):
            diff, low, high = (
                format_metric(r.metric, v, difference=True) for v in (r.difference, r.low, r.high)
            )
            rows.append(
                [
                    describe_metric(r.metric).label,
                    format_metric(r.metric, r.baseline_mean),
                    format_metric(r.metric, r.scenario_mean),
                    f"{diff} ({low} to {high})",
                    verdict(r.low, r.high, r.better),
                ]
            )
        slide, box = deck.slide(
            f"{scenario} compared with {baseline}",
            notes="A difference whose interval excludes zero is one the simulation is confident "
            "about; one that includes zero may be noise.",
        )
        deck.table(
            slide,
            box,
            ["measure", baseline, str(scenario), "difference (95% interval)", "verdict"],
            rows,
            widths=[3, 1.6, 1.6, 3, 1.8],
            size=13,
            fills=[[None] * 4 + [VERDICT_FILLS.get(row[-1])] for row in rows],
        )


def _bottleneck_slide(deck: Deck, results: dict[str, SimulationResult]) -> None:
    lines: list[str] = []
    series: dict[str, list[float]] = {}
    weeks: list[float] = []
    for name, result in results.items():
        role, util, queued = bottleneck(result)
        lines.append(f"{name}: {_role(role)} ({util:.0%} utilised, {queued:.1f} FTE queued)")
        weekly = result.weekly_roles
        queue = weekly[weekly["role"] == role].groupby("week")["queued_fte"].mean()
        weeks = list(queue.index)
        series[f"{name}: {_role(role)}"] = list(queue)
    slide, box = deck.slide(
        "Bottleneck: the busiest role and its queue",
        notes="Adding capacity elsewhere will not speed up delivery until this role has slack.",
    )
    text_box, chart_box = box.split(0.34)
    deck.text(slide, text_box, lines, size=14, bullets=True)
    chart = deck.time_chart(
        slide,
        chart_box,
        weeks,
        series,
        number_format="0",
        week_unit=26,
        alt="Line chart of the FTE of work queued each week for each scenario's busiest role.",
    )
    style_series(chart, _COLOURS)


def _roadmap_slide(deck: Deck, results: dict[str, SimulationResult]) -> None:
    from pmo_sim.reporting.plots import pipeline_roadmap, pipeline_schedule

    name, result = next(iter(results.items()))
    figure = pipeline_roadmap(result)
    if figure is None:
        return
    table = pipeline_schedule(result)
    slide, box = deck.slide(
        f"Portfolio roadmap of the named projects: {name}",
        notes="Dark bar: median start to median finish; light bar: to the 85th-percentile finish.",
    )
    top, bottom = box.below(int(box.height * 0.55))
    deck.picture(
        slide,
        top,
        _png(figure),
        alt=f"Gantt chart of the {len(table)} named pipeline projects in {name}.",
    )
    rows = [
        [
            r.project_id,
            f"{r.start_p50:.0f}",
            f"{r.finish_p50:.0f}",
            f"{r.finish_p85:.0f}",
            f"{r.finished_share:.0%}",
        ]
        for r in table.head(8).itertuples(index=False)
    ]
    deck.table(
        slide,
        bottom,
        ["project", "start (median)", "finish (median)", "finish (85%)", "delivered"],
        rows,
        widths=[2.2, 1.2, 1.2, 1.2, 1.1],
        size=10,
    )


def capacity_deck(
    results: dict[str, SimulationResult],
    client: str = "Client",
    template: str | Path | None = None,
) -> bytes:
    """The capacity deck as ``.pptx`` bytes (see the module docstring for the slides)."""
    first = next(iter(results.values()))
    deck = Deck(template, title=f"{client}: capacity scenarios")
    deck.title_slide(
        "Capacity scenarios",
        [
            client,
            f"{len(results)} scenarios, {first.n} replications, "
            f"{first.scenario.horizon_weeks:g} weeks",
        ],
    )
    _summary(deck, results)
    _demand_slides(deck, results)
    _utilisation_slide(deck, results)
    _lead_time_slide(deck, results)
    _flow_slide(deck, results)
    _comparison_slides(deck, results)
    _bottleneck_slide(deck, results)
    _roadmap_slide(deck, results)
    return deck.to_bytes()
