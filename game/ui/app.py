"""The window and its loop: one scene at a time, fed events, updated and drawn each frame.

`run(...)` is the entry point `goodhart play` calls. The App owns the window, the pygame_gui
UIManager (fed with `process_events`, `update`, `draw_ui` every frame, as pygame_gui expects),
the text painter, the help overlay and the screenshots of an autoplay demo.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from game.errors import GoodhartError
from game.ui import theme
from game.ui.draw import Painter
from game.ui.overlay import Confirm, draw_help
from game.ui.scenes.base import Scene

if TYPE_CHECKING:  # the engine is imported once the title is on screen (a faster start)
    from game.engine.state import SeatSetup

FPS = 60
MIN_SIZE = (800, 500)


class App:
    """The window, the UI manager and the current scene."""

    def __init__(self, size: tuple[int, int] = (1280, 720), fps: int = FPS,
                 autoplay: bool = False, screenshots: Path | None = None,
                 pace: int | None = None) -> None:
        open_display()
        pygame.font.init()
        pygame.display.set_caption("Goodhart")
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self.scale = theme.scale_for(size)
        self.painter = Painter(self.scale)
        self.manager = self._new_manager(size)
        self.fps = fps
        self.clock = pygame.time.Clock()
        self.autoplay = autoplay
        self.pace = pace if pace is not None else (2 if fps == 0 or _headless() else 40)
        self.shots_dir = screenshots
        self.shots: list[Path] = []
        self.scene: Scene | None = None
        self.next_scene: Scene | None = None
        self.help_open = False
        self.confirm: Confirm | None = None
        self.running = True
        self.exit_code = 0
        self.frame = 0
        self.time = 0.0
        self.trace_path = os.environ.get("GOODHART_UI_TRACE")

    def _new_manager(self, size: tuple[int, int]) -> pygame_gui.UIManager:
        return pygame_gui.UIManager(size, theme.ui_theme(self.scale),
                                    enable_live_theme_updates=False)

    # --- scenes ---------------------------------------------------------------------------

    def go(self, scene: Scene) -> None:
        """Switch to `scene` at the end of this frame's events."""
        self.next_scene = scene

    def _switch(self) -> None:
        scene, self.next_scene = self.next_scene, None
        if self.scene is not None:
            self.scene.exit()
        self.scene = scene
        self.confirm = None
        scene.enter()
        self._trace()

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    def ask(self, question: str, on_yes) -> None:
        """Put a yes/no question over the screen."""
        self.confirm = Confirm(question, on_yes)

    # --- the loop -------------------------------------------------------------------------

    def loop(self, max_frames: int | None = None) -> int:
        """Run frames until the app quits (or `max_frames` have been drawn); the exit code.
        GOODHART_MAX_FRAMES=N closes the window after N frames when `max_frames` is not given
        (tests run the documented commands this way; the game is autosaved as always)."""
        if max_frames is None and os.environ.get("GOODHART_MAX_FRAMES", "").isdigit():
            max_frames = int(os.environ["GOODHART_MAX_FRAMES"])
        while self.running and (max_frames is None or self.frame < max_frames):
            self.step()
        return self.exit_code

    def step(self) -> None:
        """One frame: events, update, draw."""
        if self.next_scene is not None:
            self._switch()
        dt = self.clock.tick(self.fps) / 1000.0 if self.fps else 1 / 60
        self.time += dt
        for event in pygame.event.get():
            if self.next_scene is not None or not self.running:
                break
            self.dispatch(event)
        if self.next_scene is not None:
            self._switch()
        self.scene.update(dt)
        self.manager.update(dt)
        self.draw()
        self.scene.frames += 1
        self.frame += 1
        if self.autoplay:
            self._autoplay()

    def dispatch(self, event: pygame.event.Event) -> None:
        """Route one event: global keys, overlays, the focus ring, the widgets, the scene."""
        if event.type == pygame.QUIT:
            self.quit(0)
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self.resize(_event_size(event, self.screen))
            return
        if event.type == pygame.KEYDOWN and self._global_key(event):
            return
        if self.help_open or self.confirm is not None:
            self._overlay_event(event)
            return
        scene = self.scene
        if event.type == pygame.KEYDOWN and (scene.on_key(event) or scene.ring.handle_key(event)):
            return
        if event.type == pygame.MOUSEBUTTONDOWN and getattr(event, "button", 0) == 1:
            scene.ring.click(event.pos)
        if not self.manager.process_events(event):
            scene.handle(event)

    def _global_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_F1:
            self.help_open = not self.help_open
            return True
        if event.key == pygame.K_F11:
            try:
                pygame.display.toggle_fullscreen()
            except pygame.error:
                pass
            return True
        return False

    def _overlay_event(self, event: pygame.event.Event) -> None:
        if self.help_open:
            if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
                self.help_open = False
            return
        self.confirm.handle(event)
        if self.confirm is not None and self.confirm.done:
            self.confirm = None

    def resize(self, size: tuple[int, int]) -> None:
        """Lay everything out again for a new window size."""
        size = (max(MIN_SIZE[0], size[0]), max(MIN_SIZE[1], size[1]))
        if self.screen.get_size() != size:
            self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        scale = theme.scale_for(size)
        if self.scene is not None:
            self.scene.clear()
        if scale != self.scale:
            self.scale = scale
            self.painter.set_scale(scale)
            self.manager = self._new_manager(size)
        else:
            self.manager.set_window_resolution(size)
        if self.scene is not None:
            self.scene.rebuild()

    def draw(self) -> None:
        self.painter.drawn = []
        self.painter.boxes = []
        surface = self.screen
        surface.fill(theme.BG)
        self.scene.draw(surface)
        self.manager.draw_ui(surface)
        self.scene.ring.draw(surface, self.scale)
        if self.confirm is not None:
            self.confirm.draw(surface, self.painter)
        if self.help_open:
            draw_help(surface, self.painter, self.scene.name.capitalize(), self.scene.help_lines)
        self.draw_over(surface)
        pygame.display.flip()

    def draw_over(self, surface: pygame.Surface) -> None:
        """Drawn over everything else, last (a subclass's overlays: the facilitator's)."""

    # --- autoplay and tests ---------------------------------------------------------------

    def _autoplay(self) -> None:
        scene = self.scene
        if scene.frames == self.pace:
            self.screenshot(scene.shot_name())
        elif scene.frames > self.pace and self.next_scene is None:
            scene.autoplay()

    def screenshot(self, name: str) -> Path | None:
        """Save the window as DIR/NN-name.png, once per name."""
        if self.shots_dir is None or any(p.stem.split("-", 1)[1] == name for p in self.shots):
            return None
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        path = self.shots_dir / f"{len(self.shots) + 1:02d}-{name}.png"
        pygame.image.save(self.screen, str(path))
        self.shots.append(path)
        return path

    def visible_texts(self) -> list[str]:
        """Every string on screen in the last frame: drawn text and the widgets' text."""
        texts = list(self.painter.drawn)
        for element in self.manager.get_sprite_group().sprites():
            if not getattr(element, "visible", True):
                continue
            for attr in ("text", "html_text"):
                value = getattr(element, attr, None)
                if isinstance(value, str) and value:
                    texts.append(value)
        return texts

    def _trace(self) -> None:
        """With GOODHART_UI_TRACE set, log each scene and its focus items (for the X11 test)."""
        if not self.trace_path:
            return
        items = [{"key": i.key, "label": i.label, "rect": list(i.rect)}
                 for i in self.scene.ring.items]
        with open(self.trace_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"scene": self.scene.name, "items": items}) + "\n")


