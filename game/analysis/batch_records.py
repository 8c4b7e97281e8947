"""The simulator's game records made from a batch's History (game/engine/batch/history.py),
without exporting the games' states: each `GameRecord` equal to `record_of` on the game's
exported state (the same floats, bit for bit, and the same dict orders).

The indices are computed over the arrays of every game at once, operation by operation as
`indices._index` does for one (the same IEEE operations in the same order give the same
bits); what `record_of` computes with Python's `sum` (the correlation) or by ranking (the seat
outcomes) is computed by the very same functions, game by game.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import repeat

import numpy as np

from game.analysis.indices import (
    Weights,
    _index,
    _indices,
    correlation,
    seat_outcome_rows,
)
from game.analysis.record import GameRecord
from game.engine.batch.formula import BatchFormula, compile_batch
from game.engine.batch.history import History, bare_states
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
    gap = ((proxy - proxy[:, :1]) - (health - health[:, :1])).tolist()
    proxy, health = proxy.tolist(), health.tolist()
    ends = metrics[:, -1].tolist()
    policies = np.stack([kept.policies[rows] for kept in turns], axis=1).tolist()
    outcomes = _outcomes(rules, batch, table, rows)
    if outcomes is None:  # a contribution that reads more than a seat's plain names
        outcomes = [seat_outcome_rows(scenario, state)
                    for state in bare_states(rules, batch, table, locked, rows)]
    roles, metric_ids, policy_ids = [s.role for s in table], batch.layout.metric_ids, \
        batch.layout.policy_ids
    effort = _effort(history, rows, batch.layout.behaviour_ids)
    out = []
    for n, g in enumerate(rows.tolist()):
        out.append(GameRecord(
            seed=batch.seeds[g], roles=list(roles), strategies=list(chosen),
            proxy=proxy[n], health=health[n], gap=gap[n],
            correlation=correlation(proxy[n], health[n]),
            effort=effort[n],
            events=[(h.turn, h.event) for kept in turns for h in kept.recorded.news[g]]
            + [(h.turn, h.event) for h in batch.news[g]],
            policies=list(map(dict, map(zip, repeat(policy_ids), policies[n]))),
            outcomes=outcomes[n],
            end_metrics=dict(zip(metric_ids, ends[n]))))
    return out


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


def _effort(history: History, rows: np.ndarray, behaviour_ids: tuple[str, ...]
            ) -> list[list[dict[str, int]]]:
    """Per game at `rows` and seat, the points put into each behaviour over the game's turns,
    each dict in the order `record_of` meets them: by the first turn with points on the
    behaviour, then in the order of the turn's allocation (the role's behaviours in file
    order: every allocation the engine takes is `check_chosen`'s, which lists them so)."""
    effort = np.stack([kept.recorded.effort[rows] for kept in history.turns], axis=1)
    spent = effort != 0.0  # (N, T, S, B)
    width = len(behaviour_ids)
    first = spent.argmax(axis=1) * width + np.arange(width)  # (N, S, B)
    met = spent.any(axis=1)
    order = np.argsort(np.where(met, first, spent.shape[1] * width), axis=-1)
    names = np.array(behaviour_ids, dtype=object)[order].tolist()
    totals = np.take_along_axis(effort.sum(axis=1), order, axis=-1).astype(np.int64).tolist()
    counts = met.sum(axis=-1).tolist()
    return [[dict(zip(names_k[:c], totals_k[:c])) for names_k, totals_k, c in
             zip(names[n], totals[n], counts[n])] for n in range(len(names))]


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
              ) -> list[list[dict]] | None:
    """`seat_outcome_rows` of each game at `rows`, from the batch's arrays, or None when the
    contribution is not `_plain`."""
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
    employed, totals, contributions = (batch.employed[rows].tolist(), totals.tolist(),
                                       contributions.tolist())
    by_score, by_contribution = by_score.tolist(), by_contribution.tolist()
    out = []
    for n in range(len(rows)):
        out.append([{"seat": k, "name": table[k].name, "role": table[k].role,
                     "employed": employed[n][k], "score_total": totals[n][k],
                     "leaderboard_rank": by_score[n][k], "contribution": contributions[n][k],
                     "contribution_rank": by_contribution[n][k]} for k in reviewed])
    return out


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
