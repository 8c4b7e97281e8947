"""The history of a batch's games kept as arrays, and their GameStates made from it on demand.

A loop that keeps its games as one `Batch` from the first turn to the last (the simulator's
chunks) never needs a GameState during play: `History.keep(batch)` after each
`resolve_turn` keeps what the turn's record holds (references to the arrays and lists the
turn made, and a copy of the policy levels it resolved under), and `export_states` builds the
pydantic states of the games asked for, equal to those `Game` would have (the same values, dict
orders and float signs, history records included): at the end of the games, or, during play,
at the opening of a policy phase (or of the work phase that follows it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import TypeAdapter

from game.engine.actions import construct_from
from game.engine.batch.layout import Layout
from game.engine.batch.state import Batch, Recorded
from game.engine.state import (
    GameState,
    Pending,
    Phase,
    SeatSetup,
    SeatState,
    Transit,
    TurnRecord,
)
from game.scenario.rules import Rules


@dataclass(frozen=True, slots=True)
class Kept:
    """One resolved turn of every game of a batch: the record the turn made
    (`Batch.recorded`: metrics and stats after the review, news, review rows, allocations
    and effort) and the policy levels it resolved under, (G, P)."""

    turn: int
    recorded: Recorded
    policies: np.ndarray


class History:
    """What each resolved turn's record holds for every game of one batch, kept from the
    batch (no GameState): `keep` it right after each `resolve_turn`, from the first turn on."""

    __slots__ = ("games", "turns")

    def __init__(self) -> None:
        self.turns: list[Kept] = []
        self.games: int | None = None

    def keep(self, batch: Batch) -> None:
        """Keep the turn `resolve_turn` has just resolved (the batch is at the next turn, or
        ended): its record, whose arrays and lists no later turn changes, and a copy of the
        policy levels it resolved under. ValueError if that turn is not the one after the
        last kept (or the first), or the batch has another number of games."""
        recorded = batch.recorded
        if recorded is None or recorded.allocations is None:
            raise ValueError("the batch has no resolved turn to keep")
        turn = batch.turn - 1
        expected = self.turns[-1].turn + 1 if self.turns else 1
        if turn != expected or recorded is (self.turns[-1].recorded if self.turns else None):
            raise ValueError(f"turn {turn} kept where turn {expected} was due")
        if self.games is not None and batch.size != self.games:
            raise ValueError(f"a batch of {batch.size} games, not {self.games}")
        self.games = batch.size
        self.turns.append(Kept(turn, recorded, batch.policies.copy()))


_PENDING = TypeAdapter(list[list[Pending]])
_TRANSIT = TypeAdapter(list[list[Transit]])
"""Every exported game's pending changes (shipments) validated in one call, as `scatter`
makes them."""


@dataclass(frozen=True, slots=True)
class _Seats:
    """Each seat's stat ids in the order of its state's dict (its role's stats, as
    `Game.new_state` lists them), and `columns`, (S, C): where each seat's stats are in a
    game's stats flattened to (S * T), in that order, padded to the most any seat has (the
    padding is cut off by zipping with the ids)."""

    ids: tuple[tuple[str, ...], ...]
    columns: np.ndarray


def _seats(rules: Rules, layout: Layout) -> _Seats:
    """The `_Seats` of the batch's table."""
    ids = tuple(tuple(st.id for st in rules.scenario.stats_of(role)) for role in layout.roles)
    width, most = len(layout.stat_ids), max(map(len, ids), default=0)
    columns = np.zeros((len(ids), most), dtype=np.intp)
    for k, own in enumerate(ids):
        columns[k, :len(own)] = [k * width + layout.stat(sid) for sid in own]
    return _Seats(ids, columns)


def _by_seat(stats: np.ndarray, seats: _Seats) -> list:
    """Stats (..., S, T) as lists (..., S, C): each seat's own, in its dict's order (and
    padding)."""
    flat = stats.reshape(*stats.shape[:-2], -1)
    return flat[..., seats.columns].tolist()


