"""A seat's work effects land in the scalar order (docs/rules.md, resolution step 3: seat by
seat, behaviour by behaviour, effect by effect), though `apply_work` lands the effects that
neither draw nor wait for every seat at once: each seat's stat is its own sum, whose
additions must keep their order (floats: 0.1 + 0.3 + 1.1 is not 0.1 + 1.1 + 0.3), and the
metric additions, pushes and draws must stay in seat order. And a formula's values are
reused for effects of the same formula text on the same names, never across behaviours
when it reads `effort`.

The reference below is the seat-by-seat loop, effect by effect through `land`."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from game.engine import Game
from game.engine.batch.changes import Changes
from game.engine.batch.effects import (
    applies,
    apply_work,
    at_seat,
    certain,
    delay_of,
    land,
    passes,
    work_draws,
)
from game.engine.batch.env import global_env, seat_env
from game.engine.batch.formula import compile_batch, quietly
from game.engine.batch.state import Batch, gather
from game.engine.batch.streams import lanes_of
from game.engine.batch.turn import snapshot_reads
from game.scenario.formula import compile_formula
from game.scenario.load import load_scenario
from tests.engine.batch_states import PATHS
from tests.engine.test_batch_changes import whole_stat_changes

ORDER = Path(__file__).with_name("fixtures") / "order.yaml"


@quietly
def _seat_by_seat(batch: Batch, changes: Changes) -> None:
    """Work as the scalar engine orders it: every effect of every seat through `land`."""
    rules, layout = batch.rules, batch.layout
    active = batch.employed & batch.allocated
    lanes = [lanes_of(batch, batch.turn, "work", k) for k in range(layout.seats)]
    senv = seat_env(batch, global_env(batch), work_draws(batch, lanes, active))
    for k, role in enumerate(layout.roles):
        for behaviour in rules.behaviours_of(role):
            b = layout.behaviour_ids.index(behaviour.id)
            points = batch.effort[:, k, b]
            working = active[:, k] & (points > 0)
            senv["effort"] = batch.effort[:, :, b]
            for effect in behaviour.effects:
                formula = layout.formula
                when, chance, value = (formula(f)(senv) for f in
                                       (effect.when, effect.chance, effect.value))
                land(batch, changes, effect, delay_of(batch, effect, False),
                     False, at_seat(value, k) * points,
                     passes(at_seat(when, k), at_seat(chance, k), working, lanes[k]), k)


def _working_batch(game: Game, seeds: list[int]) -> Batch:
    """A batch of new games whose workers put one point (some two) into each behaviour."""
    batch = gather(game.rules, game.new_states(seeds))
    batch.effort[:, 1:, :] = 1.0
    batch.effort[::3, 2, 0] = 2.0  # a seat working on one behaviour more than the others
    batch.effort[1::4, 3, 1] = 0.0  # and one not working on the second
    batch.allocated[:, 1:] = True
    return batch


def _bits(array: np.ndarray) -> np.ndarray:
    """The array's float64 values as their bits (-0.0 and NaN compared exactly)."""
    return np.ascontiguousarray(array, dtype=np.float64).view(np.int64)


def test_work_lands_each_seats_changes_in_the_scalar_order():
    game = Game(load_scenario(ORDER))
    seeds = list(range(40))
    got, want = _working_batch(game, seeds), _working_batch(game, seeds)
    got_changes, want_changes = Changes(got), Changes(want)
    with quietly:
        apply_work(got, global_env(got), got_changes)
    _seat_by_seat(want, want_changes)
    assert want_changes.stats and want_changes.pushes
    assert set(got_changes.stats) == set(want_changes.stats)
    shape = got.stats.shape
    for a, b in zip(whole_stat_changes(got_changes, shape),
                    whole_stat_changes(want_changes, shape)):
        assert np.array_equal(_bits(a), _bits(b))
    for name in Changes.__slots__:
        if name in ("pushes", "stats", "stat_shape"):
            continue
        a, b = getattr(got_changes, name), getattr(want_changes, name)
        if isinstance(a, set):  # the stats and metrics touched
            assert a == b, name
            continue
        assert np.array_equal(_bits(a), _bits(b)), name
    assert len(got_changes.pushes) == len(want_changes.pushes)
    for a, b in zip(got_changes.pushes, want_changes.pushes):
        assert (a.due, a.target, a.seat, a.mode, a.direct) == (b.due, b.target, b.seat,
                                                                b.mode, b.direct)
        assert np.array_equal(_bits(a.amount), _bits(b.amount))
        assert np.array_equal(a.present, b.present)


