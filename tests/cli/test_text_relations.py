"""The text game shows a seat its neighbours in the order and what is on its way to it."""

from __future__ import annotations

from game.cli.text_screens import render_view
from game.engine import Game
from game.scenario.load import load_scenario, load_scenario_text
from tests.conftest import ROOT

CHAIN = ROOT / "tests" / "engine" / "fixtures" / "chain.yaml"


def test_a_seat_in_a_chain_sees_its_neighbours_and_what_a_visible_flow_brings():
    text = CHAIN.read_text().replace("initial: 3}", "initial: 3, visible: true}")
    game = Game(load_scenario_text(text, "chain"))
    state = game.new_state(1)
    screen = render_view(game.scenario, game.view(state, 1))
    assert "Next to you: upstream Stage 1, downstream Stage 3" in screen
    assert "On the way: 3 (goods), arriving in turn 1" in screen
    assert "On the way" not in render_view(game.scenario, game.view(state, 0))


def test_a_flow_that_is_not_visible_shows_nothing_on_the_way():
    game = Game(load_scenario(CHAIN))
    screen = render_view(game.scenario, game.view(game.new_state(1), 1))
    assert "Next to you" in screen and "On the way" not in screen


def test_a_scenario_without_an_order_shows_no_neighbours():
    game = Game(load_scenario(ROOT / "scenarios" / "example.yaml"))
    assert "Next to you" not in render_view(game.scenario, game.view(game.new_state(1), 1))
