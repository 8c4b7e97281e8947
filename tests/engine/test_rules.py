"""The rules of docs/rules.md, one at a time, on the tiny test scenario."""

from __future__ import annotations

import pytest

from game.engine import Allocate, InjectEvent, SetPolicies
from game.engine.ranking import settle_ties
from game.engine.state import SeatSetup
from game.errors import ActionError
from tests.conftest import TINY
from tests.engine.conftest import load


@pytest.fixture
def tiny():
    return load(TINY)


def _turn(game, state, policies=None, work=None):
    """Play one whole turn: the manager's policies, then each employee's effort."""
    turn = state.turn
    state = game.apply(state, SetPolicies(seat=0, levels=policies or {}))
    for seat, effort in (work or {}).items():
        state = game.apply(state, Allocate(seat=seat, effort=effort))
    while state.turn == turn and state.phase == "work":
        state = game.apply(state, Allocate(seat=game.to_act(state)[0], effort={}))
    return state


@pytest.mark.parametrize("seat, effort, stat, expected", [
    (1, {"work": 10}, "output", 10.0),
    (1, {"work": 10}, "tokens", 0.0),
    (1, {"farm": 10}, "tokens", 50.0),
    (1, {"farm": 10}, "output", 0.0),
    (2, {"work": 4, "farm": 6}, "output", 4.0),
    (2, {"work": 4, "farm": 6}, "tokens", 30.0),
])
def test_behaviour_effects_are_per_effort_point(tiny, seat, effort, stat, expected):
    state = _turn(tiny, tiny.new_state(1), work={seat: effort})
    assert state.seats[seat].stats[stat] == expected


def test_farming_raises_tokens_not_output_and_wins_under_the_leaderboard(tiny):
    state = _turn(tiny, tiny.new_state(1), {"leaderboard": 1}, {1: {"farm": 10}, 2: {"work": 10}})
    farmer, worker = state.seats[1], state.seats[2]
    assert farmer.stats["tokens"] > worker.stats["tokens"]
    assert farmer.stats["output"] < worker.stats["output"]
    assert farmer.rank == 1 and worker.rank == 2


def test_outcome_metrics_reward_output_instead(tiny):
    state = _turn(tiny, tiny.new_state(1), {"outcomes": 2}, {1: {"farm": 10}, 2: {"work": 10}})
    assert state.seats[2].rank == 1
    assert state.seats[2].score == pytest.approx(0.5 * 10 + 2 * 10)


def test_per_turn_stats_reset_and_cumulative_ones_do_not(tiny):
    state = _turn(tiny, tiny.new_state(1), work={1: {"farm": 10}})
    slop = state.seats[1].stats["slop"]
    state = _turn(tiny, state, work={1: {"work": 10}})
    assert state.seats[1].stats["tokens"] == 0.0
    assert state.seats[1].stats["slop"] == slop


def test_inertia_moves_a_metric_by_half_now_and_the_rest_later(tiny):
    state = _turn(tiny, tiny.new_state(1), work={1: {"work": 10}})
    assert state.metrics["quality"] == pytest.approx(50 + 2 * 0.5)
    state = _turn(tiny, state)
    assert state.metrics["quality"] == pytest.approx(50 + 2 * 0.75)


def test_a_delayed_effect_arrives_later(tiny):
    state = _turn(tiny, tiny.new_state(1), work={1: {"farm": 10}})
    assert state.metrics["secret"] == 10.0
    assert state.pending
    state = _turn(tiny, state)
    assert state.metrics["secret"] > 10.0


def test_a_behaviours_delayed_push_to_a_metric_arrives_and_is_not_lost(tiny):
    state = _turn(tiny, tiny.new_state(1), work={1: {"work": 10}})
    assert state.metrics["reputation"] == 20.0
    state = _turn(tiny, state)
    assert state.metrics["reputation"] == pytest.approx(20.0 + 5.0)
    state = _turn(tiny, state)
    assert state.metrics["reputation"] == pytest.approx(20.0 + 5.0 + 2.5)


def test_an_event_fires_when_its_condition_holds_and_only_once(tiny):
    state = tiny.new_state(1)
    for _ in range(3):
        state = _turn(tiny, state, work={1: {"farm": 10}, 2: {"farm": 10}})
    fired = [h.event for rec in state.history for h in rec.news] + [h.event for h in state.news]
    assert fired.count("outage") == 1


def test_a_consequence_lays_off_the_last_ranked_seat(tiny):
    state = tiny.new_state(1)
    for _ in range(3):
        state = _turn(tiny, state, work={1: {"work": 10}, 2: {"work": 1}})
    assert not state.seats[2].employed and state.seats[2].laid_off_turn == 3
    state = tiny.apply(state, SetPolicies(seat=0, levels={}))
    assert tiny.to_act(state) == [1]


def test_the_facilitator_can_inject_an_event(tiny):
    state = tiny.apply(tiny.new_state(1), InjectEvent(event="outage"))
    assert state.news[-1].event == "outage" and state.news[-1].injected
    assert state.metrics["quality"] == 45.0


@pytest.mark.parametrize("action, message", [
    (SetPolicies(seat=0, levels={"leaderboard": 1, "outcomes": 1}), "cannot be active together"),
    (SetPolicies(seat=0, levels={"outcomes": 3}), "has no level 3"),
    (SetPolicies(seat=0, levels={"nope": 1}), "unknown policy"),
    (SetPolicies(seat=1, levels={}), "nothing to choose"),
    (SetPolicies(seat=9, levels={}), "there is no seat 9"),
    (Allocate(seat=1, effort={"work": 5}), "not the work phase"),
    (InjectEvent(event="meteor"), "unknown event"),
])
def test_illegal_actions_are_refused_and_change_nothing(tiny, action, message):
    state = tiny.new_state(1)
    before = state.model_dump_json()
    with pytest.raises(ActionError, match=message):
        tiny.apply(state, action)
    assert state.model_dump_json() == before


