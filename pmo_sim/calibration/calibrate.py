"""From a validated history to a fitted scenario, every number with its source.

:func:`calibrate` fits arrivals per type (:mod:`.arrivals`), effort per
type, phase and role (:mod:`.fitting`), and the roles (:mod:`.roles`), then
assembles a scenario: Poisson arrivals at the fitted rates, the phases the
history shows (task groups in Microsoft Project, ``actual_effort.PHASE.ROLE``
columns; else one phase, ``delivery``) with their demands, the roles, and
today's work in progress (the projects open at the as-of date) as pipeline
projects at week 0. The policy is
``fifo`` with no limits: a history does not say what rule the PMO used.

A role is a demand of a type when it worked on at least half of the type's
projects; rarer contributions are listed in the notes, not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pmo_sim.calibration.arrivals import ArrivalFit, fit_arrivals
from pmo_sim.calibration.fitting import EffortFit, fit_effort
from pmo_sim.calibration.history import History, slug
from pmo_sim.calibration.roles import RoleFit, fit_roles, people_per_demand
from pmo_sim.simulation import Scenario, parse_scenario

__all__ = ["Calibration", "calibrate", "wip_pipeline"]

#: Share of a type's projects a role must work on to be one of its demands.
DEMAND_SHARE = 0.5
#: Forward horizon of the written scenario (weeks).
HORIZON_WEEKS = 156


@dataclass
class Calibration:
    """A fitted scenario with the evidence for each number."""

    history: History
    arrivals: list[ArrivalFit]
    efforts: list[EffortFit]
    roles: list[RoleFit]
    #: The scenario as data (what ``scenario.yaml`` holds) and validated.
    data: dict[str, Any]
    scenario: Scenario
    #: Field path -> where the number came from (the YAML comment).
    comments: dict[tuple[Any, ...], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: (type, phase, role) -> (people, projects the estimate used).
    people: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)


def _round(value: float, digits: int = 4) -> float:
    """``digits`` significant figures: enough for a model, readable in YAML."""
    return float(f"{value:.{digits}g}")


def _rounded(dist: dict[str, Any]) -> dict[str, Any]:
    return {k: _round(v) if isinstance(v, float) else v for k, v in dist.items()}


def _median_duration(history: History, type_id: str) -> float:
    p = history.projects
    done = p[(p["type"] == type_id) & (p["status"] == "done")].dropna(subset=["start"])
    if done.empty:
        return float("nan")
    return float(((done["finish"] - done["start"]).dt.days / 7.0).median())


def wip_pipeline(history: History, at: pd.Timestamp, types: set[str]) -> list[dict[str, Any]]:
    """Projects arrived by ``at`` and not finished then, as pipeline projects at week 0.

    A started project keeps the share of its effort not yet done, estimated
    from the time it has run against its type's median duration (at least 10%).
    """
    p = history.delivered
    open_then = p[(p["created"] <= at) & (p["finish"].isna() | (p["finish"] > at))]
    out = []
    for row in open_then.itertuples():
        if row.type not in types:
            continue
        scale = 1.0
        if not pd.isna(row.start) and row.start <= at:
            typical = _median_duration(history, row.type)
            if np.isfinite(typical) and typical > 0:
                scale = float(np.clip(1 - (at - row.start).days / 7.0 / typical, 0.1, 1.0))
        out.append(
            {"id": str(row.project_id), "name": str(row.name), "type": row.type, "arrival": 0,
             "effort_scale": _round(scale, 3)}
        )  # fmt: skip
    return out


def _phase_order(history: History, type_id: str, efforts: list[EffortFit]) -> list[str]:
    """The type's phases that have demands, in the order the history first lists them."""
    fitted = {f.phase for f in efforts if f.type == type_id}
    ids = history.projects.loc[history.projects["type"] == type_id, "project_id"]
    listed = history.efforts.loc[history.efforts["project_id"].isin(ids), "phase"]
    return [p for p in dict.fromkeys(listed) if p in fitted]


def _values(
    history: History,
    types: list[str],
    data: dict[str, Any],
    comments: dict[tuple[Any, ...], str],
    notes: list[str],
) -> None:
    """Benefit per week and alignment per type, from planned benefits and objectives."""
    p = history.delivered
    if "planned_benefit" in p and p["planned_benefit"].notna().any():
        for type_id in types:
            yearly = p.loc[(p["type"] == type_id), "planned_benefit"].dropna()
            yearly = yearly[yearly > 0].to_numpy()
            if not len(yearly):
                continue
            fit = fit_effort(yearly / 52.0, np.zeros(0), type=type_id, role="benefit")
            value = data["project_types"][type_id].setdefault("value", {})
            value["benefit_per_week"] = _rounded(fit.distribution)
            comments[("project_types", type_id, "value", "benefit_per_week")] = (
                "planned benefit per year / 52; " + fit.comment()
            )
    objectives = p.loc[p["objective"].astype(str).str.strip() != "", "objective"].astype(str)
    if objectives.empty:
        return
    ids = {name: slug(name, "objective") for name in dict.fromkeys(objectives.str.strip())}
    data["objectives"] = {oid: {"weight": 1.0, "description": name} for name, oid in ids.items()}
    for oid in ids.values():
        comments[("objectives", oid)] = "weight not in the history: 1 each, for the client to set"
    for type_id in types:
        mine = p.loc[p["type"] == type_id, "objective"].astype(str).str.strip()
        mine = mine[mine != ""]
        if mine.empty:
            continue
        shares = mine.map(ids).value_counts(normalize=True)
        value = data["project_types"][type_id].setdefault("value", {})
        value["alignment"] = {oid: _round(float(share), 3) for oid, share in shares.items()}
        comments[("project_types", type_id, "value", "alignment")] = (
            f"share of the type's {len(mine)} projects serving each objective"
        )
    notes.append(
        f"{len(ids)} strategic objectives from the history, each weighted 1: set the weights "
        "with the client before using strategic_score."
    )


