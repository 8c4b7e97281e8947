"""The simulator's game records made from a batch's History (game/engine/batch/history.py),
without exporting the games' states, as columns (game.analysis.columns `Records`): each
game's `GameRecord` equal to `record_of` on the game's exported state (the same floats, bit
for bit, and the same dict orders).

The indices and their correlation are computed over the arrays of every game at once,
operation by operation as `indices._index` and `indices.correlation` do for one (the same
IEEE operations in the same order give the same bits); the seat outcomes' ranks likewise,
where a tie is drawn (or a value is NaN) by `ranked_by_score` itself, game by game.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import repeat

import numpy as np

from game.analysis.columns import Records, Table, event_ids, seed_column
from game.analysis.indices import Weights, _index, _indices, seat_outcome_rows
from game.analysis.record import GameRecord
from game.engine.batch.formula import BatchFormula, compile_batch
from game.engine.batch.history import History, bare_states
from game.engine.batch.lists import GameLists
from game.engine.batch.state import Batch
from game.engine.env import per_rules
from game.engine.ranking import ranked_by_score
from game.engine.state import SeatSetup
from game.scenario.model import Scenario
from game.scenario.rules import Rules, rules_for


def records_from(scenario: Scenario, batch: Batch, history: History, table: list[SeatSetup],
                 chosen: list[str], locked: dict[str, int] | None, games) -> list[GameRecord]:
    """The records of the ended games `games` (rows of the batch), whose turns `history`
    holds: each equal to `record_of(scenario, state, table, chosen)` for the game's state.
    ValueError if the games have not ended or the history does not hold every turn."""
    return columns_from(scenario, batch, history, table, chosen, locked, games).game_records()


def columns_from(scenario: Scenario, batch: Batch, history: History, table: list[SeatSetup],
                 chosen: list[str], locked: dict[str, int] | None, games) -> Records:
    """`records_from` as columns (game.analysis.columns), made over the arrays of the games
    at once. ValueError as `records_from`."""
    rows = np.asarray(games, dtype=np.intp).reshape(-1)
    turns = history.turns
    if not batch.ended or [kept.turn for kept in turns] != list(range(1, batch.turn)):
        raise ValueError("records are made of ended games whose every turn was kept")
    rules = rules_for(scenario)
    initial = {m.id: m.initial for m in scenario.metrics}
    metrics = np.stack([kept.recorded.metrics[rows] for kept in turns], axis=1)  # (N, T, M)
    indices = _indices(rules)
    proxy = _series(indices.proxy, initial, metrics, batch.layout.metric)
    health = _series(indices.health, initial, metrics, batch.layout.metric)
    seats = Table.of(scenario, table, chosen)
    outcomes = _outcomes(rules, batch, table, rows)
    if outcomes is None:  # a contribution that reads more than a seat's plain names
        outcomes = _outcome_columns(
            [seat_outcome_rows(scenario, state)
             for state in bare_states(rules, batch, table, locked, rows)], len(seats.reviewed))
    effort, place = _effort(history, rows)
    event_turn, event_code, event_start, ids = _events(history, batch, rows, event_ids(scenario))
    return Records(
        table=seats, event_ids=ids, seeds=seed_column([batch.seeds[g] for g in rows.tolist()]),
        proxy=proxy, health=health,
        gap=(proxy - proxy[:, :1]) - (health - health[:, :1]),
        correlation=correlations(proxy, health), effort=effort, effort_place=place,
        policies=np.stack([kept.policies[rows] for kept in turns], axis=1).reshape(
            len(rows), len(turns), len(seats.policy_ids)),
        end_metrics=metrics[:, -1],
        **outcomes, event_turn=event_turn, event_code=event_code, event_start=event_start)


def correlations(proxy: np.ndarray, health: np.ndarray) -> np.ndarray:
    """(N,) `indices.correlation` of each row of `proxy` and `health` (N, 1 + T), the same
    float operations in the same order: sums added turn after turn (as Python's `sum`
    does), squares by Python's `**` (the C library's `pow`, which a product does not always
    match in the last bit)."""
    games, n = proxy.shape[0], proxy.shape[1] - 1
    if n < 2:
        return np.zeros(games)
    with np.errstate(all="ignore"):  # (an inf or NaN gives what Python's floats give)
        dx, dy = np.diff(proxy, axis=1), np.diff(health, axis=1)
        mx, my = _sum_along(dx) / n, _sum_along(dy) / n
        cx, cy = dx - mx[:, None], dy - my[:, None]
        sxy = _sum_along(cx * cy)
        sxx, syy = (_sum_along(_squares(c)) for c in (cx, cy))
        r = sxy / np.sqrt(sxx * syy)
    r = np.where(r < 1.0, r, 1.0)  # min(1.0, r): 1.0 unless r is below it (NaN too)
    r = np.where(r > -1.0, r, -1.0)
    return np.where((sxx <= 1e-12) | (syy <= 1e-12), 0.0, r)


def _sum_along(values: np.ndarray) -> np.ndarray:
    """(N,) each row's sum added left to right from 0.0, as Python's `sum` adds floats."""
    total = np.zeros(len(values))
    for column in values.T:
        total = total + column
    return total


def _squares(values: np.ndarray) -> np.ndarray:
    """Each value `** 2`, by Python's float power (see `correlations`)."""
    flat = values.ravel().tolist()
    return np.fromiter(map(pow, flat, repeat(2)), dtype=np.float64,
                       count=len(flat)).reshape(values.shape)


