"""What the manager and employee screens share: cards on the left, the seat's side panel on
the right, the focused card's full text below, and a confirm button.

A seat screen is given the seat's view and legal actions and a `submit` function; it never
sees the game state. An engine refusal (ActionError) is shown as a message, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.engine.actions import Legal
from game.engine.view import SeatView
from game.errors import ActionError
from game.scenario.model import Scenario
from game.ui import theme
from game.ui.cards import CardGrid
from game.ui.focus import FocusItem
from game.ui.scenes.base import Scene
from game.ui.sidebar import Sidebar

CONFIRM_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER)


class SeatScene(Scene):
    """A seat's own screen: subclasses say what a card is and what the action is."""

    private = True
    confirm_label = "Confirm"

    def __init__(self, app, scenario: Scenario, view: SeatView, legal: Legal,
                 submit: Callable, prefill=None) -> None:
        super().__init__(app)
        self.scenario = scenario
        self.view = view
        self.legal = legal
        self.submit = submit
        self.prefill = prefill
        self.grid: CardGrid | None = None
        self.card_items: list[FocusItem] = []
        self.panel: Sidebar | None = None
        self.with_text = False     # whether cards are tall enough to show their description
        self.hover: int | None = None   # the card under the mouse: its text shows below

    # --- to be provided by subclasses -----------------------------------------------------

    def card_count(self) -> int:
        return 0

    def draw_card(self, surface: pygame.Surface, i: int, rect: pygame.Rect,
                  focused: bool) -> None:
        """Draw card `i`."""

    def card_detail(self, i: int) -> str:
        """The focused card's full text, shown under the cards."""
        return ""

    def card_blurb(self, i: int) -> str:
        """The text inside card `i`, when cards have room for it."""
        return self.card_detail(i)

    def adjust(self, i: int, step: int) -> None:
        """Left/Right on card `i`."""

    def press(self, i: int) -> None:
        """Space (or a click) on card `i`."""

    def click_card(self, i: int, pos: tuple[int, int]) -> None:
        self.press(i)

    def action(self):
        """The action this screen submits."""
        raise NotImplementedError

    def sidebar(self) -> list[tuple[str, list]]:
        """Pages of the side panel: (tab title, sections)."""
        return []

    def title(self) -> tuple[str, str]:
        return ("", "")

    # --- layout ---------------------------------------------------------------------------

    def build(self) -> None:
        w, h = self.size
        top, pad = self.px(104), self.px(24)
        side_w = int(w * 0.31)
        footer = self.painter.line_height("small") + self.px(16)
        width = w - side_w - 3 * pad
        detail_h = self._detail_lines(width) * self.painter.line_height("body")
        area = pygame.Rect(pad, top, width, h - top - footer - detail_h - self.px(16))
        self._layout_cards(area)
        self.detail = pygame.Rect(area.x, area.bottom + self.px(12), area.width, detail_h)
        bh = self.px(56)
        self.side = pygame.Rect(w - side_w - pad, top, side_w, h - top - footer - bh - self.px(16))
        self.confirm_rect = pygame.Rect(self.side.x, self.side.bottom + self.px(10), side_w, bh)
        if self.panel is None:
            self.panel = Sidebar(self.sidebar())
        if self.panel.needs_tabs(self.painter, self.side):
            self.focusable(FocusItem("side", self.side, activate=lambda: self.panel.turn(1),
                                     adjust=self.panel.turn, label="side panel"))
        self.button(self.confirm_rect, self.confirm_label, self.confirm, "confirm", primary=True)

    def _detail_lines(self, width: int) -> int:
        """Body lines kept under the cards for the focused card's full text: 3, or up to 5
        when the longest text does not fit in 3, even in the smaller size."""
        p = self.painter
        texts = [self.card_detail(i) for i in range(self.card_count())]
        for lines in (3, 4):
            height = lines * p.line_height("body")
            small = height // p.line_height("small")
            if all(len(p.wrap(t, width, record=False)) <= lines or
                   len(p.wrap(t, width, "small", record=False)) <= small for t in texts):
                return lines
        return 5

    def _layout_cards(self, area: pygame.Rect) -> None:
        """Cards tall enough for their description when there is room, else compact."""
        n, gap, base = self.card_count(), self.px(8), self.px(86)
        width = CardGrid(area, n, base, gap, self.px(330)).card_w - self.px(32)
        if any(len(self.title_fit(self.card_name(i), width)[1]) > 1 for i in range(n)):
            base += self.painter.line_height("body") + self.px(2)   # room for two-line titles
        extra = 2 * self.painter.line_height("small") + self.px(12)
        probe = CardGrid(area, n, base + extra, gap, self.px(330))
        self.with_text = probe.content_height <= area.height
        old = self.grid.scroll if self.grid else 0
        self.grid = probe if self.with_text else CardGrid(area, n, base, gap, self.px(330))
        self.grid.scroll = min(old, self.grid.max_scroll())
        self.card_items = []
        for i in range(n):
            item = FocusItem(f"card{i}", self.grid.rect(i), activate=lambda i=i: self.press(i),
                             adjust=lambda step, i=i: self.adjust(i, step))
            self.card_items.append(item)
            self.focusable(item)

    def card_name(self, i: int) -> str:
        """Card `i`'s title."""
        return self.options[i].name

    def title_fit(self, text: str, width: int) -> tuple[str, list[str]]:
        """A card title's size and lines: one line in the largest size that fits, else two
        lines (cut only if even two small lines cannot hold it)."""
        for size in ("h3", "body", "small"):
            if self.painter.width(text, size, True) <= width:
                return size, [text]
        return self.painter.fitting(text, width, ("body", "small"), True, max_lines=2)

    def draw_title(self, surface: pygame.Surface, text: str, rect: pygame.Rect,
                   color=theme.TEXT) -> int:
        """A card's title (see `title_fit`); returns the y under it."""
        size, lines = self.title_fit(text, rect.width - self.px(32))
        top = rect.y + self.px(6)
        used = self.painter.lines(surface, lines, (rect.x + self.px(16), top), size, color, True)
        return top + max(used, self.painter.line_height("h3")) + self.px(4)

    def draw_description(self, surface: pygame.Surface, i: int, rect: pygame.Rect,
                         top: int) -> None:
        """A preview of the card's description from `top`, when the cards have room for it
        (the full text shows under the cards when the card has the focus)."""
        room = rect.bottom - self.px(10) - self.painter.line_height("body") - self.px(10) - top
        lines = min(2, room // self.painter.line_height("small"))
        if self.with_text and lines > 0:
            self.painter.paragraph(surface, self.card_blurb(i),
                                   pygame.Rect(rect.x + self.px(16), top, rect.width - self.px(32),
                                               lines * self.painter.line_height("small")),
                                   "small", theme.MUTED, max_lines=lines, preview=True)

    def _focus_changed(self, item) -> None:
        super()._focus_changed(item)
        if item is not None and item.key.startswith("card") and self.grid is not None:
            self.grid.show(int(item.key[4:]))
            self._place_cards()

    def _place_cards(self) -> None:
        for i, item in enumerate(self.card_items):
            item.rect.update(self.grid.rect(i))

    # --- events ---------------------------------------------------------------------------

    def escape(self) -> None:
        self.leave()

    def on_key(self, event: pygame.event.Event) -> bool:
        if super().on_key(event):
            return True
        if event.key in CONFIRM_KEYS:
            self.confirm()
            return True
        return False

    def on_click(self, pos: tuple[int, int]) -> None:
        if self.panel is not None and self.panel.click(pos):
            return
        i = self.grid.at(pos) if self.grid else None
        if i is not None:
            self.click_card(i, pos)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEMOTION and self.grid is not None:
            self.hover = self.grid.at(getattr(event, "pos", (-1, -1)))
        super().handle(event)

    def on_wheel(self, dy: int) -> None:
        if self.grid is not None:
            self.grid.scroll_by(-dy * self.px(48))
            self._place_cards()

    def confirm(self) -> None:
        try:
            self.submit(self.action())
        except ActionError as err:
            self.say(err.message, bad=True)

    def autoplay(self) -> None:
        self.confirm()

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        title, subtitle = self.title()
        self.draw_header(surface, title, subtitle)
        focus = self.ring.current.key if self.ring.current else ""
        surface.set_clip(self.grid.area.inflate(self.px(16), self.px(16)))
        for i in range(self.card_count()):
            rect = self.grid.rect(i)
            if rect.colliderect(self.grid.area.inflate(0, self.px(8))):
                self.draw_card(surface, i, rect, focus == f"card{i}")
        surface.set_clip(None)
        self.grid.draw_scroll_hints(surface, self.painter)
        self.panel.draw(surface, self.painter, self.side)
        self._draw_bottom(surface, focus)

    def _draw_bottom(self, surface: pygame.Surface, focus: str) -> None:
        """The message if there is one, else the focused card's full text; the key hint."""
        w, h = self.size
        p = self.painter
        if self.message:
            color = theme.BAD if self.message_bad else theme.GOOD
            size, rows = p.fitting(self.message, self.detail.width, bold=True,
                                   height=self.detail.height)
            p.lines(surface, rows, self.detail.topleft, size, color, bold=True)
        elif self.hover is not None or focus.startswith("card"):
            card = self.hover if self.hover is not None else int(focus[4:])
            size, rows = p.fitting(self.card_detail(card), self.detail.width,
                                   height=self.detail.height)
            p.lines(surface, rows, self.detail.topleft, size, theme.TEXT)
        elif focus == "side":
            p.paragraph(surface, "Left/Right: show the other pages of this panel.", self.detail,
                        "body", theme.MUTED)
        pad = self.px(24)
        p.text(surface, "Up/Down/Tab: move   ·   Left/Right: change   ·   Enter: confirm   ·   "
                        "Esc: leave   ·   F1: help", (pad, h - p.line_height("small") - self.px(8)),
               "small", theme.MUTED, max_width=w - 2 * pad)
