"""The sheets of each report kind's workbook, built from the results (never from files).

* assessment: a summary, then the tidy tables ``pmo-sim assess --out`` writes as CSV
  (dimensions with intervals, groups, questions, question groups, perception gaps,
  the roadmap with empty ``owner``, ``due_date`` and ``status`` columns for the client,
  the trend), and the comments;
* capacity: the summary per scenario (mean and 95% interval per metric), the
  comparison with the first scenario, weekly utilisation per role (mean and 95%
  interval across replications), and the projects of every replication;
* business case: the headline, benefits by objective, utilisation, the practices,
  the findings and the assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pmo_sim.reporting.workbook import Sheet, workbook_bytes

if TYPE_CHECKING:
    from pmo_sim.assessment import Assessment
    from pmo_sim.business_case import BusinessCase
    from pmo_sim.simulation import SimulationResult

__all__ = [
    "ROADMAP_CLIENT_COLUMNS",
    "assessment_sheets",
    "assessment_workbook",
    "business_case_sheets",
    "business_case_workbook",
    "capacity_sheets",
    "capacity_workbook",
    "weekly_utilisation",
]

#: Columns the roadmap sheet leaves empty for the client to fill in.
ROADMAP_CLIENT_COLUMNS = ("owner", "due_date", "status")

_SCORE_SCALES = {"score": "score", "interval_low": "score", "interval_high": "score"}


def _summary_sheet(rows: list[tuple[str, object]]) -> Sheet:
    return Sheet(
        "summary",
        pd.DataFrame(rows, columns=["item", "value"]),
        widths={"item": 28, "value": 70},
    )


def assessment_sheets(a: Assessment, client: str | None = None) -> list[Sheet]:
    """The assessment workbook's sheets; see the module docstring."""
    lo, hi = a.index_interval
    summary = _summary_sheet(
        [
            ("client", client or a.client or ""),
            ("assessed on", a.assessed_on or ""),
            ("tier", a.tier),
            ("tier name", a.tier_name),
            ("maturity index", round(a.index, 6)),
            ("index interval low (90%)", round(lo, 6)),
            ("index interval high (90%)", round(hi, 6)),
            ("target tier", a.target_tier),
            ("respondents", a.n_respondents),
            ("answers scored", a.answers_used),
            ("weighting", a.weighting),
            ("questionnaire", f"{a.questionnaire_title} {a.questionnaire_version}".strip()),
            ("why this tier", a.explanation),
        ]
    )
    tables = a.tables()
    roadmap = tables["roadmap"].copy()
    for column in ROADMAP_CLIENT_COLUMNS:
        roadmap[column] = ""
    sheets = [
        summary,
        Sheet("dimensions", tables["dimensions"], scales=_SCORE_SCALES),
        Sheet("groups", tables["groups"], scales={"score": "score"}),
        Sheet("questions", tables["questions"], scales={"score": "score"}),
        Sheet("question_groups", tables["question_groups"], scales={"score": "score"}),
        Sheet(
            "perception_gaps",
            tables["perception_gaps"],
            scales={"score_a": "score", "score_b": "score", "gap": "gap"},
        ),
        Sheet(
            "roadmap",
            roadmap,
            scales={"score": "score"},
            widths={"owner": 20, "due_date": 14, "status": 14},
            note="Every dimension already reaches the target tier.",
        ),
        Sheet(
            "comments",
            a.comments[a.comments["comment"].astype(str).str.strip() != ""],
            formats={"level": "0"},
            note="No comments were given.",
        ),
    ]
    if "trend" in tables:
        sheets.append(
            Sheet(
                "trend",
                tables["trend"],
                scales={"previous_score": "score", "score": "score", "change": "gap"},
            )
        )
    return sheets


def assessment_workbook(a: Assessment, client: str | None = None) -> bytes:
    """The assessment workbook as ``.xlsx`` bytes."""
    name = client or a.client or "Client"
    return workbook_bytes(assessment_sheets(a, client), title=f"{name}: PMO maturity assessment")


