"""The player's socket, `WS /ws`: the seat comes from the device's cookie, never a message.

On connect the page gets its seat's state; then every message is checked in this order: a
text frame, at most `MAX_MESSAGE` bytes, within the socket's rate (a token bucket), a valid
protocol message (pydantic), and only then handed to the room. Anything refused gets one
`error` message in words and changes nothing; no traceback ever reaches the page. After an
action the sender gets an `ack` with the table's new version, and every seat connected at the
table its own new state.
"""

from __future__ import annotations

import contextlib
import json
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from game.server.protocol import ProtocolError, parse_player
from game.server.room_host import NO_SEAT, Connection, RoomHost
from game.server.web_security import same_origin

log = logging.getLogger("goodhart.server")

SEAT_COOKIE = "goodhart_seat"
MAX_MESSAGE = 4096
CROSS_SITE = 4403  # close code: the socket was opened from another site

TOO_LONG = f"That message is too long (at most {MAX_MESSAGE // 1024} KB); nothing was done."
TOO_FAST = "Too many messages at once: wait a moment and try again."
NOT_TEXT = "The game only understands text messages; nothing was done."
TOO_MANY_PAGES = ("Your seat is open on too many pages at once: close the others, then "
                  "reload this one.")
FAILED = "The host could not do that just now; nothing was done. Try again."


def error_text(message: str) -> str:
    """An `error` message as JSON text."""
    return json.dumps({"type": "error", "message": message})


async def player_socket(ws: WebSocket) -> None:
    """Serve one player's page until it closes."""
    host: RoomHost = ws.app.state.host
    if not same_origin(ws.headers):
        await ws.close(code=CROSS_SITE)
        return
    await ws.accept()
    secret = ws.cookies.get(SEAT_COOKIE, "")
    ticket = await host.run("rejoin", secret) if 0 < len(secret) <= 200 else None
    if ticket is None:
        await ws.send_text(error_text("This device has no seat in this room: join again "
                                      "with your name and the room code."))
        await ws.close(code=NO_SEAT)
        return
    conn = Connection(ws, secret, ticket.table_id)
    if not host.attach(conn):
        await ws.send_text(error_text(TOO_MANY_PAGES))
        await ws.close()
        return
    try:
        await host.changed([ticket.table_id])  # the others see the seat is back
        if conn not in host.tables.get(conn.table_id, ()):
            return
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            await handle(host, conn, message)
    except WebSocketDisconnect:
        pass
    finally:
        host.detach(conn)
        if ws.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(Exception):  # it may have gone meanwhile
                await ws.close()


async def handle(host: RoomHost, conn: Connection, message: dict) -> None:
    """Check one incoming frame and act on it; refusals answer with one `error`."""
    text = message.get("text")
    reply = refusal(conn, text, host.clock())
    if reply is not None:
        await conn.socket.send_text(error_text(reply))
        return
    try:
        msg = parse_player(text)
    except ProtocolError as err:
        await conn.socket.send_text(error_text(f"{err.message}; nothing was done."))
        return
    if msg.type == "act":
        await act(host, conn, msg)
    elif msg.type == "ping":
        await host.send_state(conn, unless_version=msg.version)
    else:
        await conn.socket.send_text(error_text("This page already has its seat."))


def refusal(conn: Connection, text: str | None, now: float) -> str | None:
    """Why a frame is refused before it is read (not text, too long, too fast), or None."""
    if not isinstance(text, str):
        return NOT_TEXT
    if len(text) > MAX_MESSAGE or len(text.encode("utf-8")) > MAX_MESSAGE:
        return TOO_LONG
    if not conn.bucket.take(now):
        return TOO_FAST
    return None


async def act(host: RoomHost, conn: Connection, msg) -> None:
    """Hand an action to the room: `ack` to the sender, the new state to the whole table."""
    from game.server.room import RoomError
    try:
        version = await host.run("act", conn.secret, msg)
    except RoomError as err:
        await conn.socket.send_text(error_text(str(err)))
        await host.send_state(conn)
        return
    except Exception:
        log.exception("an action failed at table %s", conn.table_id)
        await conn.socket.send_text(error_text(FAILED))
        return
    await conn.socket.send_text(json.dumps({"type": "ack", "version": version}))
    await host.changed([conn.table_id])

