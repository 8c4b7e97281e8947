"""The side panel of a seat's screen, drawn from its view alone: the company as this seat sees
it, the seat's own stats and review, and the leaderboard as published."""

from __future__ import annotations

import re

import pygame

from game.engine.boards import Board
from game.engine.view import SeatView
from game.scenario.model import Scenario
from game.ui import theme
from game.ui.draw import Painter, format_number, panel


class Column:
    """Draws sections' rows top to bottom inside a rect. Rows before `skip` are passed over
    (an earlier page showed them); the first row that does not fit is remembered in `cut`
    and nothing after it is drawn. Without a surface it only measures."""

    def __init__(self, surface: pygame.Surface | None, painter: Painter, rect: pygame.Rect,
                 skip: int = 0) -> None:
        self.surface = surface
        self.p = painter
        self.rect = rect
        self.y = rect.y
        self.skip = skip
        self.index = 0
        self.cut: int | None = None

    def _take(self, height: int) -> bool:
        """Whether the next row is drawn here (and room is made for it)."""
        n, self.index = self.index, self.index + 1
        if n < self.skip or self.cut is not None:
            return False
        if self.y + height > self.rect.bottom:
            self.cut = n
            return False
        return True

    def heading(self, text: str) -> None:
        """A section title: one line in h3 if it fits, else up to two lines a size smaller."""
        if self.p.width(text, "h3", True) <= self.rect.width:
            size, lines = "h3", [text]
        else:
            size, lines = self.p.fitting(text, self.rect.width, ("body", "small"), True, 2)
        height = max(self.p.line_height("h3"), len(lines) * self.p.line_height(size))
        if self._take(self.p.px(4) + height):
            self.y += self.p.px(4)
            if self.surface is not None:
                self.p.lines(self.surface, lines, (self.rect.x, self.y), size, theme.FOCUS, True)
            self.y += height

    def row(self, left: str, right: str = "", color=theme.TEXT, right_color=theme.TEXT,
            size: str = "body") -> None:
        """A label and its value on the right; a label too long goes a size smaller, then
        onto a second line."""
        right_w = self.p.width(right, size, True) + self.p.px(12) if right else 0
        sizes = (size, "small") if size != "small" else ("small",)
        fsize, lines = self.p.fitting(left, self.rect.width - right_w, sizes, max_lines=2)
        height = max(self.p.line_height(size), len(lines) * self.p.line_height(fsize))
        if not self._take(height):
            return
        if self.surface is not None:
            nudge = 2 if fsize != size and len(lines) == 1 else 0
            self.p.lines(self.surface, lines, (self.rect.x, self.y + nudge), fsize, color)
            if right:
                self.p.text(self.surface, right, (self.rect.right, self.y), size, right_color,
                            bold=True, anchor="topright")
        self.y += height

    def gap(self, n: int = 8) -> None:
        if self.index > self.skip and self.cut is None:
            self.y += self.p.px(n)


def _run(column: Column, sections: list) -> Column:
    for section in sections:
        section(column)
        column.gap(10)
    return column


class Sidebar:
    """Pages of sections: all stacked when they fit, else one page at a time with tabs; a
    page too long for the panel continues on a page of its own (its tab says "more")."""

    def __init__(self, pages: list[tuple[str, list]]) -> None:
        self.pages = pages
        self.page = 0
        self.tabs: list[pygame.Rect] = []
        self.tabbed = False
        self.shown: list[tuple[str, list, int]] = []

    def turn(self, step: int) -> None:
        if self.tabbed and self.shown:
            self.page = (self.page + step) % len(self.shown)

    def click(self, pos: tuple[int, int]) -> bool:
        for n, tab in enumerate(self.tabs):
            if tab.collidepoint(pos):
                self.page = n
                return True
        return False

    def _inner(self, painter: Painter, rect: pygame.Rect) -> pygame.Rect:
        return rect.inflate(-painter.px(32), -painter.px(24))

    def needs_tabs(self, painter: Painter, rect: pygame.Rect) -> bool:
        """Whether everything is too tall for `rect` (then pages get tabs)."""
        everything = [s for _, sections in self.pages for s in sections]
        return _run(Column(None, painter, self._inner(painter, rect)), everything).cut is not None

    def layout(self, painter: Painter, rect: pygame.Rect) -> list[tuple[str, list, int]]:
        """The pages as shown: (tab title, sections, rows to skip)."""
        inner = self._inner(painter, rect)
        if not self.needs_tabs(painter, rect):
            return [("", [s for _, sections in self.pages for s in sections], 0)]
        top = painter.line_height("body") + painter.px(16)
        body = pygame.Rect(inner.x, inner.y + top, inner.width, inner.height - top)
        shown = []
        for title, sections in self.pages:
            skip, part = 0, 1
            while True:
                shown.append((title if part == 1 else "more", sections, skip))
                cut = _run(Column(None, painter, body, skip), sections).cut
                if cut is None or cut <= skip:
                    break
                skip, part = cut, part + 1
        return shown

    def draw(self, surface: pygame.Surface, painter: Painter, rect: pygame.Rect) -> None:
        panel(surface, rect, theme.PANEL, theme.LINE)
        inner = self._inner(painter, rect)
        self.shown = self.layout(painter, rect)
        self.tabbed = len(self.shown) > 1
        self.page = min(self.page, len(self.shown) - 1)
        self.tabs = []
        if self.tabbed:
            self._draw_tabs(surface, painter, inner)
            top = painter.line_height("body") + painter.px(16)
            inner = pygame.Rect(inner.x, inner.y + top, inner.width, inner.height - top)
        _, sections, skip = self.shown[self.page]
        _run(Column(surface, painter, inner, skip), sections)

    def _draw_tabs(self, surface: pygame.Surface, painter: Painter, inner: pygame.Rect) -> None:
        titles = [title for title, _, _ in self.shown]
        size, pad = _tab_style(painter, titles, inner.width)
        x = inner.x
        for n, title in enumerate(titles):
            w = painter.width(title, size, True) + pad
            tab = pygame.Rect(x, inner.y, w, painter.line_height("body") + painter.px(6))
            on = n == self.page
            pygame.draw.rect(surface, theme.BLUE if on else theme.PANEL_HI, tab, border_radius=6)
            pygame.draw.rect(surface, theme.TEXT if on else theme.LINE, tab, 2, border_radius=6)
            painter.text(surface, title, tab.center, size, theme.TEXT if on else theme.MUTED,
                         bold=True, anchor="center")
            self.tabs.append(tab)
            x = tab.right + painter.px(6)


