"""What resolution needs from the rules, prepared once per Rules (`plan_for`).

Every list of effects becomes runs of generated code (game.engine.resolve_code) that
`game.engine.resolve` calls; whether a random stream can be observed is decided here, so
resolution seeds only the streams whose numbers something reads. Kept apart from resolve.py
because it runs once per Rules, not per turn.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from game.engine.env import aggregate_keys_read, lookups, per_rules
from game.engine.resolve_code import (
    can_apply,
    compile_consequences,
    compile_list,
    compile_value,
    compile_work,
    draws,
    env_reader,
    seat_reader,
)
from game.scenario.rules import CEffect, Rules


def _prepare(rules: Rules, effect: CEffect, direct: bool) -> tuple[CEffect, int] | None:
    """`effect` with its delay as a run applies it (the metric's own delay included unless
    `direct`: metric pushes then skip it), or None when it never applies (`can_apply`)."""
    if not can_apply(effect, rules.scenario.constants):
        return None
    delay = effect.delay
    if not effect.on_seat and not direct:
        delay += rules.metric_specs[effect.target].delay
    return effect, delay


def _names(effects) -> frozenset[str]:
    """Every name the formulas of `effects` read."""
    return frozenset().union(*(e.names for e in effects))


def _observes(effects, randoms: frozenset[str]) -> bool:
    """Whether applying `effects` can observe the stream they are given: one draws for its
    chance, or reads a random name (drawn from that stream into its env)."""
    return any(draws(e) for e in effects) or not randoms.isdisjoint(_names(effects))


def _prepared(rules: Rules, effects: tuple[CEffect, ...], direct: bool) -> list:
    """The effects that can apply, in order, each with its delay (`_prepare`)."""
    return [p for p in (_prepare(rules, e, direct) for e in effects) if p is not None]


class Plan:
    """What resolution needs from the rules, computed once per Rules (see `plan_for`). It must
    not refer to the Rules object itself, or the cache would keep every Rules alive."""

    def __init__(self, rules: Rules) -> None:
        self.lk = lookups(rules)
        """The environments' lookups (game.engine.env), held here so that resolution looks
        up one cache entry per turn instead of one per env built."""
        self.reset = tuple((sid, rules.stat_specs[sid].initial) for sid in rules.reset_stats)
        """(stat id, initial value) of every stat reset each turn."""
        self.bounds = {sid: (st.min, st.max) for sid, st in rules.stat_specs.items()}
        self.metrics = tuple((m.id, 1.0 - m.inertia, m.min, m.max)
                             for m in rules.scenario.metrics)
        """(metric id, share of its backlog that arrives each turn, min, max), in file order."""
        self.metric_rows = {row[0]: row for row in self.metrics}
        """Each metric's row of `metrics`, by id."""
        self.settled = not any(value == 0.0 and math.copysign(1.0, value) < 0.0
                               for m in rules.scenario.metrics
                               for value in (m.min, m.max, m.initial))
        """Whether a metric that `apply_metrics` has clamped stays as it is through a second
        pass with nothing to add: bounds are in order (the scenario checks it), so only
        `-0.0 + 0.0` could differ, and a sum is -0.0 only when both terms are, so a metric
        is -0.0 only if it starts at or is clamped to a value written -0.0."""
        randoms = frozenset(rules.legacy_draws)  # (keyed draws come from their own streams)
        self.work = {
            role: compile_work(rules, role, [(b.id, _prepared(rules, b.effects, False),
                                              _observes(b.effects, randoms))
                                             for b in rules.behaviours_of(role)])
            for role in rules.role_specs}
        """Each role's work (`compile_work`): the effects of every behaviour a seat spends
        effort on, in file order, reading the seat's names where they live and the random
        ones from the seat's own draws, seeding its "work" stream only when one of them
        can observe it (see `_observes`)."""
        read_env = env_reader(rules)
        self.consequences = {
            role: compile_consequences(rules, role, [
                (c.name, None if c.when.constant is not None else c.when,
                 _prepared(rules, c.effects, True), c.layoff)
                for c in rv.consequences if c.when.constant is None or c.when.constant])
            if any(c.when.constant is None or c.when.constant for c in rv.consequences) else None
            for role, rv in rules.reviews.items()}
        """Each reviewed role's consequences as one function (`compile_consequences`), in file
        order, without those whose condition is a constant false; None when none is left.
        Conditions and effects read the seat's names where they live."""
        self.global_scores = frozenset(
            role for role, rv in rules.reviews.items()
            if rv.score.names.union(*(t.names for _, t in rv.terms)) <= rules.global_names)
        """The reviewed roles whose score and terms read no seat name: every seat of such a
        role scores the same, so the score is computed once, on the global names."""
        self.scores = {
            role: compile_value(rv.score, read_env if role in self.global_scores
                                else seat_reader(rules, role, False), rv.terms)
            for role, rv in rules.reviews.items()}
        """Each reviewed role's score with its terms in force (`compile_value`), reading a
        seat's names where they live unless the role is in `global_scores`."""
        self.review_keys = aggregate_keys_read(rules, frozenset().union(
            *(f.names for rv in rules.reviews.values()
              for f in (rv.score, *(t for _, t in rv.terms), *(c.when for c in rv.consequences))),
            *(_names(c.effects) for rv in rules.reviews.values() for c in rv.consequences)))
        """The aggregates that scores and consequences read (see `run_env`)."""
        self.review_draws = _observes(
            [e for rv in rules.reviews.values() for c in rv.consequences for e in c.effects],
            randoms)
        """Whether a consequence can observe the "review" stream (see `resolve_draws`): when
        none can, review does not make it."""
        self._lists: dict[tuple[int, bool], tuple[tuple[CEffect, ...], Callable]] = {}
        self._turn_lists: tuple | None = None
        work = (*(e for b in rules.behaviours for e in b.effects),
                *(e for p in rules.policies for e in p.effects))
        self.work_keys = aggregate_keys_read(rules, _names(work))
        self.dynamics_keys = aggregate_keys_read(rules, _names(rules.dynamics))
        """The aggregates that behaviours and policies, and dynamics, read (see `run_env`)."""
        self.resolve_draws = _observes((*(e for p in rules.policies for e in p.effects),
                                        *rules.dynamics), randoms)
        """Whether anything can observe the "resolve" stream: a policy or dynamics effect
        that draws for its chance, or reads a random name (drawn from that stream into the
        global env). When nothing can, resolution neither seeds it nor draws."""
        self.stat_aggregates = {sid: frozenset(names) for sid, names in rules.aggregate_keys}
        """Each stat's aggregate names (`total_`, `mean_`, `max_`, `min_`)."""
        self.events = tuple(
            (event, compile_value(event.when, read_env), compile_value(event.chance, read_env),
             names, not randoms.isdisjoint(names), not event.repeat,
             frozenset().union(*(self.stat_aggregates[e.target] for e in event.effects
                                 if e.on_seat and e.delay == 0)))
            for event in rules.events
            for names in [event.when.names | event.chance.names | _names(event.effects)])
        """Each event, in file order, with its condition and chance on the global names
        (`compile_value`, constants folded in), every name its formulas read, whether one of
        them is a random name, whether it fires only once, and the aggregates of the stats
        its effects may change at once."""
        self.news_keys = aggregate_keys_read(rules, frozenset().union(
            *(event[3] for event in self.events)))
        """The aggregates that events read (see `run_env`)."""

    def turn_lists(self, rules: Rules) -> tuple[tuple[tuple[str, Callable], ...], Callable]:
        """What resolution applies outside the seats each turn (`effect_list`): (policy id,
        its effects) for every policy in file order, and the dynamics."""
        if self._turn_lists is None:
            self._turn_lists = (
                tuple((p.id, self.effect_list(rules, p.effects, False)) for p in rules.policies),
                self.effect_list(rules, rules.dynamics, False))
        return self._turn_lists

    def effect_list(self, rules: Rules, effects: tuple[CEffect, ...], direct: bool):
        """`effects` as one function that `apply_effects` calls (`compile_list`): metric
        effects applied once, on the global env (consecutive ones together); a stat effect
        per seat, reading the seat's names where they live, or, when it reads none of a
        seat's own names and never draws (so it gives every seat the same), once on the
        global env for all of them. Keyed by the tuple's identity (lists come from the
        rules); the entry keeps the tuple alive, so its id stays unique."""
        entry = self._lists.get((id(effects), direct))
        if entry is None or entry[0] is not effects:
            parts: list[tuple] = []
            metrics: list[tuple[CEffect, int]] = []
            per_seat = {k for k, d in rules.keyed_draws if d.per_seat}  # differ by seat
            for e in effects:
                p = _prepare(rules, e, direct)
                if p is None:
                    continue
                if not e.on_seat:
                    metrics.append(p)
                    continue
                if metrics:
                    parts.append((metrics, None, None, False))
                    metrics = []
                parts.append((p, e.target, e.roles, e.names <= rules.global_names
                              and not draws(e) and e.names.isdisjoint(per_seat)))
            if metrics:
                parts.append((metrics, None, None, False))
            apply = compile_list(rules, parts, direct, env_reader(rules),
                                 seat_reader(rules, None, False))
            entry = self._lists[(id(effects), direct)] = (effects, apply)
        return entry[1]


plan_for = per_rules(Plan)
