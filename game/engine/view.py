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
from game.engine.state import GameState, Headline, ReviewRow, SeatState, TurnRecord
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


def _shown(metric: Metric, role: str, revealed: bool,
           series: tuple[float | None, ...]) -> tuple[tuple[float | None, ...], str]:
    """The history a role is shown through its visibility rule, and the note that says how;
    `series` is the history as the role sees it during play (see `_seen`), before any lag."""
    rule = metric.visibility_for(role)
    if revealed:
        return series, "live"
    if rule.hidden:
        return series, "hidden until the end"
    note = "live"
    if rule.lag:
        series = series[:max(1, len(series) - rule.lag)]
        note = f"{rule.lag} {'turn' if rule.lag == 1 else 'turns'} behind"
    if rule.noise:
        note = "estimate" if note == "live" else note + ", estimate"
    return series, note


def _seen(metric: Metric, role: str | None, seed: int, index: int, value: float) -> float | None:
    """The value of `metric` at history `index` as `role` sees it during play (None: the
    true value, as revealed at the end)."""
    if role is None:
        return value
    rule = metric.visibility_for(role)
    if rule.hidden:
        return None
    if rule.noise:
        span = (metric.max - metric.min) * rule.noise
        return min(metric.max, max(metric.min, value + span * _noise(seed, index, role, metric.id)))
    return value


_SERIES_LIMIT = 4096
_SERIES: dict[tuple, tuple[Rules, tuple[TurnRecord, ...], dict[str, tuple], list]] = {}


def _histories(rules: Rules, state: GameState, role: str,
               revealed: bool) -> list[tuple[Metric, tuple, str]]:
    """(metric, history shown to the role, note) for every metric, in file order.

    Memoised on the history records themselves (never mutated; the memo holds them, so their
    ids stay unique); a new turn extends the previous turn's series (`_seen`, before lag)."""
    ids = tuple(map(id, state.history))
    key = (id(rules), state.seed, role, revealed, ids)
    entry = _SERIES.get(key)
    if entry is not None and entry[0] is rules:
        return entry[3]
    seer = None if revealed else role
    prev = _SERIES.get(key[:4] + (ids[:-1],)) if ids else None
    if prev is not None and prev[0] is rules:
        last, n = state.history[-1], len(ids)
        series = {m.id: prev[2][m.id] + (_seen(m, seer, state.seed, n, last.metrics[m.id]),)
                  for m in rules.scenario.metrics}
    else:
        series = {m.id: tuple(_seen(m, seer, state.seed, i, v) for i, v in enumerate(
                      [m.initial] + [h.metrics[m.id] for h in state.history]))
                  for m in rules.scenario.metrics}
    if len(_SERIES) >= _SERIES_LIMIT:
        _SERIES.clear()
    shown = [(m, *_shown(m, role, revealed, series[m.id])) for m in rules.scenario.metrics]
    _SERIES[key] = (rules, tuple(state.history), series, shown)
    return shown


def _own_stats(rules: Rules, seat: SeatState, stats: dict[str, float], revealed: bool) -> dict:
    hidden = rules.hidden_from_self
    if revealed or not hidden:
        return dict(stats)
    return {k: v for k, v in stats.items() if k not in hidden}


def _own_history(rules: Rules, state: GameState, seat: SeatState, revealed: bool) -> list[OwnTurn]:
    out = []
    for h in state.history:
        row = _rows_by_seat(h).get(seat.index)
        out.append(construct(OwnTurn,
            turn=h.turn, choice=dict(h.allocations.get(seat.index, {})),
            stats=_own_stats(rules, seat, h.stats.get(seat.index, {}), revealed),
            score=row.score if row else None, rank=row.rank if row else None,
            consequences=list(row.consequences) if row else []))
    return out


_ROWS_LIMIT = 65536
_ROWS: dict[int, tuple[TurnRecord, dict[int, ReviewRow]]] = {}


def _rows_by_seat(record: TurnRecord) -> dict[int, ReviewRow]:
    """A turn's review rows by seat (memoised on the record, which is never mutated; the memo
    holds it, so its id stays unique)."""
    entry = _ROWS.get(id(record))
    if entry is None or entry[0] is not record:
        if len(_ROWS) >= _ROWS_LIMIT:
            _ROWS.clear()
        rows: dict[int, ReviewRow] = {}
        for role_rows in record.reviews.values():
            for r in role_rows:
                rows.setdefault(r.seat, r)
        entry = _ROWS[id(record)] = (record, rows)
    return entry[1]


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
        metrics=_readings(rules, state, me.role, revealed),
        policies=dict(state.policies),
        own_stats=_own_stats(rules, me, me.stats, revealed),
        own_choice=dict(state.submitted[seat]) if seat in state.submitted else None,
        own_history=_own_history(rules, state, me, revealed),
        score=me.score, rank=me.rank, score_total=me.score_total,
        others=_others(rules, state, seat, revealed),
        leaderboards=_leaderboards(rules, state, revealed),
        news=_all_news(state),
        waiting_for=to_act(rules, state))


def _readings(rules: Rules, state: GameState, role: str, revealed: bool) -> list[MetricReading]:
    """Every metric as the role sees it, in file order."""
    return [construct(MetricReading,
                id=m.id, name=m.name, kind=m.kind, unit=m.unit, min=m.min, max=m.max,
                higher_is_better=m.higher_is_better, value=shown[-1], history=list(shown),
                note=note)
            for m, shown, note in _histories(rules, state, role, revealed)]


def _all_news(state: GameState) -> list[Headline]:
    """Every headline so far, oldest first."""
    past = [h for rec in state.history for h in rec.news]
    return past + list(state.news)
