"""How many turns a planning bot looks ahead in a scenario (`bots: {horizon: N}`).

A scenario may set the horizon. Without it, the horizon is derived from the flows between
seats, the delays that only a bot looking ahead can see: long enough for a choice to travel
to a neighbour and back. A flow delivers at the end of a turn, so a hop of delay `d` is read
`d + 1` turns after it is sent; the default is the turn of the choice plus one hop each way
(the longest delay of each direction the file's flows take), at most `DEFAULT_CAP` turns (a
forecast costs about one turn's planning per turn of horizon). A file without flows keeps
the one-turn planning that every scenario written before horizons was balanced with, delays
or not: its bots choose as they always did (tests/engine/golden.json holds their games).
"""

from __future__ import annotations

from game.scenario.model import Scenario

DEFAULT_CAP = 6
"""The longest horizon a scenario gets without asking for it."""


def flow_hops(scenario: Scenario) -> int:
    """Turns for a choice to go to a neighbour and come back by the file's flows: for each
    direction they take, one more than its longest delay (0 without flows)."""
    longest: dict[str, int] = {}
    for flow in scenario.flows:
        longest[flow.direction] = max(longest.get(flow.direction, 0), flow.delay)
    return sum(delay + 1 for delay in longest.values())


def planning_horizon(scenario: Scenario) -> int:
    """The turns, from 1, that a planning bot weighs its own review over: the scenario's
    `bots.horizon` if set, else the turn of the choice plus `flow_hops`, at most
    `DEFAULT_CAP`."""
    if scenario.bots.horizon is not None:
        return scenario.bots.horizon
    return min(DEFAULT_CAP, flow_hops(scenario) + 1)
