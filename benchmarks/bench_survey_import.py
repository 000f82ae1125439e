"""Benchmark: reading a large survey-tool export, against pandas reading the same file.

Run: ``.venv/bin/python benchmarks/bench_survey_import.py`` (``make bench`` runs every
benchmark). A Qualtrics CSV export of the bundled questionnaire is written with
5,000 respondents (three header rows, 13 metadata columns, the group question,
48 questions answered with option texts: 240,000 answer cells, about 15 MB), and
timed in the same run:

* **pmo-sim** :func:`pmo_sim.assessment.load_responses`, everything included:
  decoding, layout detection, column plan, every cell matched to an option
  (normalised text), groups, dates, the tidy long table;
* **pandas read_csv**: ``pd.read_csv(path, dtype=str, header=[0, 1, 2])`` on the same
  file, which only splits it into strings: the floor any import pays.

The ratio says what understanding the file costs on top of parsing it. No
issue sets a target; this is here so that a change that makes imports slow
shows up.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pmo_sim.assessment import load_questionnaire, load_responses

N_RESPONDENTS = 5_000
REPEATS = 3
GROUPS = ["Executive", "PMO", "Project manager", "Functional manager", "Team member"]
META = [
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
]


def write_export(path: Path) -> None:
    questionnaire = load_questionnaire()
    questions = list(questionnaire.questions.values())
    rng = np.random.default_rng(11)
    columns = [*META, ("Q_role", "Which group are you in?", "QID1")]
    columns += [(f"Q{i + 2}", q.text, f"QID{i + 2}") for i, q in enumerate(questions)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow([c[0] for c in columns])
        out.writerow([c[1] for c in columns])
        out.writerow([f'{{"ImportId":"{c[2]}"}}' for c in columns])
        levels = rng.integers(0, 5, size=(N_RESPONDENTS, len(questions)))
        for r in range(N_RESPONDENTS):
            stamp = f"2025-03-{1 + r % 28:02d} 09:{r % 60:02d}:00"
            meta = [stamp, stamp, "IP Address", "203.0.113.9", "100", "600", "True", stamp]
            meta += [f"R_{r:08d}", "", "52.52", "anonymous", "EN", GROUPS[r % len(GROUPS)]]
            out.writerow(
                meta + [q.options[int(v)] for q, v in zip(questions, levels[r], strict=True)]
            )


def best(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    questionnaire = load_questionnaire()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "qualtrics.csv"
        write_export(path)
        size = path.stat().st_size / 1e6
        got = load_responses(path, questionnaire, group_column="Q_role")
        assert len(got.answers) == N_RESPONDENTS * len(questionnaire.questions)
        ours = best(lambda: load_responses(path, questionnaire, group_column="Q_role"))
        ref = best(lambda: pd.read_csv(path, dtype=str, header=[0, 1, 2]))
    print(f"Qualtrics export: {N_RESPONDENTS} respondents x 48 questions, {size:.1f} MB")
    print(f"  pmo-sim load_responses   {ours:7.2f} s")
    print(f"  pandas read_csv (floor)  {ref:7.2f} s")
    print(f"  ratio                    {ours / ref:7.1f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
