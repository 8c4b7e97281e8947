"""What every scene has: its widgets, its focus ring, and the hooks the app calls each frame.

A scene reads what it is given (a seat's view and legal actions, the ended game) and hands
choices back to the app; it never changes the game state itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIHorizontalSlider, UITextEntryLine

from game.ui import theme
from game.ui.draw import Painter
from game.ui.focus import FocusItem, FocusRing

if TYPE_CHECKING:
    from game.ui.app import App


class Scene:
    """One screen. Subclasses build widgets in `build`, draw in `draw`, react in `on_*`."""

    name = "scene"
    help_lines: tuple[str, ...] = ()
    private = False   # True for a seat's own screen: what it shows is that seat's secret

    def __init__(self, app: App) -> None:
        self.app = app
        self.ring = FocusRing()
        self.ring.on_change = self._focus_changed
        self.elements: list = []
        self.callbacks: dict[object, Callable[[], None]] = {}
        self._items: list[FocusItem] = []
        self.frames = 0
        self.message = ""          # a line of feedback (an error from the engine, an export path)
        self.message_bad = False

    # --- life cycle -----------------------------------------------------------------------

    @property
    def painter(self) -> Painter:
        return self.app.painter

    @property
    def manager(self) -> pygame_gui.UIManager:
        return self.app.manager

    @property
    def size(self) -> tuple[int, int]:
        return self.app.screen.get_size()

    def px(self, n: float) -> int:
        return theme.px(n, self.app.scale)

    def enter(self) -> None:
        """Called once when the scene becomes current."""
        self.rebuild()

    def rebuild(self) -> None:
        """Throw the widgets away and lay the screen out again (after a resize, a change)."""
        keep = self.ring.current.key if self.ring.current else None
        self.clear()
        self._items = []
        self.build()
        self.ring.set_items(self._items, keep)

    def build(self) -> None:
        """Create widgets and focus items for the current window size."""

    def clear(self) -> None:
        self.manager.set_focus_set(None)
        for element in self.elements:
            element.kill()
        self.elements = []
        self.callbacks = {}

    def exit(self) -> None:
        self.clear()

    # --- widgets --------------------------------------------------------------------------

    def button(self, rect: pygame.Rect, text: str, callback: Callable[[], None], key: str,
               primary: bool = False, focus: bool = True, small: bool = False) -> UIButton:
        """A pygame_gui button that also takes the keyboard focus (Enter presses it)."""
        class_id = "@primary" if primary else ("@small" if small else None)
        element = UIButton(rect, text, self.manager, object_id=ObjectID(class_id=class_id))
        self.elements.append(element)
        self.callbacks[element] = callback
        if focus:
            self._items.append(FocusItem(key, element.rect, activate=callback, label=text))
        return element

    def entry(self, rect: pygame.Rect, text: str, key: str, limit: int = 40,
              numbers: bool = False) -> UITextEntryLine:
        """A one-line text box; typing goes to it while it has the focus."""
        element = UITextEntryLine(rect, self.manager, initial_text=text)
        element.set_text_length_limit(limit)
        if numbers:
            element.set_allowed_characters("numbers")
        self.elements.append(element)
        self._items.append(FocusItem(key, element.rect, element=element, label=text))
        return element

    def slider(self, rect: pygame.Rect, value: float, key: str,
               on_change: Callable[[float], None], step: float = 5) -> UIHorizontalSlider:
        """A 0–100 slider; Left/Right move it by `step` while it has the focus."""
        element = UIHorizontalSlider(rect, value, (0, 100), self.manager, click_increment=step)
        self.elements.append(element)

        def adjust(direction: int) -> None:
            new = max(0, min(100, element.get_current_value() + direction * step))
            element.set_current_value(new)
            on_change(new)
        self._items.append(FocusItem(key, element.rect, adjust=adjust))
        return element

    def focusable(self, item: FocusItem) -> None:
        """A custom-drawn item (a card) in the focus order."""
        self._items.append(item)

    def _focus_changed(self, item: FocusItem | None) -> None:
        target = item.element if item is not None and item.element is not None else None
        self.manager.set_focus_set(target)
        if isinstance(target, UITextEntryLine):
            # Tabbing into a text box selects its text, so typing replaces it.
            end = len(target.get_text())
            target.select_range = [0, end]
            target.edit_position = end
            target.cursor_has_moved_recently = True

    # --- events ---------------------------------------------------------------------------

    def on_key(self, event: pygame.event.Event) -> bool:
        """Scene keys checked before the focus ring (Esc, shortcuts); True if used. Esc
        calls `escape` when the scene has one; scenes with shortcuts extend this."""
        if event.key == pygame.K_ESCAPE and self.escape is not None:
            self.escape()
            return True
        return False

    escape: Callable[[], None] | None = None
    """What Esc does in this scene (go back, leave the game, ask to quit); None: nothing."""

    def handle(self, event: pygame.event.Event) -> None:
        """Events the widgets did not consume: button presses, clicks on drawn cards."""
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            callback = self.callbacks.get(getattr(event, "ui_element", None))
            if callback is not None:
                callback()
        elif event.type == pygame.MOUSEBUTTONDOWN and getattr(event, "button", 0) == 1:
            self.on_click(event.pos)
        elif event.type == pygame.MOUSEWHEEL:
            self.on_wheel(getattr(event, "y", 0))
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            self.on_slider(getattr(event, "ui_element", None), getattr(event, "value", 0))

    def on_click(self, pos: tuple[int, int]) -> None:
        """A left click that no widget took."""

    def on_wheel(self, dy: int) -> None:
        """The mouse wheel turned."""

    def on_slider(self, element, value: float) -> None:
        """A slider was dragged."""

    def update(self, dt: float) -> None:
        """Per-frame logic (animations, timers)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Custom drawing under the widgets."""

    def autoplay(self) -> None:
        """What the demo does on this screen to move on (as a person would)."""

    def shot_name(self) -> str:
        """The file name of this screen's screenshot in autoplay."""
        return self.name

    # --- shared drawing -------------------------------------------------------------------

    def leave(self) -> None:
        """Ask, then go back to the title screen (the game is saved after every move)."""
        def to_title() -> None:
            from game.ui.scenes.title import TitleScene
            self.app.go(TitleScene(self.app))
        self.app.ask("Leave this game? It is saved: continue it later with Resume on the "
                     "title screen.", to_title)

    def say(self, text: str, bad: bool = False) -> None:
        self.message, self.message_bad = text, bad

    def draw_header(self, surface: pygame.Surface, title: str, subtitle: str = "") -> int:
        """The title bar; returns the y where content starts."""
        w, _ = self.size
        p = self.painter
        pad = self.px(24)
        p.text(surface, title, (pad, self.px(14)), "h2", bold=True, max_width=w - 2 * pad)
        y = self.px(14) + p.line_height("h2")
        if subtitle:
            p.text(surface, subtitle, (pad, y), "body", theme.MUTED, max_width=w - 2 * pad)
            y += p.line_height("body")
        pygame.draw.line(surface, theme.LINE, (pad, y + self.px(6)), (w - pad, y + self.px(6)), 2)
        return y + self.px(14)

    def draw_footer(self, surface: pygame.Surface, hint: str) -> None:
        """The key hint along the bottom, and the current message above it."""
        w, h = self.size
        p = self.painter
        pad = self.px(24)
        y = h - p.line_height("small") - self.px(8)
        p.text(surface, hint, (pad, y), "small", theme.MUTED, max_width=w - 2 * pad)
        if self.message:
            color = theme.BAD if self.message_bad else theme.GOOD
            p.text(surface, self.message, (pad, y - p.line_height("body") - self.px(2)), "body",
                   color, bold=True, max_width=w - 2 * pad)
