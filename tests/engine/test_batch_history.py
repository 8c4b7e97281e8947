"""A batch's games made into GameStates from a `History` of the batch (no scatter) are the
states the simulator's loop gives them (game/engine/batch/history.py).

Games are played with today's `play_games` (bots of the hype/gamer and random strategies) in
every bundled scenario, tests/engine/tiny.yaml and the engine's fixtures (four-hour-target and
chain: flows and transit; fishery and commons: decisions; dice: ties), while a History of the
loop's batch is kept after each turn (`resolve_together` wrapped). The exported states must be
equal to the loop's, as models and as JSON dumps (float signs, dict orders, every history
record): at the end of the games, at the opening of every policy phase, and at the opening of
every work phase.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from game.analysis import by_state, simulate
from game.bots import strategies_for
from game.engine import Game
from game.engine.batch.history import History, export_states
from game.engine.batch.state import Batch, gather
from game.engine.batch.turn import resolve_turn
from game.engine.state import GameState
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.batch_states import PATHS

MIXES = (("hype", "gamer"), ("random", "random"))
SEEDS = list(range(5))


def _strategies(game: Game, mix: tuple[str, str]) -> dict[str, str]:
    """The mix's manager strategy for the first role and its employee one for the last (a
    scenario of one role: that one), each where the role has it (else its default)."""
    roles = [r.id for r in game.scenario.roles]
    wanted = {roles[0]: mix[0], roles[-1]: mix[1]}
    return {role: name for role, name in wanted.items()
            if name in strategies_for(game.scenario, role)}


def assert_same(got: list[GameState], want: list[GameState], where) -> None:
    """The states are equal as models and as JSON (which tells -0.0 from 0.0 and sees dict
    orders)."""
    assert len(got) == len(want), where
    for g, w in zip(got, want):
        assert g.model_dump_json() == w.model_dump_json(), (where, w.seed)
        assert g == w, (where, w.seed)
        for a, b in ((g, w), *zip(g.seats, w.seats), *zip(g.history, w.history)):
            assert a.model_fields_set == b.model_fields_set, (where, w.seed, type(a))


class Keeper:
    """Wraps the simulator's loop while active (`keeping`): keeps a History of its batch and
    checks the states it exports at each phase's opening against the loop's own."""

    def __init__(self, game: Game, table) -> None:
        self.game, self.table = game, table
        self.history = History()
        self.batch = None
        self.opened: list[GameState] = []
        self.checked = 0
        self.resolve = by_state.resolve_together
        self.choose_work = game.choose_work

    @contextmanager
    def keeping(self) -> Iterator[None]:
        """The loop's `resolve_together` and the game's `choose_work` wrapped."""
        by_state.resolve_together, self.game.choose_work = self.resolve_together, self.choose
        try:
            yield
        finally:
            by_state.resolve_together = self.resolve
            del self.game.choose_work

    def choose(self, state: GameState, choose) -> None:
        """Keep a copy of the state as its work phase opens, then let its seats choose."""
        self.opened.append(state.clone())
        self.choose_work(state, choose)

    def resolve_together(self, rules, states, batch):
        """Resolve as the loop does, keep the turn, check the states exported."""
        if self.batch is None:  # turn 1's work phase as it opened: nothing kept yet
            self.check(self.opened, "work", gather(rules, self.opened), History())
        else:  # the work phase as it opened: the batch at the new levels
            assert len(states) == self.batch.size, "the games left the lockstep"
            ids = self.batch.layout.policy_ids
            self.batch.policies = np.array([[st.policies[p] for p in ids]
                                            for st in self.opened], dtype=np.int64)
            self.check(self.opened, "work")
        self.opened = []
        batch = self.resolve(rules, states, batch)
        assert self.batch in (None, batch), "the loop gathered a new batch"
        self.batch = batch
        self.history.keep(batch)
        if not batch.ended:  # the next turn's policy phase as it opens
            self.check(states, "policy")
        return batch

    def check(self, states: list[GameState], phase: str, batch=None, history=None) -> None:
        """The batch's states exported at `phase` equal `states`."""
        batch = self.batch if batch is None else batch
        history = self.history if history is None else history
        got = export_states(self.game.rules, batch, history, self.table, None,
                            range(batch.size), phase)
        assert_same(got, states, (self.game.scenario.id, states[0].turn, phase))
        self.checked += 1


@dataclass(frozen=True)
class Played:
    """Games played by the simulator's loop with a History kept (shared: never changed)."""

    game: Game
    table: list
    chosen: list[str]
    ended: list[GameState]
    batch: Batch
    history: History
    checked: int
    """How many phase openings the states exported were checked at."""


@cache
def played(path: Path, mix: tuple[str, str]) -> Played:
    """`SEEDS` played by `mix` in the scenario of `path` (once per test session: the tests of
    the records, tests/analysis/test_batch_records.py, read the same games)."""
    game = Game(load_scenario(path))
    table, chosen = simulate.table_for(game, _strategies(game, mix), None)
    keeper = Keeper(game, table)
    with keeper.keeping():
        ended = simulate.play_games(game, SEEDS, table, chosen, None)
    return Played(game, table, chosen, ended, keeper.batch, keeper.history, keeper.checked)


@pytest.mark.parametrize("mix", MIXES, ids="-".join)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_exported_states_are_the_loops_states(path, mix):
    run = played(path, mix)
    rules, table, ended = run.game.rules, run.table, run.ended
    turns = run.game.scenario.turns
    assert run.checked == 2 * turns - 1  # each phase but the first policy phase
    batch, history = run.batch, run.history
    assert batch.ended and len(history.turns) == turns
    got = export_states(rules, batch, history, table, None, range(len(SEEDS)))
    assert_same(got, ended, path.stem)
    assert [len(st.history) for st in got] == [turns] * len(SEEDS)
    assert GameState.model_validate_json(got[0].model_dump_json()) == got[0] == got[0].clone()
    some = [3, 0, 2]  # any games, in any order
    assert_same(export_states(rules, batch, history, table, None, some),
                [ended[g] for g in some], path.stem)


def test_a_history_holds_each_turn_once_and_every_turn_to_export():
    game = Game(load_scenario(TINY))
    rules, table = game.rules, game.default_seats()
    batch = gather(rules, game.new_states([1, 2], table))
    history = History()
    resolve_turn(batch)  # (no seat chose: every effort is 0)
    history.keep(batch)
    with pytest.raises(ValueError, match="turn 1 kept where turn 2 was due"):
        history.keep(batch)
    with pytest.raises(ValueError, match="does not hold turns 1 to 1"):
        export_states(rules, batch, History(), table, None, [0])
    with pytest.raises(ValueError, match="table"):  # (tiny: a manager, then employees)
        export_states(rules, batch, history, table[::-1], None, [0])
    with pytest.raises(ValueError, match="phase"):
        export_states(rules, batch, history, table, None, [0], "ended")
    [state] = export_states(rules, batch, history, table, None, [1])
    assert (state.seed, state.turn, state.phase, len(state.history)) == (2, 2, "policy", 1)
