"""Simulated games' records as columns (`Records`): a few numpy arrays over the games where a
list of `GameRecord`s holds ~150 Python objects a game.

The simulator's workers make them (game.analysis.batch_records `columns_from` over a batch's
arrays; `Records.of` the GameRecords of games played game by game) and send them to the
parent, where they pickle, unpickle and are collected as a handful of arrays; the summary
reads the columns (game.analysis.summary). The GameRecords are made only when a caller asks
for them (`game_records`: the CLI's CSV, a sweep's lesson check, tests), each equal to the one
`record_of` gives: the same values, the same dict orders, the same floats bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from itertools import pairwise

import numpy as np

from game.analysis.record import GameRecord
from game.engine.state import SeatSetup
from game.scenario.model import Scenario
from game.scenario.rules import rules_for


@dataclass(frozen=True)
class Table:
    """What every game of a `Records` shares: its seats' roles and strategies, the ids along
    the columns' axes (metrics, policies and behaviours in file order) and the reviewed seats
    (those with an outcome row, in seat order) with their names."""

    roles: tuple[str, ...]
    strategies: tuple[str, ...]
    metric_ids: tuple[str, ...]
    policy_ids: tuple[str, ...]
    behaviour_ids: tuple[str, ...]
    reviewed: tuple[int, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, scenario: Scenario, table: list[SeatSetup], chosen: list[str]) -> Table:
        """The table of games of `scenario` with seats `table` playing strategies `chosen`."""
        reviews = rules_for(scenario).reviews
        reviewed = tuple(k for k, seat in enumerate(table) if seat.role in reviews)
        return cls(roles=tuple(s.role for s in table), strategies=tuple(chosen),
                   metric_ids=tuple(m.id for m in scenario.metrics),
                   policy_ids=tuple(p.id for p in scenario.policies),
                   behaviour_ids=tuple(b.id for b in scenario.behaviours),
                   reviewed=reviewed, names=tuple(table[k].name for k in reviewed))


def event_ids(scenario: Scenario) -> tuple[str, ...]:
    """The event ids a `Records` of games of `scenario` starts with (others are added as
    they are met)."""
    return tuple(ev.id for ev in scenario.events)


@dataclass(eq=False)
class Records:
    """N games' records as columns (see the module); T turns, S seats, R reviewed seats."""

    table: Table
    event_ids: tuple[str, ...]
    """The events' ids, which `event_code` indexes."""
    seeds: np.ndarray
    """(N,) uint64 (object when a seed does not fit)."""
    proxy: np.ndarray
    """(N, 1 + T) float64, the proxy index at the start and after every turn."""
    health: np.ndarray
    gap: np.ndarray
    correlation: np.ndarray
    """(N,) float64."""
    effort: np.ndarray
    """(N, S, B) whole numbers (`small_ints`), each seat's points on each behaviour over
    the game."""
    effort_place: np.ndarray
    """(N, S, B) the behaviour's place in the seat's effort dict, -1 where it is not in it
    (no points on it in any turn)."""
    policies: np.ndarray
    """(N, T, P) the levels in force in each turn (whole numbers, `small_ints`)."""
    end_metrics: np.ndarray
    """(N, M) float64."""
    employed: np.ndarray
    """(N, R) bool; the outcome rows of the reviewed seats, column by column."""
    score_total: np.ndarray
    leaderboard_rank: np.ndarray
    contribution: np.ndarray
    contribution_rank: np.ndarray
    event_turn: np.ndarray
    """(E,) whole numbers (`small_ints`): the turn of every event that fired, game after
    game, each game's in order; `event_code` (E,) (`small_ints`) its id's place in
    `event_ids`."""
    event_code: np.ndarray
    event_start: np.ndarray
    """(N + 1,) where each game's events start in `event_turn` / `event_code`."""

    def __post_init__(self) -> None:
        for name in _WHOLE_NUMBERS:
            setattr(self, name, small_ints(getattr(self, name)))
        self._made: list[GameRecord] | None = None

    def __len__(self) -> int:
        return len(self.seeds)

    def __iter__(self) -> Iterator[GameRecord]:
        return iter(self.game_records())

    def __getstate__(self) -> dict:
        """What pickles: the columns, never the GameRecords made from them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._made = None

    @classmethod
    def of(cls, table: Table, events: tuple[str, ...], records: Sequence[GameRecord]
           ) -> Records:
        """The columns of `records`, games of `table` whose events start as `events`.
        ValueError where a record does not fit the table (another table, or other lengths,
        key orders or outcome rows than the table's games have)."""
        return _from_records(table, events, records)

    def game_records(self) -> list[GameRecord]:
        """The GameRecords, in order (made on the first call, then kept)."""
        if self._made is None:
            self._made = _game_records(self)
        return self._made

    def event_lists(self) -> list[list[tuple[int, str]]]:
        """Per game, its (turn, event id) pairs in order (its GameRecord's `events`)."""
        return _event_lists(self)

    def take(self, order: Sequence[int] | np.ndarray) -> Records:
        """The games at places `order`, in that order."""
        order = np.asarray(order, dtype=np.intp).reshape(-1)
        starts, ends = self.event_start[:-1][order], self.event_start[1:][order]
        counts = ends - starts
        picked = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        return replace(self, **{name: getattr(self, name)[order] for name in _PER_GAME},
                       event_turn=self.event_turn[picked], event_code=self.event_code[picked],
                       event_start=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))

    @staticmethod
    def concat(parts: Sequence[Records]) -> Records:
        """The games of `parts` one after the other (one table; ValueError otherwise)."""
        if not parts:
            raise ValueError("no records to join")
        first = parts[0]
        if any(p.table != first.table for p in parts):
            raise ValueError("records of different tables cannot be joined")
        ids = dict.fromkeys(first.event_ids)
        for p in parts[1:]:
            ids.update(dict.fromkeys(p.event_ids))
        joined = tuple(ids)
        code = {e: n for n, e in enumerate(joined)}
        codes = [np.array([code[e] for e in p.event_ids], dtype=np.int32)[p.event_code]
                 if p.event_ids != joined else p.event_code for p in parts]
        counts = np.concatenate([np.diff(p.event_start) for p in parts])
        return replace(first, event_ids=joined,
                       **{name: np.concatenate([getattr(p, name) for p in parts])
                          for name in _PER_GAME + ("event_turn",)},
                       event_code=np.concatenate(codes).astype(np.int32),
                       event_start=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))


