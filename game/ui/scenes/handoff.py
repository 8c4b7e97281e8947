"""Hand-off between people in hot-seat play: nothing of the previous seat stays on screen."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.scenes.base import Scene

SETTLE = 0.3  # seconds before a key counts, so a double press cannot skip the hand-off


class HandoffScene(Scene):
    name = "handoff"
    help_lines = ("Hot-seat play: the screen is blank between people so nobody sees another "
                  "seat's choices. Pass the keyboard, then the next person presses a key.",)

    def __init__(self, app, play, seat: int) -> None:
        super().__init__(app)
        self.play = play
        self.seat = seat
        setup = play.session.seats[seat]
        self.who = setup.name
        self.role = play.scenario.role(setup.role).name
        self.shown_at = app.time

    def ready(self) -> bool:
        return self.frames > 0 and self.app.time - self.shown_at >= SETTLE

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key == pygame.K_ESCAPE:
            self.leave()
        elif event.key not in (pygame.K_TAB, pygame.K_LSHIFT, pygame.K_RSHIFT) and self.ready():
            self.proceed()
        return True

    def on_click(self, pos: tuple[int, int]) -> None:
        if self.ready():
            self.proceed()

    def proceed(self) -> None:
        from game.ui.scenes import scene_for_step
        self.play.passed(self.seat)
        self.app.go(scene_for_step(self.app, self.play))   # the seat's screen, or its guess

    def draw(self, surface: pygame.Surface) -> None:
        w, h = self.size
        p = self.painter
        y = int(h * 0.28)
        p.text(surface, "Pass the keyboard to", (w // 2, y), "h3", theme.MUTED, anchor="midtop")
        y += p.line_height("h3") + self.px(8)
        p.text(surface, self.who, (w // 2, y), "h1", theme.FOCUS, bold=True, anchor="midtop",
               max_width=w - self.px(80))
        y += p.line_height("h1")
        p.text(surface, f"playing the {self.role}", (w // 2, y), "h3", anchor="midtop")
        y += p.line_height("h3") + self.px(40)
        p.text(surface, f"Everyone else: please look away. {self.who}: press any key when "
                        f"you are ready.", (w // 2, y), "body", theme.TEXT, anchor="midtop",
               max_width=w - self.px(80))
        self.draw_footer(surface, "Any key or click: show my screen   ·   Esc: leave the game   "
                                  "·   F1: help")

    def autoplay(self) -> None:
        self.proceed()
