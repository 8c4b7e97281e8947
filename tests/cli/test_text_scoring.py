"""The text game tells players how they are scored and announces every policy change."""

from __future__ import annotations

import io

from game.cli.text_game import TextGame, render_view
from game.engine import Game, SetPolicies
from game.engine.save import Session
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from tests.conftest import TINY

SEATS = [SeatSetup(role="manager", name="Mo"), SeatSetup(role="employee", name="Ana"),
         SeatSetup(role="employee", name="Bo", controller="bot:random")]


def test_policy_changes_are_news_and_the_work_prompt_says_what_earns_points():
    session = Session(Game(load_scenario(TINY)), 1, SEATS)
    answers = iter(["1=1", "1=10", "", "", "", "", "", "", "50", "50"])
    out = io.StringIO()
    TextGame(session, out, lambda: next(answers, None)).run()
    text = out.getvalue()
    assert "POLICY (week 1): Token leaderboard: now on (was off)." in text
    assert "Employee: points for Tokens (compared with the others)." in text
    work = " ".join(text[text.index("POLICY (week 1)"):text.index("effort> ")].split())
    assert "How you earn review points" in work
    assert "New: Token leaderboard: points for Tokens (compared with the others)." in work
    assert text.count("POLICY (week") == 1          # kept the same afterwards: no more news


def test_the_screen_lists_the_base_review_and_each_active_term():
    game = Game(load_scenario(TINY))
    state = game.new_state(1, SEATS)
    state = game.apply(state, SetPolicies(seat=0, levels={"leaderboard": 0, "outcomes": 1}))
    screen = render_view(game.scenario, game.view(state, 1))
    assert "  - Base review: points for Output." in screen
    assert "  - New: Outcome metrics (light): points for Output." in screen
