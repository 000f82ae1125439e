"""Generate the example assessments in this folder (fictional clients, fixed seed).

Run from the repository root::

    .venv/bin/python questionnaires/examples/make_examples.py

Three fictional clients answer the bundled questionnaire
(``questionnaires/strategic_pmo.yaml``):

* **Harbourline Logistics**: a young supportive PMO, clearly tier 1;
* **Northgate Insurance**: a controlling PMO, tier 2, whose executives rate it
  about a level and a half higher than its project managers do (a perception
  gap); ``northgate_previous_long.csv`` is the same client a year earlier
  (tier 1), for the trend;
* **Vantor Health**: a portfolio PMO, tier 3.

Each client is written in the long layout (one row per answer) and the wide
layout (one row per respondent); Northgate is also written as an XLSX
survey export with question texts as headers and option texts as answers.

How answers are made: each group has a "true" level per dimension; a
respondent's answer to a question is that level plus a personal bias and
noise, rounded and clipped to 0-4. A few answers are left blank or ``n/a``,
a few carry comments, and one Vantor respondent answers nothing (the scorer
skips them with a warning). The script scores every file and stops if a
client does not land on the tier it was built for, so the examples cannot
silently drift from their description. Same seed, same bytes.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from pmo_sim.assessment import (  # noqa: E402
    Questionnaire,
    load_questionnaire,
    load_responses,
    score_responses,
)

SEED = 20250301
NOT_ANSWERED_RATE = 0.03


@dataclass(frozen=True)
class Client:
    """A fictional client: who answers, and how mature each group thinks the PMO is."""

    slug: str
    name: str
    assessed_on: str
    # group -> (respondents, level they see on average)
    groups: dict[str, tuple[int, float]]
    # dimension id -> shift from the group level (some areas are stronger than others)
    dimension_shift: dict[str, float]
    expected_tier: int
    comments: tuple[tuple[str, str, str], ...] = ()  # (group, question, text)
    silent_respondents: int = 0


SPELLINGS = {  # how each client's survey tool spells the groups
    "harbourline": {
        "executive": "Executive",
        "pmo": "PMO",
        "project_manager": "Project Manager",
        "functional_manager": "Functional Manager",
        "team_member": "Team Member",
    },
    "northgate": {
        "executive": "Executives",
        "pmo": "PMO staff",
        "project_manager": "Project Managers",
        "functional_manager": "Line managers",
    },
    "vantor": {
        "executive": "exec",
        "pmo": "pmo",
        "project_manager": "PM",
        "functional_manager": "department head",
        "team_member": "team",
    },
}

CLIENTS = [
    Client(
        slug="harbourline",
        name="Harbourline Logistics",
        assessed_on="2025-02-11",
        groups={
            "executive": (2, 1.6),
            "pmo": (2, 1.7),
            "project_manager": (6, 1.45),
            "functional_manager": (3, 1.5),
            "team_member": (2, 1.45),
        },
        dimension_shift={"methodology": 0.15, "performance": 0.1, "benefits": -0.1},
        expected_tier=1,
        comments=(
            (
                "project_manager",
                "MS1",
                "The templates exist, but nobody checks whether we use them.",
            ),
            ("pmo", "KP1", "We send a status template around; about half come back."),
            ("executive", "PF2", "I could not tell you how many projects we have running."),
            ("functional_manager", "RC2", "We find out about overload when deadlines slip."),
        ),
    ),
    Client(
        slug="northgate",
        name="Northgate Insurance",
        assessed_on="2025-03-18",
        groups={
            "executive": (4, 3.45),
            "pmo": (5, 2.7),
            "project_manager": (18, 1.95),
            "functional_manager": (7, 2.35),
        },
        dimension_shift={"engagement": -0.15, "methodology": 0.2, "alignment": 0.1},
        expected_tier=2,
        comments=(
            ("executive", "AL2", "Every project we approve has a clear strategic objective."),
            ("project_manager", "AL2", "The business case names an objective; nobody revisits it."),
            ("project_manager", "CS1", "Processes are announced to us, not designed with us."),
            ("project_manager", "CS2", "I do not know how my project moves the strategy."),
            ("pmo", "MS2", "Gate reviews are consistent now; tailoring is still weak."),
            ("functional_manager", "RC4", "Conflicts still go to whoever shouts loudest."),
        ),
    ),
    Client(
        slug="vantor",
        name="Vantor Health",
        assessed_on="2025-01-27",
        groups={
            "executive": (3, 3.6),
            "pmo": (4, 3.55),
            "project_manager": (12, 3.45),
            "functional_manager": (5, 3.5),
            "team_member": (3, 3.45),
        },
        dimension_shift={"benefits": -0.05, "portfolio": 0.15, "improvement": -0.05},
        expected_tier=3,
        comments=(
            ("executive", "BR4", "Shortfalls reach the board, but we rarely revisit the strategy."),
            ("project_manager", "CS2", "The portfolio map shows what depends on my project."),
            ("pmo", "CI4", "We have reassessed every year since 2022."),
        ),
        silent_respondents=1,
    ),
]

PREVIOUS = Client(
    slug="northgate_previous",
    name="Northgate Insurance",
    assessed_on="2024-03-12",
    groups={
        "executive": (4, 2.6),
        "pmo": (4, 1.9),
        "project_manager": (15, 1.3),
        "functional_manager": (6, 1.6),
    },
    dimension_shift={"methodology": 0.2},
    expected_tier=1,
)


def simulate(
    client: Client, questionnaire: Questionnaire, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per respondent and question: respondent, group, question, level, comment."""
    rows = []
    number = 0
    for group, (count, level) in client.groups.items():
        for _ in range(count):
            number += 1
            bias = rng.normal(0, 0.25)
            for dim in questionnaire.dimensions:
                for q in dim.questions:
                    true = level + client.dimension_shift.get(dim.id, 0.0) + bias
                    answer = float(np.clip(np.rint(true + rng.normal(0, 0.55)), 0, 4))
                    if rng.random() < NOT_ANSWERED_RATE:
                        answer = np.nan
                    rows.append((f"R{number:03d}", group, q.id, answer, ""))
    answers = pd.DataFrame(rows, columns=["respondent", "group", "question", "level", "comment"])
    for group, question, text in client.comments:
        who = answers.index[(answers["group"] == group) & (answers["question"] == question)]
        answers.loc[rng.choice(who), "comment"] = text
    for i in range(client.silent_respondents):
        silent = f"R{number + i + 1:03d}"
        silent_rows = pd.DataFrame(
            {
                "respondent": silent,
                "group": "team_member",
                "question": list(questionnaire.questions),
                "level": np.nan,
                "comment": "",
            }
        )
        answers = pd.concat([answers, silent_rows], ignore_index=True)
    return answers


