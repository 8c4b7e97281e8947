"""What many simulated games add up to: means and 5-95% ranges, effort shares, event rates."""

from __future__ import annotations

import csv
import io
import statistics
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, PrivateAttr

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
    _records: list = PrivateAttr(default_factory=list)

    @property
    def records(self) -> list[GameRecord]:
        """The games behind the summary, in run order."""
        return self._records


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
    0 when either has fewer than two different values (then a ranking says nothing). A
    table's seats are few, so the same pair of rankings comes back game after game: each
    pair's correlation is computed once (`_RANKED`)."""
    ranks = (tuple(_average_ranks(a)), tuple(_average_ranks(b)))
    found = _RANKED.get(ranks)
    if found is None:
        ra, rb = ranks
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


def records_csv(records: list[GameRecord]) -> str:
    """One CSV row per run: seed, start and end indices, gap, correlation, events."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["run", "seed", "proxy_start", "proxy_end", "health_start", "health_end",
                     "gap_end", "correlation", "events"])
    for i, r in enumerate(records):
        writer.writerow([i, r.seed, f"{r.proxy[0]:.4f}", f"{r.proxy[-1]:.4f}",
                         f"{r.health[0]:.4f}", f"{r.health[-1]:.4f}", f"{r.gap[-1]:.4f}",
                         f"{r.correlation:.4f}", ";".join(f"{t}:{e}" for t, e in r.events)])
    return out.getvalue()
