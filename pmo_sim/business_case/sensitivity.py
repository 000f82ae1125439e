"""What the business case hangs on: each assumption varied over its plausible range.

Picture the CFO asking "and if switching costs less than you say?". Each
assumption of the case (:data:`ASSUMPTIONS`) is moved, one at a time, to
the low and the high end of a documented plausible range, and both arms are
simulated again on the same random numbers; the benefit difference
(target - today) at each end is a bar of the tornado chart. For the
assumption that moves the answer most, a finer grid finds the value at
which the difference crosses zero: the break-even ("the case holds as long
as switching loss with two demands is above 6%").

An assumption that only concerns the target arm (the target tier's benefits
realised, say) re-runs the target only: today's run is unchanged on common
random numbers, so it is reused.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pmo_sim.presentation import format_value
from pmo_sim.simulation import Scenario, apply_overrides, simulate

if TYPE_CHECKING:
    from pmo_sim.business_case.case import BusinessCase
    from pmo_sim.executor import Executor
    from pmo_sim.simulation import SimulationResult

__all__ = ["ASSUMPTIONS", "Assumption", "Sensitivity", "run_sensitivity"]

#: Scenario and policy per arm, as the assumptions read and change them.
Arms = dict[str, Scenario]


@dataclass(frozen=True)
class Assumption:
    """One assumption of the case: what it is, where its range comes from, how to set it."""

    name: str
    #: Short label for the chart ("switching loss with 2 demands").
    label: str
    #: The range in plain words, with its source.
    range_words: str
    low: float
    high: float
    #: The unit of its values (``share``, ``ratio``, ``count`` or ``weeks``), as
    #: :data:`pmo_sim.presentation.UNITS` knows it.
    unit: str
    #: The arms the assumption changes.
    arms: tuple[str, ...]
    #: The value in the case as run (None: the assumption does not apply).
    base: Callable[[Arms], float | None]
    #: The arms' overrides that set the assumption to a value.
    overrides: Callable[[Arms, float], dict[str, dict[str, Any]]]
    integer: bool = False
    #: Format spec when the unit's default will not do (whole percents for a range).
    format: str = ""

    def show(self, value: float) -> str:
        """``value`` as the report writes it, through :func:`~pmo_sim.presentation.format_value`."""
        return format_value(value, self.unit, spec=self.format)


def _curve_base(arms: Arms) -> float | None:
    mt = arms["target"].policy.multitasking or arms["today"].policy.multitasking
    if mt is None or len(mt.switching_loss) < 2 or mt.switching_loss[1] <= 0:
        return None
    return mt.switching_loss[1]


def _curve_overrides(arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    out = {}
    base = _curve_base(arms) or 1.0
    for arm, scenario in arms.items():
        mt = scenario.policy.multitasking
        if mt is not None:
            curve = [min(0.95, x * value / base) for x in mt.switching_loss]
            out[arm] = {"policy.multitasking.switching_loss": curve}
    return out


def _cap_base(arms: Arms) -> float | None:
    caps = {a: s.policy.multitasking for a, s in arms.items()}
    if any(mt is None or mt.max_assignments is None for mt in caps.values()):
        return None
    target = caps["target"]
    assert target is not None and target.max_assignments is not None  # checked just above
    return float(target.max_assignments)


def _cap_overrides(arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    return {arm: {"policy.multitasking.max_assignments": int(value)} for arm in arms}


def _gain_base(arms: Arms) -> float | None:
    return arms["target"].policy.benefits_realised - arms["today"].policy.benefits_realised


def _gain_overrides(arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    share = min(1.0, arms["today"].policy.benefits_realised + value)
    return {"target": {"policy.benefits_realised": share}}


def _bias_base(arms: Arms) -> float | None:
    p = arms["target"].policy
    if p.capacity_check_weeks is None and p.rebalancing is None and p.budget_per_quarter is None:
        return None  # nothing in the target decides on planned effort totals
    return p.estimates.bias


def _bias_overrides(_arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    return {"target": {"policy.estimates.bias": value}}


def _selection_base(arms: Arms) -> float | None:
    return arms["target"].policy.selection_share


def _selection_overrides(_arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    return {"target": {"policy.selection_share": value}}


def _wip_base(arms: Arms) -> float | None:
    limit = arms["target"].policy.wip_limit
    return None if limit is None else float(limit)


def _wip_overrides(_arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    return {"target": {"policy.wip_limit": max(1, round(value))}}


def _check_base(arms: Arms) -> float | None:
    return arms["target"].policy.capacity_check_weeks


def _check_overrides(_arms: Arms, value: float) -> dict[str, dict[str, Any]]:
    return {"target": {"policy.capacity_check_weeks": value}}


#: The assumptions varied, with their plausible ranges and where the ranges come from.
ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        "switching_loss",
        "switching loss with 2 demands",
        "5% to 30% of a person's time with two demands (the whole curve scaled with it): "
        "Weinberg's 20% is a rule of thumb; task-switching experiments measure smaller "
        "losses per switch and practitioners report larger ones, so the range is wide.",
        0.05,
        0.30,
        "share",
        ("today", "target"),
        _curve_base,
        _curve_overrides,
        format=".0%",
    ),
    Assumption(
        "max_assignments",
        "most demands per person",
        "2 to 5 demands at once: 'two or three' is the reported norm (Steyn and Schnetler "
        "2015), five the end of Weinberg's table.",
        2,
        5,
        "count",
        ("today", "target"),
        _cap_base,
        _cap_overrides,
        integer=True,
        format=",.4g",
    ),
    Assumption(
        "benefits_gain",
        "benefits realised: target minus today",
        "0 (tracking benefits changes nothing) to 15 points (a third of the gap between "
        "PMI's champions and underperformers).",
        0.0,
        0.15,
        "share",
        ("target",),
        _gain_base,
        _gain_overrides,
        format=".0%",
    ),
    Assumption(
        "estimate_bias",
        "target tier's actual / planned effort",
        "1.0 (unbiased plans) to 1.27 (as optimistic as today, Flyvbjerg and Budzier 2011).",
        1.0,
        1.27,
        "ratio",
        ("target",),
        _bias_base,
        _bias_overrides,
    ),
    Assumption(
        "selection_share",
        "share of proposals screened out",
        "0 to 20% of recurring proposals without a deadline; no published figure.",
        0.0,
        0.20,
        "share",
        ("target",),
        _selection_base,
        _selection_overrides,
        format=".0%",
    ),
    Assumption(
        "wip_limit",
        "target tier's WIP limit (projects)",
        "from 0.6 to 1.4 times the derived limit: the headroom over Little's law is a "
        "judgement (the bundled 1.5 is itself a rule of thumb).",
        0.6,
        1.4,
        "count",
        ("target",),
        _wip_base,
        _wip_overrides,
        integer=True,
        format=",.4g",
    ),
    Assumption(
        "capacity_check_weeks",
        "target tier's capacity-check window (weeks)",
        "26 to 52 weeks: two quarters to a year of committed work.",
        26,
        52,
        "weeks",
        ("target",),
        _check_base,
        _check_overrides,
        format=",.4g",
    ),
)


_COLUMNS = (
    "name",
    "label",
    "base",
    "low",
    "high",
    "difference_low",
    "difference_high",
    "swing",
    "range_words",
)


def _range(a: Assumption, base: float) -> tuple[float, float]:
    """The low and high ends; the WIP limit's range is relative to the derived limit."""
    if a.name == "wip_limit":
        return max(1.0, round(a.low * base)), max(1.0, round(a.high * base))
    return a.low, a.high


