"""A killed run leaves no process behind: SIGKILL of `pmo-sim batch` with workers and kernels.

Every process the run starts inherits a marker in its environment, so the
test finds them all in /proc, whatever they were reparented to.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _marked(mark: str) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() in (entry / "environ").read_bytes():
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return {pid: cmd.decode(errors="replace")[:120] for pid, cmd in found.items()}


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_sigkill_of_batch_leaves_no_worker_kernel_or_forkserver(root, tmp_path):
    examples = root / "questionnaires" / "examples"
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "engagements:\n"
        + "".join(
            f"  - {{client: C{i}, kind: assessment, responses: {examples / name}}}\n"
            for i, name in enumerate(["harbourline_long.csv", "vantor_wide.csv"] * 2)
        ),
        encoding="utf-8",
    )
    mark = f"pmo-sim-orphan-test-{uuid.uuid4().hex}"
    env = dict(os.environ, PMO_SIM_ORPHAN_TEST=mark)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pmo_sim",
            "batch",
            str(manifest),
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Kill it while notebooks run: a kernel is up under a pool worker.
        started = _wait_for(
            lambda: any("ipykernel" in c for c in _marked(mark).values()), seconds=150
        )
        assert started, f"no kernel started: {_marked(mark)}"
        assert len(_marked(mark)) >= 5  # run, resource tracker, forkserver, 2 workers (+kernels)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert _wait_for(lambda: not _marked(mark), seconds=15), _marked(mark)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in _marked(mark):  # never leave them to the next test
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