def export_states(rules: Rules, batch: Batch, history: History, table: list[SeatSetup],
                  locked: dict[str, int] | None, games, phase: Phase | None = None
                  ) -> list[GameState]:
    """The GameStates games `games` (rows of the batch) have now, played at `table` with the
    `locked` policies: each equal, value for value and in every dict order, to the state
    `Game` would have, its history made from `history` (which must hold every turn resolved).
    An ended batch gives ended states; one in play gives the state at the opening of
    `phase` ("policy", the default, or "work"), the batch's policy levels the phase's own.
    ValueError if the table, the history or the phase does not fit the batch."""
    rows = np.asarray(games, dtype=np.intp).reshape(-1)
    if [kept.turn for kept in history.turns] != list(range(1, batch.turn)) or \
            (history.turns and history.games != batch.size):
        raise ValueError(f"the history does not hold turns 1 to {batch.turn - 1} of the batch")
    seats = _seats(rules, batch.layout)
    records = _records(batch.layout, history, seats, rows)
    return _states(rules, batch, table, locked, rows, _phase(batch, phase), seats, records)


def bare_states(rules: Rules, batch: Batch, table: list[SeatSetup],
                locked: dict[str, int] | None, games) -> list[GameState]:
    """`export_states` with no history records (every other field as it gives it): for
    whoever reads only the games' present (the records' seat outcomes, game.analysis)."""
    rows = np.asarray(games, dtype=np.intp).reshape(-1)
    seats = _seats(rules, batch.layout)
    return _states(rules, batch, table, locked, rows, _phase(batch, None), seats,
                   [[] for _ in range(len(rows))])


def _states(rules: Rules, batch: Batch, table: list[SeatSetup], locked: dict[str, int] | None,
            rows: np.ndarray, phase: Phase, seats: _Seats, records: list[list[TurnRecord]]
            ) -> list[GameState]:
    """The states of the games at `rows`, with their history `records`."""
    if tuple(seat.role for seat in table) != batch.layout.roles:
        raise ValueError("the table's roles are not the batch's")
    fields = _Fields(batch, seats, rows)
    scenario = rules.scenario
    out = []
    for n, g in enumerate(rows.tolist()):
        out.append(construct_from(GameState, {
            "scenario_id": scenario.id, "scenario_version": scenario.version,
            "seed": batch.seeds[g], "turn": batch.turn, "phase": phase,
            "metrics": fields.metrics(n), "carry": fields.carry(n),
            "pending": fields.pending[n], "transit": fields.transit[n],
            "policies": fields.policies(n), "locked": dict(locked or {}),
            "seats": fields.seats(n, table), "submitted": {}, "allocations": {},
            "fired": list(batch.fired[g]), "news": list(batch.news[g]),
            "history": records[n], "secret": ""}))
    return out


def _phase(batch: Batch, phase: Phase | None) -> Phase:
    """The phase the exported states are in."""
    if batch.ended:
        if phase not in (None, "ended"):
            raise ValueError("the games have ended")
        return "ended"
    if phase not in (None, "policy", "work"):
        raise ValueError(f"no state to export at phase {phase!r} of a game in play")
    return phase or "policy"


