"""What many simulated games add up to: means and 5-95% ranges, effort shares, event rates."""

from __future__ import annotations

import csv
import io
import statistics
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field, PrivateAttr

from game.analysis.columns import Records, Table, event_ids
from game.bots.groups import equal_rows
from game.scenario.model import Scenario

if TYPE_CHECKING:
    from game.analysis.record import GameRecord


class SimulationSummary(BaseModel):
    """The result of `goodhart simulate`: the JSON holds exactly these fields."""

    scenario: str
    seed: int
    runs: int
    turns: int
    strategies: dict[str, str] = Field(description="Role -> strategy of its bots.")
    locked: dict[str, int] = Field(default_factory=dict,
                                   description="Policies held at a level for every run.")
    proxy_start: float
    proxy_start_range: tuple[float, float]
    proxy_end_mean: float
    proxy_end_range: tuple[float, float]
    health_start: float
    health_start_range: tuple[float, float]
    health_end_mean: float
    health_end_range: tuple[float, float]
    gap_end_mean: float
    gap_end_range: tuple[float, float]
    proxy_health_corr_mean: float
    proxy_health_corr_range: tuple[float, float]
    rank_contribution_corr_mean: float = Field(
        description="Mean Spearman correlation of leaderboard rank with contribution rank.")
    proxy_by_turn: list[float]
    health_by_turn: list[float]
    behaviour_share: dict[str, dict[str, float]] = Field(
        description="Role -> behaviour id -> share of that role's effort.")
    strategy_share: dict[str, dict[str, float]] = Field(
        description="'role:strategy' -> behaviour id -> share of effort.")
    event_frequency: dict[str, float] = Field(
        description="Event id -> share of runs in which it fired at least once.")
    rank_by_strategy: dict[str, tuple[float, float]] = Field(
        default_factory=dict,
        description="'role:strategy' -> (mean leaderboard rank, mean contribution rank) of its "
                    "seats, 1 = top, in roles of two or more seats.")
    _records: Records | list = PrivateAttr(default_factory=list)

    @property
    def kept_records(self) -> Records | list[GameRecord]:
        """The games behind the summary as it keeps them: columns (or the GameRecords it
        was made from), for readers of columns such as `records_csv`."""
        return self._records

    @property
    def records(self) -> list[GameRecord]:
        """The games behind the summary, in run order (made from their columns on the first
        call: the summary itself reads the columns)."""
        records = self._records
        return records.game_records() if isinstance(records, Records) else records


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
    return _ranked_correlation(tuple(_average_ranks(a)), tuple(_average_ranks(b)))


def _ranked_correlation(ra: tuple[float, ...], rb: tuple[float, ...]) -> float:
    """The correlation of two rankings (`_spearman`). A table's seats are few, so the same
    pair of rankings comes back game after game: each pair's is computed once (`_RANKED`)."""
    ranks = (ra, rb)
    found = _RANKED.get(ranks)
    if found is None:
        found = 0.0 if len(set(ra)) < 2 or len(set(rb)) < 2 else statistics.correlation(ra, rb)
        if len(_RANKED) >= 4096:
            _RANKED.clear()
        _RANKED[ranks] = found
    return found


_RANKED: dict[tuple[tuple[float, ...], tuple[float, ...]], float] = {}


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


def _shares(records: Records, groups: list[str]) -> dict[str, dict[str, float]]:
    """Effort share per behaviour of each group of seats (`groups[seat]`), groups in the
    order of their first seat, behaviours in file order: every behaviour some game's effort
    dict of a seat of the group holds, its points over the group's total."""
    points = records.effort.sum(axis=0)  # (S, B)
    held = (records.effort_place >= 0).any(axis=0)
    out = {}
    for group in dict.fromkeys(groups):
        seats = [k for k, g in enumerate(groups) if g == group]
        row = {bid: n for bid, n, has in zip(records.table.behaviour_ids,
                                             points[seats].sum(axis=0).tolist(),
                                             held[seats].any(axis=0).tolist()) if has}
        total = sum(row.values())
        if total:
            out[group] = {bid: n / total for bid, n in row.items()}
    return out


def _by_turn(series: np.ndarray) -> list[float]:
    """The mean of each turn's values (a column of `series`) over the games (each column
    read through a memoryview, which hands `fmean` the same floats without a list)."""
    if not len(series):
        return []
    return [statistics.fmean(memoryview(column)) for column in np.ascontiguousarray(series.T)]


def _values(column: np.ndarray) -> list[float]:
    """A column's values for `spread`, sorted where none is NaN or -0.0: the same mean
    (`fmean` sums exactly, in any order) and the same quantiles (which sort them again,
    faster when they come sorted; equal values are then equal bits, where 0.0 and -0.0 in
    the order they came in would decide the sign of a zero quantile)."""
    unsorted = np.isnan(column).any() or np.signbit(column[column == 0.0]).any()
    return column.tolist() if unsorted else np.sort(column).tolist()


