"""The compiled rules of a scenario: the types `game.scenario.rules` builds from a validated
scenario (every formula compiled, every name checked) and the engine runs on, and the fixed
names formulas may read besides the scenario's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.scenario.formula import FUNCTIONS, CompiledFormula
from game.scenario.model import (Behaviour, Decision, Draw, Event, Metric, Policy, Role, Scenario,
                                 Stat)

Loc = tuple[str | int, ...]

BUILTIN_GLOBAL = frozenset({"turn", "turns", "headcount"})
BUILTIN_SEAT = frozenset({"seats", "score", "rank"})
AGGREGATES = ("total", "mean", "max", "min")
RESERVED = BUILTIN_GLOBAL | BUILTIN_SEAT | {"effort", "true", "false"} | FUNCTIONS


def aggregate_names(scenario: Scenario) -> frozenset[str]:
    """The names computed over the employed seats: `total_S`, `mean_S`, `max_S`, `min_S` for
    every stat and every decision S, `headcount`, and `headcount_R` for every role R."""
    return frozenset({f"{a}_{st.id}" for st in scenario.stats for a in AGGREGATES}
                     | {f"{a}_{d.id}" for d in decisions(scenario) for a in AGGREGATES}
                     | {f"headcount_{r.id}" for r in scenario.roles} | {"headcount"})


def decisions(scenario: Scenario) -> list[Decision]:
    """Every role's decisions, in file order."""
    return [d for r in scenario.roles for d in r.decisions]


class RuleError(Exception):
    """A semantic mistake in a scenario: `loc` is the path to the offending value."""

    def __init__(self, loc: Loc, message: str, col: int | None = None) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.col = col


@dataclass(frozen=True, slots=True)
class CEffect:
    """A compiled effect. `on_seat`: the target is a stat, applied per seat."""

    target: str
    on_seat: bool
    value: CompiledFormula
    mode: str
    delay: int
    chance: CompiledFormula
    when: CompiledFormula
    roles: frozenset[str] | None

    @property
    def names(self) -> frozenset[str]:
        """Every name the effect's formulas (value, chance, condition) read."""
        return self.value.names | self.chance.names | self.when.names


@dataclass(frozen=True, slots=True)
class CPolicy:
    id: str
    role: str
    level_count: int
    initial: int
    cost: float
    excludes: frozenset[str]
    effects: tuple[CEffect, ...]
    review: dict[str, CompiledFormula]


@dataclass(frozen=True, slots=True)
class CBehaviour:
    id: str
    role: str
    available: CompiledFormula
    max_effort: int | None
    effects: tuple[CEffect, ...]


@dataclass(frozen=True, slots=True)
class CEvent:
    id: str
    when: CompiledFormula
    chance: CompiledFormula
    repeat: bool
    effects: tuple[CEffect, ...]


@dataclass(frozen=True, slots=True)
class CConsequence:
    name: str
    when: CompiledFormula
    effects: tuple[CEffect, ...]
    layoff: bool


@dataclass(frozen=True, slots=True)
class CReview:
    role: str
    score: CompiledFormula
    leaderboard: bool
    consequences: tuple[CConsequence, ...]
    terms: tuple[tuple[str, CompiledFormula], ...]
    """(policy id, term) pairs: a term counts while its policy is active."""
    ties: str = "draw"
    """How equal scores rank: "draw" (a seeded draw orders them) or "share" (one rank)."""


@dataclass(frozen=True, slots=True)
class COrder:
    """Seats in relation: the seats of `roles`, in that order and then in seat order."""

    kind: str
    """`chain` or `ring`."""
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CFlow:
    """A compiled flow: every seat of `roles` ships `source` to its neighbour's `to`."""

    id: str
    source: CompiledFormula
    to: str
    upstream: bool
    """Whether it goes to the upstream neighbour (else downstream)."""
    delay: int
    initial: float
    roles: frozenset[str]
    visible: bool


