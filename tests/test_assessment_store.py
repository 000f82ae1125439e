"""The workshop answer store: rows on disk, export, loader parity, bad databases."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from pmo_sim.assessment import (
    AnswerStore,
    load_questionnaire,
    load_responses,
    load_workshop,
    score_responses,
)
from pmo_sim.errors import InputError


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire()


@pytest.fixture
def store(tmp_path, questionnaire):
    with AnswerStore(tmp_path / "acme" / "workshop.sqlite", questionnaire) as s:
        yield s


def _rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_new_database_is_wal_and_marked_as_ours(store):
    assert _rows(store.path, "PRAGMA journal_mode") == [("wal",)]
    assert store.meta()["format"] == "pmo-sim workshop"
    assert store.meta()["questionnaire_title"] == store.questionnaire.title


def test_every_answer_is_committed_at_once(store):
    ana = store.add_respondent(" Ana ", "Project Managers")
    store.record_answer(ana, "AL1", 3)
    # A second connection (another process, or the file after a crash) sees it already.
    assert _rows(store.path, "SELECT respondent, question, level FROM answers") == [
        ("Ana", "AL1", 3)
    ]
    assert _rows(store.path, "SELECT grp FROM respondents") == [("project_manager",)]


def test_changes_overwrite_the_answer_but_the_journal_keeps_them_all(store):
    ana = store.add_respondent("Ana", "pmo")
    for level in (1, 2, None, 4):
        store.record_answer(ana, "AL2", level)
    assert store.answers_of(ana) == {"AL2": 4}
    journal = store.journal()
    values = journal.loc[journal["kind"] == "answer", "value"].fillna("cleared")
    assert list(values) == ["1", "2", "cleared", "4"]
    assert store.change_count() == len(journal)


def test_bad_writes_are_refused_without_touching_the_file(store):
    ana = store.add_respondent("Ana", "pmo")
    with pytest.raises(ValueError, match="unknown question"):
        store.record_answer(ana, "ZZ9", 1)
    with pytest.raises(ValueError, match="0-4"):
        store.record_answer(ana, "AL1", 5)
    with pytest.raises(ValueError, match="unknown respondent"):
        store.record_answer("Nobody", "AL1", 1)
    with pytest.raises(ValueError, match="blank"):
        store.add_respondent("  ", "pmo")
    assert _rows(store.path, "SELECT COUNT(*) FROM answers") == [(0,)]


def test_export_reads_back_as_the_same_responses(store, tmp_path, questionnaire):
    store.set_info(client="ACME Ltd", assessed_on="2025-03-04")
    ana = store.add_respondent("Ana", "project manager")
    bo = store.add_respondent("Bo", "Exec")
    for i, qid in enumerate(questionnaire.questions):
        store.record_answer(ana, qid, i % 5)
        if i % 3:
            store.record_answer(bo, qid, (i + 2) % 5)
    store.record_answer(bo, "AL2", None)  # answered, then cleared: n/a
    store.record_comment(ana, "alignment", 'No charter, "yet",\nsays the sponsor')
    last_dim = questionnaire.dimensions[-1]
    store.record_comment(bo, last_dim.id, "only in the finance division")

    csv = store.export_csv(tmp_path / "out" / "answers.csv")
    from_csv = load_responses(csv, questionnaire)
    from_db = load_workshop(store.path, questionnaire)
    pd.testing.assert_frame_equal(from_csv.answers, from_db.answers)
    assert (from_csv.client, from_csv.assessed_on) == ("ACME Ltd", "2025-03-04")
    assert (from_db.client, from_db.assessed_on) == ("ACME Ltd", "2025-03-04")

    answers = from_db.answers.set_index(["respondent", "question"])
    assert answers.loc[("Bo", "AL2"), "level"] != answers.loc[("Bo", "AL2"), "level"]  # NaN
    # A dimension comment rides on the dimension's first question, answered or not.
    assert answers.loc[("Ana", "AL1"), "comment"] == 'No charter, "yet",\nsays the sponsor'
    first = last_dim.questions[0].id
    assert answers.loc[("Bo", first), "comment"] == "only in the finance division"

    a = score_responses(from_csv, questionnaire)
    b = score_responses(from_db, questionnaire)
    assert (a.tier, a.index) == (b.tier, b.index)
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions)


def test_reopening_resumes(tmp_path, questionnaire):
    path = tmp_path / "w.sqlite"
    with AnswerStore(path, questionnaire) as first:
        ana = first.add_respondent("Ana", "pmo")
        first.record_answer(ana, "AL1", 2)
        bo = first.add_respondent("Bo", "pmo")
        first.record_comment(bo, "alignment", "draft")
    with AnswerStore(path, questionnaire) as again:
        assert list(again.respondents()["respondent"]) == ["Ana", "Bo"]
        assert again.answers_of("Ana") == {"AL1": 2}
        assert again.comments_of("Bo") == {"alignment": "draft"}
        assert again.last_respondent() == "Bo"


def test_a_file_that_is_not_sqlite_is_bad_input(tmp_path, questionnaire):
    path = tmp_path / "notes.sqlite"
    path.write_text("minutes of the workshop\n" * 50)
    with pytest.raises(InputError) as err:
        AnswerStore(path, questionnaire)
    assert "notes.sqlite" in str(err.value) and "not a workshop database" in str(err.value)


def test_someone_elses_sqlite_is_bad_input(tmp_path, questionnaire):
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"crm\.db: not a pmo-sim workshop database.*customers"):
        load_workshop(path, questionnaire)
    with pytest.raises(InputError):
        AnswerStore(path, questionnaire)  # the capture form would not take it over either
    assert path.read_bytes() == before
    assert _rows(path, "PRAGMA journal_mode") == [("delete",)]


def test_a_missing_database_is_bad_input_for_the_loader(tmp_path, questionnaire):
    with pytest.raises(InputError, match="file not found"):
        load_workshop(tmp_path / "nowhere.sqlite", questionnaire)
    assert not (tmp_path / "nowhere.sqlite").exists()


def test_another_questionnaire_is_refused_with_locations(tmp_path, questionnaire):
    path = tmp_path / "w.sqlite"
    with AnswerStore(path, questionnaire) as s:
        s.record_answer(s.add_respondent("Ana", "pmo"), "AL1", 2)
    data = questionnaire.model_dump()
    data["title"] = "Slim questionnaire"
    data["dimensions"] = data["dimensions"][1:]
    other = type(questionnaire).model_validate(data)
    with pytest.raises(InputError) as err:
        load_workshop(path, other)
    text = str(err.value)
    assert "w.sqlite" in text
    assert "meta.questionnaire" in text and "Slim questionnaire" in text
    assert "respondent 'Ana', question 'AL1'" in text


def test_pmo_sim_assess_reads_the_database_directly(cli, tmp_path, questionnaire):
    path = tmp_path / "acme.sqlite"
    with AnswerStore(path, questionnaire) as s:
        s.set_info(client="ACME")
        for name, group, level in (("Ana", "pmo", 3), ("Bo", "executive", 1)):
            respondent = s.add_respondent(name, group)
            for qid in questionnaire.questions:
                s.record_answer(respondent, qid, level)
        csv = s.export_csv(tmp_path / "acme.csv")
    from_db = cli("assess", path, "--format", "json", "--resamples", "100")
    from_csv = cli("assess", csv, "--format", "json", "--resamples", "100")
    assert from_db.returncode == 0, from_db.stderr
    data = json.loads(from_db.stdout)
    assert (data["tier"], data["client"], data["n_respondents"]) == (2, "ACME", 2)
    db_json, csv_json = data, json.loads(from_csv.stdout)
    db_json.pop("source"), csv_json.pop("source")
    assert db_json == csv_json


def test_pmo_sim_assess_on_a_foreign_database_exits_2(cli, tmp_path):
    path = tmp_path / "crm.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    result = cli("assess", path)
    assert result.returncode == 2
    assert "crm.sqlite" in result.stderr and "not a pmo-sim workshop database" in result.stderr
    assert "Traceback" not in result.stderr


def test_reading_a_workshop_file_does_not_load_the_widgets(tmp_path, questionnaire):
    # The store is assessment data: scoring a workshop file needs neither
    # ipywidgets nor the what-if dashboard (importing them cost about 1.2 s).
    path = tmp_path / "w.sqlite"
    with AnswerStore(path, questionnaire) as s:
        s.add_respondent("r1", "Executive")
    code = (
        "import sys; from pmo_sim.assessment import load_responses; "
        f"load_responses({str(path)!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'ipywidgets'"
        " or m.startswith('pmo_sim.widgets')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docs_list_the_public_api(root):
    import pmo_sim.widgets

    docs = (root / "docs" / "workshop.md").read_text()
    for name in [*pmo_sim.widgets.__all__, "AnswerStore", "load_workshop"]:
        assert f"`{name}" in docs, f"{name} is exported but not in docs/workshop.md"
    for name in pmo_sim.widgets.__all__:
        assert hasattr(pmo_sim.widgets, name)


def test_a_mapping_applies_to_a_workshop_database(tmp_path, questionnaire):
    path = tmp_path / "room.sqlite"
    with AnswerStore(path, questionnaire) as s:
        for name, group, level in (("a", "Board", 3), ("b", "Exec", 1), ("c", "Visitor", 2)):
            s.add_respondent(name, group)
            s.record_answer(name, "AL1", level)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("groups:\n  Board: executive\n  Visitor: null\n", encoding="utf-8")
    got = load_responses(path, questionnaire, mapping=mapping).answers
    assert sorted(set(zip(got["respondent"], got["group"], strict=True))) == [
        ("a", "executive"),
        ("b", "executive"),
    ]
