"""The one YAML loader: safe, bounded, strict about duplicate keys, plain about encodings."""

from __future__ import annotations

import time

import pytest

from pmo_sim.cli import main
from pmo_sim.errors import InputError
from pmo_sim.inputs import MAX_YAML_NODES, load_yaml, read_text, yaml_value

FLOW_BOMB = (
    "[&a [x, x, x, x, x, x, x, x, x]"
    + "".join(f", &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8))
    + "]"
)
BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def _problems(path):
    with pytest.raises(InputError) as info:
        load_yaml(path)
    return info.value


def test_billion_laughs_is_refused_before_expansion(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB + "\n", encoding="utf-8")
    start = time.perf_counter()
    err = _problems(path)
    assert time.perf_counter() - start < 2
    assert f"more than {MAX_YAML_NODES:,} values" in str(err)


@pytest.mark.parametrize("kind", ["questionnaire", "practices", "manifest", "scenario"])
def test_alias_bombs_exit_2_for_every_kind(tmp_path, capsys, kind):
    path = tmp_path / f"{kind}.yaml"
    key = {"questionnaire": "dimensions", "practices": "tiers", "manifest": "engagements"}
    path.write_text(BOMB + f"\n{key.get(kind, 'roles')}: *i\n", "utf-8")
    assert main(["validate", "--kind", kind, str(path)]) == 2
    assert "alias bomb" in capsys.readouterr().err


def test_modest_anchors_still_work(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {x: 1, y: [1, 2]}\none: *b\ntwo: {<<: *b, x: 3}\n", "utf-8")
    assert load_yaml(path).data == {
        "base": {"x": 1, "y": [1, 2]},
        "one": {"x": 1, "y": [1, 2]},
        "two": {"x": 3, "y": [1, 2]},
    }


def test_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [1, *a]\n", "utf-8")
    assert "recursive" in str(_problems(path))


def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(
        "roles:\n  dev: {headcount: 3}\n  qa: {headcount: 1}\n  dev: {headcount: 9}\n"
        "horizon_weeks: 10\nhorizon_weeks: 20\n",
        "utf-8",
    )
    err = _problems(path)
    assert [str(p) for p in err.problems] == [
        "line 4: duplicate key 'dev' (first given at line 2); keep one",
        "line 6: duplicate key 'horizon_weeks' (first given at line 5); keep one",
    ]


def test_merge_keys_are_not_duplicates(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text("a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n", "utf-8")
    assert load_yaml(path).data["b"] == {"x": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ("x: " + "1" * 5000, "invalid YAML value"),
        ("when: 2025-13-45", "invalid YAML value"),
        ("a: 1\n---\nb: 2\n", "invalid YAML"),
        ("x: !!python/object/apply:os.system [echo hi]", "invalid YAML"),
    ],
    ids=["deep", "long-int", "bad-date", "two-documents", "python-tag"],
)
def test_malformed_yaml_is_an_input_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    assert message in str(_problems(path))


def test_command_line_values_use_the_same_loader():
    assert yaml_value("{dist: fixed, value: 3}") == {"dist": "fixed", "value": 3}
    with pytest.raises(InputError, match="alias bomb"):
        yaml_value(FLOW_BOMB)


# -- encodings: a message a consultant can act on, never "byte 0xff in position 0" --------


def test_utf16_file_is_named_as_such(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("roles: {}\n", encoding="utf-16")
    err = str(_problems(path))
    assert "saved as UTF-16, not UTF-8" in err and "re-save it as UTF-8" in err
    assert "position" not in err


def test_latin1_file_names_line_and_column(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_bytes("name: ok\ntitle: Caf\xe9 PMO\n".encode("latin-1"))
    err = _problems(path)
    assert err.problems[0].location == "line 2, column 11"
    assert "byte 0xe9 is not valid UTF-8" in err.problems[0].message
    assert "Windows-1252" in err.problems[0].message


def test_utf8_bom_is_fine(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 1\n".encode())
    assert load_yaml(path).data == {"a": 1}


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        (b"PK\x03\x04rest", "XLSX"),
        (b"a\x00b", "binary"),
    ],
)
def test_binary_files_are_named_for_what_they_are(tmp_path, data, kind):
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    assert kind in str(_problems(path))


def test_folders_and_large_files_are_refused(tmp_path):
    assert "folder" in str(_problems(tmp_path))
    path = tmp_path / "big.yaml"
    path.write_text("a: 1\n" * 100, "utf-8")
    with pytest.raises(InputError, match="the largest accepted is 50 bytes"):
        read_text(path, max_bytes=50)


def test_encoding_message_reaches_the_command_line(tmp_path, capsys):
    path = tmp_path / "scenario.yaml"
    path.write_text("horizon_weeks: 10\n", encoding="utf-16")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "UTF-16" in err and "Traceback" not in err


def test_control_characters_name_their_place(tmp_path):
    path = tmp_path / "ctl.yaml"
    path.write_text("a: 1\nb: x\x1ay\n", "utf-8")  # found by the fuzz test
    err = _problems(path)
    assert [str(p) for p in err.problems] == [
        "line 2, column 5: invalid YAML: character U+001A is not allowed in YAML"
    ]
