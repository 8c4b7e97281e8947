"""The side-panel section that tells a seat, in words, what earns it review points now."""

from __future__ import annotations

from game.engine.view import SeatView
from game.scenario.model import Scenario
from game.scenario.scoring import scoring_lines
from game.ui import theme


def scoring_section(view: SeatView, scenario: Scenario):
    """How the seat's role is scored under the policies in force, and this turn's changes
    (policies are public, so nothing here is a secret)."""
    changed = [c for c in view.policy_changes if c.turn == view.turn]
    new = frozenset(c.policy for c in changed if c.after > 0)
    names = {p.id: p.name for p in scenario.policies}
    lines = scoring_lines(scenario, view.role, view.policies, new)
    lines += [f"Switched off this {view.turn_name}: {names[c.policy]}."
              for c in changed if c.after == 0]

    def draw(c) -> None:
        c.heading("How you earn points")
        for n, text in enumerate(lines):
            color = theme.FOCUS if text.startswith(("New: ", "Switched")) else theme.TEXT
            for line in c.p.wrap(text, c.rect.width - c.p.px(12), "small"):
                c.row(line, color=color, size="small")
            if n < len(lines) - 1:
                c.gap(4)
    return draw
