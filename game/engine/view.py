"""What one seat may see: the only door out of the engine for screens and bots.

During play a seat sees metrics through its role's visibility rules (live, lagged, noisy,
hidden), its own stats except those hidden from itself, other seats' stats only while they are
public, the published leaderboards, the news and the active policies. Nobody sees another
seat's choices. When the game has ended everything is revealed for the debrief.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from game.engine.actions import construct, to_act
from game.engine.env import global_env_for
from game.engine.rng import unit_normal
from game.engine.state import GameState, Headline, ReviewRow, SeatState, TurnRecord
from game.scenario.model import Metric
from game.scenario.rules import Rules


class MetricReading(BaseModel):
    """A metric as one seat sees it; `value` is None while hidden. Frozen: readings are
    memoised and shared by every view of the same turn and role."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    kind: str
    unit: str
    min: float
    max: float
    higher_is_better: bool
    value: float | None
    history: tuple[float | None, ...] = Field(
        description="From the start, one value per turn seen.")
    note: str = "live"


class OtherSeat(BaseModel):
    """Another seat: who it is, and only the stats that are public right now (frozen: the
    views of one state share it, see `views`)."""

    model_config = ConfigDict(frozen=True)

    index: int
    name: str
    role: str
    employed: bool
    stats: dict[str, float]


class LeaderRow(BaseModel):
    """One row of a published leaderboard (frozen: shared by every view of the turn)."""

    model_config = ConfigDict(frozen=True)

    rank: int
    seat: int
    name: str
    score: float


class OwnTurn(BaseModel):
    """A past turn from the seat's own point of view (frozen: built once per turn and seat,
    then shared by that seat's later views)."""

    model_config = ConfigDict(frozen=True)

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


class _RecordMemo:
    """Values computed from immutable history records, keyed on the records' ids.

    A `TurnRecord` is never mutated once appended, so anything derived from it can be kept.
    The memo holds the records themselves, so their ids stay unique while they are keys; it
    is emptied when it grows past `limit` (a cache, never a source of truth)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.entries: dict[tuple, tuple[tuple[TurnRecord, ...], object]] = {}

    def get(self, records: tuple[TurnRecord, ...], extra: tuple) -> object | None:
        entry = self.entries.get((tuple(map(id, records)), extra))
        return entry[1] if entry is not None else None

    def put(self, records: tuple[TurnRecord, ...], extra: tuple, value: object) -> object:
        if len(self.entries) >= self.limit:
            self.entries.clear()
        self.entries[(tuple(map(id, records)), extra)] = (records, value)
        return value


# A game needs about 24 + 60 + 12 + 12 entries (readings per role, own turns per seat, boards
# and rows per turn) and only while it runs; small limits keep few finished games alive.
_SERIES = _RecordMemo(1024)
"""(records, (rules id, seed, role, revealed)) -> (rules, series by metric, readings)."""
_OWN = _RecordMemo(4096)
"""((record,), (seat, revealed)) -> OwnTurn."""
_BOARDS = _RecordMemo(1024)
"""((record,), (revealed,)) -> role -> tuple of LeaderRow."""
_ROWS = _RecordMemo(1024)
"""((record,), ()) -> seat -> ReviewRow."""


def _readings(rules: Rules, state: GameState, role: str,
              revealed: bool) -> tuple[MetricReading, ...]:
    """Every metric as `role` sees it, in file order (frozen readings, memoised).

    A new turn extends the previous turn's series (`_seen`, before lag), so a game costs one
    `_seen` per metric and turn."""
    records = tuple(state.history)
    extra = (id(rules), state.seed, role, revealed)
    entry = _SERIES.get(records, extra)
    if entry is not None and entry[0] is rules:
        return entry[2]
    seer = None if revealed else role
    prev = _SERIES.get(records[:-1], extra) if records else None
    metrics = rules.scenario.metrics
    if prev is not None and prev[0] is rules:
        last, n = records[-1], len(records)
        series = {m.id: prev[1][m.id] + (_seen(m, seer, state.seed, n, last.metrics[m.id]),)
                  for m in metrics}
    else:
        series = {m.id: tuple(_seen(m, seer, state.seed, i, v) for i, v in enumerate(
                      [m.initial] + [h.metrics[m.id] for h in records]))
                  for m in metrics}
    readings = []
    for m in metrics:
        shown, note = _shown(m, role, revealed, series[m.id])
        readings.append(construct(
            MetricReading, id=m.id, name=m.name, kind=m.kind, unit=m.unit, min=m.min,
            max=m.max, higher_is_better=m.higher_is_better, value=shown[-1], history=shown,
            note=note))
    _SERIES.put(records, extra, (rules, series, tuple(readings)))
    return tuple(readings)


def _own_stats(rules: Rules, stats: dict[str, float], revealed: bool) -> dict:
    hidden = rules.hidden_from_self
    if revealed or not hidden:
        return dict(stats)
    return {k: v for k, v in stats.items() if k not in hidden}


def _own_history(rules: Rules, state: GameState, seat: int, revealed: bool) -> list[OwnTurn]:
    """The seat's past turns, oldest first (each built once, then shared)."""
    out = []
    extra = (seat, revealed)
    for h in state.history:
        key = (h,)
        turn = _OWN.get(key, extra)
        if turn is None:
            row = _rows_by_seat(h).get(seat)
            turn = _OWN.put(key, extra, construct(
                OwnTurn, turn=h.turn, choice=dict(h.allocations.get(seat, {})),
                stats=_own_stats(rules, h.stats.get(seat, {}), revealed),
                score=row.score if row else None, rank=row.rank if row else None,
                consequences=list(row.consequences) if row else []))
        out.append(turn)
    return out


