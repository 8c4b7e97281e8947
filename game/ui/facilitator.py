"""The facilitator's controls over a workshop table's window: F9 opens them.

`Facilitator` sits over whatever scene is showing. It is offered every event first and draws
last. Its screens cover the whole window with an opaque background, so opening them never
shows a seat's private screen:

- the PIN prompt (F9): the panel opens only after the facilitator's PIN (from the workshop
  file, or printed in the terminal at start) is typed and Enter pressed;
- the panel: pause (P), timers on or off (T), 30 seconds more or less (+/-), fire one of
  the scenario's events now (Up/Down, Enter twice), projector view (V);
- the pause screen, shown to the table while paused (the seat's clock stands still);
- the projector view: only public information (`game.workshop.facilitator.projector_view`).

While a seat's own screen is up, its countdown runs and shows in the corner (the time left is
public, the choice is not). When it runs out, the choice on the screen is submitted if it is
legal, else the seat's previous choice, else a default (`timeout_action`). When the game has
ended, the table's result file is written, and written again when the predictions change.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.errors import ActionError, GoodhartError
from game.ui import theme
from game.ui.draw import Painter, format_number, panel
from game.ui.sidebar import lag_note
from game.workshop.facilitator import (Countdown, inject, injectable_events, projector_view,
                                       timeout_action)
from game.workshop.result import write_result
from game.workshop.tables import TableSetup

HELP_LINES = (
    "Facilitator: F9 asks for the facilitator's PIN, then opens the facilitator panel (pause, "
    "timers, inject an event, projector view). It covers the screen, so it never shows a "
    "seat's private choices.",
)
KEYS = (("P", "pause or resume the table"),
        ("T", "timers on or off"),
        ("+ / -", "30 s more or less for this seat"),
        ("Up, Down", "pick an event"),
        ("Enter twice", "fire the event now"),
        ("V", "projector view (public only)"),
        ("Esc or F9", "close this panel"))
STEP_SECONDS = 30
DIGITS = {**{getattr(pygame, f"K_{n}"): str(n) for n in range(10)},
          **{getattr(pygame, f"K_KP{n}", None) or getattr(pygame, f"K_KP_{n}"): str(n)
             for n in range(10)}}
TOAST_SECONDS = 5.0


class Facilitator:
    """The facilitator's state for one table's window: clocks, pause, screens, result file."""

    def __init__(self, app, play, setup: TableSetup, result_path: Path, *, pin: str) -> None:
        self.app = app
        self.pin = pin                        # asked before the panel opens
        self.typed = ""                       # the digits typed so far
        self.play = play
        self.setup = setup
        self.result_path = result_path
        self.mode: str | None = None          # None, "panel" or "projector"
        self.paused = False
        self.timers_on = bool(setup.timers.policy or setup.timers.work)
        self.clocks: dict[tuple[int, str, int], Countdown] = {}
        self.events = injectable_events(play.scenario)
        self.choice = 0
        self.armed = False                    # Enter pressed once on an event
        self.toast = ""
        self.toast_left = 0.0
        self.written: dict | None = None      # the predictions last written, None before
        self.since_write = 0.0
        self.with_what_if = False              # whether the last write held the what-if

    # --- the clock of the seat on screen --------------------------------------------------

    def current_clock(self) -> tuple[Countdown, int] | None:
        """The countdown of the seat whose own screen is showing, if timers apply to it."""
        scene = self.app.scene
        if not self.timers_on or scene is None or not getattr(scene, "private", False):
            return None
        legal = getattr(scene, "legal", None)
        if legal is None or not legal.must_act:
            return None
        seconds = self.setup.timers.policy if legal.phase == "policy" else self.setup.timers.work
        if seconds <= 0:
            return None
        key = (self.play.state.turn, legal.phase, legal.seat)
        if key not in self.clocks:
            self.clocks[key] = Countdown(seconds)
        return self.clocks[key], legal.seat

    def update(self, dt: float) -> None:
        """Run the clock (unless paused or a facilitator screen covers the table), write the
        result file once the game has ended."""
        self.toast_left = max(0.0, self.toast_left - dt)
        found = self.current_clock()
        if found is not None and not self.paused and self.mode is None:
            clock, seat = found
            if clock.tick(dt):
                self._time_up(seat)
        self._write_result(dt)

    def _time_up(self, seat: int) -> None:
        """Submit the seat's choice on screen, or its last, or a default."""
        scene = self.app.scene
        try:
            draft = scene.action()
        except (ActionError, ValueError, AttributeError):
            draft = None
        try:
            action = timeout_action(self.play.game, self.play.state, seat, draft)
            scene.submit(action)
        except ActionError as err:
            self.say(f"Time is up, but nothing could be submitted: {err.message}")
            return
        self.say(f"Time is up: {self.play.session.seats[seat].name}'s choice was submitted.")

    def _write_result(self, dt: float) -> None:
        if not self.play.game.is_terminal(self.play.state):
            return
        self.since_write += dt
        predictions = dict(self.play.predictions)
        job = self.play.what_if()
        replay_arrived = job is not None and job.poll() is not None and not self.with_what_if
        if not replay_arrived and (predictions == self.written or (
                self.written is not None and self.since_write < 1.0)):
            return
        self.write(predictions)

    def write(self, predictions: dict | None = None) -> None:
        """Write (or rewrite) the table's result file."""
        predictions = dict(self.play.predictions) if predictions is None else predictions
        job = self.play.what_if()
        what_if = job.poll() if job is not None else None
        try:
            write_result(self.play.session, self.result_path, predictions, what_if)
        except GoodhartError as err:
            self.say(f"Could not write the result file: {err.message}")
            return
        if self.written is None:
            path = self.result_path   # a long path has no spaces to wrap at: two lines
            self.say(f"Result file written: {path.name}\nin the folder {path.parent}")
        self.written, self.since_write = predictions, 0.0
        self.with_what_if = what_if is not None

    def say(self, text: str) -> None:
        self.toast, self.toast_left = text, TOAST_SECONDS

    # --- keys -----------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> bool:
        """Take the event if it is the facilitator's; True when used."""
        if event.type != pygame.KEYDOWN:
            return self.mode is not None or self.paused
        if event.key == pygame.K_F9:
            self.mode = None if self.mode in ("panel", "pin") else "pin"
            self.armed, self.typed = False, ""
            return True
        if self.mode == "pin":
            self._pin_key(event)
            return True
        if event.key == pygame.K_F1 and self.mode is None and not self.paused:
            return False
        if self.mode == "panel":
            self._panel_key(event)
            return True
        if self.mode == "projector":
            if event.key in (pygame.K_ESCAPE, pygame.K_v):
                self.mode = None
            return True
        return self.paused

    def _pin_key(self, event: pygame.event.Event) -> None:
        """Digits, Backspace, Enter to check the PIN (the panel opens only if it is right),
        Esc to give up."""
        digit = DIGITS.get(event.key)
        if digit is not None and len(self.typed) < 8:
            self.typed += digit
        elif event.key == pygame.K_BACKSPACE:
            self.typed = self.typed[:-1]
        elif event.key == pygame.K_ESCAPE:
            self.mode, self.typed = None, ""
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            right = self.typed == self.pin
            self.mode, self.typed = ("panel" if right else None), ""
            if not right:
                self.say("Wrong PIN: the facilitator panel stays closed.")

    def _panel_key(self, event: pygame.event.Event) -> None:
        key = event.key
        if key not in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.armed = False
        if key == pygame.K_ESCAPE:
            self.mode, self.armed = None, False
        elif key == pygame.K_p:
            self.paused = not self.paused
            self.say("Paused: the table sees the pause screen." if self.paused else "Resumed.")
        elif key == pygame.K_t:
            self.timers_on = not self.timers_on
            self.say("Timers on." if self.timers_on else "Timers off.")
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS, pygame.K_MINUS,
                     pygame.K_KP_MINUS):
            self._more_time(-1 if key in (pygame.K_MINUS, pygame.K_KP_MINUS) else 1)
        elif key == pygame.K_v:
            self.mode = "projector"
        elif key in (pygame.K_UP, pygame.K_DOWN) and self.events:
            self.choice = (self.choice + (1 if key == pygame.K_DOWN else -1)) % len(self.events)
            self.armed = False
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.events:
            self._fire()

    def _more_time(self, sign: int) -> None:
        found = self.current_clock()
        if found is None:
            self.say("No seat is choosing against the clock right now.")
            return
        clock = found[0]
        clock.remaining = max(5.0, clock.remaining + sign * STEP_SECONDS)
        self.say(f"{clock.label()} left for the seat choosing now.")

    def _fire(self) -> None:
        event_id, headline = self.events[self.choice]
        if not self.armed:
            self.armed = True
            self.say(f"Press Enter again to fire '{headline}' now (any other key cancels).")
            return
        self.armed = False
        try:
            inject(self.play.session, event_id)
        except ActionError as err:
            self.say(f"Could not fire the event: {err.message}")
            return
        self.say(f"Fired: {headline}. It is in this turn's news.")

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface, painter: Painter) -> None:
        if self.mode == "panel":
            self._draw_panel(surface, painter)
        elif self.mode == "pin":
            self._draw_pin(surface, painter)
        elif self.mode == "projector":
            self._draw_projector(surface, painter)
        elif self.paused:
            self._draw_paused(surface, painter)
        else:
            self._draw_clock(surface, painter)
        if self.toast_left > 0 and self.toast:
            self._draw_toast(surface, painter)

    def _draw_toast(self, surface: pygame.Surface, painter: Painter) -> None:
        """The last message, over the bottom of the screen: wrapped to three lines at most
        (a size smaller if that is what it takes), growing upwards."""
        p = painter
        w, h = surface.get_size()
        width = w - p.px(48) - p.px(28)
        size, lines = p.fitting(self.toast, width, ("body", "small"), True, max_lines=3)
        box = pygame.Rect(p.px(24), 0, w - p.px(48),
                          len(lines) * p.line_height(size) + p.px(16))
        box.bottom = h - p.px(160) + p.line_height("body") + p.px(16)
        panel(surface, box, theme.PANEL_HI, theme.FOCUS)
        p.lines(surface, lines, (box.x + p.px(14), box.y + p.px(8)), size, theme.TEXT, True)

    def _draw_clock(self, surface: pygame.Surface, painter: Painter) -> None:
        found = self.current_clock()
        if found is None:
            return
        clock = found[0]
        w, _ = surface.get_size()
        text = f"{clock.label()} left"
        box = pygame.Rect(0, painter.px(10), painter.width(text, "h3", True) + painter.px(28),
                          painter.line_height("h3") + painter.px(8))
        box.right = w - painter.px(24)
        low = clock.remaining <= 15
        panel(surface, box, theme.BAD if low else theme.PANEL_HI, theme.FOCUS if low else None)
        painter.text(surface, text, box.center, "h3", theme.BG if low else theme.TEXT, bold=True,
                     anchor="center")

    def _cover(self, surface: pygame.Surface, painter: Painter, title: str) -> pygame.Rect:
        """Paint the whole window over (nothing behind shows through) and a title."""
        surface.fill(theme.BG)
        painter.drawn, painter.boxes = [], []   # what was drawn underneath is no longer on screen
        w, h = surface.get_size()
        pad = painter.px(32)
        painter.text(surface, title, (pad, painter.px(18)), "h2", bold=True,
                     max_width=w - 2 * pad)
        top = painter.px(18) + painter.line_height("h2") + painter.px(12)
        rule = top - painter.px(4)
        pygame.draw.line(surface, theme.LINE, (pad, rule), (w - pad, rule), 2)
        return pygame.Rect(pad, top + painter.px(6), w - 2 * pad, h - top - painter.px(60))

    def _draw_pin(self, surface: pygame.Surface, painter: Painter) -> None:
        rect = self._cover(surface, painter, "Facilitator panel: enter the PIN")
        p = painter
        y = rect.y + p.px(20)
        p.paragraph(surface, "Type the facilitator's PIN and press Enter. It is in the workshop "
                             "file, or was printed in the terminal when this table started.",
                    pygame.Rect(rect.x, y, rect.width, p.line_height("h3") * 2), "h3",
                    theme.MUTED)
        y += p.line_height("h3") * 2 + p.px(30)
        shown = " ".join("\u2022" for _ in self.typed) or "_"
        p.text(surface, shown, (rect.x, y), "h1", theme.FOCUS, bold=True)
        p.text(surface, "Digits: type the PIN   ·   Backspace: delete   ·   Enter: open   ·   "
                        "Esc or F9: cancel", (rect.x, rect.bottom + p.px(20)), "small",
               theme.MUTED, max_width=rect.width)

    def _draw_paused(self, surface: pygame.Surface, painter: Painter) -> None:
        rect = self._cover(surface, painter, "Paused")
        painter.paragraph(surface, "The facilitator has paused the game. The clock has stopped; "
                                   "nothing is lost.", rect, "h3", theme.MUTED)

    def _draw_panel(self, surface: pygame.Surface, painter: Painter) -> None:
        s = self.setup
        rect = self._cover(surface, painter, f"Facilitator — {s.table.label}: {s.condition}")
        state = self.play.state
        p = painter
        y = rect.y
        turn = min(state.turn, self.play.scenario.turns)
        phase = ("the game is over" if self.play.game.is_terminal(state)
                 else f"{state.phase} phase")
        status = (f"{self.play.scenario.turn_name.capitalize()} {turn} of "
                  f"{self.play.scenario.turns} · {phase} · "
                  f"{'paused' if self.paused else 'running'} · timers "
                  + (f"on ({s.timers.policy}s policy, {s.timers.work}s work)" if self.timers_on
                     else "off"))
        p.text(surface, status, (rect.x, y), "body", theme.FOCUS, bold=True, max_width=rect.width)
        y += p.line_height("body") + p.px(10)
        key_w = p.px(160)
        half = rect.width // 2
        for key, what in KEYS:
            p.text(surface, key, (rect.x, y), "body", theme.FOCUS, bold=True)
            p.text(surface, what, (rect.x + key_w, y), "body", max_width=half - key_w - p.px(20))
            y += p.line_height("body")
        ex = rect.x + half
        ey = rect.y + p.line_height("body") + p.px(10)
        p.text(surface, "Fire an event now", (ex, ey), "h3", theme.FOCUS, bold=True)
        ey += p.line_height("h3")
        if not self.events:
            p.text(surface, "This scenario has no events.", (ex, ey), "body", theme.MUTED)
        step = p.line_height("body") + p.px(6)
        first = max(0, min(self.choice - 4, len(self.events) - 9))
        for n, (_, headline) in enumerate(self.events[first:first + 9], start=first):
            row = pygame.Rect(ex, ey, half, step - p.px(2))
            if n == self.choice:
                panel(surface, row, theme.BAD if self.armed else theme.PANEL_HI, theme.FOCUS)
            p.text(surface, headline, (row.x + p.px(10), row.y + p.px(2)), "body",
                   max_width=row.width - p.px(20))
            ey += step

    def _draw_projector(self, surface: pygame.Surface, painter: Painter) -> None:
        board = projector_view(self.play.game, self.play.state)
        p = painter
        turn = f"{board.turn_name.capitalize()} {board.turn} of {board.turns}"
        phase = "the game is over" if board.ended else f"{board.phase} phase"
        rect = self._cover(surface, p, f"{board.title} — {turn}, {phase}")
        half = rect.width // 2
        left = pygame.Rect(rect.x, rect.y, half - p.px(16), rect.height)
        right = pygame.Rect(rect.x + half + p.px(16), rect.y, half - p.px(16), rect.height)
        from game.ui.sidebar import Column
        c = Column(surface, p, left)
        c.heading("News")
        current = [h for h in board.news if h.turn == board.turn] or board.news[-3:]
        for h in current[-4:]:
            text = f"{board.turn_name.capitalize()} {h.turn}: {h.headline}" + \
                (" (announced by the facilitator)" if h.injected else "")
            for k, line in enumerate(p.wrap(text, left.width - p.px(20))[:3]):
                c.row(("   " if k else "") + line)
        if not board.news:
            c.row("No news yet.", color=theme.MUTED)
        c.heading("Policies in force")
        for name in board.policies or ["none"]:
            c.row(name)
        if board.waiting_for and not board.ended:
            c.heading("Still choosing")
            c.row(", ".join(board.waiting_for))
        r = Column(surface, p, right)
        for role, rows in board.leaderboards.items():
            r.heading(f"Leaderboard: {self.play.scenario.role(role).name}")
            for row in rows[:8]:
                r.row(f"{row.rank}. {row.name}", format_number(row.score))
        for own in board.boards:
            r.heading(own.name)
            for row in own.rows[:8]:
                r.row(f"{row.rank}. {row.name}", format_number(row.score))
        if board.metrics:
            r.heading("The company, as everyone sees it")
            for m in board.metrics[:6]:
                note = lag_note(m.note, board.turn_name)
                r.row(f"{m.name}" + ("" if m.note == "live" else f" ({note})"),
                      format_number(m.value) + (f" {m.unit}" if m.unit else ""))
        for column in (c, r):
            if column.cut is not None:   # rows left out are cut short too: the tests read it
                p.cuts.append(f"projector view, rows from {column.cut + 1} on")
        p.text(surface, "Projector view: public information only. V or Esc: back to the game.",
               (rect.x, rect.bottom + p.px(20)), "small", theme.MUTED, max_width=rect.width)
