"""The memo of legal choices (game.engine.legal._Choices): a memoised answer must be the
one the rules give for the state asked about, whatever states were asked about before."""

from __future__ import annotations

import random

import pytest

from game.engine import Allocate, Game, InjectEvent, SetPolicies
from game.engine.checks import _check_allocation, _check_policies, check_allocation, check_policies
from game.engine.legal import _behaviour_options, _choices, behaviour_choice, legal_actions
from game.errors import ActionError
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.conftest import play_random, random_action


def _fresh(game: Game, state, seat: int) -> list[tuple[str, bool, int]]:
    """The seat's behaviour options computed from the state, without the memo."""
    return _behaviour_options(game.rules, state, state.seats[seat])[1]


def _check_every_state(game: Game) -> None:
    """Random play; at every state, every seat's legal choices match the state."""
    states = []
    play_random(game, 11, lambda state: states.append(state.clone()))
    for state in states:
        for seat in range(len(state.seats)):
            legal = legal_actions(game.rules, state, seat)
            if legal.behaviours:
                assert [(b.id, b.available, b.max_effort) for b in legal.behaviours] \
                    == _fresh(game, state, seat)
            for option in legal.policies:
                assert option.current == state.policies[option.id]
                assert option.locked == (option.id in state.locked)


def test_memoised_options_are_those_of_the_state_asked_about(game: Game):
    _check_every_state(game)


@pytest.mark.parametrize("available", ["quality > 48", "slop < 2", "turn % 2", "rank != 1",
                                       "score < 1", "tokens_burned > 5 and leaderboard",
                                       "total_slop < 5", "seats > 1 and slop < 3"])
def test_memoised_options_follow_every_kind_of_name(available):
    """Availability reading metrics, policies, the turn, the seat's stats, score and rank
    (memoised by value), or aggregates and `seats` (not memoised)."""
    scenario = load_scenario(TINY)
    behaviours = [b.model_copy(update={"available": available}) if b.id == "farm" else b
                  for b in scenario.behaviours]
    _check_every_state(Game(scenario.model_copy(update={"behaviours": behaviours})))


@pytest.mark.parametrize("scenario, name, levels", [("tokenmaxxing", "agent_autonomy", (0, 1, 2)),
                                                      ("velocity", "quality_gates", (0, 1, 0))])
def test_availability_follows_a_policy_changed_on_the_same_state(scenario, name, levels):
    game = Game(load_scenario(scenario))
    state = game.new_state(1)
    state.phase = "work"
    seat = next(s.index for s in state.seats if game.legal_actions(state, s.index).behaviours)
    for level in levels:
        state.policies[name] = level
        legal = legal_actions(game.rules, state, seat)
        assert [(b.id, b.available, b.max_effort) for b in legal.behaviours] \
            == _fresh(game, state, seat)
        unavailable = [b.id for b in legal.behaviours if not b.available]
        if unavailable:  # check_allocation shares the memo: it must refuse them too
            with pytest.raises(ActionError, match="is not available now"):
                check_allocation(game.rules, state, Allocate(seat=seat,
                                                             effort={unavailable[0]: 1}))


def test_legal_lists_are_the_callers_own():
    game = Game(load_scenario("tokenmaxxing"))
    state = game.new_state(1)
    first = legal_actions(game.rules, state, 0)
    first.policies.clear()
    assert legal_actions(game.rules, state, 0).policies


def test_the_memo_starts_over_when_full():
    game = Game(load_scenario("tokenmaxxing"))
    choices = _choices(game.rules)
    state = game.new_state(1)
    for level in range(choices.LIMIT + 10):
        choices.remember(("test", level), level)
    assert len(choices.memo) <= choices.LIMIT
    assert legal_actions(game.rules, state, 0).policies


def _outcome(check, *args):
    """What a check returns, or the message it refuses with."""
    try:
        return check(*args)
    except ActionError as err:
        return str(err)


