"""Workshop files: a good one loads into table setups; a broken one is one line at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.workshop.load import load_workshop
from game.workshop.tables import table_setup
from tests.conftest import ROOT
from tests.workshop.conftest import FIXTURES, TINY_WORKSHOP


def test_the_tiny_workshop_gives_each_table_its_condition_seats_and_seed(tiny_workshop):
    a = table_setup(tiny_workshop, "A")
    assert a.locked == {"leaderboard": 1}
    assert a.seed == 11
    assert [(s.name, s.controller) for s in a.seats][:2] == [("Mo", "bot:" + a.seats[0].strategy),
                                                            ("Ana", "human")]
    assert a.timers.policy == 60 and a.timers.work == 90
    assert a.meta["table"] == "A" and a.meta["condition"] == "Leaderboard"
    c = table_setup(tiny_workshop, "c")  # ids match in any letter case
    assert c.locked == {"outcomes": 2}
    assert [s.role for s in c.seats] == ["manager", "employee", "employee"]
    assert all(s.controller == "human" for s in c.seats)


def test_a_headless_fill_puts_bots_in_the_human_seats(tiny_workshop):
    setup = table_setup(tiny_workshop, "A", fill={"employee": "random"})
    assert all(s.is_bot for s in setup.seats)
    assert setup.seats[1].name == "Ana (random bot)"


def test_an_unknown_table_lists_the_tables(tiny_workshop):
    from game.errors import GoodhartError
    with pytest.raises(GoodhartError,
                       match=r"no table 'Z' in this workshop \(tables: A, B, C, D\)"):
        table_setup(tiny_workshop, "Z")


BROKEN = [
    ("bad-unknown-key.yaml", 5, "unknown key 'conditon' in table 'A' (did you mean 'condition'?)"),
    ("bad-unknown-policy.yaml", 6, "unknown policy 'leaderbord' in the condition of table 'A' "
                                   "(did you mean 'leaderboard'?)"),
    ("bad-level.yaml", 9, "policy 'outcomes' has no level 3 (levels: off (0), light (1), "
                          "strong (2))"),
    ("bad-too-many-seats.yaml", 11, "too many Employee seats at table 'A': this scenario allows "
                                    "at most 4"),
]


@pytest.mark.parametrize("name, line, message", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_workshop_file_is_one_line_with_its_line_number(name, line, message):
    with pytest.raises(ScenarioError) as err:
        load_workshop(FIXTURES / name)
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith(f"{FIXTURES / name}:{line}:")
    assert text.endswith(message)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(f"title: T\nscenario: {FIXTURES / 'tiny.yaml'}\n" + body)
    return path


CASES = [
    ("tables:\n  - id: A\n    seed: abc\n", 5, "'seed' in table 'A': expected a whole number"),
    ("tables:\n  - id: A\n    seats:\n      - {role: boss}\n", 6, "unknown role 'boss'"),
    ("tables:\n  - id: A\n    seats:\n      - {role: employee}\n", 5,
     "table 'A' has 0 Manager seat(s); this scenario needs at least 1"),
    ("tables:\n  - id: A\n    seats:\n      - {role: manager, player: robot}\n"
     "      - {role: employee}\n", 6, "player 'robot': write `human`, `bot`, or `bot:STRATEGY`"),
    ("tables:\n  - id: A\n  - id: a\n", 5, "table id 'a' is used twice"),
    ("tables:\n  - id: A\n    condition:\n      policies: {leaderboard: 1, outcomes: 1}\n", 6,
     "policies 'leaderboard' and 'outcomes' exclude each other"),
    ("tables:\n  - id: A\n    condition:\n      policies: {leaderboard: maximum}\n", 6,
     "policy 'leaderboard' has no level 'maximum' (levels: off (0), on (1))"),
    ("tables:\n  - id: A B\n", 4, "'A B' is not a valid table id"),
    ("timers: {work: -1}\ntables:\n  - id: A\n", 3, "'work' in timers: must be at least 0"),
    ("tables: []\n", 3, "'tables': needs at least 1 item(s)"),
    ("facilitator_pin: 12\ntables:\n  - id: A\n", 3,
     "'facilitator_pin': a PIN is 4 to 8 digits (found 12)"),
    ("facilitator_pin: 0472\ntables:\n  - id: A\n", 3,
     'a PIN is 4 to 8 digits (found 472); one that starts with 0 goes in quotes, e.g. "0472"'),
]


@pytest.mark.parametrize("body, line, message", CASES, ids=[c[2][:30] for c in CASES])
def test_every_mistake_points_at_its_line(tmp_path, body, line, message):
    path = _write(tmp_path, body)
    with pytest.raises(ScenarioError) as err:
        load_workshop(path)
    assert str(err.value).startswith(f"{path}:{line}:")
    assert message in str(err.value)


def test_a_missing_scenario_points_at_the_scenario_key(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("title: T\nscenario: nowhere.yaml\ntables:\n  - id: A\n")
    with pytest.raises(ScenarioError, match=r"w.yaml:2:11: scenario 'nowhere.yaml': no such file"):
        load_workshop(path)


def test_a_missing_or_empty_workshop_file_speaks_of_workshop_files(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_workshop(tmp_path / "absent.yaml")
    (tmp_path / "empty.yaml").write_text("# nothing yet\n")
    with pytest.raises(ScenarioError, match="a workshop file is a YAML mapping"):
        load_workshop(tmp_path / "empty.yaml")


def test_the_workshop_example_ships_with_the_scenarios_and_loads():
    example = ROOT / "scenarios" / "workshop-example.yaml"
    loaded = load_workshop(example)
    assert len(loaded.workshop.tables) >= 2
    conditions = {table_setup(loaded, t.id).condition for t in loaded.workshop.tables}
    assert len(conditions) >= 2


def test_the_fixture_workshop_is_relative_to_its_own_folder():
    assert load_workshop(TINY_WORKSHOP).scenario.id == "tiny"


def test_bot_seats_without_a_strategy_take_the_scenario_table_in_order():
    loaded = load_workshop(ROOT / "scenarios" / "workshop-example.yaml")
    a = table_setup(loaded, "A")
    assert [s.strategy for s in a.seats] == [None, None, None, None, "craft"]
    c = table_setup(loaded, "C")
    assert [s.strategy for s in c.seats] == [None, None, None, "craft", "gamer"]
    filled = table_setup(loaded, "C", fill={})
    assert [s.strategy for s in filled.seats] == ["hype", "craft", "gamer", "gamer", "gamer"]


@pytest.mark.parametrize("written, pin", [("4711", "4711"), ('"0472"', "0472")])
def test_a_facilitator_pin_loads_as_its_digits(tmp_path, written, pin):
    path = _write(tmp_path, f"facilitator_pin: {written}\ntables:\n  - id: A\n")
    assert load_workshop(path).workshop.facilitator_pin == pin
