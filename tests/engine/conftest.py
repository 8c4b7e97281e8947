"""Engine test helpers: scenarios to run the contract over, and random legal play."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.engine import Allocate, Game, GameState, SetPolicies
from game.engine.actions import Legal
from game.errors import ActionError
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios

CONTRACT_SCENARIOS = [TINY, *bundled_scenarios()]


def load(path: Path) -> Game:
    return Game(load_scenario(path))


def random_action(game: Game, state: GameState, seat: int, rng: random.Random):
    """A uniformly random legal action for `seat` (policies: retry until legal)."""
    legal: Legal = game.legal_actions(state, seat)
    if legal.phase == "policy":
        for _ in range(50):
            levels = {p.id: (p.current if p.locked else rng.randrange(len(p.levels)))
                      for p in legal.policies}
            action = SetPolicies(seat=seat, levels=levels)
            try:
                game.apply(state, action)
                return action
            except ActionError:
                continue
        return SetPolicies(seat=seat, levels={p.id: p.current if p.locked else 0
                                              for p in legal.policies})
    options = [b for b in legal.behaviours if b.available]
    effort: dict[str, int] = {}
    for _ in range(rng.randint(0, legal.effort)):
        choices = [b for b in options if effort.get(b.id, 0) < b.max_effort]
        if not choices:
            break
        b = rng.choice(choices)
        effort[b.id] = effort.get(b.id, 0) + 1
    return Allocate(seat=seat, effort=effort)


def play_random(game: Game, seed: int, on_state=None) -> tuple[GameState, list]:
    """A whole game of random legal play; `on_state(state)` is called after every action."""
    rng = random.Random(seed)
    state = game.new_state(seed)
    actions = []
    while not game.is_terminal(state):
        seat = game.to_act(state)[0]
        action = random_action(game, state, seat, rng)
        game.apply_inplace(state, action)
        actions.append(action)
        if on_state is not None:
            on_state(state)
    return state, actions


def play_random_games(game: Game, seeds: range | list[int]) -> list[GameState]:
    """Whole games of random legal play, one per seed, in lockstep: each game's policy
    phases action by action (`apply_inplace` checks each), its work phase's allocations
    chosen by seat and checked by `Game.choose_work`, and the work phases of all the games
    resolved together as one batch (`Game.resolve_work`). Returns the ended states."""
    rngs = [random.Random(seed) for seed in seeds]
    states = [game.new_state(seed) for seed in seeds]
    while True:
        working = []
        for state, rng in zip(states, rngs):
            while state.phase == "policy":
                game.apply_inplace(state, random_action(game, state, game.to_act(state)[0], rng))
            if state.phase == "work":
                game.choose_work(state, lambda seats, _legal, state=state, rng=rng: [
                    random_action(game, state, seat, rng) for seat in seats])
                working.append(state)
        if not working:
            return states
        game.resolve_work(working)


@pytest.fixture(params=CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def game(request) -> Game:
    return load(request.param)
