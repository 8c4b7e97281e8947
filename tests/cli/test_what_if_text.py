"""The text game's reveal prints the what-if comparison, only when the scenario declares one."""

from __future__ import annotations

from game.cli.text_game import render_reveal
from game.engine.game import Game
from game.engine.save import Session
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.workshop.run import play_to_end
from tests.analysis.test_what_if import with_regimes
from tests.conftest import TINY

SEATS = [SeatSetup(role="manager", name="Mo", controller="bot:hype"),
         SeatSetup(role="employee", name="Ana", controller="bot:gamer"),
         SeatSetup(role="employee", name="Bo", controller="bot:craft")]


def ended(scenario) -> Session:
    session = Session(Game(scenario), 21, SEATS)
    play_to_end(session)
    return session


def test_the_reveal_sets_the_what_if_beside_the_game(tmp_path):
    session = ended(load_scenario(with_regimes(tmp_path)))
    text = render_reveal(session.game.scenario, session.state, {}, session.seats)
    assert 'What if: the same company under "' in text
    assert "this game   what if" in text and "Goodhart gap" in text


def test_a_scenario_without_regimes_prints_nothing_extra():
    session = ended(load_scenario(TINY))
    text = render_reveal(session.game.scenario, session.state, {}, session.seats)
    assert "What if" not in text
