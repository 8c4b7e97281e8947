"""The facilitator's injected event (`Game._inject`) is the same alone and in a batch: every
event injected twice in a row (the second draws from the next "inject" stream) into states in
the middle of real games, one by one through `Game` and into batches of 8 at mixed seeds,
leaves equal states, bit for bit.
"""

from __future__ import annotations

import pytest

from game.engine.batch.news import inject_event
from game.engine.batch.state import gather, scatter
from game.engine.game import Game
from game.engine.state import GameState
from tests.engine.batch_states import PATHS, each_batch


def check_injections(game: Game, group: list[GameState]) -> None:
    """Every event injected twice into copies of `group`: by `Game._inject`, game by game,
    and over one batch."""
    for event in game.rules.events:
        alone = [state.clone() for state in group]
        for state in alone:
            game._inject(state, event.id)
            game._inject(state, event.id)
        states = [state.clone() for state in group]
        batch = gather(game.rules, states)
        inject_event(batch, event)
        inject_event(batch, event)
        scatter(batch, states, record=False)
        for g, (want, got) in enumerate(zip(alone, states)):
            where = f"seed {want.seed}, turn {want.turn}, game {g} of {len(group)}"
            assert got.model_dump_json() == want.model_dump_json(), where
            assert got.state_hash() == want.state_hash(), where
            assert sum(h.injected for h in got.news) >= 2, where


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_an_injected_event_is_the_same_alone_and_in_a_batch(path):
    # in the middle of turns, with choices made; a third of the batches of 8
    for n, (game, group) in enumerate(each_batch(path, "resolve_states", (8,))):
        if n % 3 == 0:
            check_injections(game, group)