_PER_GAME = ("seeds", "proxy", "health", "gap", "correlation", "effort", "effort_place",
             "policies", "end_metrics", "employed", "score_total", "leaderboard_rank",
             "contribution", "contribution_rank")
"""The columns with one row per game."""


_WHOLE_NUMBERS = ("effort", "policies", "leaderboard_rank", "contribution_rank", "event_turn",
                  "event_code")
"""The columns of whole numbers, kept in `small_ints` (effort was a quarter of a pickled
flagship chunk as int64)."""


def small_ints(values: np.ndarray) -> np.ndarray:
    """Whole numbers in the narrowest signed type that holds them (the largest columns
    pickle at an eighth of their int64 size; `tolist` gives the same Python ints)."""
    if not values.size:
        return values
    low, high = int(values.min()), int(values.max())
    for kind in (np.int8, np.int16, np.int32):
        if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max:
            return values.astype(kind)
    return values


def seed_column(seeds: Sequence[int]) -> np.ndarray:
    """The seeds as uint64, or as Python ints where one does not fit."""
    try:
        return np.array(seeds, dtype=np.uint64).reshape(-1)
    except (OverflowError, TypeError, ValueError):
        return np.array(seeds, dtype=object).reshape(-1)


def _from_records(table: Table, events: tuple[str, ...], records: Sequence[GameRecord]
                  ) -> Records:
    """`Records.of`."""
    n = len(records)
    turns = len(records[0].policies) if records else 0
    for record in records:
        _check_fits(table, record, turns)

    def floats(values: list, width: int) -> np.ndarray:
        return np.array(values, dtype=np.float64).reshape(n, width)

    effort, place = _effort_columns(table, records)
    return Records(
        table=table, **_event_columns(events, records),
        seeds=seed_column([r.seed for r in records]),
        proxy=floats([r.proxy for r in records], turns + 1),
        health=floats([r.health for r in records], turns + 1),
        gap=floats([r.gap for r in records], turns + 1),
        correlation=np.array([r.correlation for r in records], dtype=np.float64),
        effort=effort, effort_place=place,
        policies=np.array([[list(t.values()) for t in r.policies] for r in records],
                          dtype=np.int64).reshape(n, turns, len(table.policy_ids)),
        end_metrics=floats([list(r.end_metrics.values()) for r in records],
                           len(table.metric_ids)),
        **_outcome_columns(table, records))


