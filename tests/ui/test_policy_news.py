"""Players see how they are scored: the employee's screen says what earns review points under
the policies in force, and every policy change is announced on the public news screen."""

from __future__ import annotations

from game.engine import SetPolicies
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.play import Play
from game.ui.scenes import scene_for_step
from game.ui.scenes.news import NewsScene
from tests.conftest import TINY
from tests.ui.driver import frames, screen_text

SEATS = [SeatSetup(role="manager", name="Max", controller="human"),
         SeatSetup(role="employee", name="Ana", controller="human"),
         SeatSetup(role="employee", name="Bea", controller="bot:random")]


def _after_policies(levels: dict[str, int]) -> Play:
    """A table whose manager, Max, has just set `levels` in the first turn."""
    play = Play.start(load_scenario(TINY), str(TINY), 4, SEATS)
    assert play.next_step().kind == "news"
    play.news_seen()
    while play.state.phase == "policy":
        step = play.next_step()
        if step.kind == "handoff":
            play.passed(step.seat)
        else:
            play.submit(SetPolicies(seat=step.seat, levels=levels))
    return play


def test_a_policy_change_is_announced_before_anyone_works(app):
    play = _after_policies({"leaderboard": 1, "outcomes": 0})
    assert play.next_step().kind == "news"
    app.go(NewsScene(app, play))
    frames(app, 2)
    text = " ".join(screen_text(app).split())
    assert "new policies" in text
    assert "Token leaderboard: now on (was off)." in text
    assert "Employee: points for Tokens (compared with the others)." in text
    play.news_seen()
    assert play.next_step().kind in ("handoff", "seat")


def test_no_change_means_no_policy_news():
    play = _after_policies({"leaderboard": 0, "outcomes": 0})
    assert play.next_step().kind in ("handoff", "seat")


def test_the_employee_screen_says_what_earns_points_this_week(app):
    play = _after_policies({"leaderboard": 0, "outcomes": 2})
    play.news_seen()
    step = play.next_step()
    play.passed(step.seat)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    assert app.scene.name == "employee"
    text = " ".join(screen_text(app).split())
    assert "How you earn points" in text
    assert "Base review: points for Output." in text
    assert "New: Outcome metrics (strong): points for Output." in text
