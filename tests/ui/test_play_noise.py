"""A game started in the window draws its readings' noise from a fresh secret; a demo, where
nobody plays, from the seed, so the same seed gives the same screens."""

from __future__ import annotations

from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.play import Play
from tests.conftest import TINY

SEATS = [SeatSetup(role="manager", name="Max", controller="bot:hype"),
         SeatSetup(role="employee", name="Ana", controller="human"),
         SeatSetup(role="employee", name="Bea", controller="bot:gamer")]


def test_a_played_game_has_its_own_secret_and_a_demo_none():
    scenario = load_scenario(TINY)
    one, two = (Play.start(scenario, str(TINY), 5, SEATS) for _ in range(2))
    assert len(one.session.secret) == 32 and one.session.secret != two.session.secret
    demo = Play.start(scenario, str(TINY), 5, SEATS, demo=True)
    assert demo.session.secret == ""
