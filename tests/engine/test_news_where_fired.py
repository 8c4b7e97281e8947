"""An event's effects applied where it fired (`news._apply_where_fired`: one step over the
whole batch, masked to those games) give what the same effects applied to a batch of those
games alone give (`_in_those_games_alone`, the rule as main applied it, written here apart
from the masked step, so that a step that leaks into the other games fails): checked at every event that fired in
the turns of random and bot games of every bundled scenario, tiny.yaml and the fixtures, and
at every injected event: metrics, carry and stats bit for bit, the pending rows (order,
fields, amounts' bits), and the streams left where the reference step leaves them (the same
draws taken). The events fired so far, kept as an array by the news (`Batch.fired_events`),
are those the games' lists hold, and a fire never changes the array of a batch copied before
it. Where the layout is not settled, an event with no effects still moves the metrics where
it fired, and only there.
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace

import numpy as np
import pytest

from game.engine.batch import news
from game.engine.batch.changes import Changes, finish
from game.engine.batch.effects import apply_list
from game.engine.batch.env import seat_env, seat_names
from game.engine.batch.news import inject_event
from game.engine.batch.state import Push, gather
from game.engine.batch.turn import resolve_states
from game.engine.game import Game
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.batch_states import EDGES, PATHS, batches, captured

STEPS = {"fires": 0, "in_some": 0}


def _in_those_games_alone(batch, event, rows, genv, lanes, senv) -> None:
    """The effects of `event` as one step on a batch of the games at `rows` alone (their
    rows of every array the step reads, the names its effects read taken at those rows,
    their streams), what it moved written back at `rows`: the rule as main applied it
    before the masked step, written independently of it (the masked step's other games must
    be left exactly as they are, and its games must get what they get alone)."""
    reads = news.event_facts(batch.rules)[event.id].reads
    if senv is None and any(e.on_seat for e in event.effects):
        senv = seat_env(batch, genv) if reads & seat_names(batch.layout) else genv
    part = replace(batch, seeds=[batch.seeds[g] for g in rows.tolist()],
                   metrics=batch.metrics[rows], carry=batch.carry[rows],
                   stats=batch.stats[rows], employed=batch.employed[rows], pending=[],
                   transit=[], fired=[], news=[], recorded=None, cache={}, bank=None)
    changes = Changes(part)
    apply_list(part, event.effects, _taken(genv, reads, rows), changes,
               _LanesAt(lanes, rows, batch.size), np.ones(len(rows), dtype=bool),
               direct=True, senv=None if senv is None else _taken(senv, reads, rows))
    finish(part, changes, False)
    batch.stats[rows] = part.stats
    batch.metrics, batch.carry = batch.metrics.copy(), batch.carry.copy()
    batch.metrics[rows], batch.carry[rows] = part.metrics, part.carry
    for p in part.pending:
        amount, present = np.zeros(batch.size), np.zeros(batch.size, dtype=bool)
        amount[rows], present[rows] = p.amount, p.present
        batch.pending.append(Push(p.due, p.target, p.seat, p.mode, p.direct, amount, present))


def _taken(env, names, rows):
    """The `names` of `env` it holds, at `rows` (a value the same in every game as it is)."""
    return {name: env[name] if env[name].ndim == 0 else env[name][rows]
            for name in names & env.keys()}


class _LanesAt:
    """The streams of `lanes` of the games at `rows`, for a batch of those games alone."""

    def __init__(self, lanes, rows, size) -> None:
        self.lanes, self.rows, self.size = lanes, rows, size

    def random(self, mask):
        games = np.zeros(self.size, dtype=bool)
        games[self.rows[mask]] = True
        return self.lanes.random(games)[self.rows]


def _same_bits(got: np.ndarray, want: np.ndarray, name: str) -> None:
    assert (got.dtype, got.shape) == (want.dtype, want.shape), name
    assert got.tobytes() == want.tobytes(), name


def _same_streams(got, want) -> None:
    """Two `Lanes` (or the same `Lanes` twice) left at the same place of every stream."""
    for name in ("cursor", "cached", "angles", "radii", "pairs"):
        _same_bits(getattr(got, name), getattr(want, name), name)
    assert [None if r is None else r.getstate() for r in got.rngs] == \
        [None if r is None else r.getstate() for r in want.rngs]


def _checked(where_fired):
    def checking(batch, event, mask, genv, lanes, senv):
        rows = np.flatnonzero(mask)
        want = copy.copy(batch)
        want.stats, want.pending = batch.stats.copy(), list(batch.pending)
        want_lanes = copy.deepcopy(lanes)
        _in_those_games_alone(want, event, rows, genv, want_lanes, senv)
        where_fired(batch, event, mask, genv, lanes, senv)
        for name in ("metrics", "carry", "stats"):
            _same_bits(getattr(batch, name), getattr(want, name), name)
        assert len(batch.pending) == len(want.pending)
        for got_push, want_push in zip(batch.pending, want.pending):
            assert (got_push.due, got_push.target, got_push.seat, got_push.mode,
                    got_push.direct) == (want_push.due, want_push.target, want_push.seat,
                                         want_push.mode, want_push.direct)
            _same_bits(got_push.amount, want_push.amount, "pending amount")
            _same_bits(got_push.present, want_push.present, "pending present")
        _same_streams(lanes, want_lanes)
        STEPS["fires"] += 1
        STEPS["in_some"] += 0 < len(rows) < batch.size
    return checking


def _kept_as_listed(batch) -> None:
    """The events fired that the batch keeps as an array are those its lists hold."""
    if batch.fired_events is not None:
        _same_bits(batch.fired_events, news._events_in(batch.rules, batch.fired),
                   "fired_events")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_effects_where_an_event_fired_are_those_of_the_whole_batch(path, monkeypatch):
    monkeypatch.setattr(news, "_apply_where_fired", _checked(news._apply_where_fired))
    open_turn = news.open_turn

    def opening_checked(batch):
        open_turn(batch)
        _kept_as_listed(batch)
    monkeypatch.setattr(news, "open_turn", opening_checked)
    game, states = captured(path, "resolve_states")
    moving = [event for event in game.rules.events if event.effects]
    before = dict(STEPS)
    for n, group in enumerate(batches(states, 8)):
        resolve_states(game.rules, [state.clone() for state in group])
        if n % 4 == 0 and moving:  # an injected event fires in every game
            batch = gather(game.rules, [state.clone() for state in group])
            news._fired_before(batch)
            inject_event(batch, moving[n % len(moving)])
            _kept_as_listed(batch)
    if path.stem in ("corners", "edges", "tokenmaxxing"):
        assert STEPS["in_some"] > before["in_some"]  # fired in some games of a batch only
    if moving:
        assert STEPS["fires"] > before["fires"]


def test_an_event_with_no_effects_moves_the_metrics_as_a_pass_does_when_not_settled(tmp_path):
    """Where a metric's bound or start is -0.0 (the layout not `settled`), an event's step
    moves every metric of the games where it fired, even with no effect to apply: a pass
    with nothing to add clamps 0.0 to a bound of -0.0. Tiny with `min: -0.0` on a metric at
    0.0 and an event with no effects that fires in some games: the metric is -0.0 exactly
    there after the first news."""
    text = TINY.read_text()
    bounds, events = "kind: proxy, min: 0, max:", "events:\n"
    assert bounds in text and events in text
    quiet = '  - {id: quiet, headline: All quiet, when: "luck > 0.5"}\n'
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace(bounds, "kind: proxy, min: -0.0, max:")
                    .replace(events, events + quiet, 1))
    game = Game(load_scenario(path))
    for states in (game.new_states(list(range(24))), [game.new_state(s) for s in range(24)]):
        fired = ["quiet" in state.fired for state in states]
        assert 0 < sum(fired) < len(states)  # fired in some games of the batch only
        assert [math.copysign(1.0, state.metrics["tokens_burned"]) < 0 for state in states] \
            == fired


def test_a_fire_leaves_the_events_fired_of_a_copied_batch_as_they_were():
    """`Batch.fired_events` is a new array at every fire, never written in place: a batch
    copied before an event fires (sharing the array) still holds the events fired before."""
    game, states = captured(EDGES, "resolve_states")
    batch = gather(game.rules, [state.clone() for state in batches(states, 8)[-1]])
    before = news._fired_before(batch)
    e = int(np.flatnonzero(~before.all(axis=0))[0])  # an event some game has not fired yet
    kept, twin = before.copy(), copy.copy(batch)
    inject_event(batch, game.rules.events[e])
    assert twin.fired_events is before
    _same_bits(before, kept, "the copy's events fired")
    assert batch.fired_events[:, e].all()
