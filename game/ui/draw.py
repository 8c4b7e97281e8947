"""Drawing text and shapes: cached glyph surfaces, word wrap, and a record of every string drawn.

The record (`Painter.drawn`) is what the tests read to check that a seat's screen never shows
another seat's secrets, so every string a scene puts on screen goes through `Painter.text`.
"""

from __future__ import annotations

from collections import OrderedDict

import pygame

from game.ui import theme


def format_number(x: float | None) -> str:
    """A number as a player reads it: whole numbers plain, others to one decimal."""
    if x is None:
        return "hidden"
    if abs(x - round(x)) < 0.05:
        return f"{int(round(x)):,}"
    return f"{x:,.1f}"


class Painter:
    """Renders text with the theme's fonts at the current scale and remembers what it drew."""

    CACHE = 3000

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = scale
        self._fonts: dict[tuple[str, bool], pygame.font.Font] = {}
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._widths: dict[tuple, int] = {}
        self.drawn: list[str] = []
        self.boxes: list[tuple[str, pygame.Rect, tuple[int, int]]] = []
        self.cuts: list[str] = []   # every text `fit` had to shorten (the tests read it)

    def set_scale(self, scale: float) -> None:
        """Change the text scale (after a window resize)."""
        if scale != self.scale:
            self.scale = scale
            self._fonts.clear()
            self._cache.clear()
            self._widths.clear()

    def px(self, n: float) -> int:
        return theme.px(n, self.scale)

    def font(self, size: str = "body", bold: bool = False) -> pygame.font.Font:
        key = (size, bold)
        if key not in self._fonts:
            self._fonts[key] = pygame.font.Font(theme.font_file(bold),
                                                self.px(theme.SIZES[size]))
        return self._fonts[key]

    def line_height(self, size: str = "body") -> int:
        return self.font(size).get_linesize()

    def render(self, text: str, size: str = "body", color=theme.TEXT,
               bold: bool = False) -> pygame.Surface:
        """The text as a surface (cached); not recorded, see `text`."""
        key = (text, size, tuple(color), bold)
        surf = self._cache.get(key)
        if surf is None:
            surf = self.font(size, bold).render(text, True, color)
            self._cache[key] = surf
            if len(self._cache) > self.CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return surf

    def text(self, surface: pygame.Surface, text: str, pos: tuple[int, int], size: str = "body",
             color=theme.TEXT, bold: bool = False, anchor: str = "topleft",
             max_width: int | None = None) -> pygame.Rect:
        """Draw one line of text (shortened with an ellipsis to fit `max_width`)."""
        if max_width is not None:
            text = self.fit(text, max_width, size, bold)
        self.drawn.append(text)
        surf = self.render(text, size, color, bold)
        rect = surf.get_rect(**{anchor: pos})
        surface.blit(surf, rect)
        if not surface.get_rect().contains(rect):   # past the edge: lost, as good as cut
            self.cuts.append(f"{text} (past the edge of its area)")
        self.boxes.append((text, rect, surface.get_size()))
        return rect

    def width(self, text: str, size: str = "body", bold: bool = False) -> int:
        key = (text, size, bold)
        found = self._widths.get(key)
        if found is None:
            if len(self._widths) > 20000:
                self._widths.clear()
            found = self._widths[key] = self.font(size, bold).size(text)[0]
        return found

    def fit(self, text: str, max_width: int, size: str = "body", bold: bool = False) -> str:
        """`text`, cut and ended with an ellipsis if it is wider than `max_width`."""
        if self.width(text, size, bold) <= max_width:
            return text
        self.cuts.append(text)
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + "…", size, bold) <= max_width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + "…"

    def fitting(self, text: str, max_width: int, sizes: tuple[str, ...] = ("body", "small"),
                bold: bool = False, max_lines: int = 1,
                height: int | None = None) -> tuple[str, list[str]]:
        """The first of `sizes` in which `text` wraps into `max_lines` lines of `max_width`
        (or as many lines as `height` holds in that size), and those lines; if none does, the
        last size with its lines cut (and recorded)."""
        def room(size: str) -> int:
            return max_lines if height is None else max(1, height // self.line_height(size))
        for size in sizes:
            lines = self.wrap(text, max_width, size, bold, record=False)
            if len(lines) <= room(size) and all(self.width(x, size, bold) <= max_width
                                                for x in lines):
                return size, lines
        size, max_lines = sizes[-1], room(sizes[-1])
        lines = self.wrap(text, max_width, size, bold)
        if len(lines) > max_lines:
            self.cuts.append(text)
            lines = lines[:max_lines]
            lines[-1] = self.fit(lines[-1] + " …", max_width, size, bold)
        return size, lines

    def lines(self, surface: pygame.Surface, lines: list[str], pos: tuple[int, int],
              size: str = "body", color=theme.TEXT, bold: bool = False) -> int:
        """Draw lines under each other from `pos`; returns the height used."""
        step = self.line_height(size)
        for i, line in enumerate(lines):
            self.text(surface, line, (pos[0], pos[1] + i * step), size, color, bold)
        return len(lines) * step

    def wrap(self, text: str, max_width: int, size: str = "body", bold: bool = False,
             record: bool = True) -> list[str]:
        """Split `text` into lines no wider than `max_width` (a word too long is cut, and
        recorded, unless `record` is False: then it is left whole)."""
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}" if line else word
                if self.width(trial, size, bold) <= max_width:
                    line = trial
                    continue
                if line:
                    lines.append(line)
                if self.width(word, size, bold) <= max_width:
                    line = word
                elif record:
                    line = self.fit(word, max_width, size, bold)
                else:
                    line = word       # left whole: `fitting` sees it is too wide
            lines.append(line)
        return lines

    def paragraph(self, surface: pygame.Surface, text: str, rect: pygame.Rect,
                  size: str = "body", color=theme.TEXT, bold: bool = False,
                  max_lines: int | None = None, preview: bool = False) -> int:
        """Draw wrapped text inside `rect`; returns the height used. Extra lines end in '…'.
        A `preview` (of a text shown in full elsewhere, like a card's blurb) may be cut
        without the cut being recorded."""
        cuts = len(self.cuts)
        lines = self.wrap(text, rect.width, size, bold)
        step = self.line_height(size)
        room = max(1, rect.height // step) if rect.height > 0 else len(lines)
        limit = min(room, max_lines or room)
        if len(lines) > limit:
            self.cuts.append(text)
            lines = lines[:limit]
            lines[-1] = self.fit(lines[-1] + " …", rect.width, size, bold)
        if preview:
            del self.cuts[cuts:]
        return self.lines(surface, lines, rect.topleft, size, color, bold)


def panel(surface: pygame.Surface, rect: pygame.Rect, color=theme.PANEL,
          border=None, width: int = 2, radius: int = 8) -> None:
    """A filled rounded box, optionally outlined."""
    pygame.draw.rect(surface, color, rect, border_radius=radius)
    if border is not None:
        pygame.draw.rect(surface, border, rect, width, border_radius=radius)


def focus_outline(surface: pygame.Surface, rect: pygame.Rect, scale: float = 1.0) -> None:
    """The keyboard focus: a thick yellow outline with a dark inner line for contrast."""
    w = max(3, theme.px(4, scale))
    outer = rect.inflate(2 * w + 2, 2 * w + 2)
    pygame.draw.rect(surface, theme.FOCUS, outer, w, border_radius=10)
    pygame.draw.rect(surface, theme.BG, outer.inflate(-2 * w, -2 * w), 1, border_radius=8)


def meter(surface: pygame.Surface, rect: pygame.Rect, share: float, color,
          back=theme.PANEL_HI) -> None:
    """A horizontal bar filled to `share` (0..1)."""
    pygame.draw.rect(surface, back, rect, border_radius=4)
    share = max(0.0, min(1.0, share))
    if share > 0:
        fill = rect.copy()
        fill.width = max(2, int(rect.width * share))
        pygame.draw.rect(surface, color, fill, border_radius=4)


def triangle(surface: pygame.Surface, center: tuple[int, int], size: int, direction: str,
             color) -> None:
    """A small arrow head pointing left, right, up or down (the font has no arrow glyphs)."""
    x, y = center
    h = size // 2
    points = {"left": [(x + h, y - h), (x + h, y + h), (x - h, y)],
              "right": [(x - h, y - h), (x - h, y + h), (x + h, y)],
              "up": [(x - h, y + h), (x + h, y + h), (x, y - h)],
              "down": [(x - h, y - h), (x + h, y - h), (x, y + h)]}[direction]
    pygame.draw.polygon(surface, color, points)