def test_memoised_policy_checks_follow_levels_and_locks():
    """A few actions, levels and locks in turn, so that each combination is checked again
    after others: a memo keyed on too little serves one a stale answer."""
    game = Game(load_scenario("tokenmaxxing"))
    state = game.new_state(1)
    rules, role = game.rules, state.seats[0].role
    rng = random.Random(5)
    ids = [p.id for p in rules.policies_of(role)][:3]
    actions = [SetPolicies(seat=0, levels=levels)
               for levels in ({}, {ids[0]: 1}, {ids[0]: 1, ids[1]: 0}, {ids[1]: 1})]
    for _ in range(300):
        action = rng.choice(actions)
        state.policies[rng.choice(ids)] = rng.randrange(2)  # the levels a missing one keeps
        state.locked = {pid: rng.randrange(2) for pid in rng.sample(ids, rng.randrange(3))}
        assert _outcome(check_policies, rules, state, action) \
            == _outcome(_check_policies, rules, state, role, action)


def test_memoised_allocation_checks_answer_as_the_rules_do():
    """Checked choices are remembered per memo entry: the same effort checked again, in
    another situation or after a refusal, gets the answer the rules give there."""
    game = Game(load_scenario("tokenmaxxing"))
    state = game.new_state(1)
    state.phase = "work"
    rules, seat = game.rules, next(s.index for s in state.seats
                                   if game.legal_actions(state, s.index).behaviours)
    ids = [b.id for b in legal_actions(rules, state, seat).behaviours]
    rng = random.Random(3)
    efforts = [{}, {ids[0]: 3}, {ids[0]: 11}, {ids[1]: -1}, {ids[0]: 6, ids[1]: 6},
               {"nonsense": 1}, {ids[4]: 2}]
    for _ in range(200):
        state.policies["agent_autonomy"] = rng.randrange(3)  # changes what is available
        action = Allocate(seat=seat, effort=rng.choice(efforts))
        choice = behaviour_choice(rules, state, state.seats[seat])
        assert _outcome(check_allocation, rules, state, action) \
            == _outcome(_check_allocation, choice, action)


def _phase_actions(game: Game, state, seed: int) -> dict[int, object]:
    """A random legal action for every seat that has to act now."""
    rng = random.Random(seed)
    return {seat: random_action(game, state, seat, rng) for seat in game.to_act(state)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_play_phase_applies_as_apply_does(seed):
    game = Game(load_scenario("tokenmaxxing"))
    one_by_one, phased = game.new_state(seed), game.new_state(seed)
    while not game.is_terminal(phased):
        actions = _phase_actions(game, phased, seed + phased.turn)
        for action in actions.values():
            game.apply_inplace(one_by_one, action)
        game.play_phase(phased, lambda seats, legal, chosen=actions: [chosen[s] for s in seats])
        assert phased.state_hash() == one_by_one.state_hash()


@pytest.mark.parametrize("bad", [
    lambda seat, ids: Allocate(seat=seat, effort={ids[0]: 99}),
    lambda seat, ids: Allocate(seat=seat, effort={"nonsense": 1}),
    lambda seat, ids: Allocate(seat=(seat + 1) % 5, effort={}),
    lambda seat, ids: SetPolicies(seat=seat, levels={}),
    lambda seat, ids: InjectEvent(event="anything"),
])
def test_play_phase_refuses_an_illegal_choice_and_changes_nothing(bad):
    game = Game(load_scenario("tokenmaxxing"))
    state = game.new_state(1)
    game.play_phase(state, lambda seats, legal: [SetPolicies(seat=s, levels={}) for s in seats])
    assert state.phase == "work"
    before = state.state_hash()
    ids = [b.id for b in game.legal_actions(state, game.to_act(state)[0]).behaviours]
    for _ in range(2):  # the second time, legal choices of the other seats are remembered
        with pytest.raises(ActionError):
            game.play_phase(state, lambda seats, legal: [
                bad(s, ids) if s == seats[-1] else Allocate(seat=s, effort={ids[0]: 1})
                for s in seats])
        assert state.state_hash() == before and not state.submitted
