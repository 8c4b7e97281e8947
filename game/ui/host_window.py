"""The facilitator's pygame dashboard on the host laptop, while `goodhart host` serves the room.

`run_host_window(status, ops)` opens it: `status()` returns the room's `RoomStatus` (public by
construction: no seat secrets, no hidden values) and `ops` carries out the facilitator's
operations (`HostOps`). The server runs in a background thread meanwhile; this window never
imports `game.server`, it only draws what `status()` returns and calls `ops`.

Keys (also shown at the bottom of the window):
- Up/Down choose a table, Left/Right a seat at it;
- P pauses or resumes the table, A every table;
- + gives the table's phase 30 seconds more;
- I picks an event (Up/Down, Enter fires it, Esc backs out);
- B, then B again, gives the seat to a bot; L makes a late-arrival code for the seat;
- X, then X again, ends the table's game;
- V switches to the projector view (the room-wide countdown, every table's progress).
Closing the window stops the host; `goodhart host --resume` brings the room back.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pygame

from game.errors import GoodhartError
from game.ui import host_draw, theme
from game.ui.draw import Painter
from game.workshop.room_status import RoomStatus, TableStatus

__all__ = ["EXTEND_SECONDS", "HostOps", "HostWindow", "run_host_window"]

EXTEND_SECONDS = 30
REFRESH_SECONDS = 0.25
TOAST_SECONDS = 6.0
FPS = 30


class HostOps(Protocol):
    """The facilitator's operations on the room (each raises a GoodhartError with one line
    when it cannot be done; `table_id` None means every table)."""

    def pause(self, table_id: str | None) -> None: ...

    def resume(self, table_id: str | None) -> None: ...

    def extend(self, table_id: str, seconds: int) -> None: ...

    def inject(self, table_id: str, event_id: str) -> None: ...

    def give_to_bot(self, table_id: str, seat: int) -> None: ...

    def give_to_person(self, table_id: str, seat: int) -> str: ...

    def end_table(self, table_id: str) -> None: ...


class HostWindow:
    """The dashboard's state: the last status, which table, seat and event is chosen, the
    mode (`tables`, `events` or `projector`), a key waiting for its confirmation, a message."""

    def __init__(self, status: Callable[[], RoomStatus], ops: HostOps,
                 join_url: str = "") -> None:
        self.status_of = status
        self.ops = ops
        self.join_url = join_url
        self.status = status()
        self.table = 0
        self.seat = 0
        self.event = 0
        self.mode = "tables"
        self.armed: int | None = None
        self.toast = ""
        self.toast_left = 0.0
        self.code = ""                      # a late-arrival code on screen, until a key

    # --- the room as it is now ------------------------------------------------------------

    def refresh(self) -> None:
        """Read the room's status again (a failure keeps the last one and says so)."""
        try:
            self.status = self.status_of()
        except GoodhartError as err:
            self.say(f"Could not read the room: {err}")
        self._clamp()

    def _clamp(self) -> None:
        tables = self.status.tables
        self.table = min(self.table, max(0, len(tables) - 1))
        chosen = self.chosen()
        self.seat = min(self.seat, max(0, len(chosen.seats) - 1)) if chosen else 0
        self.event = min(self.event, max(0, len(chosen.events) - 1)) if chosen else 0

    def chosen(self) -> TableStatus | None:
        """The table the cursor is on, or None in a room without tables."""
        tables = self.status.tables
        return tables[self.table] if tables else None

    def say(self, text: str) -> None:
        self.toast, self.toast_left = text, TOAST_SECONDS

    def update(self, dt: float) -> None:
        self.toast_left = max(0.0, self.toast_left - dt)

    # --- keys -----------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> None:
        """One key press: move the cursor or carry out an operation."""
        if event.type != pygame.KEYDOWN:
            return
        key = event.key
        if self.code:
            self.code = ""
            return
        if self.mode == "projector":
            if key in (pygame.K_v, pygame.K_ESCAPE):
                self.mode = "tables"
            return
        if self.mode == "events":
            self._event_key(key)
            return
        armed, self.armed = self.armed, None
        self._table_key(key, armed)

    def _table_key(self, key: int, armed: int | None) -> None:
        table = self.chosen()
        moves = {pygame.K_UP: (-1, 0), pygame.K_DOWN: (1, 0), pygame.K_LEFT: (0, -1),
                 pygame.K_RIGHT: (0, 1)}
        if key in moves:
            dt, ds = moves[key]
            if dt and self.status.tables:
                self.table = (self.table + dt) % len(self.status.tables)
                self.seat = 0
            elif ds and table and table.seats:
                self.seat = (self.seat + ds) % len(table.seats)
            self._clamp()
        elif key == pygame.K_v:
            self.mode = "projector"
        elif key == pygame.K_a:
            self._pause_all()
        elif table is None:
            return
        elif key == pygame.K_p:
            self._pause(table)
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self._run(lambda: self.ops.extend(table.id, EXTEND_SECONDS),
                      f"{table.name}: {EXTEND_SECONDS} seconds more for this phase.")
        elif key == pygame.K_i:
            self._open_events(table)
        elif key in (pygame.K_b, pygame.K_x):
            self._confirm(key, armed, table)
        elif key == pygame.K_l:
            self._late_arrival(table)

    def _pause(self, table: TableStatus) -> None:
        if table.paused:
            self._run(lambda: self.ops.resume(table.id), f"{table.name} runs again.")
        else:
            self._run(lambda: self.ops.pause(table.id),
                      f"{table.name} is paused: its timer stands still.")

    def _pause_all(self) -> None:
        if self.status.paused:
            self._run(lambda: self.ops.resume(None), "Every table runs again.")
        else:
            self._run(lambda: self.ops.pause(None), "Every table is paused.")

    def _open_events(self, table: TableStatus) -> None:
        if table.ended:
            self.say(f"{table.name} has ended: no more events.")
        elif not table.events:
            self.say("This scenario has no events to fire.")
        else:
            self.mode = "events"

    def _event_key(self, key: int) -> None:
        table = self.chosen()
        if table is None or not table.events or key in (pygame.K_ESCAPE, pygame.K_i):
            self.mode = "tables"
        elif key in (pygame.K_UP, pygame.K_DOWN):
            step = 1 if key == pygame.K_DOWN else -1
            self.event = (self.event + step) % len(table.events)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            event_id, headline = table.events[self.event]
            self.mode = "tables"
            self._run(lambda: self.ops.inject(table.id, event_id),
                      f"{table.name}: fired '{headline}'. It is in this turn's news.")

    def _confirm(self, key: int, armed: int | None, table: TableStatus) -> None:
        """B and X act on the second press in a row; the first says what it will do."""
        seat = table.seats[self.seat] if table.seats else None
        if key == pygame.K_b and seat is None:
            return
        if armed != key:
            self.armed = key
            what = (f"give {seat.seat_name} to a bot" if key == pygame.K_b
                    else f"end {table.name}'s game now")
            self.say(f"Press {pygame.key.name(key).upper()} again to {what} "
                     "(any other key cancels).")
            return
        if key == pygame.K_b:
            self._run(lambda: self.ops.give_to_bot(table.id, seat.index),
                      f"A bot plays {seat.seat_name} at {table.name} from now on.")
        else:
            self._run(lambda: self.ops.end_table(table.id),
                      f"{table.name}'s game has ended; its result is in the debrief.")

    def _late_arrival(self, table: TableStatus) -> None:
        if not table.seats:
            return
        seat = table.seats[self.seat]
        try:
            code = self.ops.give_to_person(table.id, seat.index)
        except GoodhartError as err:
            self.say(str(err))
            return
        self.code = f"{seat.seat_name} at {table.name}: code {code}"
        self.refresh()

    def _run(self, op: Callable[[], object], done: str) -> None:
        """Carry out `op`; say `done`, or the one line of why it could not be done."""
        try:
            op()
        except GoodhartError as err:
            self.say(str(err))
            return
        self.say(done)
        self.refresh()

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, painter: Painter, now: float) -> None:
        """The whole window: the projector view, or the tables with the chosen one's seats."""
        if self.mode == "projector":
            host_draw.draw_projector(surface, painter, self.status, self.join_url)
        else:
            host_draw.draw_dashboard(surface, painter, self)
        if self.code:
            host_draw.draw_code(surface, painter, self.code)
        elif self.toast_left > 0 and self.toast:
            host_draw.draw_toast(surface, painter, self.toast)


