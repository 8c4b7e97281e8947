"""Bots never take an illegal action: 1,000 seeded all-bot games of every bundled scenario.

The engine checks every action (`Game.play_phase`, which the simulator uses, raises
ActionError on an illegal one, as `apply_inplace` does), so a game that finishes is a game of
legal actions. Strategies rotate over a cheap mix.
"""

from __future__ import annotations

import pytest

from game.analysis.simulate import simulate
from game.bots import strategies_for
from game.scenario.load import load_scenario
from tests.conftest import bundled_scenarios

GAMES = 1000
MIXES = 4
WARM = 6


def _mix(scenario, k: int) -> dict[str, str]:
    """The k-th cheap mix: each role's strategies in turn, without the costly planners
    (`craft`, and `adaptive` seats, which also plan like craft) except in the last mix."""
    out = {}
    for role in (r.id for r in scenario.roles):
        choices = strategies_for(scenario, role)
        if k == MIXES - 1:
            out[role] = "adaptive" if "adaptive" in choices else choices[0]
            continue
        cheap = [s for s in choices if s not in ("craft", "adaptive")]
        out[role] = cheap[k % len(cheap)]
    return out


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_bots_only_take_legal_actions(path):
    scenario = load_scenario(path)
    played = 0
    for k in range(MIXES):
        mix = _mix(scenario, k)
        # A few games in this process first: forked workers then start with warm plans.
        warm = simulate(scenario, WARM, seed=100 + k, strategies=mix, progress=False)
        rest = simulate(scenario, GAMES // MIXES - WARM, seed=k, strategies=mix, workers=2,
                        progress=False)
        played += warm.runs + rest.runs
    assert played == GAMES
