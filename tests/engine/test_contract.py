"""The engine's contract, checked once for every scenario (PettingZoo style)."""

from __future__ import annotations

import math
import random

import pytest

from game.engine.save import Session, replay
from tests.engine.conftest import play_random, play_random_games, random_action


def _assert_in_bounds(game, state) -> None:
    for m in game.scenario.metrics:
        value = state.metrics[m.id]
        assert math.isfinite(value), f"{m.id} is {value}"
        assert m.min <= value <= m.max, f"{m.id}={value} outside [{m.min}, {m.max}]"
    for seat in state.seats:
        for stat_id, value in seat.stats.items():
            spec = game.rules.stat_specs[stat_id]
            assert math.isfinite(value), f"seat {seat.index} {stat_id} is {value}"
            assert spec.min <= value <= spec.max, f"seat {seat.index} {stat_id}={value}"
        assert math.isfinite(seat.score) and math.isfinite(seat.score_total)


def test_random_play_over_1000_seeds_keeps_every_value_finite_and_in_bounds(game):
    for state in play_random_games(game, range(1000)):  # in lockstep: one batch a turn
        _assert_in_bounds(game, state)
        for record in state.history:
            assert all(math.isfinite(v) for v in record.metrics.values())
        assert len(state.history) == game.scenario.turns


def test_same_seed_and_actions_give_the_same_state_bit_for_bit(game):
    for seed in (0, 1, 99):
        first, actions = play_random(game, seed)
        again = game.new_state(seed)
        for action in actions:
            again = game.apply(again, action)
        assert again.state_hash() == first.state_hash()
        assert again.model_dump_json() == first.model_dump_json()


def test_apply_never_changes_the_state_it_is_given(game):
    rng = random.Random(5)
    state = game.new_state(5)
    while not game.is_terminal(state):
        before = state.model_dump_json()
        action = random_action(game, state, game.to_act(state)[0], rng)
        after = game.apply(state, action)
        assert state.model_dump_json() == before
        state = after


def test_state_round_trips_through_json(game):
    state, _ = play_random(game, 3)
    again = type(state).model_validate_json(state.model_dump_json())
    assert again.state_hash() == state.state_hash()


@pytest.mark.parametrize("seed", [0, 7, 12345])
def test_replaying_a_save_reproduces_the_final_hash(game, seed, tmp_path):
    rng = random.Random(seed)
    session = Session(game, seed, game.default_seats(), path=tmp_path / "save.json")
    while not game.is_terminal(session.state):
        session.act(random_action(game, session.state, game.to_act(session.state)[0], rng))
    from game.engine.save import read_save
    save = read_save(tmp_path / "save.json")
    assert save.phase == "ended"
    assert replay(game, save).state_hash() == session.state.state_hash()


def test_different_seeds_can_give_different_games(game):
    hashes = {play_random(game, seed)[0].state_hash() for seed in range(5)}
    assert len(hashes) > 1
