"""Bots that plan ahead: a scenario's planning horizon, and what it lets a bot see.

The orchard fixture pays for planting only later (trees grow for two turns, and bear fruit
from the turn after): a bot planning one turn never plants; with `bots: {horizon: 4}` it plants
while the payoff still lands inside the game, and earns more over the game for it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.bots import make_bot
from game.scenario.horizon import DEFAULT_CAP, planning_horizon
from game.engine import Game
from game.errors import ScenarioError
from game.scenario.load import load_scenario, load_scenario_text
from game.scenario.model import Scenario
from tests.conftest import bundled_scenarios

FIXTURES = Path(__file__).with_name("fixtures")


def _with(scenario: Scenario, **changes) -> Scenario:
    return Scenario.model_validate({**scenario.model_dump(), **changes})


def play(scenario: Scenario, seed: int = 1) -> tuple[list[dict[str, int]], float]:
    """A game of the default table's bots: the first seat's effort each turn and its total
    review score."""
    game = Game(scenario)
    state = game.new_state(seed, game.default_seats())
    bots = {i: make_bot(scenario.table_strategy(seat.role, 0) or "gamer", scenario, i,
                        random.Random(i)) for i, seat in enumerate(state.seats)}
    while not game.is_terminal(state):
        seat = game.to_act(state)[0]
        state = game.apply(state, bots[seat].act(game.view(state, seat),
                                                 game.legal_actions(state, seat)))
    efforts = [{bid: n for bid, n in record.allocations.get(0, {}).items() if n}
               for record in state.history]
    return efforts, state.seats[0].score_total


@pytest.fixture(scope="module")
def orchard() -> Scenario:
    return load_scenario(FIXTURES / "orchard.yaml")


def test_a_one_turn_bot_never_plants(orchard):
    one_turn = _with(orchard, bots={})
    assert planning_horizon(one_turn) == 1
    efforts, total = play(one_turn)
    assert all(e == {"pick": 4} for e in efforts)
    assert total == 4 * orchard.turns


def test_a_bot_looking_four_turns_ahead_plants_while_it_pays(orchard):
    assert planning_horizon(orchard) == 4
    efforts, total = play(orchard)
    planted = [e.get("plant", 0) for e in efforts]
    assert planted[0] == 4  # fruit on turn 4: 2 points a tree, for 1 point of picking now
    assert planted[-3:] == [0, 0, 0]  # planted now, it would bear fruit after the game
    assert total > 2 * 4 * orchard.turns


def test_the_horizon_stops_at_the_end_of_the_game(orchard):
    efforts, _ = play(_with(orchard, bots={"horizon": 12}))
    assert [e.get("plant", 0) for e in efforts][-3:] == [0, 0, 0]


def test_scenarios_without_flows_keep_one_turn_planning_whatever_their_delays():
    for path in [*bundled_scenarios(), FIXTURES / "orchard.yaml"]:
        scenario = _with(load_scenario(path), bots={})
        if not scenario.flows:
            assert planning_horizon(scenario) == 1, path.name


def test_a_scenario_sets_its_horizon_within_bounds(orchard):
    assert planning_horizon(_with(orchard, bots={"horizon": 5})) == 5
    assert DEFAULT_CAP <= 12
    for bad in (0, 13, 2.5, "3"):
        with pytest.raises(ScenarioError, match="horizon"):
            load_scenario_text(_yaml_with_horizon(bad), "orchard.yaml")


def _yaml_with_horizon(value: object) -> str:
    text = (FIXTURES / "orchard.yaml").read_text()
    return text.replace("  horizon: 4", f"  horizon: {value!r}".replace("'", '"'))


@pytest.mark.parametrize("name", ["orchard", "supply_chain"])
def test_plans_ahead_are_memoised_on_keys_that_agree_and_answer_as_fresh_ones(name):
    from game.bots import base
    from game.bots.base import allocation_planner
    from game.bots.beliefs import read_beliefs
    scenario = load_scenario(FIXTURES / f"{name}.yaml")
    game = Game(scenario)
    state = game.new_state(3, game.default_seats())
    bots = {i: make_bot("gamer", scenario, i, random.Random(0)) for i in range(len(state.seats))}
    seen = []
    while not game.is_terminal(state):
        seat = game.to_act(state)[0]
        view, legal = game.view(state, seat), game.legal_actions(state, seat)
        seen.append((seat, view, legal, bots[seat].act(view, legal)))
        state = game.apply(state, seen[-1][3])
    rules = bots[0].rules
    for seat, view, legal, warm in seen[::3]:
        f = allocation_planner(rules, view.role, "review").forecaster(view.policies)
        assert f.view_key(view) == f.key(read_beliefs(rules, view))
        base._PLANNERS.clear()
        assert make_bot("gamer", scenario, seat, random.Random(0)).act(view, legal) == warm


def test_the_cost_estimate_counts_the_turns_a_bot_plays_ahead(orchard):
    from game.scenario.cost import EFFECTS, game_cost
    one, four = game_cost(_with(orchard, bots={})), game_cost(orchard)
    assert four.kinds[EFFECTS] > 4 * one.kinds[EFFECTS]  # the search is 5 times as costly
    assert four.total - four.kinds[EFFECTS] == one.total - one.kinds[EFFECTS]


def test_explain_says_how_far_bots_look_ahead_only_when_beyond_one_turn(orchard):
    from game.scenario.explain import explain
    assert "over 4 turns, so a payoff" in " ".join(explain(orchard).split())
    assert "payoff that comes later" not in explain(_with(orchard, bots={}))


def test_a_manager_bot_remembers_its_choice_per_turn_when_workers_plan_ahead():
    from game.bots.base import PolicyPlanner, objective
    from game.scenario.rules import rules_for
    from tests.conftest import TINY
    tiny = load_scenario(TINY)
    ahead = _with(tiny, bots={"horizon": 2})
    for scenario, expected in ((tiny, False), (ahead, True)):
        rules = rules_for(scenario)
        planner = PolicyPlanner(rules, objective(rules, "manager", "health", 2))
        assert planner.reads_turn is expected  # the workers' plans change near the end


def chain_game(scenario: Scenario, seed: int = 1) -> tuple[list[list[float]], list[list[float]]]:
    """Every stage's order and its orders owed, turn by turn, in a game of gamer bots."""
    game = Game(scenario)
    state = game.new_state(seed, game.default_seats())
    bots = {i: make_bot("gamer", scenario, i, random.Random(i)) for i in range(len(state.seats))}
    while not game.is_terminal(state):
        seat = game.to_act(state)[0]
        state = game.apply(state, bots[seat].act(game.view(state, seat),
                                                 game.legal_actions(state, seat)))
    seats = range(len(state.seats))
    orders = [[record.allocations[i].get("order", 0.0) for i in seats] for record in state.history]
    owed = [[record.stats[i]["backlog"] for i in seats] for record in state.history]
    return orders, owed


@pytest.fixture(scope="module")
def chain() -> Scenario:
    return load_scenario(FIXTURES / "supply_chain.yaml")


def test_one_turn_bots_in_a_supply_chain_order_nothing_and_the_backlog_grows(chain):
    orders, owed = chain_game(_with(chain, bots={"horizon": 1}))
    assert all(order == 0 for turn in orders for order in turn)
    retailer = [turn[-1] for turn in owed]
    assert retailer[-1] >= 8 * 6  # the step's 8 a turn, owed for good from turn 9 on
    assert all(b > a for a, b in zip(retailer[8:], retailer[9:]))


def test_supply_chain_bots_with_the_default_horizon_order_and_keep_the_backlog_bounded(chain):
    assert planning_horizon(chain) == 6  # orders: 1 turn up, goods: 2 down, read a turn on
    orders, owed = chain_game(chain)
    for stage in range(4):
        assert any(turn[stage] > 0 for turn in orders), f"stage {stage} never orders"
    assert max(sum(turn) for turn in owed) <= 40  # one-turn bots owe 64 by the end
    assert sum(owed[-1]) <= 8  # and it comes down again
