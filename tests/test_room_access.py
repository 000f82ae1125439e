"""Who gets into the room: the code, participants' own answers, the facilitator's secret.

The real app on a real SQLite file, driven in-process through Starlette's
test client (httpx); each ``TestClient`` is one device with its own cookies.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient

from pmo_sim.assessment import load_questionnaire, score_answers
from pmo_sim.assessment.store import AnswerStore
from pmo_sim.room import RoomConfig, create_app, load_keys
from pmo_sim.room.access import CODE_ALPHABET, keys_path, normalise_code

QUESTIONNAIRE = load_questionnaire()


@pytest.fixture
def room(tmp_path):
    database = tmp_path / "acme.sqlite"
    keys = load_keys(database)
    config = RoomConfig(
        database=database,
        questionnaire=QUESTIONNAIRE,
        keys=keys,
        public_url="http://10.1.2.3:8800",
        title="ACME <PMO>",
    )
    app = create_app(config)
    devices: list[TestClient] = []

    def device() -> TestClient:
        client = TestClient(app, base_url="http://testserver")
        client.__enter__()
        devices.append(client)
        return client

    yield config, device
    for client in devices:
        client.__exit__(None, None, None)


def _join(client: TestClient, code: str, name: str = "", group: str = "executive", **extra):
    data = {"code": code, "name": name, "group": group, **extra}
    return client.post("/join", data=data, follow_redirects=False)


def _stored(database) -> list[tuple]:
    conn = sqlite3.connect(database)
    try:
        return conn.execute(
            "SELECT respondent, question, level FROM answers ORDER BY respondent, question"
        ).fetchall()
    finally:
        conn.close()


def test_join_codes_are_typable_and_kept_across_runs(tmp_path):
    keys = load_keys(tmp_path / "a.sqlite")
    assert len(keys.code) == 6 and set(keys.code) <= set(CODE_ALPHABET)
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert keys.display_code == f"{keys.code[:3]}-{keys.code[3:]}"
    assert keys.code_matches(keys.display_code.lower().replace("-", " "))
    # A restarted server keeps the code, the secret and so every participant's token.
    again = load_keys(tmp_path / "a.sqlite")
    assert again == keys
    assert keys_path(tmp_path / "a.sqlite").stat().st_mode & 0o077 == 0
    assert normalise_code(" k7p-4xm ") == "K7P4XM"


def test_without_the_code_nothing_is_readable_or_writable(room):
    config, device = room
    stranger = device()
    assert stranger.get("/answer", follow_redirects=False).status_code == 303
    assert stranger.get("/api/me").status_code == 401
    posted = stranger.post("/api/answer", json={"question": "AL1", "level": 3})
    assert posted.status_code == 401
    assert (
        stranger.post("/api/comment", json={"dimension": "risk", "comment": "x"}).status_code == 401
    )
    wrong = _join(stranger, "ZZZZZZ" if config.keys.code != "ZZZZZZ" else "YYYYYY", "Mallory")
    assert wrong.status_code == 400 and "not this workshop" in wrong.text
    assert stranger.get("/j/WRONG1").text.count("not this workshop") == 1
    # A forged token (someone else's name, any signature) is no way in either.
    stranger.cookies.set("pmo_room", "RGFuYQ.AAAAAAAAAAAAAAAAAAAAAAAA")
    assert stranger.get("/api/me").status_code == 401
    # The questionnaire itself is not shown before joining, nor the board.
    assert "Who sets the PMO" not in stranger.get("/").text
    assert stranger.get("/facilitator").status_code == 403
    assert stranger.get("/facilitator/board").status_code == 403
    assert stranger.get("/facilitator/qr.svg").status_code == 403
    assert _stored(config.database) == []
    with AnswerStore(config.database) as store:
        assert store.respondents().empty


def test_wrong_codes_are_rate_limited(room):
    config, device = room
    guesser = device()
    bad = "22222" + ("3" if config.keys.code != "222223" else "4")
    for _ in range(10):
        assert "not this workshop" in _join(guesser, bad, "G").text
    # Even the right code now waits: guessing 9e8 codes at 10 a minute is hopeless.
    refused = _join(guesser, config.keys.code, "G")
    assert refused.status_code == 400 and "Too many wrong codes" in refused.text
    # The QR link's path is no way round it, nor the facilitator's key.
    by_link = guesser.get(f"/j/{config.keys.code}")
    assert "Too many wrong codes" in by_link.text and config.keys.display_code not in by_link.text
    secret = config.keys.facilitator_secret
    assert guesser.get(f"/facilitator?key={secret}", follow_redirects=False).status_code == 403


def test_participants_see_and_change_only_their_own_answers(room):
    config, device = room
    dana, eli = device(), device()
    assert _join(dana, config.keys.display_code, "Dana", "project_manager").status_code == 303
    assert _join(eli, config.keys.code.lower(), "Eli", "executive").status_code == 303
    assert dana.post("/api/answer", json={"question": "AL1", "level": 3}).json() == {
        "saved": True, "question": "AL1", "level": 3, "answered": 1,
    }  # fmt: skip
    assert eli.post("/api/answer", json={"question": "AL1", "level": 1}).status_code == 200
    assert eli.post("/api/answer", json={"question": "AL2", "level": None}).status_code == 200
    dana_me = dana.get("/api/me").json()
    assert dana_me["respondent"] == "Dana" and dana_me["answers"] == {"AL1": 3}
    assert eli.get("/api/me").json()["answers"] == {"AL1": 1, "AL2": None}
    # The same name again is someone else: refused, Dana's answers untouched.
    taken = _join(device(), config.keys.code, "Dana", "team_member")
    assert taken.status_code == 400 and "already joined as" in taken.text
    # There is no way to name another respondent in a request.
    sneaky = dana.post("/api/answer", json={"question": "AL1", "level": 0, "respondent": "Eli"})
    assert sneaky.status_code == 422
    assert _stored(config.database) == [("Dana", "AL1", 3), ("Eli", "AL1", 1), ("Eli", "AL2", None)]
    with AnswerStore(config.database) as store:
        assert store.group_of("Dana") == "project_manager"


def test_reopening_on_the_same_device_resumes(room):
    config, device = room
    phone = device()
    _join(phone, config.keys.code, "Farah", "pmo")
    for question, level in [("AL1", 2), ("AL2", 2), ("AL3", 3), ("AL4", 1), ("PF1", 4)]:
        phone.post("/api/answer", json={"question": question, "level": level})
    phone.post("/api/comment", json={"dimension": "alignment", "comment": "Board <b>meets</b>"})
    # The QR link again: straight back to the questionnaire, answers in place.
    again = phone.get(f"/j/{config.keys.code}")
    assert again.url.path == "/answer"
    page = again.text
    assert re.search(r'name="AL3" value="3"\s+checked', page)
    assert re.search(r'name="PF1" value="4"\s+checked', page)
    assert 'data-start="1"' in page  # opens on the first dimension with unanswered questions
    assert "Board &lt;b&gt;meets&lt;/b&gt;" in page and "<b>meets" not in page
    assert '<span id="n-answered">5</span>' in page


def test_stylesheets_and_scripts_are_cached_and_compressed(room):
    _, device = room
    phone = device()
    script = phone.get("/static/answer.js", headers={"accept-encoding": "gzip"})
    assert script.status_code == 200 and "api/answer" in script.text
    assert script.headers["content-encoding"] == "gzip"
    assert script.headers["content-type"].startswith("text/javascript")
    etag = script.headers["etag"]
    assert phone.get("/static/answer.js", headers={"if-none-match": etag}).status_code == 304
    assert phone.get("/static/../access.py").status_code == 404
    assert phone.get("/static/nothing.js").status_code == 404


def test_anonymous_participants_get_distinct_ids(room):
    config, device = room
    ids = set()
    for _ in range(3):
        phone = device()
        assert _join(phone, config.keys.code, "", "team_member", anonymous="1").status_code == 303
        ids.add(phone.get("/api/me").json()["respondent"])
    assert len(ids) == 3 and all(re.fullmatch(r"anon-[A-Z2-9]{4}", i) for i in ids)


def test_inputs_are_validated_and_escaped(room):
    config, device = room
    phone = device()
    nobody = _join(phone, config.keys.code, "", "executive")
    assert nobody.status_code == 400 and "Type your name" in nobody.text
    assert "Choose your group" in _join(phone, config.keys.code, "Gil", "board").text
    hostile = "<script>alert(1)</script>"
    assert _join(phone, config.keys.code, hostile, "executive").status_code == 303
    page = phone.get("/answer").text
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for bad in [
        {"question": "AL1", "level": 5},
        {"question": "AL1", "level": "3; DROP TABLE answers"},
        {"question": "NOPE", "level": 1},
        {"question": "AL1"},
    ]:
        assert phone.post("/api/answer", json=bad).status_code == 422, bad
    assert phone.post("/api/answer", content=b"AL1=3", headers={
        "content-type": "application/x-www-form-urlencoded"}).status_code == 415  # fmt: skip
    big = phone.post("/api/comment", json={"dimension": "risk", "comment": "x" * 20_000})
    assert big.status_code == 413
    assert (
        phone.post("/api/comment", json={"dimension": "risk", "comment": "y" * 2001}).status_code
        == 422
    )
    assert _stored(config.database) == []


def test_the_facilitator_needs_the_secret_and_sees_the_room_build_up(room):
    config, device = room
    projector = device()
    assert projector.get("/facilitator?key=guess").status_code == 403
    opened = projector.get(f"/facilitator?key={config.keys.facilitator_secret}")
    assert opened.url.path == "/facilitator"  # the secret is off the address bar
    page = opened.text
    assert config.keys.display_code in page and "http://10.1.2.3:8800" in page
    assert "<svg" in page and "ACME &lt;PMO&gt;" in page
    assert "Waiting for the first participant" in page
    version = re.search(r'data-version="(\d+)"', page).group(1)
    assert projector.get(f"/facilitator/board?since={version}").status_code == 204

    answers = {"Ana": ("executive", 4), "Ben": ("executive", 3), "Cy": ("team_member", 1)}
    for name, (group, level) in answers.items():
        phone = device()
        _join(phone, config.keys.code, name, group)
        for question in ("AL1", "AL2", "AL3", "AL4"):
            phone.post("/api/answer", json={"question": question, "level": level})
    board = projector.get(f"/facilitator/board?since={version}")
    assert board.status_code == 200
    html = board.text
    # Worked by hand: alignment is 3.5 for the executives and 1.0 for the team, weighted
    # by group (each group counts once): (3.5 + 1.0) / 2 = 2.25, tier 2; the executives
    # see it 2.5 above the team (a flagged perception gap); the spread of 4, 3, 1 is
    # sqrt(((4-8/3)^2 + (3-8/3)^2 + (1-8/3)^2) / 3) = 1.247 > 1, so it is flagged.
    assert "3 joined · 12 answers" in html
    assert "Tier 2 · Controlling" in html
    assert re.search(r"Strategic alignment and governance.*?⚑ discuss", html, re.S)
    assert "Executive 3.50\n        vs Team member 1.00 (+2.50)" in html
    assert html.count("<polygon") >= 4 + 2 + 1  # rings, two groups, overall
    # The same numbers as pmo-sim assess on the file.
    with AnswerStore(config.database) as store:
        result = score_answers(store.answers_frame(), QUESTIONNAIRE)
    assert result.tier == 2
    assert float(result.dimensions.set_index("dimension").at["alignment", "score"]) == 2.25
    assert f"index {result.index:.2f}"[:-1] in html  # shown truncated, as in the summary
    qr = projector.get("/facilitator/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml") and "<path" in qr.text


def test_the_printed_link_uses_an_address_the_room_can_reach(cli, tmp_path):
    from pmo_sim.room.server import _public_base, lan_address

    assert _public_base("127.0.0.1", 8800, None) == "http://127.0.0.1:8800"
    assert _public_base("0.0.0.0", 8801, None) == f"http://{lan_address()}:8801"
    assert _public_base("::1", 8800, None) == "http://[::1]:8800"
    assert _public_base("0.0.0.0", 8800, "https://room.example/") == "https://room.example"
    bad = cli("workshop", "serve", "answers.csv")
    assert bad.returncode == 2 and "must end in .sqlite or .db" in bad.stderr
    assert "Traceback" not in bad.stderr
    database = tmp_path / "x.sqlite"
    url = cli("workshop", "serve", database, "--public-url", "room:8800")
    assert url.returncode == 2 and "must start with http://" in url.stderr
    code = cli("workshop", "serve", database, "--code", "I0O1")
    assert code.returncode == 2 and "not a join code" in code.stderr
    assert list(tmp_path.iterdir()) == []  # refused before anything was created
    other = tmp_path / "crm.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    refused = cli("workshop", "serve", other)
    assert refused.returncode == 2 and "not a pmo-sim workshop database" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]
