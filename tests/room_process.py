"""A real ``pmo-sim workshop serve`` process for tests and the load benchmark.

Started as a facilitator would start it (the CLI, its own process group),
ready once ``/healthz`` answers; the links it prints are parsed from its output.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RoomProcess:
    """A running room server: its process, address, code and facilitator link."""

    process: subprocess.Popen
    port: int
    log: Path
    code: str = ""
    facilitator: str = ""
    participant: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the server's process group and wait for it to end."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def rss_kib(self) -> tuple[int, int]:
        """The server's resident memory now and at its peak (KiB, from /proc)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        now = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
        return now, peak


def start_room(
    database: Path, *extra: str, port: int | None = None, timeout: float = 60
) -> RoomProcess:
    """Start the server on ``database`` and wait until it answers (or fail with its log)."""
    port = port or free_port()
    log = database.with_name(f"{database.name}.{port}.log")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    out = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "pmo_sim", "workshop", "serve", str(database),
         "--port", str(port), *extra],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    out.close()
    room = RoomProcess(process=process, port=port, log=log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{room.base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            room.kill()
            raise RuntimeError(f"server did not start within {timeout} s:\n{log.read_text()}")
        time.sleep(0.2)
    room.lines = log.read_text().splitlines()
    for line in room.lines:
        if line.startswith("Join code:"):
            room.code = line.split(":", 1)[1].strip()
        elif line.startswith("Facilitator:"):
            room.facilitator = line.split(":", 1)[1].strip()
        elif line.startswith("Participants:"):
            room.participant = line.split(":", 1)[1].strip()
    return room
