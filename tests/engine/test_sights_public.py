"""Which stats are public, found once for every seat of a batch (`public_now`), gives the
same sights and glances as each seat and game finding it alone: at every decision point of
random and bot games of the scenarios whose public-ness reads policies, metrics, the turn
and aggregates."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.batch.sights import glance_at, public_now, sights
from game.engine.batch.state import gather
from game.engine.glance import glances
from tests.engine.test_sights import PATHS, _exact, batches, decision_states

SOME = [p for p in PATHS if p.stem in ("tokenmaxxing", "sales-quotas", "tiny-metrics",
                                       "tiny-aggregates", "commons-aggregates")]


@pytest.mark.parametrize("path", SOME, ids=lambda p: p.stem)
def test_public_found_once_gives_every_seat_the_same_sights_and_glances(path):
    game, states = decision_states(path)
    rules = game.rules
    for group in batches(states):
        batch = gather(rules, group)
        public = public_now(rules, batch)
        assert len(public.which) == len(group)
        for seat in range(len(group[0].seats)):
            alone, shared = sights(rules, batch, seat), sights(rules, batch, seat, public)
            assert list(shared.shown) == list(alone.shown)
            for key, (values, shown) in alone.shown.items():
                assert np.array_equal(shared.shown[key][1], shown)
                assert shared.shown[key][0].view(np.int64).tolist() \
                    == values.view(np.int64).tolist()
            for g, state in enumerate(group):
                names = [s.name for s in state.seats]
                want = glances(rules, state, [seat], readings=False)[0]
                got = glance_at(rules, batch, g, seat, names, public)
                assert got == want and _exact(tuple(got)) == _exact(tuple(want))
