"""The business case as a deck: what moving to the target tier is worth, then the detail.

Slides: title (client, date, today's tier and the target); executive summary
(the findings in words); the headline differences with their 95% intervals
and a verdict; benefits realised over time under both practice sets;
benefits by strategic objective; utilisation by role; what changes, practice
by practice; what the answer hangs on (when the sensitivity ran); the
assumptions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pptx.enum.chart import XL_CHART_TYPE

from pmo_sim.presentation import clip_interval
from pmo_sim.reporting.slides import VERDICT_FILLS, Deck, add_error_bars, style_series
from pmo_sim.simulation.metrics import describe_metric, format_metric

if TYPE_CHECKING:
    import pandas as pd

    from pmo_sim.business_case import BusinessCase

__all__ = ["business_case_deck"]


def _arm_labels(case: BusinessCase) -> dict[str, str]:
    return {
        "today": f"today's practices (tier {case.position.tier})",
        "target": f"tier {case.target_tier} practices",
    }


def _difference_rows(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for r in frame.itertuples(index=False):
        diff, low, high = (
            format_metric(r.metric, v, difference=True) for v in (r.difference, r.low, r.high)
        )
        rows.append(
            [
                r.measure,
                format_metric(r.metric, r.today),
                format_metric(r.metric, r.target),
                f"{diff} ({low} to {high})",
                r.verdict,
            ]
        )
    return rows


def _headline_slide(deck: Deck, case: BusinessCase) -> None:
    slide, box = deck.slide(
        f"What tier {case.target_tier} practices change",
        notes="Each interval is the 95% interval of the paired difference across replications "
        "on common random numbers.",
    )
    rows = _difference_rows(case.headline())
    deck.table(
        slide,
        box,
        ["measure", "today", f"tier {case.target_tier}", "difference (95% interval)", "verdict"],
        rows,
        widths=[3.6, 1.4, 1.4, 3.2, 1.6],
        size=12,
        fills=[[None] * 4 + [VERDICT_FILLS.get(row[-1])] for row in rows],
    )


def _benefits_over_time(deck: Deck, case: BusinessCase) -> None:
    labels = _arm_labels(case)
    weeks: list[float] = []
    series = {}
    for arm, result in case.results.items():
        mean = result.weekly_portfolio.groupby("week")["benefit_cumulative"].mean()
        weeks = list(mean.index)
        series[labels[arm]] = list(mean)
    slide, box = deck.slide(
        "Benefits realised over time (cumulative, mean)",
        notes="Mean across replications. Benefits start when a project is delivered: the "
        "earlier valuable work is delivered, the steeper the line.",
    )
    chart = deck.time_chart(
        slide,
        box,
        weeks,
        series,
        number_format="#,##0",
        alt="Line chart of cumulative benefits realised per week under both practice sets.",
    )
    style_series(chart, ["A7B6C2", "2F6690"])


def _arms_chart(deck: Deck, case: BusinessCase, frame: pd.DataFrame, title: str, fmt: str) -> None:
    if frame.empty:
        return
    labels = _arm_labels(case)
    slide, box = deck.slide(
        title, notes="Whiskers on the target: the 95% interval of the difference."
    )
    chart = deck.chart(
        slide,
        box,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        list(frame["measure"]),
        {labels["today"]: list(frame["today"]), labels["target"]: list(frame["target"])},
        number_format=fmt,
        axis=(0, None, None),
        alt=f"Column chart: {title.lower()}, today's practices against the target tier's.",
    )
    style_series(chart, ["A7B6C2", "2F6690"])
    # The target bar's whisker spans today + the interval of the difference, within what the
    # measure can be (a utilisation stops at 100%).
    ends = [
        clip_interval(today + low, today + high, describe_metric(metric).domain)
        for metric, today, low, high in zip(
            frame["metric"], frame["today"], frame["low"], frame["high"], strict=True
        )
    ]
    add_error_bars(chart, 1, [low for low, _ in ends], [high for _, high in ends])


def _practices_slide(deck: Deck, case: BusinessCase) -> None:
    frame = case.practice_table()
    slide, box = deck.slide(
        "What changes, practice by practice",
        notes="Each practice follows the tier the client scored on the dimension that governs it.",
    )
    rows = [
        [
            r.practice,
            f"tier {r.today_tier}: {r.today}",
            f"tier {r.target_tier}: {r.target}",
            r.decided_by,
        ]
        for r in frame.itertuples(index=False)
    ]
    deck.table(
        slide,
        box,
        ["practice", "today", f"at tier {case.target_tier}", "decided by"],
        rows,
        widths=[1.6, 3.6, 4.6, 2.0],
        size=11,
    )


def _tornado_slide(deck: Deck, case: BusinessCase) -> None:
    s = case.sensitivity
    if s is None or s.table.empty:
        return
    from pmo_sim.business_case import ASSUMPTIONS

    show = {a.name: a.show for a in ASSUMPTIONS}
    frame = s.table.iloc[::-1]  # the chart draws the first category at the bottom
    slide, box = deck.slide(
        "What the answer hangs on",
        notes="Each assumption moved on its own to the ends of its plausible range, both runs "
        "repeated on the same random numbers. " + s.break_even_words,
    )
    head, rest = box.below(int(box.height * 0.2))
    as_run = format_metric("benefit_total", s.base_difference, difference=True)
    deck.text(
        slide,
        head,
        [
            s.break_even_words,
            f"As run, the benefit difference is {as_run}; each pair of bars moves one "
            "assumption to the ends of its range.",
        ],
        size=14,
    )
    categories = [
        f"{r.label} ({show[r.name](r.low)} .. {show[r.name](r.high)})"
        for r in frame.itertuples(index=False)
    ]
    chart = deck.chart(
        slide,
        rest,
        XL_CHART_TYPE.BAR_CLUSTERED,
        categories,
        {
            "low end of the range": list(frame["difference_low"]),
            "high end of the range": list(frame["difference_high"]),
        },
        number_format="#,##0",
        alt="Bar chart: the benefit difference (target - today) with each assumption at the "
        "low and the high end of its range.",
    )
    style_series(chart, ["A7B6C2", "2F6690"])


def _assumptions_slides(deck: Deck, case: BusinessCase) -> None:
    items = case.assumptions()
    per_slide = 4
    parts = [items[i : i + per_slide] for i in range(0, len(items), per_slide)]
    for n, part in enumerate(parts, start=1):
        suffix = f" ({n} of {len(parts)})" if len(parts) > 1 else ""
        slide, box = deck.slide(f"Assumptions{suffix}")
        deck.text(slide, box, part, size=18, bullets=True)


def business_case_deck(
    case: BusinessCase, client: str | None = None, template: str | Path | None = None
) -> bytes:
    """The business case deck as ``.pptx`` bytes (see the module docstring for the slides)."""
    p = case.position
    name = client or p.client or "Client"
    deck = Deck(template, title=f"{name}: PMO business case")
    deck.title_slide(
        "PMO business case",
        [
            name,
            *([f"Assessed on {p.assessed_on}"] if p.assessed_on else []),
            f"Tier {p.tier} ({p.tier_name}) today, tier {case.target_tier} as the target",
        ],
    )
    slide, box = deck.slide("Executive summary")
    head, rest = box.below(int(box.height * 0.22))
    deck.text(
        slide,
        head,
        [
            f"What would working at tier {case.target_tier} change in what the portfolio "
            f"delivers? The client's portfolio ({case.scenario_name}) simulated "
            f"{case.replications} times under each practice set, on the same random numbers."
        ],
        size=16,
    )
    deck.text(slide, rest, case.findings(), size=16, bullets=True)
    _headline_slide(deck, case)
    _benefits_over_time(deck, case)
    _arms_chart(
        deck, case, case.by_objective(), "Benefits realised by strategic objective", "#,##0"
    )
    _arms_chart(deck, case, case.utilisation(), "Utilisation by role", "0%")
    _practices_slide(deck, case)
    _tornado_slide(deck, case)
    _assumptions_slides(deck, case)
    return deck.to_bytes()
