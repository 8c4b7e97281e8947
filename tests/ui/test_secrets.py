"""No screen shows one seat another seat's secrets.

Two worlds with the same seed differ only in what Ana (employee 1) chooses. Whatever she
chose, Bea's hand-off and Bea's own screen in the same turn draw exactly the same text; and on
every seat screen of a whole game, no number of another seat's private stats or choices, nor
the true value of a hidden, lagged or noisy metric, is drawn."""

from __future__ import annotations

import pygame
import pytest

from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.play import Play
from game.ui.scenes import scene_for_step
from tests.ui.driver import focus, frames, key, numbers_on_screen, until_scene
from tests.ui.leaks import leaked

SEATS = [SeatSetup(role="manager", name="Max", controller="bot:hype"),
         SeatSetup(role="employee", name="Ana", controller="human"),
         SeatSetup(role="employee", name="Bea", controller="human")]


def start(app, tiny: str, seed: int = 5) -> Play:
    play = Play.start(load_scenario(tiny), tiny, seed, SEATS)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    return play


def through_news(app) -> None:
    while app.scene.name == "news":
        key(app, pygame.K_RETURN)


def pass_handoff(app) -> None:
    until_scene(app, "handoff")
    frames(app, 20)
    key(app, pygame.K_SPACE)


def allocate(app, card: int, points: int) -> None:
    until_scene(app, "employee")
    focus(app, f"card{card}")
    for _ in range(points):
        key(app, pygame.K_RIGHT, settle=1)
    key(app, pygame.K_RETURN)
    if app.scene.name == "employee":
        key(app, pygame.K_RETURN)


def bea_sees(app, tiny: str, ana_card: int, turns: int = 2) -> list[list[str]]:
    """What is drawn for Bea (hand-off, then her screen) each turn, Ana playing `ana_card`."""
    start(app, tiny)
    seen = []
    for _ in range(turns):
        through_news(app)
        pass_handoff(app)
        allocate(app, ana_card, 10)
        until_scene(app, "handoff")
        frames(app, 1)
        handoff = sorted(app.visible_texts())
        pass_handoff(app)
        until_scene(app, "employee")
        frames(app, 1)
        seen.append(handoff + sorted(app.visible_texts()))
        allocate(app, 0, 5)
    return seen


def test_bea_sees_the_same_whatever_ana_chose_this_turn(app, tiny):
    work = bea_sees(app, tiny, ana_card=0, turns=1)
    farm = bea_sees(app, tiny, ana_card=1, turns=1)
    assert work == farm


def test_no_seat_screen_draws_another_seats_secrets(app, tiny):
    play = start(app, tiny, seed=9)
    checked = 0
    while not play.game.is_terminal(play.state):
        name = app.scene.name
        if name in ("employee", "manager"):
            seat = app.scene.view.seat
            for card in range(len(app.scene.options)):
                focus(app, f"card{card}")
                key(app, pygame.K_RIGHT, settle=1)
                assert not leaked(play, seat, numbers_on_screen(app)), seat
            checked += 1
            key(app, pygame.K_RETURN)
            if app.scene.name == name:
                key(app, pygame.K_RETURN)
        elif name == "handoff":
            frames(app, 20)
            key(app, pygame.K_SPACE)
        else:
            key(app, pygame.K_RETURN)
    assert checked >= 2 * play.scenario.turns - 2   # both people, most turns (one is laid off)


def test_the_manager_sees_why_a_choice_is_refused(app, tiny):
    seats = [SeatSetup(role="manager", name="Max", controller="human"),
             SeatSetup(role="employee", name="Ana", controller="bot:gamer")]
    play = Play.start(load_scenario(tiny), tiny, 3, seats)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    through_news(app)
    until_scene(app, "manager")
    focus(app, "card0")
    key(app, pygame.K_RIGHT)            # token leaderboard on
    focus(app, "card1")
    key(app, pygame.K_RIGHT)            # outcome metrics on: they exclude each other
    text = "\n".join(app.visible_texts())
    assert "clashes with" in text
    key(app, pygame.K_RETURN)
    assert app.scene.name == "manager"  # refused: the screen stays, with the engine's reason
    assert "cannot be active together" in app.scene.message
    assert play.state.phase == "policy"
    focus(app, "card0")
    key(app, pygame.K_LEFT)             # leaderboard off again
    key(app, pygame.K_RETURN)
    assert play.state.phase != "policy" or play.state.turn > 1


@pytest.mark.parametrize("points", [11, 25])
def test_an_employee_cannot_spend_more_than_their_points(app, tiny, points):
    play = start(app, tiny)
    through_news(app)
    pass_handoff(app)
    until_scene(app, "employee")
    focus(app, "card0")
    for _ in range(points):
        key(app, pygame.K_RIGHT, settle=1)
    assert app.scene.points["work"] == 10
    assert "No points left" in app.scene.message
    assert play.state.phase == "work"
