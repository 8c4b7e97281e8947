"""Scenario files: the schema, loading with file:line errors, formulas, rules and lint.

The usual entry point is `load_scenario(path_or_bundled_name)`, which returns a validated,
immutable `Scenario` whose compiled rules `game.scenario.rules.rules_for` returns at once.
"""

from game.scenario.load import list_bundled, load_scenario, scenario_hash, source_of
from game.scenario.model import Scenario

__all__ = ["Scenario", "list_bundled", "load_scenario", "scenario_hash", "source_of"]
