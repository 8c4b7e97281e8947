"""Bots' games played over arrays: a chunk's games as one batch that is never written back
into GameStates while they play, every decision made once for each group of games whose seat
would decide alike.

Each phase, for each seat that must act: its games are grouped by the Legal it is offered
(game.engine.batch.choose, from the memos of game.engine.legal), then by the values its bot's
memo key reads, perceived (game.bots.groups `seat_keys` over the seat's `Sights`, the view
door over arrays, game.engine.batch.sights). One game of each group is glanced at and its bot
recalls the choice from the planners' memos; the whole group submits it, and what it
submitted is kept by its situation (table, public stats) and seat-free key (`shared_key`,
with what the memo key reads of the turn), so that a group of another seat, phase, turn or
chunk that reads the same is not glanced at again (a warm chunk glances a few times where
it glanced ~500). All
seats choose on the batch as the phase opens (the seats of one role together: their games
are keyed as one stack), and their choices are then applied as `Game._submit` and
`Game._close` do: levels in seat order, allocations (each seat's own) a stack at once.
The turn is resolved by the batch core (`resolve_turn`), its record kept as arrays
(`History`), and each ended game's record made from them (game.analysis.batch_records).

Where a memo lacks a group's choice (or has not yet found it legal), its first game's state
as the phase opened is exported from the arrays (game.engine.batch.history `export_states`)
and its bot chooses on its whole view, as the game-by-game loop's first game in that
situation does; that fills the memos for the rest. A game whose seat's key reads more than a
glance over arrays shows (the whole view, or metric readings: each such game is a group of
its own), or whose Legal the memo cannot give without a state, is ejected instead: it stays
in the batch without choices and is played again from its seed by `play_games`, the
game-by-game loop. The engine is deterministic and every decision a pure function of what
its key reads, so a game's record is the same whichever loop plays it.
"""

from __future__ import annotations

import numpy as np

from game.analysis.batch_records import columns_from
from game.analysis.columns import Records
from game.analysis.record import GameRecord
from game.bots import make_bot
from game.bots.groups import SeatKey, seat_keys
from game.engine.actions import Action, Legal
from game.engine.batch.choose import (acting, apply_decided, apply_policies, checked,
                                      chosen_numbers, legal_groups, open_work,
                                      options_memoised)
from game.engine.batch.history import History, export_states
from game.engine.batch.opening import open_batch
from game.engine.batch.sights import Public, glance_at, public_now, seats_sights
from game.engine.batch.state import Batch
from game.engine.batch.turn import resolve_turn
from game.engine.checks import check_chosen
from game.engine.env import per_rules
from game.engine.game import Game
from game.engine.glance import Glance, NotGlanced, looks
from game.engine.legal import Choice, legal_choice
from game.engine.state import GameState, SeatSetup


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
    columns, kept, ejected = play_columns(game, seeds, table, chosen, bots, locked)
    return dict(zip(kept, columns.game_records() if columns is not None else [])), ejected


def play_columns(game: Game, seeds: list[int], table: list[SeatSetup], chosen: list[str],
                 bots: list, locked: dict[str, int] | None
                 ) -> tuple[Records | None, list[int], list[int]]:
    """`play_over_arrays` with the records as columns: (the records of the games that were
    not ejected, None if none, their places in `seeds`, the places of the ejected ones)."""
    batch = open_batch(game.rules, seeds, table, locked)
    if not acting(game.rules, batch, "policy").any(axis=1).all():
        return None, [], list(range(len(seeds)))  # nobody acts first: game by game
    history = History()
    loop = _Loop(game, batch, bots, table, locked or {}, history)
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
    columns = columns_from(game.scenario, batch, history, table, chosen, locked, kept) \
        if kept else None
    return columns, kept, np.flatnonzero(loop.ejected).tolist()


def shared_key(bot, roles: tuple[str, ...], seat: int, legal: Legal, choice: Choice | None,
               key: SeatKey | None, when: tuple) -> tuple | None:
    """What the choice of `bot` in seat `seat` (of a table whose seats have `roles`) reads in
    a group whose key reads `key` (a `groups.SeatKey`; None: the group is one game alone,
    never shared): the bot's strategy, its role and the roles of the others in seat order
    (which fix what the key's columns are), the memo entry of its Legal and the Legal's
    numbers (which, with the entry, fix the Legal but for its seat), `key`, and `when`, what
    its memo key reads of the turn (`PlanningBot.turn_read` of the group's levels). Two
    seats with equal such keys in one `situation` recall the same choice (the seat aside),
    in one phase or two, and submit the same (tests/bots/test_seat_keys.py)."""
    return None if key is None else (*_stack(bot, roles, seat, legal, choice), key, when)


