"""The employee's screen: split effort points over behaviour cards and choose the role's
numbers on cards after them (mouse or keyboard); own stats, review score, and the leaderboard
as this seat sees it."""

from __future__ import annotations

import pygame

from game.engine import Allocate
from game.engine.actions import BehaviourOption
from game.ui import theme
from game.ui.cards import draw_stepper_button, stepper_rects
from game.ui.draw import panel
from game.ui.number_entry import NumberEntry
from game.ui.relations_panel import relations_page
from game.ui.scenes.seat import SeatScene
from game.ui.scoring_panel import scoring_section
from game.ui.sidebar import leaderboard_section, metrics_section, own_section


class EmployeeScene(SeatScene):
    name = "employee"
    confirm_label = "Confirm my week"
    help_lines = (
        "Split your effort points over the cards. Left/Right (or the - and + buttons, or "
        "Space) move points; what each behaviour does is written under the cards.",
        "A number card (a catch, an order): Left/Right step it, or type the number and "
        "press Enter or move on.",
        "Your choices are secret: no other seat sees them until the end. Your review score "
        "depends on the policies in force: the side panel says what earns points this week. "
        "Press Enter to confirm.",
    )

    def __init__(self, app, scenario, view, legal, submit, prefill=None) -> None:
        super().__init__(app, scenario, view, legal, submit, prefill)
        self.confirm_label = f"Confirm my {view.turn_name}"  # a week, a month, a season
        self.help_lines = tuple(line.replace("this week", f"this {view.turn_name}")
                                for line in type(self).help_lines)
        self.options: list[BehaviourOption] = list(legal.behaviours)
        self.points = {b.id: 0 for b in self.options}
        if prefill is not None:
            self.points.update(getattr(prefill, "effort", {}))
        self.descriptions = {b.id: " ".join(b.description.split()) for b in scenario.behaviours}
        chosen = getattr(prefill, "numbers", {}) if prefill is not None else {}
        self.entries = [NumberEntry(n, chosen.get(n.id)) for n in legal.numbers]
        self.descriptions.update({d.id: " ".join(d.description.split())
                                  for r in scenario.roles for d in r.decisions})
        self.armed = False     # Enter with points left asks once before confirming

    def card_count(self) -> int:
        return len(self.options) + len(self.entries)

    def entry(self, i: int) -> NumberEntry | None:
        """The number card `i` is, or None for a behaviour card."""
        return self.entries[i - len(self.options)] if i >= len(self.options) else None

    def card_name(self, i: int) -> str:
        entry = self.entry(i)
        return entry.option.name if entry is not None else self.options[i].name

    # --- the choice -----------------------------------------------------------------------

    def left(self) -> int:
        return self.legal.effort - sum(self.points.values())

    def adjust(self, i: int, step: int) -> None:
        entry = self.entry(i)
        if entry is not None:
            entry.step(step)
            self.say("")
            return
        option = self.options[i]
        if not option.available:
            self.say(f"{option.name} is not available now.", bad=True)
            return
        have = self.points[option.id]
        if step > 0 and self.left() <= 0:
            self.say("No points left: take some from another card first.", bad=True)
            return
        new = max(0, min(option.max_effort, have + step))
        if step > 0 and new == have:
            self.say(f"At most {option.max_effort} points on {option.name}.", bad=True)
            return
        self.points[option.id] = new
        self.armed = False
        self.say("")

    def press(self, i: int) -> None:
        self.adjust(i, 1)

    def on_key(self, event: pygame.event.Event) -> bool:
        """Typing on a number card: digits, a point or a minus sign, Backspace; Enter (or
        moving on) makes the typed number count."""
        entry = self._focused_entry()
        if entry is not None:
            if event.key == pygame.K_BACKSPACE:
                entry.erase()
                return True
            if entry.typed and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                problem = entry.commit()
                self.say(problem or f"{entry.option.name}: {entry.value:g}.", bad=bool(problem))
                return True
        return super().on_key(event)

    def _focused_entry(self) -> NumberEntry | None:
        """The number card that has the focus, if one has."""
        focus = self.ring.current.key if self.ring.current else ""
        return self.entry(int(focus[4:])) if focus.startswith("card") else None

    def handle(self, event: pygame.event.Event) -> None:
        """Typed characters go to the focused number card (as text input, which the
        window sends for every key that types something)."""
        entry = self._focused_entry() if event.type == pygame.TEXTINPUT else None
        if entry is not None:
            for char in getattr(event, "text", ""):
                entry.type(char)
            return
        super().handle(event)

    def _focus_changed(self, item) -> None:
        for entry in self.entries:  # moving on makes a typed number count
            problem = entry.commit()
            if problem:
                self.say(problem, bad=True)
        super()._focus_changed(item)

    def click_card(self, i: int, pos: tuple[int, int]) -> None:
        minus, plus = stepper_rects(self.grid.rect(i), self.px, self.px(40))
        if minus.collidepoint(pos):
            self.adjust(i, -1)
        elif plus.collidepoint(pos):
            self.adjust(i, 1)

    def confirm(self) -> None:
        for entry in self.entries:
            problem = entry.commit()
            if problem:
                self.say(problem, bad=True)
                return
        if self.left() > 0 and not self.armed and self.prefill is None:
            self.armed = True
            self.say(f"{self.left()} points are not used. Press Enter again to confirm anyway.",
                     bad=True)
            return
        super().confirm()

    def action(self) -> Allocate:
        return Allocate(seat=self.legal.seat, effort={k: v for k, v in self.points.items() if v},
                        numbers={e.option.id: e.value for e in self.entries})

    # --- text -----------------------------------------------------------------------------

    def title(self) -> tuple[str, str]:
        v = self.view
        task = (f"split your {self.legal.effort} effort points · {self.left()} left"
                if self.legal.effort else "choose your numbers")
        return (f"{v.name} — {self.scenario.role(v.role).name}",
                f"{v.turn_name.capitalize()} {v.turn} of {v.turns} · {task}")

    def card_detail(self, i: int) -> str:
        entry = self.entry(i)
        if entry is not None:
            o = entry.option
            steps = f"in steps of {o.step:g}" if o.step > 0 else "any number"
            return (f"{o.min:g} to {o.max:g}, {steps}; last time {o.current:g}. Left/Right or "
                    f"type a number. {self.descriptions.get(o.id, '')}").strip()
        option = self.options[i]
        text = self.descriptions.get(option.id, "")
        return text if option.available else f"Not available now. {text}".strip()

    def card_blurb(self, i: int) -> str:
        entry = self.entry(i)
        return self.descriptions.get(entry.option.id if entry else self.options[i].id, "")

    def sidebar(self) -> list:
        near = relations_page(self.view, self.scenario)
        return [("Points", [scoring_section(self.view, self.scenario),
                            leaderboard_section(self.view, self.scenario)]), *near,
                ("You", [own_section(self.view, self.scenario)]),
                ("Company", [metrics_section(self.view)])]

    # --- drawing --------------------------------------------------------------------------

    def draw_card(self, surface: pygame.Surface, i: int, rect: pygame.Rect,
                  focused: bool) -> None:
        if self.entry(i) is not None:
            self._draw_number(surface, i, rect, focused)
            return
        p = self.painter
        option = self.options[i]
        have = self.points[option.id]
        panel(surface, rect, theme.PANEL_HI if focused else theme.PANEL,
              theme.SKY if have else theme.LINE)
        color = theme.TEXT if option.available else theme.MUTED
        self.draw_description(surface, i, rect, self.draw_title(surface, option.name, rect,
                                                                 color))
        minus, plus = stepper_rects(rect, self.px, self.px(40))
        if not option.available:
            p.text(surface, "not available now", (rect.x + self.px(16), minus.centery), "body",
                   theme.MUTED, anchor="midleft")
            return
        self._draw_pips(surface, pygame.Rect(rect.x + self.px(16), minus.y,
                                             minus.x - rect.x - self.px(32), minus.height),
                        have, option.max_effort)
        draw_stepper_button(surface, minus, "-", have > 0, p)
        draw_stepper_button(surface, plus, "+", have < option.max_effort and self.left() > 0, p)
        label = f"{have} pt" + ("s" if have != 1 else "")
        p.text(surface, label, ((minus.right + plus.left) // 2, minus.centery), "h3",
               theme.FOCUS if have else theme.TEXT, bold=True, anchor="center")

    def _draw_number(self, surface: pygame.Surface, i: int, rect: pygame.Rect,
                     focused: bool) -> None:
        """A number card: its title and description, a bar showing where the number lies in
        its range, and the number (or the text being typed) between the - and + buttons."""
        p, entry = self.painter, self.entry(i)
        o = entry.option
        panel(surface, rect, theme.PANEL_HI if focused else theme.PANEL,
              theme.FOCUS if entry.typed else theme.SKY)
        self.draw_description(surface, i, rect, self.draw_title(surface, o.name, rect))
        minus, plus = stepper_rects(rect, self.px, self.px(40))
        unit = next((d.unit for r in self.scenario.roles for d in r.decisions if d.id == o.id), "")
        room = plus.left - minus.right - self.px(8)
        whole = f"{entry.shown()} {unit}".strip()
        beside = p.width(whole, "h3", True) <= room   # the unit fits beside the number
        left = minus.x - (0 if beside else self.px(12) + p.width(unit, "small"))
        self._draw_bar(surface, entry.share(), rect.x + self.px(16), left - self.px(16),
                       minus.centery)
        if not beside:   # the unit left of the - button, where nothing else is drawn
            p.text(surface, unit, (minus.x - self.px(8), minus.centery), "small", theme.MUTED,
                   anchor="midright")
        draw_stepper_button(surface, minus, "-", entry.value > o.min, p)
        draw_stepper_button(surface, plus, "+", entry.value < o.max, p)
        size, lines = p.fitting(whole if beside else entry.shown(), room, ("h3", "body", "small"),
                                True)
        p.text(surface, lines[0], ((minus.right + plus.left) // 2, minus.centery), size,
               theme.FOCUS if entry.typed else theme.TEXT, bold=True, anchor="center")

    def _draw_bar(self, surface: pygame.Surface, share: float, x: int, right: int,
                  centery: int) -> None:
        """Where the number lies in its range, from `x` to `right` (nothing if no room)."""
        bar = pygame.Rect(x, centery - self.px(5), right - x, self.px(10))
        if bar.width <= 0:
            return
        pygame.draw.rect(surface, theme.LINE, bar, 2, border_radius=4)
        filled = bar.copy()
        filled.width = max(0, int(bar.width * share))
        if filled.width:
            pygame.draw.rect(surface, theme.SKY, filled, border_radius=4)

    def _draw_pips(self, surface: pygame.Surface, rect: pygame.Rect, have: int,
                   most: int) -> None:
        """One small box per point this card can take, the used ones filled."""
        if most <= 0:
            return
        gap = self.px(3)
        size = max(4, min(rect.height - self.px(12), (rect.width - gap * (most - 1)) // most))
        y = rect.centery - size // 2
        for n in range(most):
            box = pygame.Rect(rect.x + n * (size + gap), y, size, size)
            if n < have:
                pygame.draw.rect(surface, theme.SKY, box, border_radius=3)
            else:
                pygame.draw.rect(surface, theme.LINE, box, 2, border_radius=3)
