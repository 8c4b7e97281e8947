"""The state of a batch of games as arrays (`Batch`), gathered from GameStates before a turn is
resolved (`gather`) and scattered back into them after it (`scatter`).

Every game of a batch plays the same scenario at the same table (the same roles in the same
seats) and is at the same turn; everything else (seeds, metrics, stats, employment, choices,
what is pending or in transit, events fired) may differ. Pending changes and shipments are rows
(`Push`, `Shipment`) with an amount per game and a mask of the games that hold them: a game's
list is its present rows, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
from pydantic import TypeAdapter

from game.engine.batch.layout import Layout, layout_for
from game.engine.batch.lists import GameLists
from game.engine.batch.recorded import Allocations, Reviews
from game.engine.batch.streams import Bank
from game.engine.state import (
    GameState,
    Pending,
    Transit,
    TurnRecord,
)
from game.scenario.rules import Rules


@dataclass(slots=True)
class Push:
    """A delayed change (one Pending per game where `present`): `seat` None for a metric."""

    due: int
    target: str
    seat: int | None
    mode: str
    direct: bool
    amount: np.ndarray
    present: np.ndarray


@dataclass(slots=True)
class Shipment:
    """An amount of a flow in transit to seat `seat`, due in turn `due`, where `present`."""

    flow: str
    due: int
    seat: int
    amount: np.ndarray
    present: np.ndarray


@dataclass(slots=True)
class Recorded:
    """What a turn's history record holds, taken after its review (see `scatter`)."""

    metrics: np.ndarray
    stats: np.ndarray
    news: GameLists
    """Each game's headlines of the turn (`Batch.news`)."""
    reviews: Reviews
    """The turn's review as arrays (`Batch.reviews`); each game's rows made on demand."""
    allocations: Allocations | None = None
    """The allocations the turn resolved with (`Batch.allocations`, which the next turn
    replaces): kept for a history made without the states (game.engine.batch.history)."""
    effort: np.ndarray | None = None
    """A copy of the turn's `Batch.effort` (G, S, B), for the same (the records' effort)."""


@dataclass(slots=True)
class Batch:
    """G games of one scenario at one table and turn, as arrays (see the module)."""

    rules: Rules
    layout: Layout
    seeds: list[int]
    turn: int
    metrics: np.ndarray
    """(G, M) float64."""
    carry: np.ndarray
    """(G, M) the part of each metric's pushes still waiting (inertia)."""
    policies: np.ndarray
    """(G, P) int64 levels."""
    stats: np.ndarray
    """(G, S, T) float64; 0.0 where the seat's role lacks the stat (`Layout.has_stat`)."""
    employed: np.ndarray
    """(G, S) bool; a new array at every change, never written in place (its headcounts
    are counted once per array: game.engine.batch.env `headcounts`)."""
    laid_off_turn: np.ndarray
    """(G, S) int64, -1 for none."""
    score: np.ndarray
    score_total: np.ndarray
    rank: np.ndarray
    """(G, S) int64."""
    effort: np.ndarray
    """(G, S, B) points per behaviour this turn (0.0 when none)."""
    numbers: np.ndarray
    """(G, S, D) each seat's number per decision this turn, the initial one when not chosen."""
    allocated: np.ndarray
    """(G, S) whether the seat has a (non-empty) allocation this turn."""
    allocations: Allocations
    """Each game's allocations as the state holds them (for the record), made on demand."""
    pending: list[Push] = field(default_factory=list)
    transit: list[Shipment] = field(default_factory=list)
    fired: GameLists = field(default_factory=lambda: GameLists(0))
    """Each game's events fired so far (ids, in the order they fired)."""
    news: GameLists = field(default_factory=lambda: GameLists(0))
    """Each game's headlines of the current turn."""
    fired_events: np.ndarray | None = None
    """(G, E) whether each event of the rules (in file order) is in each game's `fired`:
    made from `fired` when the news first needs it, then kept by the news as events fire
    (game.engine.batch.news; a new array at every change, never written in place)."""
    reviews: Reviews = field(default_factory=lambda: Reviews(0))
    """This turn's review, role by role in review order (the review step sets it)."""
    recorded: Recorded | None = None
    ended: bool = False
    cache: dict = field(default_factory=dict)
    """Values fixed for a turn (keyed draws, neighbours), by name: see game.engine.batch.env."""
    bank: Bank | None = None
    """The first words of its coming turns' main streams, seeded together (`streams.lanes_of`)."""

    @property
    def size(self) -> int:
        """The number of games G."""
        return len(self.seeds)


