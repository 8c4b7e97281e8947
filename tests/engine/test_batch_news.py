"""The batch news (game.engine.batch.news) gives exactly what the scalar news gives
(game.engine.resolve.news): for every state handed to the news in random legal play and bot
games of every bundled scenario, tiny.yaml and the fixtures, the scalar news on one copy and
the batch news on another (alone, and gathered with other games at the same turn into
batches of 3 and 8) leave equal states, bit for bit; and so does the facilitator's injected
event (`Game._inject`, twice in a row, so the second draws from the next "inject" stream).
"""

from __future__ import annotations

import pytest

from game.engine import resolve
from game.engine.batch.news import inject_event, open_turn
from game.engine.batch.state import gather, scatter
from game.engine.game import Game
from game.engine.state import GameState
from tests.engine.batch_states import PATHS, each_batch


def _same(want: list[GameState], got: list[GameState]) -> None:
    """Equal states, game by game."""
    for g, (a, b) in enumerate(zip(want, got)):
        where = f"seed {a.seed}, turn {a.turn}, game {g} of {len(want)}"
        assert b.model_dump_json() == a.model_dump_json(), where
        assert b.state_hash() == a.state_hash(), where


def check_news(game: Game, group: list[GameState]) -> None:
    """The scalar and the batch news of copies of `group` (one batch) agree bit for bit."""
    scalar = [state.clone() for state in group]
    for state in scalar:
        resolve.news(game.rules, state)
    states = [state.clone() for state in group]
    batch = gather(game.rules, states)
    open_turn(batch)
    scatter(batch, states, record=False)
    _same(scalar, states)


def check_injections(game: Game, group: list[GameState]) -> None:
    """Every event injected twice into copies of `group`: as `Game._inject` does, and over
    the batch."""
    for event in game.rules.events:
        scalar = [state.clone() for state in group]
        for state in scalar:
            game._inject(state, event.id)
            game._inject(state, event.id)
        states = [state.clone() for state in group]
        batch = gather(game.rules, states)
        inject_event(batch, event)
        inject_event(batch, event)
        scatter(batch, states, record=False)
        _same(scalar, states)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_batch_news_is_the_scalar_one(path):
    for game, group in each_batch(path, "_news"):
        check_news(game, group)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_an_injected_event_is_the_scalar_one(path):
    # in the middle of turns, with choices made; a third of the batches of 8
    for n, (game, group) in enumerate(each_batch(path, "review", (8,))):
        if n % 3 == 0:
            check_injections(game, group)
