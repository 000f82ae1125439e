"""The whole room at once: 50 phones join within one second and answer all 48 questions.

A real ``pmo-sim workshop serve`` process on 127.0.0.1 and a fresh answer file.
Each simulated participant is its own HTTP client (own cookies, own connections)
and goes the way a browser goes: the QR link's join page with its stylesheet
and script, the join form's POST, the questionnaire page with its script, then
one POST per answer after a pause, and a comment at the end of some dimensions.
A facilitator's page polls the board every two seconds throughout, as the
projector does (which rescores the file whenever it changed).

Measured: time to a usable page (from the participant's start to the
questionnaire and its script received), answer-save latency (POST sent to
"saved" received: committed to disk), the server's memory (RSS, sampled, and
its peak), and answers stored in the file against answers confirmed.
Pauses are compressed to keep the run short: a person reads a question and five
sentences in about 5-20 s; here each pause is 0.5-2.5 s, which makes the save
rate (about 28 answers/s) some seven times what a real room of 50 sends (about 4/s).
The clients run on the same 2 cores as the server, which only makes the figures
worse than a room of phones would see. Reference in the same run: one
participant alone on the same server, before the room arrives (with short
pauses, which do not change one participant's latencies).
Targets: p95 usable page < 3 s, p95 save < 300 ms, zero answers lost.

Run: ``.venv/bin/python benchmarks/bench_room.py [--participants 50]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' server launcher: one way to start the server

from pmo_sim.assessment import load_questionnaire  # noqa: E402
from tests.room_process import RoomProcess, start_room  # noqa: E402

TARGET_PAGE_P95 = 3.0
TARGET_SAVE_P95 = 0.300
GROUPS = ("executive", "pmo", "project_manager", "functional_manager", "team_member")


@dataclass
class Tally:
    """What the participants measured."""

    pages: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    boards: list[float] = field(default_factory=list)
    confirmed: dict[tuple[str, str], int | None] = field(default_factory=dict)
    sent: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)


def phone(base: str) -> httpx.AsyncClient:
    """A phone's browser: its own cookies and at most a few connections."""
    limits = httpx.Limits(max_connections=4)
    return httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True, limits=limits)


async def participant(
    client: httpx.AsyncClient, code: str, name: str, group: str, start: float,
    pause: tuple[float, float], questions: list[tuple[str, str, bool]], tally: Tally,
    rng: random.Random,
) -> None:  # fmt: skip
    """One phone: join, load the questionnaire, answer every question with pauses."""
    async with client:
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        began = time.monotonic()
        page = await client.get(f"/j/{code}")
        await asyncio.gather(client.get("/static/room.css"), client.get("/static/join.js"))
        form = {"code": code, "name": name, "group": group}
        answer = await client.post("/join", data=form)
        await client.get("/static/answer.js")
        if (
            page.status_code != 200
            or answer.url.path != "/answer"
            or "data-start" not in answer.text
        ):
            tally.errors.append(f"{name}: join failed ({answer.status_code} {answer.url.path})")
            return
        tally.pages.append(time.monotonic() - began)
        for question, dimension, last_of_dimension in questions:
            await asyncio.sleep(rng.uniform(*pause))
            level = None if rng.random() < 0.05 else rng.randint(0, 4)
            tally.sent += 1
            while True:  # as the page does: retry until the server confirms
                sent = time.monotonic()
                try:
                    reply = await client.post(
                        "/api/answer", json={"question": question, "level": level}
                    )
                except httpx.HTTPError as exc:
                    tally.retries += 1
                    tally.errors.append(f"{name} {question}: {exc!r}")
                    await asyncio.sleep(0.5)
                    continue
                if reply.status_code == 200:
                    tally.saves.append(time.monotonic() - sent)
                    tally.confirmed[(name, question)] = level
                    break
                tally.errors.append(f"{name} {question}: HTTP {reply.status_code}")
                return
            if last_of_dimension and rng.random() < 0.25:
                await client.post(
                    "/api/comment",
                    json={"dimension": dimension, "comment": f"{name} on {dimension}"},
                )


async def facilitator(room: RoomProcess, stop: asyncio.Event, tally: Tally) -> None:
    """The projector: the board every two seconds while the room answers."""
    async with httpx.AsyncClient(timeout=30, follow_redirects=True) as client:
        await client.get(room.facilitator)
        version = ""
        while not stop.is_set():
            began = time.monotonic()
            reply = await client.get(f"{room.base}/facilitator/board", params={"since": version})
            tally.boards.append(time.monotonic() - began)
            version = reply.headers.get("x-board-version", version)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 2.0)