def _rows(lists: list[list], key, make) -> list:
    """Rows for per-game lists of items: the n-th item of each game goes into a row keyed by
    (n, key(item)), present only in the games that hold it; rows in order of n, so a game's
    present rows are its list in order. `make(item-key, amounts, present)` builds a row."""
    count = len(lists)
    found: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    for g, items in enumerate(lists):
        for n, item in enumerate(items):
            k = (n, key(item))
            row = found.get(k)
            if row is None:
                row = found[k] = (np.zeros(count), np.zeros(count, dtype=bool))
            row[0][g] = item.amount
            row[1][g] = True
    rows = sorted(found.items(), key=lambda entry: entry[0][0])  # stable: by n only
    return [make(k[1], amount, present) for k, (amount, present) in rows]


def gather(rules: Rules, states: list[GameState]) -> Batch:
    """The batch of `states` (same scenario, table, turn and phase); the states are not
    changed. ValueError if there are none or they do not share those."""
    _check_alike(rules, states)
    first = states[0]
    layout = layout_for(rules, tuple(seat.role for seat in first.seats))
    g, s = len(states), layout.seats
    stats = np.zeros((g, s, len(layout.stat_ids)))
    for n, state in enumerate(states):
        for seat in state.seats:
            for sid, value in seat.stats.items():
                stats[n, seat.index, layout.stat(sid)] = value
    effort, numbers, allocated = _choices(layout, states)
    seats = [st.seats for st in states]
    return Batch(
        rules=rules, layout=layout, seeds=[st.seed for st in states], turn=first.turn,
        metrics=_table([st.metrics for st in states], layout.metric_ids, float),
        carry=_table([st.carry for st in states], layout.metric_ids, float),
        policies=_table([st.policies for st in states], layout.policy_ids, np.int64),
        stats=stats,
        employed=_seat_table(seats, lambda x: x.employed, bool),
        laid_off_turn=_seat_table(
            seats, lambda x: -1 if x.laid_off_turn is None else x.laid_off_turn, np.int64),
        score=_seat_table(seats, lambda x: x.score, float),
        score_total=_seat_table(seats, lambda x: x.score_total, float),
        rank=_seat_table(seats, lambda x: x.rank, np.int64),
        effort=effort, numbers=numbers, allocated=allocated,
        allocations=Allocations(len(states), [st.allocations for st in states]),
        pending=_rows([st.pending for st in states],
                      lambda p: (p.due, p.target, p.seat, p.mode, p.direct),
                      lambda k, amount, present: Push(*k, amount, present)),
        transit=_rows([st.transit for st in states], lambda t: (t.flow, t.due, t.seat),
                      lambda k, amount, present: Shipment(*k, amount, present)),
        fired=GameLists([st.fired for st in states]), news=GameLists([st.news for st in states]),
        reviews=Reviews(len(states)))


def _table(rows: list[dict], ids: tuple[str, ...], dtype) -> np.ndarray:
    """(G, len(ids)): each game's values of `ids`, from its dict in `rows`."""
    return np.array([[row[k] for k in ids] for row in rows], dtype=dtype).reshape(len(rows), -1)


def _seat_table(seats: list[list], value, dtype) -> np.ndarray:
    """(G, S): `value(seat)` of every seat of every game."""
    return np.array([[value(x) for x in row] for row in seats], dtype=dtype).reshape(
        len(seats), -1)


def take_choices(batch: Batch, states: list[GameState]) -> None:
    """Set the batch's choices of its turn (policy levels, allocations) from `states`: the
    games it was gathered from and scattered into, in order, whose seats have chosen since
    (everything else the batch holds is theirs already). ValueError if they are other games
    or at another turn."""
    if [st.seed for st in states] != batch.seeds or any(st.turn != batch.turn
                                                         for st in states):
        raise ValueError("the choices of other games, or of another turn, than the batch's")
    layout = batch.layout
    batch.policies = _table([st.policies for st in states], layout.policy_ids, np.int64)
    batch.effort, batch.numbers, batch.allocated = _choices(layout, states)
    batch.allocations = Allocations(len(states), [st.allocations for st in states])


