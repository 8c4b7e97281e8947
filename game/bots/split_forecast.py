"""One turn's forecast for one seat, judged for many effort splits (`SplitForecast`).

A planner (game.bots.plan) judges some eighty splits for one decision, each by a forecast of
one turn (`Forecaster.run`) from the same beliefs: most of that forecast does not depend on
the split. The start of the turn (the global names and their aggregates) is the same for
every split; an effect whose formulas read nothing the split moves adds the same amount every
time (a behaviour's effect the same for the same points). `SplitForecast` works those out
once and, for each split, reads only the formulas that read what the split moves, applying
every change in the order `TurnModel.step` applies it: the same floats, added in the same
order, so the same objective values (the tests compare the two on every decision of
several games of the bundled scenarios).

It covers the forecasts a split is judged by when nothing is played ahead: one turn
(`covers`), without a pipeline or flows between seats.
"""

from __future__ import annotations

from game.bots.beliefs import aggregate_into
from game.bots.forecast import Actor, TurnModel
from game.bots.forecaster import Forecaster
from game.scenario.rules import AGGREGATES, CEffect

SET_SEAT, SET_METRIC, DELTA, PUSH = range(4)
"""Where an effect's change goes: a stat set, a metric set, a stat's change, a push."""
Change = tuple[int, str, float] | None
"""(where, target, amount) of an effect's change; None where it changes nothing."""


def covers(f: Forecaster) -> bool:
    """Whether a `SplitForecast` can stand for `f.run`: one turn, no pipeline, an objective
    that reads no aggregate (an index reads metrics only; a review reads its seat's names,
    found as `step` leaves them)."""
    if f.objective.horizon != 1 or f.model.delays or f.chain:
        return False
    names = {f"{head}_{sid}" for sid in f.rel.aggregated for head in AGGREGATES}
    return f.objective.kind == "review" or not any(w[0] in names for w in f.objective.weights)


def change(model: TurnModel, e: CEffect, env: dict[str, float], points: float,
           count: int) -> Change:
    """What `TurnModel._effect(e, env, points, ...)` does without a pipeline, as a value
    (the same expressions, so the same floats): `apply` makes the change."""
    if model.chancy and id(e) in model.chancy:
        chance, mean = model.chancy[id(e)](env)
        if chance <= 0.0:
            return None
        value, added = mean / chance * points, mean * points
    else:
        when = e.when.constant if e.when.constant is not None else e.when(env)
        if not when:
            return None
        chance = e.chance.constant if e.chance.constant is not None else e.chance(env)
        if chance <= 0.0:
            return None
        value = e.value(env) * points
        added = value * min(chance, 1.0)
    if e.mode == "set":
        return ((SET_SEAT if e.on_seat else SET_METRIC), e.target, value) if chance >= 0.5 else None
    if e.on_seat:
        return (DELTA, e.target, added)
    w = model.weight(e.target, e.delay)
    return (PUSH, e.target, added * w * count) if w else None


def apply(found: Change, deltas: dict, sets: dict, pushes: dict, msets: dict) -> None:
    """Make the change `change` found (as `_effect` makes it)."""
    if found is None:
        return
    where, target, amount = found
    if where == DELTA:
        deltas[target] = deltas.get(target, 0.0) + amount
    elif where == PUSH:
        pushes[target] = pushes.get(target, 0.0) + amount
    elif where == SET_SEAT:
        sets[target] = amount
    else:
        msets[target] = amount


def settle(stats: dict[str, float], deltas: dict, sets: dict,
           bounds: dict[str, tuple[float, float]]) -> None:
    """`TurnModel._settle` on a stats dict."""
    for sid in set(deltas) | set(sets):
        if sid not in stats:
            continue
        low, high = bounds[sid]
        value = sets.get(sid, stats[sid]) + deltas.get(sid, 0.0)
        stats[sid] = low if value < low else high if value > high else value


MISSING = object()


class _Start:
    """What every split with the same numbers shares: the env at the start of the turn, the
    seat's work env before its split is written in, the active policies' effects on the
    seat (with whether they read what the split moves) and their changes to the company
    (which read the start only), and the changes found so far of effects that read
    nothing the split moves (by effect and points)."""

    __slots__ = ("start", "work", "on_seat", "company", "found")

    def __init__(self, start: dict, work: dict, on_seat: tuple, company: tuple) -> None:
        self.start = start
        self.work = work
        self.on_seat = on_seat
        self.company = company
        self.found: dict[tuple, Change] = {}