INVISIBLE = ("offscreen", "dummy")


def _no_display() -> GoodhartError:
    """The one line that says there is no screen, and what to do."""
    shown = [f"{k}={os.environ[k]}" for k in ("DISPLAY", "WAYLAND_DISPLAY") if os.environ.get(k)]
    why = (f"cannot reach the screen ({', '.join(shown)})" if shown else
           "there is no screen to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)")
    return GoodhartError(f"{why}; run the same command with --text to use this terminal")


def open_display() -> None:
    """Start pygame's display, or raise GoodhartError when there is no screen: SDL would
    otherwise fall back to an invisible window and the game would wait there for ever. An
    invisible driver the user asked for (SDL_VIDEODRIVER=dummy, as tests and
    `--autoplay --screenshots` on a server use) is fine. SDL's own complaints while it looks
    for a screen are dropped when there is none (the one line here says what to do)."""
    require_screen()
    asked = os.environ.get("SDL_VIDEODRIVER")
    with _stderr_kept() as keep:
        try:
            pygame.display.init()
        except pygame.error:
            raise _no_display() from None
        if not asked and pygame.display.get_driver() in INVISIBLE:
            pygame.display.quit()
            raise _no_display()
        keep()


def require_screen() -> None:
    """Raise GoodhartError at once on Linux with no DISPLAY, no WAYLAND_DISPLAY and no
    SDL_VIDEODRIVER asked for (commands call it before they start a game, so no save is
    made for a window that cannot open)."""
    if (sys.platform.startswith("linux") and not os.environ.get("SDL_VIDEODRIVER")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        raise _no_display()


@contextlib.contextmanager
def _stderr_kept():
    """Hold what C code writes to stderr inside the block; write it out only if the block
    calls the function it yields (so SDL's noise about a missing screen is dropped)."""
    sys.stderr.flush()
    saved = os.dup(2)
    kept = []
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield lambda: kept.append(True)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if kept:
                held.seek(0)
                sys.stderr.write(held.read().decode(errors="replace"))


def _headless() -> bool:
    return os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen")


def _event_size(event: pygame.event.Event, screen: pygame.Surface) -> tuple[int, int]:
    if hasattr(event, "w") and hasattr(event, "h"):
        return (int(event.w), int(event.h))
    return getattr(event, "size", screen.get_size())


def run(scenario: str | None = None, seed: int | None = None,
        seats: list[SeatSetup] | None = None, autoplay: bool = False,
        screenshots: Path | None = None, size: tuple[int, int] = (1280, 720),
        resume: Path | None = None, max_frames: int | None = None) -> int:
    """Open the game window; returns the exit code (0 when the player quits normally)."""
    from game.ui.scenes import first_scene

    def body() -> int:
        app = App(size, fps=0 if _headless() else FPS, autoplay=autoplay, screenshots=screenshots)
        app.go(first_scene(app, scenario=scenario, seed=seed, seats=seats, resume=resume))
        return app.loop(max_frames)
    return guarded(body, SAVED_HINT)


SAVED_HINT = "Your game is saved; continue it with `goodhart resume`."


def guarded(body: Callable[[], int], bug_hint: str) -> int:
    """Run a window: a user's mistake is one line, a bug says so plainly with `bug_hint`
    (what is safe and what to do), and the display always closes."""
    try:
        return body()
    except GoodhartError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except Exception:  # a bug: say so plainly; the game itself is autosaved
        traceback.print_exc()
        print(f"error: the window hit a bug (above). {bug_hint}", file=sys.stderr)
        return 1
    finally:
        pygame.display.quit()
