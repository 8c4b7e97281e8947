"""Every policy change is public news: each seat's view lists the changes made so far."""

from __future__ import annotations

from game.engine import Allocate, Game, SetPolicies
from game.engine.state import SeatSetup
from game.engine.view import PolicyChange
from game.scenario.load import load_scenario
from tests.conftest import TINY

SEATS = [SeatSetup(role="manager", name="M"), SeatSetup(role="employee", name="A"),
         SeatSetup(role="employee", name="B")]


def _work(game, state):
    for seat in (1, 2):
        state = game.apply(state, Allocate(seat=seat, effort={"work": 10}))
    return state


def test_changes_appear_once_the_policy_phase_is_over_in_every_seat_view():
    game = Game(load_scenario(TINY))
    state = game.new_state(1, SEATS)
    assert all(game.view(state, s).policy_changes == [] for s in range(3))
    state = game.apply(state, SetPolicies(seat=0, levels={"leaderboard": 1, "outcomes": 0}))
    first = PolicyChange(turn=1, policy="leaderboard", before=0, after=1)
    assert all(game.view(state, s).policy_changes == [first] for s in range(3))
    state = _work(game, state)
    assert game.view(state, 1).policy_changes == [first]        # turn 2, before its policies
    state = game.apply(state, SetPolicies(seat=0, levels={"leaderboard": 0, "outcomes": 2}))
    assert game.view(state, 2).policy_changes == [
        first, PolicyChange(turn=2, policy="leaderboard", before=1, after=0),
        PolicyChange(turn=2, policy="outcomes", before=0, after=2)]


def test_keeping_the_levels_is_no_news_and_a_locked_policy_starts_at_its_lock():
    game = Game(load_scenario(TINY))
    state = game.new_state(1, SEATS, locked={"outcomes": 1})
    state = game.apply(state, SetPolicies(seat=0, levels={"leaderboard": 0, "outcomes": 1}))
    assert game.view(state, 1).policy_changes == []
    state = _work(game, state)
    state = game.apply(state, SetPolicies(seat=0, levels={"leaderboard": 0, "outcomes": 1}))
    assert game.view(state, 1).policy_changes == []
