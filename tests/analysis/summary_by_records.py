"""The simulator's summary as it was computed from a list of `GameRecord`s, game by game,
before the summary read the records as columns: game/analysis/summary.py at 2168584, the
functions it summarised with, copied unchanged but for `_spearman`'s memo. The reference
the columns' summary must match byte for byte (tests/analysis/test_record_columns.py)."""

from __future__ import annotations

import statistics

from game.analysis.record import GameRecord
from game.analysis.summary import SimulationSummary
from game.scenario.model import Scenario


def spread(values: list[float]) -> tuple[float, float, float]:
    """(mean, 5th percentile, 95th percentile)."""
    if not values:
        return 0.0, 0.0, 0.0
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, values[0], values[0]
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return mean, cuts[0], cuts[-1]


def _average_ranks(values: list[float]) -> list[float]:
    """Each value's rank among `values` (1 for the highest), equal values sharing the mean
    of their ranks."""
    order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start:end + 1]:
            ranks[i] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def _spearman(a: list[float], b: list[float]) -> float:
    """Spearman correlation of two lists of values, ties taken as the mean of their ranks;
    0 when either has fewer than two different values (then a ranking says nothing)."""
    ra, rb = _average_ranks(a), _average_ranks(b)
    return 0.0 if len(set(ra)) < 2 or len(set(rb)) < 2 else statistics.correlation(ra, rb)


def rank_agreement(outcomes: list[dict]) -> float:
    """How well the leaderboard ranked real contribution (1 = the same order, -1 = reversed):
    the mean Spearman correlation of total review score with real contribution, within each
    role of two or more seats (ranks are per role: a manager is not ranked against
    engineers), over outcome rows (`seat_outcome_rows`). Equal values share a rank, so
    neither seat order nor a drawn tie-break counts as agreement: seats that all score and
    contribute alike give 0."""
    roles: dict[str, list[dict]] = {}
    for o in outcomes:
        roles.setdefault(o["role"], []).append(o)
    values = [_spearman([o["score_total"] for o in group], [o["contribution"] for o in group])
              for group in roles.values() if len(group) >= 2]
    return statistics.fmean(values) if values else 0.0


def _shares(records: list[GameRecord], key) -> dict[str, dict[str, float]]:
    """Effort share per behaviour, grouped by `key(record, seat)`, which must read only the
    record's roles and strategies (it is asked once per table, not per record)."""
    points: dict[str, dict[str, int]] = {}
    groups: dict[tuple, list[str]] = {}  # each table's groups, found once (a simulation has one)
    for rec in records:
        table = (tuple(rec.roles), tuple(rec.strategies))
        keys = groups.get(table)
        if keys is None:
            keys = groups[table] = [key(rec, seat) for seat in range(len(rec.effort))]
        for group, effort in zip(keys, rec.effort):
            row = points.get(group)
            if row is None:
                row = points[group] = {}
            for bid, n in effort.items():
                row[bid] = row.get(bid, 0) + n
    out = {}
    for group, row in points.items():
        total = sum(row.values())
        if total:
            out[group] = {bid: n / total for bid, n in sorted(row.items(), key=lambda kv: -kv[1])}
    return out


def _by_turn(series: list[list[float]]) -> list[float]:
    """The mean of each turn's values over the series that reach it (a game that ended
    early has a shorter one)."""
    if series and all(len(one) == len(series[0]) for one in series):
        return [statistics.fmean(column) for column in zip(*series)]
    turns = max(map(len, series), default=0)
    return [statistics.fmean([one[t] for one in series if len(one) > t]) for t in range(turns)]


def summarise(scenario: Scenario, records: list[GameRecord], seed: int,
              strategies: dict[str, str]) -> SimulationSummary:
    """The summary of `records` (in run order)."""
    order = {b.id: i for i, b in enumerate(scenario.behaviours)}

    def in_file_order(shares: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        return {g: dict(sorted(row.items(), key=lambda kv: order.get(kv[0], 0)))
                for g, row in shares.items()}

    stats = {name: spread([pick(r) for r in records]) for name, pick in (
        ("proxy_start", lambda r: r.proxy[0]), ("proxy_end", lambda r: r.proxy[-1]),
        ("health_start", lambda r: r.health[0]), ("health_end", lambda r: r.health[-1]),
        ("gap_end", lambda r: r.gap[-1]), ("corr", lambda r: r.correlation))}
    by_turn = {k: _by_turn([getattr(r, k) for r in records]) for k in ("proxy", "health")}
    fired = {ev.id: 0 for ev in scenario.events}
    for r in records:
        for ev in {e for _, e in r.events}:
            fired[ev] = fired.get(ev, 0) + 1
    ranks = [rank_agreement(r.outcomes) for r in records]
    return SimulationSummary(
        scenario=scenario.id, seed=seed, runs=len(records), turns=scenario.turns,
        strategies=strategies,
        **{f"{k}{suffix}": v for k in ("proxy_start", "health_start")
           for suffix, v in (("", stats[k][0]), ("_range", stats[k][1:]))},
        **{f"{k}_mean": stats[k][0] for k in ("proxy_end", "health_end", "gap_end")},
        **{f"{k}_range": stats[k][1:] for k in ("proxy_end", "health_end", "gap_end")},
        proxy_health_corr_mean=stats["corr"][0], proxy_health_corr_range=stats["corr"][1:],
        rank_contribution_corr_mean=statistics.fmean(ranks) if ranks else 0.0,
        proxy_by_turn=by_turn["proxy"], health_by_turn=by_turn["health"],
        behaviour_share=in_file_order(_shares(records, lambda r, s: r.roles[s])),
        strategy_share=in_file_order(
            _shares(records, lambda r, s: f"{r.roles[s]}:{r.strategies[s]}")),
        event_frequency={k: v / max(1, len(records)) for k, v in fired.items()},
        rank_by_strategy=rank_by_strategy(records))


def rank_by_strategy(records: list[GameRecord]) -> dict[str, tuple[float, float]]:
    """'role:strategy' -> (mean leaderboard rank, mean contribution rank) over the records, in
    roles that seat two or more (where a rank says something)."""
    ranks: dict[str, list[tuple[float, float]]] = {}
    for r in records:
        sizes: dict[str, int] = {}
        for o in r.outcomes:
            sizes[o["role"]] = sizes.get(o["role"], 0) + 1
        for o in r.outcomes:
            if sizes[o["role"]] >= 2:
                ranks.setdefault(f"{o['role']}:{r.strategies[o['seat']]}", []).append(
                    (o["leaderboard_rank"], o["contribution_rank"]))
    return {group: (statistics.fmean(a for a, _ in pairs), statistics.fmean(b for _, b in pairs))
            for group, pairs in ranks.items()}
