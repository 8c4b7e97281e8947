"""The engine shares one Legal between the seats and games in the same situation
(game.engine.legal.legal_choice): in every situation of random and bot games of every
bundled scenario, the shared Legal must equal one built afresh from the rules and the state,
and `legal_actions` must give the same, in lists of the caller's own."""

from __future__ import annotations

import pytest

import game.engine.game as game_module
from game.analysis import simulate
from game.engine import Game, GameState, Legal
from game.engine.actions import BehaviourOption, NumberOption, PolicyOption
from game.engine.legal import _behaviour_options, legal_actions, legal_choice
from game.scenario.load import load_scenario
from game.scenario.rules import Rules
from tests.engine.conftest import CONTRACT_SCENARIOS, play_random, play_random_games

MIXES = [("hype", "gamer"), ("random", "random"), ("adaptive", "adaptive"),
         ("outcome", "cautious")]


def fresh_legal(rules: Rules, state: GameState, seat: int) -> Legal:
    """The seat's Legal built (and validated) from the rules and the state, without any
    memo: what the docs say a seat may choose."""
    s = state.seats[seat]
    phase = state.phase
    must = s.employed and (s.role, phase) in rules.acting and seat not in state.submitted
    policies, behaviours, numbers, budget, effort = [], [], [], 0.0, 0
    if must and phase == "policy":
        budget = rules.role_specs[s.role].policy_budget
        policies = [PolicyOption(id=p.id, name=rules.policy_specs[p.id].name,
                                 levels=tuple(rules.policy_specs[p.id].levels),
                                 current=state.policies[p.id], cost=p.cost,
                                 excludes=tuple(sorted(p.excludes)), locked=p.id in state.locked)
                    for p in rules.policies_of(s.role)]
    elif must and phase == "work":
        effort, listed = _behaviour_options(rules, state, s)
        behaviours = [BehaviourOption(id=bid, name=rules.behaviour_specs[bid].name,
                                      available=available, max_effort=most)
                      for bid, available, most in listed]
        last = state.history[-1].allocations.get(seat, {}) if state.history else {}
        numbers = [NumberOption(id=d.id, name=d.name, min=d.min, max=d.max, step=d.step,
                                current=float(last.get(d.id, d.initial)))
                   for d in rules.role_specs[s.role].decisions]
    return Legal(seat=seat, phase=phase, must_act=must, policies=policies, budget=budget,
                 behaviours=behaviours, effort=effort, numbers=numbers)


def assert_same(legal: Legal, fresh: Legal) -> None:
    """Equal Legals, down to the JSON a player's page receives (-0.0 included)."""
    assert legal == fresh
    assert legal.model_dump_json() == fresh.model_dump_json()


class SharedLegals:
    """`legal_choice` as `Game` calls it, each answer checked against `fresh_legal`; counts
    the answers and the distinct Legal objects handed out."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers = 0
        self.objects: set[int] = set()
        self.kept: list[Legal] = []  # keeps the objects alive, so their ids stay theirs
        monkeypatch.setattr(game_module, "legal_choice", self.checked)

    def checked(self, rules: Rules, state: GameState, seat: int):
        legal, choice = legal_choice(rules, state, seat)
        assert_same(legal, fresh_legal(rules, state, seat))
        self.answers += 1
        if id(legal) not in self.objects:
            self.objects.add(id(legal))
            self.kept.append(legal)
        return legal, choice


def _check_every_seat(game: Game, state: GameState) -> None:
    for seat in range(len(state.seats)):
        fresh = fresh_legal(game.rules, state, seat)
        assert_same(legal_choice(game.rules, state, seat)[0], fresh)
        assert_same(game.legal_actions(state, seat), fresh)


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_shared_legal_equals_a_fresh_one_in_random_games(path, monkeypatch):
    """Every seat after every action of random play, and every acting seat of random
    games played in lockstep (`Game.choose_work`)."""
    game = Game(load_scenario(path))
    for seed in (1, 2):
        play_random(game, seed, lambda state: _check_every_seat(game, state))
    shared = SharedLegals(monkeypatch)
    play_random_games(game, range(3, 9))
    assert shared.answers > 0


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_shared_legal_equals_a_fresh_one_in_bot_games(path, monkeypatch):
    """Every Legal the simulator's bots are given, for several mixes of strategies; games
    in the same situation are given the same Legal object."""
    scenario = load_scenario(path)
    shared = SharedLegals(monkeypatch)
    for manager, employee in MIXES:
        strategies = {scenario.roles[0].id: manager, scenario.roles[1].id: employee}
        simulate.run_games(scenario, list(range(6)), strategies)
    assert len(shared.objects) < shared.answers


def test_legal_actions_lists_are_the_callers_own_and_the_shared_ones_unchanged():
    game = Game(load_scenario("fishery"))
    state = game.new_state(1)
    game.play_phase(state, lambda seats, legal: [game_module.SetPolicies(seat=s, levels={})
                                                  for s in seats])
    seat = game.to_act(state)[0]
    mine = legal_actions(game.rules, state, seat)
    assert mine.numbers
    mine.numbers.clear()
    mine.behaviours.clear()
    assert_same(legal_choice(game.rules, state, seat)[0], fresh_legal(game.rules, state, seat))
    with pytest.raises(ValueError):
        mine.must_act = False  # a Legal is frozen
