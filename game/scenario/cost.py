"""How much computing one all-bot game of a scenario costs, estimated before playing it.

A scenario inside every single limit (seats, turns, behaviours, formula size) can still ask
for hours of computing: the limits multiply. The estimate counts steps, where evaluating a
formula costs `CALL_STEPS` plus one step per part (a name, number, operator or call), and
every seat costs `SEAT_STEPS` a turn (its view, beliefs and bookkeeping):

- the engine, each turn: every formula of the rules, once per seat it applies to;
- the bots, each turn: for each role that spends effort, a search that tries one more point
  on each behaviour until the effort is spent ((effort + 1) x behaviours forecasts; twice
  for a role with decisions, and `NUMBER_TRIES` forecasts per decision), each
  playing the role's effects, the policies' and the dynamics on paper; a role that sets
  policies has the workers' search redone for the policy sets it weighs (about half of them
  are remembered from earlier turns, `POLICY_SEARCH_SHARE`); with a planning horizon of H > 1
  turns (game.scenario.horizon) each forecast plays H turns, and a one-turn search comes
  first, so the search costs H + 1 times as much; with one turn, a forecast costs only
  `QUICK_SEARCH_SHARE` of playing the turn (the bots judge a split by what it moves).

The constants were fitted to measured cold games of the bundled scenarios and of generated
ones (tests/scenario/fixtures/costly.py): the estimate was within a factor of 2 of the
measured time for every one. `GAME_BUDGET` is the most one game may cost; lint and
`goodhart simulate` refuse more, and scenarios/AUTHORING.md documents it.
"""

from __future__ import annotations

import ast
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from game.scenario.horizon import planning_horizon
from game.scenario.model import Effect, Role, Scenario

__all__ = ["GAME_BUDGET", "STEPS_PER_SECOND", "GameCost", "game_cost", "over_budget"]

CALL_STEPS = 20
"""Steps to evaluate a formula besides its parts (calling it, reading its names)."""
SEAT_STEPS = 200_000
"""Steps a seat costs each turn whatever its formulas: its view, its bot's beliefs."""
POLICY_SEARCH_SHARE = 0.5
"""Share of the workers' searches for each policy set that is not remembered from before."""
STEPS_PER_SECOND = 200_000_000
"""Steps a game runs per second on one core of the machine the constants were fitted on."""
GAME_BUDGET = 60 * STEPS_PER_SECOND
"""Most steps one all-bot game may cost: about a minute, so the default 200 simulated runs
stay within an hour or so (later runs reuse the bots' memos). The costliest bundled scenario,
tokenmaxxing, is estimated at under a tenth of this; the others at under 1%."""
POLICY_SET_LIMIT = 4096
"""The bots weigh at most this many policy sets (game.bots.search.policy_sets)."""
QUICK_SEARCH_SHARE = 0.4
"""What a search's forecast costs, as a share of playing the turn on paper, when the bots
plan one turn ahead: they then judge a split by what it moves alone, the rest of the turn
worked out once a plan and a behaviour's changes remembered by points
(game.bots.split_forecast; fitted to generated games, where it made the search 1.9-2.7x
cheaper)."""
NUMBER_TRIES = 22
"""Forecasts a bot's search for one decision's number makes (game.bots.plan.choose_numbers:
a coarse grid and a finer one)."""
EFFECTS = "behaviours' effects"
"""The kind of part that is usually the largest: behaviours' effects, in play and forecast."""


@dataclass(frozen=True)
class GameCost:
    """The estimated cost of one game: the total in steps and each named part's."""

    total: float
    parts: dict[str, float]
    kinds: dict[str, float]
    """The parts summed by kind, e.g. `behaviours' effects`."""

    @property
    def seconds(self) -> float:
        """The estimate in seconds."""
        return self.total / STEPS_PER_SECOND

    def largest(self, n: int = 3, kinds: bool = False) -> list[tuple[str, float]]:
        """The `n` largest parts (or kinds) as (name, share of the total), largest first."""
        ranked = sorted((self.kinds if kinds else self.parts).items(), key=lambda kv: -kv[1])
        return [(name, value / self.total) for name, value in ranked[:n] if self.total]


@lru_cache(maxsize=4096)
def formula_parts(source: str) -> int:
    """The number of parts of a formula: the nodes of its syntax tree (at least 1)."""
    try:
        tree = ast.parse(source.strip() or "0", mode="eval")
    except SyntaxError:
        return 1
    return max(1, sum(1 for _ in ast.walk(tree)) - 1)


def _steps(*formulas: str) -> int:
    """Steps to evaluate each of `formulas` once."""
    return sum(CALL_STEPS + formula_parts(f) for f in formulas)


def _effect_steps(effects: list[Effect]) -> int:
    """Steps to evaluate every formula of `effects` once."""
    return sum(_steps(e.value, e.chance, e.when) for e in effects)


