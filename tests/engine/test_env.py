"""The shortcuts resolution takes in building formula environments (game.engine.env)."""

from __future__ import annotations

import gc

from game.engine import Game
from game.engine.actions import _choices
from game.engine.env import _lookups, aggregates, aggregates_read, formula_names
from game.engine.resolve import _plan
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
    caches = [_lookups, _plan, _choices]
    for get in caches:
        get(rules)
    key = id(rules)
    assert all(key in get.cache for get in caches)
    del rules
    gc.collect()
    assert not any(key in get.cache for get in caches)
