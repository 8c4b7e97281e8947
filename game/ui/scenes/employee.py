"""The employee's screen: split effort points over behaviour cards (mouse or keyboard); own
stats, review score, and the leaderboard as this seat sees it."""

from __future__ import annotations

import pygame

from game.engine import Allocate
from game.engine.actions import BehaviourOption
from game.ui import theme
from game.ui.cards import draw_stepper_button, stepper_rects
from game.ui.draw import panel
from game.ui.scenes.seat import SeatScene
from game.ui.scoring_panel import scoring_section
from game.ui.sidebar import leaderboard_section, metrics_section, own_section


class EmployeeScene(SeatScene):
    name = "employee"
    confirm_label = "Confirm my week"
    help_lines = (
        "Split your effort points over the cards. Left/Right (or the - and + buttons, or "
        "Space) move points; what each behaviour does is written under the cards.",
        "Your choices are secret: no other seat sees them until the end. Your review score "
        "depends on the policies in force: the side panel says what earns points this week. "
        "Press Enter to confirm.",
    )

    def __init__(self, app, scenario, view, legal, submit, prefill=None) -> None:
        super().__init__(app, scenario, view, legal, submit, prefill)
        self.options: list[BehaviourOption] = list(legal.behaviours)
        self.points = {b.id: 0 for b in self.options}
        if prefill is not None:
            self.points.update(getattr(prefill, "effort", {}))
        self.descriptions = {b.id: " ".join(b.description.split()) for b in scenario.behaviours}
        self.armed = False     # Enter with points left asks once before confirming

    def card_count(self) -> int:
        return len(self.options)

    # --- the choice -----------------------------------------------------------------------

    def left(self) -> int:
        return self.legal.effort - sum(self.points.values())

    def adjust(self, i: int, step: int) -> None:
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

    def click_card(self, i: int, pos: tuple[int, int]) -> None:
        minus, plus = stepper_rects(self.grid.rect(i), self.px, self.px(40))
        if minus.collidepoint(pos):
            self.adjust(i, -1)
        elif plus.collidepoint(pos):
            self.adjust(i, 1)

    def confirm(self) -> None:
        if self.left() > 0 and not self.armed and self.prefill is None:
            self.armed = True
            self.say(f"{self.left()} points are not used. Press Enter again to confirm anyway.",
                     bad=True)
            return
        super().confirm()

    def action(self) -> Allocate:
        return Allocate(seat=self.legal.seat, effort={k: v for k, v in self.points.items() if v})

    # --- text -----------------------------------------------------------------------------

    def title(self) -> tuple[str, str]:
        v = self.view
        return (f"{v.name} — {self.scenario.role(v.role).name}",
                f"{v.turn_name.capitalize()} {v.turn} of {v.turns} · split your "
                f"{self.legal.effort} effort points · {self.left()} left")

    def card_detail(self, i: int) -> str:
        option = self.options[i]
        text = self.descriptions.get(option.id, "")
        return text if option.available else f"Not available now. {text}".strip()

    def card_blurb(self, i: int) -> str:
        return self.descriptions.get(self.options[i].id, "")

    def sidebar(self) -> list:
        return [("Points", [scoring_section(self.view, self.scenario),
                            leaderboard_section(self.view, self.scenario)]),
                ("You", [own_section(self.view, self.scenario)]),
                ("Company", [metrics_section(self.view)])]

    # --- drawing --------------------------------------------------------------------------

    def draw_card(self, surface: pygame.Surface, i: int, rect: pygame.Rect,
                  focused: bool) -> None:
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
