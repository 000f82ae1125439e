"""``make demo``: the kit's main job end to end on the bundled examples.

Each step prints what it produced and where. Steps are added as the kit
grows: score the example assessments, simulate the bundled scenarios,
batch-generate the reports, print the report index.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pmo_sim.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]


def _run(title: str, args: list[str]) -> None:
    print(f"\n=== {title}\n$ pmo-sim {' '.join(args)}", flush=True)
    code = cli(args)
    if code != 0:
        raise SystemExit(f"demo step failed ({title}): exit {code}")


def step_validate(out: Path) -> None:
    files = sorted(
        str(p.relative_to(ROOT))
        for pattern in ("questionnaires/*.yaml", "scenarios/*.yaml", "scenarios/*/*.yaml")
        for p in ROOT.glob(pattern)
    )
    if files:
        _run("Validate the bundled inputs", ["validate", *files])


STEPS: list[Callable[[Path], None]] = [step_validate]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out", type=Path)
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for step in STEPS:
        step(out)
    print(f"\nDemo finished in {time.perf_counter() - start:.1f} s; everything is under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