def _demands(history: History, notes: list[str]) -> list[EffortFit]:
    """Fit every (type, role) that is a demand of the type."""
    eff = history.efforts.merge(history.projects[["project_id", "type", "status"]], on="project_id")
    eff = eff[eff["status"] != "cancelled"]
    fits = []
    for (type_id, phase, role), rows in eff.groupby(["type", "phase", "role"], sort=True):
        projects = (history.delivered["type"] == type_id).sum()
        used = rows[rows["actual"] > 0]
        if len(used) < DEMAND_SHARE * projects:
            if used.empty:
                continue
            notes.append(
                f"Role {role} worked on {len(used)} of {projects} {type_id} projects "
                f"({used['actual'].sum():.0f} person-weeks): too rare to be a demand, left out."
            )
            continue
        finished = used.loc[~used["censored"], "actual"].to_numpy()
        censored = used.loc[used["censored"], "actual"].to_numpy()
        fits.append(fit_effort(finished, censored, type=type_id, phase=phase, role=role))
    return fits


def calibrate(history: History, horizon_weeks: float = HORIZON_WEEKS) -> Calibration:
    """Fit a scenario to ``history``; raise InputError if it cannot give a valid one."""
    notes = list(history.notes)
    cancelled = history.projects[history.projects["status"] == "cancelled"]
    if len(cancelled):
        spent = history.efforts[history.efforts["project_id"].isin(cancelled["project_id"])]
        notes.append(
            f"{len(cancelled)} cancelled projects ({spent['actual'].sum():.0f} person-weeks) are "
            "left out of the fit: the model has no cancellation."
        )
    efforts = _demands(history, notes)
    arrivals = {a.type: a for a in fit_arrivals(history)}
    types = sorted({f.type for f in efforts})
    for type_id in sorted(set(arrivals) - set(types)):
        notes.append(f"Type {type_id} has no effort data: it is left out of the scenario.")
    for effort in efforts:
        if effort.note:
            notes.append(f"{effort.type} / {effort.role}: {effort.note}.")
    for arrival in arrivals.values():
        if arrival.note and arrival.type in types:
            notes.append(arrival.note)
    roles = fit_roles(history, sorted({f.role for f in efforts}))
    by_role = {r.role: r for r in roles}
    comments: dict[tuple[Any, ...], str] = {}
    data: dict[str, Any] = {
        "name": f"Calibrated from {history.source}",
        "description": (
            f"Fitted by pmo-sim calibrate to {len(history.projects)} projects, "
            f"{history.start.date()} to {history.as_of.date()} ({history.layout} layout)."
        ),
        "horizon_weeks": horizon_weeks,
        "roles": {},
        "project_types": {},
    }
    for r in roles:
        data["roles"][r.role] = {
            "headcount": r.headcount, "availability": r.availability, "weekly_cost": r.weekly_cost,
        }  # fmt: skip
        comments[("roles", r.role, "headcount")] = r.headcount_source
        comments[("roles", r.role, "availability")] = r.availability_source
        comments[("roles", r.role, "weekly_cost")] = r.cost_source
    people: dict[tuple[str, str, str], tuple[int, int]] = {}
    for type_id in types:
        arrival = arrivals[type_id]
        phases: list[dict[str, Any]] = []
        for k, phase in enumerate(_phase_order(history, type_id, efforts)):
            demands: list[dict[str, Any]] = []
            for fit in (f for f in efforts if f.type == type_id and f.phase == phase):
                role = by_role[fit.role]
                n_people, used = people_per_demand(
                    history, type_id, fit.role, role.availability, phase
                )
                n_people = min(n_people, role.headcount)
                people[(type_id, phase, fit.role)] = (n_people, used)
                where = ("project_types", type_id, "phases", k, "demands", len(demands))
                demands.append(
                    {"role": fit.role, "people": n_people, "effort": _rounded(fit.distribution)}
                )
                comments[(*where, "effort")] = fit.comment()
                comments[(*where, "people")] = (
                    f"median effort / (duration x availability) over {used} finished projects"
                    if used
                    else "no finished project with a duration: 1 assumed"
                )
            phases.append({"name": phase, "demands": demands})
        data["project_types"][type_id] = {
            "arrivals": {"process": "poisson", "rate_per_week": _round(arrival.rate_per_week)},
            "phases": phases,
        }
        comments[("project_types", type_id, "arrivals")] = arrival.comment()
    comments[("horizon_weeks",)] = (
        f"forward horizon from the as-of date ({horizon_weeks:g} weeks): not fitted"
    )
    data["policy"] = {"priority": "fifo"}
    comments[("policy",)] = (
        "not in the history: first come, first served, no WIP limit or budget cap"
    )
    _values(history, types, data, comments, notes)
    pipeline = wip_pipeline(history, history.as_of, set(types))
    if pipeline:
        data["pipeline"] = pipeline
        comments[("pipeline",)] = (
            f"{len(pipeline)} projects open on {history.as_of.date()}; effort_scale = share of "
            "effort left, from time run vs the type's median duration"
        )
    order = ("name", "description", "horizon_weeks", "objectives", "roles", "project_types",
             "pipeline", "policy")  # fmt: skip
    data = {k: data[k] for k in (*order, *data) if k in data}
    scenario = parse_scenario(data, source=f"scenario fitted to {history.source}")
    return Calibration(
        history=history, arrivals=list(arrivals.values()), efforts=efforts, roles=roles,
        data=data, scenario=scenario, comments=comments, notes=notes, people=people,
    )  # fmt: skip
