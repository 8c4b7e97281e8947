"""A designer's grid: the same simulation over combinations of constants and locked policies.

Each axis varies one constant of the scenario (`constants:`) or one policy held at a level.
A cell is one combination: the scenario rebuilt with its constants replaced (validated and
checked as a file would be, see `scenario_with`), the policies locked, and a batch of all-bot
games (`run_cell`, the one place that calls the simulator) judged by the scenario's own
lessons (`game.analysis.lesson_check.judge`). Every cell uses the same seed, so two cells
differ by their parameters, not by luck.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import ValidationError

from game.analysis.lesson_check import Verdict, judge
from game.analysis.simulate import simulate
from game.analysis.summary import SimulationSummary
from game.errors import ScenarioError
from game.scenario.compiled import RuleError
from game.scenario.cost import game_cost, over_budget
from game.scenario.lint import check_scenario
from game.scenario.model import Scenario
from game.scenario.rules import rules_for, what_if_locks
from game.scenario.source import Source, position

__all__ = ["MAX_CELLS", "Axis", "Cell", "CellResult", "cells_of", "regime_axis", "run_cell",
           "scenario_with", "sweep"]

MAX_CELLS = 400
"""The most cells a sweep may have."""


@dataclass(frozen=True)
class Axis:
    """One varied thing: a constant over values, a policy over level numbers, or the
    scenario's what-if regimes (value i: the i-th regime, whose locks are `regime_locks[i]`)."""

    name: str
    kind: Literal["constant", "policy", "regime"]
    values: tuple[float, ...]
    labels: tuple[str, ...]
    """How each value is shown: `0.35`, a level's name (`on`), a regime's name."""
    regime_locks: tuple[dict[str, int], ...] = ()


@dataclass(frozen=True)
class Cell:
    """One combination of the axes' values (in axis order)."""

    values: tuple[float, ...]
    labels: tuple[str, ...]

    def constants(self, axes: list[Axis]) -> dict[str, float]:
        """The constants this cell sets."""
        return {a.name: v for a, v in zip(axes, self.values) if a.kind == "constant"}

    def locks(self, axes: list[Axis], fixed: dict[str, int] | None = None) -> dict[str, int]:
        """The policy levels this cell holds: its regime's locks, then the `fixed` ones, then
        its policy axes' levels (each over the one before)."""
        held: dict[str, int] = {}
        for a, v in zip(axes, self.values):
            if a.kind == "regime":
                held |= a.regime_locks[int(v)]
        held |= fixed or {}
        held |= {a.name: int(v) for a, v in zip(axes, self.values) if a.kind == "policy"}
        return held


@dataclass(frozen=True)
class CellResult:
    """What a cell's games came to: mean indices, gap, and the lesson's verdict."""

    cell: Cell
    runs: int
    proxy_start: float
    proxy_end: float
    health_start: float
    health_end: float
    gap: float
    verdict: Verdict = field(default_factory=lambda: Verdict(None, ()))


def cells_of(axes: list[Axis]) -> list[Cell]:
    """Every combination of the axes' values, the last axis changing fastest."""
    return [Cell(tuple(v for v, _ in combo), tuple(label for _, label in combo))
            for combo in itertools.product(*[list(zip(a.values, a.labels)) for a in axes])]


def regime_axis(scenario: Scenario) -> Axis | None:
    """The scenario's what-if regimes as an axis named `regime` (None when it declares none)."""
    regimes = scenario.debrief.what_if
    if not regimes:
        return None
    return Axis("regime", "regime", tuple(float(i) for i in range(len(regimes))),
                tuple(r.name for r in regimes),
                tuple(what_if_locks(scenario, r) for r in regimes))


def scenario_with(scenario: Scenario, source: Source, constants: dict[str, float]) -> Scenario:
    """The scenario with `constants` replaced, validated, compiled and linted as a file with
    those numbers would be; ScenarioError (at the place in `source` that the new value breaks)
    when it would not load, or lint finds an error, or a game would exceed the size budget."""
    if not constants:
        return scenario
    data = scenario.model_dump()
    data["constants"] = {**data["constants"], **constants}
    try:
        changed = Scenario.model_validate(data)
        rules = rules_for(changed)
    except ValidationError as err:
        raise ScenarioError(err.errors(include_url=False)[0]["msg"], file=source.name) from None
    except RuleError as err:
        raise _at(source, err.loc, err.message) from None
    errors = [f for f in check_scenario(changed, rules) if f.severity == "error"]
    if errors:
        raise _at(source, errors[0].loc, errors[0].message)
    refusal = over_budget(game_cost(changed))
    if refusal is not None:
        raise ScenarioError(refusal, file=source.name)
    return changed


def _at(source: Source, loc: tuple, message: str) -> ScenarioError:
    line, col = position(source.tree, loc)
    return ScenarioError(message, file=source.name, line=line, col=col)


def run_cell(scenario: Scenario, runs: int, seed: int, strategies: dict[str, str],
             workers: int, locked: dict[str, int]) -> SimulationSummary:
    """The simulated games of one cell (the one call to the simulator, so a faster engine
    can take its place): their summary, with the records."""
    return simulate(scenario, runs, seed, strategies, workers=workers, progress=False,
                    locked=locked)


def result_of(scenario: Scenario, cell: Cell, summary: SimulationSummary) -> CellResult:
    """A cell's result from its games' summary."""
    return CellResult(cell=cell, runs=summary.runs, proxy_start=summary.proxy_start,
                      proxy_end=summary.proxy_end_mean, health_start=summary.health_start,
                      health_end=summary.health_end_mean, gap=summary.gap_end_mean,
                      verdict=judge(scenario, summary.records))


Runner = Callable[[Scenario, int, int, dict[str, str], int, dict[str, int]], SimulationSummary]


def sweep(scenarios: dict[tuple[float, ...], Scenario], axes: list[Axis], fixed: dict[str, int],
          runs: int, seed: int, strategies: dict[str, str], workers: int = 1,
          runner: Runner | None = None) -> Iterator[CellResult]:
    """Each cell's result in grid order. `scenarios` maps a cell's constant values (in axis
    order) to its rebuilt scenario; `fixed` are the policies held in every cell; `runner`
    plays a cell's games (default `run_cell`)."""
    runner = runner or run_cell
    for cell in cells_of(axes):
        key = tuple(cell.constants(axes).values())
        scenario = scenarios[key]
        summary = runner(scenario, runs, seed, strategies, workers, cell.locks(axes, fixed))
        yield result_of(scenario, cell, summary)


def constant_label(value: float) -> str:
    """A constant's value as a designer wrote it: `0.35`, `30`, `1e-05`."""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"
