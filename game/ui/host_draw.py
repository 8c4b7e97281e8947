"""Drawing the facilitator's host window from a `RoomStatus`: the dashboard (every table, the
chosen table's seats and news or events), the projector view (the room-wide countdown big
enough for the back of the room, each table's progress), a message, a late-arrival code.

Only public things are drawn: the status carries no secrets and no hidden values.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pygame

from game.ui import theme
from game.ui.draw import Painter, meter, panel
from game.workshop.room_status import RoomStatus, SeatStatus, TableStatus

if TYPE_CHECKING:
    from game.ui.host_window import HostWindow

KEYS = ("Up/Down: table · Left/Right: seat · P: pause table · A: pause all · +: 30 s more · "
        "I: fire an event · B twice: seat to a bot · L: late-arrival code · X twice: end table"
        " · V: projector view")
EVENT_KEYS = "Up/Down: choose an event · Enter: fire it at this table now · Esc: back"
_BIG: dict[int, pygame.font.Font] = {}
PAINTING = threading.Lock()
"""Held while pygame renders text: the host window draws on the main thread while the server's
thread may draw the debrief's slides, and SDL_ttf is not made for two threads at once."""


def clock_label(seconds: float | None) -> str:
    """`2:05` for 125 seconds (rounded up, as a countdown shows it); `` for None."""
    if seconds is None:
        return ""
    whole = int(max(0.0, seconds) + 0.999)
    return f"{whole // 60}:{whole % 60:02d}"


def big_font(pixels: int) -> pygame.font.Font:
    """The bold UI font at `pixels` (for the countdown the back of the room reads)."""
    if pixels not in _BIG:
        _BIG[pixels] = pygame.font.Font(theme.font_file(True), pixels)
    return _BIG[pixels]


def table_state(table: TableStatus, brief: bool = False) -> str:
    """Where a table's game is, in words: `Week 3 of 8 · work phase`."""
    if table.ended:
        if table.ended_early:
            return "ended early" if brief else "ended early by the facilitator"
        return "the game is over"
    return f"{table.turn_name.capitalize()} {table.turn} of {table.turns} · {table.phase} phase"


def table_progress(table: TableStatus, brief: bool = False) -> str:
    """Who has chosen, then (unless `brief`) the seats bots cover and the open ones:
    `3 of 5 chosen · 1 bot covering · 1 open`."""
    if table.ended:
        return f"{len(table.seats)} seats"
    acting = [s for s in table.seats if s.must_act or s.submitted]
    done = sum(1 for s in acting if s.submitted)
    words = [f"{done} of {len(acting)} chosen"]
    covered = sum(1 for s in table.seats if s.covered_by_bot)
    open_ = sum(1 for s in table.seats if s.player == "open")
    if covered and not brief:
        words.append(f"{covered} bot covering")
    if open_ and not brief:
        words.append(f"{open_} open")
    return " · ".join(words)


def table_clock(table: TableStatus) -> tuple[str, tuple[int, int, int]]:
    """The table's timer as shown, and its colour: `paused`, `ended`, `1:05` (red when low)."""
    if table.ended:
        return "ended", theme.MUTED
    if table.paused:
        return "paused", theme.FOCUS
    if table.seconds_left is None:
        return "no timer", theme.MUTED
    return clock_label(table.seconds_left), theme.BAD if table.seconds_left <= 15 else theme.TEXT


def seat_words(seat: SeatStatus) -> tuple[str, str]:
    """A seat's row: `Engineer 2 — Alice` and what it is doing (`chosen`, `choosing`, ...)."""
    who = {"person": seat.person, "bot": f"{seat.strategy or 'default'} bot",
           "open": "open seat"}[seat.player]
    if seat.covered_by_bot:
        who = f"{seat.person or 'away'}, covered by a bot"
    if seat.code_pending:
        who += ", code out"
    doing = "chosen" if seat.submitted else "choosing" if seat.must_act else ""
    if not seat.employed:
        doing = "laid off"
    return f"{seat.seat_name} — {who}", doing


