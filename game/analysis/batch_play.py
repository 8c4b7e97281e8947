"""Bots' games played over arrays: a chunk's games as one batch that is never written back
into GameStates while they play, every decision made once for each group of games whose seat
would decide alike.

Each phase, for each seat that must act: its games are grouped by the Legal it is offered
(game.engine.batch.choose, from the memos of game.engine.legal), then by the values its bot's
memo key reads, perceived (game.bots.groups `key_groups` over the seat's `Sights`, the view
door over arrays, game.engine.batch.sights). One game of each group is glanced at and its bot
recalls the choice from the planners' memos; the whole group submits it. All seats choose on
the batch as the phase opens, and their choices are then applied in seat order, as
`Game._submit` and `Game._close` do. The turn is resolved by the batch core
(`resolve_turn`), its record kept as arrays (`History`), and each ended game's record made
from them (game.analysis.batch_records).

A game where any of this needs more than the memos hold (a recall the memo lacks, a Legal or
a check not yet seen) is ejected: it stays in the batch without choices and is played again
from its seed by `play_games`, the game-by-game loop, which plans what is missing. The engine
is deterministic and every decision a pure function of what its key reads, so a game's record
is the same whichever loop plays it. In a cold process nearly every game of the first chunk is
ejected at its first decision; once the memos are warm, hardly any.
"""

from __future__ import annotations

import numpy as np

from game.analysis.batch_records import records_from
from game.analysis.record import GameRecord
from game.bots import make_bot
from game.bots.groups import seat_groups
from game.engine.actions import Action, Legal
from game.engine.batch.choose import (acting, apply_allocation, apply_policies, checked,
                                      chosen_numbers, legal_groups, open_work)
from game.engine.batch.history import History
from game.engine.batch.sights import glance_at, sights
from game.engine.batch.opening import open_batch
from game.engine.batch.state import Batch
from game.engine.batch.turn import resolve_turn
from game.engine.game import Game
from game.engine.glance import NotGlanced
from game.engine.state import SeatSetup


def recalling_bots(game: Game, chosen: list[str]) -> list | None:
    """One bot per seat for the loop over arrays, or None when a seat's strategy does not
    decide by its planners' memos alone (`recalls`): those play game by game. The bots never
    draw (a recalled choice is a memo entry), so their stream refuses to be made."""
    bots = [make_bot(name, game.scenario, seat, _no_stream) for seat, name in enumerate(chosen)]
    return bots if all(getattr(bot, "recalls", False) for bot in bots) else None


def _no_stream():
    raise RuntimeError("a bot of the loop over arrays drew a random number")


def play_over_arrays(game: Game, seeds: list[int], table: list[SeatSetup], chosen: list[str],
                     bots: list, locked: dict[str, int] | None
                     ) -> tuple[dict[int, GameRecord], list[int]]:
    """Play the games of `seeds` over arrays, bot `bots[i]` (of strategy `chosen[i]`) in seat
    `i`; return the record of every game that was not ejected, by its place in `seeds`, and
    the places of the ejected ones (in order)."""
    batch = open_batch(game.rules, seeds, table, locked)
    if not acting(game.rules, batch, "policy").any(axis=1).all():
        return {}, list(range(len(seeds)))  # a first phase with nobody to act: game by game
    loop = _Loop(game, batch, bots, [seat.name for seat in table], locked or {})
    history = History()
    while not loop.ejected.all():
        loop.phase("policy")
        open_work(batch)
        loop.phase("work")
        if loop.ejected.all():
            break
        loop.last = chosen_numbers(batch)
        resolve_turn(batch)
        history.keep(batch)
        if batch.ended:
            break
    kept = np.flatnonzero(~loop.ejected).tolist()
    records = records_from(game.scenario, batch, history, table, chosen, locked, kept) \
        if kept else []
    return dict(zip(kept, records)), np.flatnonzero(loop.ejected).tolist()


class _Loop:
    """The decisions of a batch's seats, phase by phase (see the module)."""

    def __init__(self, game: Game, batch: Batch, bots: list, names: list[str],
                 locked: dict[str, int]) -> None:
        self.rules = game.rules
        self.batch = batch
        self.bots = bots
        self.names = names
        self.locked = locked
        self.ejected = np.zeros(batch.size, dtype=bool)
        self.last: np.ndarray | None = None
        """(G, S, D) the numbers each seat chose last turn (None before the first)."""

    def phase(self, phase: str) -> None:
        """Every seat that must act in `phase` chooses on the batch as the phase opens; the
        choices are then applied in seat order."""
        must = acting(self.rules, self.batch, phase)
        chosen = []
        for seat in range(must.shape[1]):
            rows = np.flatnonzero(must[:, seat] & ~self.ejected)
            if len(rows):
                chosen.append((seat, self._choose(seat, phase, rows)))
        for seat, choices in chosen:
            for rows, submitted in choices:
                rows = rows[~self.ejected[rows]]  # (ejected by a later seat meanwhile)
                if not len(rows):
                    continue
                if phase == "policy":
                    apply_policies(self.batch, rows, submitted)
                else:
                    apply_allocation(self.batch, rows, seat, submitted)

    def _choose(self, seat: int, phase: str, rows: np.ndarray) -> list[tuple[np.ndarray, dict]]:
        """(rows, what they submit) for each group of `rows` whose seat `seat` chose alike;
        the games where a memo lacked something are ejected."""
        out = []
        batch = self.batch
        group_of, offered = legal_groups(self.rules, batch, seat, phase, rows, self.last,
                                         self.locked)
        seen = sights(self.rules, batch, seat)
        bot = self.bots[seat]
        for n, offer in enumerate(offered):
            members = rows[group_of == n]
            if offer is None:
                self.ejected[members] = True
                continue
            legal, choice = offer
            key_of, firsts, _ = seat_groups(
                lambda policies: bot.reads(seen.role, legal, policies, batch.turn), seen,
                members, batch.layout)
            for k, first in enumerate(firsts.tolist()):
                same = members[key_of == k]
                action = self._recalled(bot, first, seat, legal)
                submitted = checked(choice, action, seat) if action is not None else None
                if submitted is None:
                    self.ejected[same] = True
                else:
                    out.append((same, submitted))
        return out

    def _recalled(self, bot, g: int, seat: int, legal: Legal) -> Action | None:
        """What `bot` recalls for seat `seat` of game `g`, or None (not in its memos, or its
        key reads the metric readings, which a glance over arrays does not hold)."""
        try:
            return bot.recall(glance_at(self.rules, self.batch, g, seat, self.names), legal)
        except NotGlanced:
            return None
