"""Result files: what a finished table writes, read back, replayed, and refused when damaged."""

from __future__ import annotations

import json

import pytest

from game.analysis.indices import health_series, proxy_series
from game.engine import Game
from game.errors import SaveError
from game.workshop.result import read_result, replay_result, write_result
from game.workshop.run import play_to_end, run_table
from game.workshop.tables import start_session
from tests.workshop.conftest import bot_factory, random_bot


def test_a_finished_table_writes_everything_the_debrief_needs(tmp_path, tiny_workshop):
    session, setup = start_session(tiny_workshop, "A", fill={"employee": "random"})
    play_to_end(session, random_bot)
    path = tmp_path / "a.json"
    write_result(session, path, predictions={1: 45.0})
    data = json.loads(path.read_text())
    assert data["format"] == 1 and data["kind"] == "goodhart-result"
    assert data["scenario"]["id"] == "tiny" and data["scenario"]["fingerprint"]
    assert data["workshop"] == "Rehearsal on the tiny scenario"
    assert data["table"] == {"id": "A", "name": "Table A"}
    assert data["condition"] == {"name": "Leaderboard", "locked": {"leaderboard": 1}}
    assert data["seed"] == 11 and data["finished"] is True
    turns = data["turns"]
    assert [t["turn"] for t in turns] == [0, 1, 2, 3, 4]
    assert all(t["policies"]["leaderboard"] == 1 for t in turns)
    state, scenario = session.state, session.game.scenario
    assert [t["proxy_index"] for t in turns] == pytest.approx(proxy_series(scenario, state))
    assert [t["health_index"] for t in turns] == pytest.approx(health_series(scenario, state))
    assert turns[-1]["gap"] == pytest.approx(
        (turns[-1]["proxy_index"] - turns[0]["proxy_index"])
        - (turns[-1]["health_index"] - turns[0]["health_index"]))
    assert turns[2]["metrics"] == state.history[1].metrics
    employees = [o for o in data["outcomes"] if o["role"] == "employee"]
    assert sorted(o["leaderboard_rank"] for o in employees) == [1, 2]
    assert data["predictions"] == [{"seat": 1, "name": "Ana (random bot)",
                                    "predicted_health": 45.0,
                                    "actual_health": turns[-1]["health_index"]}]
    assert data["final_scores"] == {str(s.index): s.score_total for s in state.seats}
    assert len(data["actions"]) == len(session.actions) > 0


def test_a_result_replays_to_the_same_game(tmp_path, tiny_workshop):
    path = tmp_path / "b.json"
    run_table(tiny_workshop, "B", path=path, make_bot=bot_factory())
    result = read_result(path)
    state = replay_result(Game(tiny_workshop.scenario), result)
    assert state.state_hash() == result.state_hash
    assert state.phase == "ended"


def test_a_tampered_result_does_not_replay(tmp_path, tiny_workshop):
    path = tmp_path / "b.json"
    run_table(tiny_workshop, "B", path=path, make_bot=bot_factory())
    data = json.loads(path.read_text())
    data["seed"] += 1
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="damaged save"):
        replay_result(Game(tiny_workshop.scenario), read_result(path))


@pytest.mark.parametrize("content, message", [
    (None, "no such result file"),
    ('{"format": 1, "kind": "goodhart-result", "scen', "damaged or truncated"),
    ("table,condition\n", "not a Goodhart result file"),
    ('{"kind": "goodhart-save"}', "a Goodhart save, not a result file"),
    ('{"format": 9, "kind": "goodhart-result"}', "format 9, newer than"),
    ('{"format": 1, "kind": "goodhart-result", "seed": 1}', "damaged result file: scenario"),
    (b"\xff\xfe{", "not a Goodhart result file"),
    (b'{"format": 1, "kind": "goodhart-result", "title": "caf\xe9"}', "damaged or truncated"),
    ('{"kind": "goodhart-result", "seed": ' + "9" * 5001 + "}", "damaged or truncated"),
    ("{" + '"a": [' * 100_000, "damaged or truncated"),
])
def test_a_bad_result_file_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "r.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(SaveError) as err:
        read_result(path)
    assert str(err.value).startswith(str(path))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_headless_run_refuses_a_human_seat(tiny_workshop):
    from game.errors import GoodhartError
    session, _ = start_session(tiny_workshop, "A")
    with pytest.raises(GoodhartError, match="Ana.*is a human seat"):
        play_to_end(session, random_bot)
