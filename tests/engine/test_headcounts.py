"""The headcounts of the global names (`headcount`, `headcount_<role>`) are counted once per
employment array (game.engine.batch.env `headcounts`) and are always those of the batch's
employment now: a layoff gives the batch a new array, and the counts follow it."""

from __future__ import annotations

import numpy as np

from game.engine import Game
from game.engine.batch.env import global_env
from game.engine.batch.state import gather
from game.scenario.load import load_scenario


def _counted(batch) -> dict[str, list[float]]:
    """The headcounts counted afresh, seat by seat."""
    out = {"headcount": batch.employed.sum(axis=1).astype(float).tolist()}
    for role, seats in batch.layout.role_of_seat.items():
        out["headcount_" + role] = (batch.employed & seats).sum(axis=1).astype(float).tolist()
    return out


def test_headcounts_follow_the_employment_and_are_counted_once_per_array():
    game = Game(load_scenario("tokenmaxxing"))
    batch = gather(game.rules, game.new_states(list(range(6))))
    names = list(_counted(batch))
    for layoff in range(3):
        first, again = global_env(batch), global_env(batch)
        for name, want in _counted(batch).items():
            assert first[name].shape == (batch.size, 1)
            assert first[name][:, 0].tolist() == want, (layoff, name)
            assert again[name] is first[name]  # (counted once for this array)
        laid = np.zeros_like(batch.employed)
        laid[layoff::2, 1 + layoff] = True
        batch.employed = batch.employed & ~laid  # (as the review lays seats off)
        assert global_env(batch)[names[0]] is not first[names[0]]
