"""Digests of simulation outputs, for the backward-compatibility golden (``pre_i12.json``).

The golden values were computed with the model as it was before issue 12 (commit
c4b4b47, before multitasking, estimates, selection and benefits tracking) by running
``python tests/golden/digest.py`` there; ``tests/test_sim_backward_compat.py``
recomputes them with today's code. Digests cover the arrays the model produces
(projects, weekly figures, metrics) bit for bit, not a file format, so a change of
CSV writer does not disturb them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("pre_i12.json")

#: (label, scenario file, overrides): every policy path the model has today.
CASES = (
    ("baseline", "scenarios/baseline.yaml", {}),
    ("wip_limit", "scenarios/wip_limit.yaml", {}),
    ("budget_cap", "scenarios/budget_cap.yaml", {}),
    ("priority_wsjf", "scenarios/priority_wsjf.yaml", {}),
    (
        "tier4_policy",
        "scenarios/baseline.yaml",
        {
            "policy.priority": "wsjf",
            "policy.wip_limit": 43,
            "policy.capacity_check_weeks": 39,
            "policy.rebalancing": {"action": "stop", "overrun": 0.25},
        },
    ),
    (
        "defer_value",
        "scenarios/baseline.yaml",
        {
            "policy.priority": "value_per_effort",
            "policy.rebalancing": {"action": "defer", "overrun": 0.1},
        },
    ),
)
REPLICATIONS = 3
SEED = 7

#: Multitasking (resource spreading) on every policy path, hiring and leavers included.
#: ``multitasking.json`` holds their digests from the first multitasking model (commit
#: 3d8f018, before the pool's speed-ups), so a speed-up that changes no result proves it.
MULTITASKING_GOLDEN = Path(__file__).with_name("multitasking.json")
_MT3 = {"policy.multitasking": {"max_assignments": 3}}
MULTITASKING_CASES = (
    ("cap_3", "scenarios/baseline.yaml", _MT3),
    ("no_cap", "scenarios/baseline.yaml", {"policy.multitasking": {"max_assignments": None}}),
    ("cap_1", "scenarios/baseline.yaml", {"policy.multitasking": {"max_assignments": 1}}),
    ("no_loss", "scenarios/baseline.yaml", {"policy.multitasking": {"switching_loss": [0.0]}}),
    (
        "cap_2_wip_wsjf",
        "scenarios/baseline.yaml",
        {
            "policy.multitasking": {"max_assignments": 2},
            "policy.wip_limit": 43,
            "policy.priority": "wsjf",
        },
    ),
    ("hiring", "scenarios/hire_developers.yaml", _MT3),
    # The policy paths above, with people spread over up to 3 demands each.
    *(
        (label, path, {**_MT3, **overrides})
        for label, path, overrides in CASES
        if label in ("budget_cap", "tier4_policy", "defer_value")
    ),
)


def _feed(h, value) -> None:
    if isinstance(value, dict):
        for key in sorted(value):
            h.update(str(key).encode())
            _feed(h, value[key])
    elif isinstance(value, list | tuple):
        for item in value:
            _feed(h, item)
    elif isinstance(value, np.ndarray):
        h.update(str(value.dtype).encode() + str(value.shape).encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, float):
        h.update(value.hex().encode())
    else:
        h.update(repr(value).encode())


def digest(path: str, overrides: dict) -> str:
    """SHA-256 over every replication's projects, weekly arrays and metrics."""
    from pmo_sim.simulation import load_scenario
    from pmo_sim.simulation.plan import compile_plan
    from pmo_sim.simulation.replications import run_replication

    plan = compile_plan(load_scenario(ROOT / path, overrides))
    h = hashlib.sha256()
    for r in range(REPLICATIONS):
        res = run_replication(plan, SEED, r, detail=True)
        _feed(h, res.metrics)
        _feed(h, res.projects)
        _feed(h, res.weekly)
    return h.hexdigest()


def business_case_digest(client: str, target: int | None) -> str:
    """SHA-256 over both arms' per-replication metrics of a business case."""
    from pmo_sim.business_case import load_practices, read_position, run_business_case
    from pmo_sim.executor import LocalExecutor
    from pmo_sim.simulation import load_scenario

    case = run_business_case(
        read_position(ROOT / f"questionnaires/examples/{client}_long.csv"),
        load_scenario(ROOT / "scenarios/baseline.yaml"),
        load_practices(Path(__file__).with_name("practices_pre_i12.yaml")),
        target_tier=target,
        replications=REPLICATIONS,
        seed=SEED,
        executor=LocalExecutor(1),
    )
    h = hashlib.sha256()
    for arm in ("today", "target"):
        _feed(h, case.results[arm].metrics.to_dict(orient="list"))
    return h.hexdigest()


def compute() -> dict[str, str]:
    """Every digest, keyed by case label."""
    out = {label: digest(path, ov) for label, path, ov in CASES}
    for client in ("northgate", "vantor"):
        out[f"business_case.{client}"] = business_case_digest(client, None)
    return out


def compute_multitasking() -> dict[str, str]:
    """Every multitasking digest, keyed by case label."""
    return {label: digest(path, ov) for label, path, ov in MULTITASKING_CASES}


if __name__ == "__main__":
    # ``python tests/golden/digest.py [multitasking]``: re-record one golden file.
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["multitasking"]:
        target, values = MULTITASKING_GOLDEN, compute_multitasking()
    else:
        target, values = GOLDEN, compute()
    target.write_text(json.dumps(values, indent=2) + "\n")
    print(target.read_text())
