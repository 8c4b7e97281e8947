"""The shortcuts resolution takes in building formula environments (game.engine.env)."""

from __future__ import annotations

import gc
import random

from game.engine import Game
from game.engine.actions import _choices
from game.engine.env import (aggregates, aggregates_read, formula_names, global_env, lookups,
                            read_env)
from game.engine.resolve_plan import plan_for
from game.scenario.load import load_scenario
from game.scenario.rules import compile_rules
from tests.engine.conftest import play_random


def _same(a: float, b: float) -> bool:
    """Equal bit for bit, type included (an int 0 is not a float 0.0)."""
    return type(a) is type(b) and repr(a) == repr(b)


def test_aggregates_read_is_aggregates_for_every_name_a_formula_reads(game: Game):
    read = formula_names(game.rules)
    states = []
    play_random(game, 7, lambda state: states.append(state.clone()))
    laid_off = states[-1].clone()
    for seat in laid_off.seats[1:]:
        seat.employed = False  # a role with no employed seat left
    for state in [game.new_state(7), *states[:: max(1, len(states) // 10)], laid_off]:
        full = aggregates(game.rules, state.seats)
        part = aggregates_read(game.rules, state.seats)
        wanted = {k for k in full if k in read or k.startswith("headcount")}
        assert set(part) == wanted
        assert all(_same(part[k], full[k]) for k in part)


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


def test_read_env_is_global_env_with_the_aggregates_read(game: Game):
    """Resolution builds its global envs with `read_env`: the same names, in the same order,
    with the same values (draws included) as `global_env` given `aggregates_read`."""
    states = []
    play_random(game, 11, lambda state: states.append(state.clone()))
    lk = lookups(game.rules)
    for state in [game.new_state(11), *states[:: max(1, len(states) // 10)]]:
        for seed in (None, 5):
            rng_a = random.Random(seed) if seed is not None else None
            rng_b = random.Random(seed) if seed is not None else None
            want = global_env(game.rules, state, rng_a,
                              aggs=aggregates_read(game.rules, state.seats))
            got = read_env(lk, state, rng_b)
            assert list(got) == list(want)
            assert all(_same(got[k], want[k]) for k in want)


def test_the_plan_holds_the_rules_lookups(game: Game):
    assert plan_for(game.rules).lk is lookups(game.rules)
