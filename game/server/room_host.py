"""The one `Room` a server runs, who is connected to each of its tables, and the pushes.

Every call into the room goes through `RoomHost`, under one lock: the event loop's handlers
(in worker threads, see `run`) and the pygame host window (another thread) may all call it. After anything changes a table, `changed(table_ids)` pushes each seat
connected there its own new state, and tells the listeners (the facilitator's pages).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from game.server.rate_limit import TokenBucket

log = logging.getLogger("goodhart.server")

NO_SEAT = 4401
"""Close code: this device holds no seat here; the page goes back to the join page."""
PAGES_PER_SEAT = 4
"""Pages one seat may have open at once (a phone and a laptop, and a tab or two)."""
PONG = '{"type": "pong"}'
RESULTS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="goodhart-results")
"""Where ended tables' results are built, one at a time: never in the pool the room's calls
use, so forty tables ending together do not queue the others' actions behind their replays."""
Listener = Callable[[list[str]], Awaitable[None]]


class Sender(Protocol):
    """What a connected page needs from its socket: a way to send it a JSON text."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000) -> None: ...


@dataclass(eq=False)
class Connection:
    """One player's open socket: which seat (by its secret) at which table."""

    socket: Sender
    secret: str
    table_id: str
    bucket: TokenBucket = field(default_factory=TokenBucket)
    shown: str | None = None
    """The last state sent to this page without its texts (a push that would repeat it is
    not sent)."""
    texts: str | None = None
    """The scenario's texts last sent to this page (a state omits them while unchanged)."""


@dataclass(frozen=True)
class Shown:
    """A seat's state as its page gets it: its JSON without the scenario's texts (`lean`)
    and the texts' JSON apart (a page is sent them only when they changed), its version,
    whether it is over."""

    lean: str
    texts: str
    version: int
    ended: bool

    @classmethod
    def of(cls, state: Any) -> Shown:
        """`state` (a `PlayerState`) serialised."""
        return cls(state.model_dump_json(exclude={"texts"}), state.texts.model_dump_json(),
                   state.version, state.ended)

    def full(self) -> str:
        """The whole state's JSON, texts included."""
        return f'{self.lean[:-1]},"texts":{self.texts}}}'