def _stack(bot, roles: tuple[str, ...], seat: int, legal: Legal, choice: Choice | None
           ) -> tuple:
    """`shared_key` but for the key's values: what fixes the columns of the key of a group
    of `bot` in seat `seat` offered `legal` (from the memo entry `choice`) and what they
    read. The loop keys the groups of the seats with equal stacks together."""
    return (type(bot), roles[seat], roles[:seat] + roles[seat + 1:], choice, legal.phase,
            legal.must_act, tuple(legal.numbers))


def situation(names: list[str], locked: dict[str, int], public: Public) -> tuple:
    """What, beside a group's `shared_key`, fixes the memo key its choice recalls, so that
    the loop may keep what a group submitted across phases, turns, chunks and simulations
    of one Rules (`_Loop._decided`): the table (its seats' names, the locked levels) and the
    stats some game shows as public (they fix which columns a key has). The turn is not
    here but in the shared key, as much of it as the memo key reads (a planner with a
    horizon keys the turns left, few key the turn itself): a group of a later turn then
    submits what one of an earlier turn did. Groups whose situations and shared keys are
    equal give equal memo keys (tests/bots/test_seat_keys.py holds this very function to
    it)."""
    return tuple(names), tuple(sorted(locked.items())), tuple(public.masks)


_Part = tuple[int, np.ndarray, Legal, Choice | None]
"""A seat, its games offered one Legal, the Legal and its memo entry (`_Loop._choose`)."""
_Decided = tuple[np.ndarray, np.ndarray, np.ndarray, list[dict]]
"""(games, seats, which, submitted): seat `seats[i]` submits `submitted[which[i]]` in game
`games[i]` (-1: it is ejected), no game and seat twice (`_Loop._choose_stack`)."""

DECIDED_LIMIT = 65_536
"""Situations, or submissions over all of them, kept for one Rules before starting over
(a warm flagship table meets ~600 submissions over its whole run)."""

_decided = per_rules(lambda rules: {})
"""Per Rules: what a group submitted, by its situation (`_Loop._decided`), then by its
`shared_key`."""


