"""The room's board in a notebook: the join box and live counts from the answer file."""

from __future__ import annotations

from pmo_sim.assessment import AnswerStore
from pmo_sim.room import load_keys
from pmo_sim.room.access import remember_link
from pmo_sim.widgets import room_panel


def test_panel_shows_the_join_box_and_follows_the_file(tmp_path):
    database = tmp_path / "acme.sqlite"
    keys = load_keys(database)
    remember_link(database, keys, f"http://10.9.8.7:8800/j/{keys.code}")
    panel = room_panel(database, title="ACME & Co", poll_seconds=0)
    try:
        assert keys.display_code in panel.joinbox.value
        assert "http://10.9.8.7:8800" in panel.joinbox.value and "<svg" in panel.joinbox.value
        assert "ACME &amp; Co" in panel.joinbox.value
        assert "Waiting for the first participant" in panel.results.value
        # Answers from elsewhere (the room server is another connection, another process).
        with AnswerStore(database) as room:
            for name, group, level in [("Ana", "executive", 4), ("Cy", "team_member", 0)]:
                room.add_respondent(name, group)
                for question in ("AL1", "AL2", "AL3", "AL4"):
                    room.record_answer(name, question, level)
        before = panel.board.version
        panel.poll()
        assert panel.board.version > before
        html = panel.results.value
        # By group: (4 + 0) / 2 = 2.00, tier 2; executives 4 above the team: a flagged gap.
        assert "2 joined · 8 answers" in html and "Tier 2 · Controlling" in html
        assert "Executive 4.00" in html and "(+4.00)" in html
        version = panel.board.version
        panel.poll()  # nothing changed: nothing redrawn
        assert panel.board.version == version
    finally:
        panel.close()
