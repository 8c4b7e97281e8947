"""The parts of a `SplitForecast` (game.bots.split_forecast) that do not depend on a plan.

An effect's change as a value (`change`, `plain`), made as `TurnModel._effect` makes it
(`make`, `settle`); whether a forecast can be judged split by split (`covers`); and a
forecaster's `SplitLayout` for a seat: which of the names each effect reads a split moves.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from game.bots.forecast import TurnModel
from game.bots.forecaster import Forecaster
from game.scenario.rules import AGGREGATES, CEffect

DELTA, PUSH, SET_SEAT, SET_METRIC = range(4)
"""Where an effect's change goes: a stat's change, a metric's push, a stat set, a metric set
(a change's index into (deltas, pushes, sets, msets): the first two add, the others set)."""
Change = tuple[int, str, float] | None
"""(where, target, amount) of an effect's change; None where it changes nothing."""
FROM_STAT, FROM_AGGREGATE, FROM_SPLIT, FROM_SEAT, FROM_COMPANY = range(5)
"""Where a name the split moves is read in a turn's dynamics (or a name a review reads after
the turn): the seat's stats after work, their aggregates, the split (a behaviour's points or
a decision's number); for a review also the seat's actor (`SEAT_NAMES`) and the company
(a metric where the turn leaves it, else the start's value)."""
SEAT_NAMES = ("seats", "score", "rank")
"""The names `seat_env` writes last, from the seat's actor."""
SHARED_LIMIT = 65_536
"""Behaviours' changes a layout keeps for every plan before it starts over."""


def aggregate_names(stat_ids: tuple[str, ...]) -> frozenset[str]:
    """`total_S`, `mean_S`, `max_S`, `min_S` of each stat S of `stat_ids`."""
    return frozenset(f"{head}_{sid}" for sid in stat_ids for head in AGGREGATES)


def covers(f: Forecaster) -> bool:
    """Whether a `SplitForecast` can stand for `f.run`: one turn, no pipeline, no metric
    named like an aggregate, and an objective that is a review or reads no aggregate
    (found once per forecaster)."""
    found = _COVERS.get(f)
    if found is None:
        names = aggregate_names(f.rel.aggregated)
        found = _COVERS[f] = (
            f.objective.horizon == 1 and not f.model.delays and not f.chain
            and names.isdisjoint(f.rules.metric_specs)
            and (f.objective.kind == "review"
                 or not any(w[0] in names for w in f.objective.weights)))
    return found


_COVERS: WeakKeyDictionary[Forecaster, bool] = WeakKeyDictionary()


def change(model: TurnModel, e: CEffect, env: dict[str, float], points: float,
           count: int) -> Change:
    """What `TurnModel._effect(e, env, points, ...)` does without a pipeline, as a value
    (the same expressions, so the same floats): `make` makes the change."""
    if model.chancy and id(e) in model.chancy:
        chance, mean = model.chancy[id(e)](env)
        if chance <= 0.0:
            return None
        value, added = mean / chance * points, mean * points
    else:
        when = e.when.constant if e.when.constant is not None else e.when.fn(env)
        if not when:
            return None
        chance = e.chance.constant if e.chance.constant is not None else e.chance.fn(env)
        if chance <= 0.0:
            return None
        value = e.value.fn(env) * points
        added = value * min(chance, 1.0)
    if e.mode == "set":
        return ((SET_SEAT if e.on_seat else SET_METRIC), e.target, value) if chance >= 0.5 else None
    if e.on_seat:
        return (DELTA, e.target, added)
    w = model.weight(e.target, e.delay)
    return (PUSH, e.target, added * w * count) if w else None


def plain(model: TurnModel, e: CEffect) -> tuple[int, str, float, float] | None:
    """For an effect that always applies, surely (constant `when` and `chance`, no draw
    read through a comparison) and adds: (where, target, min(chance, 1), weight), from
    which `change` finds its change from its value alone; else None."""
    if (model.chancy and id(e) in model.chancy) or e.mode == "set" or (
            e.when.constant is None or not e.when.constant or e.chance.constant is None
            or e.chance.constant <= 0.0):
        return None
    if e.on_seat:
        return (DELTA, e.target, min(e.chance.constant, 1.0), 1.0)
    return (PUSH, e.target, min(e.chance.constant, 1.0), model.weight(e.target, e.delay))


def make(changes: tuple[tuple[int, str, float], ...],
         into: tuple[dict, dict, dict, dict]) -> None:
    """Make each change of `changes` (none None) in order, as `_effect` makes it, in `into`
    ((deltas, pushes, sets, msets))."""
    for where, target, amount in changes:
        d = into[where]
        d[target] = d.get(target, 0.0) + amount if where < SET_SEAT else amount


def settle(stats: dict[str, float], deltas: dict, sets: dict,
           bounds: dict[str, tuple[float, float]]) -> None:
    """`TurnModel._settle` on a stats dict (each stat on its own, so in any order)."""
    if not sets:
        for sid, delta in deltas.items():
            if sid in stats:
                low, high = bounds[sid]
                value = stats[sid] + delta  # (`sets.get(sid, stats[sid]) + delta`)
                stats[sid] = low if value < low else high if value > high else value
        return
    for sid in set(deltas) | set(sets):
        if sid not in stats:
            continue
        low, high = bounds[sid]
        value = sets.get(sid, stats[sid]) + deltas.get(sid, 0.0)
        stats[sid] = low if value < low else high if value > high else value


class IndexSum:
    """An index's rows, each with its term where every split gives the same (else None:
    `terms`), ready to add up in order: the sum of the leading fixed terms (`prefix`,
    added from 0.0 as `Objective.value` adds them), then per later row (`rest`) its
    metric, min, span, whether higher is better, |weight|, whether the weight is >= 0 and
    the metric's bounds (`index_term`'s and `step`'s numbers), or a fixed row's None and
    term."""

    __slots__ = ("prefix", "rest")

    def __init__(self, terms: tuple, bounds: dict[str, tuple[float, float]]) -> None:
        self.prefix, lead = 0.0, 0
        while lead < len(terms) and terms[lead][1] is not None:
            self.prefix += terms[lead][1]
            lead += 1
        self.rest = tuple(
            (None, 0.0, 1.0, True, 0.0, True, 0.0, 0.0, term) if term is not None else
            (row[0], row[2], row[3], row[4], abs(row[1]), row[1] >= 0, *bounds[row[0]], 0.0)
            for row, term in terms[lead:])


class SplitLayout:
    """What a `SplitForecast` reads of a forecaster for a seat of one role that holds the
    stats `held` (the same for every plan: `layout` keeps one per forecaster and seat)."""

    def __init__(self, f: Forecaster, role: str, held: tuple[str, ...]) -> None:
        model, rel = f.model, f.rel
        self.behaviours = tuple(bid for bid, _ in rel.behaviours.get(role, ()))
        self.decisions = model.decisions[role]
        self.numbered = tuple(did for did, _, _ in model.decision_keys
                              if any(did == own for own, _ in self.decisions))
        """The seat's decisions whose aggregates are read (the start depends on them)."""
        self.moves = frozenset(self.behaviours) | {did for did, _ in self.decisions}
        self.work = tuple((bid, tuple((e, bool(e.names & self.moves)) for e in effects),
                           not any(e.names & self.moves for e in effects))
                          for bid, effects in rel.behaviours.get(role, ()))
        """Per behaviour: its effects, each with whether it reads what the split moves
        (beside `effort`), and whether none does."""
        self.reads = {bid: tuple(sorted(set().union(*(e.names for e, _ in effects))
                                        - {"effort"}))
                      for bid, effects, fixed in self.work if fixed and effects}
        """Per behaviour none of whose effects reads what the split moves: the names they
        read beside `effort` (their changes depend on those and the points alone)."""
        split = {bid: 0 for bid in self.behaviours} | dict(self.decisions)
        self.split_reads = split_read(self.work, split)
        """Per behaviour: (name, its number when the split has none) of each name of the
        split its effects read (with its points, all its changes depend on in a start)."""
        self.found: dict[tuple, tuple] = {}
        """(behaviour, points, the values of its `reads`) -> its changes, for every plan."""
        dynamics = dynamics_read(f, role, held, split)
        self.dynamics = tuple(dynamics)
        """The dynamics that reach the company, or the seat where the objective reads its
        stats after the turn (a review), in order: (effect, where each name it reads that
        the split moves comes from, the names it reads that it does not, and where it
        reads any, its `plain` form)."""
        self.aggregated = tuple((sid, *(f"{head}_{sid}" for head in AGGREGATES))
                                for sid in rel.aggregated)
        self.review = review_read(f, role, held) if f.objective.kind == "review" else ()
        """For a review: where `seat_env` after the turn finds each name it reads."""
        self.review_aggregates = moved_aggregate(self.review, self.aggregated, dynamics)
        """Whether the review reads an aggregate of a stat that a dynamic can move (then
        found again after the dynamics, as `step` aggregates at the end of the turn)."""
        self.varying = None if f.objective.kind == "review" else frozenset(
            {e.target for _, effects in rel.behaviours.get(role, ()) for e in effects
             if not e.on_seat} | {e.target for e, reads, _, _ in dynamics if reads})
        """For an index: the metrics a split can move (its behaviours' targets, and the
        dynamics' that read what it moves); the others end the turn where every split
        leaves them."""


def split_read(work: tuple, split: dict[str, float]) -> dict[str, tuple]:
    """`SplitLayout.split_reads` of the behaviours of `work` (`SplitLayout.work`) for a
    split that writes the names of `split` (each with its number when the split has none)."""
    return {bid: tuple((name, split[name]) for name in sorted(
        set().union(*(e.names for e, _ in effects)) & split.keys()))
        for bid, effects, _ in work}


def moved_aggregate(review: tuple, aggregated: tuple, dynamics: list[tuple]) -> bool:
    """Whether a review that reads the names of `review` (`SplitLayout.review`) reads an
    aggregate (of `SplitLayout.aggregated`) of a stat that a dynamic on the seat of
    `dynamics` (`dynamics_read`) targets."""
    read = {name for name, source, _ in review if source == FROM_AGGREGATE}
    moved = {e.target for e, *_ in dynamics if e.on_seat}
    return any(sid in moved and not read.isdisjoint(names) for sid, *names in aggregated)


def dynamics_read(f: Forecaster, role: str, held: tuple[str, ...],
                  split: dict[str, float]) -> list[tuple]:
    """`SplitLayout.dynamics` for a seat of `role` holding `held` whose split writes the
    names of `split` (each with its number when the split has none)."""
    aggregates = aggregate_names(f.rel.aggregated)
    out = []
    for e in f.rel.dynamics:
        if e.on_seat and (e.target not in held or (e.roles is not None and role not in e.roles)
                          or f.objective.kind != "review"):
            continue  # (an index reads no stat after the turn)
        reads = []
        for name in sorted(e.names):
            if e.on_seat and name in SEAT_NAMES:
                continue
            if e.on_seat and name in split:
                reads.append((name, FROM_SPLIT, split[name]))
            elif e.on_seat and name in held:
                reads.append((name, FROM_STAT, 0))
            elif name in aggregates:
                reads.append((name, FROM_AGGREGATE, 0))
        moved = {name for name, _, _ in reads}
        out.append((e, tuple(reads), tuple(sorted(e.names - moved)),
                    plain(f.model, e) if reads else None))
    return out


def review_read(f: Forecaster, role: str, held: tuple[str, ...]) -> tuple[tuple, ...]:
    """Per name a review reads: (name, where `seat_env` of the env after the turn finds
    it, the split's number when it has none): the actor's `SEAT_NAMES`, written last, over
    a decision's number, over a behaviour's points, over the seat's stats (`held`), over
    their aggregates (and head counts) written into the env after the turn, over a metric
    where the turn leaves it or the start's value."""
    aggregates = aggregate_names(f.rel.aggregated) | {"headcount"} | {
        f"headcount_{r}" for r in f.model.all_roles}
    decisions = dict(f.model.decisions[role])
    behaviours = {bid for bid, _ in f.rel.behaviours.get(role, ())}
    out = []
    for name in sorted(f.objective.reads):
        source, initial = (
            (FROM_SEAT, 0) if name in SEAT_NAMES else
            (FROM_SPLIT, decisions[name]) if name in decisions else
            (FROM_SPLIT, 0) if name in behaviours else
            (FROM_STAT, 0) if name in held else
            (FROM_AGGREGATE, 0) if name in aggregates else (FROM_COMPANY, 0))
        out.append((name, source, initial))
    return tuple(out)


_LAYOUTS: WeakKeyDictionary[Forecaster, dict[tuple[str, tuple[str, ...]], SplitLayout]] = (
    WeakKeyDictionary())
"""Per forecaster (held weakly: its layouts, and the changes kept in them, go with it), the
layout for each (role, stats held)."""


def layout(f: Forecaster, role: str, held: tuple[str, ...]) -> SplitLayout:
    """The `SplitLayout` of `f` for a seat of `role` holding `held` (made once per forecaster)."""
    mine = _LAYOUTS.get(f)
    if mine is None:
        mine = _LAYOUTS[f] = {}
    found = mine.get((role, held))
    if found is None:
        found = mine[(role, held)] = SplitLayout(f, role, held)
    return found
