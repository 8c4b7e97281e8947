"""The batch core resolves a turn exactly as the scalar engine does (game.engine.resolve).

For every bundled scenario and tests/engine/tiny.yaml, games are played with random legal
actions and with bots; every state about to be resolved is copied, and resolved by the scalar
engine and by the batch (alone, and gathered with games at other seeds into batches of 3 and
8): the state hashes and the history records must be equal, bit for bit.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from game.analysis import simulate
from game.engine import game as game_module
from game.engine import resolve
from game.engine.batch.turn import open_news_states, resolve_states
from game.engine.state import GameState
from tests.engine.conftest import CONTRACT_SCENARIOS, load, play_random

FIXTURES = Path(__file__).with_name("fixtures")
PATHS = [*CONTRACT_SCENARIOS, *(FIXTURES / f"{n}.yaml"
                                for n in ("chain", "commons", "dice", "edges", "corners"))]
"""Every bundled scenario, the tiny one, and the fixtures that have an order, flows and keyed
draws (chain), decisions (commons), ties on every review (dice), the review's and the news'
corners (edges) and resolution's (corners: delayed sets, chances worked out by formulas,
random names everywhere, a bound written -0.0, stat effects limited to roles)."""
SEEDS = (11, 12, 13, 14, 15, 16, 17, 18)
BOTS = ("hype", "gamer")


def _capture(run, step: str = "resolve_turn") -> list[GameState]:
    """Copies of every state the scalar engine's `step` (`resolve_turn` or `news`, as
    game.engine.game calls it) was given while `run()` played."""
    captured: list[GameState] = []
    original = getattr(resolve, step)

    def keep(rules, state):
        captured.append(state.clone())
        original(rules, state)
    setattr(game_module.resolve, step, keep)
    try:
        run()
    finally:
        setattr(game_module.resolve, step, original)
    return captured


@cache
def _turns(path: Path, how: str) -> tuple[GameState, ...]:
    """Every state resolved in the games at SEEDS, random legal play or all bots."""
    game = load(path)
    states: list[GameState] = []
    for seed in SEEDS:
        if how == "random":
            states += _capture(lambda seed=seed: play_random(game, seed))
        else:
            strategies = {r.id: BOTS[min(n, 1)] for n, r in enumerate(game.scenario.roles)}
            states += _capture(lambda seed=seed, table=strategies:
                               simulate.run_game(game.scenario, seed, table))
    return tuple(states)


def _groups(states: tuple[GameState, ...], size: int) -> list[list[GameState]]:
    """The states in groups of `size` at the same turn and table, mixed across seeds; alone
    (size 1), only the first seed's game's (the others are resolved in batches: cheaper)."""
    by_key: dict[tuple, list[GameState]] = {}
    for state in states:
        if size == 1 and state.seed != SEEDS[0]:
            continue
        by_key.setdefault((state.turn, tuple(s.role for s in state.seats)), []).append(state)
    out = []
    for group in by_key.values():
        random.Random(len(group)).shuffle(group)
        out += [group[n:n + size] for n in range(0, len(group), size)]
    return out


def _check_turns(path: Path, how: str, size: int) -> None:
    """Whole turns (resolution, review, record, next turn's news) of the captured states in
    batches of `size`: state hashes and history records equal to the scalar engine's."""
    game = load(path)
    for group in _groups(_turns(path, how), size):
        scalar = [s.clone() for s in group]
        for state in scalar:
            resolve.resolve_turn(game.rules, state)
        mine = [s.clone() for s in group]
        resolve_states(game.rules, mine)
        for want, got in zip(scalar, mine):
            where = (path.stem, how, want.seed, group[0].turn)
            assert got.history[-1].model_dump_json() == want.history[-1].model_dump_json(), where
            assert got.state_hash() == want.state_hash(), where


@pytest.mark.parametrize("how", ["random", "bots"])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_whole_turns_are_the_scalar_ones(path, how):
    for size in (1, 3, 8):
        _check_turns(path, how, size)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_first_news_is_the_scalar_one(path):
    game = load(path)
    starts = _capture(lambda: [game.new_state(seed) for seed in SEEDS], "news")
    for size in (1, 3, 8):
        for n in range(0, len(starts), size):
            group = starts[n:n + size]
            scalar = [s.clone() for s in group]
            for state in scalar:
                resolve.news(game.rules, state)
            mine = [s.clone() for s in group]
            open_news_states(game.rules, mine)
            assert [s.state_hash() for s in mine] == [s.state_hash() for s in scalar]