def _with_scenario(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.insert(0, "scenario", name)
    return out


def weekly_utilisation(results: dict[str, SimulationResult], level: float = 0.95) -> pd.DataFrame:
    """Per scenario, week and role: mean utilisation with its interval across replications.

    Columns: scenario, week, role, utilisation, low, high, capacity_fte,
    busy_fte, queued_fte, demand_fte (FTE columns are means over replications).
    """
    from pmo_sim.presentation import half_width

    parts = []
    for name, result in results.items():
        weekly = result.weekly_roles
        grouped = weekly.groupby(["week", "role"], sort=False)
        stats = grouped["utilisation"].agg(["mean", "std", "count"])
        fte = grouped[["capacity_fte", "busy_fte", "queued_fte", "demand_fte"]].mean()
        half = half_width(stats["std"].to_numpy(), stats["count"].to_numpy(), level)
        frame = pd.DataFrame(
            {
                "utilisation": stats["mean"].to_numpy(),
                "low": stats["mean"].to_numpy() - half,
                "high": stats["mean"].to_numpy() + half,
            },
            index=stats.index,
        ).join(fte)
        parts.append(_with_scenario(name, frame.reset_index()))
    return pd.concat(parts, ignore_index=True)


def capacity_sheets(results: dict[str, SimulationResult]) -> list[Sheet]:
    """The capacity workbook's sheets; see the module docstring."""
    from pmo_sim.simulation import compare

    summary = pd.concat(
        [_with_scenario(name, r.summary()) for name, r in results.items()], ignore_index=True
    )
    share = {"utilisation": "0.0%", "low": "0.0%", "high": "0.0%"}
    sheets = [
        Sheet(
            "summary", summary, formats={"mean": "#,##0.00", "low": "#,##0.00", "high": "#,##0.00"}
        ),
    ]
    if len(results) > 1:
        sheets.append(
            Sheet(
                "comparison",
                compare(results),
                formats={
                    c: "#,##0.00"
                    for c in ("baseline_mean", "scenario_mean", "difference", "low", "high")
                },
            )
        )
    sheets.append(
        Sheet(
            "weekly_utilisation",
            weekly_utilisation(results),
            formats={**share, "week": "0"},
            scales={"utilisation": "utilisation"},
        )
    )
    projects = pd.concat(
        [_with_scenario(name, r.projects) for name, r in results.items()], ignore_index=True
    )
    money = {
        c: "#,##0" for c in ("cost", "benefit_per_week", "benefit", "cost_of_delay", "delay_cost")
    }
    sheets.append(Sheet("projects", projects, formats={**money, "on_time": "0"}))
    return sheets


def capacity_workbook(results: dict[str, SimulationResult], client: str = "Client") -> bytes:
    """The capacity workbook as ``.xlsx`` bytes."""
    return workbook_bytes(capacity_sheets(results), title=f"{client}: capacity scenarios")


def business_case_sheets(case: BusinessCase) -> list[Sheet]:
    """The business case workbook's sheets; see the module docstring."""
    numbers = {c: "#,##0.00" for c in ("today", "target", "difference", "low", "high")}
    return [
        Sheet("headline", case.headline(), formats=numbers),
        Sheet("objectives", case.by_objective(), formats=numbers, note="No objectives."),
        Sheet("utilisation", case.utilisation(), formats={c: "0.0%" for c in numbers}),
        Sheet("practices", case.practice_table()),
        Sheet("findings", pd.DataFrame({"finding": case.findings()}), widths={"finding": 100}),
        Sheet(
            "assumptions",
            pd.DataFrame({"assumption": case.assumptions()}),
            widths={"assumption": 100},
        ),
        *_sensitivity_sheets(case),
    ]


def _sensitivity_sheets(case: BusinessCase) -> list[Sheet]:
    s = case.sensitivity
    if s is None or s.table.empty:
        return []
    money = {c: "#,##0" for c in ("difference_low", "difference_high", "swing")}
    return [
        Sheet("what it hangs on", s.table, formats=money, widths={"range_words": 80, "label": 40}),
        Sheet(
            "break-even",
            pd.DataFrame({"break-even": [s.break_even_words]}),
            widths={"break-even": 100},
        ),
    ]


def business_case_workbook(case: BusinessCase, client: str | None = None) -> bytes:
    """The business case workbook as ``.xlsx`` bytes."""
    name = client or case.position.client or "Client"
    return workbook_bytes(business_case_sheets(case), title=f"{name}: PMO business case")
