"""The workshop file's first moments: two laptops at once, a process killed while creating it.

Real processes on a real SQLite file: the race and the kill cannot be faked in one process.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from pmo_sim.assessment import AnswerStore, load_questionnaire, load_workshop
from pmo_sim.errors import InputError

# Each process waits for the same instant, opens the same new file and adds one respondent.
OPENER = textwrap.dedent(
    """
    import sys, time
    from pmo_sim.assessment import AnswerStore
    path, start, name = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    while time.time() < start:
        pass
    with AnswerStore(path) as store:
        store.add_respondent(name, "pmo")
    print("ok")
    """
)

# Creates new files one after another until killed.
CREATOR = textwrap.dedent(
    """
    import sys
    from pmo_sim.assessment import AnswerStore, load_questionnaire
    q = load_questionnaire()
    folder = sys.argv[1]
    print("ready", flush=True)
    for i in range(100000):
        AnswerStore(f"{folder}/w{i:05d}.sqlite", q).close()
    """
)


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire()


@pytest.mark.parametrize("round_", range(2))
def test_laptops_opening_one_new_file_at_once_all_succeed(tmp_path, round_):
    path = tmp_path / "engagement" / "workshop.sqlite"
    start = time.time() + 2.5  # every process has imported pmo_sim by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), str(start), f"P{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    with AnswerStore(path) as store:
        assert sorted(store.respondents()["respondent"]) == ["P0", "P1", "P2"]
        assert store.meta()["format"] == "pmo-sim workshop"


def test_a_file_whose_creation_was_cut_short_is_finished(tmp_path, questionnaire):
    path = tmp_path / "w.sqlite"
    conn = sqlite3.connect(path)  # what a process killed after switching to WAL leaves
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert path.stat().st_size > 0
    with pytest.raises(InputError, match="never finished"):
        load_workshop(path, questionnaire)
    with AnswerStore(path, questionnaire) as store:
        store.add_respondent("Ana", "pmo")
    with AnswerStore(path, questionnaire) as store:
        assert list(store.respondents()["respondent"]) == ["Ana"]


def test_files_left_by_a_process_killed_while_creating_them_all_open(tmp_path, questionnaire):
    proc = subprocess.Popen(
        [sys.executable, "-c", CREATOR, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("w*.sqlite"))) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    files = sorted(tmp_path.glob("w*.sqlite"))
    assert len(files) >= 40
    for path in files:  # the last one was being created when the process died
        with AnswerStore(path, questionnaire) as store:
            store.add_respondent("Ana", "pmo")
            assert store.meta()["format"] == "pmo-sim workshop"


def test_someone_elses_database_is_still_refused_untouched(tmp_path, questionnaire):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(InputError, match="not a pmo-sim workshop database"):
        AnswerStore(path, questionnaire)
    assert path.read_bytes() == before
