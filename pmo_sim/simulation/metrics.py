"""The catalogue of summary metrics: name, label, unit, format, and which direction is better.

Every metric is computed per replication over the window from
``warmup_weeks`` to ``horizon_weeks``, then summarised across replications
as a mean with a 95% interval. ``utilisation.ROLE`` and ``benefit.OBJECTIVE``
come one per role and per objective.

This is the one place a metric is described: the CLI tables, the report
tables and prose, the business case, the what-if dashboard and the
deliverables take its label, unit, format and direction from here (through
:func:`describe_metric`), and write its numbers with
:func:`pmo_sim.presentation.format_value`. A new metric is one
:func:`register_metric` call beside the code that computes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from pmo_sim.presentation import UNBOUNDED, clip_interval, format_value

__all__ = ["METRICS", "MetricInfo", "describe_metric", "format_metric", "register_metric"]


@dataclass(frozen=True)
class MetricInfo:
    """A metric: its unit, what it measures, which direction is better, how it is shown."""

    unit: str
    #: One sentence: what is measured, over which projects or time.
    description: str
    #: "higher" or "lower" is better; "" when it depends.
    better: str
    #: A few words for a table row or chart axis ("mean lead time").
    label: str = ""
    #: Format spec of a value when the unit's default will not do (``",.0f"``).
    format: str = ""
    #: The metric's name (set by :func:`register_metric`).
    name: str = ""
    #: The values the metric can take (shares 0 to 1, counts and times from 0).
    domain: tuple[float, float] = UNBOUNDED

    def show(self, value: float | None, *, difference: bool = False) -> str:
        """``value`` written in this metric's unit and format."""
        return format_value(value, self.unit, difference=difference, spec=self.format)

    def show_interval(
        self, low: float, high: float, *, difference: bool = False
    ) -> tuple[str, str]:
        """An interval's ends as shown: a value's ends clipped to :attr:`domain` first."""
        if not difference:
            low, high = clip_interval(low, high, self.domain)
        return self.show(low, difference=difference), self.show(high, difference=difference)


#: Every metric by name, in the order tables list them.
METRICS: dict[str, MetricInfo] = {}


def register_metric(name: str, info: MetricInfo) -> MetricInfo:
    """Add metric ``name`` to :data:`METRICS` (its label defaults to the name in words)."""
    info = replace(info, name=name, label=info.label or name.replace("_", " "))
    METRICS[name] = info
    return info


for _name, _info in {
    "arrivals": MetricInfo("projects", "projects arriving in the window", "", "projects arriving"),
    "finished": MetricInfo(
        "projects", "projects finished in the window", "higher", "projects finished"
    ),
    "throughput_per_year": MetricInfo(
        "projects/year",
        "projects finished per year (52 weeks) in the window",
        "higher",
        "projects delivered per year",
    ),
    "lead_time_mean": MetricInfo(
        "weeks",
        "mean arrival-to-finish time of projects arriving in the window",
        "lower",
        "mean lead time (weeks)",
    ),
    "lead_time_p85": MetricInfo(
        "weeks",
        "85th percentile of lead time (85% of projects finish within it)",
        "lower",
        "85th-percentile lead time (weeks)",
    ),
    "wait_mean": MetricInfo(
        "weeks",
        "mean time from arrival until the first demand gets its people",
        "lower",
        "mean wait to start (weeks)",
    ),
    "on_time_share": MetricInfo(
        "share",
        "share of projects with a due week that finish by it",
        "higher",
        "share of deadline projects on time",
    ),
    "wip_mean": MetricInfo(
        "projects",
        "time-average projects admitted and not finished",
        "",
        "projects in progress (mean)",
    ),
    "backlog_mean": MetricInfo(
        "projects",
        "time-average projects waiting at intake",
        "lower",
        "projects waiting for approval (mean)",
    ),
    "utilisation": MetricInfo(
        "share", "busy people / headcount of the role, time-averaged", "", "utilisation"
    ),
    "spend": MetricInfo("money", "labour cost of project work in the window", "", "labour spend"),
    "benefit_total": MetricInfo(
        "money",
        "benefits realised in the window by delivered projects",
        "higher",
        "benefits realised",
    ),
    "benefit": MetricInfo(
        "money",
        "benefits realised in the window, credited to the objective",
        "higher",
        "benefits realised",
    ),
    "delay_cost": MetricInfo(
        "money",
        "cost of delay accrued in the window while projects were undelivered",
        "lower",
        "cost of delay accrued",
    ),
    "declined": MetricInfo(
        "projects",
        "proposals declined at arrival by selection, arriving in the window",
        "",
        "proposals declined",
    ),
    "switching_loss": MetricInfo(
        "share",
        "share of the role's busy time lost to switching between assignments (multitasking)",
        "lower",
        "time lost to switching",
    ),
    "stopped": MetricInfo(
        "projects",
        "projects stopped at a stage-gate review in the window (rebalancing)",
        "",
        "projects stopped at review",
    ),
}.items():
    register_metric(_name, _info)

_SHARE = (0.0, 1.0)
_FROM_ZERO = (0.0, math.inf)
# Benefits stay unbounded: a benefit distribution may draw negative values.
for _name, _domain in {
    "arrivals": _FROM_ZERO,
    "finished": _FROM_ZERO,
    "throughput_per_year": _FROM_ZERO,
    "lead_time_mean": _FROM_ZERO,
    "lead_time_p85": _FROM_ZERO,
    "wait_mean": _FROM_ZERO,
    "on_time_share": _SHARE,
    "wip_mean": _FROM_ZERO,
    "backlog_mean": _FROM_ZERO,
    "utilisation": _SHARE,
    "spend": _FROM_ZERO,
    "delay_cost": _FROM_ZERO,
    "declined": _FROM_ZERO,
    "switching_loss": _SHARE,
    "stopped": _FROM_ZERO,
}.items():
    METRICS[_name] = replace(METRICS[_name], domain=_domain)


def describe_metric(name: str) -> MetricInfo:
    """Catalogue entry of ``name``; ``utilisation.developer`` finds ``utilisation``.

    A per-role or per-objective metric is labelled after its role or
    objective ("developer"); an unknown name gets an empty entry.
    """
    if name in METRICS:
        return METRICS[name]
    head, _, rest = name.partition(".")
    info = METRICS.get(head)
    if info is None:
        return MetricInfo("", "", "", name.replace("_", " "), name=name)
    return replace(
        info,
        name=name,
        description=f"{info.description} ({rest})",
        label=rest.replace("_", " "),
    )


def format_metric(name: str, value: float | None, *, difference: bool = False) -> str:
    """``value`` of metric ``name`` as people read it (``"87.3%"``, ``"+2.1 pts"``)."""
    return describe_metric(name).show(value, difference=difference)
