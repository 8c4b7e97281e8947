"""Choosing numbers in the terminal game: the work menu lists them after the behaviours, a
typed `line=number` sets one, Enter repeats last turn, and a bad number is one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

from game.cli.text_help import effort_help
from game.cli.text_screens import describe_choice, parse_effort, render_effort_menu
from game.engine import Game, SetPolicies
from game.scenario.load import load_scenario
from tests.conftest import ROOT
from tests.engine.test_decisions import COMMONS


def _legal():
    game = Game(load_scenario(COMMONS))
    state = game.apply(game.new_state(1), SetPolicies(seat=0))
    return game, game.legal_actions(state, 1)


def test_the_menu_lists_each_number_with_its_range_and_last_value():
    game, legal = _legal()
    menu = render_effort_menu(legal)
    assert "1. Catch: 0 to 10, in steps of 0.5; last time 2" in menu
    assert "effort points" not in menu
    assert "in steps of 0.5" in effort_help(game.scenario, legal)


def test_a_typed_number_a_blank_line_and_a_mistake():
    game, legal = _legal()
    chosen = parse_effort(legal, "1=7.5", {})
    assert chosen.numbers == {"catch": 7.5} and chosen.effort == {}
    assert describe_choice(game.scenario, chosen) == "Catch 7.5"
    assert parse_effort(legal, "", {"catch": 4.0}).numbers == {"catch": 4.0}
    assert parse_effort(legal, "", {}).numbers == {"catch": 2.0}
    assert parse_effort(legal, "1=lots", {}) == "'lots' is not a number"
    assert parse_effort(legal, "2=1", {}) == "'2' is not on the list"
    assert parse_effort(legal, "1=nan", {}) == "'nan' is not a number"


def test_a_person_plays_a_boat_in_the_terminal(tmp_path):
    answers = "\n".join(["", "1=12", "1=7.5", "", "", "", "", "", "", ""]) + "\n"
    env = {**os.environ, "GOODHART_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", str(COMMONS), "--text", "--seed", "3",
         "--human", "boat:Ana"], input=answers, capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Catch must lie between 0 and 10" in done.stdout or \
        "'Catch' must lie between 0 and 10" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
