"""A hosted room: its tables, who sits where, and every change, logged before it is told.

`Room` is plain synchronous Python with time passed in (`now`, seconds), so the web app calls
it from one thread and tests drive it without waiting. Each table's game is a `Session` built
as the one-laptop workshop builds it (`game.workshop.tables`); the room only calls `Game`,
`view()` and `legal_actions` on the engine. Every change is first tried on a copy of the
state (an illegal action changes nothing), then committed to the `Store`, then applied in
memory; `Room.open` rebuilds every table by replaying its log.

People are known by a seat secret (a random token kept on their device; the store keeps only
its sha256). The seat always comes from the secret, never from a message.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from game.engine import Game
from game.engine.actions import Action, InjectEvent
from game.engine.save import Session
from game.errors import ActionError, GoodhartError
from game.scenario.load import load_scenario_text
from game.server.protocol import (ActMessage, EndTableOp, ExtendOp, GiveToBotOp,
                                  GiveToPersonOp, InjectOp, PauseOp, PlayerState, ResumeOp)
from game.server.store import SeatClaim, Store, StoreError, digest
from game.server.table import LiveTable, engine_action
from game.workshop.debrief import Debrief, compare, summarise
from game.workshop.load import LoadedWorkshop
from game.workshop.model import Workshop
from game.workshop.result import ResultFile, build_result, session_what_if
from game.workshop.room_status import RoomStatus

__all__ = ["MAX_NAME", "Room", "RoomError", "RoomFull", "StaleAction", "Ticket",
           "UnknownSeat", "clean_name"]

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


class Room:
    """One room of tables. Build it with `create` (new) or `open` (resume from its store)."""

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

    # --- making and reopening a room ---

    @classmethod
    def create(cls, loaded: LoadedWorkshop, store: Store, now: float,
               grows: bool = False) -> Room:
        """A new room for a workshop's tables (or, with `grows`, a bare scenario's room, which
        adds a table of the scenario's default size whenever the last one is full), stored in
        the empty `store`. `facilitator_token` is set in clear on the returned room only."""
        from game.server.setup import new_table
        if not store.is_empty():
            raise StoreError("this file already holds a room; resume it instead",
                             str(store.path))
        token = secrets.token_urlsafe(18)
        values = {"code": new_code(4), "title": loaded.title, "grows": grows,
                  "token_hash": digest(token), "created_at": now,
                  "scenario": loaded.scenario.model_dump_json(),
                  "scenario_ref": loaded.scenario_ref, "workshop_path": str(loaded.path),
                  "workshop": loaded.workshop.model_dump(mode="json")}
        store.put_room(values)
        game = Game(loaded.scenario)
        count = 1 if grows else len(loaded.workshop.tables)
        tables = [new_table(loaded, game, store, i, now) for i in range(count)]
        room = cls(store, game, values, tables, loaded)
        room.facilitator_token = token
        return room

    @classmethod
    def open(cls, store: Store, now: float) -> Room:
        """The room stored in `store`, every table rebuilt by replaying its log. Phase timers
        start again in full at `now` (time while the host was down is not counted)."""
        from game.server.setup import rebuild_table
        values = store.room()
        if not values:
            raise StoreError("no room in this file yet; start one first", str(store.path))
        scenario = load_scenario_text(values["scenario"], f"{store.path} (its scenario)")
        game = Game(scenario)
        claims = store.claims()
        tables = [rebuild_table(game, values, record, claims, store.log(record.id), now)
                  for record in store.tables()]
        loaded = LoadedWorkshop(Workshop.model_validate(values["workshop"]), scenario,
                                Path(values["workshop_path"]), values["scenario_ref"])
        room = cls(store, game, values, tables, loaded)
        for table in tables:
            room._run_bots(table, now)
        return room

    def check_facilitator(self, token: str) -> bool:
        """True if `token` is the facilitator's (compared in constant time)."""
        return hmac.compare_digest(digest(token), self._token_hash)

    def reset_facilitator_token(self) -> str:
        """A new facilitator token (the old one stops working); stored hashed."""
        token = secrets.token_urlsafe(18)
        self.store.put_room({"token_hash": digest(token)})
        self._token_hash, self.facilitator_token = digest(token), token
        return token

    # --- people ---

    def join(self, name: str, code: str, now: float) -> Ticket:
        """Seat a person: `code` is the room code (the next open seat, spread over the
        tables) or a late-arrival code (the seat it was made for). RoomError with a line to
        show if the name or code is wrong, RoomFull if no seat is left."""
        person = clean_name(name)
        typed = "".join(code.split()).upper()[:20]
        place = self._by_code.get(digest(typed))
        if place is None:
            if not hmac.compare_digest(typed.encode(), self.code.encode()):
                raise RoomError(f"no room with the code '{typed}' here; check the code on "
                                "the screen")
            place = self._free_seat(now)
        table, seat = self.tables[place[0]], place[1]
        secret = secrets.token_urlsafe(24)
        claim = SeatClaim(table.id, seat, "person", person, digest(secret))
        self._set_claim(table, claim, "join", now)
        self._run_bots(table, now)
        table.seen[seat] = now
        return Ticket(table.id, seat, secret, person)

    def rejoin(self, secret: str, now: float) -> Ticket | None:
        """The seat `secret` holds (None if it holds none), handed back to its person if a
        bot was covering it."""
        place = self._by_secret.get(digest(secret))
        if place is None:
            return None
        table, seat = self.tables[place[0]], place[1]
        self._hand_back(table, seat, now)
        table.seen[seat] = now
        return Ticket(table.id, seat, secret, table.claims[seat].person)

    def seat_of(self, secret: str) -> tuple[str, int] | None:
        """(table id, seat) that `secret` holds, or None."""
        return self._by_secret.get(digest(secret))

    def player_state(self, secret: str, now: float) -> PlayerState:
        """Everything the seat's page shows now (its own view only); UnknownSeat if the
        secret holds no seat."""
        from game.server.player import player_state
        table, seat = self._seat(secret)
        if table.ended:
            self._summary(table)
        return player_state(table, seat, now)

    def act(self, secret: str, msg: ActMessage, now: float) -> int:
        """Apply the seat's choice and return the table's new version, once it is stored.
        StaleAction if the message is for another turn or phase, RoomError if the table is
        paused or over or the engine refuses the choice; then nothing has changed (but a
        seat a bot was covering is handed back to its person, who is clearly here)."""
        table, seat = self._seat(secret)
        table.seen[seat] = now
        state = table.state
        if table.ended:
            raise RoomError("this table's game is over")
        if table.paused:
            raise RoomError("the facilitator has paused the game; wait a moment")
        if (msg.turn, msg.phase) != (state.turn, state.phase):
            name = self.game.scenario.turn_name
            raise StaleAction(f"that choice was for the {msg.phase} phase of {name} "
                              f"{msg.turn}; it is now the {state.phase} phase of {name} "
                              f"{state.turn}")
        covered = table.claims[seat].covered
        self._hand_back(table, seat, now)
        try:
            action = engine_action(seat, msg.phase, msg.levels, msg.effort, msg.numbers)
            new_state = table.trial([action])
        except ActionError as err:
            extra = (" (a bot chose for you this phase while you were away; you play again "
                     "from the next phase)") if covered and seat in state.submitted else ""
            raise RoomError(err.message + extra) from None
        self._log_actions(table, [action], "person", new_state, now)
        self._run_bots(table, now)
        return table.version

    # --- time ---

    def tick(self, now: float) -> list[str]:
        """Let time pass: every seat still to choose past its table's phase timer is covered
        by its default bot, and bots play; the ids of the tables that changed."""
        changed = []
        for table in self.tables.values():
            before = table.version
            overdue = table.overdue(now)
            away = [s for s in overdue if table.claims[s].player != "bot"
                    and not table.claims[s].covered]
            if away:
                claims = [self._claim(table, s, covered=True) for s in away]
                self._log(table, [("cover", {"seats": away})], now, claims)
            self._run_bots(table, now, frozenset(overdue))
            if table.version != before:
                changed.append(table.id)
        return changed

    # --- the facilitator ---

    def pause(self, table_id: str | None, now: float) -> None:
        """Pause one table (or every unfinished one): timers stop, choices wait."""
        for table in self._targets(table_id):
            if not table.paused:
                table.paused = True
                table.clock.pause(now)
                self._log(table, [("pause", {})], now)

    def resume(self, table_id: str | None, now: float) -> None:
        """Resume one paused table (or every one); bots that waited play."""
        for table in self._targets(table_id):
            if table.paused:
                table.paused = False
                table.clock.resume(now)
                self._log(table, [("resume", {})], now)
                self._run_bots(table, now)

    def extend(self, table_id: str, seconds: int, now: float) -> None:
        """Give a table's current phase `seconds` more (1 to 3600)."""
        table = self._table(table_id)
        if not 1 <= seconds <= 3600:
            raise RoomError("extend by 1 to 3600 seconds")
        if table.clock.seconds <= 0:
            raise RoomError(f"{table.spec.name} has no timer in this phase")
        table.clock.extra += seconds
        self._log(table, [("extend", {"seconds": seconds})], now)

    def inject(self, table_id: str, event_id: str, now: float) -> None:
        """Fire one of the scenario's events at a table now (RoomError if unknown or over)."""
        table = self._table(table_id)
        if table.ended:
            raise RoomError(f"{table.spec.name}'s game is over")
        action = InjectEvent(event=event_id)
        try:
            new_state = table.trial([action])
        except ActionError as err:
            raise RoomError(err.message) from None
        self._log_actions(table, [action], "facilitator", new_state, now)

    def give_to_bot(self, table_id: str, seat: int, now: float,
                    strategy: str | None = None) -> None:
        """A bot plays the seat from now on (`strategy`, or the seat's default); a person who
        held it is told their seat is gone at their next request."""
        from game.bots import strategies_for
        table = self._table(table_id)
        self._check_seat(table, seat)
        role = table.state.seats[seat].role
        if strategy is not None and strategy not in strategies_for(self.game.scenario, role):
            raise RoomError(f"unknown strategy '{strategy[:40]}' for this seat (choose from "
                            f"{', '.join(strategies_for(self.game.scenario, role))})")
        claim = SeatClaim(table.id, seat, "bot", strategy=strategy or table.spec.defaults[seat])
        self._set_claim(table, claim, "give_to_bot", now)
        self._run_bots(table, now)

    def give_to_person(self, table_id: str, seat: int, now: float) -> str:
        """A one-time late-arrival code for the seat, to read out: joining with it takes the
        seat (whoever plays it meanwhile keeps it until then)."""
        table = self._table(table_id)
        self._check_seat(table, seat)
        code = new_code(6)
        claim = self._claim(table, seat, code_hash=digest(code))
        self._set_claim(table, claim, "give_to_person", now)
        return code

    def end_table(self, table_id: str, now: float) -> None:
        """End a table's game now; its result is kept as it stands."""
        table = self._table(table_id)
        if not table.ended:
            table.ended_early = True
            self._log(table, [("end", {})], now)

    def apply_op(self, op: object, now: float) -> str | None:
        """Carry out a facilitator message (see `protocol.FacilitatorOp`); the late-arrival
        code for `give_to_person`, else None."""
        if isinstance(op, PauseOp):
            self.pause(op.table, now)
        elif isinstance(op, ResumeOp):
            self.resume(op.table, now)
        elif isinstance(op, ExtendOp):
            self.extend(op.table, op.seconds, now)
        elif isinstance(op, InjectOp):
            self.inject(op.table, op.event, now)
        elif isinstance(op, GiveToBotOp):
            self.give_to_bot(op.table, op.seat, now, op.strategy)
        elif isinstance(op, GiveToPersonOp):
            return self.give_to_person(op.table, op.seat, now)
        elif isinstance(op, EndTableOp):
            self.end_table(op.table, now)
        else:
            raise RoomError("unknown facilitator operation")
        return None

    # --- what the room shows ---

    def status(self, now: float) -> RoomStatus:
        """The whole room as the facilitator and the projector see it (no secrets)."""
        tables = [t.status(now) for t in self.tables.values()]
        live = [t for t in tables if not t.ended]
        running = [t.seconds_left for t in live if not t.paused and t.seconds_left is not None]
        return RoomStatus(
            code=self.code, title=self.title, scenario_title=self.game.scenario.title,
            tables=tables, grows=self.grows,
            people=sum(s.player == "person" for t in tables for s in t.seats),
            open_seats=sum(s.player == "open" and s.employed for t in live for s in t.seats),
            paused=bool(live) and all(t.paused for t in live), ended=not live,
            seconds_left=max(running) if running else None)

    def table_version(self, table_id: str) -> int:
        """The table's version (grows with every change there)."""
        return self._table(table_id).version

    def results(self) -> list[ResultFile]:
        """A result record for every table that has started, as it stands (finished or not)."""
        return [self._result(t) for t in self.tables.values() if t.started]

    def debrief(self) -> Debrief:
        """The cross-table debrief of every started table, compared side by side."""
        return compare([(Path(f"table-{r.table.id}.json"), r) for r in self.results()])

    # --- inside ---

    def _result(self, table: LiveTable) -> ResultFile:
        """The table's result record (built once when its game is over)."""
        if table.ended and table.result is not None:
            return table.result
        session: Session = table.session
        result = build_result(session, what_if=session_what_if(session))
        if table.ended:
            table.result = result
        return result

    def _summary(self, table: LiveTable) -> None:
        """Build the ended table's debrief summary, once."""
        if table.summary is None:
            table.summary = summarise(self._result(table), table.spec.name)

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

    def _free_seat(self, now: float) -> tuple[str, int]:
        """Where the next person sits (RoomFull if nowhere)."""
        from game.server.setup import free_seat
        place = free_seat(list(self.tables.values()), self.grows)
        if place is None and self.grows and len(self.tables) < 40 and self._loaded:
            from game.server.setup import new_table
            table = new_table(self._loaded, self.game, self.store, len(self.tables), now)
            self.tables[table.id] = table
            place = (table.id, 0)
        if place is None:
            raise RoomFull("every seat in this room is taken; ask the facilitator for one")
        return place

    def _set_claim(self, table: LiveTable, claim: SeatClaim, why: str, now: float) -> None:
        """Store a seat's new claim (logged), start the table if a person sits down."""
        entries = [("claim", {"seat": claim.seat, "player": claim.player, "why": why,
                              "person": claim.person, "strategy": claim.strategy})]
        start = claim.player == "person" and not table.started
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