class _Loop:
    """The decisions of a batch's seats, phase by phase (see the module)."""

    def __init__(self, game: Game, batch: Batch, bots: list, table: list[SeatSetup],
                 locked: dict[str, int], history: History) -> None:
        self.rules = game.rules
        self.batch = batch
        self.bots = bots
        self.table = table
        self.names = [seat.name for seat in table]
        self.locked = locked
        self.history = history
        self.states: dict[int, GameState] = {}
        """Games' states as the current phase opened, exported where a memo lacked something."""
        self.ejected = np.zeros(batch.size, dtype=bool)
        self.last: np.ndarray | None = None
        """(G, S, D) the numbers each seat chose last turn (None before the first)."""

    def phase(self, phase: str) -> None:
        """Every seat that must act in `phase` chooses on the batch as the phase opens; the
        choices are then applied: levels seat by seat in seat order, allocations (each
        seat's own arrays and dict entry) a stack at once."""
        must = acting(self.rules, self.batch, phase) & ~self.ejected[:, None]
        self.states = {}
        seats = {seat: rows for seat in range(must.shape[1])
                 if len(rows := np.flatnonzero(must[:, seat]))}
        if not seats:
            return
        public = public_now(self.rules, self.batch)  # (once, for every seat)
        decided = self._choose(phase, seats, self._decided(public), public)
        if phase != "policy":
            for games, at, which, submitted in decided:
                keep = (which >= 0) & ~self.ejected[games]  # (some maybe by a later seat)
                apply_decided(self.batch, games[keep], at[keep], which[keep], submitted)
            return
        by_seat: dict[int, list[tuple[np.ndarray, dict]]] = {}
        for stack in decided:
            for seat, rows, submitted in _per_seat(*stack):
                by_seat.setdefault(seat, []).append((rows, submitted))
        for seat in sorted(by_seat):  # (a later seat's levels win, as `Game._close` sets them)
            for rows, submitted in by_seat[seat]:
                if len(rows := rows[~self.ejected[rows]]):
                    apply_policies(self.batch, rows, submitted)

    def _decided(self, public: Public) -> dict[tuple, dict]:
        """What groups submitted in this phase's `situation`, by their `shared_key`, kept
        from chunk to chunk: a group's submission is a pure function of its memo key, which
        its shared key fixes in a situation."""
        decided = _decided(self.rules)
        if len(decided) >= DECIDED_LIMIT or sum(map(len, decided.values())) >= DECIDED_LIMIT:
            decided.clear()
        return decided.setdefault(situation(self.names, self.locked, public), {})

    def _choose(self, phase: str, seats: dict[int, np.ndarray], known: dict[tuple, dict],
                public: Public) -> list[_Decided]:
        """What the seats of `seats` (seat -> the games where it acts) submit, as `_Decided`
        stacks; the games where a memo lacked something are ejected. The games of each seat
        are grouped by the Legal they are offered, and the groups of every seat that share
        a `_stack` are keyed and decided in one pass (`_choose_stack`). `known`: what a
        group of an earlier seat, phase, turn or chunk in this situation submitted
        (`_decided`), by what its choice read (see `shared_key`), so a group that reads the
        same is not glanced at; `public`: which stats are public in each game as the phase
        opens (`public_now`)."""
        stacks: dict[tuple, list[_Part]] = {}
        for seat, rows in seats.items():
            group_of, offered = legal_groups(self.rules, self.batch, seat, phase, rows,
                                             self.last, self.locked)
            role = self.batch.layout.roles[seat]
            for offer, members in zip(offered, _split(rows, group_of, len(offered))):
                if offer is None and options_memoised(self.rules, role, phase):
                    offer = legal_choice(self.rules, self._state(int(members[0]), phase), seat)
                if offer is None:
                    self.ejected[members] = True
                    continue
                stack = _stack(self.bots[seat], self.batch.layout.roles, seat, *offer)
                stacks.setdefault(stack, []).append((seat, members, *offer))
        return [self._choose_stack(phase, parts, known, public) for parts in stacks.values()]

    def _choose_stack(self, phase: str, parts: list[_Part], known: dict[tuple, dict],
                      public: Public) -> _Decided:
        """What the seats of `parts` (seat, its games, the Legal they are offered, its memo
        entry), of one `_stack`, submit: their key groups found over all their games at once
        (`seats_sights`, `seat_keys`), each group's choice found once for all its seats
        where its `shared_key` is `known`, else by `_find`."""
        batch, turn = self.batch, self.batch.turn
        rows = [part[1] for part in parts]
        seen, table = seats_sights(self.rules, batch, [part[0] for part in parts], rows, public)
        seat, _, legal, choice = parts[0]
        bot = self.bots[seat]
        key_of, first, keys = seat_keys(
            lambda levels: bot.reads(seen.role, legal, levels, turn), seen,
            np.arange(len(seen.score)), table)
        whens = _turn_reads(bot, seen.role, legal, seen.policies[first],
                            batch.layout.policy_ids, turn)
        known_keys = [shared_key(bot, batch.layout.roles, seat, legal, choice, key, when)
                      for key, when in zip(keys, whens)]
        submitted: list[dict] = []
        found = np.full(len(keys), -1)
        missing = []
        for k, known_key in enumerate(known_keys):
            if known_key is None or known_key not in known:
                missing.append(k)
            else:
                found[k] = len(submitted)
                submitted.append(known[known_key])  # (read only from now on)
        seats = np.repeat([part[0] for part in parts], list(map(len, rows)))
        decided = (np.concatenate(rows), seats, found[key_of], submitted)
        if missing:
            self._find(phase, parts, key_of, keys, known_keys, missing, known, public,
                       decided)
        return decided

    def _find(self, phase: str, parts: list[_Part], key_of: np.ndarray, keys: list,
              known_keys: list[tuple | None], missing: list[int], known: dict[tuple, dict],
              public: Public, decided: _Decided) -> None:
        """Set in `decided` (of `parts`, see `_choose_stack`) what the groups `missing`
        (numbers in `key_of`, keys `keys`, shared keys `known_keys`) submit, seat by seat
        (`_submitted`), each kept in `known` for the next seat of the group where its shared
        key allows; the games of a seat whose choice is not found are ejected."""
        games, _, which, submitted = decided
        wanted = np.zeros(len(keys), dtype=bool)
        wanted[missing] = True
        at = np.flatnonzero(wanted[key_of])  # (the rows of the groups missing, in order)
        part_of = np.repeat(np.arange(len(parts)), [len(part[1]) for part in parts])
        cells = _cells(key_of[at], part_of[at], at)
        for k in missing:
            known_key = known_keys[k]  # (the same for every part: one `_stack`)
            for part, same in cells[k]:
                seat, _, legal, choice = parts[part]
                given = known.get(known_key) if known_key is not None else None
                if given is None:
                    given = self._submitted(self.bots[seat], int(games[same[0]]), seat, phase,
                                            legal, choice, public, keys[k] is None)
                    if known_key is not None and given is not None:
                        known[known_key] = given
                if given is None:
                    self.ejected[games[same]] = True
                else:
                    which[same] = len(submitted)
                    submitted.append(given)

    def _submitted(self, bot, g: int, seat: int, phase: str, legal: Legal,
                   choice: Choice | None, public: Public, alone: bool) -> dict | None:
        """What seat `seat` of game `g` submits: recalled from its bot's memos and checked
        through its choice's memo, else planned and checked on the game's state as the phase
        opened, exported from the arrays (`export_states`): that fills the memos, as the
        game-by-game loop's first game in the situation does. The bot plans from its seat's
        look at that state (game.engine.glance `looks`: the glance it recalled from, equal
        to the state's, and the few parts of the view it reads to plan), as by_state's
        bots do. None (the game is ejected) where the key reads more than a glance over
        arrays shows, so that each game of it is alone in its group (`alone`: a state a
        game would cost more than playing it game by game)."""
        glance = glance_at(self.rules, self.batch, g, seat, self.names, public)
        action = _recalled(bot, glance, legal)
        submitted = checked(choice, action, seat) if action is not None else None
        if submitted is not None or alone:
            return submitted
        state = self._state(g, phase)
        if action is None:
            action = bot.act(looks(self.rules, state, [glance])[0], legal)
        return check_chosen(self.rules, state, seat, choice, action)

    def _state(self, g: int, phase: str) -> GameState:
        """Game `g`'s state as the phase opened, exported from the arrays once a phase."""
        state = self.states.get(g)
        if state is None:
            state = self.states[g] = export_states(self.rules, self.batch, self.history,
                                                   self.table, self.locked, [g], phase)[0]
        return state


