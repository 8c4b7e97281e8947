"""The next turn's news reads the global names again after an event fired only where an
event can move them (`news._read_again`: the metrics, the aggregates of the stats it moved
at once): checked, after every event that fired in the turns of random and bot games of every
bundled scenario, tiny.yaml and the fixtures, against `global_env` built afresh, bit for bit
(each name's shape, dtype and bits)."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.batch import news
from game.engine.batch.env import global_env
from game.engine.batch.turn import resolve_states
from tests.engine.batch_states import PATHS, batches, captured

STEPS = {"fires": 0}


def _checked(read_again):
    def checking(batch, genv, moved):
        got = read_again(batch, genv, moved)
        want = global_env(batch)
        assert got.keys() == want.keys()
        for name, value in want.items():
            value, mine = np.asarray(value), np.asarray(got[name])
            assert (mine.shape, mine.dtype) == (value.shape, value.dtype), name
            assert mine.tobytes() == value.tobytes(), name
        STEPS["fires"] += 1
        return got
    return checking


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_names_read_again_after_an_event_are_the_names_now(path, monkeypatch):
    monkeypatch.setattr(news, "_read_again", _checked(news._read_again))
    game, states = captured(path, "resolve_states")
    before = STEPS["fires"]
    for group in batches(states, 8):
        resolve_states(game.rules, [state.clone() for state in group])
    if path.stem in ("corners", "edges", "tokenmaxxing"):
        assert STEPS["fires"] > before  # events fired after the names were read
