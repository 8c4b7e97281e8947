"""A turn's resolution for a batch of games, in the order of docs/rules.md ("How a turn
resolves", step 4 on): reset, the snapshot, work, policies, what falls due and the stat
changes, dynamics, metrics, flows; then review (game.engine.batch.review), the record, the
next turn and its news (game.engine.batch.news). `resolve_states` and `open_news_states` are
the entry points over GameStates (a game is a batch of one).

The review step is `review.review_turn(batch) -> None`, the news step `news.open_turn(batch)
-> None` (game/engine/batch/review.py and news.py).
"""

from __future__ import annotations

import numpy as np

from game.engine.batch import news, review
from game.engine.batch.changes import Changes, apply_stats, arrive_due, finish
from game.engine.batch.effects import apply_list, apply_work
from game.engine.batch.env import global_env, seat_env
from game.engine.batch.flows import ship_and_deliver
from game.engine.batch.formula import quietly
from game.engine.batch.lists import GameLists
from game.engine.batch.recorded import Allocations, Reviews
from game.engine.batch.state import Batch, Recorded, gather, scatter
from game.engine.batch.streams import Bank, Lanes, lanes_of, resolve_draws
from game.engine.env import per_rules
from game.engine.state import GameState
from game.scenario.rules import Rules


def resolve_turn(batch: Batch) -> None:
    """Resolve and review the batch's turn, record it, and open the next turn with its news
    (or end the games after the last turn)."""
    resolve_body(batch)
    review.review_turn(batch)
    record_turn(batch)
    if next_turn(batch):
        news.open_turn(batch)


@quietly
def resolve_body(batch: Batch) -> None:
    """Resolution's steps 1-8 (docs/rules.md): everything before the review."""
    reset_stats(batch)
    lanes = lanes_of(batch, batch.turn, "resolve") if resolve_draws(batch.rules) else None
    snapshot = _env(batch, lanes, snapshot_reads(batch.rules))
    changes = Changes(batch)
    apply_work(batch, snapshot, changes)
    apply_policies(batch, snapshot, changes, lanes)
    arrive_due(batch, changes)
    apply_stats(batch, changes)
    changes.clear_stats()
    after_work = _env(batch, lanes)
    everyone = np.ones(batch.size, dtype=bool)
    apply_list(batch, batch.rules.dynamics, after_work, changes, lanes, everyone)
    finish(batch, changes, True)
    if batch.rules.flows:
        ship_and_deliver(batch)


def reset_stats(batch: Batch) -> None:
    """Every stat marked `reset_each_turn` of every employed seat back to its initial value
    (in place, stat by stat)."""
    layout = batch.layout
    for t, initial in layout.reset:
        np.copyto(batch.stats[:, :, t], initial, where=batch.employed & layout.has_stat[:, t])


def _snapshot_reads(rules: Rules) -> frozenset[str]:
    """The names the work and policy effects read: the only readers of the snapshot, which
    computes no aggregate over the seats (`total_x`, ...) that none of them names."""
    return frozenset().union(*(e.names for b in rules.behaviours for e in b.effects),
                             *(e.names for p in rules.policies for e in p.effects))


snapshot_reads = per_rules(_snapshot_reads)


def _env(batch: Batch, lanes: Lanes | None, reads: frozenset[str] | None = None) -> dict:
    """The global names now (of the aggregates, only those `reads` names, if given), with
    the random names drawn from `lanes` if given."""
    if lanes is None or not batch.layout.randoms:
        return global_env(batch, reads=reads)
    everyone = np.ones(batch.size, dtype=bool)
    return global_env(batch, lanes.draws(batch.layout.randoms, everyone), reads)


def apply_policies(batch: Batch, genv: dict, changes: Changes, lanes: Lanes | None) -> None:
    """Every active policy's effects, in file order, on the snapshot."""
    senv = None
    active = batch.policies > 0  # (G, P)
    anywhere = active.any(axis=0).tolist()
    for p, policy in enumerate(batch.rules.policies):
        if not anywhere[p] or not policy.effects:
            continue
        if senv is None and any(e.on_seat for e in policy.effects):
            senv = seat_env(batch, genv)
        apply_list(batch, policy.effects, genv, changes, lanes, active[:, p], senv=senv)


def record_turn(batch: Batch) -> None:
    """Keep what the turn's history record holds: metrics and stats after the review, the
    turn's news, its review rows and the allocations and effort it resolved with (see
    `scatter`). The news lists are the batch's own: `next_turn`, which always follows,
    gives the batch new ones, so nothing adds to these again."""
    batch.recorded = Recorded(batch.metrics.copy(), batch.stats.copy(), batch.news,
                              batch.reviews, batch.allocations, batch.effort.copy())


def next_turn(batch: Batch) -> bool:
    """Move the turn on, with no choices made and no news yet; returns whether the game goes
    on (False after the last turn: the games have ended)."""
    layout = batch.layout
    batch.turn += 1
    batch.effort = np.zeros_like(batch.effort)
    batch.numbers = np.broadcast_to(layout.decision_initial, batch.numbers.shape).copy()
    batch.allocated = np.zeros_like(batch.allocated)
    batch.allocations = Allocations(batch.size)
    batch.news = GameLists(batch.size)
    batch.reviews = Reviews(batch.size)
    batch.cache.clear()
    if batch.turn > batch.rules.scenario.turns:
        batch.ended = True
    return not batch.ended


def resolve_states(rules: Rules, states: list[GameState]) -> None:
    """Resolve the current turn of `states` (same scenario, table and turn; each with its
    allocations, as `Game._close` leaves them) in place: gathered into one batch, resolved,
    scattered back (each game's result is the same whatever games share its batch)."""
    batch = gather(rules, states)
    resolve_turn(batch)
    scatter(batch, states)


def inject_states(rules: Rules, states: list[GameState], event_id: str) -> None:
    """Fire the event `event_id` now in every one of `states`, whatever its trigger (the
    facilitator's control; see `news.inject_event`), in place."""
    event = next(e for e in rules.events if e.id == event_id)
    batch = gather(rules, states)
    news.inject_event(batch, event)
    scatter(batch, states, record=False)


def open_news_states(rules: Rules, states: list[GameState]) -> None:
    """The news at the start of the games' current turn, in
    place: what `Game.new_state` does for turn 1. (Its batch draws one turn's news and is
    dropped: an empty bank, so no stream of a later turn is seeded for it.)"""
    batch = gather(rules, states)
    batch.bank = Bank(batch.seeds, [], range(batch.turn, batch.turn + 1))
    news.open_turn(batch)
    scatter(batch, states, record=False)
