"""The what-if replay: the same company, seed and seats under a contrasting regime."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.simulate import run_game
from game.analysis.what_if import (comparison_rows, comparison_text, contrast_regime,
                                   followed_share, replay_what_if, what_if_for_state)
from game.engine.game import Game
from game.engine.state import SeatSetup
from game.errors import ScenarioError
from game.scenario.load import load_scenario
from tests.conftest import TINY

REGIMES = """
  what_if:
    - name: Leaderboard
      text: The token board stays up.
      locks: {leaderboard: on, outcomes: off}
    - name: Outcomes
      text: Outcome metrics, strong.
      locks: {leaderboard: 0, outcomes: strong}
"""


def with_regimes(tmp_path: Path, regimes: str = REGIMES) -> Path:
    """tiny.yaml with `regimes` added to its debrief section (the file's last)."""
    path = tmp_path / "tiny-what-if.yaml"
    path.write_text(TINY.read_text(encoding="utf-8").rstrip("\n") + "\n" + regimes.lstrip("\n"),
                    encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path):
    return load_scenario(with_regimes(tmp_path))


def seats_with_a_human(scenario) -> list[SeatSetup]:
    return [SeatSetup(role="manager", name="Ana"),
            SeatSetup(role="employee", name="Bo", controller="bot:gamer"),
            SeatSetup(role="employee", name="Cy")]


def test_the_replay_is_deterministic_and_holds_the_regimes_locks(tiny):
    seats = seats_with_a_human(tiny)
    regime = tiny.debrief.what_if[1]
    a = replay_what_if(tiny, 11, seats, regime)
    assert a == replay_what_if(tiny, 11, seats, regime)
    assert a.locks == {"leaderboard": 0, "outcomes": 2}
    assert a.held == ["Outcome metrics: strong"]   # the policies held above off
    assert a.strategies == ["adaptive", "gamer", "adaptive"]   # humans get the role default
    locked = run_game(tiny, 11, {}, seats, {"leaderboard": 0, "outcomes": 2})
    assert a.proxy == locked.proxy and a.health == locked.health
    assert all(turn == {"leaderboard": 0, "outcomes": 2} for turn in locked.policies)
    other = replay_what_if(tiny, 11, seats, tiny.debrief.what_if[0])
    assert other.proxy != a.proxy   # the locks change the game


def test_the_regime_shown_is_the_one_the_game_followed_least(tiny):
    board = [{"leaderboard": 1, "outcomes": 0}] * 3 + [{"leaderboard": 0, "outcomes": 0}]
    assert followed_share({"leaderboard": 1, "outcomes": 0}, board) == pytest.approx(7 / 8)
    assert contrast_regime(tiny, board).name == "Outcomes"
    outcomes = [{"leaderboard": 0, "outcomes": 2}] * 4
    assert contrast_regime(tiny, outcomes).name == "Leaderboard"
    nothing = [{"leaderboard": 0, "outcomes": 0}] * 4   # each followed half: the first wins
    assert contrast_regime(tiny, nothing).name == "Leaderboard"


def test_a_game_that_followed_its_only_regime_all_the_way_has_no_what_if(tmp_path):
    scenario = load_scenario(with_regimes(tmp_path, REGIMES.split("    - name: Outcomes")[0]))
    assert contrast_regime(scenario, [{"leaderboard": 1, "outcomes": 0}] * 4) is None


def test_a_scenario_without_regimes_has_no_what_if():
    scenario = load_scenario(TINY)
    game = Game(scenario)
    state = game.new_state(3)
    assert contrast_regime(scenario, [{"leaderboard": 1, "outcomes": 0}]) is None
    assert what_if_for_state(scenario, state, game.default_seats()) is None


def test_the_comparison_sets_both_games_side_by_side(tiny):
    other = replay_what_if(tiny, 4, Game(tiny).default_seats(), tiny.debrief.what_if[0])
    rows = comparison_rows([10.0, 30.0], [50.0, 40.0], 0.5, other)
    assert rows[0] == ("Proxy index at the end", 30.0, other.proxy[-1])
    assert rows[2] == ("Goodhart gap", 30.0, other.gap[-1])
    assert rows[3] == ("Leaderboard vs real contribution", 0.5, other.rank_agreement)
    text = "\n".join(comparison_text([10.0, 30.0], [50.0, 40.0], 0.5, other))
    assert '"Leaderboard"' in text and "Token leaderboard: on" in text


@pytest.mark.parametrize(("locks", "message"), [
    ("{leaderbord: on}", "unknown policy 'leaderbord' (policies: leaderboard, outcomes)"),
    ("{outcomes: huge}", "policy 'outcomes' has no level 'huge' (levels: off, light, strong"),
    ("{outcomes: 3}", "policy 'outcomes' has no level '3'"),
    ("{leaderboard: on, outcomes: light}", "'leaderboard' and 'outcomes' exclude each other"),
])
def test_a_bad_regime_is_one_line_at_its_place_in_the_file(tmp_path, locks, message):
    path = with_regimes(tmp_path, f"  what_if:\n    - name: Bad\n      locks: {locks}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.line == len(path.read_text().splitlines())
    assert message in str(info.value) and "\n" not in str(info.value)


def test_locks_over_the_budget_are_refused(tmp_path):
    path = with_regimes(tmp_path, REGIMES)
    path.write_text(path.read_text().replace("policy_budget: 2", "policy_budget: 1"))
    with pytest.raises(ScenarioError, match="these locks cost 2 points; the Manager's policy "
                                            "budget is 1"):
        load_scenario(path)


def test_a_solo_players_seat_is_replayed_as_the_default_tables_left_over_bot():
    from game.analysis.what_if import replay_seats
    s = load_scenario("tokenmaxxing")
    seats = [SeatSetup(role="manager", name="M", controller="bot:hype"),
             SeatSetup(role="employee", name="Me"),
             SeatSetup(role="employee", name="B1", controller="bot:craft"),
             SeatSetup(role="employee", name="B2", controller="bot:gamer"),
             SeatSetup(role="employee", name="B3", controller="bot:gamer")]
    replayed = [x.strategy for x in replay_seats(s, seats)]
    assert replayed == ["hype", "gamer", "craft", "gamer", "gamer"]   # one craft, as listed
    people = [SeatSetup(role="manager", name="M"), SeatSetup(role="employee", name="A"),
              SeatSetup(role="employee", name="B")]
    assert [x.strategy for x in replay_seats(s, people)] == ["hype", "craft", "gamer"]
