"""Changes collected during one step of a turn, for a whole batch, and how they are applied
(`Changes`, `apply_stats`, `apply_metrics`, `finish` and `arrive_due`).

Every array is summed in the order the changes were made, from 0.0, as the scalar engine's
dicts are; masks say which game collected which change, so a game's result is exactly what
the scalar engine computes from the changes it made (a metric or stat no change touched is
not moved, not even by adding 0.0).
"""

from __future__ import annotations

import numpy as np

from game.engine.batch.masks import anywhere
from game.engine.batch.state import Batch, Push

SMALL = 128
"""Up to this many elements a masked add costs less than a where and an add (the call
overhead of one ufunc against two); above it the where and the add cost less."""


def add_where(sums: np.ndarray, amount: np.ndarray, mask: np.ndarray) -> None:
    """`sums += amount` where `mask`, in place: a masked add on small arrays, else -0.0
    added elsewhere, which changes no float either (0.0 + -0.0 is 0.0, -0.0 + -0.0 is -0.0;
    adding 0.0 would turn -0.0 into 0.0): the same sums, the cheaper way for the size."""
    if sums.size <= SMALL:
        np.add(sums, amount, out=sums, where=mask)
    else:
        np.add(sums, np.where(mask, amount, -0.0), out=sums)


class StatChanges:
    """The changes of one step to one stat, over every game and seat (G, S): the additions
    summed in the order they were made, from 0.0, where they were made, and the last set
    value where one was made (`set` and `is_set` are None until a set is made)."""

    __slots__ = ("add", "added", "is_set", "set")

    def __init__(self, shape: tuple[int, int]) -> None:
        self.add = np.zeros(shape)
        self.added = np.zeros(shape, dtype=bool)
        self.set: np.ndarray | None = None
        self.is_set: np.ndarray | None = None

    def setting(self) -> tuple[np.ndarray, np.ndarray]:
        """(set, is_set), made on the first set."""
        if self.set is None:
            self.set, self.is_set = np.zeros(self.add.shape), np.zeros(self.add.shape, bool)
        return self.set, self.is_set


