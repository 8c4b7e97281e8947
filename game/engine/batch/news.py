"""The news over a batch (docs/rules.md, "Events"), for every game of
the batch at the start of a turn: each event in file order, skipped where it fired before unless it
repeats, is checked on the global names; where its `when` holds and a draw falls below its
`chance` (drawn only for a chance strictly between 0 and 1) it fires: its effects apply at
once (`fire_event`: as one step over the games where it fired alone, element by element
the floats a step over the whole batch masked to them gives) and its headline goes to the
game's news. The events each game fired so far are kept as an array (`Batch.fired_events`).

Every event checked in a game draws the random names from the turn's "news" stream first,
whether or not it reads them (skipped, and only once a later number is read, when it does
not read them: `_NewsStream`), then its chance, then its effects' chances, so the numbers
drawn are the scalar ones in the scalar order. The facilitator's injected event
(`inject_event`) draws from its own stream, `stream(seed, turn, "inject", n)` for the
game's n-th injection of the turn.

The scalar engine reads the global names once and again only where an event reads an
aggregate of a stat an earlier event moved, which gives the same values (here a name an
event that fired may have moved is read again when an event next reads it: `_Names`;
aggregates no event reads are never made), with one exception kept here: the neighbours'
names of a seat whose role chooses numbers are copies made when the names were last read
(game.engine.batch.near).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from game.engine.batch.changes import Changes, finish
from game.engine.batch.effects import apply_list, passes
from game.engine.batch.env import (
    Env,
    global_env,
    in_seat_order,
    per_game,
    seat_env,
    seat_names,
)
from game.engine.batch.formula import quietly
from game.engine.batch.masks import anywhere
from game.engine.batch.near import held_neighbours
from game.engine.batch.state import Batch
from game.engine.batch.streams import Lanes, lanes_of
from game.engine.env import per_rules
from game.engine.rng import stream
from game.engine.state import Headline
from game.scenario.rules import CEvent, Rules


@quietly
def open_turn(batch: Batch) -> None:
    """Check every event in file order in every game of the batch at the start of its turn;
    fire those that hold (see the module)."""
    layout = batch.layout
    news = _NewsStream(batch)
    names = _Names(batch)
    before = _fired_before(batch)
    for e, event in enumerate(batch.rules.events):
        checked = np.ones(batch.size, dtype=bool) if event.repeat else ~before[:, e]
        if not anywhere(checked):
            continue
        genv = names.now(batch, event, checked, news.checked(batch, event, checked))
        when = per_game(layout.formula(event.when)(genv), batch.size)
        holds = checked & (when != 0.0)
        if not anywhere(holds):
            continue  # (nothing to catch up, nothing to draw, nothing fires)
        chance = per_game(layout.formula(event.chance)(genv), batch.size)
        news.catch_up(holds & (chance < 1.0) & (chance > 0.0))
        fires = passes(when, chance, checked, news.lanes)
        if anywhere(fires):
            news.catch_up(fires)
            fire_event(batch, event, fires, genv, news.lanes, senv=names.seats(batch, genv))
            names.fired(batch, event, fires)


def _fired_before(batch: Batch) -> np.ndarray:
    """(G, E) whether each event (in file order) fired in each game before this turn's news
    (an event is checked once a turn, so what fires now does not change its own check):
    `Batch.fired_events`, made from the games' `fired` lists if the batch has none yet (or
    one of another number of games)."""
    if batch.fired_events is None or len(batch.fired_events) != batch.size:
        batch.fired_events = _events_in(batch.rules, batch.fired)
    return batch.fired_events


def _events_in(rules: Rules, fired: list[list[str]]) -> np.ndarray:
    """(G, E) whether each event of `rules` (in file order) is in each game's list `fired`."""
    index = {event.id: e for e, event in enumerate(rules.events)}
    out = np.zeros((len(fired), len(index)), dtype=bool)
    events = [index[event_id] for game in fired for event_id in game]
    if events:
        out[np.repeat(np.arange(len(fired)), [len(game) for game in fired]), events] = True
    return out


class _NewsStream:
    """The turn's "news" stream of every game, moved past the random names of the events
    checked so far only when a number is read from it, as the scalar engine does: the
    numbers read are those it gives anyway, and a stream nothing reads is never seeded."""

    __slots__ = ("lanes", "randoms", "skipped")

    def __init__(self, batch: Batch) -> None:
        self.lanes = lanes_of(batch, batch.turn, "news")
        self.randoms = batch.layout.randoms
        self.skipped = np.zeros(batch.size, dtype=np.int64)
        """(G,) the events checked whose draws the stream has not been moved past yet."""

    def checked(self, batch: Batch, event: CEvent, games: np.ndarray) -> dict[str, np.ndarray]:
        """The random names drawn for `event`, checked in `games`: drawn now (name -> (G,))
        if it reads one, else left to skip later (then none)."""
        if not self.randoms:
            return {}
        if _reads_randoms(batch, event):
            self.catch_up(games)
            return self.lanes.draws(self.randoms, games)
        self.skipped[games] += 1
        return {}

    def catch_up(self, games: np.ndarray) -> None:
        """Move the stream of each of `games` past the draws it has skipped."""
        behind = games & (self.skipped > 0)
        if anywhere(behind):
            self.lanes.skip_draws(self.randoms, behind, self.skipped)
            self.skipped[behind] = 0