def game_cost(s: Scenario) -> GameCost:
    """The estimated cost of one all-bot game of `s` at its largest table (`seats.max`)."""
    parts: Counter[tuple[str, str]] = Counter()
    seats = {r.id: r.seats.max for r in s.roles}
    total_seats = sum(seats.values())
    for b in s.behaviours:
        parts[EFFECTS, f"behaviour {b.id}'s effects"] += seats[b.role] * _effect_steps(b.effects)
        parts["behaviours' availability", f"behaviour {b.id}'s availability"] += \
            seats[b.role] * _steps(b.available)
    for p in s.policies:
        terms = sum(seats.get(r, 0) * _steps(t) for r, t in p.review.items())
        parts["policies", f"policy {p.id}"] += _effect_steps(p.effects) + terms
    for e in s.events:
        parts["events", f"event {e.id}"] += _steps(e.when, e.chance) + _effect_steps(e.effects)
    for i, e in enumerate(s.dynamics):
        parts["dynamics", f"dynamics effect {i + 1}"] += total_seats * _effect_steps([e])
    for role, review in s.reviews.items():
        per_seat = _steps(review.score) + sum(_steps(c.when) + _effect_steps(c.effects)
                                              for c in review.consequences)
        parts["reviews", f"review of {role}"] += seats.get(role, 0) * per_seat
    parts["the table", f"the table ({total_seats} seats)"] += total_seats * SEAT_STEPS
    _add_bot_search(s, parts)
    kinds: Counter[str] = Counter()
    for (kind, _name), steps in parts.items():
        kinds[kind] += steps * s.turns
    return GameCost(float(sum(kinds.values())),
                    {name: steps * s.turns for (_kind, name), steps in parts.items()},
                    dict(kinds))


def _add_bot_search(s: Scenario, parts: Counter[tuple[str, str]]) -> None:
    """Add one turn of the bots' effort search of every working role to `parts`."""
    sets = sum(_policy_sets(s, r) for r in s.roles if s.policies_of(r.id))
    plans = 1 + POLICY_SEARCH_SHARE * sets
    shared = _effect_steps(s.dynamics) + sum(_effect_steps(p.effects) for p in s.policies)
    horizon = planning_horizon(s)
    ahead = 1 if horizon == 1 else horizon + 1
    quick = QUICK_SEARCH_SHARE if horizon == 1 else 1.0
    for role in s.roles:
        behaviours = s.behaviours_of(role.id) if role.effort else []
        if not behaviours and not role.decisions:
            continue
        # with decisions, the effort search runs twice, around the numbers' searches
        splits = (role.effort + 1) * len(behaviours) * (2 if role.decisions else 1)
        tries = plans * (splits + NUMBER_TRIES * len(role.decisions)) * ahead * quick
        for b in behaviours:
            parts[EFFECTS, f"behaviour {b.id}'s effects"] += tries * _effect_steps(b.effects)
        if shared:
            name = f"the {role.id} bots' forecasts of policies and dynamics"
            parts["bots' forecasts", name] += tries * shared


def _policy_sets(s: Scenario, role: Role) -> int:
    """How many policy sets the bots of `role` weigh: level combinations within the budget
    with no two excluding policies active (as game.bots.search.policy_sets walks them)."""
    policies = s.policies_of(role.id)
    excludes = {p.id: set(p.excludes) for p in policies}
    count = 0

    def walk(i: int, spent: float, active: frozenset[str]) -> None:
        nonlocal count
        if count >= POLICY_SET_LIMIT:
            return
        if i == len(policies):
            count += 1
            return
        p = policies[i]
        for level in range(len(p.levels)):
            cost = spent + p.cost * level
            clash = level > 0 and (any(x in active for x in p.excludes)
                                   or any(p.id in excludes[q] for q in active))
            if cost <= role.policy_budget + 1e-9 and not clash:
                walk(i + 1, cost, active | {p.id} if level else active)

    walk(0, 0.0, frozenset())
    return max(1, count)


def over_budget(cost: GameCost) -> str | None:
    """A one-line refusal naming the largest parts, or None when the game is within budget."""
    if cost.total <= GAME_BUDGET:
        return None
    kinds = [f"{share:.0%} {name}" for name, share in cost.largest(3, kinds=True)
             if share >= 0.1]
    parts = ", ".join(f"{name} {share:.0%}" for name, share in cost.largest(3))
    return (f"one bot game of this scenario would take about {_duration(cost.seconds)}, "
            f"{cost.total / GAME_BUDGET:.0f}x the budget of "
            f"{_duration(GAME_BUDGET / STEPS_PER_SECOND)}: the cost is {' and '.join(kinds)} "
            f"(largest single parts: {parts}); shorten those formulas, or use fewer turns, "
            "seats, behaviours or effort points (see 'Size budget' in scenarios/AUTHORING.md)")


def _duration(seconds: float) -> str:
    """`40 s`, `31 min` or `2.5 h`."""
    if seconds < 120:
        return f"{math.ceil(seconds)} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
