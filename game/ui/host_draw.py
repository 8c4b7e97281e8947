"""Drawing the facilitator's host window from a `RoomStatus`: the dashboard (every table, the
chosen table's seats and news or events), the projector view (the room-wide countdown big
enough for the back of the room, each table's progress), a message, a late-arrival code.

Only public things are drawn: the status carries no secrets and no hidden values.
"""

from __future__ import annotations

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


def table_state(table: TableStatus) -> str:
    """Where a table's game is, in words: `Week 3 of 8 · work phase`."""
    if table.ended:
        return ("ended early by the facilitator" if table.ended_early
                else "the game is over")
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
    p.text(surface, f"Room {status.code} — {status.title}", (pad, p.px(12)), "h2", bold=True,
           max_width=w - 2 * pad - clock_w)
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


def _table_row(surface: pygame.Surface, p: Painter, rect: pygame.Rect, table: TableStatus,
               chosen: bool) -> None:
    panel(surface, rect, theme.PANEL_HI if chosen else theme.PANEL,
          theme.FOCUS if chosen else None)
    inner = rect.inflate(-p.px(24), -p.px(12))
    clock, color = table_clock(table)
    clock_w = p.width(clock, "h3", True) + p.px(16)
    p.text(surface, clock, (inner.right, inner.y), "h3", color, True, anchor="topright")
    p.text(surface, f"{table.name} · {table.condition}", (inner.x, inner.y), "body",
           bold=True, max_width=inner.width - clock_w)
    y = inner.y + p.line_height("body")
    p.text(surface, f"{table_state(table)} · {table_progress(table)}", (inner.x, y), "small",
           theme.MUTED, max_width=inner.width)


def row_height(p: Painter) -> int:
    return p.line_height("body") + p.line_height("small") + p.px(16)


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
    step = p.line_height("body") + p.px(4)
    for n, seat in enumerate(table.seats):
        left, right = seat_words(seat)
        row = pygame.Rect(inner.x - p.px(8), y, inner.width + p.px(16), step)
        if n == window.seat and window.mode == "tables":
            panel(surface, row, theme.PANEL_HI, theme.FOCUS)
        right_w = p.width(right, "small", True) + p.px(12) if right else 0
        size, lines = p.fitting(left, inner.width - right_w, ("body", "small"))
        p.text(surface, lines[0], (inner.x, y + p.px(2)), size)
        if right:
            p.text(surface, right, (inner.right, y + p.px(4)), "small",
                   theme.GOOD if right == "chosen" else theme.MUTED, True, anchor="topright")
        y += step
    y += p.px(10)
    if window.mode == "events":
        _events(surface, p, pygame.Rect(inner.x, y, inner.width, inner.bottom - y), table,
                window.event)
    else:
        _news(surface, p, pygame.Rect(inner.x, y, inner.width, inner.bottom - y), table)


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
    """The room-wide countdown in letters a fifth of the window high, and each table's
    progress in cards under it; the join address and code at the bottom."""
    _begin(surface, p)
    w, h = surface.get_size()
    pad = p.px(24)
    p.text(surface, status.title, (w // 2, pad // 2), "h2", bold=True, anchor="midtop",
           max_width=w - 2 * pad)
    if status.ended:
        big, color = "Debrief time", theme.FOCUS
    elif status.paused:
        big, color = "Paused", theme.FOCUS
    else:
        big = clock_label(status.seconds_left) or "no timer"
        low = status.seconds_left is not None and status.seconds_left <= 15
        color = theme.BAD if low else theme.TEXT
    font = big_font(max(24, h // 5))
    image = font.render(big, True, color)
    where = image.get_rect(midtop=(w // 2, pad // 2 + p.line_height("h2")))
    surface.blit(image, where)
    p.drawn.append(big)
    p.boxes.append((big, where, surface.get_size()))
    foot = f"Join at {join_url} · room code {status.code}" if join_url else \
        f"Room code {status.code}"
    p.text(surface, foot, (w // 2, h - pad // 2), "h3", theme.MUTED, True, anchor="midbottom",
           max_width=w - 2 * pad)
    area = pygame.Rect(pad, where.bottom + pad // 2, w - 2 * pad,
                       h - pad - p.line_height("h3") - where.bottom - pad)
    _cards(surface, p, area, status.tables)


def _cards(surface: pygame.Surface, p: Painter, area: pygame.Rect,
           tables: list[TableStatus]) -> None:
    """Each table as a card: name, turn and phase, a bar of the turns played, who chose."""
    if not tables:
        return
    card_h = p.line_height("h3") + 2 * p.line_height("body") + p.px(36)
    rows = max(1, (area.height + p.px(12)) // (card_h + p.px(12)))
    columns = max(1, -(-len(tables) // rows))
    columns = min(columns, 4) if len(tables) <= rows * 4 else columns
    card_w = (area.width - (columns - 1) * p.px(12)) // columns
    for n, table in enumerate(tables[:rows * columns]):
        r, c = divmod(n, columns)
        rect = pygame.Rect(area.x + c * (card_w + p.px(12)), area.y + r * (card_h + p.px(12)),
                           card_w, card_h)
        _card(surface, p, rect, table)
    if len(tables) > rows * columns:
        p.cuts.append(f"projector cards from {rows * columns + 1} on")


def _card(surface: pygame.Surface, p: Painter, rect: pygame.Rect, table: TableStatus) -> None:
    panel(surface, rect, theme.PANEL)
    inner = rect.inflate(-p.px(20), -p.px(16))
    clock, color = table_clock(table)
    clock_w = p.width(clock, "h3", True) + p.px(12)
    p.text(surface, clock, (inner.right, inner.y), "h3", color, True, anchor="topright")
    p.text(surface, table.name, (inner.x, inner.y), "h3", bold=True,
           max_width=inner.width - clock_w)
    y = inner.y + p.line_height("h3")
    p.text(surface, table_state(table), (inner.x, y), "body", max_width=inner.width)
    y += p.line_height("body")
    done = table.turns if table.ended else max(0, table.turn - 1)
    bar = pygame.Rect(inner.x, y + p.px(6), inner.width, p.px(10))
    meter(surface, bar, done / max(1, table.turns), theme.HEALTH)
    y += p.px(22)
    p.text(surface, table_progress(table, brief=True), (inner.x, y), "body", theme.MUTED,
           max_width=inner.width)


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
