"""Priority rules: who leaves the intake backlog first and who gets a freed person.

Picture the Monday portfolio meeting with three projects waiting and one
developer free. Under ``fifo`` the oldest request wins; under ``wsjf`` the
one that loses most money per week of waiting, per week of work left. A rule
is a name, a short label (for dropdowns and tables), a sentence for the
report ("projects ... get people first") and the ordering key the model
uses: a number per project, lower goes first, ties first come, first served.

Rules are registered by name in :data:`PRIORITY_RULES`; a scenario's
``policy.priority``, a practices file's ``tiers.N.priority``, the what-if
dropdown and the business-case prose are all derived from it, so a new rule
is one :func:`register_priority_rule` call (in a module imported before the
scenario is read, and, for process or Dask workers, importable there too).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from pydantic import AfterValidator, WithJsonSchema

__all__ = [
    "PRIORITY_RULES",
    "PriorityName",
    "PriorityRule",
    "Ranked",
    "check_priority_rule",
    "priority_rule",
    "register_priority_rule",
]


class Ranked(Protocol):
    """What a rule may read of a project: its value, remaining planned effort and due week."""

    @property
    def value(self) -> Any:
        """What it is worth: ``strategic_score``, ``cost_of_delay``, ``planned_benefit``."""
        ...

    @property
    def remaining(self) -> float:
        """Planned person-weeks not yet done."""
        ...

    @property
    def due(self) -> float:
        """Due week, NaN when none."""
        ...


@dataclass(frozen=True)
class PriorityRule:
    """A priority rule: its name, how people call it, and the key the model sorts by."""

    #: The name a scenario uses (``policy.priority: wsjf``).
    name: str
    #: A few words for a dropdown or a table ("WSJF (cost of delay / duration)").
    label: str
    #: Completes "Under this rule, ...": lower case, no final full stop.
    description: str
    #: The project's place in the queue: lower goes first, ties first come, first served.
    key: Callable[[Ranked], float]


#: Every rule by name, in the order they are offered.
PRIORITY_RULES: dict[str, PriorityRule] = {}


def register_priority_rule(rule: PriorityRule) -> PriorityRule:
    """Add ``rule`` to :data:`PRIORITY_RULES` (a rule of the same name is replaced)."""
    PRIORITY_RULES[rule.name] = rule
    return rule


def priority_rule(name: str) -> PriorityRule:
    """The rule called ``name``; ValueError naming the known rules otherwise."""
    try:
        return PRIORITY_RULES[name]
    except KeyError:
        raise ValueError(
            f"unknown priority rule {name!r}; choose from {', '.join(map(repr, PRIORITY_RULES))}"
        ) from None


def check_priority_rule(name: str) -> str:
    """Pydantic validator: ``name`` if it is a registered rule."""
    priority_rule(name)
    return name


#: A scenario or practices field naming a priority rule, checked against the registry
#: when the file is read (so a rule registered later is accepted too).
PriorityName = Annotated[
    str,
    AfterValidator(check_priority_rule),
    WithJsonSchema({"type": "string", "description": "a registered priority rule"}),
]

_INF = math.inf


def _fifo(_p: Ranked) -> float:
    return 0.0


def _strategic_score(p: Ranked) -> float:
    return -p.value.strategic_score


def _wsjf(p: Ranked) -> float:
    return -p.value.cost_of_delay / p.remaining if p.remaining > 0 else -_INF


def _value_per_effort(p: Ranked) -> float:
    return -p.value.planned_benefit / p.remaining if p.remaining > 0 else -_INF


def _earliest_due(p: Ranked) -> float:
    return _INF if math.isnan(p.due) else p.due


register_priority_rule(
    PriorityRule(
        "fifo",
        "first come, first served",
        "projects are approved and staffed first come, first served",
        _fifo,
    )
)
register_priority_rule(
    PriorityRule(
        "strategic_score",
        "strategic score",
        "projects are ranked by strategic score (objective weight x alignment) and the "
        "highest-ranked get people first",
        _strategic_score,
    )
)
register_priority_rule(
    PriorityRule(
        "wsjf",
        "WSJF (cost of delay / duration)",
        "projects are ranked by cost of delay per week of remaining planned effort "
        "(weighted shortest job first) and the highest-ranked get people first",
        _wsjf,
    )
)
register_priority_rule(
    PriorityRule(
        "value_per_effort",
        "value per effort",
        "projects are ranked by planned benefit per week of remaining planned effort and "
        "the highest-ranked get people first",
        _value_per_effort,
    )
)
register_priority_rule(
    PriorityRule(
        "earliest_due",
        "earliest due date",
        "projects with the earliest deadline get people first",
        _earliest_due,
    )
)