def _series(weights: Weights, initial: dict[str, float], metrics: np.ndarray,
            column: Callable[[str], int]) -> np.ndarray:
    """(N, 1 + T): an index at the start (`_index` itself, on the initial metrics) and after
    every turn (`metrics` (N, T, M), metric `mid` in column `column(mid)`), each game's
    computed as `_index` computes it, operation by operation."""
    total, rows = weights
    acc = np.zeros(metrics.shape[:2])
    for mid, weight, positive, low, span, higher in rows:
        share = (metrics[:, :, column(mid)] - low) / span
        if not higher:
            share = 1.0 - share
        acc += weight * (share if positive else 1.0 - share)
    out = np.empty((len(metrics), metrics.shape[1] + 1))
    out[:, 0] = _index(weights, initial)
    out[:, 1:] = 100.0 * acc / total
    return out


def _effort(history: History, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N, S, B) per game at `rows` and seat, the points put into each behaviour over the
    game's turns, and each behaviour's place in the dict `record_of` makes of them (-1 where
    it has none): they come in the order `record_of` meets them, by the first turn with
    points on the behaviour, then in the order of the turn's allocation (the role's
    behaviours in file order: every allocation the engine takes is `check_chosen`'s, which
    lists them so)."""
    turns = history.turns
    total = np.zeros(turns[0].recorded.effort[rows].shape)
    first = np.full(total.shape, len(turns), dtype=np.int64)
    for t, kept in enumerate(turns):
        points = kept.recorded.effort[rows]
        total += points
        first[(points != 0.0) & (first == len(turns))] = t
    width = total.shape[-1]
    met = first < len(turns)
    order = np.argsort(first * width + np.arange(width), axis=-1)
    place = np.empty(order.shape, dtype=np.int16)
    np.put_along_axis(place, order, np.arange(width, dtype=np.int16), axis=-1)
    place[~met] = -1
    return total.astype(np.int64), place


def _events(history: History, batch: Batch, rows: np.ndarray, known: tuple[str, ...]
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """The events of the games at `rows` as `Records` holds them: (turn, code) of each in
    game order, each game's in the order `record_of` lists them (every turn's news, then the
    news after the last), where each game's start, and the ids the codes index (`known`,
    then the others in the order met). Read from the news lists as kept (`GameLists`): each
    headline once, with the games it went to (`_headlines`)."""
    heads, games = _headlines([kept.recorded.news for kept in history.turns] + [batch.news],
                              rows)
    game_of = np.concatenate(games) if games else np.zeros(0, dtype=np.intp)
    head_of = np.repeat(np.arange(len(heads)), [len(at) for at in games])
    seq = head_of[np.argsort(game_of, kind="stable")]  # game by game, each in its order
    _, first = np.unique(seq, return_index=True)
    ids = dict.fromkeys(known)
    ids.update(dict.fromkeys(heads[h].event for h in seq[np.sort(first)].tolist()))
    code = {e: c for c, e in enumerate(ids)}  # (a headline in no game of `rows`: -1, unread)
    counts = np.bincount(game_of, minlength=len(rows))
    return (np.array([h.turn for h in heads], dtype=np.int64)[seq],
            np.array([code.get(h.event, -1) for h in heads], dtype=np.int32)[seq],
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), tuple(ids))


def _headlines(lists: list[GameLists], rows: np.ndarray) -> tuple[list, list[np.ndarray]]:
    """Every headline of the turns' news `lists`, turn by turn, each game's list in order,
    with the positions in `rows` of the games it is in: (headlines, positions of each)."""
    heads, games = [], []
    for news in lists:
        if news.start is not None:  # (a game's first headlines: before any added)
            for n, g in enumerate(rows.tolist()):
                for head in news.start[g]:
                    heads.append(head)
                    games.append(np.array([n], dtype=np.intp))
        for head, mask in news.added:
            heads.append(head)
            games.append(np.flatnonzero(mask[rows]))
    return heads, games


def _plain(rules: Rules) -> BatchFormula | None:
    """The debrief's contribution over arrays (exact: `exp`, `log` and `**` by the scalar
    helpers), when it reads only names a seat's env holds as plain values at the end of a
    game (constants, metrics, policy levels, stats, turn, turns, score, rank); else None."""
    s = rules.scenario
    plain = {*s.constants, *(m.id for m in s.metrics), *(p.id for p in s.policies),
             *(st.id for st in s.stats), "turn", "turns", "score", "rank"}
    formula = rules.contribution
    return compile_batch(formula, exact=True) if formula.names <= plain else None


_plain_contribution = per_rules(_plain)


def _contributions(rules: Rules, batch: Batch, rows: np.ndarray) -> np.ndarray | None:
    """(N, S) every seat's contribution in the games at `rows`, as `indices._contribution`
    reads it from the seat's env (a stat its role lacks at its initial value), or None when
    the formula reads other names (see `_plain`)."""
    formula = _plain_contribution(rules)
    if formula is None:
        return None
    layout, scenario = batch.layout, rules.scenario
    games, seats = len(rows), layout.seats
    env: dict[str, np.ndarray] = {}
    for name in formula.names:
        if name in scenario.constants:
            env[name] = np.float64(scenario.constants[name])
        elif name in layout.metric_ids:
            env[name] = batch.metrics[rows, layout.metric(name)][:, None]
        elif name in layout.policy_ids:
            env[name] = batch.policies[rows, layout.policy_ids.index(name)][:, None] * 1.0
        elif name in ("turn", "turns"):
            env[name] = np.float64(batch.turn if name == "turn" else layout.turns)
        elif name in ("score", "rank"):
            env[name] = getattr(batch, name)[rows] * 1.0
        else:
            t = layout.stat(name)
            initial = float(rules.stat_specs[name].initial)
            env[name] = np.where(layout.has_stat[:, t], batch.stats[rows, :, t], initial)
    return np.broadcast_to(formula(env), (games, seats))


def _outcomes(rules: Rules, batch: Batch, table: list[SeatSetup], rows: np.ndarray
              ) -> dict[str, np.ndarray] | None:
    """The outcome columns of `Records` (what `seat_outcome_rows` gives) of the games at
    `rows`, from the batch's arrays, or None when the contribution is not `_plain`."""
    contributions = _contributions(rules, batch, rows)
    if contributions is None:
        return None
    reviewed = [k for k, setup in enumerate(table) if setup.role in rules.reviews]
    totals = batch.score_total[rows]
    seeds = [batch.seeds[g] for g in rows.tolist()]
    by_contribution = np.zeros(totals.shape, dtype=np.int64)
    by_score = np.zeros(totals.shape, dtype=np.int64)
    for role in dict.fromkeys(table[k].role for k in reviewed):
        seats = [k for k in reviewed if table[k].role == role]
        ties = rules.reviews[role].ties
        by_contribution[:, seats] = _ranks(contributions[:, seats], "share", partial(
            _settled, seats=seats, ties="share", seeds=seeds, parts=()))
        by_score[:, seats] = _ranks(totals[:, seats], ties, partial(
            _settled, seats=seats, ties=ties, seeds=seeds,
            parts=(batch.turn, "final ties", role)))
    return {"employed": batch.employed[rows][:, reviewed].astype(bool),
            "score_total": totals[:, reviewed].astype(np.float64),
            "leaderboard_rank": by_score[:, reviewed],
            "contribution": np.asarray(contributions, dtype=np.float64)[:, reviewed],
            "contribution_rank": by_contribution[:, reviewed]}