def _event_frequency(scenario: Scenario, records: Records) -> dict[str, float]:
    """Event id -> the share of the games in which it fired (every event of the scenario,
    in file order, then any other that fired, in the order the games met them: not the
    order of `event_ids`, which is the order of a join's parts)."""
    games = len(records)
    fired = np.zeros((games, len(records.event_ids)), dtype=bool)
    fired[np.repeat(np.arange(games), np.diff(records.event_start)), records.event_code] = True
    in_games = fired.sum(axis=0).tolist()
    counts = {ev.id: 0 for ev in scenario.events}
    codes, first = np.unique(records.event_code, return_index=True)
    for code in codes[np.argsort(first)].tolist():
        counts[records.event_ids[code]] = in_games[code]
    return {event: count / max(1, games) for event, count in counts.items()}


def rank_agreements(records: Records) -> list[float]:
    """Each game's `rank_agreement`, computed once for each distinct set of rankings."""
    table = records.table
    roles = [table.roles[k] for k in table.reviewed]
    groups = [[j for j, r in enumerate(roles) if r == role] for role in dict.fromkeys(roles)]
    groups = [columns for columns in groups if len(columns) >= 2]
    if not groups or not len(records):
        return [0.0] * len(records)
    values, which = [], []
    for columns in groups:
        ranks = np.concatenate([_ranks_of(records.score_total[:, columns]),
                                _ranks_of(records.contribution[:, columns])], axis=1)
        distinct, inverse = _distinct_rows(ranks)
        half = len(columns)
        values.append([_ranked_correlation(tuple(row[:half]), tuple(row[half:]))
                       for row in distinct.tolist()])
        which.append(inverse)
    combos, inverse = _distinct_rows(np.stack(which, axis=1))
    means = [statistics.fmean([values[r][i] for r, i in enumerate(combo)])
             for combo in combos.tolist()]
    return [means[i] for i in inverse.tolist()]


