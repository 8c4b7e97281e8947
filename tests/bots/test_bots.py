"""Bots: the interface others call, generic strategies, and only legal actions, ever."""

from __future__ import annotations

import random

import pytest

from game.bots import (EMPLOYEE_STRATEGIES, MANAGER_STRATEGIES, Bot, default_strategy, make_bot,
                       strategies_for)
from game.engine import Game
from game.engine.actions import Allocate, SetPolicies
from game.scenario.load import load_scenario
from game.scenario.model import Scenario
from tests.conftest import TINY

FLAGSHIP = "tokenmaxxing"


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_unknown_strategy_is_a_value_error_listing_the_choices(tiny):
    with pytest.raises(ValueError, match="unknown bot strategy 'hyper'.*gamer.*outcome"):
        make_bot("hyper", tiny, 0, random.Random(1))


def test_roles_get_the_strategies_of_what_they_do(tiny):
    assert strategies_for(tiny, "manager") == MANAGER_STRATEGIES
    assert strategies_for(tiny, "employee") == EMPLOYEE_STRATEGIES
    assert default_strategy(tiny, "manager") == "adaptive"
    assert default_strategy(tiny, "employee") == "adaptive"
    with pytest.raises(ValueError, match="unknown role"):
        strategies_for(tiny, "ceo")


def test_a_role_that_sets_policies_and_works_gets_both_lists(tiny):
    data = tiny.model_dump()
    data["roles"][0]["effort"] = 4
    data["behaviours"].append({"id": "plan", "name": "Plan", "role": "manager",
                               "effects": [{"target": "quality", "value": "0.1"}]})
    both = Scenario.model_validate(data)
    choices = strategies_for(both, "manager")
    assert set(choices) == set(EMPLOYEE_STRATEGIES) | set(MANAGER_STRATEGIES)
    game = Game(both)
    seats = game.default_seats()
    state = game.new_state(3, seats)
    for strategy in choices:
        trial = state.clone()
        bots = {i: make_bot(strategy, both, i, random.Random(i)) for i in range(len(seats))}
        while not game.is_terminal(trial):
            seat = game.to_act(trial)[0]
            game.apply_inplace(trial, bots[seat].act(game.view(trial, seat),
                                                     game.legal_actions(trial, seat)))


@pytest.mark.parametrize("strategy", sorted(set(EMPLOYEE_STRATEGIES) | set(MANAGER_STRATEGIES)))
def test_every_strategy_acts_legally_in_both_phases(tiny, strategy):
    game = Game(tiny)
    for seed in range(5):
        state = game.new_state(seed)
        bots = [make_bot(strategy, tiny, i, random.Random(seed * 10 + i))
                for i in range(len(state.seats))]
        assert all(isinstance(b, Bot) for b in bots)
        while not game.is_terminal(state):
            seat = game.to_act(state)[0]
            legal = game.legal_actions(state, seat)
            action = bots[seat].act(game.view(state, seat), legal)
            assert isinstance(action, SetPolicies if legal.phase == "policy" else Allocate)
            game.apply_inplace(state, action)  # raises ActionError if illegal


def _gamer_split(scenario, levels: dict[str, int]) -> dict[str, int]:
    """What a gamer employee chooses in week 1 under the given policies."""
    game = Game(scenario)
    state = game.new_state(7)
    manager = game.to_act(state)[0]
    game.apply_inplace(state, SetPolicies(seat=manager, levels=levels))
    seat = game.to_act(state)[0]
    bot = make_bot("gamer", scenario, seat, random.Random(0))
    return bot.act(game.view(state, seat), game.legal_actions(state, seat)).effort


def test_gamer_follows_the_review_formula_in_force(tiny):
    assert _gamer_split(tiny, {"leaderboard": 0, "outcomes": 0}) == {"work": 10}
    farmed = _gamer_split(tiny, {"leaderboard": 1, "outcomes": 0})
    assert farmed.get("farm", 0) > 0


def test_craft_works_for_company_health_not_the_review(tiny):
    game = Game(tiny)
    state = game.new_state(7)
    game.apply_inplace(state, SetPolicies(seat=0, levels={"leaderboard": 1}))
    bot = make_bot("craft", tiny, 1, random.Random(0))
    assert bot.act(game.view(state, 1), game.legal_actions(state, 1)).effort == {"work": 10}


def test_bots_get_their_randomness_from_the_caller(tiny):
    game = Game(tiny)

    def play(seed: int) -> list:
        state = game.new_state(1)
        bots = [make_bot("random", tiny, i, random.Random(seed)) for i in range(3)]
        log = []
        while not game.is_terminal(state):
            seat = game.to_act(state)[0]
            action = bots[seat].act(game.view(state, seat), game.legal_actions(state, seat))
            log.append(action.model_dump())
            game.apply_inplace(state, action)
        return log

    assert play(5) == play(5)
    assert play(5) != play(6)


def test_a_bot_given_a_maker_makes_its_generator_at_its_first_draw(tiny):
    made = []

    def maker() -> random.Random:
        made.append(1)
        return random.Random(5)

    game = Game(tiny)
    state = game.new_state(1)
    seat = game.to_act(state)[0]
    lazy = make_bot("random", tiny, seat, maker)
    eager = make_bot("random", tiny, seat, random.Random(5))
    assert not made
    legal = game.legal_actions(state, seat)
    assert lazy.act(game.view(state, seat), legal) == eager.act(game.view(state, seat), legal)
    lazy.act(game.view(state, seat), legal)
    assert made == [1]
