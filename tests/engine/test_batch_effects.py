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

import numpy as np

from game.engine import Game
from game.engine.batch.changes import Changes
from game.engine.batch.effects import (
    apply_work,
    at_seat,
    delay_of,
    land,
    passes,
    work_draws,
)
from game.engine.batch.env import global_env, seat_env
from game.engine.batch.formula import quietly
from game.engine.batch.state import Batch, gather
from game.engine.batch.streams import lanes_of
from game.scenario.load import load_scenario
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
        if name in ("pushes", "stats", "seats"):
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
