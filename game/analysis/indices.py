"""The Goodhart measures: the proxy index, the health index and the gap between them.

An index is the weighted mean of its metrics, each scaled to 0..100 by its bounds (turned
round when lower is better), so indices of different scenarios read the same way. The gap is
how far the proxy index has risen since the start minus how far the health index has.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

from game.engine.env import global_env, seat_env
from game.engine.state import GameState
from game.scenario.model import Scenario
from game.scenario.rules import rules_for


def index_value(scenario: Scenario, weights: dict[str, float], metrics: dict[str, float]) -> float:
    """The weighted index of `metrics` on a 0..100 scale."""
    specs = rules_for(scenario).metric_specs
    total = sum(abs(w) for w in weights.values()) or 1.0
    acc = 0.0
    for mid, weight in weights.items():
        m = specs[mid]
        share = (metrics[mid] - m.min) / (m.max - m.min)
        if not m.higher_is_better:
            share = 1.0 - share
        acc += abs(weight) * (share if weight >= 0 else 1.0 - share)
    return 100.0 * acc / total


def metric_series(scenario: Scenario, state: GameState) -> list[dict[str, float]]:
    """True metric values at the start and after every resolved turn."""
    return [{m.id: m.initial for m in scenario.metrics}] + [h.metrics for h in state.history]


def proxy_series(scenario: Scenario, state: GameState) -> list[float]:
    """The proxy index at the start and after every resolved turn."""
    w = scenario.debrief.proxy_index
    return [index_value(scenario, w, m) for m in metric_series(scenario, state)]


def health_series(scenario: Scenario, state: GameState) -> list[float]:
    """The health index at the start and after every resolved turn."""
    w = scenario.debrief.health_index
    return [index_value(scenario, w, m) for m in metric_series(scenario, state)]


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
    the seats of the same role."""
    rules = rules_for(scenario)
    genv = global_env(rules, state)
    reviewed = [s for s in state.seats if s.role in rules.reviews]
    missing = {st.id: st.initial for st in scenario.stats}  # stats a seat's role lacks
    contrib = {s.index: rules.contribution({**missing, **seat_env(rules, genv, state, s)})
               for s in reviewed}
    score_rank: dict[int, int] = {}
    contrib_rank: dict[int, int] = {}
    for role in {s.role for s in reviewed}:
        mine = [s for s in reviewed if s.role == role]
        by_score = sorted(mine, key=lambda s: (-s.score_total, s.index))
        by_contrib = sorted(mine, key=lambda s: (-contrib[s.index], s.index))
        score_rank.update({s.index: i for i, s in enumerate(by_score, start=1)})
        contrib_rank.update({s.index: i for i, s in enumerate(by_contrib, start=1)})
    return [SeatOutcome(seat=s.index, name=s.name, role=s.role, employed=s.employed,
                        score_total=s.score_total, leaderboard_rank=score_rank[s.index],
                        contribution=contrib[s.index], contribution_rank=contrib_rank[s.index])
            for s in reviewed]
