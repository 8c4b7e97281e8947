"""The shortcuts resolution takes in building formula environments (game.engine.env)."""

from __future__ import annotations

import gc
import random

from game.engine import Game
from game.engine.env import draws_of, global_env, lookups, run_env, skip_draws
from game.engine.legal import _choices
from game.engine.resolve_plan import plan_for
from game.scenario.load import load_scenario
from game.scenario.rules import compile_rules
from tests.conftest import TINY
from tests.engine.conftest import play_random


def _same(a: float, b: float) -> bool:
    """Equal bit for bit, type included (an int 0 is not a float 0.0)."""
    return type(a) is type(b) and repr(a) == repr(b)


def test_per_rules_caches_do_not_keep_rules_alive():
    rules = compile_rules(load_scenario("tokenmaxxing"))
    caches = [lookups, plan_for, _choices]
    for get in caches:
        get(rules)
    key = id(rules)
    assert all(key in get.cache for get in caches)
    del rules
    gc.collect()
    assert not any(key in get.cache for get in caches)


def test_run_env_is_global_env_without_constants_and_with_only_the_aggregates_asked(
        game: Game):
    """Resolution builds its global envs with `run_env` (the generated runs have the constants
    folded in): the names of `global_env` but the constants and the aggregates not asked
    for, in the same order, with the same values (draws included)."""
    states = []
    play_random(game, 11, lambda state: states.append(state.clone()))
    plan = plan_for(game.rules)
    constants = game.rules.scenario.constants
    for keys in (plan.work_keys, plan.dynamics_keys, plan.review_keys, plan.news_keys):
        asked = {name for _, *names in keys for name in names if name}
        for state in [game.new_state(11), *states[:: max(1, len(states) // 10)]]:
            for seed in (None, 5):
                rng_a = random.Random(seed) if seed is not None else None
                rng_b = random.Random(seed) if seed is not None else None
                full = global_env(game.rules, state, rng_a)
                want = {k: v for k, v in full.items() if k not in constants
                        and (k not in game.rules.aggregate_names or k in asked
                             or k.startswith("headcount"))}
                got = run_env(plan.lk, state, keys, rng_b)
                assert list(got) == list(want)
                assert all(_same(got[k], want[k]) for k in want)


def test_the_plan_holds_the_rules_lookups(game: Game):
    assert plan_for(game.rules).lk is lookups(game.rules)


def test_skipping_the_draws_moves_a_stream_on_as_drawing_them_does(tmp_path):
    text = TINY.read_text()
    assert "randoms:\n" in text
    path = tmp_path / "tiny.yaml"  # a uniform and a normal draw, so gauss keeps a spare
    path.write_text(text.replace("randoms:\n", "randoms:\n  spare: {normal: [0, 1]}\n"
                                 "  even: {uniform: [0, 2]}\n", 1))
    lk = lookups(compile_rules(load_scenario(path)))
    assert len(lk.randoms) >= 3
    drawn, skipped = random.Random(5), random.Random(5)
    for _ in range(3):
        draws_of(lk, drawn)
        skip_draws(lk, skipped)
        assert drawn.getstate() == skipped.getstate()
