"""Formula environments: the names a formula reads, built from the state (docs/rules.md).

These run several times per seat and turn, so what depends only on the rules (the constants,
each role's stats and behaviours) is looked up once per Rules object (`per_rules`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from game.engine.relations import keyed_draws, keyed_value, near_stats, neighbour_values
from game.engine.state import GameState, SeatState
from game.scenario.rules import Rules, neighbour_names

T = TypeVar("T")


def per_rules(build: Callable[[Rules], T]) -> Callable[[Rules], T]:
    """`build(rules)`, computed once per Rules object and forgotten with it.

    Rules are frozen but unhashable (their fields hold dicts), so entries are keyed by `id`;
    a weak reference removes an entry when its rules are collected, before the id can be
    reused. The value is not stored on the Rules object itself, which is pickled with its
    scenario to simulator workers and may hold unpicklable compiled functions."""
    cache: dict[int, tuple[weakref.ref, T]] = {}

    def get(rules: Rules) -> T:
        entry = cache.get(id(rules))
        if entry is not None:
            return entry[1]
        key = id(rules)
        value = build(rules)
        cache[key] = (weakref.ref(rules, lambda _ref: cache.pop(key, None)), value)
        return value

    get.__doc__ = build.__doc__
    get.cache = cache  # for tests
    return get


class Lookups:
    """What the environments need from the rules, computed once (see `lookups`)."""

    __slots__ = ("all_keys", "behaviour_ids", "constants", "decision_ids", "decision_initial",
                 "headcount_keys", "keyed", "near_names", "order", "turns")

    def __init__(self, rules: Rules) -> None:
        s = rules.scenario
        self.constants: dict[str, float] = dict(s.constants)
        """The constants, in file order: every global env starts as a copy of this dict."""
        self.turns = float(s.turns)
        self.keyed = rules.keyed_draws
        """The draws from their own streams (`Rules.keyed_draws`), in every env."""
        self.order = rules.order
        """The seats' order, if any: envs then hold each seat's neighbours' stats."""
        self.near_names = neighbour_names(s)
        """`upstream.x` and `downstream.x` for every stat and decision of the order's roles."""
        self.all_keys = tuple((sid, *names) for sid, names in rules.aggregate_keys) + tuple(
            (did, *names) for did, _, names in rules.decision_keys)
        """(stat or decision id, `total_`, `mean_`, `max_`, `min_` names) for every stat, then
        every decision (see `global_env`)."""
        self.headcount_keys = {role: "headcount_" + role for role in rules.role_specs}
        self.behaviour_ids = {role: tuple(b.id for b in rules.behaviours_of(role))
                              for role in rules.role_specs}
        self.decision_ids = {role: tuple((d.id, d.initial) for d in spec.decisions)
                             for role, spec in rules.role_specs.items()}
        """Per role: (decision id, initial number) of each of its decisions."""
        self.decision_initial = {did: initial for did, initial, _ in rules.decision_keys}
        """Each decision's initial number (see `_decision_aggregates`)."""


lookups = per_rules(Lookups)


class Roster:
    """A state's seats as the global names read them, each seat's fields read once (the names
    read the seats several times, filtered by employment and role). It holds the seats' own
    stats dicts, so stat changes show through it; it is valid until a seat is laid off (or
    the seats are replaced)."""

    __slots__ = ("counts", "indexed", "rows", "stats")

    def __init__(self, lk: Lookups, seats: list[SeatState]) -> None:
        rows, indexed, employed, roles = [], [], [], []
        for seat in seats:
            index, stats = seat.index, seat.stats
            indexed.append((index, stats))
            if seat.employed:
                role = seat.role
                rows.append((index, role, stats))
                employed.append(stats)
                roles.append(role)
        self.rows = rows
        """(index, role, stats) of every employed seat, in seat order."""
        self.indexed = indexed
        """(index, stats) of every seat, laid off or not, in seat order."""
        self.stats = employed
        """The employed seats' stats, in seat order."""
        counts = {"headcount": float(len(rows))}
        for role, key in lk.headcount_keys.items():
            counts[key] = float(roles.count(role))
        self.counts = counts
        """The headcounts (`headcount`, then one per role), as a global env holds them."""


def _aggregate(roster: Roster, keys: tuple, out: dict[str, float]) -> None:
    """Add to `out` the aggregates named in `keys` ((stat id, total_, mean_, max_, min_), a
    name None when not wanted) over the employed seats, then every headcount."""
    if keys:
        dicts = roster.stats
        for sid, total_, mean_, max_, min_ in keys:
            # the values in seat order, so sums add up in the same order whatever the stats
            # (a loop: cheaper than a comprehension for a handful of seats)
            found = []
            for d in dicts:
                if sid in d:
                    found.append(d[sid])
            total = sum(found)
            if total_:
                out[total_] = total  # 0 (an int) when no seat has the stat
            if mean_:
                out[mean_] = total / len(found) if found else 0.0
            if max_:
                out[max_] = max(found) if found else 0.0
            if min_:
                out[min_] = min(found) if found else 0.0
    out.update(roster.counts)


