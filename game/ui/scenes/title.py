"""The title screen: start a new game, resume the last one, or quit."""

from __future__ import annotations

import pygame

from game.errors import GoodhartError
from game.ui import theme
from game.ui.scenes.base import Scene

TAGLINE = "When a measure becomes a target, it ceases to be a good measure."
PITCH = ("Run a company that puts AI usage on a leaderboard. Choose policies, spend your hours, "
         "climb the rankings — and find out at the end what the numbers were hiding.")


class TitleScene(Scene):
    name = "title"
    help_lines = (
        "Goodhart is a game about incentives. Managers choose policies; employees split their "
        "hours between real work and work that only looks good on the leaderboard.",
        "New game: pick a scenario, then set up the table (people or bots in each seat).",
        "Resume: continue the last unfinished game; every move is saved as it is made.",
    )

    def __init__(self, app, scenario: str | None = None, seed: int | None = None,
                 seats=None) -> None:
        super().__init__(app)
        self.scenario = scenario
        self.seed = seed
        self.seats = seats
        self.resume_path = None
        self.looked_for_saves = False
        self.demo_stage = 0

    def build(self) -> None:
        w, h = self.size
        bw, bh = self.px(360), self.px(56)
        x = (w - bw) // 2
        y = int(h * 0.52)
        self.button(pygame.Rect(x, y, bw, bh), "New game", self.new_game, "new", primary=True)
        y += bh + self.px(16)
        if self.resume_path is not None:
            self.button(pygame.Rect(x, y, bw, bh), "Resume last game", self.resume, "resume")
            y += bh + self.px(16)
        self.button(pygame.Rect(x, y, bw, bh), "Quit", lambda: self.app.quit(0), "quit")

    def update(self, dt: float) -> None:
        """Once the title is on screen, look for an unfinished game to offer (this loads the
        engine, so it waits until the window is up)."""
        if not self.looked_for_saves and self.frames >= 1:
            from game.engine.save import latest_save
            self.looked_for_saves = True
            self.resume_path = latest_save()
            if self.resume_path is not None:
                self.rebuild()

    def new_game(self) -> None:
        from game.ui.scenes.picker import PickerScene
        self.app.go(PickerScene(self.app, self.scenario, self.seed, self.seats))

    def resume(self) -> None:
        from game.ui.scenes import resume_play, scene_for_step
        try:
            self.app.go(scene_for_step(self.app, resume_play(self.resume_path)))
        except GoodhartError as err:
            self.say(f"Cannot resume: {err.message}", bad=True)

    def escape(self) -> None:
        self.app.ask("Quit Goodhart?", lambda: self.app.quit(0))

    def draw(self, surface: pygame.Surface) -> None:
        w, h = self.size
        p = self.painter
        p.text(surface, "Goodhart", (w // 2, int(h * 0.12)), "h1", theme.TEXT, bold=True,
               anchor="midtop")
        y = int(h * 0.12) + p.line_height("h1") + self.px(4)
        p.text(surface, TAGLINE, (w // 2, y), "h3", theme.FOCUS, anchor="midtop",
               max_width=w - self.px(80))
        y += p.line_height("h3") + self.px(18)
        width = min(w - self.px(160), self.px(900))
        lines = p.wrap(PITCH, width, "body")
        for i, line in enumerate(lines[:3]):
            p.text(surface, line, (w // 2, y + i * p.line_height("body")), "body", theme.MUTED,
                   anchor="midtop")
        self.draw_footer(surface, "Up/Down: choose   ·   Enter: press   ·   F1: help   ·   "
                                  "Esc: quit")

    def autoplay(self) -> None:
        """Demo: show the help overlay once (for its screenshot), then start a new game."""
        if self.demo_stage == 0:
            self.app.help_open = True
        elif self.demo_stage == 1:
            self.app.screenshot("help")
            self.app.help_open = False
        else:
            self.new_game()
        self.demo_stage += 1