def _recalled(bot, glance: Glance, legal: Legal) -> Action | None:
    """What `bot` recalls at `glance` (a glance over arrays, `glance_at`), or None (not in
    its memos, or its key reads the metric readings, which such a glance does not hold)."""
    try:
        return bot.recall(glance, legal)
    except NotGlanced:
        return None


def _turn_reads(bot, role: str, legal: Legal, levels: np.ndarray, ids: tuple[str, ...],
                turn: int) -> list[tuple]:
    """Per row of `levels` (policy levels, columns `ids`), what `bot`'s memo key reads of
    `turn` for a seat of `role` offered `legal` under those levels (`PlanningBot.turn_read`),
    asked once per distinct row."""
    if len(levels) > 1 and (levels == levels[0]).all():  # (one set of levels: the usual case)
        first = dict(zip(ids, levels[0].tolist()))
        return [bot.turn_read(role, legal, first, turn)] * len(levels)
    found: dict[tuple, tuple] = {}
    out = []
    for row in map(tuple, levels.tolist()):
        when = found.get(row)
        if when is None:
            when = found[row] = bot.turn_read(role, legal, dict(zip(ids, row)), turn)
        out.append(when)
    return out


def _cells(group: np.ndarray, part: np.ndarray, rows: np.ndarray
           ) -> dict[int, list[tuple[int, np.ndarray]]]:
    """Per group, (part, its rows of `rows` in the group, in order) for each part that has
    some, parts in order (`group`, `part`: each row's)."""
    cells: dict[int, list[tuple[int, np.ndarray]]] = {}
    for k, n, at in _runs(group, part):
        cells.setdefault(k, []).append((n, rows[at]))
    return cells


def _runs(outer: np.ndarray, inner: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """(o, i, the positions where `outer` is o and `inner` is i, in order) for each pair
    there, by o and then i."""
    if not len(outer):
        return []
    order = np.lexsort((inner, outer))  # (stable: each run's positions in order)
    by_outer, by_inner = outer[order], inner[order]
    starts = np.flatnonzero(np.concatenate(
        ([True], (by_outer[1:] != by_outer[:-1]) | (by_inner[1:] != by_inner[:-1]))))
    ends = [*starts[1:].tolist(), len(order)]
    return [(o, i, order[start:end]) for o, i, start, end in zip(
        by_outer[starts].tolist(), by_inner[starts].tolist(), starts.tolist(), ends)]


def _per_seat(games: np.ndarray, seats: np.ndarray, which: np.ndarray,
              submitted: list[dict]) -> list[tuple[int, np.ndarray, dict]]:
    """(seat, its games, what they submit) for each seat and submission of a `_Decided`,
    by seat, ejected games left out."""
    return [(seat, games[at], submitted[w]) for seat, w, at in _runs(seats, which) if w >= 0]


def _split(rows: np.ndarray, group: np.ndarray, groups: int) -> list[np.ndarray]:
    """The rows of `rows` in each of `groups` groups (`group`: each row's, from 0), each
    group's rows in their order."""
    if groups == 1:
        return [rows]
    ranked = rows[np.argsort(group, kind="stable")]
    ends = np.cumsum(np.bincount(group, minlength=groups)).tolist()
    return [ranked[start:end] for start, end in zip([0, *ends], ends)]  # (np.split: 10x)
