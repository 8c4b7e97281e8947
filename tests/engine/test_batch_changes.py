"""Applying a step's changes reads and writes only the stats and metrics some change touched
(`Changes.stats`, `metrics_touched`): the result is, bit for bit, what the rule
applied over the whole arrays gives (the reference below). The stats are written in place;
the metrics and carry are new arrays (the news keeps the old ones of a pass that is not
settled)."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import Game
from game.engine.batch.changes import (
    Changes,
    add_where,
    apply_metrics,
    apply_stats,
    clamp,
)
from game.engine.batch.state import Batch, gather
from game.scenario.load import load_scenario


def whole_stat_changes(changes: Changes, shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """(add, added, set, is_set) over every stat (G, S, T), from `Changes.stats` (zero and
    False for a stat no change touched)."""
    add, added = np.zeros(shape), np.zeros(shape, dtype=bool)
    values, is_set = np.zeros(shape), np.zeros(shape, dtype=bool)
    for t, change in changes.stats.items():
        add[:, :, t], added[:, :, t] = change.add, change.added
        if change.set is not None:
            values[:, :, t], is_set[:, :, t] = change.set, change.is_set
    return add, added, values, is_set


def _whole_stats(batch: Batch, changes: Changes) -> np.ndarray:
    """The stats after the changes, computed over every stat of every seat and game."""
    layout = batch.layout
    add, added, values, is_set = whole_stat_changes(changes, batch.stats.shape)
    touched = (added | is_set) & layout.has_stat
    value = np.where(is_set, values, batch.stats) + add
    value = clamp(value, layout.stat_low, layout.stat_high)
    return np.where(touched, value, batch.stats)


def _whole_metrics(batch: Batch, changes: Changes) -> tuple[np.ndarray, np.ndarray]:
    """(metrics, carry) after a pass that is not smooth, over every metric: only those a
    change touched move."""
    layout = batch.layout
    values, is_set = _metric_sets(changes)
    value = np.where(is_set, values, batch.metrics + changes.metric_add)
    carry = np.where(is_set, 0.0, batch.carry)
    high, low = value >= layout.metric_high, value <= layout.metric_low
    carry = np.where(high, np.where(carry > 0.0, 0.0, carry),
                     np.where(low & (carry < 0.0), 0.0, carry))
    value = np.where(high, layout.metric_high, np.where(low, layout.metric_low, value))
    moved = changes.metric_added | is_set
    return np.where(moved, value, batch.metrics), np.where(moved, carry, batch.carry)


def _metric_sets(changes: Changes) -> tuple[np.ndarray, np.ndarray]:
    """(set values, is_set) of every metric (G, M): False where no set was made (the
    arrays are made at the first set)."""
    if changes.metric_set is None:
        shape = changes.metric_add.shape
        return np.zeros(shape), np.zeros(shape, dtype=bool)
    return changes.metric_set, changes.metric_is_set


def _bits(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(array, dtype=np.float64).view(np.int64)


def _changed(batch: Batch, seed: int) -> Changes:
    """Random additions and sets (large enough to reach the bounds) on a few stats and
    metrics, each in random games and seats."""
    rng = np.random.default_rng(seed)
    changes = Changes(batch)
    g, s, t = batch.stats.shape
    for _ in range(rng.integers(1, 4)):
        amount, mask = rng.normal(0, 50, g), rng.random(g) < 0.5
        seat, stat = int(rng.integers(s)), int(rng.integers(t))
        if rng.random() < 0.3:
            changes.set_stat(seat, stat, amount, mask)
        else:
            changes.add_stat(seat, stat, amount, mask)
    if rng.random() < 0.5:
        changes.add_stats(int(rng.integers(t)), rng.normal(0, 50, (g, 1)),
                          rng.random((g, s)) < 0.5)
    if rng.random() < 0.4:
        changes.set_stats(int(rng.integers(t)), rng.normal(0, 50, (g, s)),
                          rng.random((g, s)) < 0.5)
    for _ in range(rng.integers(0, 3)):
        m = int(rng.integers(batch.metrics.shape[1]))
        amount, mask = rng.normal(0, 80, g), rng.random(g) < 0.5
        (changes.set_metric if rng.random() < 0.3 else changes.add_metric)(m, amount, mask)
    return changes


@pytest.mark.parametrize("seed", range(12))
def test_changes_applied_to_what_they_touched_are_the_whole_rule(seed):
    game = Game(load_scenario("tokenmaxxing"))
    batch = gather(game.rules, game.new_states(list(range(30))))
    batch.carry = np.random.default_rng(seed).normal(0, 5, batch.carry.shape)
    changes = _changed(batch, seed)
    stats, metrics, carry = batch.stats, batch.metrics, batch.carry
    before = metrics.copy(), carry.copy()
    want_stats = _whole_stats(batch, changes)
    want_metrics, want_carry = _whole_metrics(batch, changes)
    apply_stats(batch, changes)
    apply_metrics(batch, changes, False)
    assert batch.layout.settled
    assert np.array_equal(_bits(batch.stats), _bits(want_stats))
    assert np.array_equal(_bits(batch.metrics), _bits(want_metrics))
    assert np.array_equal(_bits(batch.carry), _bits(want_carry))
    assert batch.stats is stats
    for old, copy in zip((metrics, carry), before):
        assert np.array_equal(_bits(old), _bits(copy))


@pytest.mark.parametrize("games", [50, 3])  # above and below `SMALL` elements: both ways
@pytest.mark.parametrize("seed", range(8))
def test_add_where_is_the_masked_add_bit_for_bit(seed, games):
    """`add_where` (a where and an add, or a masked add on small arrays) gives, from 0.0,
    exactly the sums a masked add gives, with -0.0, infinities and NaN among the amounts."""
    rng = np.random.default_rng(seed)
    special = np.array([-0.0, 0.0, np.inf, -np.inf, np.nan, 1e308, -1e308, 5e-324, -5e-324])
    got, want = np.zeros((games, 3)), np.zeros((games, 3))
    for _ in range(12):
        amount = rng.normal(0, 10, (games, 3))
        picked = rng.random((games, 3)) < 0.4
        amount[picked] = rng.choice(special, picked.sum())
        mask = rng.random((games, 3)) < 0.6
        with np.errstate(all="ignore"):  # inf - inf on the way: part of the rules
            add_where(got, amount, mask)
            np.add(want, amount, out=want, where=mask)
    assert np.array_equal(_bits(got), _bits(want))
    assert not np.signbit(got[got == 0.0]).any()


def test_add_where_leaves_every_sum_outside_its_mask_as_it_is():
    """Outside the mask `add_where` changes no sum bit, whatever it holds: -0.0 (which
    adding 0.0 would turn into 0.0), infinities, NaN, subnormals."""
    sums = np.array([-0.0, 0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, -1.5, 2.0])
    before = sums.copy()
    mask = np.zeros(sums.shape, dtype=bool)
    add_where(sums, np.full(sums.shape, 7.0), mask)
    assert np.array_equal(_bits(sums), _bits(before))
