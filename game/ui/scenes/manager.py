"""The manager's screen: policy cards (levels, cost, what each does, what it excludes) and the
budget left; the company as the manager sees it; the published leaderboard."""

from __future__ import annotations

import pygame

from game.engine import SetPolicies
from game.engine.actions import PolicyOption
from game.ui import theme
from game.ui.draw import format_number, panel, triangle
from game.ui.relations_panel import relations_page
from game.ui.scenes.seat import SeatScene
from game.ui.sidebar import leaderboard_section, metrics_section


class ManagerScene(SeatScene):
    name = "manager"
    confirm_label = "Confirm policies"
    help_lines = (
        "You set the company's policies for this turn. Each card is a policy: Left/Right (or "
        "Space, or a click) changes its level. Active policies cost budget points every turn "
        "and change how employees are reviewed.",
        "Some policies cannot be combined: the card says which. Press Enter to confirm; the "
        "employees will see the policies in force, not your reasons.",
    )

    def __init__(self, app, scenario, view, legal, submit, prefill=None) -> None:
        super().__init__(app, scenario, view, legal, submit, prefill)
        self.options: list[PolicyOption] = list(legal.policies)
        self.levels = {p.id: p.current for p in self.options}
        if prefill is not None:
            self.levels.update(getattr(prefill, "levels", {}))
        self.descriptions = {p.id: " ".join(p.description.split()) for p in scenario.policies}
        self.names = {p.id: p.name for p in scenario.policies}

    def card_count(self) -> int:
        return len(self.options)

    # --- the choice -----------------------------------------------------------------------

    def cost(self) -> float:
        return sum(p.cost * self.levels[p.id] for p in self.options)

    def clashes(self, option: PolicyOption) -> list[str]:
        """Active policies this one cannot be combined with (when it is active itself)."""
        if self.levels[option.id] == 0:
            return []
        return [self.names.get(x, x) for x in option.excludes if self.levels.get(x, 0) > 0]

    def adjust(self, i: int, step: int) -> None:
        option = self.options[i]
        if option.locked:
            self.say(f"{option.name} is locked by the facilitator.", bad=True)
            return
        level = max(0, min(len(option.levels) - 1, self.levels[option.id] + step))
        self.levels[option.id] = level
        self.say("")

    def press(self, i: int) -> None:
        option = self.options[i]
        if not option.locked:
            self.levels[option.id] = (self.levels[option.id] + 1) % len(option.levels)
            self.say("")
        else:
            self.adjust(i, 0)

    def click_card(self, i: int, pos: tuple[int, int]) -> None:
        option, card = self.options[i], self.grid.rect(i)
        for level, rect in enumerate(self._chip_rects(card, option)):
            if rect.collidepoint(pos):
                self.adjust(i, level - self.levels[option.id])
                return
        compact = self._compact_chip(card, option)
        if compact.collidepoint(pos):
            self.adjust(i, -1 if pos[0] < compact.centerx else 1)
            return
        self.press(i)

    def action(self) -> SetPolicies:
        return SetPolicies(seat=self.legal.seat, levels=dict(self.levels))

    # --- text -----------------------------------------------------------------------------

    def title(self) -> tuple[str, str]:
        v = self.view
        left = self.legal.budget - self.cost()
        return (f"{v.name} — {self.scenario.role(v.role).name}",
                f"{v.turn_name.capitalize()} {v.turn} of {v.turns} · choose policies · "
                f"budget {format_number(self.legal.budget)}, "
                f"{format_number(left)} left")

    def card_detail(self, i: int) -> str:
        option = self.options[i]
        text = self.descriptions.get(option.id, "")
        if len(option.levels) > 2:
            cost = format_number(option.cost)
            text += f" Costs {cost} budget point{'' if cost == '1' else 's'} per level."
        if option.excludes:
            text += " Cannot be combined with: " + ", ".join(self.names.get(x, x)
                                                              for x in option.excludes) + "."
        return text.strip()

    def sidebar(self) -> list:
        near = relations_page(self.view, self.scenario)
        return [("Budget", [self._budget_section, leaderboard_section(self.view, self.scenario)]),
                *near, ("Company", [metrics_section(self.view)])]

    def _budget_section(self, c) -> None:
        left = self.legal.budget - self.cost()
        c.heading("Budget")
        c.row(f"Points per {self.view.turn_name}", format_number(self.legal.budget))
        c.row("Chosen policies cost", format_number(self.cost()))
        c.row("Left", format_number(left), right_color=theme.BAD if left < 0 else theme.GOOD)
        if left < 0:
            c.row("Over budget: turn something down", color=theme.BAD, size="small")

    # --- drawing --------------------------------------------------------------------------

    def _chip_rects(self, card: pygame.Rect, option: PolicyOption) -> list[pygame.Rect]:
        return self._chips(card, option)[0]

    def _chips(self, card: pygame.Rect, option: PolicyOption) -> tuple[list[pygame.Rect], str]:
        """One chip per level along the card's bottom row, in the largest text that fits;
        ([], "") when none fits (then the card shows one chip with arrows)."""
        p = self.painter
        room = card.right - self.px(28) - self._tag_width(option)
        for size, pad in (("body", 20), ("small", 14)):
            h = p.line_height(size) + self.px(6)
            x, y = card.x + self.px(16), card.bottom - self.px(10) - h
            rects = []
            for name in option.levels:
                w = p.width(name, size, True) + self.px(pad)
                rects.append(pygame.Rect(x, y, w, h))
                x += w + self.px(6)
            if rects[-1].right <= room:
                return rects, size
        return [], ""

    def _tag_width(self, option: PolicyOption) -> int:
        """Room for "active · cost N" at the right of the chips (N of the dearest level)."""
        widest = max(self.painter.width(" · " + cost_text(option, level), "small")
                     for level in (0, len(option.levels) - 1))
        return self.painter.width("active", "small", True) + widest

    def _compact_chip(self, card: pygame.Rect, option: PolicyOption) -> pygame.Rect:
        """The single chip of a policy with too many levels to show side by side."""
        p = self.painter
        h = p.line_height("body") + self.px(6)
        widest = max(p.width(n, "body", True) for n in option.levels)
        return pygame.Rect(card.x + self.px(16), card.bottom - self.px(10) - h,
                           widest + self.px(76), h)

    def draw_card(self, surface: pygame.Surface, i: int, rect: pygame.Rect,
                  focused: bool) -> None:
        p = self.painter
        option = self.options[i]
        clash = self.clashes(option)
        panel(surface, rect, theme.PANEL_HI if focused else theme.PANEL,
              theme.BAD if clash else theme.LINE)
        self.draw_description(surface, i, rect, self.draw_title(surface, option.name, rect))
        chips, size = self._chips(rect, option)
        last = chips[-1] if chips else self._draw_compact(surface, rect, option)
        for n, chip in enumerate(chips):
            self._draw_chip(surface, chip, option.levels[n], n, n == self.levels[option.id], size)
        tag, color = self._tag(option, clash)
        cost = cost_text(option, self.levels[option.id])
        room = rect.right - last.right - self.px(28)
        cost_r = p.text(surface, " · " + cost if cost else "", (rect.right - self.px(16),
                        last.centery), "small", theme.MUTED, anchor="midright", max_width=room)
        p.text(surface, tag, (cost_r.x, last.centery), "small", color, bold=True,
               anchor="midright", max_width=max(0, room - cost_r.width))

    def _draw_chip(self, surface, chip: pygame.Rect, name: str, n: int, on: bool,
                   size: str = "body") -> None:
        fill = (theme.BLUE if n else theme.LINE) if on else theme.PANEL
        pygame.draw.rect(surface, fill, chip, border_radius=6)
        pygame.draw.rect(surface, theme.TEXT if on else theme.LINE, chip, 2, border_radius=6)
        self.painter.text(surface, name, chip.center, size, theme.TEXT if on else theme.MUTED,
                          bold=on, anchor="center")

    def _draw_compact(self, surface, rect: pygame.Rect, option: PolicyOption) -> pygame.Rect:
        chip = self._compact_chip(rect, option)
        level = self.levels[option.id]
        self._draw_chip(surface, chip, option.levels[level], level, True)
        size = self.px(14)
        triangle(surface, (chip.x - self.px(2) + size, chip.centery), size, "left",
                 theme.TEXT if level > 0 else theme.LINE)
        triangle(surface, (chip.right + self.px(2) - size, chip.centery), size, "right",
                 theme.TEXT if level < len(option.levels) - 1 else theme.LINE)
        return chip

    def _tag(self, option: PolicyOption, clash: list[str]) -> tuple[str, tuple]:
        if option.locked:
            return ("locked", theme.MUTED)
        if clash:
            return ("clashes with " + ", ".join(clash), theme.BAD)
        if self.levels[option.id] > 0:
            return ("active", theme.GOOD)
        return ("off", theme.MUTED)


def cost_text(option: PolicyOption, level: int) -> str:
    """What the policy costs per turn at `level`: "cost 2" for 80% of a policy costing 1 a
    level; when off, what turning a toggle on costs ("" for levels: the card's text says)."""
    if level > 0:
        return f"cost {format_number(option.cost * level)}"
    return f"cost {format_number(option.cost)} if on" if len(option.levels) == 2 else ""
