"""Reading files and locating problems: YAML lines, pydantic field paths, table rows."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from pmo_sim.errors import InputError
from pmo_sim.inputs import load_yaml, read_header, read_table, validate_model


class Role(BaseModel):
    headcount: int = Field(ge=0)
    availability: float = Field(gt=0, le=1)


class Doc(BaseModel):
    roles: dict[str, Role]


def test_every_violation_is_reported_with_path_and_line(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "roles:\n"
        "  dev:\n"
        "    headcount: -1\n"
        "    availability: 0.5\n"
        "  qa:\n"
        "    headcount: 2\n"
        "    availability: 0\n"
    )
    with pytest.raises(InputError) as info:
        validate_model(Doc, load_yaml(path))
    err = info.value
    assert err.path == str(path)
    locations = [p.location for p in err.problems]
    assert locations == ["roles.dev.headcount (line 3)", "roles.qa.availability (line 7)"]
    assert "2 problems" in str(err)


def test_empty_yaml_is_an_input_error(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("# nothing\n")
    with pytest.raises(InputError, match="empty"):
        load_yaml(path)


def test_tables_read_csv_and_xlsx_as_text(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"respondent": ["a", "b"], "Q1": ["3", None]})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    for name in ["t.csv", "t.xlsx"]:
        table = read_table(tmp_path / name)
        assert list(table["Q1"]) == ["3", ""]
        assert read_header(tmp_path / name) == ["respondent", "Q1"]


def test_corrupt_workbook_is_an_input_error(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(InputError, match=r"bad\.xlsx"):
        read_table(path)


def test_header_only_csv_is_an_input_error(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("respondent,group\n")
    with pytest.raises(InputError, match="no rows"):
        read_table(path)


def test_zero_byte_table_is_empty(tmp_path):
    path = tmp_path / "z.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="file is empty"):
        read_table(path)