@pytest.mark.parametrize("effort, message", [
    ({"work": 11}, "at most 10 points"),
    ({"work": 6, "farm": 6}, "only 10 are available"),
    ({"work": -1}, "cannot be negative"),
    ({"nap": 1}, "unknown behaviour"),
])
def test_over_allocated_or_unknown_effort_is_refused(tiny, effort, message):
    state = tiny.apply(tiny.new_state(1), SetPolicies(seat=0, levels={}))
    before = state.model_dump_json()
    with pytest.raises(ActionError, match=message):
        tiny.apply(state, Allocate(seat=1, effort=effort))
    assert state.model_dump_json() == before


def test_a_seat_cannot_choose_twice_in_a_phase(tiny):
    state = tiny.apply(tiny.new_state(1), SetPolicies(seat=0, levels={}))
    state = tiny.apply(state, Allocate(seat=1, effort={"work": 1}))
    with pytest.raises(ActionError, match="already chosen"):
        tiny.apply(state, Allocate(seat=1, effort={"work": 2}))


def test_the_policy_budget_is_enforced():
    from game.scenario.load import load_scenario
    from game.engine import Game
    scenario = load_scenario(TINY)
    game = Game(scenario.model_copy(update={"roles": [
        scenario.roles[0].model_copy(update={"policy_budget": 1.0}), scenario.roles[1]]}))
    with pytest.raises(ActionError, match="budget is 1"):
        game.apply(game.new_state(1), SetPolicies(seat=0, levels={"outcomes": 2}))


@pytest.mark.parametrize("roles, locked, message", [
    (["manager"], {}, "0 Employee seats; this scenario allows 1 to 4"),
    (["manager", "manager", "employee"], {}, "2 Manager seats"),
    (["manager", "employee", "boss", "ceo"], {}, "unknown role 'boss'"),
    (["manager", "employee"], {"outcomes": 9}, "cannot lock policy 'outcomes' at level 9"),
    (["manager", "employee"], {"bonus": 0}, "cannot lock policy 'bonus'"),
])
def test_a_table_outside_the_scenarios_limits_is_refused(tiny, roles, locked, message):
    seats = [SeatSetup(role=role, name=f"{role} {i}") for i, role in enumerate(roles)]
    with pytest.raises(ActionError, match=message):
        tiny.new_state(1, seats, locked)


def test_lagged_and_hidden_metrics_in_an_employees_view(tiny):
    state = _turn(tiny, tiny.new_state(1), work={1: {"work": 10}})
    readings = {m.id: m for m in tiny.view(state, 1).metrics}
    assert readings["quality"].value == 50.0
    assert readings["secret"].value is None
    manager = {m.id: m for m in tiny.view(state, 0).metrics}
    assert manager["quality"].value == state.metrics["quality"]


def test_noisy_readings_are_stable_for_the_same_seed_and_turn(tiny):
    state = tiny.new_state(4)
    first = {m.id: m.value for m in tiny.view(state, 1).metrics}
    assert first == {m.id: m.value for m in tiny.view(state.clone(), 1).metrics}
    assert first["rumour"] != 50.0


def test_public_stats_appear_only_while_the_policy_makes_them_public(tiny):
    state = _turn(tiny, tiny.new_state(1), {}, {1: {"farm": 10}})
    assert "tokens" not in tiny.view(state, 2).others[0].stats
    state = _turn(tiny, state, {"leaderboard": 1}, {1: {"farm": 10}})
    others = {o.index: o for o in tiny.view(state, 2).others}
    assert others[1].stats == {"tokens": 50.0}


def test_headcount_per_role_counts_employed_seats_only(tiny):
    from game.engine.env import global_env
    state = tiny.new_state(1)
    env = global_env(tiny.rules, state)
    assert (env["headcount"], env["headcount_manager"], env["headcount_employee"]) == (3, 1, 2)
    state.seats[2].employed = False
    env = global_env(tiny.rules, state)
    assert (env["headcount"], env["headcount_employee"]) == (2, 1)


def test_aggregate_names_cover_every_aggregate_a_global_env_holds(tiny):
    from game.engine.env import global_env
    state = tiny.new_state(1)
    written = set(global_env(tiny.rules, state)) - set(global_env(tiny.rules, state,
                                                                  aggregated=False))
    assert written == set(tiny.rules.aggregate_names)


def test_equal_review_scores_rank_by_a_seeded_draw_not_seat_order(tiny):
    # the rule changed on purpose (issue 17): ties used to keep seat order ([3, 1, 4, 2])
    seats = [SeatSetup(role="manager", name="M")] + [
        SeatSetup(role="employee", name=name) for name in ("A", "B", "C", "D")]
    orders = set()
    for seed in range(12):
        state = _turn(tiny, tiny.new_state(seed, seats), work={
            1: {"work": 2}, 2: {"work": 5}, 3: {"work": 2}, 4: {"work": 5}})
        ranks = [state.seats[i].rank for i in range(1, 5)]
        assert sorted(ranks[1::2]) == [1, 2] and sorted(ranks[0::2]) == [3, 4]
        rows = state.history[-1].reviews["employee"]
        assert [row.rank for row in rows] == [1, 2, 3, 4]
        # the order is the one `settle_ties` draws from (seed, turn, "ties", role)
        ranked = [(2.5, 2), (2.5, 4), (1.0, 1), (1.0, 3)]
        settle_ties(ranked, "draw", seed, 1, "ties", "employee")
        assert [row.seat for row in rows] == [seat for _, seat in ranked]
        orders.add(tuple(ranks))
    assert len(orders) == 4  # each tie goes either way
