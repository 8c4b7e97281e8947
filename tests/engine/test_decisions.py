"""Numeric decisions: a role chooses numbers in the work phase, its formulas read them, only
its own seat sees them, and the bots choose them by reading the incentives in force."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from game.analysis.simulate import run_game
from game.bots import make_bot
from game.engine import Allocate, Game, SetPolicies
from game.engine.save import Session, open_save
from game.errors import ActionError, ScenarioError
from game.scenario.lint import lint_file
from game.scenario.load import load_scenario
from game.scenario.scoring import scoring_lines
from game.workshop.facilitator import timeout_action

COMMONS = Path(__file__).with_name("fixtures") / "commons.yaml"


@pytest.fixture(scope="module")
def game() -> Game:
    return Game(load_scenario(COMMONS))


def _at_work(game: Game, board: int = 0):
    """Turn 1's work phase, the warden having set the top-catch board on or off."""
    state = game.new_state(7)
    return game.apply(state, SetPolicies(seat=0, levels={"board": board}))


def _season(game: Game, state, catches: dict[int, float]):
    for seat, catch in catches.items():
        state = game.apply(state, Allocate(seat=seat, numbers={"catch": catch}))
    return state


def test_a_boat_is_offered_its_number_with_last_seasons_value(game):
    state = _at_work(game)
    option, = game.legal_actions(state, 1).numbers
    assert (option.id, option.min, option.max, option.step, option.current) == \
        ("catch", 0.0, 10.0, 0.5, 2.0)
    state = _season(game, state, {1: 4.5, 2: 1, 3: 0})
    state = game.apply(state, SetPolicies(seat=0))
    assert game.legal_actions(state, 1).numbers[0].current == 4.5
    assert game.legal_actions(state, 3).numbers[0].current == 0.0


@pytest.mark.parametrize("value, words", [
    (10.5, "between 0 and 10"), (-1, "between 0 and 10"), (2.25, "steps of 0.5"),
    (math.nan, "must be a number"), (math.inf, "must be a number")])
def test_a_number_outside_its_range_off_its_step_or_not_finite_is_refused(game, value, words):
    state = _at_work(game)
    with pytest.raises(ActionError, match=words):
        game.apply(state, Allocate(seat=1, numbers={"catch": value}))


def test_an_unknown_number_is_refused_and_a_left_out_one_is_the_initial(game):
    state = _at_work(game)
    with pytest.raises(ActionError, match="unknown decision 'net'"):
        game.apply(state, Allocate(seat=1, numbers={"net": 1}))
    state = _season(game, state, {1: 3, 2: 3})
    state = game.apply(state, Allocate(seat=3))
    assert state.history[-1].allocations[3] == {"catch": 2.0}


def test_formulas_read_a_seats_number_and_its_total(game):
    state = _season(game, _at_work(game), {1: 3, 2: 4.5, 3: 10})
    record = state.history[-1]
    assert [record.stats[i]["landed"] for i in (1, 2, 3)] == [3.0, 4.5, 10.0]
    assert record.metrics["landings"] == 17.5
    assert record.metrics["pond"] == 60 - 17.5
    # the regrowth (computed on 60 fish) arrives a season later
    later = _season(game, game.apply(state, SetPolicies(seat=0)), {1: 0, 2: 0, 3: 0})
    assert later.history[-1].metrics["pond"] == pytest.approx(42.5 + 0.3 * 60 * 0.4)


def test_only_the_seat_itself_sees_its_number(game):
    state = _season(game, _at_work(game, board=0), {1: 3.5, 2: 1, 3: 0})
    mine = game.view(state, 1)
    assert mine.own_history[-1].choice == {"catch": 3.5}
    for seat in (0, 2, 3):
        seen = game.view(state, seat)
        assert all("catch" not in o.stats and "landed" not in o.stats for o in seen.others)
        assert "3.5" not in seen.model_dump_json()
    state = game.apply(state, SetPolicies(seat=0, levels={"board": 1}))
    state = game.apply(state, Allocate(seat=1, numbers={"catch": 6}))
    assert game.view(state, 1).own_choice == {"catch": 6.0}
    assert game.view(state, 2).own_choice is None


