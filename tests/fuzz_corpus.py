"""A seeded corpus of hostile inputs: every file kind, every command's options.

Each case starts from a bundled file that is valid (a scenario, the
questionnaire, the practices, a manifest, a responses table, an assessment
JSON, a project history) and breaks it the way people and tools do: a value replaced by a
hostile one (``.inf``, ``-1``, ``10**30``, ``=cmd|...``, ``$\\frac{``, a
list where a number goes), a key removed, added or written twice, the text
truncated, re-encoded, sprinkled with bytes or with an alias bomb. Then a
command that reads that kind of file is run on it with options drawn the
same way (``--seed``, ``-n``, ``--set``, ``--grid``, ``--target``, ``--out``).

A case is a plain description (:class:`Case`), drawn from
``random.Random(seed)``: the same seed gives the same corpus, so a failure
is replayed by its id. :func:`materialise` writes its files.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "questionnaires" / "examples"

SEEDS: dict[str, Path] = {
    "scenario": ROOT / "scenarios" / "baseline.yaml",
    "questionnaire": ROOT / "questionnaires" / "strategic_pmo.yaml",
    "practices": ROOT / "scenarios" / "practices.yaml",
    "responses": EXAMPLES / "northgate_long.csv",
    "wide_responses": EXAMPLES / "vantor_wide.csv",
    "history": ROOT / "scenarios" / "examples" / "harbourline_history.csv",
}
KINDS = (
    "scenario", "questionnaire", "practices", "manifest", "responses", "assessment", "history",
)  # fmt: skip

HOSTILE_VALUES: list[Any] = [
    float("inf"), float("-inf"), float("nan"), 1e308, -1, 0, -0.5, 10**30, 2**63, 1e-300,
    "", " ", "none", "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")", "+1+1", "@SUM(1)",
    "-2+3", "$\\frac{", "Fund 50$% - 20$%", "<script>alert(1)</script>", "R&D \"x\" 'y'",
    "\t=1", "x" * 5000, "é" * 50, None, True, [], {}, [1, 2], {"dist": "nope"},
    {"dist": "triangular", "min": 5, "mode": 1, "max": 2}, {"dist": "lognormal"},
]  # fmt: skip

SET_VALUES = [
    "horizon_weeks=.inf", "horizon_weeks=1e9", "horizon_weeks=-1", "warmup_weeks=500",
    "roles.developer.headcount=.inf", "roles.developer.headcount=-3", "roles.nobody.x=1",
    "project_types.digital_product.arrivals.rate_per_week=1e6",
    "project_types.digital_product.arrivals.rate_per_week=.nan", "policy.wip_limit={a,b",
    "policy.wip_limit=none", "policy.wip_limit=0", "policy.priority=random", "=3", "nonsense",
    "policy..wip_limit=3", "roles.developer.weekly_cost=.inf", "max_events=10", "max_events=-1",
    "pipeline.0.arrival=-5", "objectives.revenue_growth.weight=.inf", "policy.wip_limit=[1,2]",
    "roles.developer.headcount=12",
]  # fmt: skip
GRID_VALUES = [
    "policy.wip_limit=6,8", "policy.wip_limit=3,4,", "policy.wip_limit={a,b", "policy.wip_limit=",
    "roles.developer.headcount=10,.inf", "policy.wip_limit=6,6", "nonsense", "=1,2",
    "roles.nobody.headcount=1,2", "policy.priority=fifo,wsjf", "policy.wip_limit=-1,none",
]  # fmt: skip
TARGETS = [
    "lead_time_mean<=30", "lead_time_maen<=30", "lead_time_mean<=1.2.3", "x", "wip<=.inf",
    "utilisation.developer<0.9", "utilisation.nobody<0.9", "benefit.revenue_growth>=0",
]  # fmt: skip
#: Addresses refused at once (no scheduler is started or waited for).
SCHEDULERS = [
    "notaurl", "tcp://127.0.0.1", "http://127.0.0.1:8787", "tcp://127.0.0.1:99999",
    "tcp://127.0.0.1:1", "tcp://no-such-host.invalid:8786", "tcp://[::1:8786",
]  # fmt: skip
VALIDATE_KINDS = ["scenario", "questionnaire", "practices", "manifest", "responses", "nonsense"]
SEED_OPTIONS = ["-1", "0", "7", str(2**70), "abc", "1.5"]
REPLICATION_OPTIONS = ["0", "-3", "2", "3", str(10**9), "x"]
OUT_KINDS = ["fresh"] * 8 + ["file", "unwritable"]


@dataclass
class Case:
    """One fuzz case: which file is broken how, and which command reads it with what options."""

    index: int
    kind: str
    mutations: list[tuple[str, Any]]
    command: str
    options: list[str] = field(default_factory=list)
    out: str = "fresh"

    @property
    def id(self) -> str:
        return f"{self.index:04d}-{self.kind}-{self.command}"


# -- mutations of the data -------------------------------------------------------------------


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in nested dicts and lists."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data[:6]):
            out += _paths(value, (*prefix, i))
    return out


def _apply_data(data: Any, op: str, path: tuple, value: Any) -> Any:
    data = copy.deepcopy(data)
    if not path:
        return value if op == "replace" else data
    node = data
    for key in path[:-1]:
        node = node[key]
    last = path[-1]
    if op == "replace":
        node[last] = value
    elif op == "delete":
        del node[last]
    elif op == "add" and isinstance(node, dict):
        node[f"unknown_{last}"] = value
    return data


def _apply_text(text: str, op: str, arg: Any) -> bytes:
    data = text.encode("utf-8")
    if op == "truncate":
        return data[: int(len(data) * arg)]
    if op == "utf16":
        return text.encode("utf-16")
    if op == "latin1":
        return text.replace("a", "\xe9", 3).encode("latin-1", "replace")
    if op == "bytes":
        rng = random.Random(arg)
        cut = rng.randrange(len(data) + 1)
        return data[:cut] + bytes(rng.randrange(256) for _ in range(8)) + data[cut:]
    if op == "duplicate_line":
        lines = text.splitlines(keepends=True)
        keyed = [
            i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")
        ]
        if not keyed:
            return data
        i = keyed[arg % len(keyed)]
        return "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]]).encode("utf-8")
    if op == "alias_bomb":
        bomb = "lol0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"lol{i + 1}: &a{i + 1} [{', '.join([f'*a{i}'] * 9)}]\n" for i in range(8)
        )
        return (bomb + text).encode("utf-8")
    if op == "tabs":
        return text.replace("  ", "\t", 5).encode("utf-8")
    if op == "nul":
        return data[:50] + b"\x00" + data[50:]
    if op == "empty":
        return b""
    if op == "png":
        return b"\x89PNG\r\n\x1a\n" + data[:40]
    raise ValueError(op)


TEXT_OPS = ["truncate", "utf16", "latin1", "bytes", "duplicate_line", "alias_bomb", "tabs",
            "nul", "empty", "png"]  # fmt: skip


def _at(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


def _hostile_value(rng: random.Random, current: Any) -> Any:
    """A hostile value; for a number, usually a plausible-looking change of it."""
    if isinstance(current, int | float) and not isinstance(current, bool) and rng.random() < 0.7:
        return rng.choice([current * 10, current * 1000, -current, 0, current + 0.5,
                           int(current) + 1, str(current), float("inf"), float("nan")])  # fmt: skip
    return rng.choice(HOSTILE_VALUES)


def _draw_mutations(rng: random.Random, data: Any) -> list[tuple[str, Any]]:
    mutations: list[tuple[str, Any]] = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if rng.random() < 0.8:
            paths = _paths(data)
            path = rng.choice(paths) if paths else ()
            op = rng.choice(["replace", "replace", "replace", "delete", "add"])
            mutations.append(("data", (op, path, _hostile_value(rng, _at(data, path)))))
        else:
            op = rng.choice(TEXT_OPS)
            arg = {"truncate": rng.random(), "bytes": rng.randrange(10**6),
                   "duplicate_line": rng.randrange(1000)}.get(op)  # fmt: skip
            mutations.append(("text", (op, arg)))
    return mutations


# -- the commands ---------------------------------------------------------------------------

COMMANDS: dict[str, list[str]] = {
    "scenario": [
        "validate",
        "simulate",
        "simulate",
        "compare",
        "sweep",
        "business-case",
        "read_inputs",
    ],
    "questionnaire": ["validate", "assess", "inspect"],
    "practices": ["validate", "business-case"],
    "manifest": ["validate", "read_inputs"],
    "responses": ["validate", "assess", "assess", "inspect", "read_inputs"],
    "assessment": ["business-case"],
    "history": ["validate", "calibrate"],
}


def _draw_options(rng: random.Random, command: str) -> list[str]:
    options: list[str] = []
    if (
        command in ("simulate", "compare", "sweep", "business-case", "assess")
        and rng.random() < 0.3
    ):
        options += ["--seed", rng.choice(SEED_OPTIONS)]
    if command in ("simulate", "compare", "sweep", "business-case") and rng.random() < 0.3:
        options += ["-n", rng.choice(REPLICATION_OPTIONS)]
    if command in ("simulate", "compare", "sweep") and rng.random() < 0.5:
        for _ in range(rng.choice([1, 1, 2])):
            options += ["--set", rng.choice(SET_VALUES)]
    if command in ("simulate", "compare", "sweep") and rng.random() < 0.1:
        options += ["--scheduler", rng.choice(SCHEDULERS)]
    if command == "validate" and rng.random() < 0.2:
        options += ["--kind", rng.choice(VALIDATE_KINDS)]
    if command == "sweep":
        for _ in range(rng.choice([1, 1, 2])):
            options += ["--grid", rng.choice(GRID_VALUES)]
        if rng.random() < 0.5:
            options += ["--target", rng.choice(TARGETS)]
    return options


def draw_corpus(seed: int, count: int) -> list[Case]:
    """``count`` cases from ``seed``: the same arguments give the same corpus."""
    rng = random.Random(seed)
    seeds = {kind: seed_data(kind) for kind in KINDS}
    cases = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)] if index < len(KINDS) * 2 else rng.choice(KINDS)
        command = rng.choice(COMMANDS[kind])
        cases.append(
            Case(
                index,
                kind,
                _draw_mutations(rng, seeds[kind]),
                command,
                _draw_options(rng, command),
                rng.choice(OUT_KINDS),
            )
        )
    return cases


# -- writing a case's files -------------------------------------------------------------------


def _manifest_data() -> dict[str, Any]:
    return {
        "title": "Fuzz batch",
        "engagements": [
            {"client": "Acme", "kind": "assessment", "responses": str(SEEDS["responses"])},
            {
                "client": "Beta",
                "kind": "capacity",
                "scenarios": [str(SEEDS["scenario"])],
                "replications": 2,
            },
            {
                "client": "Gamma",
                "kind": "business_case",
                "assessment": str(SEEDS["responses"]),
                "scenario": str(SEEDS["scenario"]),
            },
        ],
    }


ASSESSMENT_JSON: dict[str, Any] = {
    "client": "Acme",
    "assessed_on": "2025-03-18",
    "tier": 2,
    "tier_name": "Controlling",
    "dimensions": [],
}


def seed_data(kind: str) -> Any:
    """The valid data a case of ``kind`` starts from."""
    if kind == "manifest":
        return _manifest_data()
    if kind == "assessment":
        return assessment_seed()
    if kind in ("responses", "history"):
        import pandas as pd

        frame = pd.read_csv(SEEDS[kind], dtype=str, keep_default_na=False)
        return frame.head(60).to_dict(orient="records")
    return yaml.safe_load(SEEDS[kind].read_text(encoding="utf-8"))


_ASSESSMENT: dict[str, Any] = {}


def assessment_seed() -> dict[str, Any]:
    """The results JSON of the example responses (as `pmo-sim assess --format json` writes)."""
    if not _ASSESSMENT:
        from pmo_sim.assessment import assess_file

        _ASSESSMENT.update(assess_file(SEEDS["responses"], n_boot=100).to_dict())
    return copy.deepcopy(_ASSESSMENT)


def _text_of(kind: str, data: Any) -> str:
    if kind in ("responses", "history"):
        import pandas as pd

        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            return yaml.safe_dump(data)
        return pd.DataFrame(data).to_csv(index=False)
    if kind == "assessment":
        return json.dumps(data, default=str)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


SUFFIX = {"responses": ".csv", "history": ".csv", "assessment": ".json"}


def materialise(case: Case, folder: Path) -> Path:
    """Write the case's broken file into ``folder``; return its path."""
    data = seed_data(case.kind)
    text_ops = []
    for where, mutation in case.mutations:
        if where == "data":
            op, path, value = mutation
            with contextlib.suppress(KeyError, IndexError, TypeError):
                data = _apply_data(data, op, tuple(path), value)
        else:
            text_ops.append(mutation)
    text = _text_of(case.kind, data)
    raw = text.encode("utf-8")
    for op, arg in text_ops:
        raw = _apply_text(raw.decode("utf-8", "replace"), op, arg)
    path = folder / f"input{SUFFIX.get(case.kind, '.yaml')}"
    path.write_bytes(raw)
    return path