def _header(surface: pygame.Surface, p: Painter, status: RoomStatus, join_url: str) -> int:
    """Room title, code and countdown across the top; returns the y below it."""
    w, _ = surface.get_size()
    pad = p.px(24)
    clock = "paused" if status.paused else clock_label(status.seconds_left)
    clock_w = p.width(clock, "h1", True) + pad if clock else 0
    size, lines = p.fitting(f"Room {status.code} — {status.title}", w - 2 * pad - clock_w,
                            ("h2", "h3", "body"), True)
    p.text(surface, lines[0], (pad, p.px(12)), size, bold=True)
    if clock:
        p.text(surface, clock, (w - pad, p.px(4)), "h1", theme.FOCUS, True, anchor="topright")
    join = f"Join at {join_url} with the code {status.code}" if join_url else \
        f"Room code {status.code}"
    line = f"{join} · {status.people} people seated · {status.open_seats} open seats"
    y = p.px(12) + p.line_height("h2")
    p.text(surface, line, (pad, y), "body", theme.MUTED, max_width=w - 2 * pad - clock_w)
    y += p.line_height("body") + p.px(10)
    pygame.draw.line(surface, theme.LINE, (pad, y), (w - pad, y), 2)
    return y + p.px(10)


def _table_head(surface: pygame.Surface, p: Painter, inner: pygame.Rect, table: TableStatus,
                gap: int) -> int:
    """A table's name and, at the right, its clock (the name cut `gap` short of it) on one
    line at the top of `inner`; returns the y below that line."""
    clock, color = table_clock(table)
    clock_w = p.width(clock, "h3", True) + gap
    p.text(surface, clock, (inner.right, inner.y), "h3", color, True, anchor="topright")
    p.text(surface, table.name, (inner.x, inner.y), "h3", bold=True,
           max_width=inner.width - clock_w)
    return inner.y + p.line_height("h3")


def _table_row(surface: pygame.Surface, p: Painter, rect: pygame.Rect, table: TableStatus,
               chosen: bool) -> None:
    panel(surface, rect, theme.PANEL_HI if chosen else theme.PANEL,
          theme.FOCUS if chosen else None)
    inner = rect.inflate(-p.px(24), -p.px(12))
    y = _table_head(surface, p, inner, table, p.px(16))
    p.text(surface, f"{table_state(table)} · {table_progress(table)}", (inner.x, y), "small",
           theme.MUTED, max_width=inner.width)


def row_height(p: Painter) -> int:
    return p.line_height("h3") + p.line_height("small") + p.px(16)