def _effort_columns(table: Table, records: Sequence[GameRecord]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(N, S, B) the records' effort dicts as `Records.effort` and `Records.effort_place`."""
    shape = (len(records), len(table.roles), len(table.behaviour_ids))
    effort = np.zeros(shape, dtype=np.int64)
    place = np.full(shape, -1, dtype=np.int16)
    column = {bid: b for b, bid in enumerate(table.behaviour_ids)}
    for g, record in enumerate(records):
        for k, row in enumerate(record.effort):
            for j, (bid, points) in enumerate(row.items()):
                effort[g, k, column[bid]] = points
                place[g, k, column[bid]] = j
    return effort, place


def _event_columns(events: tuple[str, ...], records: Sequence[GameRecord]
                   ) -> dict[str, np.ndarray | tuple[str, ...]]:
    """The records' events as `Records` holds them (`event_ids`: `events`, then the others
    in the order met; `event_turn`, `event_code`, `event_start`)."""
    pairs = [pair for record in records for pair in record.events]
    ids = dict.fromkeys(events)
    ids.update(dict.fromkeys(event for _, event in pairs))
    code = {e: c for c, e in enumerate(ids)}
    counts = [len(record.events) for record in records]
    return {"event_ids": tuple(ids),
            "event_turn": np.array([turn for turn, _ in pairs], dtype=np.int64),
            "event_code": np.array([code[e] for _, e in pairs], dtype=np.int32),
            "event_start": np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]
                                          ).astype(np.int64)}


def _outcome_columns(table: Table, records: Sequence[GameRecord]) -> dict[str, np.ndarray]:
    """(N, R) the records' outcome rows as `Records`' outcome columns."""
    shape = (len(records), len(table.reviewed))
    return {key: np.array([[o[key] for o in r.outcomes] for r in records], dtype=dtype
                          ).reshape(shape)
            for key, dtype in zip(_OUTCOME_KEYS, (bool, np.float64, np.int64, np.float64,
                                                  np.int64))}


_OUTCOME_KEYS = ("employed", "score_total", "leaderboard_rank", "contribution",
                 "contribution_rank")
"""An outcome row's values, in the order of `Records`' outcome columns."""


def _check_fits(table: Table, record: GameRecord, turns: int) -> None:
    """ValueError unless `record` is a game of `table` of `turns` turns, its dicts keyed in
    the table's orders."""
    if (tuple(record.roles), tuple(record.strategies)) != (table.roles, table.strategies):
        raise ValueError(f"the game of seed {record.seed} was played at another table")
    if len(record.policies) != turns or len(record.proxy) != turns + 1 \
            or len(record.health) != turns + 1 or len(record.gap) != turns + 1:
        raise ValueError(f"the game of seed {record.seed} has another number of turns")
    if any(tuple(levels) != table.policy_ids for levels in record.policies) \
            or tuple(record.end_metrics) != table.metric_ids:
        raise ValueError(f"the game of seed {record.seed} keys its policies or metrics "
                         "in another order")
    if [(o["seat"], o["name"], o["role"]) for o in record.outcomes] != [
            (k, name, table.roles[k]) for k, name in zip(table.reviewed, table.names)]:
        raise ValueError(f"the game of seed {record.seed} has other outcome rows")
    if len(record.effort) != len(table.roles):
        raise ValueError(f"the game of seed {record.seed} has another number of seats")
    unknown = {bid for row in record.effort for bid in row}.difference(table.behaviour_ids)
    if unknown:
        raise ValueError(f"the game of seed {record.seed} has effort on behaviours the "
                         f"scenario lacks: {', '.join(sorted(unknown))}")


