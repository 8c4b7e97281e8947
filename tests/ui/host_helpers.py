"""Rooms for the host window's tests: a made-up `RoomStatus` of any size, and a real room of
the tiny workshop with the facilitator's operations (as the host command's `WindowOps` does
them, without a server)."""

from __future__ import annotations

from pathlib import Path

from game.workshop.room_status import RoomStatus, SeatStatus, TableStatus

FIXTURES = Path(__file__).resolve().parents[1] / "workshop" / "fixtures"
LONG_NAME = "Maximilian Alexander-Featherstonehaugh"   # 38 characters: names go up to 40


def _seat(index: int, **kw) -> SeatStatus:
    role = ("manager", "Manager") if index == 0 else ("employee", "Engineer")
    name = "Manager" if index == 0 else f"Engineer {index}"
    return SeatStatus(index=index, seat_name=name, role=role[0], role_name=role[1], **kw)


def busy_table(letter: str, n: int) -> TableStatus:
    """A table mid-game with one seat of every kind: chosen, choosing, a bot, covered by a bot,
    an open seat with a code given out, a laid-off person."""
    seats = [_seat(0, player="person", person=LONG_NAME, submitted=True),
             _seat(1, player="person", person="Ali", must_act=True),
             _seat(2, player="bot", strategy="gamer", submitted=True),
             _seat(3, player="person", person="Chen", covered_by_bot=True,
                   strategy="balanced", must_act=True),
             _seat(4, player="open", must_act=True, code_pending=True),
             _seat(5, player="person", person="Bea", employed=False)]
    return TableStatus(
        id=letter, name=f"Table {letter}",
        condition="Public token leaderboard: on, AI usage in reviews: strong" if n % 2
        else "Outcome metrics with counter-goals",
        turn=1 + n % 8, turns=8, turn_name="week", phase="policy" if n % 3 == 0 else "work",
        paused=n == 2, ended=n == 3, ended_early=n == 3, seconds_left=None if n == 3 else
        5.0 + 100 * n, phase_seconds=600, version=3 + n, seats=seats,
        headlines=["Token prices double as the AI subsidy ends",
                   "An unreviewed AI change took production down for two hours on a Friday"],
        events=[("subsidy", "The AI subsidy ends: token prices double"),
                ("outage", "An unreviewed AI change takes production down"),
                ("audit", "The board asks for an audit of the inference bill"),
                ("press", "A newspaper writes about the token leaderboard")])


def busy_status(tables: int, ended: bool = False, paused: bool = False) -> RoomStatus:
    """A room of `tables` busy tables (every one ended with `ended`)."""
    rows = [busy_table(chr(ord("A") + n), n) for n in range(tables)]
    if ended:
        rows = [t.model_copy(update={"ended": True, "seconds_left": None}) for t in rows]
    return RoomStatus(code="K7QP", title="Tokenmaxxing: a workshop for the leadership team",
                      scenario_title="Tokenmaxxing", tables=rows, people=5 * tables,
                      open_seats=tables, paused=paused, ended=ended,
                      seconds_left=None if ended or paused else 305.0)


class RoomOps:
    """The facilitator's operations on a real room at a fixed time, recording each call."""

    def __init__(self, room, now: float = 5.0) -> None:
        self.room = room
        self.now = now
        self.calls: list[tuple] = []

    def status(self) -> RoomStatus:
        return self.room.status(self.now)

    def _do(self, name: str, *args):
        self.calls.append((name, *args))
        return getattr(self.room, name)(*args, self.now)

    def pause(self, table_id):
        return self._do("pause", table_id)

    def resume(self, table_id):
        return self._do("resume", table_id)

    def extend(self, table_id, seconds):
        return self._do("extend", table_id, seconds)

    def inject(self, table_id, event_id):
        return self._do("inject", table_id, event_id)

    def give_to_bot(self, table_id, seat):
        return self._do("give_to_bot", table_id, seat)

    def give_to_person(self, table_id, seat):
        return self._do("give_to_person", table_id, seat)

    def end_table(self, table_id):
        return self._do("end_table", table_id)


def tiny_room(folder: Path):
    """The tiny workshop's room (four tables, timers) with two people at t=1."""
    from game.server.room import Room
    from game.server.setup import room_source
    from game.server.store import Store
    source = room_source(str(FIXTURES / "tiny-workshop.yaml"))
    room = Room.create(source.loaded, Store(folder / "room.db"), 0.0, grows=source.grows)
    for name in ("Ann", "Bo"):
        room.join(name, room.code, 1.0)
    return room
