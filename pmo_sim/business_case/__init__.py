"""The PMO business case: what moving to the target tier does to the client's portfolio.

From the assessed tier (:func:`read_position`, a results JSON or a
responses file) and the client's capacity scenario, the practices file
(:func:`load_practices`, ``scenarios/practices.yaml``) says which portfolio
practices are in place today and at the target tier; :func:`run_business_case`
simulates both on common random numbers and returns a :class:`BusinessCase`
with each difference and its 95% interval, and the assumptions in plain words;
:func:`run_sensitivity` varies each assumption over its plausible range.
"""

from pmo_sim.business_case.case import (
    ARMS,
    BusinessCase,
    capacity_wip,
    run_business_case,
)
from pmo_sim.business_case.client import ClientPosition, read_position
from pmo_sim.business_case.practices import (
    DEFAULT_PRACTICES,
    PRACTICES,
    PracticeChoice,
    Practices,
    TierPractices,
    load_practices,
    resolve_practices,
)
from pmo_sim.business_case.prose import (
    HEADLINE_METRICS,
    case_assumptions,
    case_findings,
    describe_practice,
)
from pmo_sim.business_case.sensitivity import (
    ASSUMPTIONS,
    Assumption,
    Sensitivity,
    run_sensitivity,
)
from pmo_sim.business_case.workflow import business_case_files

__all__ = [
    "ARMS",
    "ASSUMPTIONS",
    "DEFAULT_PRACTICES",
    "HEADLINE_METRICS",
    "PRACTICES",
    "Assumption",
    "BusinessCase",
    "ClientPosition",
    "PracticeChoice",
    "Practices",
    "Sensitivity",
    "TierPractices",
    "business_case_files",
    "capacity_wip",
    "case_assumptions",
    "case_findings",
    "describe_practice",
    "load_practices",
    "read_position",
    "resolve_practices",
    "run_business_case",
    "run_sensitivity",
]
