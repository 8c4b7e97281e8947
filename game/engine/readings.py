"""Metric readings: each metric as one role sees it during play (live, lagged, noisy or
hidden, as its visibility rules say), or as everyone sees it once the game has ended.

A role's readings are planned once per rules (`sights_of`) and built once per past
(`seat_readings`), shared by every role that sees a metric alike. The noise on a reading is
drawn from the game's noise key (its secret, see `GameState.noise_key`), never shown.

Inside the engine a reading is a plain `Reading` (a named tuple: a simulation builds hundreds a
game, and a pydantic model costs ten times as much to build); a view exports each as the
pydantic `MetricReading` of the same fields (`exported_readings`), built once per past too.
"""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from game.engine.actions import construct_from
from game.engine.env import per_rules
from game.engine.past import Past
from game.engine.rng import unit_normal
from game.scenario.model import Metric
from game.scenario.rules import Rules

__all__ = ["MetricReading", "Reading", "exported_readings", "seat_readings", "sights_of"]


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


Reading = NamedTuple("Reading", [(name, field.annotation)
                                 for name, field in MetricReading.model_fields.items()])
Reading.__doc__ = """A `MetricReading` as the engine keeps it: the same fields in the same
order (made from the model's, so they cannot drift apart), plain and frozen (shared like the
exported ones)."""


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
    file order (metric, seer, lag, hidden, series key, reading key, the reading's fields before
    `value`, its note, the span of the seer's noise), see `_sight` and `_noisy`. Equal reading
    keys mean equal readings (a hidden series is all None whoever looks), so roles that see a
    metric alike share one reading. Keys are small ints (cheaper to hash than the tuples they
    number): a reading's exported `MetricReading` is kept under its key's complement (a
    negative int), and no other memo key of a past is an int."""
    numbers: dict[tuple, int] = {}

    def number(key: tuple) -> int:
        return numbers.setdefault(key, len(numbers))

    def plan(role: str, revealed: bool) -> tuple[tuple, ...]:
        return tuple(
            (m, seer, lag, note == _HIDDEN, number(("series", m.id, seer)),
             number(("reading", m.id, None if note == _HIDDEN else seer, lag, note)),
             (m.id, m.name, m.kind, m.unit, m.min, m.max, m.higher_is_better), note,
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


def seat_readings(past: Past, sight: tuple[int, tuple[tuple, ...]]) -> tuple[Reading, ...]:
    """Every metric as a role sees it, in file order, given its `sight` (see `_sights`):
    frozen readings, built once per past and shared by the roles that see a metric alike."""
    key, plan = sight
    readings = past.memo.get(key)
    if readings is None:
        readings = past.memo[key] = _built_readings(past, plan)
    return readings


def exported_readings(past: Past, sight: tuple[int, tuple[tuple, ...]]
                      ) -> tuple[MetricReading, ...]:
    """`seat_readings(past, sight)` as the pydantic `MetricReading`s a view exports (the same
    fields, in the same order), each built once per past and shared like the plain ones."""
    key, plan = sight
    exported = past.memo.get(~key)
    if exported is None:
        memo, out = past.memo, []
        for reading, entry in zip(seat_readings(past, sight), plan):
            reading_key = ~entry[5]
            model = memo.get(reading_key)
            if model is None:
                model = memo[reading_key] = construct_from(MetricReading, reading._asdict())
            out.append(model)
        exported = past.memo[~key] = tuple(out)
    return exported


def _built_readings(past: Past, plan: tuple[tuple, ...]) -> tuple[Reading, ...]:
    """The readings of one role's `plan` (see `_sights`), each built unless another role
    built it already."""
    memo, noise_key, records = past.memo, past.noise_key, past.records
    before = past.parent.memo if past.parent is not None else {}
    out = []
    for m, seer, lag, hidden, series_key, reading_key, head, note, span in plan:
        reading = memo.get(reading_key)
        if reading is None and hidden:
            reading = memo[reading_key] = _hidden(past.rules, head, note, len(records))
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
            reading = memo[reading_key] = _make((*head, series[-1], series, note))
        out.append(reading)
    return tuple(out)


_make = Reading._make


def _hidden(rules: Rules, head: tuple, note: str, turns: int) -> Reading:
    """A metric hidden during play, after `turns` turns: the same in every game of the
    rules, so built once per process. `head` and `note` are its reading's, see `_sights`."""
    made = _hidden_made(rules)
    key = (head[0], turns)
    reading = made.get(key)
    if reading is None:
        reading = made[key] = _make((*head, None, (None,) * (turns + 1), note))
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
