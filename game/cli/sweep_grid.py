"""The grid of `goodhart sweep` from its command-line words: `--vary` and `--lock` axes.

Every mistake is a click.BadParameter of one line: an unknown constant, policy or level, a
value that is not a number, a range that is not `low:high:steps`, a value the scenario's
checks refuse (placed in the file), locks that cannot hold together, a grid too large.
"""

from __future__ import annotations

import difflib
import itertools
import math

import click

from game.analysis.sweep import (
    MAX_CELLS,
    Axis,
    cells_of,
    constant_label,
    regime_axis,
    scenario_with,
)
from game.cli.simulate_command import parse_locks
from game.errors import ScenarioError
from game.scenario.bounds import outside_bounds
from game.scenario.model import Scenario
from game.scenario.source import Source, position

__all__ = ["check_lock_combinations", "grid_size", "parse_lock_axes", "parse_regimes",
           "parse_vary", "scenarios_for"]

MAX_STEPS = 100


def _unknown(kind: str, name: str, known: list[str], scenario: Scenario, option: str):
    """The one-line error for a name the scenario does not have, with a guess."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    listed = ", ".join(known) if len(known) <= 12 else ", ".join(known[:12]) + ", ..."
    plural = {"policy": "policies"}.get(kind, f"{kind}s")
    return click.BadParameter(f"{scenario.id} has no {kind} '{name}'{hint} "
                              f"({plural}: {listed or 'none'})", param_hint=option)


def _number(text: str, spec: str) -> float:
    """A finite number from one word of a `--vary` value."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise click.BadParameter(f"'{text.strip()}' in '{spec}' is not a number",
                                 param_hint="--vary")
    return value


def _values(text: str, spec: str) -> list[float]:
    """`a,b,c` as a list, or `low:high:steps` as `steps` evenly spaced values, ends included."""
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise click.BadParameter(f"'{spec}': a range is LOW:HIGH:STEPS, e.g. 0.2:0.5:4",
                                     param_hint="--vary")
        low, high = _number(parts[0], spec), _number(parts[1], spec)
        steps = parts[2].strip()
        if not steps.isdigit() or not 2 <= int(steps) <= MAX_STEPS:
            raise click.BadParameter(f"'{spec}': STEPS must be a whole number from 2 to "
                                     f"{MAX_STEPS} (got '{steps}')", param_hint="--vary")
        n = int(steps)
        return [float(f"{low + (high - low) * i / (n - 1):.10g}") for i in range(n)]
    return [_number(word, spec) for word in text.split(",")]


def _check_bounds(scenario: Scenario, source: Source, name: str, values: list[float]) -> None:
    """click.BadParameter for the first value outside the constant's documented bounds."""
    for value in values:
        problem = outside_bounds(scenario, name, value)
        if problem:
            line, _ = position(source.tree, ("constant_bounds", name))
            raise click.BadParameter(f"{problem} (constant_bounds, {source.name}:{line})",
                                     param_hint="--vary")


def parse_vary(scenario: Scenario, source: Source, specs: tuple[str, ...]) -> list[Axis]:
    """`CONSTANT=a,b,c` or `CONSTANT=low:high:steps` words as axes, in the order given; each
    value within the constant's documented bounds (`constant_bounds:`), if it has any."""
    axes: list[Axis] = []
    for spec in specs:
        name, sep, text = spec.partition("=")
        name = name.strip()
        if not sep or not name or not text.strip():
            raise click.BadParameter(f"'{spec}' should be CONSTANT=a,b,c or "
                                     "CONSTANT=LOW:HIGH:STEPS", param_hint="--vary")
        if name not in scenario.constants:
            raise _unknown("constant", name, list(scenario.constants), scenario, "--vary")
        if any(a.name == name for a in axes):
            raise click.BadParameter(f"'{name}' is varied twice; give all its values in one "
                                     "--vary", param_hint="--vary")
        values = _values(text, spec)
        if len(set(values)) < len(values):
            raise click.BadParameter(f"'{spec}' repeats a value", param_hint="--vary")
        _check_bounds(scenario, source, name, values)
        axes.append(Axis(name, "constant", tuple(values),
                         tuple(constant_label(v) for v in values)))
    return axes


