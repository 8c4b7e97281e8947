"""The batch core resolves a turn exactly as the scalar engine does (game.engine.resolve).

For every bundled scenario and tests/engine/tiny.yaml, games are played with random legal
actions and with bots; every state about to be resolved is copied, and resolved by the scalar
engine and by the batch (alone, and gathered with games at other seeds into batches of 3 and
8): the state hashes and the history records must be equal, bit for bit.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest

from game.analysis import simulate
from game.engine import game as game_module
from game.engine import resolve
from game.engine.batch.state import gather, scatter
from game.engine.batch.turn import resolve_body
from game.engine.env import Roster, run_env
from game.engine.flows import ship_and_deliver
from game.engine.resolve_plan import plan_for
from game.engine.rng import stream
from game.engine.state import GameState
from tests.engine.conftest import CONTRACT_SCENARIOS, load, play_random

FIXTURES = Path(__file__).with_name("fixtures")
PATHS = [*CONTRACT_SCENARIOS, *(FIXTURES / f"{n}.yaml" for n in ("chain", "commons", "dice"))]
"""Every bundled scenario, the tiny one, and the fixtures that have an order, flows and keyed
draws (chain), decisions (commons) and ties on every review (dice)."""
SEEDS = (11, 12, 13, 14, 15, 16, 17, 18)
BOTS = ("hype", "gamer")


def _capture(run) -> list[GameState]:
    """Copies of every state the scalar engine resolved while `run()` played."""
    captured: list[GameState] = []
    original = resolve.resolve_turn

    def keep(rules, state):
        captured.append(state.clone())
        original(rules, state)
    game_module.resolve.resolve_turn = keep
    try:
        run()
    finally:
        game_module.resolve.resolve_turn = original
    return captured


@lru_cache(maxsize=None)
def _turns(path: Path, how: str) -> tuple[GameState, ...]:
    """Every state resolved in the games at SEEDS, random legal play or all bots."""
    game = load(path)
    states: list[GameState] = []
    for seed in SEEDS:
        if how == "random":
            states += _capture(lambda: play_random(game, seed))
        else:
            scenario = game.scenario
            strategies = {r.id: BOTS[min(n, 1)] for n, r in enumerate(scenario.roles)}
            states += _capture(lambda: simulate.run_game(scenario, seed, strategies))
    return tuple(states)


def _scalar_body(rules, state: GameState) -> None:
    """game.engine.resolve.resolve_turn up to its review: resolution's steps 1-8."""
    plan = plan_for(rules)
    roster = Roster(plan.lk, state.seats)
    for _, _, stats, _, _ in roster.rows:
        for stat_id, initial in plan.reset:
            if stat_id in stats:
                stats[stat_id] = initial
    rng = stream(state.seed, state.turn, "resolve") if plan.resolve_draws else None
    genv = run_env(plan.lk, state, plan.work_keys, rng, roster)
    changes = resolve.Changes()
    resolve._behaviour_effects(plan, state, genv, changes, roster)
    policy_lists, dynamics = plan.turn_lists(rules)
    for policy_id, apply in policy_lists:
        if state.policies[policy_id] > 0:
            apply(genv, rng, changes, state.turn, roster.rows, state.allocations)
    resolve._due(state, changes)
    resolve.apply_stats(plan, state, changes, roster)
    changes.stat_add.clear()
    changes.stat_set.clear()
    after_work = run_env(plan.lk, state, plan.dynamics_keys, rng, roster)
    dynamics(after_work, rng, changes, state.turn, roster.rows, state.allocations)
    resolve.finish(plan, state, changes, True, roster)
    if rules.flows:
        ship_and_deliver(rules, state)


def _groups(states: tuple[GameState, ...], size: int) -> list[list[GameState]]:
    """The states in groups of `size` at the same turn and table, mixed across seeds."""
    by_key: dict[tuple, list[GameState]] = {}
    for state in states:
        by_key.setdefault((state.turn, tuple(s.role for s in state.seats)), []).append(state)
    out = []
    for group in by_key.values():
        random.Random(len(group)).shuffle(group)
        out += [group[n:n + size] for n in range(0, len(group), size)]
    return out


def _check_body(path: Path, how: str, size: int) -> None:
    game = load(path)
    for group in _groups(_turns(path, how), size):
        scalar = [s.clone() for s in group]
        for state in scalar:
            _scalar_body(game.rules, state)
        mine = [s.clone() for s in group]
        batch = gather(game.rules, mine)
        resolve_body(batch)
        scatter(batch, mine, record=False)
        for want, got in zip(scalar, mine):
            assert got.state_hash() == want.state_hash(), (path.stem, how, want.seed, want.turn)


@pytest.mark.parametrize("how", ["random", "bots"])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_resolution_before_review_is_the_scalar_one(path, how):
    for size in (1, 3, 8):
        _check_body(path, how, size)
