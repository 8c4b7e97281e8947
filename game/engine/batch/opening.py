"""A chunk of new games opened as one batch, without GameStates: `open_batch` is
`gather(rules, Game(scenario).new_states(seeds, table, locked))` made directly, for the
simulator's loop over arrays (game.analysis.batch_play).

Every game of a chunk starts from the same values (the scenario's initial ones, the locked
levels, what is in transit at the start): they are read once, from one fresh state gathered
alone (`Game.unopened_state`, the very state `new_states` starts each game from), and
repeated for every game. The first news is then opened over the batch (`news.open_turn`),
and what it left is put in the form `gather` gives after `scatter`: pending changes and
shipments as gather's rows (one per place in a game's list and key).

Unlike `new_states`, this does not move a game on past a phase nobody acts in (the games stay
at turn 1's policy phase: the caller checks that some seat acts in it, as `play_over_arrays`
does), and the batch keeps the bank of streams its news seeded (`Batch.bank`), which the
turns after read from (the same numbers as streams seeded one by one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from game.engine.batch.lists import GameLists
from game.engine.batch.news import open_turn
from game.engine.batch.recorded import Allocations, Reviews
from game.engine.batch.state import Batch, Push, Shipment, gather
from game.engine.state import SeatSetup
from game.scenario.rules import Rules

_REPEATED = ("metrics", "carry", "policies", "stats", "employed", "laid_off_turn", "score",
             "score_total", "rank", "effort", "numbers", "allocated")
"""The Batch's arrays, (G, ...) with the game first."""


def open_batch(rules: Rules, seeds: Sequence[int], table: list[SeatSetup],
               locked: dict[str, int] | None = None) -> Batch:
    """The batch of new games of `seeds` at `table` (with `locked` policy levels), their
    first news opened: equal to `gather(rules, game.new_states(seeds, table, locked))`
    wherever every game's first phase is turn 1's policy phase (see the module).
    ActionError for a table or locked levels the scenario does not allow."""
    from game.engine.game import Game  # (game.py imports the batch core)

    game = Game(rules.scenario)
    game.check_table(table, locked or {})
    batch = _repeated(gather(rules, [game.unopened_state(0, table, locked, "")]), seeds)
    open_turn(batch)
    batch.cache.clear()  # (a gathered batch has none: the turn's values are read again)
    batch.pending = _regrouped(batch.pending, batch.size,
                               lambda p: (p.due, p.target, p.seat, p.mode, p.direct),
                               lambda k, amount, present: Push(*k, amount, present))
    batch.transit = _regrouped(batch.transit, batch.size, lambda t: (t.flow, t.due, t.seat),
                               lambda k, amount, present: Shipment(*k, amount, present))
    return batch


def _repeated(one: Batch, seeds: Sequence[int]) -> Batch:
    """The batch of one fresh game `one`, repeated for every seed of `seeds`."""
    size = len(seeds)
    one.seeds = list(seeds)
    for name in _REPEATED:
        setattr(one, name, np.repeat(getattr(one, name), size, axis=0))
    for rows in (one.pending, one.transit):
        for row in rows:
            row.amount = np.repeat(row.amount, size)
            row.present = np.repeat(row.present, size)
    one.allocations = Allocations(size)
    one.fired = GameLists(size)
    one.news = GameLists(size)
    one.reviews = Reviews(size)
    return one


def _regrouped(rows: list, size: int, key: Callable, make: Callable) -> list:
    """The rows `gather` makes of the games' lists that `rows` hold (a game's list: its
    present rows, in order): one row per place n in a list and `key(row)`, present in the
    games that hold it there (amount 0.0 elsewhere), ordered by n, then by the first game
    holding it. `make(key, amounts, present)` builds a row."""
    if not rows:
        return []
    place = np.cumsum([row.present for row in rows], axis=0) - 1  # (R, G): n of each row
    found: dict[tuple, list] = {}
    for r, row in enumerate(rows):
        games = np.flatnonzero(row.present)
        at = place[r, games]
        for n in np.unique(at).tolist():
            held = games[at == n]
            entry = found.get((n, key(row)))
            if entry is None:
                entry = found[(n, key(row))] = [int(held[0]), np.zeros(size),
                                                np.zeros(size, dtype=bool)]
            entry[0] = min(entry[0], int(held[0]))
            entry[1][held] = row.amount[held]
            entry[2][held] = True
    ordered = sorted(found.items(), key=lambda item: (item[0][0], item[1][0]))
    return [make(k[1], amount, present) for k, (_, amount, present) in ordered]
