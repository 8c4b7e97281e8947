"""`goodhart host`: a workshop server; every participant plays on their own phone or laptop.

`goodhart host WORKSHOP_OR_SCENARIO [--bind ADDR] [--port N] [--headless] [--resume] [--db]`
makes a room from a workshop file (its tables) or a scenario (a table of its default seats,
and another each time one is full), stores it in a SQLite file, and serves it on the local
network: its first lines say where it listens, the join address, the room code, a QR code of
the address and the facilitator's address with its token. Without `--headless` the
facilitator's window opens on this computer and the server runs behind it; closing the window
stops the host. `--resume` reopens a room after a crash (the newest one, or `--db`'s), with
a new facilitator token. `GOODHART_HOST_SECONDS=N` stops the host by itself after N seconds.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import click

from game.errors import GoodhartError

__all__ = ["host", "register"]

DEFAULT_PORT = 8765
ROOMS = "rooms"


def register(group: click.Group) -> None:
    """Add `host` to the CLI."""
    group.add_command(host)


@click.command()
@click.argument("source", metavar="WORKSHOP_OR_SCENARIO", required=False)
@click.option("--bind", metavar="ADDR",
              help="Address to listen on. Default: this computer's address on the local "
                   "network, so phones on the room's Wi-Fi can join; 127.0.0.1 keeps the "
                   "room to this computer.")
@click.option("--port", type=click.IntRange(0, 65535), metavar="N",
              help=f"Port to listen on (default {DEFAULT_PORT}, or a free one if it is "
                   "taken; 0 for any free port).")
@click.option("--headless", is_flag=True,
              help="No facilitator window: serve only (the web dashboard still works).")
@click.option("--resume", is_flag=True,
              help="Reopen a room after a crash: the newest one, or the one in --db.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="The room's file (default: a new file in the data folder's rooms/).")
def host(source: str | None, bind: str | None, port: int | None, headless: bool,
         resume: bool, db: Path | None) -> int:
    """Host a workshop room: everyone joins from their own device's browser."""
    stop_after = _stop_after()
    if not headless:
        from game.ui.app import require_screen
        require_screen()
    from game.server.app import create_app
    from game.server.facilitator_routes import facilitator_routes
    from game.server.room_host import RoomHost
    from game.server.serve import Serving, listen
    address, note = _bind_address(bind)
    sock = listen(address, port) if port is not None else _default_socket(address)
    try:   # the address first: a room is only made once it can be served
        room, db = _open_room(source, resume, db)
    except BaseException:
        sock.close()
        raise
    room_host = RoomHost(room)
    app = create_app(room_host, facilitator_routes())
    join_url = _join_url(address, sock.getsockname()[1])
    app.state.join_url = join_url       # the projector's QR code and join line show it
    serving = Serving(app, sock, stop_after)
    _announce(room, note, join_url, db, resume)
    try:
        if headless:
            serving.run()
        else:
            _with_window(room_host, serving, join_url)
    finally:
        room.close()
    click.echo("The host has stopped. Every action is stored; "
               f"`goodhart host --resume --db {db}` brings the room back.")
    return 0