def _outcome_columns(rows: list[list[dict]], reviewed: int) -> dict[str, np.ndarray]:
    """The outcome columns of `Records` made of each game's outcome rows."""
    games = len(rows)
    return {key: np.array([[o[key] for o in game] for game in rows], dtype=dtype).reshape(
        games, reviewed) for key, dtype in (
        ("employed", bool), ("score_total", np.float64), ("leaderboard_rank", np.int64),
        ("contribution", np.float64), ("contribution_rank", np.int64))}


def _ranks(values: np.ndarray, ties: str, settle: Callable[[int, list[float]], list[int]]
           ) -> np.ndarray:
    """(N, R) each value's rank among its row, as `ranked_by_score` ranks (value, seat) pairs
    given in seat order: one more than the values above it, which is the rank of equal
    values that share, and of every value when all differ; `settle(n, row)` ranks a row
    where equal values are drawn (ties "draw") or one is NaN."""
    above = (values[:, None, :] > values[:, :, None]).sum(axis=2)
    odd = np.isnan(values).any(axis=1)
    if ties != "share":
        odd |= ((values[:, None, :] == values[:, :, None]).sum(axis=2) > 1).any(axis=1)
    ranks = 1 + above
    for n in np.flatnonzero(odd).tolist():
        ranks[n] = settle(n, values[n].tolist())
    return ranks


def _settled(n: int, values: list[float], seats: list[int], ties: str, seeds: list[int],
             parts: tuple) -> list[int]:
    """The ranks `ranked_by_score` gives the seats with these values in the n-th game (its
    seed `seeds[n]`, its stream's `parts`), in seat order."""
    rank_of = {k: rank for rank, _, k in ranked_by_score(list(zip(values, seats)), ties,
                                                         seeds[n], *parts)}
    return [rank_of[k] for k in seats]