def _rows_by_seat(record: TurnRecord) -> dict[int, ReviewRow]:
    """A turn's review rows by seat."""
    rows = _ROWS.get((record,), ())
    if rows is None:
        rows = {}
        for role_rows in record.reviews.values():
            for r in role_rows:
                rows.setdefault(r.seat, r)
        _ROWS.put((record,), (), rows)
    return rows


def _public_stats(rules: Rules, state: GameState, revealed: bool):
    """The stat ids every seat may see of the others now, in file order."""
    if revealed:
        return tuple(rules.stat_public)
    names = frozenset().union(*(f.names for f in rules.stat_public.values()))
    genv = global_env_for(rules, state, names)
    return tuple(sid for sid, f in rules.stat_public.items() if f(genv))


def _as_other(seat: SeatState, public: tuple[str, ...]) -> OtherSeat:
    """`seat` as the other seats see it: only its public stats (in the seat's own order,
    which is file order, as `public` is)."""
    stats = seat.stats
    return construct(OtherSeat, index=seat.index, name=seat.name, role=seat.role,
                     employed=seat.employed,
                     stats={sid: stats[sid] for sid in public if sid in stats})


def _leaderboards(rules: Rules, state: GameState,
                  revealed: bool) -> dict[str, tuple[LeaderRow, ...]]:
    """The last review's published leaderboards (rows built once per turn, then shared)."""
    if not state.history:
        return {}
    last = (state.history[-1],)
    boards = _BOARDS.get(last, (revealed,))
    if boards is None:
        boards = _BOARDS.put(last, (revealed,), {
            role: tuple(construct(LeaderRow, rank=r.rank, seat=r.seat,
                                  name=state.seats[r.seat].name, score=r.score) for r in rows)
            for role, rows in last[0].reviews.items()
            if revealed or rules.reviews[role].leaderboard})
    return boards


def view(rules: Rules, state: GameState, seat: int) -> SeatView:
    """Exactly what `seat` may see of `state`."""
    return views(rules, state, (seat,))[0]


def views(rules: Rules, state: GameState, seats: Sequence[int]) -> list[SeatView]:
    """`[view(rules, state, s) for s in seats]`, with what the seats have in common built
    once: the others as seen from outside, the readings of each role, the leaderboards and
    the news. Parts that depend only on past turns are frozen objects built once per turn
    and shared between views; everything else is built afresh for each call."""
    revealed = state.phase == "ended"
    public = _public_stats(rules, state, revealed)
    outside = [_as_other(s, public) for s in state.seats]
    boards = _leaderboards(rules, state, revealed)
    news = _all_news(state)
    waiting = to_act(rules, state)
    scenario = rules.scenario
    out = []
    for seat in seats:
        me = state.seats[seat]
        out.append(construct(SeatView,
            seat=seat, name=me.name, role=me.role, employed=me.employed, turn=state.turn,
            turns=scenario.turns, turn_name=scenario.turn_name, phase=state.phase,
            revealed=revealed,
            metrics=list(_readings(rules, state, me.role, revealed)),
            policies=dict(state.policies),
            own_stats=_own_stats(rules, me.stats, revealed),
            own_choice=dict(state.submitted[seat]) if seat in state.submitted else None,
            own_history=_own_history(rules, state, seat, revealed),
            score=me.score, rank=me.rank, score_total=me.score_total,
            others=[o for o in outside if o.index != seat],
            leaderboards={role: list(rows) for role, rows in boards.items()},
            news=list(news), waiting_for=list(waiting)))
    return out


def _all_news(state: GameState) -> list[Headline]:
    """Every headline so far, oldest first."""
    past = [h for rec in state.history for h in rec.news]
    return past + list(state.news)
