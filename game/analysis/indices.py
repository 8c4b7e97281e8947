"""The Goodhart measures: the proxy index, the health index and the gap between them.

An index is the weighted mean of its metrics, each scaled to 0..100 by its bounds (turned
round when lower is better), so indices of different scenarios read the same way. The gap is
how far the proxy index has risen since the start minus how far the health index has.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

from game.engine.env import global_env_for, per_rules, seat_env
from game.engine.ranking import ranked_by_score
from game.engine.state import GameState, SeatState
from game.scenario.model import Scenario
from game.scenario.rules import Rules, rules_for

Weights = tuple[float, tuple[tuple[str, float, bool, float, float, bool], ...]]
"""(sum of |weight|, ((metric id, |weight|, weight >= 0, min, max - min, higher is better), ...))."""


def _weights(rules: Rules, weights: dict[str, float]) -> Weights:
    """What `_index` needs of `weights`, looked up once."""
    specs = rules.metric_specs
    total = sum(abs(w) for w in weights.values()) or 1.0
    return total, tuple((mid, abs(w), w >= 0, specs[mid].min, specs[mid].max - specs[mid].min,
                         specs[mid].higher_is_better) for mid, w in weights.items())


def _index(table: Weights, metrics: dict[str, float]) -> float:
    """The index of `metrics` for prepared weights: each metric scaled to 0..1 by its bounds
    (turned round when lower is better, or when its weight is negative), weighted."""
    total, rows = table
    acc = 0.0
    for mid, weight, positive, low, span, higher in rows:
        share = (metrics[mid] - low) / span
        if not higher:
            share = 1.0 - share
        acc += weight * (share if positive else 1.0 - share)
    return 100.0 * acc / total


class _Indices:
    """The debrief's two indices, prepared once per Rules (the simulator computes both after
    every game)."""

    def __init__(self, rules: Rules) -> None:
        debrief = rules.scenario.debrief
        self.proxy = _weights(rules, debrief.proxy_index)
        self.health = _weights(rules, debrief.health_index)


_indices = per_rules(_Indices)


def metric_series(scenario: Scenario, state: GameState) -> list[dict[str, float]]:
    """True metric values at the start and after every resolved turn."""
    return [{m.id: m.initial for m in scenario.metrics}] + [h.metrics for h in state.history]


def policies_of(state: GameState) -> list[dict[str, int]]:
    """The policy levels in force in each resolved turn of the game."""
    return [dict(turn.policies) for turn in state.history]


def proxy_series(scenario: Scenario, state: GameState) -> list[float]:
    """The proxy index at the start and after every resolved turn."""
    table = _indices(rules_for(scenario)).proxy
    return [_index(table, m) for m in metric_series(scenario, state)]


def health_series(scenario: Scenario, state: GameState) -> list[float]:
    """The health index at the start and after every resolved turn."""
    table = _indices(rules_for(scenario)).health
    return [_index(table, m) for m in metric_series(scenario, state)]


def index_series(scenario: Scenario, state: GameState) -> tuple[list[float], list[float]]:
    """`(proxy_series(...), health_series(...))` from one metric series: for every caller
    that shows or records both (the simulator, the debrief, the text game, a workshop's
    result)."""
    indices = _indices(rules_for(scenario))
    series = metric_series(scenario, state)
    return ([_index(indices.proxy, m) for m in series],
            [_index(indices.health, m) for m in series])


def gap_series(proxy: list[float], health: list[float]) -> list[float]:
    """The Goodhart gap: the proxy's rise since the start minus the health index's rise."""
    return [(p - proxy[0]) - (h - health[0]) for p, h in zip(proxy, health)]


def correlation(xs: list[float], ys: list[float]) -> float:
    """Pearson correlation of the turn-to-turn changes; 0 when either does not move."""
    dx = [b - a for a, b in zip(xs, xs[1:])]
    dy = [b - a for a, b in zip(ys, ys[1:])]
    n = len(dx)
    if n < 2:
        return 0.0
    mx, my = sum(dx) / n, sum(dy) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(dx, dy))
    sxx = sum((a - mx) ** 2 for a in dx)
    syy = sum((b - my) ** 2 for b in dy)
    if sxx <= 1e-12 or syy <= 1e-12:
        return 0.0
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


class SeatOutcome(BaseModel):
    """A seat's leaderboard standing set against its real contribution."""

    seat: int
    name: str
    role: str
    employed: bool
    score_total: float
    leaderboard_rank: int
    contribution: float
    contribution_rank: int


def seat_outcomes(scenario: Scenario, state: GameState) -> list[SeatOutcome]:
    """For every reviewed seat: total review score and real contribution, each ranked among
    the seats of the same role (equal totals as the role's review settles ties, drawn from
    the game's seed; equal contributions share a rank)."""
    return [SeatOutcome(**row) for row in seat_outcome_rows(scenario, state)]


def seat_outcome_rows(scenario: Scenario, state: GameState) -> list[dict]:
    """`[o.model_dump() for o in seat_outcomes(scenario, state)]`, built as plain dicts (the
    simulator records them after every game; validating models only to dump them again cost
    half of this)."""
    rules = rules_for(scenario)
    genv = global_env_for(rules, state, rules.contribution.names)
    reviewed = [s for s in state.seats if s.role in rules.reviews]
    contrib = {s.index: _contribution(rules, genv, state, s) for s in reviewed}
    score_rank: dict[int, int] = {}
    contrib_rank: dict[int, int] = {}
    for role in {s.role for s in reviewed}:
        mine = [s for s in reviewed if s.role == role]
        by_contrib = [(contrib[s.index], s) for s in mine]
        contrib_rank.update({s.index: rank for rank, _, s in ranked_by_score(
            by_contrib, "share", state.seed)})
        score_rank.update({s.index: rank for rank, _, s in ranked_by_score(
            [(s.score_total, s) for s in mine], rules.reviews[role].ties, state.seed,
            state.turn, "final ties", role)})
    return [{"seat": s.index, "name": s.name, "role": s.role, "employed": s.employed,
             "score_total": float(s.score_total), "leaderboard_rank": score_rank[s.index],
             "contribution": contrib[s.index], "contribution_rank": contrib_rank[s.index]}
            for s in reviewed]


def _contribution(rules: Rules, genv: dict[str, float], state: GameState,
                  seat: SeatState) -> float:
    """The seat's real contribution: the formula read from the seat's env, and a stat its
    role lacks at its initial value. Only the names the formula reads are gathered (merging
    whole envs cost several times the formula)."""
    env = seat_env(rules, genv, state, seat)
    missing = _missing_stats(rules)
    formula = rules.contribution
    return float(formula({n: env[n] if n in env else missing[n] for n in formula.names}))


_missing_stats = per_rules(lambda rules: {st.id: st.initial for st in rules.scenario.stats})
"""Per rules: every stat at its initial value (for the stats a seat's role lacks)."""
