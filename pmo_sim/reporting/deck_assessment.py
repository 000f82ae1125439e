"""The maturity assessment as a deck: tier and index first, then one slide per finding.

Slides: title (client, date, tier); executive summary (tier, index with its
interval, why this tier, what holds back the next); dimension scores against
the target (columns with interval whiskers and a target line); the groups on
a radar; the groups as a heatmap (a table coloured by score, so the numbers
stay editable); perception gaps; disagreement within the room; the roadmap's
top actions; the trend since the previous assessment.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt

from pmo_sim.assessment.groups import group_label
from pmo_sim.presentation import score_text, shortfall_text
from pmo_sim.reporting.assessment_sections import TIER_MEANING
from pmo_sim.reporting.slides import Deck, add_error_bars, series_as_line, style_series

if TYPE_CHECKING:
    from pmo_sim.assessment import Assessment

__all__ = ["assessment_deck", "score_fill"]

#: Largest number of perception gaps and roadmap actions one slide shows.
TOP_ROWS = 8


def score_fill(score: float | None) -> RGBColor | None:
    """Red-to-green fill for a 0-4 score (the HTML heatmap's colour map); None when missing."""
    if score is None or score != score:
        return None
    from matplotlib import colormaps

    r, g, b, _ = colormaps["RdYlGn"](max(0.0, min(float(score), 4.0)) / 4.0)
    return RGBColor(int(r * 255), int(g * 255), int(b * 255))


def _summary(deck: Deck, a: Assessment) -> None:
    lo, hi = a.index_interval
    slide, box = deck.slide(
        "Executive summary",
        notes=(
            "The tier is a weakest-link gate: a PMO works at a tier only when every dimension "
            "reaches it. The index is the weighted average of the dimension scores."
        ),
    )
    head, rest = box.below(int(box.height * 0.3))
    deck.text(
        slide,
        head,
        [
            f"Tier {a.tier}: {a.tier_name}",
            f"Maturity index {score_text(a.index)} (90% interval {score_text(lo)} to "
            f"{score_text(hi)}, scale 0-4)",
        ],
        size=26,
        bold_first=True,
    )
    why = [
        f"At tier {a.tier}, {TIER_MEANING[a.tier]}.",
        f"{a.n_respondents} respondents in {len(a.group_sizes)} groups; each group counts equally.",
    ]
    left, right = rest.split(0.5)
    deck.text(slide, left, why, size=16)
    if a.tier < 4 and not a.blocking.empty:
        blocking = a.blocking.sort_values("shortfall", ascending=False)
        shown = [
            f"{r.name}: {score_text(r.score)}, {shortfall_text(r.shortfall)} short"
            for r in blocking.head(5).itertuples(index=False)
        ]
        if len(blocking) > 5:
            shown.append(f"and {len(blocking) - 5} more dimensions")
        deck.text(
            slide,
            right,
            [f"Held back from tier {a.tier + 1} by:", *shown],
            size=15,
            bold_first=True,
        )
    else:
        deck.text(slide, right, ["Every dimension reaches tier 4."], size=16)


def _dimension_slide(deck: Deck, a: Assessment) -> None:
    dims = a.dimensions
    slide, box = deck.slide(
        f"Dimension scores against the tier {a.target_tier} target",
        notes="Whiskers: 90% interval from resampling respondents within their groups.",
    )
    chart = deck.chart(
        slide,
        box,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        list(dims["name"]),
        {
            "score": list(dims["score"]),
            f"target (tier {a.target_tier})": [a.target_tier] * len(dims),
        },
        axis=(0, 4, 1),
        alt=(
            f"Column chart of the {len(dims)} dimension scores (0-4) with 90% intervals "
            f"and the tier {a.target_tier} target line."
        ),
    )
    style_series(chart, ["2F6690"])
    chart.plots[0].gap_width = 60
    add_error_bars(chart, 0, list(dims["interval_low"]), list(dims["interval_high"]))
    series_as_line(chart, 1, "D1495B")


def _radar_slide(deck: Deck, a: Assessment) -> None:
    dims = a.dimensions
    table = a.groups.pivot(index="dimension", columns="group", values="score")
    groups = list(dict.fromkeys(a.groups["group"]))
    table = table.reindex(index=dims["dimension"], columns=groups)
    series = {group_label(g): list(table[g]) for g in groups}
    series["overall"] = list(dims["score"])
    slide, box = deck.slide(
        "How each stakeholder group sees the PMO",
        notes="Every group counts once in the overall score, however many people it sent.",
    )
    chart = deck.chart(
        slide,
        box,
        XL_CHART_TYPE.RADAR,
        list(dims["name"]),
        series,
        number_format="0",
        axis=(0, 4, 1),
        alt=f"Radar of dimension scores (0-4) for {len(groups)} groups and overall.",
    )
    colours = ["2F6690", "D1495B", "EDAE49", "00798C", "8E7DBE", "66A182"]
    style_series(chart, [colours[i % 6] for i in range(len(groups))] + ["1F2933"], [len(groups)])


def _heatmap_slide(deck: Deck, a: Assessment) -> None:
    dims = a.dimensions
    groups = list(dict.fromkeys(a.groups["group"]))
    table = a.groups.pivot(index="dimension", columns="group", values="score").reindex(
        index=dims["dimension"], columns=groups
    )
    slide, box = deck.slide("Where each group places the PMO, dimension by dimension")
    rows, fills = [], []
    for dim in dims.itertuples(index=False):
        scores = [table.loc[dim.dimension, g] for g in groups] + [dim.score]
        rows.append([dim.name, *("" if s != s else score_text(s) for s in scores)])
        fills.append([None, *(score_fill(s) for s in scores)])
    size = 11 if len(rows) <= 12 else 9
    deck.table(
        slide,
        box,
        ["dimension", *map(group_label, groups), "overall"],
        rows,
        widths=[3.2] + [1.0] * (len(groups) + 1),
        size=size,
        fills=fills,
    )


def _gaps_slide(deck: Deck, a: Assessment) -> None:
    gaps = a.perception_gaps[a.perception_gaps["flagged"]]
    gaps = gaps.reindex(gaps["gap"].abs().sort_values(ascending=False).index)
    slide, box = deck.slide(
        "Where the groups see the PMO differently",
        notes="A perception gap is two groups a full tier (1.0) or more apart on a dimension.",
    )
    if gaps.empty:
        shared = "No two groups are a full tier apart in any dimension: the picture is shared."
        deck.text(slide, box, [shared], size=18)
        return
    names = a.dimensions.set_index("dimension")["name"]
    head, rest = box.below(Pt(40))
    deck.text(
        slide,
        head,
        [
            f"{len(gaps)} pairs of groups are a full tier or more apart"
            + (f"; the {TOP_ROWS} widest are shown." if len(gaps) > TOP_ROWS else ".")
        ],
        size=16,
    )
    rows = [
        [
            names.get(g.dimension, g.dimension),
            group_label(g.group_a),
            score_text(g.score_a),
            group_label(g.group_b),
            score_text(g.score_b),
            f"{g.gap:+.2f}",
        ]
        for g in gaps.head(TOP_ROWS).itertuples(index=False)
    ]
    deck.table(
        slide,
        rest,
        ["dimension", "group", "score", "other group", "score", "gap"],
        rows,
        widths=[3.2, 1.6, 0.8, 1.6, 0.8, 0.8],
        size=13,
    )


def _disagreement_slide(deck: Deck, a: Assessment) -> None:
    dims = a.dimensions
    slide, box = deck.slide(
        "How far respondents disagree within each dimension",
        notes="Standard deviation of respondents' dimension scores; above 1.0 is flagged.",
    )
    flagged = dims[dims["flagged"]]
    head, rest = box.below(Pt(40))
    deck.text(
        slide,
        head,
        [
            "Discuss before acting: " + ", ".join(flagged["name"]) + "."
            if not flagged.empty
            else "No dimension has a standard deviation above 1.0: the room broadly agrees."
        ],
        size=16,
    )
    chart = deck.chart(
        slide,
        rest,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        list(dims["name"]),
        {"standard deviation": list(dims["std"]), "flag at 1.0": [1.0] * len(dims)},
        axis=(0, None, None),
        alt="Column chart of the standard deviation of respondents' scores per dimension.",
    )
    style_series(chart, ["00798C"])
    series_as_line(chart, 1, "D1495B")


def _roadmap_slide(deck: Deck, a: Assessment) -> None:
    slide, box = deck.slide(
        f"Roadmap to tier {a.target_tier}: the top actions",
        notes="Most urgent first: distance to the target times the dimension's weight.",
    )
    if a.roadmap.empty:
        deck.text(slide, box, [f"Every dimension already reaches tier {a.target_tier}."], size=18)
        return
    first_steps = a.roadmap.sort_values(["rank", "step_tier"]).groupby("rank", sort=True).head(1)
    rows = [
        [
            str(int(r.rank)),
            r.name,
            score_text(r.score),
            shortfall_text(r.gap),
            f"tier {int(r.step_tier)}: {r.recommendation}",
        ]
        for r in first_steps.head(TOP_ROWS - 2).itertuples(index=False)
    ]
    deck.table(
        slide,
        box,
        ["#", "dimension", "score", "gap", "next step"],
        rows,
        widths=[0.35, 2.4, 0.7, 0.6, 6.5],
        size=12,
    )


def _trend_slide(deck: Deck, a: Assessment) -> None:
    slide, box = deck.slide("Trend since the previous assessment")
    if a.trend is None:
        deck.text(slide, box, ["No earlier assessment was given for comparison."], size=18)
        return
    t = a.trend
    head, rest = box.below(Pt(40))
    when = f" of {t.previous_assessed_on}" if t.previous_assessed_on else ""
    deck.text(
        slide,
        head,
        [
            f"Since the assessment{when}: tier {t.previous_tier} to {t.tier}, index "
            f"{score_text(t.previous_index)} to {score_text(t.index)} ({t.index_change:+.2f})."
        ],
        size=16,
    )
    dims = t.dimensions
    chart = deck.chart(
        slide,
        rest,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        list(dims["name"]),
        {"before": list(dims["previous_score"]), "now": list(dims["score"])},
        axis=(0, 4, 1),
        alt="Column chart of each dimension's previous and current score (0-4).",
    )
    style_series(chart, ["A7B6C2", "2F6690"])


def assessment_deck(
    a: Assessment, client: str | None = None, template: str | Path | None = None
) -> bytes:
    """The assessment deck as ``.pptx`` bytes (see the module docstring for the slides)."""
    name = client or a.client or "Client"
    deck = Deck(template, title=f"{name}: PMO maturity assessment")
    deck.title_slide(
        "PMO maturity assessment",
        [name, *([a.assessed_on] if a.assessed_on else []), f"Tier {a.tier}: {a.tier_name}"],
    )
    _summary(deck, a)
    _dimension_slide(deck, a)
    _radar_slide(deck, a)
    _heatmap_slide(deck, a)
    _gaps_slide(deck, a)
    _disagreement_slide(deck, a)
    _roadmap_slide(deck, a)
    _trend_slide(deck, a)
    return deck.to_bytes()
