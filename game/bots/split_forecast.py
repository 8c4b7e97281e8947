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
from game.bots.forecast import Actor
from game.bots.forecaster import Forecaster
from game.bots.objectives import index_term
from game.bots.split_layout import (FROM_AGGREGATE, FROM_COMPANY, FROM_SEAT, FROM_SPLIT,
                                    FROM_STAT, PUSH, SET_SEAT, SHARED_LIMIT,
                                    IndexSum, change, covers, layout, make, settle)

__all__ = ["SplitForecast", "covers"]

_MISSING = object()


class _Start:
    """What every split with the same numbers shares: the env at the start of the turn, the
    seat's work env before its split is written in, the active policies' effects on the
    seat (each with whether it reads what the split moves or `effort`; None where none
    does, and then `seat_changes`, their changes) and their changes to the company (which
    read the start only), the dynamics (`_dynamics_of`), an index's terms (`_index_parts`),
    and the changes found so far of effects that read nothing the split moves (`found`)."""

    __slots__ = ("start", "work", "on_seat", "seat_changes", "company", "dynamics", "terms",
                 "found", "reads", "worked")

    def __init__(self, start: dict, work: dict, on_seat: tuple | None, seat_changes: tuple,
                 company: tuple, dynamics: tuple, terms: IndexSum | None) -> None:
        self.start, self.work, self.company, self.dynamics = start, work, company, dynamics
        self.on_seat, self.seat_changes, self.terms = on_seat, seat_changes, terms
        self.found: dict = {}
        self.reads: dict[str, tuple | None] = {}
        """Per behaviour of `SplitLayout.reads` looked up so far, the values of its names in
        `work` (None where `work` lacks one): see `SplitForecast._shared`."""
        self.worked: tuple[dict, ...] = ()
        """Per behaviour of `SplitForecast.working`, its changes by its points (and the
        numbers of the split it reads)."""


