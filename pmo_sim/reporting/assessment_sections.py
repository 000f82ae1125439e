"""The prose of the maturity assessment report, as escaped HTML fragments.

Each function takes a scored :class:`~pmo_sim.assessment.Assessment` and
returns HTML for one section. Every value that came from an input (client
name, dimension and question text, comments) goes through
:func:`~pmo_sim.reporting.html.escape`, so a client named
``<script>alert(1)</script>`` shows as text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo_sim.assessment.groups import group_label
from pmo_sim.presentation import score_text, shortfall_text
from pmo_sim.reporting.html import escape

if TYPE_CHECKING:
    from pmo_sim.assessment import Assessment

__all__ = [
    "comments_appendix",
    "disagreement_section",
    "executive_summary",
    "roadmap_section",
    "save_results",
    "table",
    "trend_section",
]

TIER_MEANING = {
    0: "project work has no common support yet",
    1: "the PMO supports project teams with templates, tools and training but manages no "
    "projects itself",
    2: "the PMO sets the method, controls projects and coordinates resources",
    3: "the PMO manages portfolios across departments: it selects, prioritises and balances "
    "capacity",
    4: "the PMO steers the portfolio by corporate strategy and is a partner to leadership",
}


def save_results(a: Assessment, output_dir: str | Path) -> Path:
    """Write the results JSON (``assessment.json``) that travels with the report."""
    path = Path(output_dir) / "assessment.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(a.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def table(frame: pd.DataFrame, floatfmt: str = "{:.2f}", scores: Iterable[str] = ()) -> str:
    """An escaped HTML table of ``frame`` (numbers formatted, no index).

    Columns named in ``scores`` are maturity scores, shown truncated toward
    their tier (:func:`pmo_sim.presentation.score_text`).
    """
    shown = frame.copy()
    score_columns = set(scores)
    for col in shown.columns:
        if col in score_columns:
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else score_text(v))
        elif pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
    cells = [[_cell(v) for v in shown[col]] for col in shown.columns]
    # Figures line up on the right; words (labels, verdicts, practices) read from the left.
    kinds = [' class="num"' if _figures(column) else "" for column in cells]
    head = "".join(
        f"<th{kind}>{escape(str(c))}</th>" for c, kind in zip(shown.columns, kinds, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{kind}>{escape(v)}</td>" for v, kind in zip(row, kinds, strict=True))
        + "</tr>"
        for row in zip(*cells, strict=True)
    )
    return f'<table class="pmo-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _figures(column: list[str]) -> bool:
    """True when every filled cell starts with a figure ("1.58", "+2.1 pts", "-4.5 (...)")."""
    filled = [v for v in column if v]
    return bool(filled) and all(
        v[0].isdigit() or (v[0] in "+-" and len(v) > 1 and v[1].isdigit()) for v in filled
    )


def executive_summary(a: Assessment, client: str | None = None) -> str:
    """Tier, index with interval, why this tier and what holds back the next."""
    name = client or a.client or "the client"
    lo, hi = a.index_interval
    groups = ", ".join(f"{escape(group_label(g))} {n}" for g, n in a.group_sizes.items())
    held = ""
    if a.tier < 4 and not a.blocking.empty:
        items = "".join(
            f"<li><b>{escape(r.name)}</b>: {score_text(r.score)}, "
            f"{shortfall_text(r.shortfall)} short of tier "
            f"{int(r.next_tier)}</li>"
            for r in a.blocking.itertuples(index=False)
        )
        held = (
            f"<p>To reach tier {a.tier + 1}, every dimension must score at least "
            f"{a.tier + 1}.00. These hold it back:</p><ul>{items}</ul>"
        )
    date = f" on {escape(a.assessed_on)}" if a.assessed_on else ""
    skipped = (
        f" {a.answers_skipped} answers were not scored ("
        + ", ".join(f"{escape(k)}: {v}" for k, v in a.skipped_reasons.items() if v)
        + ")."
        if a.answers_skipped
        else ""
    )
    return f"""
