"""The layout of a batch: where each metric, stat, policy, behaviour and decision lives in the
batch's arrays, the roles of the table's seats, the masks that depend only on the rules and the
table (`has_stat`, `chooses`), and every formula compiled once to array operations.

A Layout is built once per Rules and table (`layout_for`) and holds no reference to the Rules
object itself (the per-Rules cache would keep it alive): the batch carries its rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from game.engine.batch.formula import BatchFormula, compile_batch
from game.engine.env import per_rules
from game.scenario.compiled import COrder
from game.scenario.formula import CompiledFormula
from game.scenario.model import Draw
from game.scenario.rules import AGGREGATES, CEffect, Rules, neighbour_names


@dataclass(slots=True)
class Layout:
    """Indices, bounds and static masks of one scenario played at one table (see the module)."""

    roles: tuple[str, ...]
    """The role of every seat, in seat order."""
    metric_ids: tuple[str, ...]
    stat_ids: tuple[str, ...]
    policy_ids: tuple[str, ...]
    behaviour_ids: tuple[str, ...]
    decision_ids: tuple[str, ...]
    metric_arrives: np.ndarray
    """(M,) the share of a metric's backlog that arrives each turn: 1 - inertia."""
    metric_low: np.ndarray
    metric_high: np.ndarray
    metric_delay: dict[str, int]
    stat_low: np.ndarray
    stat_high: np.ndarray
    has_stat: np.ndarray
    """(S, T) whether a seat's role has the stat."""
    chooses: np.ndarray
    """(S, D) whether a seat's role chooses the decision."""
    decision_initial: np.ndarray
    """(D,) each decision's number when a seat has not chosen one."""
    role_of_seat: dict[str, np.ndarray]
    """(S,) per role: whether each seat is of that role."""
    reset: tuple[tuple[int, float], ...]
    """(stat index, initial value) of every stat reset each turn."""
    settled: bool
    """`Plan.settled`: a metric clamped by a pass stays as it is through a second pass with
    nothing to add (no bound or start is written -0.0)."""
    constants: dict[str, float]
    turns: float
    randoms: tuple[tuple[str, tuple[float, float], bool], ...]
    """(name, arguments, uniform?) of each draw that keeps the old streams, in file order."""
    keyed: tuple[tuple[str, Draw], ...]
    order: COrder | None
    near_names: frozenset[str]
    aggregated: dict[str, tuple[str, ...]]
    """The stats and decisions some formula of the resolution reads an aggregate of, each
    with the kinds read (`total`, `mean`, `max`, `min`, in that order)."""
    _formulas: dict[int, tuple[CompiledFormula, object]] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict)
    _parts: dict[int, tuple[object, tuple]] = field(default_factory=dict)
    _holders: dict[tuple, np.ndarray] = field(default_factory=dict)
    constant_env: dict[str, np.float64] = field(default_factory=dict)
    """The constants as a global env holds them (float64), made once."""

    def __post_init__(self) -> None:
        self.constant_env.update((name, np.float64(value))
                                 for name, value in self.constants.items())
        for ids in (self.metric_ids, self.stat_ids):  # (ids are unique across both)
            self._index.update((name, n) for n, name in enumerate(ids))

    @property
    def seats(self) -> int:
        """The number of seats of the table."""
        return len(self.roles)

    def metric(self, metric_id: str) -> int:
        """The column of a metric."""
        return self._index[metric_id]

    def stat(self, stat_id: str) -> int:
        """The last axis index of a stat."""
        return self._index[stat_id]

    def formula(self, formula: CompiledFormula) -> BatchFormula:
        """`formula` compiled to array operations, once (kept with the formula it came from,
        so its id stays unique); a formula that reads only constants gives its value, a 0-d
        array, without being evaluated again (its value is the same every time). The
        function returned is the formula's body without `np.errstate`: the steps of a turn
        that evaluate formulas ignore floating point warnings once (`quietly`)."""
        entry = self._formulas.get(id(formula))
        if entry is None or entry[0] is not formula:
            compiled = compile_batch(formula)
            if formula.names <= self.constants.keys():
                value = compiled(self.constants)
                compiled = lambda env, value=value: value
            else:
                compiled = compiled.fn
            entry = self._formulas[id(formula)] = (formula, compiled)
        return entry[1]

    def parts(self, effect: CEffect) -> tuple[tuple[str, object, bool], ...]:
        """(source, `formula(f)`, whether f reads `effort`) of the effect's `when`, `chance`
        and `value`, found once per effect (kept with it, as `formula` keeps formulas)."""
        entry = self._parts.get(id(effect))
        if entry is None or entry[0] is not effect:
            found = tuple((f.source, self.formula(f), "effort" in f.names)
                          for f in (effect.when, effect.chance, effect.value))
            entry = self._parts[id(effect)] = (effect, found)
        return entry[1]

    def holders(self, stat_id: str, roles: frozenset[str] | tuple[str, ...] | None
                ) -> np.ndarray:
        """(S,) the seats that have stat `stat_id` and, unless `roles` is None, are of one
        of `roles`: made once per stat and roles (never written)."""
        key = (stat_id, roles)
        found = self._holders.get(key)
        if found is None:
            found = self.has_stat[:, self.stat(stat_id)]
            if roles is not None:
                found = found & np.array([role in roles for role in self.roles], dtype=bool)
            self._holders[key] = found
        return found


