"""Keyboard focus: every screen can be used with Tab, the arrow keys, Enter and Esc alone.

A scene lists its focusable items in reading order. Tab and Shift+Tab (and Up/Down) move
the focus; Left/Right adjust the focused item (a level, a number of points) or, if it has
nothing to adjust, move the focus too; Enter or Space activates it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.ui.draw import focus_outline

NEXT_KEYS = (pygame.K_DOWN,)
PREV_KEYS = (pygame.K_UP,)
ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE)


@dataclass
class FocusItem:
    """Something that can hold the keyboard focus."""

    key: str
    rect: pygame.Rect
    activate: Callable[[], None] | None = None
    adjust: Callable[[int], None] | None = None
    element: object | None = None   # a pygame_gui element that takes typing (a text entry)
    label: str = ""

    @property
    def types_text(self) -> bool:
        return self.element is not None


class FocusRing:
    """The focusable items of one screen and which one has the focus."""

    def __init__(self) -> None:
        self.items: list[FocusItem] = []
        self.index = 0
        self.on_change: Callable[[FocusItem | None], None] | None = None

    @property
    def current(self) -> FocusItem | None:
        return self.items[self.index] if self.items else None

    def set_items(self, items: list[FocusItem], keep: str | None = None) -> None:
        """Replace the items, keeping the focus on the item with key `keep` if there is one."""
        keep = keep if keep is not None else (self.current.key if self.current else None)
        self.items = items
        keys = [i.key for i in items]
        self.index = keys.index(keep) if keep in keys else min(self.index, max(0, len(items) - 1))
        self._changed()

    def focus(self, key: str) -> None:
        """Put the focus on the item with this key, if it exists."""
        for n, item in enumerate(self.items):
            if item.key == key:
                self.index = n
                self._changed()
                return

    def move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change(self.current)

    def handle_key(self, event: pygame.event.Event) -> bool:
        """React to a KEYDOWN; True if the key was used."""
        item = self.current
        if item is None:
            return False
        key = event.key
        if key == pygame.K_TAB:
            self.move(-1 if event.mod & pygame.KMOD_SHIFT else 1)
        elif key in NEXT_KEYS or key in PREV_KEYS:
            self.move(1 if key in NEXT_KEYS else -1)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT) and not item.types_text:
            step = 1 if key == pygame.K_RIGHT else -1
            if item.adjust is not None:
                item.adjust(step)
            else:
                self.move(step)
        elif key in ACTIVATE_KEYS and not (item.types_text and key == pygame.K_SPACE):
            if item.activate is not None:
                item.activate()
            elif item.types_text:
                self.move(1)
            else:
                return False
        else:
            return False
        return True

    def click(self, pos: tuple[int, int]) -> FocusItem | None:
        """Move the focus to the item under the mouse, if any, and return it."""
        for n, item in enumerate(self.items):
            if item.rect.collidepoint(pos):
                if n != self.index:
                    self.index = n
                    self._changed()
                return item
        return None

    def draw(self, surface: pygame.Surface, scale: float) -> None:
        if self.current is not None:
            focus_outline(surface, self.current.rect, scale)
