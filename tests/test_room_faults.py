"""The room server dies, or is started twice: no saved answer is lost, nobody is confused.

Real ``pmo-sim workshop serve`` processes on a real SQLite file, killed with SIGKILL.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading

import httpx
import pytest

from tests.room_process import ROOT, free_port, start_room

QUESTIONS = [
    f"{prefix}{i}"
    for prefix in ("AL", "PF", "PR", "CA", "FI", "BE", "RI", "PE", "ME", "EN", "CI", "PC")
    for i in range(1, 5)
]


def _stored(database) -> dict[tuple[str, str], int | None]:
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute("SELECT respondent, question, level FROM answers").fetchall()
    finally:
        conn.close()
    return {(r, q): level for r, q, level in rows}


def _joined(base: str, code: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10, follow_redirects=True)
    joined = client.post("/join", data={"code": code, "name": name, "group": "pmo"})
    assert joined.status_code == 200 and joined.url.path == "/answer", joined.text[:500]
    return client


@pytest.mark.slow
def test_sigkill_mid_session_loses_no_saved_answer_and_tokens_survive(tmp_path):
    from pmo_sim.assessment import load_questionnaire

    questions = list(load_questionnaire().questions)
    assert questions[:4] == QUESTIONS[:4]
    database = tmp_path / "room.sqlite"
    room = start_room(database)
    phones = {name: _joined(room.base, room.code, name) for name in ("Ada", "Bo", "Cem")}
    confirmed: dict[tuple[str, str], int] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def answer_all(name: str, client: httpx.Client) -> None:
        for i, question in enumerate(questions):
            level = (i + len(name)) % 5
            try:
                reply = client.post("/api/answer", json={"question": question, "level": level})
            except httpx.HTTPError:
                return  # the server is gone: this answer was never confirmed
            if reply.status_code != 200:
                return
            with lock:
                confirmed[(name, question)] = level
                if len(confirmed) >= 40:
                    enough.set()

    threads = [threading.Thread(target=answer_all, args=item) for item in phones.items()]
    for t in threads:
        t.start()
    assert enough.wait(60), "answers did not arrive"
    room.kill(signal.SIGKILL)  # mid-stream: the threads are still sending
    for t in threads:
        t.join(30)
    stored = _stored(database)
    assert len(confirmed) >= 40
    missing = {k: v for k, v in confirmed.items() if stored.get(k) != v}
    assert missing == {}, f"{len(missing)} confirmed answers lost"

    # Restarted on the same file: same code, and every phone's token still works.
    again = start_room(database, port=room.port)
    try:
        assert again.code == room.code
        for name, client in phones.items():
            me = client.get("/api/me")
            assert me.status_code == 200, me.text
            mine = {q: v for (who, q), v in confirmed.items() if who == name}
            assert mine.items() <= me.json()["answers"].items()
            # And the page goes on: the next answer saves.
            assert (
                client.post("/api/answer", json={"question": "PC4", "level": 2}).status_code == 200
            )
    finally:
        again.kill(signal.SIGTERM)
        for client in phones.values():
            client.close()
    assert all(_stored(database)[(name, "PC4")] == 2 for name in phones)
    # And the file is what `pmo-sim assess` reads after the workshop.
    assessed = subprocess.run(
        [sys.executable, "-m", "pmo_sim", "assess", str(database), "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert assessed.returncode == 0, assessed.stderr
    result = json.loads(assessed.stdout)
    assert result["n_respondents"] == 3 and result["respondents_by_group"] == {"pmo": 3}
    assert result["answers_used"] == sum(v is not None for v in _stored(database).values())


@pytest.mark.slow
def test_a_second_server_on_the_same_file_is_refused(tmp_path):
    database = tmp_path / "room.sqlite"
    first = start_room(database)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "pmo_sim", "workshop", "serve", str(database),
             "--port", str(free_port())],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 2, second.stderr
        assert f"another workshop server (pid {first.process.pid})" in second.stderr
        assert "Traceback" not in second.stderr
        # The port of the first one is refused with a message too.
        third = subprocess.run(
            [sys.executable, "-m", "pmo_sim", "workshop", "serve", str(tmp_path / "other.sqlite"),
             "--port", str(first.port)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert third.returncode == 2 and f"cannot listen on 127.0.0.1:{first.port}" in third.stderr
        assert httpx.get(f"{first.base}/healthz").status_code == 200  # the first one is unharmed
    finally:
        first.kill(signal.SIGKILL)
    # The kernel released the lock with the killed process: a restart is not refused.
    restarted = start_room(database)
    restarted.kill(signal.SIGTERM)
    # uvicorn shuts down cleanly, then re-raises SIGTERM so the exit status says why it stopped.
    assert restarted.process.returncode in (0, -signal.SIGTERM)
    assert "Traceback" not in restarted.log.read_text()