class SplitForecast:
    """`f.run(genv, [me, *others])` for a seat `me` of `role` (stats `own`, and `seats`,
    `score`, `rank`) playing a split, and fixed `others`, for any split (`__call__`), with
    what does not depend on the split worked out once (see the module's docstring)."""

    def __init__(self, f: Forecaster, genv: dict[str, float], role: str,
                 own: dict[str, float], seats: float, score: float, rank: float,
                 others: list[Actor]) -> None:
        self.f, self.model, self.genv = f, f.model, genv
        self.role, self.seats, self.score, self.rank = role, seats, score, rank
        model, rel = f.model, f.rel
        self.stats0 = dict(own)
        for sid, initial in model.reset.items():
            if sid in self.stats0:
                self.stats0[sid] = initial
        self.others = others
        self.roles = [role, *(a.role for a in others)]
        self.bids = tuple(bid for bid, _ in rel.behaviours.get(role, ()))
        self.decisions = model.decisions[role]
        self.numbered = tuple(did for did, _, _ in model.decision_keys
                              if any(did == own_did for own_did, _ in self.decisions))
        moves = set(self.bids) | {did for did, _ in self.decisions}
        aggregates = {f"{head}_{sid}" for sid in rel.aggregated for head in AGGREGATES}
        self.moves = frozenset(moves)
        self.work = tuple((bid, tuple((e, bool(e.names & moves)) for e in effects))
                          for bid, effects in rel.behaviours.get(role, ()))
        """Per behaviour: (effect, whether it reads what the split moves beside `effort`)."""
        seat_moves = moves | aggregates | set(self.stats0)
        self.dynamics = tuple(
            (e, bool(e.names & (seat_moves if e.on_seat else aggregates)))
            for e in rel.dynamics if not e.on_seat or (
                e.target in self.stats0 and (e.roles is None or role in e.roles)))
        """The dynamics that reach the seat or the company, with whether they read what the
        split moves (the stats after work and their aggregates, or the seat's split)."""
        self.after_rows = tuple(
            (sid, *(f"{head}_{sid}" for head in AGGREGATES),
             tuple((a.stats[sid], a.count) for a in others
                   if a.stats.get(sid) is not None and a.count > 0))
            for sid in rel.aggregated)
        """Per aggregated stat: its id, its aggregates' names, and (value, count) of each
        other seat that holds it, in order."""
        self.starts: dict[tuple, _Start] = {}

    def __call__(self, alloc: dict) -> float:
        """The objective after a turn in which the seat plays `alloc` (points by behaviour,
        and its numbers): `f.run`'s value, the same float."""
        at = self._start(alloc)
        stats = self.stats0.copy()
        pushes: dict[str, float] = {}
        msets: dict[str, float] = {}
        self._work(at, alloc, stats, pushes, msets)
        after = at.start.copy()
        self._aggregate(after, stats)
        self._dynamics(at, after, alloc, stats, pushes, msets)
        bounds = self.model.metric_bounds
        for mid in set(pushes) | set(msets):
            low, high = bounds[mid]
            value = msets[mid] if mid in msets else after[mid] + pushes.get(mid, 0.0)
            after[mid] = low if value < low else high if value > high else value
        objective = self.f.objective
        if objective.kind != "review":
            return objective.value(after, None)
        model = self.model
        aggregate_into(after, self.f.rel.aggregated,
                       [(stats, 1), *((a.stats, a.count) for a in self.others)],
                       self.roles, model.all_roles)
        return objective.value(after, model.seat_env(after, self._me(stats, alloc)))

    def _me(self, stats: dict[str, float], alloc: dict) -> Actor:
        """The seat as an actor of the forecast, with `stats` and its split `alloc`."""
        return Actor(self.role, stats, alloc, 1, False, self.seats, self.score, self.rank)

    def _start(self, alloc: dict) -> _Start:
        """The `_Start` of splits with `alloc`'s numbers (those whose aggregates are read)."""
        key = tuple(alloc.get(did) for did in self.numbered)
        at = self.starts.get(key)
        if at is not None:
            return at
        model, role = self.model, self.role
        actors = [self._me(dict(self.stats0), alloc), *self.others]
        start = model.start_env(self.genv, actors)
        work = model.seat_env(start, self._me(self.stats0, {}))
        active = [effects for pid, effects in self.f.rel.policies if start[pid] > 0]
        moves = self.moves | {"effort"}
        on_seat = tuple((e, bool(e.names & moves)) for effects in active for e in effects
                        if e.on_seat and e.target in self.stats0
                        and (e.roles is None or role in e.roles))
        company = tuple(change(model, e, start, 1.0, 1) for effects in active for e in effects
                        if not e.on_seat)
        at = self.starts[key] = _Start(start, work, on_seat, company)
        return at

    def _work_env(self, at: _Start, alloc: dict) -> dict[str, float]:
        """The seat's env for its work (`seat_env` of the start): the split written in."""
        env = at.work.copy()
        for bid in self.bids:
            env[bid] = float(alloc.get(bid, 0))
        for did, initial in self.decisions:
            env[did] = float(alloc.get(did, initial))
        return env

    def _work(self, at: _Start, alloc: dict, stats: dict[str, float], pushes: dict,
              msets: dict) -> None:
        """`TurnModel._work` for the seat: its behaviours' effects, then the active
        policies' on the seat, settled, then the policies' on the company."""
        model, memo = self.model, at.found
        deltas: dict[str, float] = {}
        sets: dict[str, float] = {}
        env = effort = None
        for bid, effects in self.work:
            points = alloc.get(bid, 0)
            if points > 0 and effects:
                effort = float(points)
                for e, moved in effects:
                    key = (id(e), points)
                    found = MISSING if moved else memo.get(key, MISSING)
                    if found is MISSING:
                        if env is None:
                            env = self._work_env(at, alloc)
                        env["effort"] = effort
                        found = change(model, e, env, points, 1)
                        if not moved:
                            memo[key] = found
                    apply(found, deltas, sets, pushes, msets)
        for e, moved in at.on_seat:
            found = MISSING if moved else memo.get(id(e), MISSING)
            if found is MISSING:
                if env is None:
                    env = self._work_env(at, alloc)
                if effort is not None:  # (the last behaviour's, as `_work` leaves it)
                    env["effort"] = effort
                found = change(model, e, env, 1.0, 1)
                if not moved:
                    memo[id(e)] = found
            apply(found, deltas, sets, pushes, msets)
        settle(stats, deltas, sets, model.stat_bounds)
        for found in at.company:
            apply(found, deltas, sets, pushes, msets)  # (to the company only)

    def _aggregate(self, after: dict[str, float], stats: dict[str, float]) -> None:
        """`aggregate_into` of the stats after work, the seat first, then the others (the
        head counts are those of the start)."""
        for sid, total_, mean_, max_, min_, rows in self.after_rows:
            total, n, high, low = 0.0, 0, None, None
            value = stats.get(sid)
            if value is not None:
                total += value * 1
                n += 1
                high = low = value
            for value, count in rows:
                total += value * count
                n += count
                high = value if high is None or value > high else high
                low = value if low is None or value < low else low
            after[total_] = total
            after[mean_] = total / n if n else 0.0
            after[max_] = high if high is not None else 0.0
            after[min_] = low if low is not None else 0.0

    def _dynamics(self, at: _Start, after: dict[str, float], alloc: dict,
                  stats: dict[str, float], pushes: dict, msets: dict) -> None:
        """`TurnModel._dynamics`: the company's from `after`, the seat's from its env after
        work; the seat's changes settled at the end."""
        model, memo = self.model, at.found
        deltas: dict[str, float] = {}
        sets: dict[str, float] = {}
        seat = None
        for e, moved in self.dynamics:
            found = MISSING if moved else memo.get(id(e), MISSING)
            if found is MISSING:
                env = after
                if e.on_seat:
                    if seat is None:
                        seat = model.seat_env(after, self._me(stats, alloc))
                    env = seat
                found = change(model, e, env, 1.0, 1)
                if not moved:
                    memo[id(e)] = found
            apply(found, deltas, sets, pushes, msets)
        settle(stats, deltas, sets, model.stat_bounds)
