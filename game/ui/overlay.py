"""Things drawn over any scene: the F1 help and the "are you sure?" question."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui import theme
from game.ui.draw import Painter, panel

GLOBAL_KEYS = (
    ("F1", "show or hide this help"),
    ("Tab, Shift+Tab", "move to the next or previous item"),
    ("Up, Down", "move between items"),
    ("Left, Right", "change the item in focus (a level, points, a choice)"),
    ("Enter or Space", "press the item in focus"),
    ("Esc", "go back, or leave the game (it is saved after every move)"),
    ("F11", "full screen on or off"),
)


def _shade(surface: pygame.Surface, alpha: int = 215) -> None:
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((*theme.BG, alpha))
    surface.blit(veil, (0, 0))


def draw_help(surface: pygame.Surface, painter: Painter, title: str,
              lines: tuple[str, ...]) -> None:
    """The help overlay: the keys that work everywhere, then what this screen is for."""
    _shade(surface, 235)
    w, h = surface.get_size()
    px = painter.px
    box = pygame.Rect(px(60), px(40), w - px(120), h - px(80))
    panel(surface, box, theme.PANEL, theme.FOCUS, 3)
    x, y = box.x + px(28), box.y + px(20)
    painter.text(surface, f"Help — {title}", (x, y), "h2", bold=True, max_width=box.width - px(56))
    y += painter.line_height("h2") + px(8)
    key_w = px(230)
    for key, what in GLOBAL_KEYS:
        painter.text(surface, key, (x, y), "body", theme.FOCUS, bold=True)
        painter.text(surface, what, (x + key_w, y), "body", max_width=box.right - x - key_w - px(28))
        y += painter.line_height("body")
    y += px(10)
    text_rect = pygame.Rect(x, y, box.width - px(56), box.bottom - y - px(50))
    for line in lines:
        used = painter.paragraph(surface, line, text_rect, "body", theme.TEXT)
        text_rect.y += used + px(4)
        text_rect.height -= used + px(4)
        if text_rect.height <= 0:
            break
    painter.text(surface, "Press F1 or Esc to close", (x, box.bottom - px(40)), "small", theme.MUTED)


class Confirm:
    """A yes/no question over the screen: Enter or Y for yes, Esc or N for no."""

    def __init__(self, question: str, on_yes: Callable[[], None]) -> None:
        self.question = question
        self.on_yes = on_yes
        self.done = False
        self.box = pygame.Rect(0, 0, 0, 0)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_y):
                self.done = True
                self.on_yes()
            elif event.key in (pygame.K_ESCAPE, pygame.K_n):
                self.done = True
        elif event.type == pygame.MOUSEBUTTONDOWN and getattr(event, "button", 0) == 1:
            yes = self.box.collidepoint(event.pos)
            self.done = True
            if yes:
                self.on_yes()

    def draw(self, surface: pygame.Surface, painter: Painter) -> None:
        _shade(surface)
        w, h = surface.get_size()
        px = painter.px
        self.box = pygame.Rect(0, 0, min(w - px(80), px(820)), px(200))
        self.box.center = (w // 2, h // 2)
        panel(surface, self.box, theme.PANEL, theme.FOCUS, 3)
        inner = self.box.inflate(-px(48), -px(40))
        painter.paragraph(surface, self.question, inner, "h3", bold=True, max_lines=2)
        painter.text(surface, "Enter: yes (or click here)   ·   Esc: no",
                     (inner.x, inner.bottom - painter.line_height("body")), "body", theme.FOCUS)
