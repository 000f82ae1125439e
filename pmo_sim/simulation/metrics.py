"""The catalogue of summary metrics: name, unit, meaning, and which direction is better.

Every metric is computed per replication over the window from
``warmup_weeks`` to ``horizon_weeks``, then summarised across replications
as a mean with a 95% interval. ``utilisation.ROLE`` and ``benefit.OBJECTIVE``
come one per role and per objective.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["METRICS", "MetricInfo", "describe_metric"]


@dataclass(frozen=True)
class MetricInfo:
    unit: str
    description: str
    #: "higher" or "lower" is better; "" when it depends.
    better: str


METRICS: dict[str, MetricInfo] = {
    "arrivals": MetricInfo("projects", "projects arriving in the window", ""),
    "finished": MetricInfo("projects", "projects finished in the window", "higher"),
    "throughput_per_year": MetricInfo(
        "projects/year", "projects finished per year (52 weeks) in the window", "higher"
    ),
    "lead_time_mean": MetricInfo(
        "weeks", "mean arrival-to-finish time of projects arriving in the window", "lower"
    ),
    "lead_time_p85": MetricInfo(
        "weeks", "85th percentile of lead time (85% of projects finish within it)", "lower"
    ),
    "wait_mean": MetricInfo(
        "weeks", "mean time from arrival until the first demand gets its people", "lower"
    ),
    "on_time_share": MetricInfo(
        "share", "share of projects with a due week that finish by it", "higher"
    ),
    "wip_mean": MetricInfo("projects", "time-average projects admitted and not finished", ""),
    "backlog_mean": MetricInfo("projects", "time-average projects waiting at intake", "lower"),
    "utilisation": MetricInfo("share", "busy people / headcount of the role, time-averaged", ""),
    "spend": MetricInfo("money", "labour cost of project work in the window", ""),
    "benefit_total": MetricInfo(
        "money", "benefits realised in the window by delivered projects", "higher"
    ),
    "benefit": MetricInfo(
        "money", "benefits realised in the window, credited to the objective", "higher"
    ),
    "delay_cost": MetricInfo(
        "money", "cost of delay accrued in the window while projects were undelivered", "lower"
    ),
    "declined": MetricInfo(
        "projects", "proposals declined at arrival by selection, arriving in the window", ""
    ),
    "stopped": MetricInfo(
        "projects", "projects stopped at a stage-gate review in the window (rebalancing)", ""
    ),
}


def describe_metric(name: str) -> MetricInfo:
    """Catalogue entry of ``name``; ``utilisation.developer`` finds ``utilisation``."""
    if name in METRICS:
        return METRICS[name]
    head, _, rest = name.partition(".")
    info = METRICS.get(head)
    if info is None:
        return MetricInfo("", "", "")
    return MetricInfo(info.unit, f"{info.description} ({rest})", info.better)