def test_a_public_stat_shows_what_a_number_did_only_while_its_rule_holds(game):
    state = _season(game, _at_work(game, board=1), {1: 3.5, 2: 1, 3: 0})
    others = {o.index: o.stats for o in game.view(state, 2).others}
    assert others[1] == {"landed": 3.5}


def test_an_allocation_saved_before_numbers_existed_still_loads():
    action = Allocate.model_validate_json('{"kind": "allocate", "seat": 1, "effort": {"a": 2}}')
    assert action.numbers == {}


def _boat_catches(strategies: dict[str, str], locked: dict[str, int] | None = None):
    """Every catch the boats' bots choose in a game with these policies held."""
    scenario = load_scenario(COMMONS)
    game = Game(scenario)
    state = game.new_state(5, locked={"board": 0, "cap": 0, **(locked or {})})
    seats = game.default_seats()
    bots = [make_bot(strategies[s.role], scenario, i, random.Random(i))
            for i, s in enumerate(seats)]
    while not game.is_terminal(state):
        for seat in game.to_act(state):
            state = game.apply(state, bots[seat].act(game.view(state, seat),
                                                     game.legal_actions(state, seat)))
    return [rec.allocations[i]["catch"] for rec in state.history for i in (1, 2, 3)]


def test_gamers_catch_all_they_can_for_the_board_and_stop_at_the_cap():
    assert set(_boat_catches({"warden": "hype", "boat": "gamer"}, {"board": 1})) == {10.0}
    assert set(_boat_catches({"warden": "hype", "boat": "gamer"}, {"cap": 1})) == {3.0}


def test_a_number_the_review_ignores_keeps_its_initial_value_and_craft_spares_the_pond():
    assert set(_boat_catches({"warden": "hype", "boat": "gamer"})) == {2.0}
    assert set(_boat_catches({"warden": "hype", "boat": "craft"})) == {0.0}


def test_simulated_games_record_no_number_as_effort():
    record = run_game(load_scenario(COMMONS), 3, {"warden": "hype", "boat": "gamer"})
    assert all(row == {} for row in record.effort)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "commons.yaml"
    text = COMMONS.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize("old, new, words", [
    ("min: 0, max: 10, step: 0.5, initial: 2", "min: 10, max: 0, step: 0.5, initial: 2",
     "must be below max"),
    ("step: 0.5, initial: 2}", "step: 0.5, initial: 2.2}", "whole number of steps"),
    ("step: 0.5, initial: 2}", "step: .inf, initial: 2}", "finite"),
    ("{id: catch, name: Catch", "{id: landed, name: Catch", "already used"),
    ("{id: catch, name: Catch", "{id: turn, name: Catch", "reserved"),
])
def test_a_bad_decision_is_one_line_at_its_place(tmp_path, old, new, words):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert words in str(err) and "\n" not in str(err)
    assert err.line == 1 + next(i for i, line in enumerate(path.read_text().splitlines())
                                if new in line)


def test_lint_warns_of_a_decision_no_formula_reads(tmp_path):
    path = _broken(tmp_path, "  - {target: landed, mode: set, value: \"catch * min(1, pond / "
                   "max(total_catch, 0.001))\"}\n  - {target: pond, value: \"-min(total_catch, "
                   "pond)\"}\n  - {target: landings, mode: set, value: \"min(total_catch, pond)\"}",
                   "  - {target: landed, mode: set, value: 1}\n  - {target: pond, value: -1}\n"
                   "  - {target: landings, mode: set, value: 1}")
    path.write_text(path.read_text().replace("landed - 5 * max(0, catch - 3)", "landed"))
    found = [d for d in lint_file(path) if "changes nothing" in str(d)]
    assert len(found) == 1 and "decision 'catch'" in str(found[0])
    assert lint_file(COMMONS) == []


