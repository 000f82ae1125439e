"""Batch reports: 20 assessment reports, the kit's batch against the naive way, in one run.

The naive way is what a consultant would script by hand: for each client,
the ``papermill`` CLI, then ``jupyter nbconvert --to html --no-input``, one
after the other. The kit's way is ``pmo-sim batch`` with worker processes
(default: the cores), papermill's Python API and an in-process HTML export.
Prints both times and the ratio (target: at least 3x on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_batch.py [--reports 20]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "maturity_assessment.ipynb"
EXAMPLES = ROOT / "questionnaires" / "examples"


def _responses() -> list[Path]:
    files = sorted(EXAMPLES.glob("*_long.csv")) + sorted(EXAMPLES.glob("*_wide.csv"))
    if not files:
        raise SystemExit("no example responses under questionnaires/examples")
    return files


def naive(n: int, work: Path) -> float:
    files = _responses()
    start = time.perf_counter()
    for i in range(n):
        executed = work / f"client{i:02d}.ipynb"
        subprocess.run(
            [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-k", "pmo-sim",
             "-p", "client", f"Client {i:02d}", "-p", "responses", str(files[i % len(files)]),
             "-p", "output_dir", str(work), "--no-progress-bar"],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True, capture_output=True,
        )  # fmt: skip
    return time.perf_counter() - start


def kit(n: int, work: Path, workers: int | None) -> float:
    files = _responses()
    manifest = work / "manifest.yaml"
    lines = ["title: Benchmark batch", "engagements:"]
    for i in range(n):
        lines += [
            f"  - client: Client {i:02d}",
            "    kind: assessment",
            f"    responses: {files[i % len(files)]}",
        ]
    manifest.write_text("\n".join(lines) + "\n")
    args = [str(BIN / "pmo-sim"), "batch", str(manifest), "--out", str(work / "out")]
    if workers:
        args += ["--workers", str(workers)]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pmo-bench-batch-"))
    try:
        (work / "naive").mkdir()
        (work / "kit").mkdir()
        t_kit = kit(args.reports, work / "kit", args.workers)
        print(
            f"kit batch   ({args.reports} reports): {t_kit:7.1f} s "
            f"({t_kit / args.reports:.2f} s/report)",
            flush=True,
        )
        t_naive = naive(args.reports, work / "naive")
        print(
            f"naive CLIs  ({args.reports} reports): {t_naive:7.1f} s "
            f"({t_naive / args.reports:.2f} s/report)"
        )
        print(f"speed-up: {t_naive / t_kit:.2f}x (target >= 3x on 2 cores)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
