"""A scrolling grid of drawn cards (policies, behaviours) that keeps the focused card in view."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.draw import Painter, triangle


class CardGrid:
    """Where card `i` is, given an area, a column count, a card height and a scroll offset."""

    def __init__(self, area: pygame.Rect, count: int, card_h: int, gap: int,
                 min_w: int) -> None:
        self.area = area
        self.count = count
        self.gap = gap
        self.columns = max(1, min(count or 1, (area.width + gap) // (min_w + gap)))
        self.card_w = (area.width - (self.columns - 1) * gap) // self.columns
        self.card_h = card_h
        self.scroll = 0

    @property
    def content_height(self) -> int:
        rows = -(-self.count // self.columns)
        return rows * self.card_h + max(0, rows - 1) * self.gap

    def rect(self, i: int) -> pygame.Rect:
        col, row = i % self.columns, i // self.columns
        return pygame.Rect(self.area.x + col * (self.card_w + self.gap),
                           self.area.y + row * (self.card_h + self.gap) - self.scroll,
                           self.card_w, self.card_h)

    def max_scroll(self) -> int:
        return max(0, self.content_height - self.area.height)

    def scroll_by(self, dy: int) -> None:
        self.scroll = max(0, min(self.max_scroll(), self.scroll + dy))

    def show(self, i: int) -> None:
        """Scroll so that card `i` is fully visible."""
        r = self.rect(i)
        if r.top < self.area.top:
            self.scroll -= self.area.top - r.top
        elif r.bottom > self.area.bottom:
            self.scroll += r.bottom - self.area.bottom
        self.scroll = max(0, min(self.max_scroll(), self.scroll))

    def at(self, pos: tuple[int, int]) -> int | None:
        if not self.area.collidepoint(pos):
            return None
        for i in range(self.count):
            if self.rect(i).collidepoint(pos):
                return i
        return None

    def draw_scroll_hints(self, surface: pygame.Surface, painter: Painter) -> None:
        """Arrows at the top and bottom edge when there are more cards out of view."""
        size = painter.px(18)
        x = self.area.right + painter.px(12)
        if self.scroll > 0:
            triangle(surface, (x, self.area.top + size // 2), size, "up", theme.FOCUS)
        if self.scroll < self.max_scroll():
            triangle(surface, (x, self.area.bottom - size // 2), size, "down", theme.FOCUS)


def stepper_rects(card: pygame.Rect, scale_px, size: int) -> tuple[pygame.Rect, pygame.Rect]:
    """The '−' and '+' click targets at the right of a card's control row."""
    y = card.bottom - scale_px(10) - size
    plus = pygame.Rect(card.right - scale_px(14) - size, y, size, size)
    minus = pygame.Rect(plus.x - scale_px(110) - size, y, size, size)
    return minus, plus


def draw_stepper_button(surface: pygame.Surface, rect: pygame.Rect, sign: str, enabled: bool,
                        painter: Painter) -> None:
    color = theme.PANEL_HI if enabled else theme.PANEL
    pygame.draw.rect(surface, color, rect, border_radius=6)
    pygame.draw.rect(surface, theme.MUTED if enabled else theme.LINE, rect, 2, border_radius=6)
    ink = theme.TEXT if enabled else theme.LINE
    c = rect.center
    half = rect.width // 4
    pygame.draw.line(surface, ink, (c[0] - half, c[1]), (c[0] + half, c[1]), 4)
    if sign == "+":
        pygame.draw.line(surface, ink, (c[0], c[1] - half), (c[0], c[1] + half), 4)