def _stop_after() -> float | None:
    """GOODHART_HOST_SECONDS as a number of seconds, or None (then the host runs until
    stopped)."""
    raw = os.environ.get("GOODHART_HOST_SECONDS", "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        raise GoodhartError(f"GOODHART_HOST_SECONDS={raw!r}: write a number of seconds") \
            from None
    return max(0.0, seconds)


def rooms_dir() -> Path:
    """Where rooms are stored by default: next to the saves, in `rooms/`."""
    from game.engine.save import save_dir
    return save_dir().parent / ROOMS


def _open_room(source: str | None, resume: bool, db: Path | None):
    """The room (made new, or reopened with --resume) and its file."""
    from game.server.room import Room
    from game.server.store import Store
    if resume:
        db = db or _newest_room()
        if not db.is_file():
            raise GoodhartError(f"{db}: no room file here to resume; check --db")
        room = Room.open(Store(db), time.time())
        room.reset_facilitator_token()
        return room, db
    if source is None:
        raise click.UsageError("name a workshop file or a scenario to host "
                               "(or --resume to reopen a room)")
    from game.server.setup import room_source
    made = room_source(source)
    if db is None:
        folder = rooms_dir()
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"room-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
    elif db.exists() and db.stat().st_size:
        raise GoodhartError(f"{db} already holds a room: resume it with --resume, or choose "
                            "another --db file")
    db.parent.mkdir(parents=True, exist_ok=True)
    room = Room.create(made.loaded, Store(db), time.time(), grows=made.grows)
    return room, db


def _newest_room() -> Path:
    """The room file written last in the default folder, or a GoodhartError."""
    folder = rooms_dir()
    files = sorted(folder.glob("room-*.sqlite"), key=lambda p: p.stat().st_mtime) \
        if folder.is_dir() else []
    if not files:
        raise GoodhartError(f"no room to resume in {folder}; give its file with --db")
    return files[-1]


def _bind_address(bind: str | None) -> tuple[str, str]:
    """The address to listen on and a line saying who can reach it."""
    from game.server.serve import LOOPBACK, lan_address
    if bind is not None:
        who = ("this computer only" if bind.startswith("127.") or bind == "::1"
               else "every device that can reach this computer")
        return bind, f"Listening on {bind} ({who}), as --bind asked."
    lan = lan_address()
    if lan is None:
        return LOOPBACK, ("No local network found: listening on 127.0.0.1, so only this "
                          "computer can join. Connect to the room's Wi-Fi and start again.")
    return lan, (f"Listening on the local network at {lan}: phones and laptops on the same "
                 "Wi-Fi can join. (--bind 127.0.0.1 keeps it to this computer.)")


def _default_socket(address: str):
    """A socket on the default port, or on a free one if that is taken."""
    from game.server.serve import listen
    try:
        return listen(address, DEFAULT_PORT)
    except GoodhartError:
        return listen(address, 0)


def _join_url(address: str, port: int) -> str:
    """The address people type to join."""
    from game.server.serve import lan_address
    if address in ("0.0.0.0", "::"):
        address = lan_address() or "127.0.0.1"
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}/"


def _announce(room, note: str, join_url: str, db: Path, resumed: bool) -> None:
    """The first lines: where, the join address, the code, a QR code, the facilitator."""
    import segno
    say = click.echo
    say(f"Goodhart workshop server: {room.title}" + (" (resumed)" if resumed else ""))
    say(note)
    say(f"Join at:      {join_url}")
    say(f"Room code:    {room.code}")
    try:
        # the code rides along in the QR's address, so a phone's join page has it filled in
        segno.make(f"{join_url}?code={room.code}", error="m").terminal(
            out=sys.stdout, compact=True, border=2)
    except (UnicodeEncodeError, OSError):
        say("(no QR code: this terminal cannot show it)")
    say(f"Facilitator:  {join_url}facilitator?token={room.facilitator_token}")
    say("               (keep this address to yourself: it opens the facilitator's controls)")
    say(f"Room file:    {db}")
    say("Stop with Ctrl-C; after a crash, `goodhart host --resume` brings the room back.")
    sys.stdout.flush()


def _with_window(room_host, serving, join_url: str) -> None:
    """The facilitator's window in this thread, the server in another; closing the window
    (or the server stopping) stops both."""
    from game.server.serve import WindowOps, status_getter
    from game.ui.host_window import run_host_window
    thread = threading.Thread(target=serving.run, name="goodhart-server", daemon=True)
    thread.start()
    serving.started.wait(10)
    try:
        run_host_window(status_getter(room_host), WindowOps(room_host, serving), join_url,
                        should_stop=lambda: serving.stopped or not thread.is_alive())
    finally:
        serving.stop()
        thread.join(10)