@dataclass
class Sensitivity:
    """The tornado data, the base difference and the break-even of the top assumption."""

    #: Mean benefit difference (target - today) of the case as run.
    base_difference: float
    #: One row per assumption: name, label, base, low, high, difference_low,
    #: difference_high, swing, range_words; sorted by swing, largest first.
    table: pd.DataFrame
    #: The most influential assumption's break-even value (None: no crossing in range).
    break_even: float | None
    #: The break-even in a sentence ("the case holds as long as ...").
    break_even_words: str
    #: Grid points of the top assumption: value, difference.
    grid: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""

        def clean(v: Any) -> Any:
            if isinstance(v, float | np.floating):
                return None if not math.isfinite(v) else round(float(v), 6)
            return v

        return {
            "base_difference": clean(self.base_difference),
            "assumptions": [
                {k: clean(v) for k, v in row.items()} for row in self.table.to_dict("records")
            ],
            "break_even": clean(self.break_even),
            "break_even_words": self.break_even_words,
            "grid": [{k: clean(v) for k, v in r.items()} for r in self.grid.to_dict("records")],
        }


def _difference(results: dict[str, SimulationResult]) -> float:
    today = results["today"].metrics["benefit_total"].to_numpy()
    target = results["target"].metrics["benefit_total"].to_numpy()
    return float(np.mean(target - today))


