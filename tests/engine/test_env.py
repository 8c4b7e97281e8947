"""Formula environments' caches (game.engine.env) and the batch core's skipped draws."""

from __future__ import annotations

import gc

import numpy as np

from game.engine.batch.layout import _per_rules as layouts
from game.engine.batch.layout import layout_for
from game.engine.batch.streams import Lanes
from game.engine.env import lookups
from game.engine.legal import _choices
from game.scenario.load import load_scenario
from game.scenario.rules import compile_rules
from tests.conftest import TINY


def test_per_rules_caches_do_not_keep_rules_alive():
    rules = compile_rules(load_scenario("tokenmaxxing"))
    caches = [lookups, layouts, _choices]
    for get in caches:
        get(rules)
    key = id(rules)
    assert all(key in get.cache for get in caches)
    del rules
    gc.collect()
    assert not any(key in get.cache for get in caches)


def test_skipping_the_draws_moves_a_stream_on_as_drawing_them_does(tmp_path):
    text = TINY.read_text()
    assert "randoms:\n" in text
    path = tmp_path / "tiny.yaml"  # a uniform and a normal draw, so gauss keeps a spare
    path.write_text(text.replace("randoms:\n", "randoms:\n  spare: {normal: [0, 1]}\n"
                                 "  even: {uniform: [0, 2]}\n", 1))
    rules = compile_rules(load_scenario(path))
    randoms = layout_for(rules, ("employee",)).randoms
    assert len(randoms) >= 3
    everyone = np.ones(2, dtype=bool)
    drawn, skipped = Lanes([5, 6], 1, "news"), Lanes([5, 6], 1, "news")
    for _ in range(3):
        drawn.draws(randoms, everyone)
        skipped.skip_draws(randoms, everyone)
        assert [r.getstate() for r in drawn.rngs] == [r.getstate() for r in skipped.rngs]
