"""A number a seat chooses on the work screen: arrow keys step it, typed digits replace it.

Kept apart from the scene so its rules (clamped to the range, on the step, typed text
checked before it counts) can be tested without a window.
"""

from __future__ import annotations

import math

from game.engine.actions import NumberOption
from game.scenario.model import on_step

TYPED = frozenset("0123456789.-")
"""The characters a typed number may hold."""

FREE_STEPS = 20
"""Arrow presses from min to max for a decision that takes any number (step 0)."""


class NumberEntry:
    """One decision's number as the seat is choosing it (`value`), and the text being typed
    over it (`typed`, empty when nothing is typed)."""

    def __init__(self, option: NumberOption, value: float | None = None) -> None:
        self.option = option
        self.value = option.current if value is None else float(value)
        self.typed = ""

    @property
    def unit(self) -> float:
        """What one arrow press adds: the step, or a twentieth of the range."""
        o = self.option
        return o.step if o.step > 0 else (o.max - o.min) / FREE_STEPS

    def step(self, presses: int) -> None:
        """Move by `presses` steps, staying within the range and on the step (a typed text
        is dropped)."""
        o = self.option
        self.typed = ""
        value = self.value + presses * self.unit
        if o.step > 0:
            value = o.min + round((value - o.min) / o.step) * o.step
        self.value = min(o.max, max(o.min, value))

    def type(self, char: str) -> None:
        """Add one typed character (digits, a point, a minus sign; others are ignored)."""
        if char in TYPED and len(self.typed) < 12:
            self.typed += char

    def erase(self) -> None:
        """Take back the last typed character."""
        self.typed = self.typed[:-1]

    def commit(self) -> str:
        """Make the typed text the value if it is a number the seat may choose; "" when it
        did (or nothing was typed), else what is wrong with it (the value stays)."""
        if not self.typed:
            return ""
        o, text = self.option, self.typed
        self.typed = ""
        try:
            value = float(text)
        except ValueError:
            return f"'{text}' is not a number."
        if not math.isfinite(value) or not o.min <= value <= o.max:
            return f"{o.name} must lie between {o.min:g} and {o.max:g}."
        if not on_step(value, o.min, o.step):
            return f"{o.name} moves in steps of {o.step:g} from {o.min:g}."
        self.value = value
        return ""

    def shown(self) -> str:
        """The number as the card shows it: the typed text with a cursor, or the value."""
        return f"{self.typed}_" if self.typed else f"{self.value:g}"

    def share(self) -> float:
        """Where the value lies in the range, from 0 to 1."""
        o = self.option
        return (self.value - o.min) / (o.max - o.min)
