"""The facilitator's controls over a room: pause, resume, extend a timer, inject an event,
give a seat to a bot or (with a one-time code) to a late arrival, end a table. Each is
logged before it takes effect."""

from __future__ import annotations

from game.engine.actions import InjectEvent
from game.errors import ActionError
from game.server.core import RoomCore, RoomError, new_code
from game.server.protocol import (EndTableOp, ExtendOp, GiveToBotOp, GiveToPersonOp, InjectOp,
                                  PauseOp, ResumeOp)
from game.server.store import SeatClaim, digest

__all__ = ["FacilitatorOps"]


class FacilitatorOps(RoomCore):
    """The facilitator's operations (the `Room` has them all)."""

    def pause(self, table_id: str | None, now: float) -> None:
        """Pause one table (or every unfinished one): timers stop, choices wait."""
        for table in self._targets(table_id):
            if not table.paused:
                self._log(table, [("pause", {})], now)
                table.paused = True
                table.clock.pause(now)

    def resume(self, table_id: str | None, now: float) -> None:
        """Resume one paused table (or every one); bots that waited play."""
        for table in self._targets(table_id):
            if table.paused:
                self._log(table, [("resume", {})], now)
                table.paused = False
                table.clock.resume(now)
                self._run_bots(table, now)

    def extend(self, table_id: str, seconds: int, now: float) -> None:
        """Give a table's current phase `seconds` more (1 to 3600)."""
        table = self._table(table_id)
        if table.ended:
            raise RoomError(f"{table.spec.name}'s game is over; there is no timer to extend")
        if not 1 <= seconds <= 3600:
            raise RoomError("extend by 1 to 3600 seconds")
        if table.clock.seconds <= 0:
            raise RoomError(f"{table.spec.name} has no timer in this phase")
        self._log(table, [("extend", {"seconds": seconds})], now)
        table.clock.extra += seconds

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
            self._log(table, [("end", {})], now)
            table.ended_early = True

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

