"""The names formulas read, for a whole batch (docs/rules.md, "Formulas"), as game.engine.env
builds them for one game: the global names as arrays (G, 1) (`global_env`), and a seat's own
names as arrays (G, S) over every seat at once (`seat_env`), so a formula evaluated on a seat
env gives every seat's value in one call (a seat of another role gets a value nobody uses).

Sums over seats run in seat order from 0, as Python's `sum` does, and `max`/`min` keep the
first value no later one beats, as Python's do: numpy's pairwise sums would differ.
"""

from __future__ import annotations

import numpy as np

from game.engine.batch.layout import Layout
from game.engine.batch.state import Batch
from game.engine.relations import keyed_value, links

Env = dict[str, np.ndarray]


def per_game(value: np.ndarray, games: int) -> np.ndarray:
    """A formula's result as (G,): one value per game (a result of shape (G, 1)), or the 0-d
    result of a formula that reads only constants as it is (it broadcasts against (G,))."""
    if value.ndim == 2:
        return value[:, 0]
    return value


def in_seat_order(values: np.ndarray, mask: np.ndarray,
                  kinds: tuple[str, ...] = ("total", "mean", "max", "min")
                  ) -> dict[str, np.ndarray]:
    """The aggregates of `kinds` among `total_`, `mean_`, `max_`, `min_` (each (G,)) of
    `values` (G, S) over the seats of `mask` (G, S), as game.engine.env does: summed in seat
    order from 0, one seat at a time (a seat left out adds 0.0, which changes no sum that
    starts from 0.0), mean = total / count (0 with none), max and min the first value in
    seat order that no other beats (Python's: of 0.0 and -0.0 the first), 0 with none."""
    games = values.shape[0]
    total, count = _seat_sums(np.where(mask, values, 0.0), mask)
    out = {"total": total}
    if "mean" in kinds:  # (with no seat the total is 0.0, and 0.0 / 1 is the 0 wanted)
        out["mean"] = total / np.maximum(count, 1)
    seen = count > 0
    for kind, pick, empty in (("max", np.maximum, -np.inf), ("min", np.minimum, np.inf)):
        if kind in kinds:  # (the reduce np.max and np.min call, without their wrappers)
            best = pick.reduce(np.where(mask, values, empty), axis=1)
            first = np.argmax(mask & (values == best[:, None]), axis=1)
            out[kind] = np.where(seen, values[np.arange(games), first], 0.0)
    return out


SMALL = 320
"""Up to this many (game, seat) cells an accumulate over the seats costs less than adding
one seat's column at a time (its calls dominate); above it the columns cost less."""


