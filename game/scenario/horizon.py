"""How many turns a planning bot looks ahead in a scenario (`bots: {horizon: N}`).

A scenario may set the horizon. Without it, the horizon is derived from the delays that only a
bot looking ahead can see: the longest delay of the file's flows between seats, plus the turn
the choice is made in, capped at `DEFAULT_CAP` turns (a forecast costs about one turn's
planning per turn of horizon). A file without flows keeps the one-turn planning that every
scenario written before horizons was balanced with, delays or not: its bots choose as they
always did (tests/engine/golden.json holds their games).
"""

from __future__ import annotations

from game.scenario.model import Scenario

DEFAULT_CAP = 6
"""The longest horizon a scenario gets without asking for it."""


def longest_flow_delay(scenario: Scenario) -> int:
    """The longest delay, in turns, of the scenario's flows between seats (0 with none)."""
    return max((flow.delay for flow in getattr(scenario, "flows", None) or ()), default=0)


def planning_horizon(scenario: Scenario) -> int:
    """The turns, from 1, that a planning bot weighs its own review over: the scenario's
    `bots.horizon` if set, else one more than its longest flow delay, at most `DEFAULT_CAP`."""
    if scenario.bots.horizon is not None:
        return scenario.bots.horizon
    return min(DEFAULT_CAP, longest_flow_delay(scenario) + 1)