class SplitForecast:
    """`f.run(genv, [me, *others])` for a seat `me` of `role` (stats `own`, and `seats`,
    `score`, `rank`) playing a split, and fixed `others`, for any split (`__call__`), with
    what does not depend on the split worked out once (see the module's docstring)."""

    def __init__(self, f: Forecaster, genv: dict[str, float], role: str,
                 own: dict[str, float], seats: float, score: float, rank: float,
                 others: list[Actor]) -> None:
        self.f, self.model, self.genv = f, f.model, genv
        self.role, self.seats, self.score, self.rank = role, seats, score, rank
        self.layout = lay = layout(f, role, tuple(own))
        self.stats0 = dict(own)
        for sid, initial in self.model.reset.items():
            if sid in self.stats0:
                self.stats0[sid] = initial
        self.others = others
        self.roles = [role, *(a.role for a in others)]
        self.rows = tuple((*names, tuple((a.stats[names[0]], a.count) for a in others
                                         if a.stats.get(names[0]) is not None and a.count > 0))
                          for names in lay.aggregated)
        """Per aggregated stat: its id, its aggregates' names, and (value, count) of each
        other seat that holds it, in order."""
        self.heads: dict[str, float] = {}
        aggregate_into(self.heads, (), [(own, 1), *((a.stats, a.count) for a in others)],
                       self.roles, self.model.all_roles)
        """`headcount` and `headcount_R` of each role R (the same after any split)."""
        self.starts: dict[tuple, _Start] = {}
        self.working = tuple((*row, lay.split_reads[row[0]]) for row in lay.work if row[1])
        """`SplitLayout.work`'s behaviours that have effects (the others change nothing),
        each with its `SplitLayout.split_reads`."""

    def __call__(self, alloc: dict) -> float:
        """The objective after a turn in which the seat plays `alloc` (points by behaviour,
        and its numbers): `f.run`'s value, the same float."""
        at = self._start(alloc)
        stats = self.stats0.copy()
        pushes: dict[str, float] = {}
        msets: dict[str, float] = {}
        self._work(at, alloc, stats, pushes, msets)
        aggregates = self._aggregates(stats)
        self._dynamics(at, aggregates, alloc, stats, pushes, msets)
        if at.terms is not None:
            return self._index(at, pushes, msets)
        if self.layout.review_aggregates:  # (the dynamics may have moved the seat's stats)
            aggregates = self._aggregates(stats)
        return self._review(at, alloc, stats, aggregates, pushes, msets)

    def _review(self, at: _Start, alloc: dict, stats: dict[str, float], aggregates: dict,
                pushes: dict, msets: dict) -> float:
        """`Objective.value` of a review after the turn, read from an env of only the
        names it reads, each found where `seat_env` of the env after the turn finds it
        (`SplitLayout.review`): each metric pushed or set clamped as `step` clamps it, the
        stats' `aggregates` after the turn (after the dynamics, where the review reads
        any), the head counts (`heads`)."""
        start, bounds = at.start, self.model.metric_bounds
        env = {}
        for name, source, initial in self.layout.review:
            if source == FROM_COMPANY:
                if name in msets or name in pushes:
                    low, high = bounds[name]
                    value = msets[name] if name in msets else start[name] + pushes[name]
                    env[name] = low if value < low else high if value > high else value
                elif name in start:
                    env[name] = start[name]
            elif source == FROM_SPLIT:
                env[name] = float(alloc.get(name, initial))
            elif source == FROM_STAT:
                env[name] = stats[name]
            elif source == FROM_SEAT:
                env[name] = getattr(self, name)
            else:
                env[name] = aggregates[name] if name in aggregates else self.heads[name]
        return self.f.objective.value(env, env)

    def _index(self, at: _Start, pushes: dict, msets: dict) -> float:
        """`Objective.value` of an index after the turn: the sum of the rows' terms in
        order (`IndexSum`), each metric pushed or set this turn clamped as `step` clamps
        it, its term found as `index_term` finds it where the split can move it."""
        start = at.start
        acc = at.terms.prefix
        for mid, low, span, higher, weight, positive, mlow, mhigh, term in at.terms.rest:
            if mid is not None:
                if mid in msets or mid in pushes:
                    value = msets[mid] if mid in msets else start[mid] + pushes[mid]
                    value = mlow if value < mlow else mhigh if value > mhigh else value
                else:
                    value = start[mid]
                share = (value - low) / span  # (`index_term`, written out: the hot loop)
                if not higher:
                    share = 1.0 - share
                term = weight * (share if positive else 1.0 - share)
            acc += term
        return acc

    def _me(self, stats: dict[str, float], alloc: dict) -> Actor:
        """The seat as an actor of the forecast, with `stats` and its split `alloc`."""
        return Actor(self.role, stats, alloc, 1, False, self.seats, self.score, self.rank)

    def _start(self, alloc: dict) -> _Start:
        """The `_Start` of splits with `alloc`'s numbers (those whose aggregates are read)."""
        numbered = self.layout.numbered
        if not numbered and self.starts:
            return self.starts[()]
        key = tuple([alloc.get(did) for did in numbered]) if numbered else ()
        at = self.starts.get(key)
        if at is None:
            at = self.starts[key] = self._new_start(alloc)
        return at

    def _new_start(self, alloc: dict) -> _Start:
        """A `_Start` for splits with `alloc`'s numbers."""
        model, role, lay = self.model, self.role, self.layout
        start = model.start_env(self.genv, [self._me(dict(self.stats0), alloc), *self.others])
        work = model.seat_env(start, self._me(self.stats0, {}))
        active = [effects for pid, effects in self.f.rel.policies if start[pid] > 0]
        moves = lay.moves | {"effort"}
        on_seat = tuple((e, bool(e.names & moves)) for effects in active for e in effects
                        if e.on_seat and e.target in self.stats0
                        and (e.roles is None or role in e.roles))
        seat_changes = ()
        if not any(moved for _, moved in on_seat):  # (they read none of the work env's
            seat_changes = tuple(found for e, _ in on_seat  # names that a split moves)
                                 if (found := change(model, e, work, 1.0, 1)) is not None)
            on_seat = None
        company = tuple(found for effects in active for e in effects if not e.on_seat
                        if (found := change(model, e, start, 1.0, 1)) is not None)
        dynamics = self._dynamics_of(start)
        at = (_Start(start, work, on_seat, seat_changes, company, dynamics, None)
              if lay.varying is None else
              _Start(start, work, on_seat, seat_changes,
                     *self._index_parts(start, company, dynamics)))
        at.worked = tuple({} for _ in self.working)
        return at

    def _index_parts(self, start: dict[str, float], company: tuple,
                     dynamics: tuple) -> tuple[tuple, tuple, IndexSum]:
        """For an index: the policies' changes to the company and the dynamics that reach a
        metric a split can move (`SplitLayout.varying`), and the index's rows as an
        `IndexSum` of, per row, None where the split can move its metric, else its term: the
        metric where `step` leaves it after the changes of the others (the same for every
        split)."""
        varying = self.layout.varying
        pushes: dict[str, float] = {}
        msets: dict[str, float] = {}
        into = ({}, pushes, {}, msets)
        make(company, into)
        make(tuple(found for found, e, *_ in dynamics if e is None and found is not None),
             into)
        bounds, fixed = self.model.metric_bounds, {}
        for mid in set(pushes) | set(msets):
            low, high = bounds[mid]
            value = msets[mid] if mid in msets else start[mid] + pushes.get(mid, 0.0)
            fixed[mid] = low if value < low else high if value > high else value
        terms = IndexSum(tuple((row, None) if row[0] in varying else
                               (row, index_term(row, fixed.get(row[0], start[row[0]])))
                               for row in self.f.objective.weights), bounds)
        return (tuple(found for found in company if found[1] in varying),
                tuple(op for op in dynamics if op[1] is not None or (
                    op[0] is not None and op[0][1] in varying)), terms)

    def _dynamics_of(self, start: dict[str, float]) -> tuple:
        """Per dynamic, in order: its change where it reads nothing the split moves, else
        (None, the effect, where its names that the split moves come from, the values of
        the others, its `plain` form)."""
        seat = {"seats": self.seats, "score": self.score, "rank": self.rank}
        out = []
        for e, reads, fixed, simple in self.layout.dynamics:
            base = {name: seat[name] if e.on_seat and name in seat else start[name]
                    for name in fixed if (e.on_seat and name in seat) or name in start}
            out.append((None, e, reads, base, simple) if reads else
                       (change(self.model, e, base, 1.0, 1), None, (), base, None))
        return tuple(out)

    def _work_env(self, at: _Start, alloc: dict) -> dict[str, float]:
        """The seat's env for its work (`seat_env` of the start): the split written in."""
        env = at.work.copy()
        for bid in self.layout.behaviours:
            env[bid] = float(alloc.get(bid, 0))
        for did, initial in self.layout.decisions:
            env[did] = float(alloc.get(did, initial))
        return env

    def _work(self, at: _Start, alloc: dict, stats: dict[str, float], pushes: dict,
              msets: dict) -> None:
        """`TurnModel._work` for the seat: its behaviours' effects, then the active
        policies' on the seat, settled, then the policies' on the company."""
        memo = at.found
        deltas: dict[str, float] = {}
        sets: dict[str, float] = {}
        into = (deltas, pushes, sets, msets)
        env = effort = None
        points_of = alloc.get
        for (bid, effects, fixed, split_reads), worked in zip(self.working, at.worked):
            points = points_of(bid, 0)
            if points > 0:
                effort = float(points)  # (its changes: by its points and the split it reads)
                key = (points, *[points_of(name, initial) for name, initial in split_reads]
                       ) if split_reads else points
                found = worked.get(key)
                if found is None:
                    shared = self._shared(at, bid, points) if fixed else None
                    found = self.layout.found.get(shared) if shared is not None else None
                    if found is None:
                        if env is None:
                            env = self._work_env(at, alloc)
                        env["effort"] = effort
                        found = self._changes(effects, env, points, memo, shared)
                    worked[key] = found
                for where, target, amount in found:  # (`make`, written out: the hot loop)
                    d = into[where]
                    d[target] = d.get(target, 0.0) + amount if where < SET_SEAT else amount
        if at.on_seat is None:
            make(at.seat_changes, into)
        else:
            self._on_seat(at, alloc, env, effort, into)
        settle(stats, deltas, sets, self.model.stat_bounds)
        make(at.company, into)  # (to the company only)

    def _shared(self, at: _Start, bid: str, points: int) -> tuple | None:
        """The key of a behaviour's changes in the layout's `found` (kept for every plan):
        (it, `points`, the values in `at.work` of the names it reads), found once per start;
        None where it reads a name `work` lacks."""
        values = at.reads.get(bid, _MISSING)
        if values is _MISSING:
            names, work = self.layout.reads.get(bid), at.work
            values = at.reads[bid] = None if names is None or any(
                name not in work for name in names) else tuple(work[name] for name in names)
        return None if values is None else (bid, points, values)

    def _on_seat(self, at: _Start, alloc: dict, env: dict | None, effort: float | None,
                 into: tuple[dict, dict, dict, dict]) -> None:
        """The active policies' effects on the seat where one reads the split or `effort`
        (`env`: the work env if made already; `effort`: the last behaviour's points)."""
        for e, moved in at.on_seat:
            found = _MISSING if moved else at.found.get(id(e), _MISSING)
            if found is _MISSING:
                if env is None:
                    env = self._work_env(at, alloc)
                if effort is not None:  # (the last behaviour's, as `_work` leaves it)
                    env["effort"] = effort
                found = change(self.model, e, env, 1.0, 1)
                if not moved:
                    at.found[id(e)] = found
            if found is not None:
                make((found,), into)

    def _changes(self, effects: tuple, env: dict[str, float], points: int, memo: dict,
                 shared: tuple | None) -> tuple:
        """The changes of a behaviour's `effects` for `points` in `env`, those of effects
        that read nothing the split moves kept in `memo` (by effect and points), and all
        of them in the layout's `found` under `shared` if given."""
        out = []
        for e, moved in effects:
            found = _MISSING if moved else memo.get((id(e), points), _MISSING)
            if found is _MISSING:
                found = change(self.model, e, env, points, 1)
                if not moved:
                    memo[(id(e), points)] = found
            if found is not None:
                out.append(found)
        if shared is not None:
            if len(self.layout.found) > SHARED_LIMIT:
                self.layout.found.clear()
            self.layout.found[shared] = tuple(out)
        return tuple(out)

    def _aggregates(self, stats: dict[str, float]) -> dict[str, float]:
        """`aggregate_into` of the stats after work, the seat first, then the others (its
        total_, mean_, max_ and min_ names only: the head counts are the start's)."""
        out = {}
        for sid, total_, mean_, max_, min_, rows in self.rows:
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
            out[total_] = total
            out[mean_] = total / n if n else 0.0
            out[max_] = high if high is not None else 0.0
            out[min_] = low if low is not None else 0.0
        return out

    def _dynamics(self, at: _Start, aggregates: dict[str, float], alloc: dict,
                  stats: dict[str, float], pushes: dict, msets: dict) -> None:
        """`TurnModel._dynamics`: each dynamic that reads what the split moves read from
        its other names' values and those (the stats after work, their `aggregates`, the
        split), the others' changes found once; the seat's changes settled at the end."""
        model = self.model
        deltas: dict[str, float] = {}
        sets: dict[str, float] = {}
        into = (deltas, pushes, sets, msets)
        for found, e, reads, base, simple in at.dynamics:
            if e is not None:
                env = base  # (each name of `reads` written anew: the same env as a copy)
                for name, source, initial in reads:
                    env[name] = (stats[name] if source == FROM_STAT else
                                 aggregates[name] if source == FROM_AGGREGATE else
                                 float(alloc.get(name, initial)))
                if simple is None:
                    found = change(model, e, env, 1.0, 1)
                else:  # `change`'s expressions, for an effect that surely applies
                    where, target, chance, w = simple
                    added = e.value.fn(env) * 1.0 * chance
                    found = (None if not w else (where, target, added * w * 1)) if (
                        where == PUSH) else (where, target, added)
            if found is not None:
                where, target, amount = found
                d = into[where]
                d[target] = d.get(target, 0.0) + amount if where < SET_SEAT else amount
        if deltas or sets:  # (none where only the company changes: an index's dynamics)
            settle(stats, deltas, sets, model.stat_bounds)
