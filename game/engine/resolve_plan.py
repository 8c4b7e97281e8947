"""What resolution needs from the rules, prepared once per Rules (`plan_for`).

Every effect becomes a flat tuple that `game.engine.resolve._run` applies with `when`,
`chance` and the bookkeeping of its changes inlined; whether a random stream can be observed
is decided here, so resolution seeds only the streams whose numbers something reads. Kept
apart from resolve.py because it runs once per Rules, not per turn.
"""

from __future__ import annotations

from game.engine.env import lookups, per_rules
from game.scenario.rules import CEffect, Rules

# A prepared effect, as `_run` unpacks it (built by `_prepare`, completed by `_together`):
# (when, chance, chance_fn, value, value_fn, target, on_seat, is_set, delay, mode, again)
# `when` is the condition's function, or None when it always holds; `chance` and `value` are
# constants, used when `chance_fn` / `value_fn` is None; `delay` includes the metric's own;
# `again`: another effect of the same run has the same value function.
Prepared = tuple


def _prepare(rules: Rules, effect: CEffect, direct: bool) -> Prepared | None:
    """`effect` as `_run` applies it, or None when it can never apply (a constant `when`
    that is false, or a constant `chance` at or below 0: neither draws a number, so leaving
    the effect out changes nothing). `direct`: metric pushes skip the metric's delay."""
    when, chance, value = effect.when, effect.chance, effect.value
    if when.constant is not None and not when.constant:
        return None
    if chance.constant is not None and not chance.constant > 0.0:
        return None
    delay = effect.delay
    if not effect.on_seat and not direct:
        delay += rules.metric_specs[effect.target].delay
    return (None if when.constant is not None else when.fn,
            chance.constant, None if chance.constant is not None else chance.fn,
            value.constant, None if value.constant is not None else value.fn,
            effect.target, effect.on_seat, effect.mode == "set", delay, effect.mode)


def _draws(effect: CEffect) -> bool:
    """Whether applying `effect` may draw a number: its chance is not a constant at or
    above 1 or at or below 0."""
    chance = effect.chance.constant
    return chance is None or 0.0 < chance < 1.0


def _names(effects) -> frozenset[str]:
    """Every name the formulas of `effects` read."""
    return frozenset().union(*(e.names for e in effects))


def _observes(effects, randoms: frozenset[str]) -> bool:
    """Whether applying `effects` can observe the stream they are given: one draws for its
    chance, or reads a random name (drawn from that stream into its env)."""
    return any(_draws(e) for e in effects) or not randoms.isdisjoint(_names(effects))


def _prepare_all(rules: Rules, effects: tuple[CEffect, ...], direct: bool) -> tuple[Prepared, ...]:
    """The effects that can apply, prepared, in order, as one run."""
    return _together([p for p in (_prepare(rules, e, direct) for e in effects) if p is not None])


def _together(prepared: list[Prepared]) -> tuple[Prepared, ...]:
    """Prepared effects as one run of `_run`, each marked with whether its value function
    is another's too. One text compiles to one function (game.scenario.rules), and a run
    reads one env, so `_run` evaluates such a function once per run (scenarios repeat a
    value for the stats and metrics that move together)."""
    fns = [p[4] for p in prepared if p[4] is not None]
    return tuple((*p, p[4] is not None and fns.count(p[4]) > 1) for p in prepared)


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
        randoms = frozenset(rules.scenario.randoms)
        self.behaviours = {role: tuple((b.id, _prepare_all(rules, b.effects, False),
                                        _observes(b.effects, randoms))
                                       for b in rules.behaviours_of(role))
                           for role in rules.role_specs}
        """Each role's (behaviour id, prepared effects, whether they can observe the seat's
        "work" stream: see `_observes`), in file order."""
        self.consequences = {
            role: tuple((c.name, None if c.when.constant is not None else c.when.fn,
                         _prepare_all(rules, c.effects, True), c.layoff)
                        for c in rv.consequences
                        if c.when.constant is None or c.when.constant)
            for role, rv in rules.reviews.items()}
        """Each reviewed role's (name, condition or None, prepared effects, layoff), in file
        order, without those whose condition is a constant false."""
        self.global_scores = frozenset(
            role for role, rv in rules.reviews.items()
            if rv.score.names.union(*(t.names for _, t in rv.terms)) <= rules.global_names)
        """The reviewed roles whose score and terms read no seat name: every seat of such a
        role scores the same, so the score is computed once, on the global names."""
        self._lists: dict[tuple[int, bool], tuple[tuple[CEffect, ...], tuple]] = {}
        self.resolve_draws = _observes((*(e for p in rules.policies for e in p.effects),
                                        *rules.dynamics), randoms)
        """Whether anything can observe the "resolve" stream: a policy or dynamics effect
        that draws for its chance, or reads a random name (drawn from that stream into the
        global env). When nothing can, resolution neither seeds it nor draws."""
        self.events = tuple(
            (event, event.when.fn, event.chance.fn, names, not randoms.isdisjoint(names))
            for event in rules.events
            for names in [event.when.names | event.chance.names | _names(event.effects)])
        """Each event, in file order, with the functions of its condition and chance (a
        constant formula's function returns the constant), every name its formulas read,
        and whether one of them is a random name."""
        self.stat_aggregates = {sid: frozenset(names) for sid, names in rules.aggregate_keys}
        """Each stat's aggregate names (`total_`, `mean_`, `max_`, `min_`)."""

    def effect_list(self, rules: Rules, effects: tuple[CEffect, ...], direct: bool) -> tuple:
        """`effects` as `apply_effects` walks them, in order: (run, on_seat, target, roles,
        shared), where `run` is either consecutive metric effects (applied together, once,
        on the global env: one `_run` call instead of one each) or one stat effect (applied
        per seat). `shared`: the stat effect reads none of a seat's own names and never
        draws, so it gives every seat the same: it is applied once, on the global env, to
        all of them. Keyed by the tuple's identity (lists come from the rules); the entry
        keeps the tuple alive, so its id stays unique."""
        entry = self._lists.get((id(effects), direct))
        if entry is None or entry[0] is not effects:
            walk: list[tuple] = []
            metrics: list[Prepared] = []
            for e in effects:
                p = _prepare(rules, e, direct)
                if p is None:
                    continue
                if not e.on_seat:
                    metrics.append(p)
                    continue
                if metrics:
                    walk.append((_together(metrics), False, None, None, False))
                    metrics = []
                shared = e.names <= rules.global_names and not _draws(e)
                walk.append((_together([p]), True, e.target, e.roles, shared))
            if metrics:
                walk.append((_together(metrics), False, None, None, False))
            entry = self._lists[(id(effects), direct)] = (effects, tuple(walk))
        return entry[1]


plan_for = per_rules(Plan)