def parse_lock_axes(scenario: Scenario, specs: tuple[str, ...]
                    ) -> tuple[list[Axis], dict[str, int]]:
    """`POLICY=LEVEL[,LEVEL...]` words: a policy with several levels is an axis, one with a
    single level is held in every cell. Returns (axes, held)."""
    axes: list[Axis] = []
    held: dict[str, int] = {}
    policies = {p.id: p for p in scenario.policies}
    for spec in specs:
        pid, sep, text = spec.partition("=")
        pid = pid.strip()
        if not sep or not pid or not text.strip():
            raise click.BadParameter(f"'{spec}' should be POLICY=LEVEL or POLICY=LEVEL,LEVEL",
                                     param_hint="--lock")
        if pid not in policies:
            raise _unknown("policy", pid, list(policies), scenario, "--lock")
        if pid in held or any(a.name == pid for a in axes):
            raise click.BadParameter(f"'{pid}' is locked twice; give all its levels in one "
                                     "--lock", param_hint="--lock")
        levels = [parse_locks(scenario, (f"{pid}={word.strip()}",))[pid]
                  for word in text.split(",")]
        if len(set(levels)) < len(levels):
            raise click.BadParameter(f"'{spec}' repeats a level", param_hint="--lock")
        if len(levels) == 1:
            held[pid] = levels[0]
        else:
            names = policies[pid].levels
            axes.append(Axis(pid, "policy", tuple(float(n) for n in levels),
                             tuple(names[n] for n in levels)))
    return axes, held


def parse_regimes(scenario: Scenario, wanted: bool) -> list[Axis]:
    """The `regime` axis when `--regimes` is given; click.BadParameter when the scenario
    declares no regime."""
    if not wanted:
        return []
    axis = regime_axis(scenario)
    if axis is None:
        raise click.BadParameter(f"{scenario.id} declares no what-if regimes (debrief: "
                                 "what_if, see scenarios/AUTHORING.md 2.12)",
                                 param_hint="--regimes")
    return [axis]


def grid_size(axes: list[Axis]) -> int:
    """The number of cells; click.BadParameter when it is over MAX_CELLS."""
    size = math.prod(len(a.values) for a in axes)
    if size > MAX_CELLS:
        shape = " x ".join(f"{len(a.values)} {a.name}" for a in axes)
        raise click.BadParameter(f"{size} cells ({shape}); a sweep has at most {MAX_CELLS}: "
                                 "vary fewer values", param_hint="--vary/--lock")
    return size


def check_lock_combinations(scenario: Scenario, axes: list[Axis], held: dict[str, int]) -> None:
    """Every cell's locks must be legal together (no exclusion, within the role's budget);
    click.BadParameter naming the first cell whose locks are not."""
    lock_axes = [a for a in axes if a.kind != "constant"]
    for cell in cells_of(lock_axes):
        locks = cell.locks(lock_axes, held)
        try:
            parse_locks(scenario, tuple(f"{pid}={n}" for pid, n in locks.items()))
        except click.BadParameter as err:
            where = ", ".join(f"{a.name}={label}" for a, label in zip(lock_axes, cell.labels))
            raise click.BadParameter(f"{err.message} (in the cell {where})" if where
                                     else err.message, param_hint="--lock") from None


def scenarios_for(scenario: Scenario, source: Source,
                  axes: list[Axis]) -> dict[tuple[float, ...], Scenario]:
    """The scenario rebuilt for every combination of the varied constants (by their values
    in axis order); click.BadParameter naming the value when the scenario's checks refuse it."""
    constant_axes = [a for a in axes if a.kind == "constant"]
    out: dict[tuple[float, ...], Scenario] = {}
    for combo in itertools.product(*[a.values for a in constant_axes]):
        values = {a.name: v for a, v in zip(constant_axes, combo)}
        try:
            out[combo] = scenario_with(scenario, source, values)
        except ScenarioError as err:
            shown = ", ".join(f"{k}={constant_label(v)}" for k, v in values.items())
            raise click.BadParameter(f"with {shown}, {scenario.id} no longer passes its "
                                     f"checks: {err}", param_hint="--vary") from None
    return out