def _tables(surface: pygame.Surface, p: Painter, rect: pygame.Rect, window: HostWindow) -> None:
    """As many table rows as fit, scrolled so the chosen one shows."""
    tables = window.status.tables
    if not tables:
        p.text(surface, "No tables yet: they appear as people join.", rect.topleft, "body",
               theme.MUTED, max_width=rect.width)
        return
    step = row_height(p) + p.px(8)
    fits = max(1, (rect.height + p.px(8)) // step)
    first = max(0, min(window.table - fits // 2, len(tables) - fits))
    for n, table in enumerate(tables[first:first + fits], start=first):
        row = pygame.Rect(rect.x, rect.y + (n - first) * step, rect.width, row_height(p))
        _table_row(surface, p, row, table, n == window.table)
    if len(tables) > fits:
        p.text(surface, f"tables {first + 1}-{min(first + fits, len(tables))} of "
                        f"{len(tables)} (Up/Down for more)", (rect.x, rect.bottom + p.px(2)),
               "small", theme.MUTED, max_width=rect.width)


def _detail(surface: pygame.Surface, p: Painter, rect: pygame.Rect, window: HostWindow) -> None:
    """The chosen table's seats, then its news or (choosing an event) its events."""
    table = window.chosen()
    if table is None:
        return
    panel(surface, rect, theme.PANEL)
    inner = rect.inflate(-p.px(24), -p.px(20))
    y = inner.y
    p.text(surface, table.name, (inner.x, y), "h3", theme.FOCUS, True, max_width=inner.width)
    y += p.line_height("h3")
    size, lines = p.fitting(table.condition, inner.width, ("body", "small"), max_lines=2)
    y += p.lines(surface, lines, (inner.x, y), size, theme.MUTED) + p.px(6)
    for n, seat in enumerate(table.seats):
        y += _seat_row(surface, p, pygame.Rect(inner.x, y, inner.width, 0), seat,
                       n == window.seat and window.mode == "tables")
    y += p.px(10)
    if window.mode == "events":
        _events(surface, p, pygame.Rect(inner.x, y, inner.width, inner.bottom - y), table,
                window.event)
    else:
        _news(surface, p, pygame.Rect(inner.x, y, inner.width, inner.bottom - y), table)


def _seat_row(surface: pygame.Surface, p: Painter, rect: pygame.Rect, seat: SeatStatus,
              chosen: bool) -> int:
    """One seat: who plays it (over two lines if need be) and what it is doing, on the
    right; returns the height used."""
    left, right = seat_words(seat)
    right_w = p.width(right, "small", True) + p.px(12) if right else 0
    size, lines = p.fitting(left, rect.width - right_w, ("body", "small"), max_lines=2)
    height = len(lines) * p.line_height(size) + p.px(4)
    if chosen:
        panel(surface, pygame.Rect(rect.x - p.px(8), rect.y, rect.width + p.px(16), height),
              theme.PANEL_HI, theme.FOCUS)
    p.lines(surface, lines, (rect.x, rect.y + p.px(2)), size)
    if right:
        p.text(surface, right, (rect.right, rect.y + p.px(4)), "small",
               theme.GOOD if right == "chosen" else theme.MUTED, True, anchor="topright")
    return height


def _news(surface: pygame.Surface, p: Painter, rect: pygame.Rect, table: TableStatus) -> None:
    if rect.height < p.line_height("h3") + p.line_height("small"):
        return
    p.text(surface, "This turn's news", rect.topleft, "h3", bold=True)
    y = rect.y + p.line_height("h3")
    for headline in table.headlines or ["No news this turn."]:
        size, lines = p.fitting(headline, rect.width, ("small",), max_lines=2)
        if y + len(lines) * p.line_height(size) > rect.bottom:
            break
        y += p.lines(surface, lines, (rect.x, y), size,
                     theme.TEXT if table.headlines else theme.MUTED)


def _events(surface: pygame.Surface, p: Painter, rect: pygame.Rect, table: TableStatus,
            chosen: int) -> None:
    p.text(surface, "Fire an event now", rect.topleft, "h3", theme.FOCUS, True)
    y = rect.y + p.line_height("h3")
    step = p.line_height("body") + p.px(4)
    fits = max(1, (rect.bottom - y) // step)
    first = max(0, min(chosen - fits // 2, len(table.events) - fits))
    for n, (_, headline) in enumerate(table.events[first:first + fits], start=first):
        row = pygame.Rect(rect.x - p.px(8), y, rect.width + p.px(16), step)
        if n == chosen:
            panel(surface, row, theme.PANEL_HI, theme.FOCUS)
        size, lines = p.fitting(headline, rect.width, ("body", "small"))
        p.text(surface, lines[0], (rect.x, y + p.px(2)), size)
        y += step


def draw_dashboard(surface: pygame.Surface, p: Painter, window: HostWindow) -> None:
    """Header, the tables on the left, the chosen table on the right, the keys below."""
    _begin(surface, p)
    w, h = surface.get_size()
    pad = p.px(24)
    top = _header(surface, p, window.status, window.join_url)
    keys = EVENT_KEYS if window.mode == "events" else KEYS
    size, lines = p.fitting(keys, w - 2 * pad, ("small",), max_lines=3)
    keys_h = len(lines) * p.line_height(size)
    p.lines(surface, lines, (pad, h - pad // 2 - keys_h), size, theme.MUTED)
    bottom = h - pad - keys_h - p.line_height("small")
    left_w = int((w - 3 * pad) * 0.56)
    _tables(surface, p, pygame.Rect(pad, top, left_w, bottom - top), window)
    _detail(surface, p, pygame.Rect(2 * pad + left_w, top, w - 3 * pad - left_w,
                                    bottom - top + p.line_height("small")), window)


def _begin(surface: pygame.Surface, p: Painter) -> None:
    surface.fill(theme.BG)
    p.drawn, p.boxes = [], []


def draw_projector(surface: pygame.Surface, p: Painter, status: RoomStatus,
                   join_url: str) -> None:
    """The room-wide countdown in letters a fifth of the window high (smaller only when the
    tables' cards need the room), each table's progress in cards under it, and the join
    address and code at the bottom."""
    _begin(surface, p)
    w, h = surface.get_size()
    pad = p.px(24)
    size, lines = p.fitting(status.title, w - 2 * pad, ("h2", "h3"), True)
    p.text(surface, lines[0], (w // 2, pad // 2), size, bold=True, anchor="midtop")
    top = pad // 2 + p.line_height("h2")
    foot = f"Join at {join_url} · room code {status.code}" if join_url else \
        f"Room code {status.code}"
    size, lines = p.fitting(foot, w - 2 * pad, ("h3", "body"), True)
    p.text(surface, lines[0], (w // 2, h - pad // 2), size, theme.MUTED, True,
           anchor="midbottom")
    bottom = h - pad - p.line_height("h3")
    for pixels in (h // 5, h // 7, h // 10):
        glyphs = big_font(pixels).get_linesize()
        area = pygame.Rect(pad, top + glyphs + pad // 2, w - 2 * pad,
                           bottom - top - glyphs - pad // 2)
        grid = _grid(p, area, len(status.tables))
        if grid is not None:
            break
    _countdown(surface, p, status, pixels, top)
    _cards(surface, p, area, status.tables, grid)


def _countdown(surface: pygame.Surface, p: Painter, status: RoomStatus, pixels: int,
               top: int) -> None:
    """The room-wide countdown (or `Paused`, or `Debrief time`) centred at `top`."""
    if status.ended:
        big, color = "Debrief time", theme.FOCUS
    elif status.paused:
        big, color = "Paused", theme.FOCUS
    else:
        big = clock_label(status.seconds_left) or "no timer"
        low = status.seconds_left is not None and status.seconds_left <= 15
        color = theme.BAD if low else theme.TEXT
    image = big_font(pixels).render(big, True, color)
    where = image.get_rect(midtop=(surface.get_width() // 2, top))
    surface.blit(image, where)
    p.drawn.append(big)
    p.boxes.append((big, where, surface.get_size()))


MIN_CARD_WIDTH = 280
"""A card narrower than this (at the 1280×720 scale) cannot say `Week 8 of 8 · policy
phase`."""


def card_height(p: Painter) -> int:
    return p.line_height("h3") + 2 * p.line_height("body") + p.px(36)


def _grid(p: Painter, area: pygame.Rect, count: int) -> tuple[int, int] | None:
    """(columns, rows) that hold `count` cards at least `MIN_CARD_WIDTH` wide in `area`, as
    square as the width allows (at most 4 columns while 4 do); None if they do not fit."""
    gap = p.px(12)
    fit_rows = max(1, (area.height + gap) // (card_height(p) + gap))
    fit_columns = max(1, (area.width + gap) // (p.px(MIN_CARD_WIDTH) + gap))
    if count == 0:
        return 1, 1
    columns = min(count, fit_columns, 4 if count <= 4 * fit_rows else fit_columns)
    rows = -(-count // columns)
    return (columns, rows) if rows <= fit_rows else None


def _cards(surface: pygame.Surface, p: Painter, area: pygame.Rect,
           tables: list[TableStatus], grid: tuple[int, int] | None) -> None:
    """Each table as a card: name, turn and phase, a bar of the turns played, who chose."""
    if not tables:
        return
    gap = p.px(12)
    if grid is None:    # more tables than the window can show: as many as fit, and say so
        columns = max(1, (area.width + gap) // (p.px(MIN_CARD_WIDTH) + gap))
        grid = columns, max(1, (area.height + gap) // (card_height(p) + gap))
    columns, rows = grid
    card_w = (area.width - (columns - 1) * gap) // columns
    for n, table in enumerate(tables[:rows * columns]):
        r, c = divmod(n, columns)
        rect = pygame.Rect(area.x + c * (card_w + gap), area.y + r * (card_height(p) + gap),
                           card_w, card_height(p))
        _card(surface, p, rect, table)
    if len(tables) > rows * columns:
        p.cuts.append(f"projector cards from {rows * columns + 1} on")


def _card(surface: pygame.Surface, p: Painter, rect: pygame.Rect, table: TableStatus) -> None:
    panel(surface, rect, theme.PANEL)
    inner = rect.inflate(-p.px(20), -p.px(16))
    y = _table_head(surface, p, inner, table, p.px(12))
    size, lines = p.fitting(table_state(table, brief=True), inner.width, ("body", "small"))
    p.text(surface, lines[0], (inner.x, y), size)
    y += p.line_height("body")
    done = table.turns if table.ended else max(0, table.turn - 1)
    bar = pygame.Rect(inner.x, y + p.px(6), inner.width, p.px(10))
    meter(surface, bar, done / max(1, table.turns), theme.HEALTH)
    y += p.px(22)
    size, lines = p.fitting(table_progress(table, brief=True), inner.width, ("body", "small"))
    p.text(surface, lines[0], (inner.x, y), size, theme.MUTED)


def draw_toast(surface: pygame.Surface, p: Painter, text: str) -> None:
    """The last message, over the bottom of the window, up to three lines."""
    w, h = surface.get_size()
    width = w - p.px(48) - p.px(28)
    size, lines = p.fitting(text, width, ("body", "small"), True, max_lines=3)
    box = pygame.Rect(p.px(24), 0, w - p.px(48), len(lines) * p.line_height(size) + p.px(16))
    box.bottom = h - p.px(70)
    panel(surface, box, theme.PANEL_HI, theme.FOCUS)
    p.lines(surface, lines, (box.x + p.px(14), box.y + p.px(8)), size, theme.TEXT, True)


def draw_code(surface: pygame.Surface, p: Painter, code: str) -> None:
    """A late-arrival code in large letters, until the next key."""
    w, h = surface.get_size()
    box = pygame.Rect(0, 0, int(w * 0.8), p.line_height("h2") * 2 + p.line_height("body")
                      + p.px(48))
    box.center = (w // 2, h // 2)
    panel(surface, box, theme.PANEL_HI, theme.FOCUS)
    inner = box.inflate(-p.px(40), -p.px(24))
    p.text(surface, "Read this code out to the person arriving late:", inner.topleft,
           "body", theme.MUTED, max_width=inner.width)
    size, lines = p.fitting(code, inner.width, ("h2", "h3"), True, max_lines=2)
    p.lines(surface, lines, (inner.x, inner.y + p.line_height("body") + p.px(8)), size,
            theme.FOCUS, True)
    p.text(surface, "They type it on the join page instead of the room code. Any key: close.",
           (inner.x, inner.bottom - p.line_height("small")), "small", theme.MUTED,
           max_width=inner.width)