def _distinct_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-D array (N, k) (N >= 1), and each row's place among them
    (`game.bots.groups.equal_rows`, the groups a stack of seats is keyed by). For rows of
    numbers that hold no NaN and no -0.0 (where equal as numbers is equal as bytes) these
    are the rows and places of `np.unique(rows, axis=0, return_inverse=True)` but for the
    order of the distinct rows (callers read only which rows are equal), a few times
    faster on 2,000 rankings."""
    group, first = equal_rows(rows)
    return rows[first], group


def _ranks_of(values: np.ndarray) -> np.ndarray:
    """(N, k) `_average_ranks` of each row of `values` (the same floats: halves of small
    whole numbers); a row holding NaN is ranked by `_average_ranks` itself."""
    above = (values[:, None, :] > values[:, :, None]).sum(axis=2)
    equal = (values[:, None, :] == values[:, :, None]).sum(axis=2)
    ranks = above + (equal - 1) / 2.0 + 1.0
    for n in np.flatnonzero(np.isnan(values).any(axis=1)).tolist():
        ranks[n] = _average_ranks(values[n].tolist())
    return ranks


def summarise(scenario: Scenario, records: Records | list[GameRecord], seed: int,
              strategies: dict[str, str]) -> SimulationSummary:
    """The summary of `records` (in run order): columns, or GameRecords of one table and
    one number of turns (ValueError otherwise, from `Records.of`: columns hold no game that
    ended early, which no simulated game does)."""
    if not isinstance(records, Records):
        records = _columns_of(scenario, records)
    stats = {name: spread(_values(column)) for name, column in (
        ("proxy_start", records.proxy[:, 0]), ("proxy_end", records.proxy[:, -1]),
        ("health_start", records.health[:, 0]), ("health_end", records.health[:, -1]),
        ("gap_end", records.gap[:, -1]), ("corr", records.correlation))}
    ranks = rank_agreements(records)
    roles, chosen = records.table.roles, records.table.strategies
    return SimulationSummary(
        scenario=scenario.id, seed=seed, runs=len(records), turns=scenario.turns,
        strategies=strategies,
        **{f"{k}{suffix}": v for k in ("proxy_start", "health_start")
           for suffix, v in (("", stats[k][0]), ("_range", stats[k][1:]))},
        **{f"{k}_mean": stats[k][0] for k in ("proxy_end", "health_end", "gap_end")},
        **{f"{k}_range": stats[k][1:] for k in ("proxy_end", "health_end", "gap_end")},
        proxy_health_corr_mean=stats["corr"][0], proxy_health_corr_range=stats["corr"][1:],
        rank_contribution_corr_mean=statistics.fmean(ranks) if ranks else 0.0,
        proxy_by_turn=_by_turn(records.proxy), health_by_turn=_by_turn(records.health),
        behaviour_share=_shares(records, list(roles)),
        strategy_share=_shares(records, [f"{r}:{s}" for r, s in zip(roles, chosen)]),
        event_frequency=_event_frequency(scenario, records),
        rank_by_strategy=rank_by_strategy(records))


def _columns_of(scenario: Scenario, records: list[GameRecord]) -> Records:
    """The columns of GameRecords of one table of `scenario` (see `Records.of`)."""
    first = records[0] if records else None
    seats = first.outcomes if first else []
    table = Table(roles=tuple(first.roles if first else ()),
                  strategies=tuple(first.strategies if first else ()),
                  metric_ids=tuple(m.id for m in scenario.metrics),
                  policy_ids=tuple(p.id for p in scenario.policies),
                  behaviour_ids=tuple(b.id for b in scenario.behaviours),
                  reviewed=tuple(o["seat"] for o in seats), names=tuple(o["name"] for o in seats))
    return Records.of(table, event_ids(scenario), records)


def rank_by_strategy(records: Records) -> dict[str, tuple[float, float]]:
    """'role:strategy' -> (mean leaderboard rank, mean contribution rank) over the games, in
    roles that seat two or more (where a rank says something)."""
    table = records.table
    roles = [table.roles[k] for k in table.reviewed]
    groups: dict[str, list[int]] = {}
    for j, k in enumerate(table.reviewed):
        if roles.count(roles[j]) >= 2:
            groups.setdefault(f"{roles[j]}:{table.strategies[k]}", []).append(j)
    if not len(records):
        return {}
    return {group: (statistics.fmean(records.leaderboard_rank[:, columns].ravel().tolist()),
                    statistics.fmean(records.contribution_rank[:, columns].ravel().tolist()))
            for group, columns in groups.items()}


def summary_table(summary: SimulationSummary) -> str:
    """The summary as a plain-text table for the terminal."""
    s = summary
    rng = lambda pair: f"{pair[0]:7.1f} .. {pair[1]:<7.1f}"  # noqa: E731
    held = "".join(f", {pid} held at {level}" for pid, level in s.locked.items())
    lines = [f"{s.scenario}: {s.runs} runs, seed {s.seed}, "
             + ", ".join(f"{role}={name}" for role, name in s.strategies.items()) + held, "",
             f"{'measure':<26}{'mean':>8}   {'5% .. 95%':<18}",
             f"{'proxy index, start':<26}{s.proxy_start:8.1f}   {rng(s.proxy_start_range)}",
             f"{'proxy index, end':<26}{s.proxy_end_mean:8.1f}   {rng(s.proxy_end_range)}",
             f"{'health index, start':<26}{s.health_start:8.1f}   {rng(s.health_start_range)}",
             f"{'health index, end':<26}{s.health_end_mean:8.1f}   {rng(s.health_end_range)}",
             f"{'Goodhart gap, end':<26}{s.gap_end_mean:8.1f}   {rng(s.gap_end_range)}",
             f"{'proxy-health correlation':<26}{s.proxy_health_corr_mean:8.2f}   "
             f"{s.proxy_health_corr_range[0]:7.2f} .. {s.proxy_health_corr_range[1]:<7.2f}",
             f"{'rank vs contribution':<26}{s.rank_contribution_corr_mean:8.2f}"]
    if any(s.strategy_share.values()):  # (roles that only choose numbers spend no effort)
        lines += ["", "effort share by strategy"]
        for group, row in s.strategy_share.items():
            parts = ", ".join(f"{bid} {share:.0%}" for bid, share in row.items()
                              if share >= 0.005)
            lines.append(f"  {group:<24}{parts}")
    if s.rank_by_strategy:
        lines += ["", "mean rank by strategy (1 = top)   leaderboard   real contribution"]
        for group, (board, real) in s.rank_by_strategy.items():
            lines.append(f"  {group:<32}{board:11.1f}{real:20.1f}")
    lines += ["", "events (share of runs in which each fired)"]
    for event, share in sorted(s.event_frequency.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {event:<24}{share:6.0%}")
    return "\n".join(lines)


def records_csv(records: list[GameRecord] | Records) -> str:
    """One CSV row per run: seed, start and end indices, gap, correlation, events (from
    columns, read as they are: no GameRecord is made, ~10x faster)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["run", "seed", "proxy_start", "proxy_end", "health_start", "health_end",
                     "gap_end", "correlation", "events"])
    if isinstance(records, Records):
        values = zip(records.seeds.tolist(), *(column.tolist() for column in (
            records.proxy[:, 0], records.proxy[:, -1], records.health[:, 0],
            records.health[:, -1], records.gap[:, -1], records.correlation)),
            records.event_lists())
    else:
        values = ((r.seed, r.proxy[0], r.proxy[-1], r.health[0], r.health[-1], r.gap[-1],
                   r.correlation, r.events) for r in records)
    for i, (seed, p0, p1, h0, h1, gap, r, events) in enumerate(values):
        writer.writerow([i, seed, f"{p0:.4f}", f"{p1:.4f}", f"{h0:.4f}", f"{h1:.4f}",
                         f"{gap:.4f}", f"{r:.4f}", ";".join(f"{t}:{e}" for t, e in events)])
    return out.getvalue()
