"""A game's result does not depend on the batch it is resolved in (issue 20: one game is a
batch of one, a simulation a batch of many).

For every bundled scenario, tests/engine/tiny.yaml and the fixtures, games are played with
random legal actions and with bots; every state `Game` hands to the batch core (a turn to
resolve, a new game's first news) is copied and resolved alone, and gathered with games at
other seeds into batches of 3 and 8: the state hashes, the states and the history records
must be equal, bit for bit. What the result must be is pinned by the golden games
(tests/engine/test_golden.py), which `Game` plays through the same core.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from game.engine import Game
from game.engine.batch.turn import open_news_states, resolve_states
from game.engine.state import GameState
from game.scenario.load import load_scenario
from game.scenario.rules import Rules
from tests.engine.batch_states import PATHS, batches, captured

Step = Callable[[Rules, list[GameState]], None]


def check_alone_and_batched(rules: Rules, states: tuple[GameState, ...], step: Step) -> None:
    """`step` on copies of each of `states` alone, and on copies gathered into batches of 3
    and 8 at mixed seeds: every game ends equal, bit for bit (its last record too)."""
    alone: dict[int, GameState] = {}
    for state in states:
        copy = state.clone()
        step(rules, [copy])
        alone[id(state)] = copy
    for size in (3, 8):
        for group in batches(states, size):
            copies = [state.clone() for state in group]
            step(rules, copies)
            for state, got in zip(group, copies):
                want = alone[id(state)]
                where = (state.seed, state.turn, size)
                assert got.model_dump_json() == want.model_dump_json(), where
                assert got.state_hash() == want.state_hash(), where


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_whole_turns_are_the_same_alone_and_in_batches(path):
    game, states = captured(path, "resolve_states")
    assert states
    check_alone_and_batched(game.rules, states, resolve_states)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_first_news_is_the_same_alone_and_in_batches(path):
    game, states = captured(path, "open_news_states")
    assert states
    check_alone_and_batched(game.rules, states, open_news_states)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_new_states_opens_each_game_as_new_state_does(path):
    """`Game.new_states` (the simulator's chunk: every game's first news in one batch) gives
    each game the state `new_state` gives it alone."""
    game = Game(load_scenario(path))
    seeds = list(range(40, 52))
    together = game.new_states(seeds)
    assert [st.seed for st in together] == seeds
    for seed, got in zip(seeds, together):
        want = game.new_state(seed)
        assert got.model_dump_json() == want.model_dump_json(), seed
        assert got.state_hash() == want.state_hash(), seed
    if path.stem in ("corners", "edges"):  # news in some games of the batch, not in others
        assert 0 < sum(bool(st.news) for st in together) < len(seeds)
    assert game.new_states([]) == []