def _game_records(records: Records) -> list[GameRecord]:
    """Each game's GameRecord, as `record_of` makes it (the same dict orders)."""
    table = records.table
    seeds, proxy, health, gap = (getattr(records, k).tolist()
                                 for k in ("seeds", "proxy", "health", "gap"))
    correlation, ends = records.correlation.tolist(), records.end_metrics.tolist()
    policies = _policy_dicts(records.policies, table.policy_ids)
    effort = _effort_dicts(records.effort, records.effort_place, table.behaviour_ids)
    events = _event_lists(records)
    outcomes = _outcome_rows(records)
    roles, strategies, mids = list(table.roles), list(table.strategies), table.metric_ids
    return [GameRecord(
        seed=seeds[n], roles=list(roles), strategies=list(strategies), proxy=proxy[n],
        health=health[n], gap=gap[n], correlation=correlation[n], effort=effort[n],
        events=events[n], policies=policies[n],
        outcomes=outcomes[n], end_metrics=dict(zip(mids, ends[n])))
        for n in range(len(seeds))]


def _policy_dicts(policies: np.ndarray, policy_ids: tuple[str, ...]
                  ) -> list[list[dict[str, int]]]:
    """Per game and turn, the levels in force as a dict, each its own: copies of the dicts
    made for the first game with the same levels in every turn (the games of a table often
    share them all: read as one bytes key a game, the levels are listed once a kind)."""
    made: dict[tuple[int, ...], dict[str, int]] = {}
    kinds: dict[bytes, list[dict[str, int]]] = {}
    out = []
    for n, key in enumerate(_row_bytes(policies)):
        turns = kinds.get(key)
        if turns is None:
            turns = kinds[key] = [made.setdefault(tuple(levels), dict(zip(policy_ids, levels)))
                                  for levels in policies[n].tolist()]
        out.append(list(map(dict.copy, turns)))
    return out


def _row_bytes(values: np.ndarray) -> list[bytes]:
    """The bytes of each game's values (a row of `values` (N, ...)), equal for equal rows."""
    rows = np.ascontiguousarray(values).reshape(len(values), -1) if values.size else None
    if rows is None or not rows.shape[1]:
        return [b""] * len(values)
    return rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel().tolist()


def _effort_dicts(effort: np.ndarray, place: np.ndarray, behaviour_ids: tuple[str, ...]
                  ) -> list[list[dict[str, int]]]:
    """Per game and seat, the effort dict: each behaviour it holds at its place (the names
    in place order found once for each distinct row of places, then zipped with the
    totals in that order, which stop where the names do)."""
    games, seats, width = place.shape
    order = np.argsort(np.where(place >= 0, place, width), axis=-1)
    totals = np.take_along_axis(effort, order, axis=-1).tolist()
    places, order = place.reshape(games * seats, width), order.reshape(games * seats, width)
    names_of: dict[bytes, tuple[str, ...]] = {}
    named = []
    for n, key in enumerate(_row_bytes(places)):
        names = names_of.get(key)
        if names is None:
            held = int((places[n] >= 0).sum())
            names = names_of[key] = tuple(behaviour_ids[b] for b in order[n, :held].tolist())
        named.append(names)
    return [[dict(zip(named[g * seats + k], totals[g][k])) for k in range(seats)]
            for g in range(games)]


def _event_lists(records: Records) -> list[list[tuple[int, str]]]:
    """Per game, its (turn, event id) pairs in order."""
    ids = records.event_ids
    pairs = list(zip(records.event_turn.tolist(), [ids[c] for c in records.event_code.tolist()]))
    bounds = records.event_start.tolist()
    return [pairs[a:b] for a, b in pairwise(bounds)]


def _outcome_rows(records: Records) -> list[list[dict]]:
    """Per game, the outcome rows of its reviewed seats, as `seat_outcome_rows` makes them."""
    table = records.table
    seats = [(k, name, table.roles[k]) for k, name in zip(table.reviewed, table.names)]
    columns = [getattr(records, key).tolist() for key in _OUTCOME_KEYS]
    return [[{"seat": k, "name": name, "role": role, "employed": employed[j],
              "score_total": total[j], "leaderboard_rank": board[j], "contribution": real[j],
              "contribution_rank": real_rank[j]} for j, (k, name, role) in enumerate(seats)]
            for employed, total, board, real, real_rank in zip(*columns)]
