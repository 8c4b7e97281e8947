"""Lint by play: a visible number that gives a hidden one away.

A metric hidden from a role is no secret if something the role sees moves in lockstep with it,
e.g. an "active wallets" count that is last week's hidden "real users" plus whatever the
players add. `leak_findings` plays a few seeded all-bot games and, for every role, compares each
series it sees (metrics shown live or lagged without noticeable noise, its seats' own stats)
with each series hidden from it (hidden metrics, stats hidden from the seat itself), with the
hidden one up to two turns earlier or later. A pair leaks when one straight line maps the
visible values onto the hidden ones, and the visible turn-to-turn changes onto the hidden
ones, within 0.1% of the hidden one's range in most sampled turns, while the hidden value
really moves.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from game.analysis.simulate import play_bot_game
from game.engine.state import GameState
from game.scenario.lint import Finding
from game.scenario.model import Scenario
from game.scenario.rules import Rules

__all__ = ["GAMES", "leak_findings"]

GAMES = 3
"""Seeded games played per scenario (seeds 1..GAMES, default seats and strategies)."""
LAGS = (0, 1, 2, -1, -2)
"""Turns the hidden series may trail (positive) or lead (negative) the visible one."""
TOLERANCE = 0.001
"""A match is within this share of the hidden series' range (its max - min): a copy, not a
resemblance (series that merely move together differ by more)."""
MOST = 0.6
"""Share of sampled turns that must match for a leak."""
NOISE_SHOWN = 0.02
"""A metric shown with more noise than this (as a share of its range) is not a copy."""
PAIR_TRIALS = 400
"""Lines tried per comparison (through two sampled points each)."""
MAX_POINTS = 300
"""Points compared per series pair at most (a sample, so 40 seats x 100 turns stays quick)."""


@dataclass(frozen=True)
class Series:
    """One named series as seen (or hidden) for a role: per game, per seat, one value a turn."""

    kind: str  # "metric" or "stat"
    id: str
    index: int  # position in the scenario's metrics or stats
    span: float  # max - min
    runs: list[list[float]]  # one list of values per game (and seat, for stats)


def leak_findings(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """A warning for each (role, visible series, hidden series) that tracks almost exactly."""
    states = [play_bot_game(s, seed, {})[0] for seed in range(1, GAMES + 1)]
    for role in sorted({seat.role for seat in states[0].seats}):
        seen, hidden = _series(s, states, role)
        for h in hidden:
            for v in seen:
                found = _best_match(v, h)
                if found is not None:
                    yield _finding(s, role, v, h, *found)


def _series(s: Scenario, states: list[GameState], role: str) -> tuple[list[Series], list[Series]]:
    """The series a seat of `role` sees and those hidden from it."""
    seen: list[Series] = []
    hidden: list[Series] = []
    for i, m in enumerate(s.metrics):
        rule = m.visibility_for(role)
        runs = [[h.metrics[m.id] for h in st.history] for st in states]
        series = Series("metric", m.id, i, m.max - m.min, runs)
        if rule.hidden:
            hidden.append(series)
        elif rule.noise <= NOISE_SHOWN:
            seen.append(series)
    for i, st in enumerate(s.stats):
        if st not in s.stats_of(role) or st.bookkeeping:
            continue  # a bookkeeping stat is shown to nobody, and is no secret either
        runs = [[h.stats[seat.index][st.id] for h in state.history]
                for state in states for seat in state.seats if seat.role == role]
        series = Series("stat", st.id, i, st.max - st.min, runs)
        (hidden if st.hidden_from_self else seen).append(series)
    return seen, hidden


def _pairs(v: Series, h: Series, lag: int,
           changes: bool = False) -> list[tuple[float, float]]:
    """(visible at turn t, hidden at turn t - lag) over every run both series share; with
    `changes`, each turn's change from the turn before instead of the values."""
    v_runs, h_runs = v.runs, h.runs
    if len(v_runs) < len(h_runs):  # a metric against a stat: the metric against every seat
        v_runs = v_runs * (len(h_runs) // len(v_runs))
    elif len(h_runs) < len(v_runs):
        h_runs = h_runs * (len(v_runs) // len(h_runs))
    out = []
    for vs, hs in zip(v_runs, h_runs):
        if changes:
            vs, hs = _changes(vs), _changes(hs)
        out += [(vs[t], hs[t - lag]) for t in range(len(vs)) if 0 <= t - lag < len(hs)]
    return out


def _changes(levels: list[float]) -> list[float]:
    """Each turn's value minus the previous turn's."""
    return [b - a for a, b in zip(levels, levels[1:])]


def _best_match(v: Series, h: Series) -> tuple[int, int, int] | None:
    """(lag, matching turns, sampled turns) of the closest leak of `h` through `v`, or None.
    Values and changes must both match: two series that merely trend steadily (one up a
    point a turn, one down two) lie on a line as values, but their changes are constant."""
    best = None
    tol = TOLERANCE * h.span
    for lag in LAGS:
        points, steps = _pairs(v, h, lag), _pairs(v, h, lag, changes=True)
        if len(steps) < 8:
            continue
        hits = _most_on_one_line(points, tol)
        if hits >= MOST * len(points) and _most_on_one_line(steps, tol) >= MOST * len(steps):
            if best is None or hits / len(points) > best[1] / best[2]:
                best = (lag, hits, len(points))
    return best


def _most_on_one_line(points: list[tuple[float, float]], tol: float) -> int:
    """The most points within `tol` (in y) of one sloped line through two of them, counting
    only lines whose matched points take many different y values (a pinned series is no
    leak)."""
    rng = random.Random(0)
    if len(points) > MAX_POINTS:
        points = rng.sample(points, MAX_POINTS)
    n, best = len(points), 0
    candidates = [(i, j) for i in range(n) for j in range(i + 1, n)]
    if len(candidates) > PAIR_TRIALS:
        candidates = rng.sample(candidates, PAIR_TRIALS)
    for i, j in candidates:
        (x1, y1), (x2, y2) = points[i], points[j]
        if abs(x2 - x1) < 1e-12 or abs(y2 - y1) <= tol:
            continue
        slope = (y2 - y1) / (x2 - x1)
        ys = [y for x, y in points if abs(y - (y1 + slope * (x - x1))) <= tol]
        if len(ys) > best and _distinct(ys, tol) >= max(4, len(ys) // 2):
            best = len(ys)
    return best


def _distinct(values: list[float], tol: float) -> int:
    """How many of `values` differ from the previous one (sorted) by more than `tol`."""
    ordered = sorted(values)
    return 1 + sum(1 for a, b in zip(ordered, ordered[1:]) if b - a > tol)


def _finding(s: Scenario, role: str, v: Series, h: Series, lag: int, hits: int,
             total: int) -> Finding:
    when = {0: "in the same turn", 1: "a turn late", 2: "two turns late",
            -1: "a turn ahead", -2: "two turns ahead"}[lag]
    what = f"its {v.kind} '{v.id}'" if v.kind == "stat" else f"metric '{v.id}'"
    secret = f"hidden metric '{h.id}'" if h.kind == "metric" else f"its hidden stat '{h.id}'"
    loc = ("metrics" if v.kind == "metric" else "stats", v.index)
    return Finding(loc, "warning",
                   f"role '{role}' sees {what}, which follows {secret} {when} almost exactly "
                   f"(within {TOLERANCE:.1%} of its range in {hits} of {total} sampled turns), "
                   f"so the hidden value can be read off it: give '{v.id}' causes of its own "
                   f"(a random draw, other inputs), add noise or a lag to what '{role}' sees, "
                   f"or hide it too")