def test_the_scoring_panel_says_what_a_number_earns(game):
    lines = scoring_lines(game.scenario, "boat", {"cap": 1})
    assert lines[-1] == "Catch cap: points for Landed; points off for the catch you choose."


def test_a_seat_whose_time_runs_out_keeps_last_seasons_number(game):
    state = _season(game, _at_work(game), {1: 6.5, 2: 1, 3: 0})
    state = game.apply(state, SetPolicies(seat=0))
    assert timeout_action(game, state, 1).numbers == {"catch": 6.5}


def test_a_saved_game_with_numbers_replays_to_the_same_state(game, tmp_path):
    session = Session(game, 4, game.default_seats(), path=tmp_path / "save.json",
                      scenario_path=str(COMMONS), secret="")
    session.act(SetPolicies(seat=0, levels={"board": 1}))
    for seat, catch in ((1, 7.5), (2, 0), (3, 10)):
        session.act(Allocate(seat=seat, numbers={"catch": catch}))
    resumed, _ = open_save(tmp_path / "save.json")
    assert resumed.state.state_hash() == session.state.state_hash()
    assert resumed.state.history[-1].allocations[1] == {"catch": 7.5}


EVERYWHERE = """
  - id: crew
    name: Crew
    seats: {min: 0, max: 2, default: 1}
    effort: 4
    decisions:
      - {id: wage, name: Wage, min: 0, max: 1, step: 0, initial: 0.5}
behaviours:
  - id: mend
    name: Mend nets
    role: crew
    available: "total_catch >= 0 and wage >= 0"
    effects:
      - {target: pond, value: "0.1 * mean_catch + wage"}
      - {target: mended, value: "max_catch * effort"}
events:
  - {id: glut, headline: A glut, when: "total_catch > 5", repeat: true, effects: [{target: pond, value: "-min_catch"}]}
"""


def test_every_bot_plays_a_game_whose_formulas_read_numbers_everywhere(tmp_path):
    """Decisions and their aggregates in availability, behaviour and event formulas, a
    public stat and a review, with a second role that both spends effort and chooses a
    number: every strategy plays whole games on it without a crash."""
    text = COMMONS.read_text()
    text = text.replace("policies:\n", EVERYWHERE.lstrip("\n").split("behaviours:")[0]
                        + "policies:\n", 1)
    text = text.replace("dynamics:\n", "behaviours:" + EVERYWHERE.split("behaviours:")[1]
                        + "dynamics:\n", 1)
    text = text.replace('public: "board > 0"}', 'public: "board > 0 or max_catch > 9"}\n'
                        "  - {id: mended, name: Mended, min: 0, max: 1000, initial: 0, "
                        "roles: [crew]}")
    text = text.replace('score: "0"', 'score: "landed - 0.1 * max_catch"')
    path = tmp_path / "everywhere.yaml"
    path.write_text(text)
    scenario = load_scenario(path)
    game = Game(scenario)
    for manager in ("hype", "outcome", "random", "adaptive"):
        for worker in ("gamer", "craft", "cautious", "random", "adaptive"):
            strategies = {"warden": manager, "boat": worker, "crew": worker}
            seats = game.default_seats()
            bots = [make_bot(strategies[s.role], scenario, i, random.Random(i))
                    for i, s in enumerate(seats)]
            state = game.new_state(2, seats)
            while not game.is_terminal(state):
                for seat in game.to_act(state):
                    state = game.apply(state, bots[seat].act(
                        game.view(state, seat), game.legal_actions(state, seat)))
            crew = next(i for i, s in enumerate(seats) if s.role == "crew")
            assert 0 <= state.history[-1].allocations[crew]["wage"] <= 1