def _seat_sums(chosen: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(total, count (int)), each (G,) or (G, k), of `chosen` (G, S) or (G, S, k) and `mask`
    over the seats (axis 1): summed one seat at a time in seat order from 0.0. An
    accumulate adds in the same order from the first seat's value instead, which differs
    only while every value so far is -0.0 (the sum stays -0.0, not 0.0): adding 0.0 at the
    end gives 0.0 there and changes nothing else (x + 0.0 is x for any x but -0.0)."""
    if chosen.size <= SMALL:
        return np.add.accumulate(chosen, axis=1)[:, -1] + 0.0, np.add.reduce(mask, axis=1)
    total = 0.0 + chosen[:, 0]
    count = mask[:, 0].astype(np.int64)
    for k in range(1, chosen.shape[1]):
        total += chosen[:, k]
        count += mask[:, k]
    return total, count


def _column(values: np.ndarray) -> np.ndarray:
    """(G,) values as a (G, 1) column of a global env."""
    return values.reshape(-1, 1)


def global_env(batch: Batch, draws: dict[str, np.ndarray] | None = None,
               reads: frozenset[str] | None = None) -> Env:
    """The global names of every game: constants, metrics, policy levels, the aggregates
    over the employed seats that some formula reads (`Layout.aggregated`; with `reads`,
    only those of the stats and decisions whose aggregates it names: the one costly part),
    the headcounts, `turn`, `turns`, the old-stream draws given (name -> (G,)), and the
    keyed draws' values outside any seat."""
    layout = batch.layout
    aggregated = layout.aggregated if reads is None else _read(layout.aggregated, reads)
    env: Env = dict(layout.constant_env)
    metrics = batch.metrics.copy()  # one copy, read through column views
    for n, mid in enumerate(layout.metric_ids):
        env[mid] = metrics[:, n:n + 1]
    policies = batch.policies.astype(float)
    for n, pid in enumerate(layout.policy_ids):
        env[pid] = policies[:, n:n + 1]
    employed = batch.employed
    for sid, values in _stat_aggregates(batch, aggregated).items():
        for kind, value in values.items():
            env[f"{kind}_{sid}"] = _column(value)
    env.update(headcounts(batch))
    for d, did in enumerate(layout.decision_ids):
        if did in aggregated:
            _aggregates(env, did, batch.numbers[:, :, d], employed & layout.chooses[:, d],
                        aggregated[did])
    env["turn"] = np.float64(batch.turn)
    env["turns"] = np.float64(layout.turns)
    for name, values in (draws or {}).items():
        env[name] = _column(values)
    if layout.keyed:
        env.update(keyed_draws(batch)[0])
    return env


def headcounts(batch: Batch) -> Env:
    """`headcount` and `headcount_<role>` of every game, (G, 1) float: its employed seats,
    of each role. Counted once per employment array (kept in `Batch.cache` with the array
    they were counted from: a layoff gives the batch a new one, never writes it in place)."""
    found = batch.cache.get("headcounts")
    if found is None or found[0] is not batch.employed:
        employed, count = batch.employed, np.add.reduce  # (ndarray.sum's, without its wrapper)
        env = {"headcount": _column(count(employed, axis=1).astype(float))}
        for role, seats in batch.layout.role_of_seat.items():
            env["headcount_" + role] = _column(count(employed & seats, axis=1).astype(float))
        found = batch.cache["headcounts"] = (employed, env)
    return found[1]


def _stat_aggregates(batch: Batch, aggregated: dict[str, tuple[str, ...]]
                     ) -> dict[str, dict[str, np.ndarray]]:
    """`in_seat_order` of each stat of `aggregated` (stat order) over the employed seats
    that hold it, kind -> (G,): the stats that read only `total` and `mean` together, as
    one (G, S, k) array summed over its seats (each stat's sums are the same additions in
    the same order, element by element), the others one by one."""
    layout, employed = batch.layout, batch.employed
    found = [(t, sid) for t, sid in enumerate(layout.stat_ids) if sid in aggregated]
    sums = [(t, sid) for t, sid in found if set(aggregated[sid]) <= {"total", "mean"}]
    out: dict[str, dict[str, np.ndarray]] = {}
    if len(sums) > 1:
        at = [t for t, _ in sums]
        mask = employed[:, :, None] & layout.has_stat[:, at]
        total, count = _seat_sums(np.where(mask, batch.stats[:, :, at], 0.0), mask)
        mean = total / np.maximum(count, 1)  # (as `in_seat_order`)
        for j, (_, sid) in enumerate(sums):
            out[sid] = {"total": total[:, j]}  # (`in_seat_order` always gives the total)
            if "mean" in aggregated[sid]:
                out[sid]["mean"] = mean[:, j]
    for t, sid in found:
        if sid not in out:
            out[sid] = in_seat_order(batch.stats[:, :, t], employed & layout.has_stat[:, t],
                                     aggregated[sid])
    return {sid: out[sid] for _, sid in found}


def _read(aggregated: dict[str, tuple[str, ...]], reads: frozenset[str]
          ) -> dict[str, tuple[str, ...]]:
    """Of `aggregated` (name -> kinds), the kinds `reads` names (`mean_x`, ...), by name."""
    out = {}
    for name, kinds in aggregated.items():
        read = tuple(kind for kind in kinds if f"{kind}_{name}" in reads)
        if read:
            out[name] = read
    return out


def _aggregates(env: Env, name: str, values: np.ndarray, mask: np.ndarray,
                kinds: tuple[str, ...]) -> None:
    """Add the aggregates of `kinds` read of `name` (`total_name`, `mean_name`, ...) to `env`
    (see `in_seat_order`)."""
    for kind, value in in_seat_order(values, mask, kinds).items():
        env[f"{kind}_{name}"] = _column(value)


def seat_env(batch: Batch, genv: Env, draws: dict[str, np.ndarray] | None = None) -> Env:
    """`genv` plus every seat's own names (G, S): its stats, effort per behaviour, numbers
    per decision, `seats` (employed seats of its role), `score`, `rank`, the per-seat keyed
    draws, `upstream.x` and `downstream.x`, and the old-stream draws given (name -> (G, S),
    a seat's work draws)."""
    layout = batch.layout
    env = dict(genv)
    for t, sid in enumerate(layout.stat_ids):
        env[sid] = batch.stats[:, :, t]
    for b, bid in enumerate(layout.behaviour_ids):
        env[bid] = batch.effort[:, :, b]
    for d, did in enumerate(layout.decision_ids):
        env[did] = batch.numbers[:, :, d]
    seats = np.zeros(batch.employed.shape)
    for role, mask in layout.role_of_seat.items():
        seats = np.where(mask, genv["headcount_" + role], seats)
    env["seats"] = seats
    env["score"] = batch.score
    env["rank"] = batch.rank.astype(float)
    if layout.keyed:
        env.update(keyed_draws(batch)[1])
    if layout.order is not None:
        env.update(neighbours(batch))
    env.update(draws or {})
    return env


def seat_names(layout: Layout) -> frozenset[str]:
    """The names `seat_env` adds to the global names or sets over them (the keyed draws and
    the neighbours' names counted whether or not they are per seat: a reader of none of these
    reads the same values in a seat env as in the global one)."""
    return frozenset((*layout.stat_ids, *layout.behaviour_ids, *layout.decision_ids, "seats",
                      "score", "rank", *(name for name, _ in layout.keyed),
                      *layout.near_names))


def keyed_draws(batch: Batch) -> tuple[Env, Env]:
    """The keyed draws of the turn (game.engine.relations): each one's value outside any seat
    (G, 1), and each per-seat one's value for every seat (G, S); a per-turn draw's value for
    every seat too. Drawn once per turn and batch (each value from its own stream)."""
    key = ("keyed", batch.turn)
    found = batch.cache.get(key)
    if found is None:
        layout, seats = batch.layout, range(batch.layout.seats)
        shared: Env = {}
        own: Env = {}
        for name, draw in layout.keyed:
            shared[name] = _column(np.array(
                [keyed_value(draw, name, seed, batch.turn, None) for seed in batch.seeds]))
            if draw.per_seat:
                own[name] = np.array([[keyed_value(draw, name, seed, batch.turn, k)
                                       for k in seats] for seed in batch.seeds]).reshape(
                    batch.size, layout.seats)
        found = batch.cache[key] = (shared, own)
    return found


def neighbour_index(batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """(upstream, downstream) (G, S): each seat's neighbour in the order's line of employed
    seats (game.engine.relations.links), -1 where it has none or is not in the line."""
    layout = batch.layout
    up = np.full(batch.employed.shape, -1, dtype=np.int64)
    down = np.full(batch.employed.shape, -1, dtype=np.int64)
    for g, employed in enumerate(batch.employed.tolist()):
        rows = [(k, role) for k, role in enumerate(layout.roles) if employed[k]]
        for index, (u, d) in links(layout.order, rows).items():
            up[g, index] = -1 if u is None else u
            down[g, index] = -1 if d is None else d
    return up, down


def neighbours(batch: Batch) -> Env:
    """`upstream.x` and `downstream.x` (G, S) for the order's names: the neighbour's stat x,
    or its number for decision x, 0 with no neighbour or when the neighbour lacks it."""
    layout = batch.layout
    up, down = neighbour_index(batch)
    rows = np.arange(batch.size)[:, None]
    env: Env = {}
    for name in sorted(layout.near_names):
        side, _, x = name.partition(".")
        near = up if side == "upstream" else down
        there = np.maximum(near, 0)
        if x in layout.stat_ids:
            t = layout.stat(x)
            values, has = batch.stats[:, :, t], layout.has_stat[:, t]
        else:
            d = layout.decision_ids.index(x)
            values, has = batch.numbers[:, :, d], layout.chooses[:, d]
        env[name] = np.where((near >= 0) & has[there], values[rows, there], 0.0)
    return env
