"""Generate the survey-tool exports in this folder: one fictional client, every tool's layout.

Run from the repository root::

    .venv/bin/python questionnaires/examples/make_survey_exports.py

**Corvel Utilities** (fictional) ran the bundled questionnaire
(``questionnaires/strategic_pmo.yaml``) with eight people: two executives,
two PMO staff, three project managers and one functional manager. Nobody
picked the top option of any question (levels 0-3 only), which is exactly
the case where Qualtrics' numeric codes 1-4 could be misread as levels.
Their answers (``corvel_truth.csv``: respondent, group, question, level) are
written out as each tool would export them:

==================================  =====================================================
``corvel_microsoft_forms.xlsx``     Microsoft Forms: ID, Start time, Completion time,
                                    Email, Name, Last modified time; question texts as
                                    headers (with Word's curly apostrophes); option texts
``corvel_google_forms.csv``         Google Forms: Timestamp ``2025/03/18 9:41:22 AM
                                    GMT+1``, Email Address, a ``Role`` column, the
                                    alignment dimension as a grid (``Grid [row]``, values
                                    ``2 – Controlling``), one "Other:" free-text answer
``corvel_surveymonkey.csv``         SurveyMonkey: two header rows, Respondent ID ...
                                    Custom Data 1; the role question with an
                                    ``Other (please specify)`` column ("CIO")
``corvel_qualtrics.csv``            Qualtrics, choice text: three header rows
``corvel_qualtrics_numeric.tsv``    Qualtrics, numeric values, TSV in UTF-16 (as Qualtrics
                                    writes TSV): answers are codes 1-4, refused without
                                    ``codes`` in the mapping
``corvel_limesurvey.csv``           LimeSurvey: id, submitdate, lastpage, ...; question
                                    codes as headers, answer codes A1-A5
``corvel_excel_semicolon.csv``      the kit's wide layout re-saved by a German Excel:
                                    ``;`` separated, Windows-1252, ``18.03.2025``, decimal
                                    commas, trailing ``;;;;`` rows
``corvel_excel_unicode.txt``        the Google Forms export re-saved by a UK Excel as
                                    "Unicode Text": UTF-16 with BOM, tab separated,
                                    ``18/03/2025 09:41:22``
==================================  =====================================================

The ``*_mapping.yaml`` files beside them are the import profiles a consultant
writes for the exports that need one. The script reads every export back,
stops if any scores differently from the truth, and gives the same bytes on
every run.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from make_examples import write_xlsx  # noqa: E402

from pmo_sim.assessment.questionnaire import TIER_NAMES  # noqa: E402

from pmo_sim.assessment import (  # noqa: E402
    load_questionnaire,
    load_responses,
    score_answers,
    score_responses,
)

SEED = 20250318
#: respondent -> (group, average level they see)
PEOPLE: dict[str, tuple[str, float]] = {
    "R1": ("executive", 2.6),
    "R2": ("executive", 2.4),
    "R3": ("pmo", 2.2),
    "R4": ("pmo", 2.0),
    "R5": ("project_manager", 1.4),
    "R6": ("project_manager", 1.6),
    "R7": ("project_manager", 1.2),
    "R8": ("functional_manager", 1.7),
}
NOT_ANSWERED_RATE = 0.04
#: The one answer typed into Google Forms' "Other:" box instead of picking an option.
OTHER_TEXT = ("R6", "PF3", "We do not really balance anything")
#: How each tool's form words the groups (the consultant set the forms up this way).
LABELS = {
    "microsoft_forms": {
        "executive": "Executive",
        "pmo": "PMO",
        "project_manager": "Project manager",
        "functional_manager": "Functional manager",
    },
    "google_forms": {
        "executive": "Executive team",
        "pmo": "PMO staff",
        "project_manager": "Project Manager",
        "functional_manager": "Line manager",
    },
    "surveymonkey": {
        "executive": "Senior leadership",
        "pmo": "PMO team",
        "project_manager": "Project manager",
        "functional_manager": "Department head",
    },
}
GROUP_QUESTION = "Which group are you in?"
GROUP_CODES = {"executive": 1, "pmo": 2, "project_manager": 3, "functional_manager": 4}
WORD = str.maketrans({"'": "\u2019"})  # what Word's smart quotes do to an apostrophe


def truth(questionnaire) -> pd.DataFrame:
    """Every respondent's level (0-3, NaN = not answered) for every question."""
    rng = np.random.default_rng(SEED)
    rows = []
    for who, (group, level) in PEOPLE.items():
        for qid in questionnaire.questions:
            answer = float(np.clip(np.rint(level + rng.normal(0, 0.6)), 0, 3))
            if rng.random() < NOT_ANSWERED_RATE or (who, qid) == OTHER_TEXT[:2]:
                answer = np.nan
            rows.append((who, group, qid, answer))
    return pd.DataFrame(rows, columns=["respondent", "group", "question", "level"])