def _settled(rules: Rules) -> bool:
    """Whether no metric's bound or start is -0.0 (see `Layout.settled`)."""
    return not any(value == 0.0 and math.copysign(1.0, value) < 0.0
                   for m in rules.scenario.metrics for value in (m.min, m.max, m.initial))


def _build(rules: Rules, roles: tuple[str, ...]) -> Layout:
    """The Layout of `rules` at a table whose seats have `roles`."""
    s = rules.scenario
    stats = tuple(st.id for st in s.stats)
    decisions = tuple(rules.decision_specs)
    role_stats = {r: frozenset(ids) for r, ids in rules.role_stats.items()}
    return Layout(
        roles=roles, metric_ids=tuple(m.id for m in s.metrics), stat_ids=stats,
        policy_ids=tuple(p.id for p in s.policies), behaviour_ids=tuple(b.id for b in s.behaviours),
        decision_ids=decisions,
        metric_arrives=np.array([1.0 - m.inertia for m in s.metrics]),
        metric_low=np.array([float(m.min) for m in s.metrics]),
        metric_high=np.array([float(m.max) for m in s.metrics]),
        metric_delay={m.id: m.delay for m in s.metrics},
        stat_low=np.array([float(st.min) for st in s.stats]),
        stat_high=np.array([float(st.max) for st in s.stats]),
        has_stat=np.array([[sid in role_stats[r] for sid in stats] for r in roles],
                          dtype=bool).reshape(len(roles), len(stats)),
        chooses=np.array([[r in rules.decision_roles[d] for d in decisions] for r in roles],
                         dtype=bool).reshape(len(roles), len(decisions)),
        decision_initial=np.array([float(rules.decision_specs[d].initial) for d in decisions]),
        role_of_seat={r: np.array([own == r for own in roles], dtype=bool)
                      for r in rules.role_specs},
        reset=tuple((stats.index(sid), rules.stat_specs[sid].initial)
                    for sid in rules.reset_stats),
        settled=_settled(rules), constants=dict(s.constants), turns=float(s.turns),
        randoms=tuple((name, tuple(s.randoms[name].uniform or s.randoms[name].normal),
                       bool(s.randoms[name].uniform)) for name in rules.legacy_draws),
        keyed=rules.keyed_draws, order=rules.order,
        near_names=neighbour_names(s), aggregated=_aggregated(rules))


def _aggregated(rules: Rules) -> dict[str, tuple[str, ...]]:
    """The stats and decisions whose aggregates (`total_x`, ...) a formula of resolution,
    review or news reads, each with the kinds of aggregate read."""
    effects = [*(e for b in rules.behaviours for e in b.effects),
               *(e for p in rules.policies for e in p.effects), *rules.dynamics,
               *(e for ev in rules.events for e in ev.effects),
               *(e for rv in rules.reviews.values() for c in rv.consequences for e in c.effects)]
    names = set().union(*(e.names for e in effects))
    for ev in rules.events:
        names |= ev.when.names | ev.chance.names
    for rv in rules.reviews.values():
        names |= rv.score.names.union(*(t.names for _, t in rv.terms),
                                      *(c.when.names for c in rv.consequences))
    for flow in rules.flows:
        names |= flow.source.names
    ids = [*(sid for sid, _ in rules.aggregate_keys), *(d for d, _, _ in rules.decision_keys)]
    kinds = {x: tuple(a for a in AGGREGATES if f"{a}_{x}" in names) for x in ids}
    return {x: read for x, read in kinds.items() if read}


def _tables(rules: Rules) -> dict[tuple[str, ...], Layout]:
    """The Layouts of `rules`, by table (filled by `layout_for`)."""
    return {}


_per_rules = per_rules(_tables)


def layout_for(rules: Rules, roles: tuple[str, ...]) -> Layout:
    """The Layout of `rules` at a table whose seats have `roles` (in seat order), built once."""
    tables = _per_rules(rules)
    layout = tables.get(roles)
    if layout is None:
        layout = tables[roles] = _build(rules, roles)
    return layout
