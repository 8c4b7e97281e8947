"""Running the app: which address to listen on, the listening socket, uvicorn, and the
facilitator's operations for the host window (which runs on another thread).

`lan_address()` finds this computer's address on the local network without sending a packet
(a UDP socket "connected" to a private address only picks the route). `listen(bind, port)`
binds the socket before uvicorn starts, so port 0 gives a free port and a taken port is one
clear line. `serve(...)` runs uvicorn on that socket until Ctrl-C, `stop()`, or
`stop_after` seconds.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket
import threading
from collections.abc import Callable
from typing import Any

import uvicorn

from game.errors import GoodhartError
from game.server.player_socket import MAX_MESSAGE
from game.server.room_host import RoomHost

LOOPBACK = "127.0.0.1"
"""Per-message deflate is off: on a LAN the bytes it saves cost more time (compressing every
state on the event loop) than they take to send."""
WS_MAX_SIZE = 2 * MAX_MESSAGE
"""uvicorn closes a socket that sends a frame larger than this; frames up to it are read and
those over `MAX_MESSAGE` get a clear error line instead (see `player_socket`)."""


def lan_address() -> str | None:
    """This computer's address on the local network, or None when it has none."""
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # no packet is sent: this only picks the route
                address = s.getsockname()[0]
        except OSError:
            continue
        if address and not ipaddress.ip_address(address).is_loopback \
                and not ipaddress.ip_address(address).is_unspecified:
            return address
    return None


def listen(bind: str, port: int) -> socket.socket:
    """A listening TCP socket on `bind`:`port` (0: any free port), or a GoodhartError."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(bind).version == 6 else socket.AF_INET
    except ValueError:
        raise GoodhartError(f"--bind {bind}: not an IP address (e.g. 0.0.0.0, 127.0.0.1 or "
                            f"this computer's address on the network)") from None
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, port))
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise GoodhartError(f"port {port} is already in use on {bind}: stop the other "
                                f"server, or choose another port with --port") from None
        raise GoodhartError(f"cannot listen on {bind}:{port} ({err.strerror}); check --bind "
                            f"and --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class Serving:
    """uvicorn serving `app` on a socket; `run()` blocks until it stops."""

    def __init__(self, app: Any, sock: socket.socket, stop_after: float | None = None) -> None:
        config = uvicorn.Config(app, ws_max_size=WS_MAX_SIZE, log_level="warning",
                                ws_per_message_deflate=False,
                                lifespan="on", timeout_graceful_shutdown=3,
                                ws_ping_interval=20, ws_ping_timeout=20)
        self.server = uvicorn.Server(config)
        self.sock = sock
        self.stop_after = stop_after
        self.loop: asyncio.AbstractEventLoop | None = None
        self.started = threading.Event()

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        if self.stop_after is not None:
            self.loop.call_later(self.stop_after, self.stop)
        self.loop.call_soon(self.started.set)
        await self.server.serve(sockets=[self.sock])

    def run(self) -> None:
        """Serve until stopped (Ctrl-C in the main thread, `stop()`, or `stop_after`)."""
        try:
            asyncio.run(self._serve())
        finally:
            self.started.set()

    def stop(self) -> None:
        """Ask the server to stop (from any thread)."""
        self.server.should_exit = True

    @property
    def stopped(self) -> bool:
        return self.server.should_exit


class WindowOps:
    """The facilitator's operations for the pygame host window (another thread): each runs on
    the room under its lock, then the tables' pages get their new state on the event loop."""

    def __init__(self, host: RoomHost, serving: Serving) -> None:
        self.host = host
        self.serving = serving

    def _run(self, method: str, table_id: str | None, *args: Any) -> Any:
        """`room.<method>(table_id, *args, now)`; the pages of the tables it changed are
        pushed their new state."""
        with self.host.lock:
            before = self.host.room.versions()
            result = self.host.call(method, table_id, *args, self.host.clock())
            after = self.host.room.versions()
        changed = [t for t, v in after.items() if before.get(t) != v]
        loop = self.serving.loop
        if changed and loop is not None and loop.is_running():
            asyncio.run_coroutine_threadsafe(self.host.changed(changed), loop)
        return result

    def pause(self, table_id: str | None) -> None:
        self._run("pause", table_id)

    def resume(self, table_id: str | None) -> None:
        self._run("resume", table_id)

    def extend(self, table_id: str, seconds: int) -> None:
        self._run("extend", table_id, seconds)

    def inject(self, table_id: str, event_id: str) -> None:
        self._run("inject", table_id, event_id)

    def give_to_bot(self, table_id: str, seat: int) -> None:
        self._run("give_to_bot", table_id, seat)

    def give_to_person(self, table_id: str, seat: int) -> str:
        return self._run("give_to_person", table_id, seat)

    def end_table(self, table_id: str) -> None:
        self._run("end_table", table_id)


def status_getter(host: RoomHost) -> Callable[[], Any]:
    """A function returning the room's `RoomStatus` now (for the host window)."""
    return lambda: host.call_now("status")
