"""The next turn's news reads the global names again after an event fired only where an
event can move them (the metrics, the aggregates of the stats it moved at once), and only
when an event reads them (`news._Names.now`, `news._read_again`): checked, at every event
checked in the turns of random and bot games of every bundled scenario, tiny.yaml and the
fixtures, after an event fired: every global name the event reads against `global_env` built
afresh with the event's draws, bit for bit (each name's shape, dtype and bits)."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.batch import news
from game.engine.batch.env import global_env
from game.engine.batch.turn import resolve_states
from tests.engine.batch_states import PATHS, batches, captured

STEPS = {"fires": 0}


def _checked(now):
    def checking(names, batch, event, checked, draws):
        fired_before = bool(names.moved)
        got = now(names, batch, event, checked, draws)
        want = global_env(batch, draws)
        for name in news.event_facts(batch.rules)[event.id].names & want.keys():
            value, mine = np.asarray(want[name]), np.asarray(got[name])
            assert (mine.shape, mine.dtype) == (value.shape, value.dtype), name
            assert mine.tobytes() == value.tobytes(), name
        STEPS["fires"] += fired_before
        return got
    return checking


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_names_read_again_after_an_event_are_the_names_now(path, monkeypatch):
    monkeypatch.setattr(news._Names, "now", _checked(news._Names.now))
    game, states = captured(path, "resolve_states")
    before = STEPS["fires"]
    for group in batches(states, 8):
        resolve_states(game.rules, [state.clone() for state in group])
    if path.stem in ("corners", "edges", "tokenmaxxing"):
        assert STEPS["fires"] > before  # events fired after the names were read
