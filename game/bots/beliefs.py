"""What a seat believes: its `SeatView` turned into the names the public rules read.

Everything here comes from the view and the rulebook (the `Scenario` and its compiled
`Rules`), never from a game state. What the seat cannot see is estimated:

- a hidden metric: the last value the seat saw, else the metric's initial value;
- an own stat hidden from the seat itself: its initial value;
- another seat's stat: the public value while it is shown, else "like me" (the seat's own
  current value of that stat, to one significant digit: a rough guess), else the stat's
  initial value;
- a random draw: its expected value (the forecast weighs a draw by its distribution
  where the mean alone would mislead: see game.bots.chance).

Numbers are perceived to `SIGNIFICANT` significant digits. Decisions are pure functions of
these rounded beliefs, which lets the planners memoise them safely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import floor, log10

from game.engine.readings import MetricReading, Reading
from game.engine.view import SeatView
from game.scenario.rules import Rules, neighbour_names

SIGNIFICANT = 2


_PERCEIVED: dict[int, dict[float, float]] = {2: {}, 1: {}}
PERCEIVED = _PERCEIVED[SIGNIFICANT]
"""`perceive`'s memo for the default precision (a value -> its perceived value): callers on
hot paths look a value up here and call `perceive` only when it is missing. (The same dict
for the life of the process: `perceive` only ever clears it.)"""


def perceive(value: float, significant: int = SIGNIFICANT) -> float:
    """`value` rounded to `significant` digits (how precisely a bot reads a number)."""
    memo = _PERCEIVED.get(significant)
    if memo is None:
        memo = _PERCEIVED[significant] = {}
    found = memo.get(value)
    if found is None:
        if value == 0.0 or value != value:
            found = 0.0
        else:
            found = round(value, significant - 1 - floor(log10(abs(value))))
        if len(memo) > 100_000:
            memo.clear()
        memo[value] = found
    return found


@dataclass(slots=True)
class Beliefs:
    """A seat's estimate of the company and the table at the moment it chooses."""

    role: str
    metrics: dict[str, float]
    policies: dict[str, int]
    own: dict[str, float]
    others: list[tuple[str, dict[str, float]]]
    """(role, stats) of every other employed seat."""
    turn: int
    score: float
    rank: int
    near: tuple[int | None, int | None] = (None, None)
    """Where the seat's upstream and downstream neighbours are in `others` (None where it
    has none: the ends of a chain, or no order)."""
    last: tuple[tuple[str, float], ...] = ()
    """The seat's own numbers of last turn, (decision id, number) in id order: how a
    forecast guesses a neighbour's unseen numbers ("like me")."""
    transit: tuple[tuple[str, int, float], ...] = ()
    """What the seat sees on its way to it: (flow id, turns until it arrives, 0 for the
    end of this turn, amount), soonest first."""


def expected_draws(rules: Rules) -> dict[str, float]:
    """The expected value of every declared random draw."""
    out: dict[str, float] = {}
    for name, draw in rules.scenario.randoms.items():
        out[name] = draw.mean_sd()[0]
    return out


def neighbour_guesses(rules: Rules) -> dict[str, float]:
    """A guess at every neighbour's value a formula may read (`upstream.x`, `downstream.x`):
    the stat's initial value. (A planner that reads the neighbours' public stats from the
    view would key its memo on them too.)"""
    specs = {**rules.decision_specs, **rules.stat_specs}
    return {name: specs[name.partition(".")[2]].initial
            for name in neighbour_names(rules.scenario)}


def _metric_estimate(reading, initial: float) -> float:
    """The reading's value, else the last value seen, else the initial value."""
    if reading.value is not None:
        return reading.value
    for value in reversed(reading.history):
        if value is not None:
            return value
    return initial


def read_beliefs(rules: Rules, view: SeatView) -> Beliefs:
    """The seat's beliefs, read from its view and the rulebook only."""
    own = read_own(rules, view)
    return Beliefs(view.role, read_metrics(rules, view), dict(view.policies), own,
                   read_others(rules, view, own), view.turn, perceive(view.score), view.rank,
                   near_of(view), last_numbers(rules, view),
                   tuple((t.flow, t.due - view.turn, perceive(t.amount)) for t in view.incoming))


def last_numbers(rules: Rules, view: SeatView) -> tuple[tuple[str, float], ...]:
    """The seat's numbers of last turn (none before its first turn, or without an order)."""
    if rules.order is None or not view.own_history:
        return ()
    choice = view.own_history[-1].choice
    return tuple(sorted((d, float(v)) for d, v in choice.items() if d in rules.decision_specs))


def near_of(view: SeatView) -> tuple[int | None, int | None]:
    """Where the view's upstream and downstream seats are among its employed others (the
    order of `read_others`)."""
    if view.upstream is None and view.downstream is None:
        return (None, None)
    place = {o.index: n for n, o in enumerate(o for o in view.others if o.employed)}
    return (place.get(view.upstream), place.get(view.downstream))


