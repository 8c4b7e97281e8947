"""The noise on readings comes from a per-game secret, not from the seed players can see."""

from __future__ import annotations

import random

from game.engine import Game
from game.engine.rng import unit_normal
from game.engine.save import Session, open_save
from game.engine.state import GameState
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.conftest import random_action

SEED = 4242


def _played(secret: str | None, path=None, turns: int = 3) -> Session:
    """A session of the tiny scenario, random legal play for `turns` turns."""
    game = Game(load_scenario(TINY))
    session = Session(game, SEED, game.default_seats(), path=path, secret=secret)
    rng = random.Random(SEED)
    while session.state.turn <= turns and not game.is_terminal(session.state):
        state = session.state
        session.act(random_action(game, state, game.to_act(state)[0], rng))
    return session


def _readings_undone_by_the_seed(game: Game, state: GameState) -> tuple[int, int]:
    """(noisy readings, those equal to the public function of the seed applied to the true
    value): what a player who knows the seed can recompute. Readings the function puts on a
    bound are left out: clamped, they say nothing about the noise (and match by chance)."""
    noisy = matched = 0
    for seat in range(len(state.seats)):
        view = game.view(state, seat)
        for reading in view.metrics:
            if "estimate" not in reading.note:
                continue
            m = next(x for x in game.scenario.metrics if x.id == reading.id)
            span = (m.max - m.min) * m.visibility_for(view.role).noise
            true_series = [m.initial] + [h.metrics[m.id] for h in state.history]
            for index, shown in enumerate(reading.history):
                guess = unit_normal(state.seed, "view", index, view.role, m.id)
                public = min(m.max, max(m.min, true_series[index] + span * guess))
                if public in (m.min, m.max):
                    continue
                noisy += 1
                matched += shown == public
    return noisy, matched


def test_a_known_seed_without_the_secret_does_not_undo_the_noise():
    session = _played(secret=None)
    noisy, matched = _readings_undone_by_the_seed(session.game, session.state)
    assert noisy >= 10
    assert matched == 0


def test_without_a_secret_the_seed_gives_the_noise_as_simulations_need():
    session = _played(secret="")
    noisy, matched = _readings_undone_by_the_seed(session.game, session.state)
    assert noisy >= 10 and matched == noisy


def test_each_played_game_draws_its_own_secret_and_no_view_shows_it():
    one, two = _played(secret=None, turns=1), _played(secret=None, turns=1)
    assert one.secret != two.secret and len(one.secret) == 32
    for session in (one, two):
        for seat in range(len(session.state.seats)):
            assert session.secret not in session.game.view(session.state, seat).model_dump_json()
        assert session.secret not in repr(session.state)


def test_the_same_seed_secret_and_actions_give_the_same_game_bit_for_bit():
    first = _played(secret="ab" * 16)
    game = first.game
    again = Session(game, SEED, game.default_seats(), secret="ab" * 16)
    for action in first.actions:
        again.act(action)
    assert again.state.state_hash() == first.state.state_hash()
    for seat in range(len(first.state.seats)):
        assert game.view(again.state, seat) == game.view(first.state, seat)
    other = Session(game, SEED, game.default_seats(), secret="cd" * 16)
    for action in first.actions:
        other.act(action)
    assert any(game.view(other.state, s) != game.view(first.state, s)
               for s in range(len(first.state.seats)))


def test_a_save_keeps_the_secret_and_resumes_with_the_same_readings(tmp_path):
    path = tmp_path / "save.json"
    session = _played(secret=None, path=path)
    resumed, _note = open_save(path)
    assert resumed.secret == session.secret
    game = session.game
    for seat in range(len(session.state.seats)):
        assert resumed.game.view(resumed.state, seat) == game.view(session.state, seat)
