"""The batch's state, streams, environments and changes (game.engine.batch) against the scalar
engine: gathering states and scattering them back changes nothing, Lanes draw the numbers of
the scalar streams, and every name a formula reads has the scalar value, bit for bit."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from game.engine import env as scalar_env
from game.engine.batch.env import global_env, in_seat_order, seat_env
from game.engine.batch.state import gather, scatter
from game.engine.batch.streams import Lanes
from game.engine.rng import stream
from tests.engine.conftest import CONTRACT_SCENARIOS, load, random_action


def _states(path, seeds=(1, 2, 3), actions=9):
    """Game, and states of games at different seeds after `actions` random legal actions."""
    game = load(path)
    out = []
    for seed in seeds:
        rng = random.Random(seed)
        state = game.new_state(seed)
        for _ in range(actions):
            if game.is_terminal(state):
                break
            game.apply_inplace(state, random_action(game, state, game.to_act(state)[0], rng))
        out.append(state)
    return game, out


def _same(a: float, b: float) -> bool:
    """Equal bit for bit (-0.0 is not 0.0)."""
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_gather_then_scatter_changes_nothing(path):
    game, states = _states(path)
    turns = {s.turn for s in states}
    for turn in turns:
        group = [s for s in states if s.turn == turn]
        hashes = [s.state_hash() for s in group]
        copies = [s.clone() for s in group]
        scatter(gather(game.rules, copies), copies, record=False)
        assert [s.state_hash() for s in copies] == hashes


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_envs_hold_the_scalar_values(path):
    game, states = _states(path, actions=14)
    for state in states:
        batch = gather(game.rules, [state])
        genv = global_env(batch)
        expected = scalar_env.global_env(game.rules, state)
        unread = {f"{a}_{x}" for a in ("total", "mean", "max", "min")
                  for x in (*batch.layout.stat_ids, *batch.layout.decision_ids)
                  if a not in batch.layout.aggregated.get(x, ())}
        for name, value in expected.items():
            if name.startswith("_") or name in unread:
                continue
            assert _same(float(np.broadcast_to(genv[name], (1, 1))[0, 0]), float(value)), name
        senv = seat_env(batch, genv)
        for seat in state.seats:
            if not seat.employed:
                continue
            own = scalar_env.seat_env(game.rules, expected, state, seat)
            for name, value in own.items():
                if name.startswith("_") or name in unread:
                    continue
                got = np.broadcast_to(senv[name], (1, len(state.seats)))[0, seat.index]
                assert _same(float(got), float(value)), (name, seat.index)


def test_lanes_draw_what_the_streams_draw():
    seeds = [5, 6, 7, 8]
    lanes = Lanes(seeds, 3, "work", 1)
    mask = np.array([True, False, True, True])
    got = [lanes.random(mask), lanes.gauss(1.0, 0.1, mask), lanes.uniform(0.8, 1.2, mask),
           lanes.gauss(1.0, 0.1, np.array([True, True, True, False]))]
    for g, seed in enumerate(seeds):
        rng = stream(seed, 3, "work", 1)
        want = ([rng.random(), rng.gauss(1.0, 0.1), rng.uniform(0.8, 1.2)] if mask[g]
                else [math.nan] * 3)
        want.append(rng.gauss(1.0, 0.1) if g != 3 else math.nan)
        for a, b in zip([x[g] for x in got], want):
            assert (math.isnan(a) and math.isnan(b)) or a == b
    assert lanes.rngs[1] is not None  # seeded at its first draw only


def _scalar_draws(rng: random.Random) -> list[float]:
    """The draws of the test below, from one scalar stream, in order."""
    return [rng.gauss(1.0, 0.1), rng.uniform(-2.0, 3.0), rng.gauss(0.0, 2.5)]


def test_draws_and_skipped_draws_are_the_streams_numbers_in_order():
    """`Lanes.draws` gives each selected game's uniform and normal draws as the stream's
    `uniform` and `gauss` give them, in order (a spare normal kept between calls), and
    `skip_draws` with a count per game moves each stream on as that many `draws` would."""
    seeds = [5, 6, 7, 8]
    randoms = (("luck", (1.0, 0.1), False), ("spread", (-2.0, 3.0), True),
               ("odd", (0.0, 2.5), False))
    lanes = Lanes(seeds, 4, "news")
    first = np.array([True, False, True, True])
    skips = np.array([2, 5, 0, 1])
    got = [lanes.draws(randoms, first)]
    lanes.skip_draws(randoms, np.array([True, True, True, False]), skips)
    got.append(lanes.draws(randoms, np.ones(4, dtype=bool)))
    for g, seed in enumerate(seeds):
        rng = stream(seed, 4, "news")
        want = [_scalar_draws(rng) if first[g] else [math.nan] * 3]
        for _ in range(skips[g] if g != 3 else 0):
            _scalar_draws(rng)
        want.append(_scalar_draws(rng))
        for drawn, values in zip(got, want):
            got_g = [drawn[name][g] for name, _, _ in randoms]
            assert all((math.isnan(a) and math.isnan(b)) or a == b
                       for a, b in zip(got_g, values)), (g, got_g, values)
    assert lanes.draws(randoms, np.zeros(4, dtype=bool))["luck"].shape == (4,)


def test_gather_refuses_games_that_do_not_share_a_turn_or_table():
    game, states = _states(CONTRACT_SCENARIOS[0], seeds=(1, 2), actions=0)
    later = states[1].clone()
    later.turn += 1
    with pytest.raises(ValueError, match="turn"):
        gather(game.rules, [states[0], later])
    other = game.new_state(3, seats=game.default_seats()[:-1])
    with pytest.raises(ValueError, match="table"):
        gather(game.rules, [states[0], other])
    with pytest.raises(ValueError, match="at least one"):
        gather(game.rules, [])


@pytest.mark.parametrize("block", [400, 5, 1])  # the columns' way and the accumulate's
def test_aggregates_are_pythons_sum_max_and_min_in_seat_order(block):
    rng = random.Random(7)
    pool = [0.0, -0.0, 1e16, -1e16, 1.0, 0.1, 0.2, 0.3, -2.5, 3.0]
    values = np.array([[rng.choice(pool) for _ in range(6)] for _ in range(400)])
    mask = np.array([[rng.random() < 0.7 for _ in range(6)] for _ in range(400)])
    values[:20] = -0.0  # all -0.0: a sum from 0.0 is 0.0 (an accumulate alone keeps -0.0)
    mask[:10] = True
    parts = [in_seat_order(values[g:g + block], mask[g:g + block]) for g in range(0, 400, block)]
    got = {kind: np.concatenate([part[kind] for part in parts]) for kind in parts[0]}
    for g in range(400):
        found = [float(v) for v, m in zip(values[g], mask[g]) if m]
        total = sum(found)
        want = {"total": total, "mean": total / len(found) if found else 0.0,
                "max": max(found) if found else 0.0, "min": min(found) if found else 0.0}
        for kind, value in want.items():
            assert _same(float(got[kind][g]), float(value)), (kind, found)


@pytest.mark.parametrize("games", [200, 3, 1])  # the columns' way and the accumulate's
def test_stats_summed_together_are_each_stats_own_sums_bit_for_bit(games):
    """`_stat_aggregates` sums the stats read only as total and mean as one (G, S, k) array:
    each stat's total and mean are the bits `in_seat_order` gives that stat alone, with the
    holders differing per stat, no seat, one seat, rows all -0.0, NaN and infinities."""
    from types import SimpleNamespace

    from game.engine.batch.env import _stat_aggregates

    rng = np.random.default_rng(3)
    pool = np.array([0.0, -0.0, 1e16, -1e16, 0.1, 0.2, -2.5, np.nan, np.inf, -np.inf, 5e-324])
    ids = ("a", "b", "c", "d")
    kinds = {"a": ("total",), "b": ("mean",), "c": ("total", "mean"), "d": ("total", "max")}
    for _ in range(20):
        stats = rng.choice(pool, (games, 5, 4))
        stats[: games // 2 + 1, :, :2] = -0.0
        employed = rng.random((games, 5)) < 0.6
        employed[0] = [True, False, False, False, False]  # one seat
        has = rng.random((5, 4)) < 0.7
        batch = SimpleNamespace(layout=SimpleNamespace(stat_ids=ids, has_stat=has),
                                employed=employed, stats=stats)
        with np.errstate(all="ignore"):  # (inf - inf on the way: part of the rules)
            got = _stat_aggregates(batch, kinds)
            wants = [in_seat_order(stats[:, :, t], employed & has[:, t], kinds[sid])
                     for t, sid in enumerate(ids)]
        for sid, want in zip(ids, wants):
            assert list(got[sid]) == list(want), sid
            for kind, value in want.items():
                assert got[sid][kind].tobytes() == value.tobytes(), (sid, kind)