@dataclass(frozen=True)
class Rules:
    """Everything the engine needs from a scenario, with formulas compiled."""

    scenario: Scenario
    global_names: frozenset[str]
    seat_names: dict[str, frozenset[str]]
    role_stats: dict[str, tuple[str, ...]]
    policies: tuple[CPolicy, ...]
    behaviours: tuple[CBehaviour, ...]
    events: tuple[CEvent, ...]
    dynamics: tuple[CEffect, ...]
    reviews: dict[str, CReview]
    stat_public: dict[str, CompiledFormula]
    contribution: CompiledFormula
    lessons: tuple[tuple[str, CompiledFormula], ...] = ()
    """(text, condition over the end facts) of every debrief lesson, in file order."""
    order: COrder | None = None
    """The seats in relation, if the scenario puts them in an order."""
    flows: tuple[CFlow, ...] = ()
    """The flows between neighbouring seats, in file order."""
    metric_specs: dict[str, Metric] = field(init=False)
    stat_specs: dict[str, Stat] = field(init=False)
    event_specs: dict[str, Event] = field(init=False)
    role_specs: dict[str, Role] = field(init=False)
    policy_specs: dict[str, Policy] = field(init=False)
    behaviour_specs: dict[str, Behaviour] = field(init=False)
    decision_specs: dict[str, Decision] = field(init=False)
    """Every role's decisions by id (ids are unique across roles)."""
    decision_roles: dict[str, frozenset[str]] = field(init=False)
    """Per decision id: the roles whose seats choose it."""
    decision_keys: tuple[tuple[str, float, tuple[str, str, str, str]], ...] = field(init=False)
    """(decision id, initial, its `total_`, `mean_`, `max_` and `min_` names) per decision."""
    reset_stats: tuple[str, ...] = field(init=False)
    hidden_from_self: frozenset[str] = field(init=False)
    aggregate_keys: tuple[tuple[str, tuple[str, str, str, str]], ...] = field(init=False)
    """(stat id, its `total_`, `mean_`, `max_` and `min_` names) for every stat, in file order."""
    aggregate_names: frozenset[str] = field(init=False)
    """Every name the engine computes over the seats: see `aggregate_names`."""
    acting: frozenset[tuple[str, str]] = field(init=False)
    """(role, phase) pairs in which the role's seats submit something: `policy` if it owns
    policies, `work` if it owns behaviours and has effort to spend."""
    legacy_draws: tuple[str, ...] = field(init=False)
    """The draws that keep the old streams (`uniform` or `normal` without `scope`), in file
    order: drawn from a seat's work stream in behaviours, from the turn's or event's
    stream elsewhere."""
    keyed_draws: tuple[tuple[str, Draw], ...] = field(init=False)
    """(name, draw) of every other draw, each from its own stream by its scope
    (game.engine.relations.keyed_value), in file order."""
    _by_role: dict[str, tuple[tuple[CBehaviour, ...], tuple[CPolicy, ...]]] = field(init=False)

    def __post_init__(self) -> None:
        s = self.scenario
        by_role = {r.id: (tuple(b for b in self.behaviours if b.role == r.id),
                          tuple(p for p in self.policies if p.role == r.id)) for r in s.roles}
        object.__setattr__(self, "metric_specs", {m.id: m for m in s.metrics})
        object.__setattr__(self, "stat_specs", {st.id: st for st in s.stats})
        object.__setattr__(self, "event_specs", {ev.id: ev for ev in s.events})
        object.__setattr__(self, "role_specs", {r.id: r for r in s.roles})
        object.__setattr__(self, "policy_specs", {p.id: p for p in s.policies})
        object.__setattr__(self, "behaviour_specs", {b.id: b for b in s.behaviours})
        object.__setattr__(self, "decision_specs", {d.id: d for d in decisions(s)})
        object.__setattr__(self, "decision_roles", {
            d.id: frozenset(r.id for r in s.roles if d in r.decisions) for d in decisions(s)})
        object.__setattr__(self, "decision_keys", tuple(
            (d.id, d.initial, tuple(f"{a}_{d.id}" for a in AGGREGATES)) for d in decisions(s)))
        object.__setattr__(self, "reset_stats", tuple(st.id for st in s.stats if st.reset_each_turn))
        object.__setattr__(self, "hidden_from_self",
                           frozenset(st.id for st in s.stats if st.hidden_from_self))
        object.__setattr__(self, "_by_role", by_role)
        object.__setattr__(self, "legacy_draws",
                           tuple(k for k, d in s.randoms.items() if not d.keyed))
        object.__setattr__(self, "keyed_draws",
                           tuple((k, d) for k, d in s.randoms.items() if d.keyed))
        object.__setattr__(self, "acting", frozenset(
            [(r.id, "policy") for r in s.roles if by_role[r.id][1]]
            + [(r.id, "work") for r in s.roles
               if (by_role[r.id][0] and r.effort > 0) or r.decisions]))
        object.__setattr__(self, "aggregate_keys", tuple(
            (st.id, tuple(f"{a}_{st.id}" for a in AGGREGATES)) for st in s.stats))
        object.__setattr__(self, "aggregate_names", aggregate_names(s))

    def behaviours_of(self, role: str) -> tuple[CBehaviour, ...]:
        """The compiled behaviours a role can spend effort on, in file order."""
        return self._by_role[role][0]

    def policies_of(self, role: str) -> tuple[CPolicy, ...]:
        """The compiled policies a role sets, in file order."""
        return self._by_role[role][1]
