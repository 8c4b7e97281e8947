"""The facilitator's injected event (`Game._inject`) is the same alone and in a batch: every
event injected twice in a row (the second draws from the next "inject" stream) into states in
the middle of real games, one by one through `Game` and into batches of 8 at mixed seeds,
leaves equal states, bit for bit.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from game.engine.batch.news import inject_event
from game.engine.batch.state import gather, scatter
from game.engine.game import Game
from game.engine.state import GameState
from game.scenario.load import load_scenario
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


def test_a_headline_shared_by_the_games_of_a_batch_cannot_be_changed():
    """The games of a batch where an event fired share its headline, so no game may change
    it: changing one game's news would change the others'."""
    game = Game(load_scenario("tokenmaxxing"))
    states = [game.new_state(seed) for seed in range(3)]
    batch = gather(game.rules, states)
    inject_event(batch, game.rules.events[0])
    scatter(batch, states, record=False)
    shared = states[0].news[-1]
    assert all(state.news[-1] is shared for state in states)
    with pytest.raises(ValidationError):
        shared.headline = "changed"
