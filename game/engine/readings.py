"""Metric readings: each metric as one role sees it during play (live, lagged, noisy or
hidden, as its visibility rules say), or as everyone sees it once the game has ended.

A role's readings are planned once per rules (`sights_of`) and built once per past
(`seat_readings`), shared by every role that sees a metric alike. The noise on a reading is
drawn from the game's noise key (its secret, see `GameState.noise_key`), never shown.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from game.engine.actions import construct_from
from game.engine.env import per_rules
from game.engine.past import Past
from game.engine.rng import unit_normal
from game.scenario.model import Metric
from game.scenario.rules import Rules

__all__ = ["MetricReading", "seat_readings", "sights_of"]


class MetricReading(BaseModel):
    """A metric as one seat sees it; `value` is None while hidden. Frozen: readings are
    memoised and shared by every view of the same turn and role."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    kind: str
    unit: str
    min: float
    max: float
    higher_is_better: bool
    value: float | None
    history: tuple[float | None, ...] = Field(
        description="From the start, one value per turn seen.")
    note: str = "live"


def _sight(metric: Metric, role: str, revealed: bool) -> tuple[str | None, int, str]:
    """How `role` is shown `metric`: whose series (None: the true values, else `role`'s, with
    noise, see `_noisy`; a hidden metric's is never built), how many turns behind, and the
    note that says how."""
    if revealed:
        return None, 0, "live"
    rule = metric.visibility_for(role)
    if rule.hidden:
        return role, 0, _HIDDEN
    note = "live"
    if rule.lag:
        note = f"{rule.lag} {'turn' if rule.lag == 1 else 'turns'} behind"
    if rule.noise:
        note = "estimate" if note == "live" else note + ", estimate"
    return (role if rule.noise else None), rule.lag, note


_HIDDEN = "hidden until the end"


def _sights(rules: Rules) -> dict[tuple[str, bool], tuple[int, tuple[tuple, ...]]]:
    """Per (role, revealed): the memo key of its readings (see `seat_readings`), and per metric in
    file order (metric, seer, lag, hidden, series key, reading key, the reading's fields with
    `value` and `history` left to fill, the span of the seer's noise), see `_sight` and
    `_noisy`. Equal reading keys mean equal readings (a hidden series is all None whoever
    looks), so roles that see a metric alike share one reading. Keys are small ints (cheaper
    to hash than the tuples they number), and no other memo key of a past is an int."""
    numbers: dict[tuple, int] = {}

    def number(key: tuple) -> int:
        return numbers.setdefault(key, len(numbers))

    def plan(role: str, revealed: bool) -> tuple[tuple, ...]:
        return tuple(
            (m, seer, lag, note == _HIDDEN, number(("series", m.id, seer)),
             number(("reading", m.id, None if note == _HIDDEN else seer, lag, note)),
             {"id": m.id, "name": m.name, "kind": m.kind, "unit": m.unit, "min": m.min,
              "max": m.max, "higher_is_better": m.higher_is_better, "value": None,
              "history": (), "note": note},
             (m.max - m.min) * m.visibility_for(seer).noise if seer is not None else 0.0)
            for m in rules.scenario.metrics for seer, lag, note in [_sight(m, role, revealed)])

    return {(role, revealed): (number(("readings", role, revealed)), plan(role, revealed))
            for role in rules.role_specs for revealed in (False, True)}


sights_of = per_rules(_sights)
"""Per rules: `_sights`."""


def _noisy(metric: Metric, seer: str, span: float, noise_key: str | int, index: int,
           value: float) -> float:
    """The value of `metric` at history `index` as `seer`, who sees it with noise of `span`
    (see `_sights`), sees it during play: the true value plus its noise, within bounds."""
    noise = unit_normal(noise_key, "view", index, seer, metric.id)
    return min(metric.max, max(metric.min, value + span * noise))


def seat_readings(past: Past, sight: tuple[int, tuple[tuple, ...]]) -> tuple[MetricReading, ...]:
    """Every metric as a role sees it, in file order, given its `sight` (see `_sights`):
    frozen readings, built once per past and shared by the roles that see a metric alike."""
    key, plan = sight
    readings = past.memo.get(key)
    if readings is None:
        readings = past.memo[key] = _built_readings(past, plan)
    return readings


def _built_readings(past: Past, plan: tuple[tuple, ...]) -> tuple[MetricReading, ...]:
    """The readings of one role's `plan` (see `_sights`), each built unless another role
    built it already."""
    memo, noise_key, records = past.memo, past.noise_key, past.records
    before = past.parent.memo if past.parent is not None else {}
    out = []
    for m, seer, lag, hidden, series_key, reading_key, fields, span in plan:
        reading = memo.get(reading_key)
        if reading is None and hidden:
            reading = memo[reading_key] = _hidden(past.rules, fields, len(records))
        elif reading is None:
            series = memo.get(series_key)  # grown already if another role sees it lagged
            if series is None:
                prev = before.get(series_key)  # `past.grown`, inlined for the usual case
                if prev is None:
                    series = past.grown(series_key, _first_seen, _next_seen, m, seer, span,
                                        noise_key)
                elif seer is None:  # `_next_seen`, inlined for the usual case
                    series = memo[series_key] = prev + (records[-1].metrics[m.id],)
                else:
                    series = memo[series_key] = _next_seen(prev, past, m, seer, span, noise_key)
            if lag:
                series = series[:max(1, len(series) - lag)]
            values = fields.copy()
            values["value"] = series[-1]
            values["history"] = series
            reading = memo[reading_key] = construct_from(MetricReading, values)
        out.append(reading)
    return tuple(out)


def _hidden(rules: Rules, fields: dict, turns: int) -> MetricReading:
    """A metric hidden during play, after `turns` turns: the same in every game of the
    rules, so built once per process. `fields` are its reading's, see `_sights`."""
    made = _hidden_made(rules)
    key = (fields["id"], turns)
    reading = made.get(key)
    if reading is None:
        values = fields.copy()
        values["history"] = (None,) * (turns + 1)
        reading = made[key] = construct_from(MetricReading, values)
    return reading


_hidden_made = per_rules(lambda _rules: {})
"""Per rules: (metric id, turns played) -> the reading of that metric while hidden."""


def _first_seen(m: Metric, seer: str | None, span: float, noise_key: str | int) -> tuple[float]:
    """The start of `m`'s series as `seer` sees it (None: the true values; else with noise
    of `span`, see `_noisy`)."""
    value = m.initial
    return (value if seer is None else _noisy(m, seer, span, noise_key, 0, value),)


def _next_seen(prev: tuple, past: Past, m: Metric, seer: str | None, span: float,
               noise_key: str | int) -> tuple[float, ...]:
    """`prev` and the last turn's value of `m` as `seer` sees it (see `_first_seen`)."""
    value = past.records[-1].metrics[m.id]
    index = len(past.records)
    return prev + ((value if seer is None else _noisy(m, seer, span, noise_key, index, value)),)