def run_sensitivity(
    case: BusinessCase, *, executor: Executor | None = None, grid_points: int = 5
) -> Sensitivity:
    """Vary each applicable assumption of ``case`` over its range, one at a time.

    Same replications and seed as the case (common random numbers); the
    most influential assumption is evaluated on ``grid_points`` values across
    its range for the break-even. The result is also kept as
    ``case.sensitivity``, so the case's JSON, report, deck and workbook show it.
    """
    case.sensitivity = _sensitivity(case, executor, grid_points)
    return case.sensitivity


def _sensitivity(case: BusinessCase, executor: Executor | None, grid_points: int) -> Sensitivity:
    from pmo_sim.executor import LocalExecutor

    if case.same_practices:
        return Sensitivity(
            0.0,
            pd.DataFrame(columns=[*_COLUMNS]),
            None,
            "Today's practices and the target tier's simulate alike, so the difference is 0 "
            "by construction and no assumption of the case can move it: what the target tier "
            "adds is outside what the model simulates.",
        )
    arms: Arms = dict(case.scenarios)
    n, seed = case.replications, case.seed
    own = executor is None
    executor = executor or LocalExecutor()
    cache: dict[tuple[str, str, float], SimulationResult] = {}

    def evaluate(a: Assumption, value: float) -> float:
        if value == a.base(arms):
            return _difference(case.results)  # the case as run: no re-run
        changes = a.overrides(arms, value)
        results = dict(case.results)
        for arm, ov in changes.items():
            key = (a.name, arm, value)
            if key not in cache:
                cache[key] = simulate(
                    apply_overrides(arms[arm], ov), n, seed, executor=executor, detail=False
                )
            results[arm] = cache[key]
        return _difference(results)

    try:
        base_difference = _difference(case.results)
        rows = []
        for a in ASSUMPTIONS:
            base = a.base(arms)
            if base is None:
                continue
            low, high = _range(a, base)
            d_low, d_high = evaluate(a, low), evaluate(a, high)
            rows.append(
                {
                    "name": a.name,
                    "label": a.label,
                    "base": base,
                    "low": low,
                    "high": high,
                    "difference_low": d_low,
                    "difference_high": d_high,
                    "swing": abs(d_high - d_low),
                    "range_words": a.range_words,
                }
            )
        table = pd.DataFrame(rows, columns=[*_COLUMNS])
        if table.empty:
            return Sensitivity(base_difference, table, None, "No assumption applies.")
        table = table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
        top = next(a for a in ASSUMPTIONS if a.name == table.loc[0, "name"])
        low, high = float(table.loc[0, "low"]), float(table.loc[0, "high"])
        values = np.linspace(low, high, grid_points)
        if top.integer:
            values = np.unique(np.round(values))
        values = np.unique(np.append(values, float(table.loc[0, "base"])))
        grid = pd.DataFrame(
            {"value": values, "difference": [evaluate(top, float(v)) for v in values]}
        )
    finally:
        if own:
            executor.close()
    crossing, words = _break_even(top, grid, base_difference, float(table.loc[0, "base"]))
    return Sensitivity(base_difference, table, crossing, words, grid)


def _break_even(
    a: Assumption, grid: pd.DataFrame, base_difference: float, base: float
) -> tuple[float | None, str]:
    """Where the benefit difference crosses zero on the grid (linear between points)."""
    x, y = grid["value"].to_numpy(), grid["difference"].to_numpy()
    crossings = []
    for i in range(len(x) - 1):
        if (y[i] > 0) != (y[i + 1] > 0):
            crossings.append(x[i] + (x[i + 1] - x[i]) * (0 - y[i]) / (y[i + 1] - y[i]))
    lo, hi = a.show(x[0]), a.show(x[-1])
    holds = base_difference > 0
    if not crossings:
        if holds and (y > 0).all():
            return None, (
                f"The case holds across the whole plausible range of the most influential "
                f"assumption, {a.label} ({lo} to {hi}): benefits stay higher at the target."
            )
        if not holds and (y <= 0).all():
            return None, (
                f"Benefits are not higher at the target anywhere in the plausible range of the "
                f"most influential assumption, {a.label} ({lo} to {hi})."
            )
        return None, f"The benefit difference changes sign only outside {lo} to {hi}."
    point = min(crossings, key=lambda c: abs(c - base))
    if a.integer:
        point = float(point)
    # Which side of the crossing keeps the target ahead?
    above = float(np.interp(min(point + (x[-1] - x[0]) / 100, x[-1]), x, y)) > 0
    side = "above" if above else "below"
    lead = "The case holds as long as" if holds else "Benefits would be higher at the target if"
    return float(
        point
    ), f"{lead} {a.label} is {side} {a.show(point)} (today's assumption: {a.show(base)})."
