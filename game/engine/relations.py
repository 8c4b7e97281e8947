"""Seats in relation and draws by scope: what the formula environments add for a scenario
with an `order:` (each seat's neighbours) or with keyed random draws (docs/rules.md,
"Seats in relation" and "Randomness and determinism").

Neighbours are counted among the employed seats of the order's roles, in the order of its
roles and then in seat order: a laid-off seat leaves the line and its neighbours close up.
A keyed draw's value comes from its own stream, derived from (seed, turn, "random", name,
seat) by its scope, so it is the same wherever it is read in that turn and adds no number to
the streams of older draws.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from game.engine.rng import stream
from game.scenario.compiled import COrder
from game.scenario.model import Draw

NOBODY: dict[str, float] = {}
"""The stats of the neighbour a seat does not have (the end of a chain): every value 0."""


def line_of(order: COrder, rows: Iterable[tuple]) -> list[int]:
    """The seat indices of the order, upstream first, from a Roster's `rows` (employed seats:
    index, role, ...)."""
    rank = {role: n for n, role in enumerate(order.roles)}
    placed = [(rank[row[1]], row[0]) for row in rows if row[1] in rank]
    return [index for _, index in sorted(placed)]


def links(order: COrder, rows: Iterable[tuple]) -> dict[int, tuple[int | None, int | None]]:
    """Each seat of the order: (its upstream neighbour, its downstream one), None where there
    is nobody (the ends of a chain). In a ring the last passes on to the first."""
    line = line_of(order, rows)
    ring = order.kind == "ring"
    out: dict[int, tuple[int | None, int | None]] = {}
    for n, index in enumerate(line):
        up = line[n - 1] if n > 0 else (line[-1] if ring else None)
        down = line[n + 1] if n + 1 < len(line) else (line[0] if ring else None)
        out[index] = (up, down)
    return out


def near_stats(order: COrder, rows: list[tuple], decisions: dict[str, tuple] | None = None,
               allocations: dict[int, dict] | None = None) -> dict[int, tuple[dict, dict]]:
    """Each seat of the order: (its upstream neighbour's stats, its downstream one's), NOBODY
    where there is none; what a formula's `upstream.x` is read from. With `decisions` (per
    role, its (decision id, initial number) pairs) a seat's values also hold its numbers of
    this turn in `allocations` (else the initial ones)."""
    stats = {row[0]: row[2] for row in rows}
    if decisions and any(decisions.get(role) for role in order.roles):
        allocations = allocations or {}
        for index, role, own, *_ in rows:
            if decisions.get(role):
                chosen = allocations.get(index) or {}
                stats[index] = {**own, **{d: float(chosen.get(d, initial))
                                          for d, initial in decisions[role]}}
    return {index: (stats[up] if up is not None else NOBODY,
                    stats[down] if down is not None else NOBODY)
            for index, (up, down) in links(order, rows).items()}


def neighbour_values(near: tuple[dict, dict] | None, names: Iterable[str]) -> dict[str, float]:
    """`upstream.x` and `downstream.x` for the names given, from a seat's `near_stats` entry
    (every value 0 for a seat outside the order)."""
    up, down = near if near is not None else (NOBODY, NOBODY)
    out = {}
    for name in names:
        side, _, stat = name.partition(".")
        out[name] = float((up if side == "upstream" else down).get(stat, 0.0))
    return out


def sample(draw: Draw, rng: random.Random) -> float:
    """One value of `draw`, from `rng`."""
    kind = draw.kind
    if kind == "uniform":
        return rng.uniform(*draw.uniform)
    if kind == "normal":
        return rng.gauss(*draw.normal)
    if kind == "binomial":
        return float(_binomial(int(draw.binomial[0]), draw.binomial[1], rng))
    if kind == "poisson":
        return float(_poisson(draw.poisson, rng))
    u = rng.random()
    for value, chance in zip(draw.choice.values, draw.choice.chances()):
        u -= chance
        if u < 0.0:
            return float(value)
    return float(draw.choice.values[-1])


def _binomial(n: int, p: float, rng: random.Random) -> int:
    """Successes in `n` trials of chance `p`, by inversion (walking the distribution from 0,
    about n * min(p, 1 - p) steps; n is at most 1000, so (1 - p) ** n stays above 0)."""
    if p > 0.5:
        return n - _binomial(n, 1.0 - p, rng)
    if p <= 0.0 or n == 0:
        return 0
    q = 1.0 - p
    ratio, prob = p / q, q ** n
    u = rng.random()
    k = 0
    while u > prob and k < n:
        u -= prob
        k += 1
        prob *= ratio * (n - k + 1) / k
    return k


def _poisson(mean: float, rng: random.Random) -> int:
    """A Poisson count of the given mean, by inversion; a mean above 30 is drawn as a sum of
    counts of at most 30 (exp(-mean) would underflow for large means)."""
    total = 0
    while mean > 30.0:
        total += _poisson(30.0, rng)
        mean -= 30.0
    prob = math.exp(-mean)
    u = rng.random()
    k = 0
    while u > prob and k < 1000:
        u -= prob
        k += 1
        prob *= mean / k
    return total + k


def keyed_value(draw: Draw, name: str, seed: int, turn: int, seat: int | None) -> float:
    """A keyed draw's value for `seat` in `turn` (seat None: outside any seat, the turn's
    value, which a `seat` draw gives a company formula)."""
    scope = draw.scope or "seat"
    if scope == "game":
        return sample(draw, stream(seed, 0, "random", name))
    if scope == "turn" or seat is None:
        return sample(draw, stream(seed, turn, "random", name))
    return sample(draw, stream(seed, turn, "random", name, seat))


def keyed_draws(draws: tuple[tuple[str, Draw], ...], seed: int, turn: int,
                seats: Iterable[int]) -> tuple[dict[str, float], dict[str, dict[int, float]]]:
    """The keyed draws of a turn: each one's value outside any seat, and each per-seat one's
    value for every seat of `seats`."""
    shared = {name: keyed_value(d, name, seed, turn, None) for name, d in draws}
    per_seat = {name: {k: keyed_value(d, name, seed, turn, k) for k in seats}
                for name, d in draws if d.per_seat}
    return shared, per_seat
