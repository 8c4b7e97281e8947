"""Compile a validated scenario into fast rules: every formula compiled once, every name checked.

The name rules are those of docs/rules.md: *global* formulas read metrics, policy levels,
constants, turn, aggregates and random draws; *seat* formulas also read the seat's own stats,
its effort per behaviour, `seats`, `score` and `rank`; behaviour effects also read `effort`.
The compiled types (`Rules`, `CEffect`, ...) are in `game.scenario.compiled`, and exported here
too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from game.errors import FormulaError
from game.scenario import lets
from game.scenario.boards import compile_boards
from game.scenario.bounds import check_constant_bounds
from game.scenario.compiled import (AGGREGATES, BUILTIN_GLOBAL, BUILTIN_SEAT, RESERVED, CBehaviour,
                                    CConsequence, CEffect, CEvent, CFlow, COrder, CPolicy,
                                    CReview, Loc, RuleError, Rules, aggregate_names)
from game.scenario.facts import fact_names
from game.scenario.formula import NEIGHBOURS, CompiledFormula, compile_formula, excerpt
from game.scenario.model import Effect, Policy, Scenario, WhatIf

__all__ = ["AGGREGATES", "BUILTIN_GLOBAL", "BUILTIN_SEAT", "RESERVED", "CBehaviour",
           "CConsequence", "CEffect", "CEvent", "CFlow", "COrder", "CPolicy", "CReview", "Loc", "RuleError", "Rules",
           "aggregate_names", "compile_rules", "rules_for", "what_if_locks"]


def _formula(source: str, allowed: frozenset[str], loc: Loc) -> CompiledFormula:
    """Compile one formula, turning a FormulaError into a RuleError at `loc`; the lets in
    force that it may read are written out (game.scenario.lets)."""
    try:
        extra = lets.readable(allowed)
        formula = _compile_cached(source, allowed | extra if extra else allowed)
    except FormulaError as err:
        wrong = lets.unreadable(source, allowed)
        message, col = wrong if wrong else (err.message, err.col)
        hint = ""
        if re.search(r"unknown name '(up|down)stream\.", message) \
                and not any(f"{side}." in name for name in allowed for side in NEIGHBOURS):
            hint = " (neighbours' names need seats in an order: add `order: chain` at the top)"
        raise RuleError(loc, f"formula `{excerpt(source, col=col)}`: {message}{hint}",
                        col) from None
    return lets.expand(formula, loc)


def _compile_cached(source: str, allowed: frozenset[str]) -> CompiledFormula:
    """Compiled formulas are immutable, so one text compiles once whatever names it may read;
    an unknown name compiles it again against `allowed` for the precise message."""
    formula = _compile_text(source)
    if not formula.names <= allowed:
        return compile_formula(source, allowed)
    return formula


@lru_cache(maxsize=8192)
def _compile_text(source: str) -> CompiledFormula:
    return compile_formula(source, None)


class _Compiler:
    """Walks a scenario once, checking references and compiling formulas."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.randoms = frozenset(scenario.randoms)
        self.metrics = {m.id for m in scenario.metrics}
        self.stats = {st.id: st for st in scenario.stats}
        self.roles = {r.id for r in scenario.roles}
        self.policy_ids = {p.id for p in scenario.policies}

    def names(self) -> tuple[frozenset[str], dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
        """The global names, each role's seat names, and each role's stats."""
        s = self.s
        glob = frozenset(self.metrics | self.policy_ids | set(s.constants) | set(s.randoms)
                         | aggregate_names(s) | BUILTIN_GLOBAL)
        role_stats = {r.id: tuple(st.id for st in s.stats_of(r.id)) for r in s.roles}
        seat = {r.id: glob | set(role_stats[r.id]) | {b.id for b in s.behaviours_of(r.id)}
                | {d.id for d in r.decisions} | BUILTIN_SEAT for r in s.roles}
        order = order_roles(s)
        if order:
            near = neighbour_names(s)
            for role in order:
                seat[role] = seat[role] | near
        return glob, seat, role_stats

    def check_ids(self) -> None:
        """Every formula name is unique, not reserved, and clear of aggregate names."""
        s = self.s
        seen: dict[str, Loc] = {}
        aggregated = set(self.stats) | {d.id for r in s.roles for d in r.decisions}
        groups = [("metrics", [m.id for m in s.metrics]), ("stats", [st.id for st in s.stats]),
                  ("policies", [p.id for p in s.policies]),
                  ("behaviours", [b.id for b in s.behaviours])]
        entries = [((g, i, "id"), name) for g, ids in groups for i, name in enumerate(ids)]
        entries += [(("roles", i, "decisions", j, "id"), d.id)
                    for i, r in enumerate(s.roles) for j, d in enumerate(r.decisions)]
        entries += [(("constants", k), k) for k in s.constants]
        entries += [(("randoms", k), k) for k in s.randoms]
        entries += [(("let", k), k) for k in s.let]
        for loc, name in entries:
            if name in RESERVED:
                raise RuleError(loc, f"'{name}' is a reserved name; choose another id")
            if name.startswith("headcount_") and name[10:] in self.roles:
                raise RuleError(loc, f"'{name}' clashes with the seat count of role "
                                     f"'{name[10:]}'; choose another id")
            if name.split("_", 1)[0] in AGGREGATES and name.split("_", 1)[-1] in aggregated:
                raise RuleError(loc, f"'{name}' clashes with the aggregate of "
                                     f"'{name.split('_', 1)[1]}'; choose another id")
            if name in seen:
                first = ".".join(str(p) for p in seen[name])
                raise RuleError(loc, f"id '{name}' is already used (at {first}); ids must be unique")
            seen[name] = loc
        self._unique([r.id for r in s.roles], "roles")
        for i, ev in enumerate(s.events):
            if [e.id for e in s.events].index(ev.id) != i:
                raise RuleError(("events", i, "id"), f"event id '{ev.id}' is already used")

    def _unique(self, ids: list[str], group: str) -> None:
        for i, name in enumerate(ids):
            if ids.index(name) != i:
                raise RuleError((group, i, "id"), f"id '{name}' is already used; ids must be unique")

    def role_ref(self, role: str, loc: Loc) -> None:
        """Fail unless `role` names a role."""
        if role not in self.roles:
            raise RuleError(loc, f"unknown role '{role}' (roles: {', '.join(sorted(self.roles))})")

    def check_refs(self) -> None:
        """Roles, exclusions, visibility keys and debrief metrics all exist."""
        s = self.s
        for i, p in enumerate(s.policies):
            self.role_ref(p.role, ("policies", i, "role"))
            for j, other in enumerate(p.excludes):
                if other not in self.policy_ids:
                    raise RuleError(("policies", i, "excludes", j), f"unknown policy '{other}'")
            for role in p.review:
                self.role_ref(role, ("policies", i, "review", role))
        for i, b in enumerate(s.behaviours):
            self.role_ref(b.role, ("behaviours", i, "role"))
        for i, st in enumerate(s.stats):
            for j, role in enumerate(st.roles or []):
                self.role_ref(role, ("stats", i, "roles", j))
        for i, m in enumerate(s.metrics):
            for role in m.visibility:
                if role != "default":
                    self.role_ref(role, ("metrics", i, "visibility", role))
        for role in s.reviews:
            self.role_ref(role, ("reviews", role))
        for key in ("proxy_index", "health_index"):
            for mid in getattr(s.debrief, key):
                if mid not in self.metrics:
                    raise RuleError(("debrief", key, mid), f"unknown metric '{mid}' in {key}")
        for i, regime in enumerate(s.debrief.what_if):
            what_if_locks(s, regime, ("debrief", "what_if", i))

    def effect(self, e: Effect, loc: Loc, glob: frozenset[str], seat: dict[str, frozenset[str]],
               acting_role: str | None, extra: frozenset[str] = frozenset()) -> CEffect:
        """Compile an effect; `acting_role` is set where a stat target means the acting seat."""
        on_seat = e.target in self.stats
        if not on_seat and e.target not in self.metrics:
            raise RuleError(loc + ("target",), f"unknown target '{e.target}': "
                                                "name a metric or a stat")
        for j, role in enumerate(e.roles or []):
            self.role_ref(role, loc + ("roles", j))
        roles = self._seat_roles(e, loc, acting_role) if on_seat else []
        if on_seat:
            allowed = frozenset.intersection(*(seat[r] for r in roles)) | extra
        else:
            allowed = (seat[acting_role] if acting_role else glob) | extra
        parts = {k: _formula(getattr(e, k), allowed, loc + (k,)) for k in ("value", "chance", "when")}
        return CEffect(e.target, on_seat, parts["value"], e.mode, e.delay, parts["chance"],
                       parts["when"], frozenset(e.roles) if e.roles else None)

    def _seat_roles(self, e: Effect, loc: Loc, acting_role: str | None) -> list[str]:
        """The roles whose seats a stat effect will be evaluated for."""
        stat = self.stats[e.target]
        having = [r.id for r in self.s.roles if stat.roles is None or r.id in stat.roles]
        if acting_role is not None:
            if acting_role not in having:
                raise RuleError(loc + ("target",),
                                f"role '{acting_role}' has no stat '{e.target}'")
            return [acting_role]
        roles = [r for r in having if e.roles is None or r in e.roles]
        if not roles:
            raise RuleError(loc + ("target",), f"no role both has stat '{e.target}' and is listed")
        return roles


def order_roles(s: Scenario) -> tuple[str, ...]:
    """The roles whose seats are in the scenario's order, upstream first (none without one)."""
    if s.order is None:
        return ()
    return tuple(s.order.roles) if s.order.roles is not None else tuple(r.id for r in s.roles)


def neighbour_names(s: Scenario) -> frozenset[str]:
    """`upstream.X` and `downstream.X` for every stat X and decision X of a role in the
    order: the names a seat formula of such a role may read of its neighbours."""
    roles = order_roles(s)
    stats = {st.id for role in roles for st in s.stats_of(role)}
    stats |= {d.id for role in roles for d in s.role(role).decisions}
    return frozenset(f"{side}.{x}" for side in ("upstream", "downstream") for x in stats)


def _order(c: _Compiler) -> COrder | None:
    """The compiled order: its roles exist and are listed once."""
    s = c.s
    if s.order is None:
        return None
    for j, role in enumerate(s.order.roles or []):
        c.role_ref(role, ("order", "roles", j))
        if s.order.roles.index(role) != j:
            raise RuleError(("order", "roles", j), f"role '{role}' is listed twice")
    return COrder(s.order.kind, order_roles(s))


def _flows(c: _Compiler, seat: dict[str, frozenset[str]]) -> tuple[CFlow, ...]:
    """Each flow: in an order, from roles of the order, to a stat some role of it has, its
    `from` a formula every sending role can work out (with no random draw)."""
    s, out = c.s, []
    order = order_roles(s)
    for i, f in enumerate(s.flows):
        loc: Loc = ("flows", i)
        if not order:
            raise RuleError(loc, f"flow '{f.id}' needs seats in an order: add `order: chain` "
                                 "(or `ring`) at the top level")
        if [g.id for g in s.flows].index(f.id) != i:
            raise RuleError(loc + ("id",), f"flow id '{f.id}' is already used")
        for j, role in enumerate(f.roles or []):
            c.role_ref(role, loc + ("roles", j))
            if role not in order:
                raise RuleError(loc + ("roles", j), f"role '{role}' is not in the order "
                                                    f"({', '.join(order)})")
        senders = tuple(f.roles) if f.roles else order
        if not any(f.to in {st.id for st in s.stats_of(role)} for role in order):
            raise RuleError(loc + ("to",), f"no role in the order has a stat '{f.to}'; "
                                           "`to` names the receiving seat's stat")
        source = _formula(f.source, frozenset.intersection(*(seat[r] for r in senders)),
                          loc + ("from",))
        if not source.names.isdisjoint(c.randoms):
            _undrawn(c, source.names, loc + ("from",))
        out.append(CFlow(f.id, source, f.to, f.direction == "upstream", f.delay, f.initial,
                         frozenset(senders), f.visible))
    return tuple(out)


def _undrawn(c: _Compiler, names: frozenset[str], loc: Loc) -> None:
    """Fail if a formula at `loc` reads a random draw where the engine draws none (review
    scores and terms, consequences, `available`, `public`, the contribution)."""
    drawn = sorted(names & c.randoms)
    if drawn:
        raise RuleError(loc, f"random draw '{drawn[0]}' cannot be read here: draws are made "
                             "only for behaviour, policy, dynamics and event formulas; draw it "
                             "into a stat in a behaviour (e.g. `{target: luck, mode: set, "
                             f"value: {drawn[0]}}}`) and read the stat")


def what_if_locks(scenario: Scenario, regime: WhatIf, loc: Loc = ()) -> dict[str, int]:
    """The regime's locks as {policy id: level number}; RuleError (at `loc` + the key) for an
    unknown policy or level, two locked policies that exclude each other, or locks that cost
    more than their role's budget."""
    specs = {p.id: p for p in scenario.policies}
    out: dict[str, int] = {}
    for pid, level in regime.locks.items():
        where = loc + ("locks", pid)
        if pid not in specs:
            raise RuleError(where, f"unknown policy '{pid}' (policies: "
                                   f"{', '.join(specs) or 'none'})")
        out[pid] = _level_number(specs[pid], level, where)
    on = sorted(pid for pid, level in out.items() if level > 0)
    for pid in on:
        clash = sorted(set(specs[pid].excludes) & set(on))
        if clash:
            raise RuleError(loc + ("locks", pid), f"'{pid}' and '{clash[0]}' exclude each "
                                                  "other; lock one of them at off")
    for role in scenario.roles:
        cost = sum(specs[pid].cost * n for pid, n in out.items() if specs[pid].role == role.id)
        if cost > role.policy_budget + 1e-9:
            raise RuleError(loc + ("locks",), f"these locks cost {cost:g} points; the "
                                              f"{role.name}'s policy budget is {role.policy_budget:g}")
    return out


def _level_number(policy: Policy, level: int | str, loc: Loc) -> int:
    """A lock's level as a number: a level name, or a number within the policy's levels."""
    if isinstance(level, str) and level in policy.levels:
        return policy.levels.index(level)
    if isinstance(level, int) and 0 <= level < len(policy.levels):
        return level
    raise RuleError(loc, f"policy '{policy.id}' has no level '{level}' (levels: "
                         f"{', '.join(policy.levels)}, or 0..{len(policy.levels) - 1})")


def compile_rules(scenario: Scenario) -> Rules:
    """Check every reference and compile every formula; raises RuleError at the first problem."""
    c = _Compiler(scenario)
    c.check_ids()
    c.check_refs()
    check_constant_bounds(scenario)
    order = _order(c)
    glob, seat, role_stats = c.names()
    table = lets.compile_lets(scenario.let, frozenset().union(glob, *seat.values()))
    with lets.in_force(table):
        rules = _compile_game(c, glob, seat, role_stats, order)
    from game.scenario.seating import check_table  # it reads the rules' acting roles
    check_table(rules)
    return rules


def _compile_game(c: _Compiler, glob: frozenset[str], seat: dict[str, frozenset[str]],
                  role_stats: dict[str, tuple[str, ...]], order: COrder | None) -> Rules:
    """Every formula of the game compiled (lessons too: they read no let, see `_lessons`)."""
    scenario = c.s
    flows = _flows(c, seat)  # first: a flow without an order explains unknown `upstream.x`
    policies = tuple(_policy(c, i, glob, seat) for i in range(len(scenario.policies)))
    behaviours = tuple(_behaviour(c, i, glob, seat) for i in range(len(scenario.behaviours)))
    events = tuple(
        CEvent(ev.id, _formula(ev.when, glob, ("events", i, "when")),
               _formula(ev.chance, glob, ("events", i, "chance")), ev.repeat,
               tuple(c.effect(e, ("events", i, "effects", j), glob, seat, None)
                     for j, e in enumerate(ev.effects)))
        for i, ev in enumerate(scenario.events))
    dynamics = tuple(c.effect(e, ("dynamics", j), glob, seat, None)
                     for j, e in enumerate(scenario.dynamics))
    reviews = _reviews(c, glob, seat)
    public = {st.id: _formula(st.public, glob, ("stats", i, "public"))
              for i, st in enumerate(scenario.stats)}
    for i, st in enumerate(scenario.stats):
        _undrawn(c, public[st.id].names, ("stats", i, "public"))
    contribution = _contribution(c, seat)
    boards = compile_boards(scenario, glob, seat, c.randoms, _formula)
    with lets.in_force({}):  # lessons read the end facts, never a let
        lessons = _lessons(scenario)
    return Rules(scenario, glob, seat, role_stats, policies, behaviours, events, dynamics,
                 reviews, public, contribution, lessons, boards=boards, order=order, flows=flows)


def _policy(c: _Compiler, i: int, glob: frozenset[str], seat: dict[str, frozenset[str]]) -> CPolicy:
    p = c.s.policies[i]
    if p.id in p.excludes:
        raise RuleError(("policies", i, "excludes"), f"policy '{p.id}' excludes itself")
    effects = tuple(c.effect(e, ("policies", i, "effects", j), glob, seat, None)
                    for j, e in enumerate(p.effects))
    review = {role: _formula(src, seat[role], ("policies", i, "review", role))
              for role, src in p.review.items()}
    for role, term in review.items():
        _undrawn(c, term.names, ("policies", i, "review", role))
    return CPolicy(p.id, p.role, len(p.levels), p.initial, p.cost, frozenset(p.excludes),
                   effects, review)


def _behaviour(c: _Compiler, i: int, glob: frozenset[str],
               seat: dict[str, frozenset[str]]) -> CBehaviour:
    b = c.s.behaviours[i]
    effects = tuple(c.effect(e, ("behaviours", i, "effects", j), glob, seat, b.role,
                             frozenset({"effort"}))
                    for j, e in enumerate(b.effects))
    available = _formula(b.available, seat[b.role], ("behaviours", i, "available"))
    _undrawn(c, available.names, ("behaviours", i, "available"))
    return CBehaviour(b.id, b.role, available, b.max_effort, effects)


def _reviews(c: _Compiler, glob: frozenset[str],
             seat: dict[str, frozenset[str]]) -> dict[str, CReview]:
    """Each reviewed role's score, consequences and policy terms."""
    s = c.s
    roles = list(s.reviews) + [r for p in s.policies for r in p.review if r not in s.reviews]
    out: dict[str, CReview] = {}
    for role in dict.fromkeys(roles):
        rv = s.reviews.get(role)
        loc: Loc = ("reviews", role)
        score = _formula(rv.score if rv else "0", seat[role], loc + ("score",))
        consequences = tuple(
            CConsequence(k.name, _formula(k.when, seat[role], loc + ("consequences", j, "when")),
                         tuple(c.effect(e, loc + ("consequences", j, "effects", n), glob, seat,
                                        role) for n, e in enumerate(k.effects)), k.layoff)
            for j, k in enumerate(rv.consequences if rv else ()))
        terms = tuple((p.id, _formula(p.review[role], seat[role], ("policies", i, "review", role)))
                      for i, p in enumerate(s.policies) if role in p.review)
        _undrawn(c, score.names, loc + ("score",))
        for j, k in enumerate(consequences):
            _undrawn(c, k.when.names, loc + ("consequences", j, "when"))
            for n, e in enumerate(k.effects):
                _undrawn(c, e.names, loc + ("consequences", j, "effects", n))
        out[role] = CReview(role, score, rv.leaderboard if rv else True, consequences, terms,
                            rv.ties if rv else "draw")
    return out


def _contribution(c: _Compiler, seat: dict[str, frozenset[str]]) -> CompiledFormula:
    """The debrief's contribution formula; it may read any stat some role has."""
    allowed = frozenset().union(*seat.values())
    formula = _formula(c.s.debrief.contribution, allowed, ("debrief", "contribution"))
    _undrawn(c, formula.names, ("debrief", "contribution"))
    return formula


def _lessons(s: Scenario) -> tuple[tuple[str, CompiledFormula], ...]:
    """Each lesson's text and its condition over the end facts (a plain text: always)."""
    names = fact_names(s)
    out = []
    for i, lesson in enumerate(s.debrief.lessons):
        if isinstance(lesson, str):
            out.append((lesson, _formula("1", names, ("debrief", "lessons", i))))
            continue
        try:
            out.append((lesson.text, _formula(lesson.when, names,
                                              ("debrief", "lessons", i, "when"))))
        except RuleError as err:
            raise RuleError(err.loc, err.message + " (a lesson's `when` reads the end-of-game "
                            "facts listed in scenarios/AUTHORING.md, 2.12)", err.col) from None
    return tuple(out)


def rules_for(scenario: Scenario) -> Rules:
    """The compiled rules of a scenario, compiled on first use and then cached on it.

    The cache is read from the model's private-attribute dict: reading `scenario._rules`
    goes through pydantic's `__getattr__` (about 8 us), and bots and analyses ask often."""
    rules = scenario.__pydantic_private__.get("_rules")
    if rules is None or rules.scenario is not scenario:  # a model_copy carries its origin's rules
        rules = scenario._rules = compile_rules(scenario)
    return rules
