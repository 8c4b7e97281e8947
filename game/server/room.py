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
import time
from pathlib import Path

from game.engine import Game
from game.engine.save import Session
from game.errors import ActionError
from game.scenario.load import load_scenario_text
from game.server.core import (MAX_NAME, RoomError, RoomFull, StaleAction, Ticket, UnknownSeat,
                              clean_name, new_code)
from game.server.ops import FacilitatorOps
from game.server.protocol import ActMessage, PlayerState
from game.server.setup import (MAX_TABLES, RoomSource, free_seat, new_table, rebuild_table,
                               room_source)
from game.server.store import SeatClaim, Store, StoreError, digest
from game.server.table import LiveTable, engine_action
from game.workshop.debrief import Debrief, compare, summarise
from game.workshop.load import LoadedWorkshop
from game.workshop.model import Workshop
from game.workshop.result import ResultFile, build_result, session_what_if
from game.workshop.room_status import RoomStatus

__all__ = ["MAX_NAME", "Room", "prepare_result", "RoomError", "RoomFull", "RoomSource", "StaleAction", "Ticket",
           "UnknownSeat", "clean_name", "room_source"]


class Room(FacilitatorOps):
    """One room of tables. Build it with `create` (new) or `open` (resume from its store);
    the facilitator's operations come from `FacilitatorOps`."""

    # --- making and reopening a room ---

    @classmethod
    def create(cls, loaded: LoadedWorkshop, store: Store, now: float,
               grows: bool = False) -> Room:
        """A new room for a workshop's tables (or, with `grows`, a bare scenario's room, which
        adds a table of the scenario's default size whenever the last one is full), stored in
        the empty `store`. `facilitator_token` is set in clear on the returned room only."""
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
                shown = "".join(ch for ch in typed if ch.isascii() and ch.isalnum())
                raise RoomError(f"no room with the code '{shown}' here; check the code on "
                                "the screen")
            place = self._free_seat(now)
        table, seat = self.tables[place[0]], place[1]
        secret = secrets.token_urlsafe(24)
        claim = SeatClaim(table.id, seat, "person", person, digest(secret))
        self._set_claim(table, claim, "join", now)
        self._run_bots(table, now)
        table.seen[seat] = now
        return Ticket(table.id, seat, secret, person)

    def rejoin(self, secret: str, now: float | None = None) -> Ticket | None:
        """The seat `secret` holds (None if it holds none), handed back to its person if a
        bot was covering it. `now` defaults to the wall clock (`time.time()`)."""
        place = self._by_secret.get(digest(secret))
        if place is None:
            return None
        now = time.time() if now is None else now
        table, seat = self.tables[place[0]], place[1]
        self._hand_back(table, seat, now)
        self._run_bots(table, now)  # with someone back, the bots covering seats play on
        table.seen[seat] = now
        return Ticket(table.id, seat, secret, table.claims[seat].person)

    def seat_of(self, secret: str) -> tuple[str, int] | None:
        """(table id, seat) that `secret` holds, or None."""
        return self._by_secret.get(digest(secret))

    def player_state(self, secret: str, now: float) -> PlayerState:
        """Everything the seat's page shows now (its own view only); UnknownSeat if the
        secret holds no seat. At the end its `summary` is there once the table's result is
        kept (`keep_result`, built outside the room's lock), else `summary_pending`."""
        from game.server.player import player_state
        table, seat = self._seat(secret)
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

    def versions(self) -> dict[str, int]:
        """Each table's version (compare two to see which tables changed)."""
        return {tid: t.version for tid, t in self.tables.items()}

    def close(self) -> None:
        """Close the store (everything is already committed)."""
        self.store.close()

    def table_version(self, table_id: str) -> int:
        """The table's version (grows with every change there)."""
        return self._table(table_id).version

    def results(self) -> list[ResultFile]:
        """A result record for every table that has started, as it stands (finished or not)."""
        return [self._result(t) for t in self.tables.values() if t.started]

    def debrief(self) -> Debrief:
        """The cross-table debrief of every started table, compared side by side."""
        return compare([(Path(f"table-{r.table.id}.json"), r) for r in self.results()])

    def _free_seat(self, now: float) -> tuple[str, int]:
        """Where the next person sits (RoomFull if nowhere)."""
        place = free_seat(list(self.tables.values()), self.grows)
        if place is None and self.grows and len(self.tables) < MAX_TABLES and self._loaded:
            table = new_table(self._loaded, self.game, self.store, len(self.tables), now)
            self.tables[table.id] = table
            place = free_seat([table], self.grows)
        if place is None:
            raise RoomFull("every seat in this room is taken; ask the facilitator for one")
        return place

    def _result(self, table: LiveTable) -> ResultFile:
        """The table's result record: the kept one once its game is over, else built now
        (cheap before the end: the what-if replay only runs for an ended game)."""
        if table.ended and table.result is not None:
            return table.result
        result = prepare_result(table.session)
        if table.ended:
            self.keep_result(table.id, result)
        return result

    # --- results built outside the lock (the what-if replays a whole game) ---

    def unprepared(self) -> list[tuple[str, Session]]:
        """(table id, a frozen copy of its session) for every ended table whose result is not
        kept yet: hand each to `prepare_result` outside the lock, then to `keep_result`."""
        return [(t.id, frozen_session(t.session)) for t in self.tables.values()
                if t.ended and t.result is None]

    def keep_result(self, table_id: str, result: ResultFile) -> None:
        """Keep an ended table's result and its debrief summary (what its pages show)."""
        table = self._table(table_id)
        if table.ended and table.result is None:
            table.result = result
            table.summary = summarise(result, table.spec.name)

    def prepare_results(self) -> None:
        """Build and keep every ended table's result now (in this thread)."""
        for table_id, session in self.unprepared():
            self.keep_result(table_id, prepare_result(session))


def frozen_session(session: Session) -> Session:
    """A shallow copy of an ended session that later changes at its table cannot reach (the
    engine never mutates a state it returned, so the state is shared)."""
    copy = object.__new__(Session)
    copy.__dict__.update(session.__dict__)
    copy.seats, copy.meta = list(session.seats), dict(session.meta)
    copy.locked, copy.actions = dict(session.locked), list(session.actions)
    return copy


def prepare_result(session: Session) -> ResultFile:
    """The result record of a session (with its what-if replay when it has ended); pure, so
    it runs outside the room's lock."""
    return build_result(session, what_if=session_what_if(session))
