"""A whole game driven through the real event loop: title, picker, setup with two people and a
bot, hand-offs, both employees' screens, the news, and the seven-step reveal with its exports.
On every screen a seat sees, no number it may not see is drawn."""

from __future__ import annotations

import json

import pygame

from game.ui.scenes.title import TitleScene
from tests.ui.driver import (click, focus, focus_rect, frames, key, numbers_on_screen,
                             screen_text, type_text, until_scene)
from tests.ui.leaks import leaked


def rename(app, entry_key: str, name: str) -> None:
    focus(app, entry_key)
    for _ in range(30):
        key(app, pygame.K_BACKSPACE, settle=1)
    type_text(app, name)


def setup_two_people(app) -> None:
    """Employee 1 is Ana, employee 2 (a bot by default) becomes Bea; the manager stays a bot."""
    until_scene(app, "setup")
    rename(app, "name:1", "Ana")
    focus(app, "who:2")
    key(app, pygame.K_RIGHT)          # bot:adaptive -> person (the list wraps round)
    rename(app, "name:2", "Bea")
    text = screen_text(app)
    assert "Ana" in text and "Bea" in text and "Person" in text
    click(app, focus_rect(app, "start").center)


def play_employee(app, play, seat: int, points: list[int]) -> None:
    """On a seat's own screen: check it shows only its own things, spend points, confirm."""
    until_scene(app, "employee")
    scene = app.scene
    assert scene.view.seat == seat
    text = screen_text(app)
    assert play.session.seats[seat].name in text
    assert not leaked(play, seat, numbers_on_screen(app)), leaked(play, seat, numbers_on_screen(app))
    for card, n in enumerate(points):
        focus(app, f"card{card}")
        for _ in range(n):
            key(app, pygame.K_RIGHT, settle=1)
    assert scene.points == {b.id: n for b, n in zip(scene.options, points)}
    assert not leaked(play, seat, numbers_on_screen(app))
    key(app, pygame.K_RETURN)
    if sum(points) < scene.legal.effort:   # unused points: it asks once, Enter again confirms
        assert "not used" in screen_text(app)
        key(app, pygame.K_RETURN)


def pass_handoff(app, play, seat: int) -> None:
    until_scene(app, "handoff")
    text = screen_text(app)
    assert play.session.seats[seat].name in text
    others = [s.name for i, s in enumerate(play.session.seats) if i != seat]
    assert not any(name in text for name in others)
    assert not numbers_on_screen(app)      # no number of any seat on the hand-off screen
    frames(app, 20)                        # a key counts only once the screen has settled
    key(app, pygame.K_SPACE)


GUESSES = {1: (pygame.K_RIGHT, 2, 60.0), 2: (pygame.K_LEFT, 1, 45.0)}   # Ana 60, Bea 45


def guess_in_private(app, play, seat: int) -> None:
    """After the last turn each person guesses the health on their own screen; nobody else's
    guess is on it."""
    scene = app.scene
    assert scene.seat == seat and scene.private
    for other, (_, _, value) in GUESSES.items():
        if other != seat and other in play.predicted:
            assert f"{value:g}" not in numbers_on_screen(app)
    press, times, value = GUESSES[seat]
    for _ in range(times):
        key(app, press)
    assert f"{value:g}" in numbers_on_screen(app)
    key(app, pygame.K_RETURN)
    assert play.predictions[seat] == value


def play_turns(app) -> object:
    until_scene(app, "news")
    play = app.scene.play
    assert play.humans == [1, 2]
    splits = {1: [3, 7], 2: [8, 0]}
    while app.scene.name != "end":
        name = app.scene.name
        if name == "news":
            assert "leaderboard" in screen_text(app).lower()
            key(app, pygame.K_RETURN)
        elif name == "handoff":
            seat = app.scene.seat
            pass_handoff(app, play, seat)
            if app.scene.name == "predict":
                guess_in_private(app, play, seat)
            else:
                play_employee(app, play, seat, splits[seat])
        else:
            raise AssertionError(f"unexpected screen {name}")
        frames(app, 1)
    return play


def reveal(app, play, tmp_path) -> None:
    until_scene(app, "end")
    assert "Ana" in screen_text(app) and "Bea" in screen_text(app)
    assert play.predictions == {1: 60.0, 2: 45.0}      # guessed in private, before the end
    assert not {"60", "45"} & numbers_on_screen(app)   # and not shown before the reveal
    seen = []
    for _ in range(6):
        key(app, pygame.K_RETURN)
        seen.append(app.scene.layer)
        assert screen_text(app)
    assert seen == [2, 3, 4, 5, 6, 7]
    key(app, pygame.K_BACKSPACE)
    assert app.scene.layer == 6
    key(app, pygame.K_RETURN)
    key(app, pygame.K_e)
    folder = app.scene.exported
    assert folder is not None and "Exported to" in screen_text(app)
    data = json.loads((folder / "game.json").read_text())
    assert data["predictions"] == {"Ana": 60.0, "Bea": 45.0}
    assert (folder / "turns.csv").read_text().startswith("turn,proxy_index,health_index,gap")
    assert len(list(folder.glob("debrief-*.png"))) == 7


def test_title_to_end_with_two_people_and_a_bot(app, tiny, tmp_path):
    app.go(TitleScene(app, scenario=tiny, seed=11))
    frames(app, 2)
    assert "Goodhart" in screen_text(app)
    key(app, pygame.K_RETURN)                   # New game
    until_scene(app, "picker")
    assert "Tiny" in screen_text(app)
    key(app, pygame.K_RETURN)                   # the scenario given is preselected
    setup_two_people(app)
    play = play_turns(app)
    assert play.game.is_terminal(play.state)
    reveal(app, play, tmp_path)
    key(app, pygame.K_RETURN)                   # last step: leave? -> Enter: yes
    key(app, pygame.K_RETURN)
    until_scene(app, "title")