def _constant(value: float | None) -> SimpleNamespace:
    """A stand-in for a compiled formula that is `value` when constant (None: reads names)."""
    return SimpleNamespace(constant=value)


@pytest.mark.parametrize("when", [None, 0.0, -0.0, 1.0, -2.0, 0.25])
@pytest.mark.parametrize("chance", [None, 0.0, -1.0, 0.5, 1.0, 3.0])
def test_a_certain_effect_applies_on_its_mask_as_passes_would(when, chance):
    """`certain` holds exactly when `passes` would give the mask itself without a draw, for
    every mask: a `when` other than 0 and a chance at or above 1, both constants; `applies`
    then gives the mask as it is."""
    effect = SimpleNamespace(when=_constant(when), chance=_constant(chance))
    masks = [np.array([True, False, True, True]), np.zeros(4, dtype=bool), np.ones(4, bool)]
    if when is None or chance is None:
        assert not certain(effect)
        return
    sure = all(np.array_equal(passes(np.asarray(when), np.asarray(chance), mask, None), mask)
               for mask in masks if chance <= 0.0 or chance >= 1.0)
    assert certain(effect) == (sure and chance >= 1.0)
    if certain(effect):
        assert all(applies(effect, np.asarray(when), np.asarray(chance), mask, None) is mask
                   for mask in masks)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_snapshot_reads_what_work_and_policies_read(path):
    """The snapshot reads exactly the names a work or policy effect reads, and so the
    aggregates over the seats among them only (the flagship's are read by dynamics only:
    its snapshot has none)."""
    rules = Game(load_scenario(path)).rules
    reads = set().union(*(e.names for b in rules.behaviours for e in b.effects),
                        *(e.names for p in rules.policies for e in p.effects))
    assert snapshot_reads(rules) == reads
    if path.stem == "tokenmaxxing":
        assert not snapshot_reads(rules) & rules.aggregate_names
        assert rules.aggregate_names & set().union(*(e.names for e in rules.dynamics))


class _Recording:
    """Lanes that record where each draw is taken (and draw 0.5 there)."""

    def __init__(self) -> None:
        self.taken: list[list[int]] = []

    def random(self, where: np.ndarray) -> np.ndarray:
        self.taken.append(np.flatnonzero(where).tolist())
        return np.full(where.shape, 0.5)


@pytest.mark.parametrize("when, chance", [
    ("1", "exp(-4.582872602463943e-17)"),  # chance 1.0 as Python computes it, 1 - 2**-53 here
    ("1", "1.0000000000000002 ** -0.21040531645918392"),
    ("1", "1"), ("0", "1"), ("2", "3"), ("1", "0.5")])
def test_applies_is_passes_on_the_values_the_arrays_give(when, chance):
    """`applies` gives what `passes` gives, draws included, on the values the batch formulas
    give: a constant the scalar formula rounds to a chance of 1 may be a hair below 1 over
    arrays (numpy's `exp` and `**`), where `passes` draws; then so must `applies`."""
    effect = SimpleNamespace(when=compile_formula(when), chance=compile_formula(chance))
    values = [compile_batch(f)({}) for f in (when, chance)]
    mask = np.array([True, False, True, True])
    got, want = _Recording(), _Recording()
    assert np.array_equal(applies(effect, *values, mask, got), passes(*values, mask, want))
    assert got.taken == want.taken