def run_host_window(status: Callable[[], RoomStatus], ops: HostOps, join_url: str = "",
                    size: tuple[int, int] = (1280, 720), max_frames: int | None = None,
                    should_stop: Callable[[], bool] = lambda: False,
                    screenshot: Path | None = None) -> int:
    """Open the dashboard and run it until the window is closed, `should_stop()` says so, or
    `max_frames` (else GOODHART_MAX_FRAMES) frames are drawn; returns 0. With `screenshot`, the
    last frame is saved there as a PNG."""
    from game.ui.app import open_display
    if max_frames is None and os.environ.get("GOODHART_MAX_FRAMES", "").isdigit():
        max_frames = int(os.environ["GOODHART_MAX_FRAMES"])
    open_display()
    pygame.font.init()
    pygame.display.set_caption("Goodhart — facilitator")
    screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    painter = Painter(theme.scale_for(size))
    window = HostWindow(status, ops, join_url)
    try:
        _loop(window, screen, painter, max_frames, should_stop)
        if screenshot is not None:
            pygame.image.save(pygame.display.get_surface(), str(screenshot))
    finally:
        pygame.display.quit()
    return 0


def _loop(window: HostWindow, screen: pygame.Surface, painter: Painter,
          max_frames: int | None, should_stop: Callable[[], bool]) -> None:
    clock = pygame.time.Clock()
    frame, since = 0, 0.0
    while (max_frames is None or frame < max_frames) and not should_stop():
        dt = clock.tick(FPS) / 1000.0
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
            if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
                screen = pygame.display.get_surface()
                painter.set_scale(theme.scale_for(screen.get_size()))
            window.handle(event)
        since += dt
        if since >= REFRESH_SECONDS:
            since = 0.0
            window.refresh()
        window.update(dt)
        with host_draw.PAINTING:
            window.draw(screen, painter, time.monotonic())
        pygame.display.flip()
        frame += 1
