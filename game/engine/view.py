"""What one seat may see: the only door out of the engine for screens and bots.

During play a seat sees metrics through its role's visibility rules (live, lagged, noisy,
hidden), its own stats except those hidden from itself, other seats' stats only while they are
public, the published leaderboards, the news and the active policies. Nobody sees another
seat's choices. When the game has ended everything is revealed for the debrief.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field

from game.engine.actions import construct, to_act
from game.engine.env import global_env_for
from game.engine.rng import unit_normal
from game.engine.state import GameState, Headline, SeatState
from game.scenario.model import Metric
from game.scenario.rules import Rules


class MetricReading(BaseModel):
    """A metric as one seat sees it; `value` is None while hidden."""

    id: str
    name: str
    kind: str
    unit: str
    min: float
    max: float
    higher_is_better: bool
    value: float | None
    history: list[float | None] = Field(description="From the start, one value per turn seen.")
    note: str = "live"


class OtherSeat(BaseModel):
    """Another seat: who it is, and only the stats that are public right now."""

    index: int
    name: str
    role: str
    employed: bool
    stats: dict[str, float]


class LeaderRow(BaseModel):
    rank: int
    seat: int
    name: str
    score: float


class OwnTurn(BaseModel):
    """A past turn from the seat's own point of view."""

    turn: int
    choice: dict[str, int]
    stats: dict[str, float]
    score: float | None
    rank: int | None
    consequences: list[str]


class SeatView(BaseModel):
    """Everything `seat` may see now."""

    seat: int
    name: str
    role: str
    employed: bool
    turn: int
    turns: int
    turn_name: str
    phase: str
    revealed: bool = Field(description="True at the end: nothing is hidden any more.")
    metrics: list[MetricReading]
    policies: dict[str, int]
    own_stats: dict[str, float]
    own_choice: dict[str, int] | None
    own_history: list[OwnTurn]
    score: float
    rank: int
    score_total: float
    others: list[OtherSeat]
    leaderboards: dict[str, list[LeaderRow]]
    news: list[Headline]
    waiting_for: list[int]


@lru_cache(maxsize=65536)
def _noise(seed: int, index: int, role: str, metric: str) -> float:
    return unit_normal(seed, "view", index, role, metric)


def _reading(state: GameState, metric: Metric, role: str, revealed: bool) -> MetricReading:
    """The metric through the role's visibility rule."""
    series = [metric.initial] + [h.metrics[metric.id] for h in state.history]
    rule = metric.visibility_for(role)
    note = "live"
    shown: list[float | None] = list(series)
    if not revealed:
        if rule.hidden:
            shown, note = [None] * len(series), "hidden until the end"
        else:
            if rule.lag:
                shown = shown[:max(1, len(shown) - rule.lag)]
                note = f"{rule.lag} {'turn' if rule.lag == 1 else 'turns'} behind"
            if rule.noise:
                span = (metric.max - metric.min) * rule.noise
                shown = [min(metric.max, max(metric.min, v + span * _noise(state.seed, i, role,
                                                                            metric.id)))
                         for i, v in enumerate(shown)]
                note = "estimate" if note == "live" else note + ", estimate"
    return construct(MetricReading,
        id=metric.id, name=metric.name, kind=metric.kind, unit=metric.unit, min=metric.min,
        max=metric.max, higher_is_better=metric.higher_is_better, value=shown[-1],
        history=shown, note=note)


def _own_stats(rules: Rules, seat: SeatState, stats: dict[str, float], revealed: bool) -> dict:
    return {k: v for k, v in stats.items() if revealed or not rules.stat_specs[k].hidden_from_self}


def _own_history(rules: Rules, state: GameState, seat: SeatState, revealed: bool) -> list[OwnTurn]:
    out = []
    for h in state.history:
        row = next((r for rows in h.reviews.values() for r in rows if r.seat == seat.index), None)
        out.append(construct(OwnTurn,
            turn=h.turn, choice=dict(h.allocations.get(seat.index, {})),
            stats=_own_stats(rules, seat, h.stats.get(seat.index, {}), revealed),
            score=row.score if row else None, rank=row.rank if row else None,
            consequences=list(row.consequences) if row else []))
    return out


def _others(rules: Rules, state: GameState, seat: int, revealed: bool) -> list[OtherSeat]:
    if revealed:
        public = set(rules.stat_public)
    else:
        names = frozenset().union(*(f.names for f in rules.stat_public.values()))
        genv = global_env_for(rules, state, names)
        public = {sid for sid, f in rules.stat_public.items() if f(genv)}
    return [construct(OtherSeat, index=s.index, name=s.name, role=s.role, employed=s.employed,
                                      stats={k: v for k, v in s.stats.items() if k in public})
            for s in state.seats if s.index != seat]


def _leaderboards(rules: Rules, state: GameState, revealed: bool) -> dict[str, list[LeaderRow]]:
    if not state.history:
        return {}
    last = state.history[-1]
    return {role: [construct(LeaderRow, rank=r.rank, seat=r.seat,
                                             name=state.seats[r.seat].name, score=r.score)
                   for r in rows]
            for role, rows in last.reviews.items() if revealed or rules.reviews[role].leaderboard}


def view(rules: Rules, state: GameState, seat: int) -> SeatView:
    """Exactly what `seat` may see of `state`."""
    me = state.seats[seat]
    revealed = state.phase == "ended"
    return construct(SeatView,
        seat=seat, name=me.name, role=me.role, employed=me.employed, turn=state.turn,
        turns=rules.scenario.turns, turn_name=rules.scenario.turn_name, phase=state.phase,
        revealed=revealed,
        metrics=[_reading(state, m, me.role, revealed) for m in rules.scenario.metrics],
        policies=dict(state.policies),
        own_stats=_own_stats(rules, me, me.stats, revealed),
        own_choice=dict(state.submitted[seat]) if seat in state.submitted else None,
        own_history=_own_history(rules, state, me, revealed),
        score=me.score, rank=me.rank, score_total=me.score_total,
        others=_others(rules, state, seat, revealed),
        leaderboards=_leaderboards(rules, state, revealed),
        news=_all_news(state),
        waiting_for=to_act(rules, state))


def _all_news(state: GameState) -> list[Headline]:
    """Every headline so far, oldest first."""
    past = [h for rec in state.history for h in rec.news]
    return past + list(state.news)