def _records(layout: Layout, history: History, seats: _Seats, rows: np.ndarray
             ) -> list[list[TurnRecord]]:
    """The history records of the games at `rows`, one list per game: every array of every
    kept turn listed once for all of them (one `tolist` per kind and seat)."""
    turns = history.turns
    if not turns:
        return [[] for _ in range(len(rows))]
    metrics = np.stack([kept.recorded.metrics[rows] for kept in turns], axis=1).tolist()
    policies = np.stack([kept.policies[rows] for kept in turns], axis=1).tolist()
    stats = _by_seat(np.stack([kept.recorded.stats[rows] for kept in turns], axis=1), seats)
    metric_ids, policy_ids, ids = layout.metric_ids, layout.policy_ids, seats.ids
    seat_range = range(len(ids))
    made = [(kept.recorded.allocations.of_games(rows), kept.recorded.reviews.of_games(rows))
            for kept in turns]
    out = []
    for n, (g, game_metrics, game_policies, game_stats) in enumerate(zip(
            rows.tolist(), metrics, policies, stats)):
        game = []
        for kept, (allocations, reviews), values, levels, seat_stats in zip(
                turns, made, game_metrics, game_policies, game_stats):
            game.append(construct_from(TurnRecord, {
                "turn": kept.turn, "metrics": dict(zip(metric_ids, values)),
                "policies": dict(zip(policy_ids, levels)),
                "allocations": allocations[n],
                "stats": dict(zip(seat_range, map(dict, map(zip, ids, seat_stats)))),
                "reviews": reviews[n], "news": list(kept.recorded.news[g])}))
        out.append(game)
    return out


class _Fields:
    """The batch's present values of the games at `rows`, as Python lists (each array listed
    once), and each game's dicts and seats made from them."""

    __slots__ = ("employed", "laid", "layout", "listed", "pending", "rank", "score",
                 "score_total", "seat_ids", "stats", "transit")

    def __init__(self, batch: Batch, seats: _Seats, rows: np.ndarray) -> None:
        self.layout = batch.layout
        self.seat_ids = seats.ids
        self.listed = {name: getattr(batch, name)[rows].tolist()
                       for name in ("metrics", "carry", "policies")}
        self.stats = _by_seat(batch.stats[rows], seats)
        self.employed, self.laid, self.score, self.rank, self.score_total = (
            getattr(batch, name)[rows].tolist()
            for name in ("employed", "laid_off_turn", "score", "rank", "score_total"))
        self.pending = _PENDING.validate_python(_per_game(rows, batch.pending, lambda p, amount: {
            "due": p.due, "target": p.target, "seat": p.seat, "amount": amount,
            "mode": p.mode, "direct": p.direct}))
        self.transit = _TRANSIT.validate_python(_per_game(rows, batch.transit, lambda t, amount: {
            "flow": t.flow, "due": t.due, "seat": t.seat, "amount": amount}))

    def metrics(self, n: int) -> dict[str, float]:
        """The n-th game's metrics, in the scenario's order."""
        return dict(zip(self.layout.metric_ids, self.listed["metrics"][n]))

    def carry(self, n: int) -> dict[str, float]:
        """The n-th game's carry (inertia backlog) per metric."""
        return dict(zip(self.layout.metric_ids, self.listed["carry"][n]))

    def policies(self, n: int) -> dict[str, int]:
        """The n-th game's policy levels, in the scenario's order."""
        return dict(zip(self.layout.policy_ids, self.listed["policies"][n]))

    def seats(self, n: int, table: list[SeatSetup]) -> list[SeatState]:
        """The n-th game's seats."""
        employed, laid, score = self.employed[n], self.laid[n], self.score[n]
        rank, total, ids, stats = self.rank[n], self.score_total[n], self.seat_ids, self.stats
        return [construct_from(SeatState, {
            "index": k, "role": setup.role, "name": setup.name, "employed": employed[k],
            "stats": dict(zip(ids[k], stats[n][k])), "score": score[k], "rank": rank[k],
            "score_total": total[k], "laid_off_turn": None if laid[k] < 0 else laid[k]})
            for k, setup in enumerate(table)]


def _per_game(rows: np.ndarray, items: list, make) -> list[list[dict]]:
    """For each game at `rows`, `make(item, amount)` of every row of `items` (pending
    changes or shipments) present in it, in row order (a game's list in order)."""
    out: list[list[dict]] = [[] for _ in range(len(rows))]
    for item in items:
        present = item.present[rows]
        if not present.any():
            continue
        amounts = item.amount[rows].tolist()
        for n in np.flatnonzero(present).tolist():
            out[n].append(make(item, amounts[n]))
    return out