class RoomHost:
    """The room, a lock around it, the clock, and the open player sockets by table."""

    def __init__(self, room: Any, clock: Callable[[], float] = time.time) -> None:
        self.room = room
        self.clock = clock
        self.lock = threading.RLock()
        self.tables: dict[str, set[Connection]] = {}
        self.listeners: list[Listener] = []
        self._preparing: dict[str, asyncio.Future] = {}
        self._failed: set[str] = set()

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """`room.<method>(*args, **kwargs)` under the lock; what it returns."""
        with self.lock:
            return getattr(self.room, method)(*args, **kwargs)

    def call_now(self, method: str, *args: Any) -> Any:
        """`room.<method>(*args, now)` under the lock, `now` read from the clock."""
        with self.lock:
            return getattr(self.room, method)(*args, self.clock())

    async def run(self, method: str, *args: Any, now: bool = True) -> Any:
        """`call_now` (`call` when not `now`) in a worker thread: a slow call (a bot planning
        its move can take a second) holds the room, but never the event loop, so sockets and
        pages stay served meanwhile."""
        return await asyncio.to_thread(self.call_now if now else self.call, method, *args)

    # --- connections ----------------------------------------------------------------------

    def attach(self, conn: Connection) -> bool:
        """Count `conn` among the sockets of its table; False (and not counted) when its seat
        already has `PAGES_PER_SEAT` pages open."""
        group = self.tables.setdefault(conn.table_id, set())
        if sum(c.secret == conn.secret for c in group) >= PAGES_PER_SEAT:
            return False
        group.add(conn)
        return True

    def detach(self, conn: Connection) -> None:
        """Forget `conn` (its page closed or lost the connection)."""
        group = self.tables.get(conn.table_id)
        if group is not None:
            group.discard(conn)
            if not group:
                del self.tables[conn.table_id]

    def connected(self) -> int:
        """How many player sockets are open."""
        return sum(len(group) for group in self.tables.values())

    # --- pushes ---------------------------------------------------------------------------

    def states(self, secrets: Iterable[str]) -> dict[str, Any]:
        """Each seat's state (`Shown`), or the error it raised (UnknownSeat when the seat is
        no longer theirs): built under the lock in one go (one worker thread for a whole
        table's pages, not one each), serialised after it."""
        built: dict[str, Any] = {}
        with self.lock:
            now = self.clock()
            for secret in dict.fromkeys(secrets):
                try:
                    built[secret] = self.room.player_state(secret, now)
                except Exception as err:  # delivered (and logged) per page below
                    built[secret] = err
        return {secret: state if isinstance(state, Exception) else Shown.of(state)
                for secret, state in built.items()}

    async def send_state(self, conn: Connection, unless_version: int | None = None,
                         push: bool = False) -> None:
        """Send `conn` its seat's state (a `pong` instead when the page already shows
        `unless_version`; nothing when it is a `push` of what the page was last sent); a
        socket that has gone is forgotten."""
        shown = (await asyncio.to_thread(self.states, [conn.secret]))[conn.secret]
        await self._deliver(conn, shown, unless_version, push)

    async def _deliver(self, conn: Connection, shown: Any, unless_version: int | None,
                       push: bool) -> None:
        from game.server.room import UnknownSeat
        try:
            if isinstance(shown, UnknownSeat):   # the facilitator gave the seat away
                self.detach(conn)
                await conn.socket.send_text(json.dumps({"type": "error",
                                                        "message": str(shown)}))
                await conn.socket.close(code=NO_SEAT)
                return
            if isinstance(shown, Exception):
                raise shown
            texts_known = shown.texts == conn.texts
            if push and texts_known and shown.lean == conn.shown:
                return   # a push of what the page already shows
            if shown.version == unless_version and not shown.ended:
                text = PONG
            else:
                text = shown.lean if texts_known else shown.full()
            await asyncio.wait_for(conn.socket.send_text(text), timeout=5)
            if text != PONG:
                conn.shown, conn.texts = shown.lean, shown.texts
        except Exception as err:  # a closed or stuck socket: the page reconnects by itself
            log.info("dropped a player socket at table %s: %s", conn.table_id, err)
            self.detach(conn)

    async def changed(self, table_ids: Iterable[str]) -> None:
        """Push every seat connected at these tables its new state; tell the listeners."""
        ids = list(dict.fromkeys(table_ids))
        if not ids:
            return
        conns = [c for t in ids for c in list(self.tables.get(t, ()))]
        if conns:
            shown = await asyncio.to_thread(self.states, [c.secret for c in conns])
            await asyncio.gather(*(self._deliver(c, shown[c.secret], None, True)
                                   for c in conns))
        if any(self._unprepared(t) for t in ids):
            asyncio.ensure_future(self.prepare_results())
        for listener in list(self.listeners):
            try:
                await listener(ids)
            except Exception:  # a listener's fault must not stop the players' pushes
                log.exception("a room listener failed")

    # --- results, built outside the lock ------------------------------------------------

    def _unprepared(self, table_id: str) -> bool:
        """Whether a table has ended without its result kept yet (read without the lock: a
        stale answer only delays or repeats a harmless check)."""
        table = self.room.tables.get(table_id)
        return table is not None and table.ended and table.result is None \
            and table_id not in self._failed

    async def prepare_results(self) -> None:
        """Build every ended table's result (its what-if replays a whole game, ~0.5 s) in a
        worker thread without holding the room, keep it, and push those tables' pages their
        reveal's summary; returns once every table that had ended has its result."""
        from game.server.room import prepare_result
        loop = asyncio.get_running_loop()
        for table_id, job in list(self._preparing.items()):
            if job.get_loop() is not loop:  # started on a loop that has gone: start it again
                del self._preparing[table_id]
        jobs = await self.run("unprepared", now=False)
        for table_id, session in jobs:
            if table_id not in self._preparing and table_id not in self._failed:
                self._preparing[table_id] = asyncio.ensure_future(
                    self._prepare(table_id, session, prepare_result))
        await asyncio.gather(*list(self._preparing.values()), return_exceptions=True)

    async def _prepare(self, table_id: str, session: Any, build: Callable) -> None:
        try:
            result = await asyncio.get_running_loop().run_in_executor(RESULTS, build, session)
            await self.run("keep_result", table_id, result, now=False)
        except Exception:
            log.exception("the result of table %s could not be built", table_id)
            self._failed.add(table_id)
            return
        finally:
            self._preparing.pop(table_id, None)
        await self.changed([table_id])

    async def tick(self) -> None:
        """Let the room play timed-out and bot seats; push the tables that changed."""
        await self.changed(await self.run("tick"))

    async def tick_forever(self, every: float = 0.25) -> None:
        """`tick` every `every` seconds until cancelled; an error is logged, not fatal."""
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("the room's tick failed")
            await asyncio.sleep(every)
