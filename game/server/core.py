"""The room's core: its tables and who holds which seat, and the one path every change
takes (tried on a copy, committed to the store, then applied in memory). `Room` (in
`game.server.room`) adds people and time, `FacilitatorOps` the facilitator's controls."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from game.engine import Game
from game.engine.actions import Action
from game.errors import GoodhartError
from game.server.store import SeatClaim, Store, digest
from game.server.table import LiveTable
from game.workshop.load import LoadedWorkshop

__all__ = ["CODE_LETTERS", "MAX_NAME", "RoomCore", "RoomError", "RoomFull", "StaleAction",
           "Ticket", "UnknownSeat", "clean_name", "new_code"]

MAX_NAME = 40
CODE_LETTERS = "ACDEFGHJKMNPQRTUVWXY34679"
"""Room and late-arrival codes: no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)."""


class RoomError(GoodhartError):
    """Something the room refuses; its text is one line to show the person."""


class RoomFull(RoomError):
    """No seat is left for a new person."""


class StaleAction(RoomError):
    """A choice for a turn or phase that is already over; nothing changed."""


class UnknownSeat(RoomError):
    """A secret that holds no seat (never given, or the seat was given to someone else)."""


@dataclass(frozen=True)
class Ticket:
    """A person's seat: the table, the seat's index, the secret that proves it, the name."""

    table_id: str
    seat: int
    secret: str
    person: str


def clean_name(name: str) -> str:
    """`name` without control or invisible format characters, its spaces collapsed, or a
    RoomError when nothing is left or it is longer than `MAX_NAME` characters."""
    kept = "".join(" " if ch.isspace() else ch for ch in name
                   if ch.isspace() or not unicodedata.category(ch).startswith("C"))
    kept = " ".join(kept.split())
    if not kept:
        raise RoomError("type your name to join")
    if len(kept) > MAX_NAME:
        raise RoomError(f"names are at most {MAX_NAME} characters; shorten it")
    return kept


def new_code(length: int) -> str:
    """A random code of `length` characters from `CODE_LETTERS`."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(length))


class RoomCore:
    """A room's tables, seat claims and secrets' index, and how changes are made."""

    def __init__(self, store: Store, game: Game, values: dict, tables: list[LiveTable],
                 loaded: LoadedWorkshop | None = None) -> None:
        """Use `create` or `open`."""
        self.store = store
        self.game = game
        self.code: str = values["code"]
        self.title: str = values["title"]
        self.grows: bool = bool(values.get("grows"))
        self.facilitator_token: str | None = None
        """The facilitator's token in clear: only after `create` or `reset_facilitator_token`."""
        self._token_hash: str = values["token_hash"]
        self._loaded = loaded
        self.tables: dict[str, LiveTable] = {t.id: t for t in tables}
        self._by_secret: dict[str, tuple[str, int]] = {}
        self._by_code: dict[str, tuple[str, int]] = {}
        for table in tables:
            self._index(table)

    # --- inside ---

    def _seat(self, secret: str) -> tuple[LiveTable, int]:
        place = self._by_secret.get(digest(secret))
        if place is None:
            raise UnknownSeat("this device holds no seat in this room (any more); join again")
        return self.tables[place[0]], place[1]

    def _table(self, table_id: str) -> LiveTable:
        table = self.tables.get(table_id)
        if table is None:
            raise RoomError(f"no table '{table_id[:20]}' in this room "
                            f"(tables: {', '.join(self.tables)})")
        return table

    def _targets(self, table_id: str | None) -> list[LiveTable]:
        if table_id is not None:
            return [self._table(table_id)]
        return [t for t in self.tables.values() if not t.ended]

    def _check_seat(self, table: LiveTable, seat: int) -> None:
        if not 0 <= seat < len(table.claims):
            raise RoomError(f"{table.spec.name} has seats 1 to {len(table.claims)}")

    def _claim(self, table: LiveTable, seat: int, **changes) -> SeatClaim:
        """A copy of the seat's claim with `changes`."""
        old = table.claims[seat]
        return SeatClaim(**{**old.__dict__, **changes})

    def _set_claim(self, table: LiveTable, claim: SeatClaim, why: str, now: float) -> None:
        """Store a seat's new claim (logged); the table starts when a person sits down, or
        when its last seat without a bot gets one."""
        entries = [("claim", {"seat": claim.seat, "player": claim.player, "why": why,
                              "person": claim.person, "strategy": claim.strategy})]
        others_bots = all(c.player == "bot" for c in table.claims if c.seat != claim.seat)
        start = not table.started and (claim.player == "person" or
                                       (claim.player == "bot" and others_bots))
        if start:
            entries.append(("start", {}))
        self._log(table, entries, now, [claim])
        if start:
            table.started = True
            table.clock.restart(table.phase_seconds(), now)

    def _hand_back(self, table: LiveTable, seat: int, now: float) -> None:
        """A seat a bot was covering goes back to its person."""
        if table.claims[seat].covered and table.claims[seat].player == "person":
            self._log(table, [("return", {"seat": seat})], now,
                      [self._claim(table, seat, covered=False)])

    def _log(self, table: LiveTable, entries: list[tuple[str, dict]], now: float,
             claims: list[SeatClaim] | None = None) -> None:
        """Commit entries (and claims) to the store, then take them on in memory."""
        table.version = self.store.append(table.id, entries, now, claims)
        for claim in claims or []:
            self._unindex(table, claim.seat)
            table.claims[claim.seat] = claim
            self._index_seat(table, claim.seat)

    def _log_actions(self, table: LiveTable, actions: list[Action], by: str, state,
                     now: float) -> None:
        """Commit engine actions that lead to `state`, then take it on."""
        self._log(table, [("action", {"action": a.model_dump(mode="json"), "by": by})
                          for a in actions], now)
        table.commit(actions, state, now)

    def _run_bots(self, table: LiveTable, now: float,
                  overdue: frozenset[int] = frozenset()) -> None:
        """Let the table's bots (and bots covering seats) make every move they have now."""
        actions, state = table.bot_moves(overdue)
        if actions:
            self._log_actions(table, actions, "bot", state, now)

    def _index(self, table: LiveTable) -> None:
        for seat in range(len(table.claims)):
            self._index_seat(table, seat)

    def _index_seat(self, table: LiveTable, seat: int) -> None:
        claim = table.claims[seat]
        if claim.secret_hash:
            self._by_secret[claim.secret_hash] = (table.id, seat)
        if claim.code_hash:
            self._by_code[claim.code_hash] = (table.id, seat)

    def _unindex(self, table: LiveTable, seat: int) -> None:
        claim = table.claims[seat]
        self._by_secret.pop(claim.secret_hash or "", None)
        self._by_code.pop(claim.code_hash or "", None)