<h1>PMO maturity assessment: {escape(name)}</h1>
<div class="pmo-callout">
<p style="font-size:1.3em;margin:0"><b>Tier {a.tier}: {escape(a.tier_name)}</b>
&nbsp;·&nbsp; maturity index {score_text(a.index)} (90% interval {score_text(lo)} to
{score_text(hi)}, on a 0-4 scale)</p>
</div>
<p>At tier {a.tier}, {TIER_MEANING[a.tier]}. The PMO is placed at tier {a.tier} because its
weakest dimensions reach that tier and no further; the index shows how far it has come within
the tier.</p>
{held}
<p>The tier is a weakest-link gate: a PMO works at a tier only when every dimension reaches it.
The index is the weighted average of the dimension scores and shows progress within a tier.
Assessed{date} from {a.n_respondents} respondents ({groups}); {a.answers_used} answers were
scored.{skipped} Each stakeholder group counts equally ({escape(a.weighting)} weighting).</p>
"""


def disagreement_section(a: Assessment) -> str:
    """Perception gaps between groups (|gap| >= 1) and dimensions where respondents disagree."""
    gaps = a.perception_gaps[a.perception_gaps["flagged"]].copy()
    parts = ["<h2>Where the groups see the PMO differently</h2>"]
    if gaps.empty:
        parts.append(
            "<p>No two groups are a full tier apart in any dimension: the picture is shared.</p>"
        )
    else:
        names = a.dimensions.set_index("dimension")["name"]
        gaps = gaps.assign(
            dimension=gaps["dimension"].map(names),
            group_a=gaps["group_a"].map(group_label),
            group_b=gaps["group_b"].map(group_label),
        ).sort_values("gap", key=abs, ascending=False)
        parts.append(
            f"<p>{len(gaps)} pairs of groups are a full tier or more apart. Gaps like these are "
            "worth a workshop conversation: the groups see different practices, or read the "
            "same practice differently.</p>"
        )
        shown = gaps[["dimension", "group_a", "score_a", "group_b", "score_b", "gap"]]
        parts.append(table(shown, scores=("score_a", "score_b")))
    spread = a.dimensions[a.dimensions["flagged"]]
    if spread.empty:
        parts.append("<p>Within the room, no dimension has a standard deviation above 1.0.</p>")
    else:
        parts.append(
            "<p>Respondents disagree most (standard deviation above 1.0) on: "
            + ", ".join(
                f"<b>{escape(r.name)}</b> (sd {r.std:.2f}, range {r.range:.1f})"
                for r in spread.itertuples(index=False)
            )
            + ". Discuss these before acting on their scores.</p>"
        )
    return "\n".join(parts)


def roadmap_section(a: Assessment) -> str:
    """The prioritised roadmap to the target tier, with the questionnaire's recommendations."""
    parts = [f"<h2>Roadmap to tier {a.target_tier}</h2>"]
    if a.roadmap.empty:
        parts.append(f"<p>Every dimension already reaches tier {a.target_tier}.</p>")
        return "\n".join(parts)
    parts.append(
        "<p>Dimensions below the target, most urgent first (distance to the target times the "
        "dimension's weight). Each step is what to put in place to climb one tier.</p><ol>"
    )
    for _, steps in a.roadmap.groupby("rank", sort=True):
        first = steps.iloc[0]
        recs = "".join(
            f"<li><i>Tier {int(s.step_tier)}:</i> {escape(s.recommendation)}</li>"
            for s in steps.itertuples(index=False)
        )
        parts.append(
            f"<li><b>{escape(first['name'])}</b>: score {score_text(first['score'])}, "
            f"{shortfall_text(first['gap'])} below target<ul>{recs}</ul></li>"
        )
    parts.append("</ol>")
    return "\n".join(parts)


def trend_section(a: Assessment) -> str:
    """Change since the previous assessment, or a note that there is none."""
    if a.trend is None:
        return "<h2>Trend</h2><p>No earlier assessment was given for comparison.</p>"
    t = a.trend
    when = f" of {escape(t.previous_assessed_on)}" if t.previous_assessed_on else ""
    moved = t.dimensions.dropna(subset=["change"]).sort_values("change", ascending=False)
    frame = moved[["name", "previous_score", "score", "change"]].rename(
        columns={"name": "dimension", "previous_score": "before", "score": "now"}
    )
    return (
        f"<h2>Trend</h2><p>Since the assessment{when}, the tier went from {t.previous_tier} to "
        f"{t.tier} and the index from {score_text(t.previous_index)} to {score_text(t.index)} "
        f"({t.index_change:+.2f}).</p>" + table(frame, scores=("before", "now"))
    )


def comments_appendix(a: Assessment) -> str:
    """Per question, the respondents' comments, grouped by dimension."""
    parts = ["<h2>Appendix: questions, scores and comments</h2>"]
    comments = a.comments[a.comments["comment"].astype(str).str.strip() != ""]
    questions = a.questions
    for dim in a.dimensions.itertuples(index=False):
        parts.append(f"<h3>{escape(dim.name)} ({score_text(dim.score)})</h3><ul>")
        for q in questions[questions["dimension"] == dim.dimension].itertuples(index=False):
            said = comments[comments["question"] == q.question]
            quoted = "".join(
                f"<li><i>{escape(group_label(c.group))}</i>: “{escape(c.comment)}”</li>"
                for c in said.itertuples(index=False)
            )
            score = "not answered" if pd.isna(q.score) else score_text(q.score)
            parts.append(
                f"<li>{escape(q.text)} <b>{score}</b>"
                + (f"<ul>{quoted}</ul>" if quoted else "")
                + "</li>"
            )
        parts.append("</ul>")
    return "\n".join(parts)
