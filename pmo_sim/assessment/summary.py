"""A plain-text summary of an assessment that reads well in an 80-100 column terminal.

Scores are shown as :mod:`pmo_sim.presentation` shows them everywhere:
*truncated* to two decimals, so that a score printed as 3.00 always means
tier 3 (2.996 shows as 2.99, tier 2), and gaps rounded up (0.01, not 0.00).
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from pmo_sim.assessment.agreement import CONSENSUS_STD, GAP_THRESHOLD
from pmo_sim.assessment.groups import group_label
from pmo_sim.assessment.result import Assessment
from pmo_sim.presentation import score_text, shortfall_text

__all__ = ["format_summary"]

_WIDTH = 92
_NAME = 38


def _num(value: float, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _name(text: str, width: int = _NAME) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _header_lines(label: str) -> tuple[str, str]:
    """A label on two header lines of at most 10 characters (a longer one is cut with "…")."""
    lines = textwrap.wrap(label, 10, break_long_words=False) or [""]
    if len(lines) == 1:
        return "", _name(lines[0], 10)
    return _name(lines[0], 10), _name(" ".join(lines[1:]), 10)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]


def format_summary(result: Assessment) -> str:
    """The assessment as text: headline, dimensions, groups, gaps, roadmap, trend, warnings."""
    lines: list[str] = []
    lines += _headline(result)
    lines += _dimension_table(result)
    lines += _group_table(result)
    lines += _gaps(result)
    lines += _roadmap(result)
    lines += _trend(result)
    if result.warnings:
        lines += ["", "Warnings"]
        for note in result.warnings:
            # A warning's first line is prose; any further lines (YAML to paste) stay as they are.
            first, *verbatim = note.split("\n")
            lines += _wrap(first, "  ! ")
            lines += [f"  !   {line}" for line in verbatim]
    return "\n".join(lines) + "\n"


def _headline(r: Assessment) -> list[str]:
    who = ", ".join(x for x in (r.client, r.assessed_on) if x)
    title = r.questionnaire_title + (f": {who}" if who else "")
    groups = ", ".join(f"{group_label(g)} {n}" for g, n in r.group_sizes.items())
    reasons = ", ".join(f"{why} {n}" for why, n in r.skipped_reasons.items() if n)
    skipped = f"; skipped {r.answers_skipped:,}" + (f" ({reasons})" if reasons else "")
    low, high = r.index_interval
    pct = round(r.confidence * 100)
    out = [
        title,
        "=" * min(len(title), _WIDTH),
        *_wrap(f"{r.n_respondents} respondents ({groups}); weighting by {r.weighting}"),
        *_wrap(f"Answers used {r.answers_used:,}{skipped}"),
        "",
        f"TIER {r.tier}: {r.tier_name.upper()}    maturity index {score_text(r.index)}"
        f"  ({pct}% interval {score_text(low)}-{score_text(high)})",
    ]
    return out + _wrap(r.explanation)


def _dimension_table(r: Assessment) -> list[str]:
    pct = round(r.confidence * 100)
    head = f"{'Dimension':<{_NAME}} {'Score':>5}  {f'{pct}% interval':<13} {'Tier':>4}"
    head += f"  {'Spread':>6}  {'n':>4}"
    out = ["", head, "-" * len(head)]
    for row in r.dimensions.itertuples(index=False):
        tier = "-" if math.isnan(row.tier) else str(int(row.tier))
        interval = f"{score_text(row.interval_low)}-{score_text(row.interval_high)}"
        marks = ("  <" if row.blocking else "   ") + (" !" if row.flagged else "")
        out.append(
            f"{_name(row.name):<{_NAME}} {score_text(row.score):>5}  {interval:<13} {tier:>4}"
            f"  {_num(row.std):>6}  {row.n_respondents:>4}{marks}"
        )
    legend = []
    if r.dimensions["blocking"].any():
        legend.append(f"< holds back tier {r.tier + 1}")
    if r.dimensions["flagged"].any():
        legend.append(f"! spread (standard deviation) above {CONSENSUS_STD:.1f}: discuss")
    return out + ([f"  {';   '.join(legend)}"] if legend else [])


def _group_table(r: Assessment) -> list[str]:
    groups = list(r.group_sizes)
    if len(groups) < 2:
        return []
    table = r.groups.pivot(index="dimension", columns="group", values="score")
    # Each group's label over two lines of a 10-character column ("Project" / "manager").
    labels = [_header_lines(group_label(g)) for g in groups]
    width = _NAME - 10
    top = f"{'':<{width}}" + "".join(f"{lab[0]:>11}" for lab in labels)
    head = f"{'Scores by group':<{width}}" + "".join(f"{lab[1]:>11}" for lab in labels)
    out = ["", top.rstrip(), head, "-" * len(head)]
    for row in r.dimensions.itertuples(index=False):
        cells = "".join(f"{score_text(table.at[row.dimension, g]):>11}" for g in groups)
        out.append(f"{_name(row.name, width):<{width}}{cells}")
    return out


def _gaps(r: Assessment) -> list[str]:
    flagged = r.perception_gaps[r.perception_gaps["flagged"]]
    if flagged.empty:
        return ["", f"No perception gaps of {GAP_THRESHOLD:.1f} or more between groups."]
    names = dict(zip(r.dimensions["dimension"], r.dimensions["name"], strict=True))
    out = ["", f"Perception gaps of {GAP_THRESHOLD:.1f} or more (a minus b)"]
    flagged = flagged.reindex(flagged["gap"].abs().sort_values(ascending=False).index)
    for row in flagged.itertuples(index=False):
        a = f"{group_label(row.group_a)} {score_text(row.score_a)}"
        b = f"{group_label(row.group_b)} {score_text(row.score_b)}"
        out.append(
            f"  {_name(names[row.dimension], 34):<34} {a} vs {b}  ({_num(row.gap, signed=True)})"
        )
    return out


def _roadmap(r: Assessment) -> list[str]:
    if r.roadmap.empty:
        return ["", f"Every dimension is at tier {r.target_tier} or above: no roadmap needed."]
    out = ["", f"Roadmap to tier {r.target_tier} (most urgent first: gap x weight)"]
    for _, steps in r.roadmap.groupby("rank", sort=True):
        first = steps.iloc[0]
        out.append(
            f"{int(first['rank']):>3}. {first['name']}: {score_text(first['score'])} -> "
            f"{int(first['target'])} (gap {shortfall_text(first['gap'])} "
            f"x weight {first['weight']:g})"
        )
        for step in steps.itertuples(index=False):
            out += _wrap(f"tier {step.step_tier}: {step.recommendation}", "       ")
    return out


def _trend(r: Assessment) -> list[str]:
    t = r.trend
    if t is None:
        return []
    since = f" since {t.previous_assessed_on}" if t.previous_assessed_on else ""
    out = [
        "",
        f"Trend{since}: tier {t.previous_tier} -> {t.tier} ({t.tier_change:+d}), "
        f"index {score_text(t.previous_index)} -> {score_text(t.index)} "
        f"({_num(t.index_change, True)})",
        f"  {'Dimension':<{_NAME}} {'before':>6} {'now':>6} {'change':>7}",
    ]
    for row in t.dimensions.itertuples(index=False):
        change = row.change if not pd.isna(row.change) else float("nan")
        out.append(
            f"  {_name(row.name):<{_NAME}} {score_text(row.previous_score):>6} "
            f"{score_text(row.score):>6}"
            f" {_num(change, True):>7}"
        )
    return out
