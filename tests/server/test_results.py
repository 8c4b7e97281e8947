"""An ended table's result (its what-if replays a whole game) is built outside the room's
lock, kept once, and pushed to the table's pages: other tables never wait for it."""

from __future__ import annotations

import asyncio
import json
import threading

import game.server.room as room_module
from game.server.protocol import PlayerState
from game.server.room_host import Connection, RoomHost
from game.workshop.result import build_result, session_what_if
from tests.server.test_room import make_room


class Recorder:
    """A page's socket that keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[dict] = []

    async def send_text(self, data: str) -> None:
        self.sent.append(json.loads(data))

    async def close(self, code: int = 1000) -> None:
        pass


def test_the_result_is_built_without_holding_the_room(tmp_path, monkeypatch):
    room = make_room(tmp_path / "room.db")
    host = RoomHost(room, clock=lambda: 5.0)
    ann = room.join("Ann", room.code, 1.0)
    room.end_table("A", 2.0)
    lock_free: list[bool] = []

    def slow_what_if(session):
        """The replay, while another thread checks it can take the room meanwhile."""
        def other_table() -> None:
            got = host.lock.acquire(timeout=2)
            lock_free.append(got)
            if got:
                host.lock.release()
        probe = threading.Thread(target=other_table)
        probe.start()
        probe.join()
        return session_what_if(session)

    monkeypatch.setattr(room_module, "session_what_if", slow_what_if)

    async def play() -> PlayerState:
        before = await host.run("player_state", ann.secret)
        assert before.ended and before.summary is None and before.summary_pending
        await host.prepare_results()
        return await host.run("player_state", ann.secret)

    after = asyncio.run(play())
    assert lock_free == [True]   # built once, and the room stayed free meanwhile
    assert after.summary is not None and not after.summary_pending
    table = room.tables["A"]
    same = build_result(table.session, what_if=session_what_if(table.session))
    stamp = {"written_at"}
    assert table.result.model_dump(exclude=stamp) == same.model_dump(exclude=stamp)


def test_the_pages_of_an_ended_table_are_pushed_its_summary(tmp_path):
    room = make_room(tmp_path / "room.db")
    host = RoomHost(room, clock=lambda: 5.0)
    ann = room.join("Ann", room.code, 1.0)
    page = Recorder()
    host.attach(Connection(page, ann.secret, "A"))
    room.end_table("A", 2.0)

    async def end() -> None:
        await host.changed(["A"])        # as the facilitator's end does
        await host.prepare_results()     # waits for the build `changed` started

    asyncio.run(end())
    states = [m for m in page.sent if m["type"] == "state"]
    assert states[0]["ended"] and states[0]["summary_pending"]
    assert states[-1]["summary"]["table_id"] == "A" and not states[-1]["summary_pending"]


def test_a_page_is_pushed_its_state_only_when_it_changed(tmp_path):
    room = make_room(tmp_path / "room.db")
    host = RoomHost(room, clock=lambda: 5.0)
    ann = room.join("Ann", room.code, 1.0)
    page = Recorder()
    host.attach(Connection(page, ann.secret, "A"))
    room.pause("A", 2.0)   # a paused clock: the state is the same at every push

    async def pushes() -> None:
        await host.changed(["A"])
        await host.changed(["A"])    # nothing new for Ann: not sent again
        room.resume("A", 3.0)
        room.pause("A", 3.0)
        await host.changed(["A"])    # a new version: sent

    asyncio.run(pushes())
    assert [m["version"] for m in page.sent] == [room.tables["A"].version - 2,
                                                 room.tables["A"].version]


def test_the_server_sends_states_uncompressed():
    from game.server.serve import Serving, listen
    sock = listen("127.0.0.1", 0)
    try:
        assert Serving(object(), sock).server.config.ws_per_message_deflate is False
    finally:
        sock.close()


def test_a_tables_pages_are_built_in_one_go(tmp_path, monkeypatch):
    room = make_room(tmp_path / "room.db")
    host = RoomHost(room, clock=lambda: 5.0)
    people = [room.join(f"P{n}", room.code, 1.0) for n in range(8)]
    at_b = [p for p in people if p.table_id == "B"]
    pages = [Recorder() for _ in at_b]
    for page, person in zip(pages, at_b):
        host.attach(Connection(page, person.secret, "B"))
    calls = []
    build = host.states
    monkeypatch.setattr(host, "states", lambda secrets: calls.append(list(secrets))
                        or build(secrets))
    asyncio.run(host.changed(["B"]))
    assert len(calls) == 1 and sorted(calls[0]) == sorted(p.secret for p in at_b)
    assert all(page.sent[-1]["type"] == "state" for page in pages) and len(at_b) >= 2


def test_the_scenario_texts_are_sent_again_only_when_they_change(tmp_path):
    room = make_room(tmp_path / "room.db")
    host = RoomHost(room, clock=lambda: 5.0)
    ann = room.join("Ann", room.code, 1.0)
    page = Recorder()
    host.attach(Connection(page, ann.secret, "A"))

    async def pushes() -> None:
        await host.changed(["A"])
        room.pause("A", 2.0)
        await host.changed(["A"])
        host.detach(next(iter(host.tables["A"])))
        host.attach(Connection(page, ann.secret, "A"))   # the page reconnects
        await host.send_state(next(iter(host.tables["A"])))

    asyncio.run(pushes())
    first, paused, again = page.sent
    assert first["texts"]["title"] and "texts" not in paused and paused["paused"]
    assert again["texts"] == first["texts"]   # a new socket gets them whole
    full = room.player_state(ann.secret, 5.0).model_dump(mode="json")
    assert PlayerState.model_validate({**paused, "texts": first["texts"]}).model_dump(
        mode="json") == full


def test_results_wait_for_a_build_started_on_a_loop_that_has_gone() -> None:
    """A build begun on one event loop (a test client without `with` makes one per request)
    must not be awaited from the next: the host starts it again on the loop it runs on."""
    import asyncio

    from game.server.room_host import RoomHost

    class FakeRoom:
        tables: dict = {}

    host = RoomHost(FakeRoom())
    old = asyncio.new_event_loop()
    host._preparing["A"] = old.create_future()  # pending forever on a loop that closes
    old.close()

    async def unprepared_then_nothing(method: str, *args, now: bool = True):
        return []
    host.run = unprepared_then_nothing  # no table left to build
    asyncio.run(asyncio.wait_for(host.prepare_results(), 5))
    assert host._preparing == {}