def _check_alike(rules: Rules, states: list[GameState]) -> None:
    """Raise ValueError unless `states` are games of `rules`' scenario at one table, turn
    and phase (what a batch shares)."""
    if not states:
        raise ValueError("a batch needs at least one game")
    first = states[0]
    table = [seat.role for seat in first.seats]
    for state in states:
        if state.scenario_id != rules.scenario.id:
            raise ValueError(f"game of seed {state.seed} plays '{state.scenario_id}', "
                             f"not '{rules.scenario.id}'")
        if (state.turn, state.phase) != (first.turn, first.phase):
            raise ValueError(f"game of seed {state.seed} is at turn {state.turn} "
                             f"({state.phase}), not {first.turn} ({first.phase})")
        if [seat.role for seat in state.seats] != table:
            raise ValueError(f"game of seed {state.seed} has another table than the first")


def _choices(layout: Layout, states: list[GameState]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(effort (G, S, B), numbers (G, S, D), allocated (G, S)) from the states' allocations."""
    g, s = len(states), layout.seats
    effort = np.zeros((g, s, len(layout.behaviour_ids)))
    numbers = np.broadcast_to(layout.decision_initial, (g, s, len(layout.decision_ids))).copy()
    allocated = np.zeros((g, s), dtype=bool)
    behaviours = {b: n for n, b in enumerate(layout.behaviour_ids)}
    decisions = {d: n for n, d in enumerate(layout.decision_ids)}
    for n, state in enumerate(states):
        for seat, choice in state.allocations.items():
            allocated[n, seat] = bool(choice)
            for key, value in choice.items():
                if key in behaviours:
                    effort[n, seat, behaviours[key]] = value
                elif key in decisions:
                    numbers[n, seat, decisions[key]] = value
    return effort, numbers, allocated


def scatter(batch: Batch, states: list[GameState], record: bool = True) -> None:
    """Write the batch back into `states` (those it was gathered from, in order): metrics,
    carry, seats, pending, transit, fired, news, turn and phase, allocations cleared; with
    `record`, append each game's TurnRecord of the turn resolved (`batch.recorded`).

    Every array is turned into Python lists once for the whole batch; each game's dicts
    (metrics, carry, a seat's stats) are updated in place, keeping their order (see
    `_scatter_seats`)."""
    layout = batch.layout
    metric_ids = layout.metric_ids
    rec = batch.recorded if record else None
    kept = (rec.metrics.tolist(), _Stats(layout, rec.stats.tolist())) if rec else None
    reviews = rec.reviews.of_games(range(batch.size)) if rec else None
    metrics = _listed(batch.metrics, rec and rec.metrics, kept and kept[0])
    stats = _Stats(layout, _listed(batch.stats, rec and rec.stats, kept and kept[1].rows))
    carry = batch.carry.tolist()
    seats = (batch.employed.tolist(), batch.laid_off_turn.tolist(), batch.score.tolist(),
             batch.rank.tolist(), batch.score_total.tolist())
    pending = _PENDING.validate_python(_per_game(batch.size, batch.pending, lambda p, amount: {
        "due": p.due, "target": p.target, "seat": p.seat, "amount": amount, "mode": p.mode,
        "direct": p.direct}))
    transit = _TRANSIT.validate_python(_per_game(batch.size, batch.transit, lambda t, amount: {
        "flow": t.flow, "due": t.due, "seat": t.seat, "amount": amount}))
    for g, state in enumerate(states):
        ids = [tuple(seat.stats) for seat in state.seats]
        _scatter_seats(state, stats, g, ids, [column[g] for column in seats])
        if kept is not None:  # (the seats' stats now are the recorded ones if shared)
            shared = stats.rows[g] is kept[1].rows[g]
            state.history.append(_record(batch, g, state, (kept[0][g], reviews[g]),
                                         None if shared else kept[1], ids))
        state.metrics.update(zip(metric_ids, metrics[g]))
        state.carry.update(zip(metric_ids, carry[g]))
        _scatter_rest(batch, g, state, pending[g], transit[g])


def _scatter_rest(batch: Batch, g: int, state: GameState, pending: list[Pending],
                  transit: list[Transit]) -> None:
    """Write game `g`'s pending changes, shipments, fired events, news, turn and phase into
    `state`, leaving alone what did not change (an empty list stays the list it is)."""
    if pending or state.pending:
        state.pending = pending
    if transit or state.transit:
        state.transit = transit
    if state.fired != batch.fired[g]:
        state.fired = list(batch.fired[g])
    if state.news or batch.news[g]:
        state.news = list(batch.news[g])
    if state.turn != batch.turn:
        state.allocations = {}
        state.turn = batch.turn
    if batch.ended:
        state.phase = "ended"


_PENDING = TypeAdapter(list[list[Pending]])
_TRANSIT = TypeAdapter(list[list[Transit]])
"""Validate every game's pending changes (shipments) in one call: a sixth of the cost of
`model_construct` for each (the values have their fields' types; validation keeps them)."""


def _per_game(games: int, rows: list, make) -> list[list]:
    """Each game's list of `make(row, amount)` for the rows present in it, in row order."""
    out: list[list] = [[] for _ in range(games)]
    for row in rows:
        amounts = row.amount.tolist()
        for g in np.flatnonzero(row.present).tolist():
            out[g].append(make(row, amounts[g]))
    return out


class _Stats:
    """Stats (G, S, T) as Python lists (`rows`), and each seat's picked by the ids of its dict, in
    its dict's order (its role's stats, `stats_of`)."""

    __slots__ = ("index", "pickers", "rows")

    def __init__(self, layout: Layout, rows: list) -> None:
        self.rows = rows
        self.index = layout.stat
        self.pickers: dict[tuple[str, ...], Callable[[list], tuple]] = {}

    def of(self, g: int, k: int, ids: tuple[str, ...]) -> tuple:
        """Seat k's values of the stats `ids` in game g, in that order."""
        pick = self.pickers.get(ids)
        if pick is None:
            pick = self.pickers[ids] = _picker([self.index(sid) for sid in ids])
        return pick(self.rows[g][k])


def _listed(values: np.ndarray, recorded: np.ndarray | None, listed: list | None) -> list:
    """`values.tolist()` (one row per game), sharing the row of `listed` (the `recorded`
    values as lists) in every game where the values are the recorded ones bit for bit (the
    next turn's news moved nothing there): the record and the state then hold the same
    floats, built once."""
    if recorded is None:
        return values.tolist()
    moved = (values.view(np.int64) != recorded.view(np.int64)).reshape(len(values), -1)
    games = np.flatnonzero(moved.any(axis=1))
    if not len(games):
        return listed
    out = list(listed)
    for g, row in zip(games.tolist(), values[games].tolist()):
        out[g] = row
    return out


def _picker(columns: list[int]) -> Callable[[list], tuple]:
    """A function of a list returning its items at `columns`, as a tuple."""
    if len(columns) > 1:
        return itemgetter(*columns)
    if columns:
        column = columns[0]
        return lambda row: (row[column],)
    return lambda row: ()


def _scatter_seats(state: GameState, stats: _Stats, g: int, ids: list[tuple[str, ...]],
                   values: list[list]) -> None:
    """Write game `g`'s seats back into `state`'s seats: each stats dict in place (its
    order, `ids`, is the order its values are dumped in), and `values`, the game's
    (employed, laid-off turn, score, rank, score total) by seat; employment and the lay-off
    turn are set only where they changed."""
    employed, laid, score, rank, total = values
    for k, seat in enumerate(state.seats):
        seat.stats.update(zip(ids[k], stats.of(g, k, ids[k])))
        if seat.employed != employed[k]:
            seat.employed = employed[k]
        if laid[k] >= 0 and seat.laid_off_turn != laid[k]:
            seat.laid_off_turn = laid[k]
        seat.score, seat.rank, seat.score_total = score[k], rank[k], total[k]


def _record(batch: Batch, g: int, state: GameState, kept: tuple[list, dict],
            stats: _Stats | None, ids: list[tuple[str, ...]]) -> TurnRecord:
    """Game `g`'s record of the turn resolved, from its recorded metrics (M) and review rows
    (`kept`) and the recorded stats of the batch (`stats`), each seat's in the order of its
    dict (`ids`); with `stats` None, the seats' stats are the recorded ones already (copied)."""
    metrics, reviews = kept
    rec = batch.recorded
    seats = {}
    for k, seat in enumerate(state.seats):
        seats[seat.index] = (dict(seat.stats) if stats is None
                             else dict(zip(ids[k], stats.of(g, seat.index, ids[k]))))
    return TurnRecord.model_construct(  # every value has its field's type already
        turn=state.turn,
        metrics=dict(zip(batch.layout.metric_ids, metrics)),
        policies=dict(state.policies),
        allocations={k: dict(v) for k, v in state.allocations.items()},
        stats=seats, reviews=reviews, news=list(rec.news[g]))
