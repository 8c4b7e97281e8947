"""One person's private guess of the company's final health, asked behind the hand-off screen
so that nobody at a hot-seat table sees another's guess before the reveal."""

from __future__ import annotations

import pygame

from game.analysis.indices import index_series
from game.ui import theme
from game.ui.draw import format_number
from game.ui.scenes.base import Scene

CONFIRM_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER)


class PredictScene(Scene):
    name = "predict"
    private = True
    help_lines = ("Before the reveal, each person guesses the company's health index in "
                  "private: Left/Right move the guess by 5, Enter confirms it. The guesses are "
                  "shown together with the real health index.",)

    def __init__(self, app, play, seat: int) -> None:
        super().__init__(app)
        self.play = play
        self.seat = seat
        self.who = play.session.seats[seat].name
        self.value = 50.0
        self.start = index_series(play.scenario, play.state)[1][0]

    def build(self) -> None:
        w, h = self.size
        row = pygame.Rect(self.px(48), int(h * 0.45), w - self.px(96) - self.px(120), self.px(48))
        self.slider(row, self.value, "guess", self._set)
        self.button(pygame.Rect(w - self.px(48) - self.px(300), h - self.px(120), self.px(300),
                                self.px(56)), "Confirm my guess", self.confirm, "confirm",
                    primary=True)

    def enter(self) -> None:
        super().enter()
        self.ring.focus("guess")

    def _set(self, value: float) -> None:
        self.value = float(value)

    def on_slider(self, element, value: float) -> None:
        self._set(value)

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in CONFIRM_KEYS:
            self.confirm()
            return True
        if event.key == pygame.K_ESCAPE:
            self.leave()
            return True
        return False

    def confirm(self) -> None:
        from game.ui.scenes import scene_for_step
        self.play.predict(self.seat, self.value)
        self.app.go(scene_for_step(self.app, self.play))

    def draw(self, surface: pygame.Surface) -> None:
        w, h = self.size
        self.draw_header(surface, f"{self.who}: your guess, in private",
                         "Nobody else sees it until the reveal.")
        p = self.painter
        text = (f"The game is over. How healthy is the company now? 0 is ruined, 100 is "
                f"thriving; the health index started at {format_number(self.start)}.")
        p.paragraph(surface, text, pygame.Rect(self.px(48), int(h * 0.22), w - self.px(96),
                                               p.line_height("h3") * 3), "h3")
        p.text(surface, format_number(self.value), (w - self.px(48), int(h * 0.45)
                                                     + self.px(24)), "h2", theme.FOCUS,
               bold=True, anchor="midright")
        self.draw_footer(surface, "Left/Right: change the guess   ·   Enter: confirm   ·   "
                                  "Esc: leave   ·   F1: help")

    def autoplay(self) -> None:
        self.confirm()