class Changes:
    """The changes of one step: additions and sets of metrics, each with a mask of where it
    was made (the sets' arrays made at the first set: `metric_set` and `metric_is_set` are
    None until then), the changes of each stat some change touched (`stats`: its own (G, S) arrays,
    made when first touched), and the delayed changes (`pushes`) in the order they were
    made."""

    __slots__ = ("metric_add", "metric_added", "metric_is_set", "metric_set",
                 "metrics_touched", "pushes", "stat_shape", "stats")

    def __init__(self, batch: Batch) -> None:
        g, m = batch.metrics.shape
        self.stat_shape = batch.stats.shape[:2]
        """(G, S): the shape of one stat's changes."""
        self.metric_add = np.zeros((g, m))
        self.metric_added = np.zeros((g, m), dtype=bool)
        self.metric_set: np.ndarray | None = None
        self.metric_is_set: np.ndarray | None = None
        self.stats: dict[int, StatChanges] = {}
        """Stat index -> its changes, for the stats some change was made to."""
        self.pushes: list[Push] = []
        self.metrics_touched: set[int] = set()
        """The metrics (indices) some change was made to, in some game."""

    def stat(self, t: int) -> StatChanges:
        """The changes of stat t, made on its first change."""
        found = self.stats.get(t)
        if found is None:
            found = self.stats[t] = StatChanges(self.stat_shape)
        return found

    def add_metric(self, m: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """metric m += amount (G,) in the games of `mask` (G,)."""
        self.metrics_touched.add(m)
        add_where(self.metric_add[:, m], amount, mask)  # a view: added to in place
        self.metric_added[:, m] |= mask

    def set_metric(self, m: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """metric m = amount in the games of `mask` (a later set wins)."""
        self.metrics_touched.add(m)
        if self.metric_set is None:
            self.metric_set = np.zeros(self.metric_add.shape)
            self.metric_is_set = np.zeros(self.metric_add.shape, dtype=bool)
        np.copyto(self.metric_set[:, m], amount, where=mask)
        self.metric_is_set[:, m] |= mask

    def add_stat(self, seat: int, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of `seat` += amount in the games of `mask`."""
        changes = self.stat(t)
        add_where(changes.add[:, seat], amount, mask)  # a view: added to in place
        changes.added[:, seat] |= mask

    def set_stat(self, seat: int, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of `seat` = amount in the games of `mask` (a later set wins)."""
        values, is_set = self.stat(t).setting()
        np.copyto(values[:, seat], amount, where=mask)
        is_set[:, seat] |= mask

    def add_stats(self, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of every seat += amount (broadcast to (G, S)) where `mask` (G, S): what
        `add_stat` does seat by seat (each seat's column is its own sum)."""
        changes = self.stat(t)
        add_where(changes.add, amount, mask)
        changes.added |= mask

    def set_stats(self, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of every seat = amount (broadcast to (G, S)) where `mask` (G, S)."""
        values, is_set = self.stat(t).setting()
        np.copyto(values, amount, where=mask)
        is_set |= mask

    def push(self, due: int, target: str, seat: int | None, mode: str, direct: bool,
             amount: np.ndarray, mask: np.ndarray) -> None:
        """Queue a delayed change in the games of `mask` (none if the mask is empty)."""
        if anywhere(mask):
            self.pushes.append(Push(due, target, seat, mode, direct,
                                    np.where(mask, amount, 0.0), mask.copy()))

    def clear_stats(self) -> None:
        """Forget the stat changes (once applied)."""
        self.stats = {}


def clamp(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """`min(high, max(low, value))` as Python computes it (NaN becomes `low`)."""
    value = np.where(value > low, value, low)
    return np.where(value < high, value, high)


def apply_stats(batch: Batch, changes: Changes) -> None:
    """Apply the collected stat changes: a set value is where the additions start; every
    touched stat the seat has is then added to and clamped to its bounds. Only the stats
    some change was made to are read and written (`Changes.stats`), stat by stat, in place
    (as `reset_stats` writes them): the seat envs that hold views of them are made and read
    within one step, before its changes are applied, and everything kept past a step (the
    record, the news' and the review's opening names, sights) holds copies."""
    layout = batch.layout
    for t in sorted(changes.stats):
        change = changes.stats[t]
        old = batch.stats[:, :, t]  # a view: written in place where touched
        touched = change.added
        value = old
        if change.is_set is not None:
            touched = touched | change.is_set
            value = np.where(change.is_set, change.set, old)
        value = clamp(value + change.add, layout.stat_low[t], layout.stat_high[t])
        np.copyto(old, value, where=touched & layout.has_stat[:, t])


def apply_metrics(batch: Batch, changes: Changes, smooth: bool) -> None:
    """Move metrics: pushes through inertia when `smooth`, sets directly; clamp to bounds.
    A pass that is not `smooth` moves only the metrics it changes when the layout is
    `settled` (`Layout.settled`): only those columns are computed, into copies of the
    metrics and carry; every metric otherwise."""
    layout = batch.layout
    if smooth or not layout.settled:
        batch.metrics, batch.carry = _moved(batch, changes, slice(None), smooth)
        return
    if not changes.metrics_touched:
        return
    columns = sorted(changes.metrics_touched)
    pick = columns[0] if len(columns) == 1 else columns
    value, carry = _moved(batch, changes, pick, False)
    moved = changes.metric_added[:, pick]
    if changes.metric_is_set is not None:
        moved = moved | changes.metric_is_set[:, pick]
    metrics, carries = batch.metrics.copy(), batch.carry.copy()
    metrics[:, pick] = np.where(moved, value, batch.metrics[:, pick])
    carries[:, pick] = np.where(moved, carry, batch.carry[:, pick])
    batch.metrics, batch.carry = metrics, carries


def _moved(batch: Batch, changes: Changes, pick: slice | int | list[int], smooth: bool
           ) -> tuple[np.ndarray, np.ndarray]:
    """(value, carry) of the metrics `pick` (a column index or indices) after the changes,
    the sets and the bounds, in every game (see `apply_metrics`)."""
    layout = batch.layout
    value, carry, add = batch.metrics[:, pick], batch.carry[:, pick], changes.metric_add[:, pick]
    if smooth:
        backlog = carry + add
        applied = backlog * layout.metric_arrives[pick]
        carry = backlog - applied
        value = value + applied
    else:
        value = value + add
    if changes.metric_is_set is not None:  # (no set made: these would change nothing)
        is_set = changes.metric_is_set[:, pick]
        value = np.where(is_set, changes.metric_set[:, pick], value)
        carry = np.where(is_set, 0.0, carry)
    top, bottom = layout.metric_high[pick], layout.metric_low[pick]
    high, low = value >= top, value <= bottom
    carry = np.where(high, np.where(carry > 0.0, 0.0, carry),
                     np.where(low & (carry < 0.0), 0.0, carry))
    return np.where(high, top, np.where(low, bottom, value)), carry


def finish(batch: Batch, changes: Changes, smooth: bool) -> None:
    """Apply a step's changes: stats, then metrics, then queue what is delayed."""
    apply_stats(batch, changes)
    apply_metrics(batch, changes, smooth)
    batch.pending.extend(changes.pushes)
    changes.pushes = []


def arrive_due(batch: Batch, changes: Changes) -> None:
    """Move the pending changes that fall due this turn into `changes`, in the order they
    were made; a `direct` metric push is added to the metric at once."""
    layout, keep = batch.layout, []
    for push in batch.pending:
        if push.due != batch.turn:
            keep.append(push)
            continue
        present, amount = push.present, push.amount
        if push.seat is not None:
            t = layout.stat(push.target)
            if push.mode == "set":
                changes.set_stat(push.seat, t, amount, present)
            else:
                changes.add_stat(push.seat, t, amount, present)
            continue
        m = layout.metric(push.target)
        if push.mode == "set":
            changes.set_metric(m, amount, present)
        elif push.direct:
            batch.metrics[:, m] = np.where(present, batch.metrics[:, m] + amount,
                                           batch.metrics[:, m])
        else:
            changes.add_metric(m, amount, present)
    batch.pending = keep
