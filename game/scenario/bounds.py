"""The bounds a designer documents for constants (`constant_bounds:`), checked on loading.

`constant_bounds: {growth: [0.1, 0.6]}` says which values a constant may sensibly take: the
file's own value must lie within them, and `goodhart sweep` tries no value outside them.
"""

from __future__ import annotations

from game.scenario.compiled import RuleError
from game.scenario.model import Scenario

__all__ = ["check_constant_bounds", "outside_bounds"]


def check_constant_bounds(s: Scenario) -> None:
    """RuleError unless every bounded name is a constant, its bounds run low to high, and its
    value lies within them."""
    for name, (low, high) in s.constant_bounds.items():
        if name not in s.constants:
            known = ", ".join(s.constants) or "none"
            raise RuleError(("constant_bounds", name), f"'{name}' is not a constant "
                                                       f"(constants: {known})")
        if low > high:
            raise RuleError(("constant_bounds", name), f"the bounds of '{name}' are "
                                                       f"[{low:g}, {high:g}]; write [low, high]")
        problem = outside_bounds(s, name, s.constants[name])
        if problem:
            raise RuleError(("constants", name), f"{problem} (constant_bounds)")


def outside_bounds(s: Scenario, name: str, value: float) -> str | None:
    """Why `value` is outside the documented bounds of constant `name`, or None when it is
    within them (or the constant has none)."""
    bounds = s.constant_bounds.get(name)
    if bounds is None or bounds[0] <= value <= bounds[1]:
        return None
    return f"{name}={value:g} is outside its bounds [{bounds[0]:g}, {bounds[1]:g}]"
