"""Table setup: for each seat, a person or a bot strategy, and a name; the seed; start."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pygame
import pygame_gui

from game.engine.state import SeatSetup
from game.errors import GoodhartError
from game.scenario.model import Scenario
from game.ui import theme
from game.ui.focus import FocusItem
from game.ui.scenes.base import Scene

HUMAN = "human"


@dataclass
class SeatRow:
    role: str
    name: str
    controller: str
    auto_name: bool = True


def _strategies(scenario: Scenario, role: str) -> list[str]:
    import game.bots as bots
    return [f"bot:{s}" for s in bots.strategies_for(scenario, role)]


def _default_bot(scenario: Scenario, role: str, nth: int) -> str:
    """The controller of the bot in the role's `nth` bot seat: the scenario's default table."""
    import game.bots as bots
    return f"bot:{bots.default_strategy(scenario, role, nth)}"


def controller_words(scenario: Scenario, row: SeatRow) -> str:
    """Who plays a seat, in plain words: `Person`, or `Bot: plays to its own review` (the
    strategy's name is in the seat's automatic name)."""
    if row.controller == HUMAN:
        return "Person"
    from game.scenario.seating import describe_strategy, sets_policies_only
    strategy = row.controller[4:]
    return f"Bot: {describe_strategy(strategy, sets_policies_only(scenario, row.role))}"


def default_rows(scenario: Scenario, all_bots: bool) -> list[SeatRow]:
    """The scenario's default table: one person in the first seat of the most numerous role,
    bots in the others with the strategies the scenario lists for its empty seats, in order."""
    player_role = max(scenario.roles, key=lambda r: scenario.default_count(r.id)).id
    rows = []
    for role in scenario.roles:
        person = int(not all_bots and role.id == player_role)
        rows += [SeatRow(role.id, "", HUMAN)] * person
        rows += [SeatRow(role.id, "", _default_bot(scenario, role.id, nth))
                 for nth in range(scenario.default_count(role.id) - person)]
    return rows


class SetupScene(Scene):
    name = "setup"
    help_lines = ("Each seat is played by a person (hot-seat: pass the laptop between turns) "
                  "or by a bot with a strategy. Change a seat with Left/Right on its player "
                  "button; change how many seats a role has with Left/Right on the role's line.",
                  "The seed fixes every random draw: the same seed and choices give the same game.")

    def __init__(self, app, scenario: Scenario, scenario_name: str, seed: int | None,
                 seats: list[SeatSetup] | None = None) -> None:
        super().__init__(app)
        self.scenario = scenario
        self.scenario_name = scenario_name
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1, 10**6)
        if seats:
            self.rows = [SeatRow(s.role, s.name, s.controller, False) for s in seats]
        else:
            self.rows = default_rows(scenario, app.autoplay)
        self.entries: dict[int, pygame_gui.elements.UITextEntryLine] = {}
        self.seed_entry = None
        self._name_all()

    # --- the model ------------------------------------------------------------------------

    def _name_all(self) -> None:
        """Give automatic names: "Player n" for people, "<Role> n (<strategy> bot)" for bots."""
        players = 0
        for role in self.scenario.roles:
            mine = [r for r in self.rows if r.role == role.id]
            for i, row in enumerate(mine):
                players += row.controller == HUMAN
                if row.auto_name:
                    label = f"{role.name} {i + 1}" if len(mine) > 1 else role.name
                    row.name = (f"Player {players}" if row.controller == HUMAN
                                else f"{label} ({row.controller[4:]} bot)")

    def change_count(self, role_id: str, step: int) -> None:
        role = self.scenario.role(role_id)
        mine = [i for i, r in enumerate(self.rows) if r.role == role_id]
        self._harvest()
        if step > 0 and len(mine) < role.seats.max:
            at = (mine[-1] + 1) if mine else len(self.rows)
            bots = sum(1 for i in mine if self.rows[i].controller != HUMAN)
            self.rows.insert(at, SeatRow(role_id, "", _default_bot(self.scenario, role_id, bots)))
        elif step < 0 and len(mine) > role.seats.min:
            del self.rows[mine[-1]]
        self._name_all()
        self.rebuild()

    def cycle(self, index: int, step: int) -> None:
        row = self.rows[index]
        options = [HUMAN] + _strategies(self.scenario, row.role)
        at = options.index(row.controller) if row.controller in options else 0
        row.controller = options[(at + step) % len(options)]
        self._harvest()
        self._name_all()
        self.rebuild()

    def _harvest(self) -> None:
        """Keep what was typed in the name boxes before the widgets are rebuilt."""
        for index, element in self.entries.items():
            if index < len(self.rows):
                text = element.get_text().strip()
                if text and text != self.rows[index].name:
                    self.rows[index].name, self.rows[index].auto_name = text, False
        if self.seed_entry is not None:
            text = self.seed_entry.get_text().strip()
            self.seed = int(text) if text.isdigit() else self.seed

    def clear(self) -> None:
        self._harvest()
        self.entries = {}
        self.seed_entry = None
        super().clear()

    # --- layout ---------------------------------------------------------------------------

    def build(self) -> None:
        w, h = self.size
        top, row_h, gap = self.px(120), self.px(46), self.px(8)
        room = max(1, (h - top - self.px(190)) // (row_h + gap))
        slots = self._slots(room)
        columns = max(1, min(3, -(-(max(n for _, _, n in slots) + 1) // room)))
        col_w = (w - self.px(48) - (columns - 1) * self.px(24)) // columns
        self.role_rects: dict[str, pygame.Rect] = {}
        for role, index, n in slots:
            rect = pygame.Rect(self.px(24) + (n // room) * (col_w + self.px(24)),
                               top + (n % room) * (row_h + gap), col_w, row_h)
            if index is None:
                self._role_line(role, rect)
            else:
                self._seat_line(index, self.rows[index], rect)
        self._bottom_line(w, h, row_h)

    def _slots(self, room: int) -> list[tuple[object, int | None, int]]:
        """(role, seat row index or None for the role's heading, line number) in reading
        order, `room` lines a column; a heading that would end a column with its seats in
        the next starts that column instead."""
        slots, n = [], 0
        for role in self.scenario.roles:
            if room > 1 and n % room == room - 1:
                n += 1
            slots.append((role, None, n))
            n += 1
            for index, row in enumerate(self.rows):
                if row.role == role.id:
                    slots.append((role, index, n))
                    n += 1
        return slots

    def _role_line(self, role, rect: pygame.Rect) -> None:
        self.role_rects[role.id] = rect
        if role.seats.min < role.seats.max:
            self.focusable(FocusItem(f"role:{role.id}", rect,
                                     adjust=lambda step, r=role.id: self.change_count(r, step),
                                     label=role.name))

    def _seat_line(self, index: int, row: SeatRow, rect: pygame.Rect) -> None:
        name_w = int(rect.width * 0.45)
        entry = self.entry(pygame.Rect(rect.x + self.px(24), rect.y, name_w - self.px(24),
                                       rect.height), row.name, f"name:{index}", limit=32)
        self.entries[index] = entry
        button_w = rect.width - name_w - self.px(10)
        label = controller_words(self.scenario, row)
        if self.painter.width(label, bold=True) > button_w - self.px(16):
            label = "Person" if row.controller == HUMAN else f"Bot: {row.controller[4:]}"
        button = self.button(pygame.Rect(rect.x + name_w + self.px(10), rect.y, button_w,
                                         rect.height),
                             label, lambda i=index: self.cycle(i, 1), f"who:{index}")
        self._items[-1].adjust = lambda step, i=index: self.cycle(i, step)
        button.set_text(label)

    def _bottom_line(self, w: int, h: int, row_h: int) -> None:
        y = h - self.px(140)
        self.seed_label_pos = (self.px(24), y + self.px(8))
        self.seed_entry = self.entry(pygame.Rect(self.px(110), y, self.px(180), row_h),
                                     str(self.seed), "seed", limit=9, numbers=True)
        self.button(pygame.Rect(w - self.px(24) - self.px(280), y, self.px(280), row_h + 6),
                    "Start the game", self.start, "start", primary=True)
        self.button(pygame.Rect(w - self.px(24) - self.px(440), y, self.px(140), row_h + 6),
                    "Back", self.back, "back")

    def enter(self) -> None:
        super().enter()
        self.ring.focus("start")

    # --- actions --------------------------------------------------------------------------

    def seats(self) -> list[SeatSetup]:
        self._harvest()
        return [SeatSetup(role=r.role, name=r.name.strip() or f"Seat {i + 1}",
                          controller=r.controller) for i, r in enumerate(self.rows)]

    def start(self) -> None:
        from game.ui.play import Play
        from game.ui.scenes import scene_for_step
        try:
            play = Play.start(self.scenario, self.scenario_name, self.seed, self.seats(),
                              demo=self.app.autoplay)
        except GoodhartError as err:
            self.say(f"Cannot start: {err.message}", bad=True)
            return
        self.app.go(scene_for_step(self.app, play))

    def back(self) -> None:
        from game.ui.scenes.picker import PickerScene
        self.app.go(PickerScene(self.app, self.scenario_name, self.seed))

    escape = back

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, f"Set up the table — {self.scenario.title}",
                         "A person or a bot in every seat. Names are shown to everyone.")
        p = self.painter
        for role in self.scenario.roles:
            rect = self.role_rects.get(role.id)
            if rect is None:
                continue
            count = sum(1 for r in self.rows if r.role == role.id)
            limits = (f"  ({role.seats.min} to {role.seats.max}; Left/Right to change)"
                      if role.seats.min < role.seats.max else "")
            p.text(surface, f"{role.name}: {count} seat{'s' if count != 1 else ''}{limits}",
                   (rect.x, rect.centery), "body", theme.FOCUS, bold=True, anchor="midleft",
                   max_width=rect.width)
        p.text(surface, "Seed", self.seed_label_pos, "body", theme.MUTED)
        self.draw_footer(surface, "Tab/Up/Down: move   ·   Left/Right: change   ·   "
                                  "Enter: start   ·   Esc: back   ·   F1: help")

    def autoplay(self) -> None:
        self.start()