class _Facts(NamedTuple):
    """What the news needs to know of an event, found once per rules."""

    index: int
    """Its place in the rules' events (file order)."""
    reads_randoms: bool
    """Whether a formula of the event reads a random name of the old streams."""
    aggregated: list[int]
    """The stats of which the event reads an aggregate (`total_x`, `mean_x`, ...)."""
    moved: list[int]
    """The stats an effect of the event moves at once (an effect on seats, no delay)."""
    reads: frozenset[str]
    """The names its effects read."""
    names: frozenset[str]
    """The names its formulas read (its `when`, its `chance` and its effects')."""


def _event_facts(rules: Rules) -> dict[str, _Facts]:
    """The `_Facts` of every event of `rules`, by id."""
    stats = {st.id: t for t, st in enumerate(rules.scenario.stats)}
    out = {}
    for e, event in enumerate(rules.events):
        reads = frozenset().union(*(effect.names for effect in event.effects))
        names = event.when.names | event.chance.names | reads
        out[event.id] = _Facts(
            e, not names.isdisjoint(rules.legacy_draws),
            [t for t, (_, aggregates) in enumerate(rules.aggregate_keys)
             if not names.isdisjoint(aggregates)],
            [stats[e.target] for e in event.effects if e.on_seat and e.delay == 0], reads, names)
    return out


event_facts = per_rules(_event_facts)
news_reads = per_rules(lambda rules: frozenset().union(
    *(facts.names for facts in event_facts(rules).values())))
"""The names some event's formulas read."""


def _reads_randoms(batch: Batch, event: CEvent) -> bool:
    """Whether a formula of `event` reads a random name of the old streams."""
    return event_facts(batch.rules)[event.id].reads_randoms


class _Names:
    """The global names the events read, read again where an event moved them, and the
    neighbours' names as the scalar engine keeps them (see the module)."""

    __slots__ = ("genv", "moved", "stale", "stats")

    def __init__(self, batch: Batch) -> None:
        self.genv: Env | None = None
        self.moved: set[str] = set()
        """The global names an event that fired may have moved since they were read."""
        self.stats = batch.stats.copy() if batch.layout.order is not None else None
        """The seats' stats when each game's names were last read (with an order)."""
        self.stale = np.zeros((batch.size, len(batch.layout.stat_ids)), dtype=bool)
        """(G, T) the stats whose aggregates an event moved since the names were read."""

    def now(self, batch: Batch, event: CEvent, checked: np.ndarray,
            draws: dict[str, np.ndarray]) -> Env:
        """The global names for checking `event`, with this event's `draws` (G,): every name
        it reads as `global_env` gives it now (the others may be older); the neighbours'
        names read again in the games where it reads an aggregate an event moved."""
        if self.genv is None:  # (the aggregates no event reads are left out)
            self.genv = global_env(batch, reads=news_reads(batch.rules))
        again = self.moved & event_facts(batch.rules)[event.id].names
        if again:
            self.genv = _read_again(batch, self.genv, again)
            self.moved -= again
        if self.stats is not None:
            games = checked & self.stale[:, _aggregated_stats(batch, event)].any(axis=1)
            self.stale[games] = False
            self.stats[games] = batch.stats[games]
        genv = dict(self.genv)
        genv.update((name, values.reshape(-1, 1)) for name, values in draws.items())
        return genv

    def seats(self, batch: Batch, genv: Env) -> Env | None:
        """The seat names for an event's stat effects (None: as `seat_env` builds them)."""
        if self.stats is None:
            return None
        senv = seat_env(batch, genv)
        senv.update(held_neighbours(batch, batch.employed, self.stats))
        return senv

    def fired(self, batch: Batch, event: CEvent, fires: np.ndarray) -> None:
        """Note that `event` fired where `fires`: what an event can move (the metrics, and
        the aggregates of the stats it moved at once; the policies, employment, numbers and
        the turn's draws stay as they are) is read again when an event reads it."""
        layout, moved = batch.layout, _moved_stats(batch, event)
        self.moved.update(layout.metric_ids)
        for t in moved:
            sid = layout.stat_ids[t]
            self.moved.update(f"{kind}_{sid}" for kind in layout.aggregated.get(sid, ()))
        if moved and self.stats is not None:
            self.stale[np.ix_(fires, moved)] = True


