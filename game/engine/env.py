"""Formula environments: the names a formula reads, built from the state (docs/rules.md)."""

from __future__ import annotations

import random

from game.engine.state import GameState, SeatState
from game.scenario.rules import Rules


def draws(rules: Rules, rng: random.Random) -> dict[str, float]:
    """A fresh value for every declared random draw, in declaration order."""
    out: dict[str, float] = {}
    for name, d in rules.scenario.randoms.items():
        out[name] = rng.uniform(*d.uniform) if d.uniform else rng.gauss(*d.normal)
    return out


def aggregates(rules: Rules, seats: list[SeatState]) -> dict[str, float]:
    """`total_S`, `mean_S`, `max_S`, `min_S` over employed seats that have stat S."""
    out: dict[str, float] = {}
    employed = [s for s in seats if s.employed]
    values: dict[str, list[float]] = {sid: [] for sid in rules.stat_specs}
    for s in employed:  # in seat order, so sums add up in the same order whatever the stats
        for sid, value in s.stats.items():
            found = values.get(sid)
            if found is not None:
                found.append(value)
    for sid, (total_, mean_, max_, min_) in rules.aggregate_keys:
        found = values[sid]
        total = sum(found)
        out[total_] = total
        out[mean_] = total / len(found) if found else 0.0
        out[max_] = max(found) if found else 0.0
        out[min_] = min(found) if found else 0.0
    out["headcount"] = float(len(employed))
    counts = dict.fromkeys(rules.role_specs, 0)
    for s in employed:
        if s.role in counts:
            counts[s.role] += 1
    for role_id, n in counts.items():
        out["headcount_" + role_id] = float(n)
    return out


def global_env_for(rules: Rules, state: GameState, names: frozenset[str]) -> dict[str, float]:
    """`global_env(rules, state)` for formulas that read only `names`: when none of them is an
    aggregate, the aggregates are skipped (every other value is the same). Performance only."""
    return global_env(rules, state, aggregated=not names.isdisjoint(rules.aggregate_names))


def global_env(rules: Rules, state: GameState, rng: random.Random | None = None,
               aggregated: bool = True) -> dict[str, float]:
    """The names every formula may read, from the true state (without the aggregates when
    `aggregated` is false: see `global_env_for`)."""
    env: dict[str, float] = dict(rules.scenario.constants)
    env.update(state.metrics)
    env.update(state.policies)
    if aggregated:
        env.update(aggregates(rules, state.seats))
    env["turn"] = float(state.turn)
    env["turns"] = float(rules.scenario.turns)
    if rng is not None and rules.scenario.randoms:
        env.update(draws(rules, rng))
    return env


def seat_env(rules: Rules, genv: dict[str, float], state: GameState, seat: SeatState,
             rng: random.Random | None = None) -> dict[str, float]:
    """The names a seat formula may read: the global ones (`genv`, built from this same
    state) plus the seat's own."""
    env = genv.copy()
    env.update(seat.stats)
    alloc = state.allocations.get(seat.index) or {}
    for b in rules.behaviours_of(seat.role):
        env[b.id] = float(alloc.get(b.id, 0))
    seats = genv.get("headcount_" + seat.role)  # present when genv has the aggregates
    if seats is None:
        seats = float(sum(1 for s in state.seats if s.employed and s.role == seat.role))
    env["seats"] = seats
    env["score"] = seat.score
    env["rank"] = float(seat.rank)
    if rng is not None and rules.scenario.randoms:
        env.update(draws(rules, rng))
    return env
