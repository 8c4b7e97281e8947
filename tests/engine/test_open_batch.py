"""`open_batch` (a chunk's new games opened as one batch, no GameStates) equals
`gather(rules, game.new_states(seeds, table, locked))`: every array bit for bit (dtype,
shape, -0.0 and NaN bits), the per-game lists, the pending and transit rows, the news and the
events fired; for every bundled scenario, tiny.yaml and the engine's fixtures, with and
without locked policies, at several sets of seeds (the corners and edges fixtures fire news in
some games of a batch and not in others).
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from game.engine import Game
from game.engine.batch.choose import acting
from game.engine.batch.news import _fired_before
from game.engine.batch.opening import _regrouped, open_batch
from game.engine.batch.state import Batch, Push, _rows, gather
from game.engine.batch.turn import open_news_states
from game.errors import ActionError
from game.scenario.load import load_scenario
from tests.engine.batch_states import PATHS

SEEDS = (list(range(7)), [0, 2**64 - 1, 12345678901234567890, 3, 3], [99])
ARRAYS = ("metrics", "carry", "policies", "stats", "employed", "laid_off_turn", "score",
          "score_total", "rank", "effort", "numbers", "allocated")
NOT_STATE = ("rules", "layout", "cache", "bank", "recorded")
"""Compared apart (the rules and layout by identity) or not at all: `bank` holds the words of
streams seeded ahead (the same numbers either way), `cache` is empty in both."""


def _same_bits(got: np.ndarray, want: np.ndarray, name: str) -> None:
    assert got.dtype == want.dtype and got.shape == want.shape, name
    if got.dtype.kind == "f":
        assert (got.view(np.int64) == want.view(np.int64)).all(), name
    else:
        assert (got == want).all(), name


def _same_rows(got: list, want: list, name: str) -> None:
    assert len(got) == len(want), name
    for a, b in zip(got, want):
        for f in fields(b):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if isinstance(y, np.ndarray):
                _same_bits(x, y, f"{name}.{f.name}")
            else:
                assert (type(x), x) == (type(y), y), f"{name}.{f.name}"


def assert_same_batch(got: Batch, want: Batch) -> None:
    """Every field of the two batches equal (see the module)."""
    assert got.rules is want.rules and got.layout is want.layout
    assert not got.cache and not want.cache
    checked = set(NOT_STATE)
    for name in ARRAYS:
        _same_bits(getattr(got, name), getattr(want, name), name)
    for name in ("pending", "transit"):
        _same_rows(getattr(got, name), getattr(want, name), name)
    for name in ("seeds", "turn", "allocations", "fired", "news", "reviews", "ended"):
        assert getattr(got, name) == getattr(want, name), name
    _same_bits(_fired_before(got), _fired_before(want), "fired_events")  # (kept or made)
    checked.update(ARRAYS, ("pending", "transit", "seeds", "turn", "allocations", "fired",
                            "news", "reviews", "ended", "fired_events"))
    assert checked == {f.name for f in fields(Batch)}  # a new field must be compared too
    assert len({id(x) for x in got.allocations}) == got.size  # a dict of its own per game
    assert len({id(x) for x in [*got.fired, *got.news]}) == 2 * got.size  # (lists of their own)


def _lockings(game: Game) -> list[dict[str, int] | None]:
    """No lock, and each policy locked at its last level."""
    return [None, *({p.id: len(p.levels) - 1} for p in game.scenario.policies)]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_open_batch_is_gather_of_new_states(path):
    game = Game(load_scenario(path))
    table = game.default_seats()
    news = 0
    for locked in _lockings(game):
        for seeds in SEEDS:
            states = game.new_states(seeds, table, locked)
            got = open_batch(game.rules, seeds, table, locked)
            opens = acting(game.rules, got, "policy").any(axis=1)
            at_policy = [st.phase == "policy" and st.turn == 1 for st in states]
            assert opens.tolist() == at_policy  # what play_over_arrays decides from the batch
            if all(at_policy):
                assert_same_batch(got, gather(game.rules, states))
                news += sum(map(bool, got.news))
            assert_same_batch(got, gather(game.rules, _opened_where_they_stand(game, seeds,
                                                                               table, locked)))
    if path.stem in ("corners", "edges"):
        assert news  # the first news fired somewhere


def _opened_where_they_stand(game: Game, seeds, table, locked) -> list:
    """`new_states`' games after their first news, not moved on past a phase nobody acts in
    (what open_batch holds where turn 1's policy phase has nobody to act: chain, dice)."""
    states = [game.unopened_state(seed, table, locked, "") for seed in seeds]
    open_news_states(game.rules, states)
    return states


def test_open_batch_refuses_a_table_or_lock_the_scenario_does_not_allow():
    game = Game(load_scenario(PATHS[1]))
    table = game.default_seats()
    with pytest.raises(ActionError):
        open_batch(game.rules, [1, 2], table * 20)
    with pytest.raises(ActionError):
        open_batch(game.rules, [1, 2], table, {"no such policy": 0})


def test_regrouped_rows_are_gathers_rows_of_the_same_lists():
    """Rows in another arrangement (one per push, as the news makes them: a game holds a
    push at place 0 where an earlier event did not fire, at place 1 where it did) become
    the rows `gather` makes of each game's list."""
    rng = np.random.default_rng(5)
    keys = [(2, "m", None, "add", True), (3, "m", None, "add", True), (2, "s", 1, "set", False)]
    for _ in range(200):
        size = int(rng.integers(1, 6))
        raw = []
        for _ in range(int(rng.integers(0, 5))):
            present = rng.random(size) < 0.6
            amount = np.where(present, rng.normal(size=size), 0.0)
            raw.append(Push(*keys[rng.integers(len(keys))], amount, present))
        lists = [[_Item(p.amount[g], p) for p in raw if p.present[g]] for g in range(size)]
        want = _rows(lists, lambda item: _key(item.push),
                     lambda k, amount, present: Push(*k, amount, present))
        got = _regrouped(raw, size, _key, lambda k, amount, present: Push(*k, amount, present))
        _same_rows(got, want, "pending")


class _Item:
    def __init__(self, amount, push) -> None:
        self.amount, self.push = float(amount), push


def _key(p: Push) -> tuple:
    return (p.due, p.target, p.seat, p.mode, p.direct)