def read_metrics(rules: Rules, view: SeatView) -> dict[str, float]:
    """The perceived value of every metric (hidden ones estimated).

    (`perceive` is inlined as a look-up in its memo here and below: this runs at every
    decision that a planner's memo does not answer.)"""
    memo = _PERCEIVED[SIGNIFICANT]
    specs = rules.metric_specs
    metrics = {}
    for r in view.metrics:
        value = r.value if r.value is not None else _metric_estimate(r, specs[r.id].initial)
        metrics[r.id] = memo[value] if value in memo else perceive(value)
    return metrics


def read_own(rules: Rules, view: SeatView) -> dict[str, float]:
    """The perceived value of each of the seat's own stats (hidden ones at their initial)."""
    memo = _PERCEIVED[SIGNIFICANT]
    stat_specs = rules.stat_specs
    seen = view.own_stats
    own = {}
    for sid in rules.role_stats[view.role]:
        value = seen[sid] if sid in seen else stat_specs[sid].initial
        own[sid] = memo[value] if value in memo else perceive(value)
    return own


def read_others(rules: Rules, view: SeatView,
                own: dict[str, float]) -> list[tuple[str, dict[str, float]]]:
    """(role, perceived stats) of every other employed seat; `own` is `read_own`'s."""
    memo = _PERCEIVED[SIGNIFICANT]
    stat_specs = rules.stat_specs
    guesses: dict[str, dict[str, float]] = {}  # per role: "like me", else the initial value
    others = []
    for other in view.others:
        if not other.employed:
            continue
        guess = guesses.get(other.role)
        if guess is None:
            guess = guesses[other.role] = {sid: like_me(own.get(sid), stat_specs[sid].initial)
                                           for sid in rules.role_stats[other.role]}
        shown = other.stats
        if shown:
            stats = {sid: (memo[v] if (v := shown[sid]) in memo else perceive(v))
                     if sid in shown else guess[sid] for sid in guess}
        else:
            stats = dict(guess)
        others.append((other.role, stats))
    return others


def like_me(own: float | None, initial: float) -> float:
    """Another seat's stat while it is not shown: "like me" (`own`, the seat's own perceived
    value of it, to one significant digit), else (None: the seat lacks it) its initial value."""
    return perceive(own, 1) if own is not None else initial


def own_stat(rules: Rules, view: SeatView, sid: str) -> float | None:
    """`read_own(rules, view).get(sid)`, without reading the other stats."""
    if sid not in rules.role_stats[view.role]:
        return None
    seen = view.own_stats
    return perceive(seen[sid] if sid in seen else rules.stat_specs[sid].initial)


def metric_belief(reading: MetricReading | Reading, initial: float) -> float:
    """`read_metrics(...)[reading.id]`, for one reading (a view's, or a glance's plain
    one: the same fields)."""
    value = reading.value if reading.value is not None else _metric_estimate(reading, initial)
    return PERCEIVED[value] if value in PERCEIVED else perceive(value)


def aggregate_into(env: dict[str, float], stat_ids: tuple[str, ...],
                   seats: list[tuple[dict[str, float], int]], roles: Sequence[str] = (),
                   all_roles: Sequence[str] = ()) -> None:
    """Write `total_S`, `mean_S`, `max_S`, `min_S` for each stat S in `stat_ids`, and
    `headcount`, over (stats, count) pairs; with `roles` (one per pair) also
    `headcount_R` for every role R in `all_roles`."""
    for sid in stat_ids:
        total, n, high, low = 0.0, 0, None, None
        for stats, count in seats:
            value = stats.get(sid)
            if value is None or count <= 0:
                continue
            total += value * count
            n += count
            high = value if high is None or value > high else high
            low = value if low is None or value < low else low
        env["total_" + sid] = total
        env["mean_" + sid] = total / n if n else 0.0
        env["max_" + sid] = high if high is not None else 0.0
        env["min_" + sid] = low if low is not None else 0.0
    env["headcount"] = float(sum(count for _, count in seats))
    for role in all_roles:
        env["headcount_" + role] = 0.0
    for (_, count), role in zip(seats, roles):
        env["headcount_" + role] += count


def initial_numbers_into(env: dict[str, float], rules: Rules, roles: Sequence[str]) -> None:
    """Write `total_D`, `mean_D`, `max_D`, `min_D` of every decision D with each seat (one
    role per seat in `roles`) at its initial number: what the engine reads for them outside
    a turn's resolution (availability, for one)."""
    for did, initial, names in rules.decision_keys:
        n = sum(1 for role in roles if role in rules.decision_roles[did])
        for name, value in zip(names, (initial * n, initial if n else 0.0,
                                       initial if n else 0.0, initial if n else 0.0)):
            env[name] = value