def _moved_stats(batch: Batch, event: CEvent) -> list[int]:
    """The stats an effect of `event` moves at once (an effect on seats, with no delay)."""
    return event_facts(batch.rules)[event.id].moved


def _read_again(batch: Batch, genv: Env, names: set[str]) -> Env:
    """`genv` with `names` (metrics and aggregates of stats) read again: what
    `global_env(batch)` gives them now (the same arrays' values, as `global_env` makes
    them: a metric a column view of one copy of them all)."""
    layout = batch.layout
    genv = dict(genv)
    if not names.isdisjoint(layout.metric_ids):
        metrics = batch.metrics.copy()  # one copy, read through column views (as global_env)
        for n, mid in enumerate(layout.metric_ids):
            if mid in names:
                genv[mid] = metrics[:, n:n + 1]
    for t, sid in enumerate(layout.stat_ids):
        kinds = layout.aggregated.get(sid, ())
        if any(f"{kind}_{sid}" in names for kind in kinds):
            seats = batch.employed & layout.has_stat[:, t]
            for kind, value in in_seat_order(batch.stats[:, :, t], seats, kinds).items():
                genv[f"{kind}_{sid}"] = value.reshape(-1, 1)
    return genv


def _aggregated_stats(batch: Batch, event: CEvent) -> list[int]:
    """The stats of which `event` reads an aggregate (`total_x`, `mean_x`, ...)."""
    return event_facts(batch.rules)[event.id].aggregated


def fire_event(batch: Batch, event: CEvent, mask: np.ndarray, genv: Env, lanes: Lanes,
               injected: bool = False, senv: Env | None = None) -> None:
    """Fire `event` in the games of `mask` (G,): its effects at once on the global names
    `genv` (metric pushes skip the metric's own delay), their chance draws from `lanes`,
    applied as one step masked to those games (`_apply_where_fired`; a step with no effect
    still moves every metric when the layout is not `settled`); then its headline goes to
    those games' news."""
    if event.effects or not batch.layout.settled:
        _apply_where_fired(batch, event, mask, genv, lanes, senv)
    if batch.fired_events is not None:  # (a copy: a copied batch may share the array)
        batch.fired_events = batch.fired_events.copy()
        batch.fired_events[:, event_facts(batch.rules)[event.id].index] |= mask
    spec = batch.rules.event_specs[event.id]
    headline = Headline(turn=batch.turn, event=event.id, headline=spec.headline, text=spec.text,
                        injected=injected)  # the same in every game (never changed: shared)
    batch.fired.add(event.id, mask)
    batch.news.add(headline, mask)


def _apply_where_fired(batch: Batch, event: CEvent, mask: np.ndarray, genv: Env,
                       lanes: Lanes, senv: Env | None) -> None:
    """Apply `event`'s effects as one step over the whole batch, masked to the games of
    `mask` (G,): every formula and change is element by element, and a change lands, a
    chance is drawn and a stat or metric moves only where the mask holds, so the other
    games are left as they are. A pass that moves every metric (the layout not `settled`)
    moves them only where it fired: the other games keep their metrics and carry."""
    reads = event_facts(batch.rules)[event.id].reads
    if senv is None and any(e.on_seat for e in event.effects):  # (the seat names if read)
        senv = seat_env(batch, genv) if reads & seat_names(batch.layout) else genv
    metrics, carry = batch.metrics, batch.carry  # (`finish` makes new arrays of these)
    changes = Changes(batch)
    apply_list(batch, event.effects, genv, changes, lanes, mask, direct=True, senv=senv)
    finish(batch, changes, False)
    if not batch.layout.settled:
        where = mask[:, None]
        batch.metrics = np.where(where, batch.metrics, metrics)
        batch.carry = np.where(where, batch.carry, carry)


@quietly
def inject_event(batch: Batch, event: CEvent) -> None:
    """Fire `event` now in every game of the batch, whatever its trigger (the facilitator's
    control, as `Game._inject`): the random names and its chances are drawn from
    `stream(seed, turn, "inject", n)`, n the injections the game's news already holds."""
    lanes = Lanes(batch.seeds, batch.turn, "inject")
    for g, seed in enumerate(batch.seeds):
        n = sum(1 for headline in batch.news[g] if headline.injected)
        lanes.rngs[g] = stream(seed, batch.turn, "inject", n)
    everyone = np.ones(batch.size, dtype=bool)
    draws = lanes.draws(batch.layout.randoms, everyone) if batch.layout.randoms else None
    fire_event(batch, event, everyone, global_env(batch, draws), lanes, injected=True)
