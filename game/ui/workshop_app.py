"""Workshop windows: the debrief on the projector, and a table's game with facilitator controls.

`run_debrief(debrief)` opens the side-by-side debrief. `run_table_window(session, setup, path)`
plays one workshop table: the normal scenes, plus the facilitator's F9 panel (pause, timers,
inject an event, projector view) and the result file written when the game ends.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.ui.app import FPS, SAVED_HINT, App, _headless, guarded
from game.workshop.debrief import Debrief


def run_debrief(debrief: Debrief, size: tuple[int, int] = (1280, 720),
                screenshots: Path | None = None, max_frames: int | None = None) -> int:
    """Open the debrief window; with `screenshots`, save each view there and close."""
    from game.ui.scenes.debrief import DebriefScene

    def body() -> int:
        app = App(size, fps=0 if _headless() else FPS, autoplay=screenshots is not None,
                  screenshots=screenshots)
        app.go(DebriefScene(app, debrief))
        return app.loop(max_frames)
    return guarded(body, "The result files are untouched; `goodhart debrief --export DIR` "
                         "gives the same numbers as files.")


class WorkshopApp(App):
    """The game window with the facilitator's controls over every scene."""

    facilitator = None

    def _switch(self) -> None:
        super()._switch()
        from game.ui.facilitator import HELP_LINES
        self.scene.help_lines = tuple(self.scene.help_lines) + HELP_LINES

    def dispatch(self, event: pygame.event.Event) -> None:
        window = event.type in (pygame.QUIT, pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED)
        if not window and self.facilitator is not None and self.facilitator.handle(event):
            return
        super().dispatch(event)

    def step(self) -> None:
        before = self.time
        super().step()
        if self.facilitator is not None:
            self.facilitator.update(self.time - before)

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.facilitator is not None:
            self.facilitator.draw(surface, self.painter)


def facilitator_pin(setup) -> str:
    """The PIN F9 asks for: the workshop file's, else a random one printed in the terminal
    (for the facilitator's eyes only: the players look at the window)."""
    if setup.facilitator_pin:
        return setup.facilitator_pin
    import secrets
    pin = f"{secrets.randbelow(10_000):04d}"
    print(f"Facilitator PIN for this table (F9 asks for it): {pin}", flush=True)
    return pin


def run_table_window(session, setup, result_path: Path, size: tuple[int, int] = (1280, 720),
                     autoplay: bool = False, screenshots: Path | None = None,
                     max_frames: int | None = None) -> int:
    """Play one workshop table in a window with the facilitator's controls; the result file
    is written when the game ends (and its path printed when the window closes)."""
    from game.ui.facilitator import Facilitator
    from game.ui.play import Play
    from game.ui.scenes import scene_for_step

    def body() -> int:
        app = WorkshopApp(size, fps=0 if _headless() else FPS, autoplay=autoplay,
                          screenshots=screenshots)
        play = Play(session, demo=autoplay)
        app.facilitator = Facilitator(app, play, setup, result_path, pin=facilitator_pin(setup))
        app.go(scene_for_step(app, play))
        code = app.loop(max_frames)
        if session.game.is_terminal(session.state):
            app.facilitator.write()
            print(f"Result file for the debrief: {result_path}")
        else:
            print(f"The game is saved; continue it with `goodhart resume`. When it ends, "
                  f"make its result file with `goodhart workshop result {session.path}`.")
        return code
    return guarded(body, SAVED_HINT)