def _tab_style(painter: Painter, titles: list[str], width: int) -> tuple[str, int]:
    """The text size and padding of the tabs: body, else small, else small and tight; the
    first with which the whole row fits in `width` (tabs are 6 px apart)."""
    gaps = painter.px(6) * (len(titles) - 1)
    for size, pad in (("body", 16), ("small", 16), ("small", 8)):
        if sum(painter.width(t, size, True) for t in titles) + painter.px(pad) * len(titles) \
                + gaps <= width:
            return size, painter.px(pad)
    return "small", painter.px(8)


_LAG = re.compile(r"\b(\d+) turns?\b")


def lag_note(note: str, turn_name: str) -> str:
    """A reading's note in the scenario's own time: "2 turns behind" -> "2 hours behind"
    (the engine's note says "turn", whatever a turn is called)."""
    return _LAG.sub(lambda m: f"{m.group(1)} {turn_name}{'' if m.group(1) == '1' else 's'}",
                    note)


def metrics_section(view: SeatView):
    """The company's metrics through this seat's visibility rules."""
    def draw(c: Column) -> None:
        c.heading("The company, as you see it")
        for m in view.metrics:
            value = format_number(m.value) + (f" {m.unit}" if m.unit and m.value is not None
                                              else "")
            c.row(m.name, value, right_color=theme.TEXT if m.value is not None else theme.MUTED)
            if m.note != "live":
                c.row(f"   {lag_note(m.note, view.turn_name)}", color=theme.MUTED, size="small")
    return draw


def publishes_leaderboards(scenario: Scenario) -> bool:
    """Whether any ranking is ever published: a review with `leaderboard: true` or one of the
    file's own `leaderboards:`."""
    return bool(scenario.leaderboards) or any(r.leaderboard for r in scenario.reviews.values())


def no_board_text(scenario: Scenario) -> str:
    """What a screen says where there is no leaderboard yet, or ever."""
    if not publishes_leaderboards(scenario):
        return "None: this company publishes no ranking."
    return "Published after the first review"


def leaderboard_section(view: SeatView, scenario: Scenario):
    """The published leaderboards of the last review, the seat's own row marked."""
    def draw(c: Column) -> None:
        if not view.leaderboards and not view.boards:
            c.heading("Leaderboard")
            c.row(no_board_text(scenario), color=theme.MUTED, size="small")
        for role, rows in view.leaderboards.items():
            c.heading(f"Leaderboard: {scenario.role(role).name}")
            for row in rows:
                mine = row.seat == view.seat
                name = f"{row.rank}. {row.name}" + ("  (you)" if mine else "")
                c.row(name, format_number(row.score), theme.FOCUS if mine else theme.TEXT)
        for board in view.boards:
            _board_rows(c, board, view.seat)
    return draw


_YOURS = {"seat": "  (you)", "team": "  (your team)", "role": "  (your role)"}


def _board_rows(c: Column, board: Board, seat: int) -> None:
    """One of the scenario's own leaderboards, the row the seat belongs to marked."""
    c.heading(board.name)
    for row in board.rows:
        mine = seat in row.seats
        name = f"{row.rank}. {row.name}" + (_YOURS[board.by] if mine else "")
        c.row(name, format_number(row.score), theme.FOCUS if mine else theme.TEXT)


def own_section(view: SeatView, scenario: Scenario):
    """The seat's own stats (those it may see) and its last review."""
    names = {s.id: s for s in scenario.stats}

    def draw(c: Column) -> None:
        c.heading("You")
        if view.rank:
            c.row("Last review score", format_number(view.score))
            c.row("Rank", str(view.rank))
        c.row("Total review score", format_number(view.score_total))
        for sid, value in view.own_stats.items():
            spec = names.get(sid)
            unit = f" {spec.unit}" if spec and spec.unit else ""
            c.row(spec.name if spec else sid, format_number(value) + unit)
    return draw