def _answer_text(level: float, blank_as: str) -> str:
    return blank_as if np.isnan(level) else str(int(level))


def write_long(client: Client, answers: pd.DataFrame, path: Path) -> None:
    spelling = SPELLINGS[client.slug.split("_")[0]]
    rng = np.random.default_rng(len(answers))
    blanks = ["", "n/a"]
    table = pd.DataFrame(
        {
            "client": client.name,
            "date": client.assessed_on,
            "respondent": answers["respondent"],
            "group": answers["group"].map(spelling),
            "question": answers["question"],
            "answer": [_answer_text(v, blanks[rng.integers(2)]) for v in answers["level"]],
            "comment": answers["comment"],
        }
    )
    table.to_csv(path, index=False, lineterminator="\n")


def wide_table(
    client: Client, answers: pd.DataFrame, questionnaire: Questionnaire, *, as_text: bool
) -> pd.DataFrame:
    """One row per respondent; question ids and levels, or question and option texts."""
    spelling = SPELLINGS[client.slug.split("_")[0]]
    questions = questionnaire.questions
    people = answers.drop_duplicates("respondent")[["respondent", "group"]]
    table = pd.DataFrame(
        {
            "Respondent ID" if as_text else "respondent": people["respondent"].to_numpy(),
            "Role" if as_text else "group": people["group"].map(spelling).to_numpy(),
        }
    )
    if as_text:
        table.insert(1, "Start Date", client.assessed_on + " 09:30")
    else:
        table["client"] = client.name
        table["date"] = client.assessed_on
    grid = answers.pivot(index="respondent", columns="question", values="level")
    grid = grid.loc[people["respondent"], list(questions)]
    comments = answers.pivot(index="respondent", columns="question", values="comment")
    for qid, q in questions.items():
        header = q.text if as_text else qid
        if as_text:
            values = [
                "" if np.isnan(v) else q.options[int(v)] for v in grid[qid].to_numpy(dtype=float)
            ]
        else:
            values = [_answer_text(v, "n/a") for v in grid[qid].to_numpy(dtype=float)]
        table[header] = values
        said = comments.loc[people["respondent"], qid].to_numpy()
        if any(said):
            table[f"{qid} comment"] = said
    return table


def write_xlsx(table: pd.DataFrame, path: Path) -> None:
    """An XLSX with fixed metadata and zip timestamps, so reruns give the same bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    stamp = pd.Timestamp("2025-01-01").to_pydatetime()
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "make_examples.py"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data
                )
            dst.writestr(fixed, data)


def check(path: Path, questionnaire: Questionnaire, client: Client) -> str:
    result = score_responses(load_responses(path, questionnaire), questionnaire, n_boot=200)
    if result.tier != client.expected_tier:
        raise SystemExit(f"{path.name}: tier {result.tier}, built for {client.expected_tier}")
    return f"{path.name:32} tier {result.tier}  index {result.index:.2f}"


def main() -> int:
    questionnaire = load_questionnaire()
    seeds = np.random.SeedSequence(SEED).spawn(len(CLIENTS) + 1)
    written: list[tuple[Path, Client]] = []
    for client, seed in zip([*CLIENTS, PREVIOUS], seeds, strict=True):
        answers = simulate(client, questionnaire, np.random.default_rng(seed))
        long_path = HERE / f"{client.slug}_long.csv"
        write_long(client, answers, long_path)
        written.append((long_path, client))
        if client is PREVIOUS:
            continue
        wide_path = HERE / f"{client.slug}_wide.csv"
        table = wide_table(client, answers, questionnaire, as_text=False)
        table.to_csv(wide_path, index=False, lineterminator="\n")
        written.append((wide_path, client))
        if client.slug == "northgate":
            xlsx_path = HERE / "northgate_survey_export.xlsx"
            write_xlsx(wide_table(client, answers, questionnaire, as_text=True), xlsx_path)
            written.append((xlsx_path, client))
    for path, client in written:
        print(check(path, questionnaire, client))
    return 0


if __name__ == "__main__":
    sys.exit(main())