def completion(i: int) -> dt.datetime:
    """When respondent number ``i`` submitted: spread over 14-17 March 2025."""
    return dt.datetime(2025, 3, 14, 9, 41, 22) + dt.timedelta(days=i // 2, hours=3 * (i % 2))


def levels_of(answers: pd.DataFrame, who: str) -> dict[str, float]:
    mine = answers[answers["respondent"] == who]
    return dict(zip(mine["question"], mine["level"], strict=True))


def option(q, level: float, *, word: bool = False) -> str:
    if np.isnan(level):
        return ""
    text = q.options[int(level)]
    return text.translate(WORD) if word else text


def write_csv(path: Path, rows: list[list[str]], *, encoding="utf-8", delimiter=",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue()
    raw = data.encode("utf-16-le") if encoding == "utf-16" else data.encode(encoding)
    if encoding == "utf-16":
        raw = codecs.BOM_UTF16_LE + raw
    path.write_bytes(raw)


def microsoft_forms(q, answers: pd.DataFrame) -> None:
    labels = LABELS["microsoft_forms"]
    headers = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    headers += [GROUP_QUESTION] + [x.text.translate(WORD) for x in q.questions.values()]
    rows = []
    for i, (who, (group, _)) in enumerate(PEOPLE.items()):
        done = completion(i)
        mine = levels_of(answers, who)
        row = [i + 1, done - dt.timedelta(minutes=14), done, "anonymous", "", ""]
        row += [labels[group]] + [option(x, mine[x.id], word=True) for x in q.questions.values()]
        rows.append(row)
    write_xlsx(pd.DataFrame(rows, columns=headers), HERE / "corvel_microsoft_forms.xlsx")


def google_rows(q, answers: pd.DataFrame, stamp) -> list[list[str]]:
    labels = LABELS["google_forms"]
    alignment = q.dimensions[0]
    headers = ["Timestamp", "Email Address", "Role"]
    for x in q.questions.values():
        in_grid = x.id in {y.id for y in alignment.questions}
        headers.append(f"{alignment.name} [{x.text}]" if in_grid else x.text)
    rows = [headers]
    for i, (who, (group, _)) in enumerate(PEOPLE.items()):
        mine = levels_of(answers, who)
        row = [stamp(completion(i)), f"person{i + 1}@corvel.example", labels[group]]
        for x in q.questions.values():
            level = mine[x.id]
            if x.id in {y.id for y in alignment.questions}:
                row.append("" if np.isnan(level) else f"{int(level)} – {TIER_NAMES[int(level)]}")
            elif (who, x.id) == OTHER_TEXT[:2]:
                row.append(OTHER_TEXT[2])
            else:
                row.append(option(x, level))
        rows.append(row)
    return rows


def google_forms(q, answers: pd.DataFrame) -> None:
    def stamp(t: dt.datetime) -> str:
        return f"{t:%Y/%m/%d} {t.hour % 12 or 12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'} GMT+1"

    write_csv(HERE / "corvel_google_forms.csv", google_rows(q, answers, stamp))


def excel_unicode(q, answers: pd.DataFrame) -> None:
    rows = google_rows(q, answers, lambda t: f"{t:%d/%m/%Y %H:%M:%S}")
    write_csv(HERE / "corvel_excel_unicode.txt", rows, encoding="utf-16", delimiter="\t")


def surveymonkey(q, answers: pd.DataFrame) -> None:
    labels = LABELS["surveymonkey"]
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    meta += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    top = [*meta, "What is your role?", ""] + [x.text for x in q.questions.values()]
    second = [""] * len(meta) + ["Response", "Other (please specify)"]
    second += ["Response"] * len(q.questions)
    rows = [top, second]
    for i, (who, (group, _)) in enumerate(PEOPLE.items()):
        done = completion(i)
        mine = levels_of(answers, who)
        start = done - dt.timedelta(minutes=12)
        row = [str(114_000_000_000 + 7 * i), "431200871", f"{start:%m/%d/%Y %I:%M:%S %p}"]
        row += [f"{done:%m/%d/%Y %I:%M:%S %p}", f"203.0.113.{10 + i}", "", "", "", ""]
        row += ["", "CIO"] if who == "R2" else [labels[group], ""]
        row += [option(x, mine[x.id]) for x in q.questions.values()]
        rows.append(row)
    write_csv(HERE / "corvel_surveymonkey.csv", rows, encoding="utf-8-sig")


def qualtrics_rows(q, answers: pd.DataFrame, numeric: bool) -> list[list[str]]:
    meta = [
        ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/Berlin"}'),
        ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/Berlin"}'),
        ("Status", "Response Type", '{"ImportId":"status"}'),
        ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
        ("Progress", "Progress", '{"ImportId":"progress"}'),
        ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
        ("Finished", "Finished", '{"ImportId":"finished"}'),
        ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/Berlin"}'),
        ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
        ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
        ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
        ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
        ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
    ]
    questions = [("Q_role", GROUP_QUESTION, '{"ImportId":"QID1"}')]
    questions += [
        (f"Q{n + 2}", x.text, json.dumps({"ImportId": f"QID{n + 2}"}, separators=(",", ":")))
        for n, x in enumerate(q.questions.values())
    ]
    columns = meta + questions
    rows = [[c[i] for c in columns] for i in range(3)]
    names = {g: g.replace("_", " ").capitalize() for g in GROUP_CODES}
    names["pmo"] = "PMO"
    for i, (who, (group, _)) in enumerate(PEOPLE.items()):
        done = completion(i)
        mine = levels_of(answers, who)
        row = [f"{done - dt.timedelta(minutes=11):%Y-%m-%d %H:%M:%S}", f"{done:%Y-%m-%d %H:%M:%S}"]
        row += ["0" if numeric else "IP Address", f"198.51.100.{20 + i}", "100", "660"]
        row += ["1" if numeric else "True", f"{done:%Y-%m-%d %H:%M:%S}", f"R_{who}x7Qf2L9w"]
        row += ["", "52.52", "anonymous", "EN"]
        row.append(str(GROUP_CODES[group]) if numeric else names[group])
        for x in q.questions.values():
            level = mine[x.id]
            if numeric:
                row.append("" if np.isnan(level) else str(int(level) + 1))
            else:
                row.append(option(x, level))
        rows.append(row)
    preview = ["2025-03-13 16:02:10", "2025-03-13 16:05:40", "Survey Preview"] + [""] * (
        len(columns) - 3
    )
    return [*rows[:3], preview, *rows[3:]]


def qualtrics(q, answers: pd.DataFrame) -> None:
    write_csv(HERE / "corvel_qualtrics.csv", qualtrics_rows(q, answers, numeric=False))
    rows = qualtrics_rows(q, answers, numeric=True)
    rows[3][2] = "1"  # numeric export: status 1 is a survey preview
    write_csv(HERE / "corvel_qualtrics_numeric.tsv", rows, encoding="utf-16", delimiter="\t")


def limesurvey(q, answers: pd.DataFrame) -> None:
    meta = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    headers = [*meta, "role", *q.questions, "AL2[comment]"]
    rows = [headers]
    for i, (who, (group, _)) in enumerate(PEOPLE.items()):
        done = completion(i)
        mine = levels_of(answers, who)
        stamp = f"{done:%Y-%m-%d %H:%M:%S}"
        row = [str(i + 1), stamp, "13", "en", str(1_234_567 + i), stamp, stamp]
        row.append(f"A{GROUP_CODES[group]}")
        row += ["" if np.isnan(mine[x]) else f"A{int(mine[x]) + 1}" for x in q.questions]
        row.append("Charter signed, not yet used" if who == "R3" else "")
        rows.append(row)
    write_csv(HERE / "corvel_limesurvey.csv", rows)


def excel_semicolon(q, answers: pd.DataFrame) -> None:
    headers = ["respondent", "group", "client", "date", *q.questions, "AL2 comment"]
    rows = [headers]
    for who, (group, _) in PEOPLE.items():
        mine = levels_of(answers, who)
        cells = []
        for n, x in enumerate(q.questions):
            level = mine[x]
            text = "" if np.isnan(level) else str(int(level))
            cells.append(f"{text},0" if text and n % 7 == 0 else text)  # a decimal-comma column
        comment = "Steering board’s „Lenkungskreis“ – not yet" if who == "R1" else ""
        rows.append(
            [who, group.replace("_", " "), "Corvel Utilities", "18.03.2025", *cells, comment]
        )
    rows += [[""] * len(headers)] * 4  # what Excel leaves below the data: ;;;;
    write_csv(HERE / "corvel_excel_semicolon.csv", rows, encoding="cp1252", delimiter=";")


MAPPINGS = {
    "corvel_surveymonkey_mapping.yaml": """\
# Import profile for Corvel's SurveyMonkey export (pmo-sim assess --mapping THIS_FILE).
group_column: "What is your role?"
groups:
  CIO: executive        # typed into "Other (please specify)"
""",
    "corvel_qualtrics_mapping.yaml": """\
# Import profile for Corvel's Qualtrics numeric export.
group_column: Q_role    # the export tag; the question text would do as well
groups:                 # the role question's choice codes
  "1": executive
  "2": pmo
  "3": project_manager
  "4": functional_manager
codes:
  first_level: 1        # Qualtrics numbers choices from 1: 1 is level 0 ... 5 is level 4
""",
    "corvel_limesurvey_mapping.yaml": """\
# Import profile for Corvel's LimeSurvey export (answer codes, not texts).
groups:
  A1: executive
  A2: pmo
  A3: project_manager
  A4: functional_manager
codes:
  first_level: 1        # the survey's answer codes are A1..A5 for levels 0..4
""",
}
#: export -> (mapping file or None, --group-column or None)
EXPORTS: dict[str, tuple[str | None, str | None]] = {
    "corvel_microsoft_forms.xlsx": (None, GROUP_QUESTION),
    "corvel_google_forms.csv": (None, None),
    "corvel_surveymonkey.csv": ("corvel_surveymonkey_mapping.yaml", None),
    "corvel_qualtrics.csv": (None, "Q_role"),
    "corvel_qualtrics_numeric.tsv": ("corvel_qualtrics_mapping.yaml", None),
    "corvel_limesurvey.csv": ("corvel_limesurvey_mapping.yaml", None),
    "corvel_excel_semicolon.csv": (None, None),
    "corvel_excel_unicode.txt": (None, None),
}


def main() -> int:
    questionnaire = load_questionnaire()
    answers = truth(questionnaire)
    answers.to_csv(HERE / "corvel_truth.csv", index=False, lineterminator="\n")
    for name, text in MAPPINGS.items():
        (HERE / name).write_text(text, encoding="utf-8")
    for write in (
        microsoft_forms,
        google_forms,
        excel_unicode,
        surveymonkey,
        qualtrics,
        limesurvey,
        excel_semicolon,
    ):
        write(questionnaire, answers)
    expected = score_answers(answers.assign(comment=""), questionnaire, n_boot=100)
    want = expected.dimensions.set_index("dimension")["score"]
    for name, (mapping, group_column) in EXPORTS.items():
        got = load_responses(
            HERE / name,
            questionnaire,
            group_column=group_column,
            mapping=HERE / mapping if mapping else None,
        )
        scores = score_responses(got, questionnaire, n_boot=100).dimensions
        if not np.allclose(scores.set_index("dimension")["score"].loc[want.index], want):
            raise SystemExit(f"{name}: scores differ from corvel_truth.csv")
        layout = got.inspection.layout if got.inspection is not None else got.layout
        print(f"{name:32} {layout:16} tier {expected.tier}, scores as the truth")
    return 0


if __name__ == "__main__":
    sys.exit(main())
