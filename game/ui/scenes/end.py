"""The end screen: the reveal in six layers, one keypress each, and the exports."""

from __future__ import annotations

import time

import pygame

from game.errors import GoodhartError
from game.ui import theme
from game.ui.debrief import (WHAT_IF, build_debrief, draw_layer, prediction_rows, reveal_rect,
                             reveal_title)
from game.ui.export import export_folder, export_game
from game.ui.scenes.base import Scene

NEXT_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_PAGEDOWN)
BACK_KEYS = (pygame.K_BACKSPACE, pygame.K_PAGEUP)
AUTOPLAY_WAIT_SECONDS = 60.0


class EndScene(Scene):
    name = "end"
    help_lines = (
        "The reveal, one step at a time: Enter shows the next layer, Backspace goes back.",
        "1 each person predicts the company's health · 2 the proxy index the leaderboard "
        "rewarded · 3 the health index, with the gap shaded · 4 leaderboard rank against real "
        "contribution · 5 the events that mattered · 6 lessons and questions to discuss.",
        "E exports the reveal as PNG slides and the game as JSON and CSV.",
    )

    def __init__(self, app, play) -> None:
        super().__init__(app)
        self.play = play
        self.debrief = build_debrief(play)
        self.layers = self.debrief.layers
        self.job = play.what_if() if WHAT_IF in self.layers else None
        self.waited_since: float | None = None   # when autoplay began to wait for the replay
        self.layer = 1
        self.guessed = len(self.debrief.people) > 1   # guessed in private, before this screen
        for seat, _ in self.debrief.people:
            play.predictions.setdefault(seat, 50.0)
        self.sliders: dict[object, int] = {}
        self._cache: tuple | None = None
        self.exported = None

    # --- layout ---------------------------------------------------------------------------

    def content_rect(self) -> pygame.Rect:
        return reveal_rect(self.painter, self.size)

    def build(self) -> None:
        w, h = self.size
        y, bh = h - self.px(104), self.px(56)
        last = self.layer == len(self.layers)
        label = "Back to the title" if last else f"Reveal: {self.layers[self.layer]}"
        self.sliders = {}
        if self.layer == 1 and not self.guessed:
            self._build_sliders()
        self.button(pygame.Rect(w - self.px(32) - self.px(340), y, self.px(340), bh), label,
                    self.next, "next", primary=True)
        self.button(pygame.Rect(w - self.px(32) - self.px(340) - self.px(236), y, self.px(220),
                                bh), "Export (E)", self.export, "export")
        if self.layer > 1:
            self.button(pygame.Rect(self.px(32), y, self.px(160), bh), "Back", self.back, "back")

    def _build_sliders(self) -> None:
        rect = self.content_rect()
        rows = prediction_rows(self.painter, rect, len(self.debrief.people))
        for (seat, _), row in zip(self.debrief.people, rows):
            label_w = int(row.width * 0.3)
            box = pygame.Rect(row.x + label_w, row.y + self.px(6), row.width - label_w
                              - self.px(90), row.height - self.px(12))
            element = self.slider(box, self.play.predictions[seat], f"predict:{seat}",
                                  lambda value, s=seat: self._predict(s, value))
            self.sliders[element] = seat

    def update(self, dt: float) -> None:
        """Pick up the what-if replay once its process has finished (never waits)."""
        super().update(dt)
        if self.job is not None and self.debrief.what_if is None:
            self.debrief.what_if = self.job.poll()
            self.debrief.what_if_failed = self.job.failed

    def exit(self) -> None:
        super().exit()
        if self.job is not None:
            self.job.close()

    def enter(self) -> None:
        super().enter()
        self.ring.focus("predict:" + str(self.debrief.people[0][0]) if self.sliders
                        else "next")

    # --- actions --------------------------------------------------------------------------

    def _predict(self, seat: int, value: float) -> None:
        self.play.predictions[seat] = float(value)

    def on_slider(self, element, value: float) -> None:
        if element in self.sliders:
            self._predict(self.sliders[element], value)

    def go_to(self, layer: int) -> None:
        self.layer = max(1, min(len(self.layers), layer))
        self.frames = 0
        self.rebuild()
        self.ring.focus("next")

    def next(self) -> None:
        if self.layer < len(self.layers):
            self.go_to(self.layer + 1)
        else:
            self.leave()

    def back(self) -> None:
        self.go_to(self.layer - 1)

    def export(self) -> None:
        base = self.app.shots_dir / "export" if self.app.shots_dir is not None else None
        folder = export_folder(self.play, base)
        try:
            export_game(self.play, self.debrief, dict(self.play.predictions), folder)
        except OSError as err:
            self.say(f"Could not export: {err.strerror or err}", bad=True)
            return
        except GoodhartError as err:      # a slide that could not be written
            self.say(f"Could not export: {err.message}", bad=True)
            return
        self.exported = folder
        self.say(f"Exported to {folder}")

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in NEXT_KEYS:
            self.next()
        elif event.key in BACK_KEYS:
            if self.layer > 1:
                self.back()
        elif event.key == pygame.K_e:
            self.export()
        elif event.key == pygame.K_ESCAPE:
            self.leave()
        else:
            return False
        return True

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        self._draw_title(surface, self.layer)
        rect = self.content_rect()
        key = (self.layer, rect.size, tuple(sorted(self.play.predictions.items())),
               self._what_if_key())
        if self.layer == 1 and self.guessed:
            self._draw_guessed(surface, rect)
        elif self._cache is None or self._cache[0] != key:
            layer = pygame.Surface(rect.size)
            layer.fill(theme.BG)
            start = len(self.painter.drawn)
            draw_layer(layer, self.painter, layer.get_rect(), self.debrief, self.layer,
                       self.play.predictions, live=True, dots=(self.frames // 20) % 4)
            self._cache = (key, layer, self.painter.drawn[start:])
        else:
            self.painter.drawn.extend(self._cache[2])
        if not (self.layer == 1 and self.guessed):
            surface.blit(self._cache[1], rect)
        guess = "Left/Right: change a guess   ·   " if self.layer == 1 and self.sliders else ""
        self.draw_footer(surface, guess + "Enter: next   ·   Backspace: back   ·   E: export   ·   "
                                          "Esc: leave   ·   F1: help")

    def _draw_guessed(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Layer 1 after private guesses: who has guessed, never what."""
        p = self.painter
        p.text(surface, "Everyone has guessed the company's health, in private.", rect.topleft,
               "h3", bold=True, max_width=rect.width)
        y = rect.y + p.line_height("h3") + self.px(12)
        for _, name in self.debrief.people:
            p.text(surface, f"{name}: guess made", (rect.x, y), "body", theme.MUTED,
                   max_width=rect.width)
            y += p.line_height("body")
        p.paragraph(surface, "The guesses are shown next to the real health index, two steps "
                             "from here. Enter: the proxy index the leaderboard rewarded.",
                    pygame.Rect(rect.x, y + self.px(16), rect.width, p.line_height() * 3))

    def _what_if_key(self) -> tuple:
        """What the what-if layer's picture depends on: the replay's arrival, and while it
        runs, the dots that show it is working."""
        if self.layers[self.layer - 1] != WHAT_IF:
            return ()
        d = self.debrief
        return (d.what_if is not None, d.what_if_failed, (self.frames // 20) % 4)

    def _draw_title(self, surface: pygame.Surface, layer: int) -> None:
        reveal_title(surface, self.painter, self.debrief.title, layer, self.layers)

    def _awaiting_replay(self) -> bool:
        """True while autoplay should stay on the what-if layer for its replay to arrive."""
        d = self.debrief
        if self.layers[self.layer - 1] != WHAT_IF or self.job is None or \
                d.what_if is not None or d.what_if_failed:
            return False
        self.waited_since = self.waited_since or time.monotonic()
        return time.monotonic() - self.waited_since < AUTOPLAY_WAIT_SECONDS

    def shot_name(self) -> str:
        name = f"end-{self.layer}-{self.layers[self.layer - 1].lower().replace(' ', '-')}"
        waiting = self.layers[self.layer - 1] == WHAT_IF and self.debrief.what_if is None
        return name + ("-working" if waiting else "")

    def autoplay(self) -> None:
        if self._awaiting_replay():
            return   # a demo shows the replay, not the wait (unless it takes far too long)
        if self.layers[self.layer - 1] == WHAT_IF:
            self.app.screenshot(self.shot_name())   # the replay as it arrived
        if self.layer < len(self.layers):
            self.next()
        else:
            self.export()
            self.app.quit(0)