def _decision_aggregates(lk: Lookups, roster: Roster, allocations: dict, keys: list,
                         out: dict[str, float]) -> None:
    """Add to `out` the aggregates named in `keys` ((decision id, total_, mean_, max_, min_),
    a name None when not wanted) over the employed seats that choose the decision, in seat
    order: each seat's number in `allocations` (the turn's choices while it is resolved),
    else the decision's initial number."""
    for did, total_, mean_, max_, min_ in keys:
        initial = lk.decision_initial[did]
        found = []
        for index, role, _ in roster.rows:
            for own, _ in lk.decision_ids[role]:
                if own == did:
                    found.append(float((allocations.get(index) or {}).get(did, initial)))
        total = sum(found)
        for name, value in ((total_, total), (mean_, total / len(found) if found else 0.0),
                            (max_, max(found) if found else 0.0),
                            (min_, min(found) if found else 0.0)):
            if name:
                out[name] = value


def global_env_for(rules: Rules, state: GameState, names: frozenset[str]) -> dict[str, float]:
    """`global_env(rules, state)` for formulas that read only `names`: when none of them is an
    aggregate, the aggregates are skipped (every other value is the same). Performance only."""
    return global_env(rules, state, aggregated=not names.isdisjoint(rules.aggregate_names))


def global_env(rules: Rules, state: GameState, aggregated: bool = True) -> dict[str, float]:
    """The names every formula may read, from the true state (without the aggregates when
    `aggregated` is false: see `global_env_for`)."""
    lk = lookups(rules)
    # copying a whole dict is much cheaper than inserting its keys
    return _filled(lk, lk.constants.copy(), state, lk.all_keys if aggregated else None)


def _filled(lk: Lookups, env: dict[str, float], state: GameState, keys: tuple | None
            ) -> dict[str, float]:
    """`env` with the metrics, the policy levels, the aggregates named in `keys` and the
    headcounts (none of them when `keys` is None), then the turn: the order every global
    env has."""
    env.update(state.metrics)
    env.update(state.policies)
    roster = None
    if keys is not None:
        roster = Roster(lk, state.seats)
        if not lk.decision_initial:
            _aggregate(roster, keys, env)
        else:  # the stats' aggregates and headcounts, then the decisions'
            _aggregate(roster, tuple(k for k in keys if k[0] not in lk.decision_initial), env)
            _decision_aggregates(lk, roster, state.allocations,
                                 [k for k in keys if k[0] in lk.decision_initial], env)
    env["turn"] = float(state.turn)
    env["turns"] = lk.turns
    if lk.keyed or lk.order:
        _relations(lk, env, state, roster)
    return env


def _relations(lk: Lookups, env: dict, state: GameState, roster: Roster | None) -> None:
    """Add to a global env the keyed draws (each one's value outside any seat, and under
    `_draw_seat` the per-seat ones by seat index) and, with an order, under `_near` each
    seat's neighbours' stats (game.engine.relations); names that start with `_` are never a
    formula's own, so they clash with none."""
    if roster is None:
        roster = Roster(lk, state.seats)
    if lk.keyed:
        shared, per_seat = keyed_draws(lk.keyed, state.seed, state.turn,
                                       [index for index, _ in roster.indexed])
        env.update(shared)
        env["_draw_seat"] = per_seat
    if lk.order:
        env["_near"] = near_stats(lk.order, roster.rows, lk.decision_ids, state.allocations)


def seat_env(rules: Rules, genv: dict[str, float], state: GameState, seat: SeatState
             ) -> dict[str, float]:
    """The names a seat formula may read: the global ones (`genv`, built from this same
    state) plus the seat's own."""
    lk = lookups(rules)
    env = genv.copy()
    env.update(seat.stats)
    alloc = state.allocations.get(seat.index) or {}
    for bid in lk.behaviour_ids[seat.role]:
        env[bid] = float(alloc.get(bid, 0))
    for did, initial in lk.decision_ids[seat.role]:
        env[did] = float(alloc.get(did, initial))
    seats = genv.get(lk.headcount_keys[seat.role])  # present when genv has the aggregates
    if seats is None:
        seats = float(sum(1 for s in state.seats if s.employed and s.role == seat.role))
    env["seats"] = seats
    env["score"] = seat.score
    env["rank"] = float(seat.rank)
    if lk.keyed or lk.order:
        _seat_relations(rules, lk, env, state, seat)
    return env


def _seat_relations(rules: Rules, lk: Lookups, env: dict, state: GameState,
                    seat: SeatState) -> None:
    """Add to a seat env the seat's own value of each per-seat keyed draw and its
    neighbours' values (`upstream.x`, `downstream.x`) of every stat it may read."""
    if lk.keyed:
        per_seat = env.pop("_draw_seat", None)
        for name, draw in lk.keyed:
            if draw.per_seat:
                env[name] = (per_seat[name][seat.index] if per_seat is not None else
                             keyed_value(draw, name, state.seed, state.turn, seat.index))
    if lk.order and seat.role in lk.order.roles:
        near = env.pop("_near", None)
        if near is None:
            near = near_stats(lk.order, Roster(lk, state.seats).rows, lk.decision_ids,
                              state.allocations)
        env.update(neighbour_values(near.get(seat.index), lk.near_names))