async def sample_memory(room: RoomProcess, stop: asyncio.Event, samples: list[int]) -> None:
    while not stop.is_set():
        samples.append(room.rss_kib()[0])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def run_room(
    room: RoomProcess, n: int, prefix: str, pause: tuple[float, float], seed: int
) -> tuple[Tally, list[int], float]:
    q = load_questionnaire()
    questions = [
        (question.id, d.id, i == len(d.questions) - 1)
        for d in q.dimensions
        for i, question in enumerate(d.questions)
    ]
    tally = Tally()
    stop = asyncio.Event()
    memory: list[int] = []
    rng = random.Random(seed)
    # The phones exist before the QR code goes up (making 50 clients takes a moment here).
    phones = [phone(room.base) for _ in range(n)]
    first = time.monotonic() + 0.5
    starts = sorted(first + rng.uniform(0, 1.0) for _ in range(n))  # all within one second
    code = room.code.replace("-", "")
    began = time.monotonic()
    watchers = [
        asyncio.create_task(facilitator(room, stop, tally)),
        asyncio.create_task(sample_memory(room, stop, memory)),
    ]
    await asyncio.gather(
        *(
            participant(
                phones[i],
                code,
                f"{prefix}{i:02d}",
                GROUPS[i % len(GROUPS)],
                starts[i],
                pause,
                questions,
                tally,
                random.Random(seed * 1000 + i),
            )
            for i in range(n)
        )
    )
    elapsed = time.monotonic() - began
    stop.set()
    await asyncio.gather(*watchers)
    return tally, memory, elapsed


def stored_answers(database: Path) -> dict[tuple[str, str], int | None]:
    conn = sqlite3.connect(database)
    try:
        return {
            (r, q): level
            for r, q, level in conn.execute("SELECT respondent, question, level FROM answers")
        }
    finally:
        conn.close()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--pause", type=float, nargs=2, default=(0.5, 2.5), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pause = (args.pause[0], args.pause[1])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    with tempfile.TemporaryDirectory(prefix="bench-room-") as tmp:
        database = Path(tmp) / "room.sqlite"
        room = start_room(database)
        try:
            idle_kib = room.rss_kib()[0]
            # Alone, the pauses do not change the latencies: keep that part short.
            alone, _, _ = asyncio.run(run_room(room, 1, "solo", (0.05, 0.15), args.seed))
            crowd, memory, elapsed = asyncio.run(
                run_room(room, args.participants, "p", pause, args.seed + 1)
            )
            rss_end, rss_peak = room.rss_kib()
        finally:
            room.kill()
        stored = stored_answers(database)

    confirmed = {**alone.confirmed, **crowd.confirmed}
    lost = sum(1 for key, level in confirmed.items() if key not in stored or stored[key] != level)
    sent = alone.sent + crowd.sent
    page_p95, save_p95 = pct(crowd.pages, 95), pct(crowd.saves, 95)
    ok = "OK" if page_p95 < TARGET_PAGE_P95 else "MISSED"
    ok_save = "OK" if save_p95 < TARGET_SAVE_P95 else "MISSED"
    ok_lost = "OK" if lost == 0 and sent == len(confirmed) and not crowd.errors else "MISSED"

    print(
        f"room server on {cores} cores: {args.participants} participants join within 1 s, "
        f"48 answers each, pauses {pause[0]:g}-{pause[1]:g} s (compressed from 5-20 s)"
    )
    print(f"{'':28}{'alone':>10}{'room':>10}{'ratio':>8}   target")
    rows = [
        ("usable page, median (s)", statistics.median(alone.pages),
         statistics.median(crowd.pages), ""),
        ("usable page, p95 (s)", pct(alone.pages, 95), page_p95, f"< {TARGET_PAGE_P95:g} s  {ok}"),
        ("answer save, median (ms)", 1000 * statistics.median(alone.saves),
         1000 * statistics.median(crowd.saves), ""),
        ("answer save, p95 (ms)", 1000 * pct(alone.saves, 95), 1000 * save_p95,
         f"< {TARGET_SAVE_P95 * 1000:g} ms  {ok_save}"),
        ("answer save, max (ms)", 1000 * max(alone.saves), 1000 * max(crowd.saves), ""),
        ("board refresh, p95 (ms)", 1000 * pct(alone.boards, 95), 1000 * pct(crowd.boards, 95), ""),
    ]  # fmt: skip
    for label, solo, many, target in rows:
        print(f"{label:28}{solo:10.3f}{many:10.3f}{many / solo:8.1f}x  {target}")
    print(
        f"server memory (RSS): idle {idle_kib / 1024:.0f} MiB, during the room up to "
        f"{max(memory) / 1024:.0f} MiB, peak {rss_peak / 1024:.0f} MiB, at the end "
        f"{rss_end / 1024:.0f} MiB"
    )
    print(
        f"answers: sent {sent}, confirmed {len(confirmed)}, stored {len(stored)}, lost {lost}; "
        f"retries {crowd.retries}, errors {len(crowd.errors)}   target: zero lost  {ok_lost}"
    )
    rate = len(crowd.saves) / elapsed
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"room run {elapsed:.0f} s, {rate:.0f} answers/s on average; load average now {load}")
    for line in crowd.errors[:5]:
        print(f"  error: {line}")


if __name__ == "__main__":
    main()
