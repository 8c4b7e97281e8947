"""Changes collected during one step of a turn, for a whole batch, and how they are applied
(`Changes`, `apply_stats`, `apply_metrics`, `finish` and `arrive_due`).

Every array is summed in the order the changes were made, from 0.0, as the scalar engine's
dicts are; masks say which game collected which change, so a game's result is exactly what
the scalar engine computes from the changes it made (a metric or stat no change touched is
not moved, not even by adding 0.0).
"""

from __future__ import annotations

import numpy as np

from game.engine.batch.state import Batch, Push


class Changes:
    """The changes of one step: additions and sets of metrics and stats, each with a mask of
    where it was made, and the delayed changes (`pushes`) in the order they were made."""

    __slots__ = ("metric_add", "metric_added", "metric_is_set", "metric_set", "pushes",
                 "stat_add", "stat_added", "stat_is_set", "stat_set")

    def __init__(self, batch: Batch) -> None:
        g, m = batch.metrics.shape
        shape = batch.stats.shape
        self.metric_add = np.zeros((g, m))
        self.metric_added = np.zeros((g, m), dtype=bool)
        self.metric_set = np.zeros((g, m))
        self.metric_is_set = np.zeros((g, m), dtype=bool)
        self.stat_add = np.zeros(shape)
        self.stat_added = np.zeros(shape, dtype=bool)
        self.stat_set = np.zeros(shape)
        self.stat_is_set = np.zeros(shape, dtype=bool)
        self.pushes: list[Push] = []

    def add_metric(self, m: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """metric m += amount (G,) in the games of `mask` (G,)."""
        column = self.metric_add[:, m]  # a view: added to in place, only in `mask`
        np.add(column, amount, out=column, where=mask)
        self.metric_added[:, m] |= mask

    def set_metric(self, m: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """metric m = amount in the games of `mask` (a later set wins)."""
        np.copyto(self.metric_set[:, m], amount, where=mask)
        self.metric_is_set[:, m] |= mask

    def add_stat(self, seat: int, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of `seat` += amount in the games of `mask`."""
        column = self.stat_add[:, seat, t]  # a view: added to in place, only in `mask`
        np.add(column, amount, out=column, where=mask)
        self.stat_added[:, seat, t] |= mask

    def set_stat(self, seat: int, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of `seat` = amount in the games of `mask` (a later set wins)."""
        np.copyto(self.stat_set[:, seat, t], amount, where=mask)
        self.stat_is_set[:, seat, t] |= mask

    def add_stats(self, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of every seat += amount (broadcast to (G, S)) where `mask` (G, S): what
        `add_stat` does seat by seat (each seat's column is its own sum)."""
        column = self.stat_add[:, :, t]
        np.add(column, amount, out=column, where=mask)
        self.stat_added[:, :, t] |= mask

    def set_stats(self, t: int, amount: np.ndarray, mask: np.ndarray) -> None:
        """stat t of every seat = amount (broadcast to (G, S)) where `mask` (G, S)."""
        np.copyto(self.stat_set[:, :, t], amount, where=mask)
        self.stat_is_set[:, :, t] |= mask

    def push(self, due: int, target: str, seat: int | None, mode: str, direct: bool,
             amount: np.ndarray, mask: np.ndarray) -> None:
        """Queue a delayed change in the games of `mask` (none if the mask is empty)."""
        if mask.any():
            self.pushes.append(Push(due, target, seat, mode, direct,
                                    np.where(mask, amount, 0.0), mask.copy()))

    def clear_stats(self) -> None:
        """Forget the stat changes (once applied)."""
        for array in (self.stat_add, self.stat_set):
            array.fill(0.0)
        for array in (self.stat_added, self.stat_is_set):
            array.fill(False)


def clamp(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """`min(high, max(low, value))` as Python computes it (NaN becomes `low`)."""
    value = np.where(value > low, value, low)
    return np.where(value < high, value, high)


def apply_stats(batch: Batch, changes: Changes) -> None:
    """Apply the collected stat changes: a set value is where the additions start; every
    touched stat the seat has is then added to and clamped to its bounds."""
    layout = batch.layout
    touched = (changes.stat_added | changes.stat_is_set) & layout.has_stat
    if not touched.any():
        return
    value = np.where(changes.stat_is_set, changes.stat_set, batch.stats) + changes.stat_add
    value = clamp(value, layout.stat_low, layout.stat_high)
    batch.stats = np.where(touched, value, batch.stats)


def apply_metrics(batch: Batch, changes: Changes, smooth: bool) -> None:
    """Move metrics: pushes through inertia when `smooth`, sets directly; clamp to bounds.
    A pass that is not `smooth` moves only the metrics it changes when the layout is
    `settled` (`Layout.settled`), every metric otherwise."""
    layout = batch.layout
    value, carry = batch.metrics, batch.carry
    if smooth:
        backlog = carry + changes.metric_add
        applied = backlog * layout.metric_arrives
        carry = backlog - applied
        value = value + applied
        moved = None
    else:
        value = value + changes.metric_add
        moved = None if not layout.settled else changes.metric_added | changes.metric_is_set
    value = np.where(changes.metric_is_set, changes.metric_set, value)
    carry = np.where(changes.metric_is_set, 0.0, carry)
    high, low = value >= layout.metric_high, value <= layout.metric_low
    carry = np.where(high, np.where(carry > 0.0, 0.0, carry),
                     np.where(low & (carry < 0.0), 0.0, carry))
    value = np.where(high, layout.metric_high, np.where(low, layout.metric_low, value))
    if moved is None:
        batch.metrics, batch.carry = value, carry
    else:
        batch.metrics = np.where(moved, value, batch.metrics)
        batch.carry = np.where(moved, carry, batch.carry)


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
