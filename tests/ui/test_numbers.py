"""The work screen's number cards: Left/Right step a number within its range and on its step,
typed digits replace it once Enter (or moving on) makes them count, and a bad number is
refused with a message, never a crash."""

from __future__ import annotations

import pygame

from game.engine.actions import NumberOption
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.number_entry import NumberEntry
from game.ui.play import Play
from game.ui.scenes import scene_for_step
from tests.engine.test_decisions import COMMONS
from tests.ui.driver import frames, key, next_choice, screen_text

CATCH = NumberOption(id="catch", name="Catch", min=0, max=10, step=0.5, current=2)


def test_an_entry_steps_within_its_range_and_checks_what_is_typed():
    entry = NumberEntry(CATCH)
    entry.step(3)
    assert entry.value == 3.5
    entry.step(-100)
    assert entry.value == 0
    for char in "7.5x":
        entry.type(char)
    assert entry.shown() == "7.5_"
    assert entry.commit() == "" and entry.value == 7.5
    for text, words in (("12", "between 0 and 10"), ("7.3", "steps of 0.5"), ("1-", "not a")):
        for char in text:
            entry.type(char)
        assert words in entry.commit()
        assert entry.value == 7.5
    free = NumberEntry(CATCH.model_copy(update={"step": 0.0}))
    free.step(1)
    assert free.value == 2.5


def _boat_screen(app):
    scenario = load_scenario(COMMONS)
    seats = [SeatSetup(role="warden", name="Warden", controller="bot:hype"),
             SeatSetup(role="boat", name="Ana", controller="human"),
             SeatSetup(role="boat", name="Boat 2", controller="bot:gamer")]
    play = Play.start(scenario, str(COMMONS), 4, seats)
    while True:
        step = next_choice(play)
        scene = scene_for_step(app, play)
        if scene.name == "employee":
            return scene
        play.submit(play.bot_choice(step.seat))


def test_a_boat_chooses_its_catch_with_the_keys(app, monkeypatch):
    scene = _boat_screen(app)
    app.go(scene)
    frames(app, 3)
    assert "choose your numbers" in screen_text(app)
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RIGHT)
    assert scene.action().numbers == {"catch": 3.0}
    for char in "9.5":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
        frames(app, 1)
    assert "9.5_" in screen_text(app)
    key(app, pygame.K_RETURN)
    assert scene.action().numbers == {"catch": 9.5}
    for char in "11":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
        frames(app, 1)
    key(app, pygame.K_RETURN)
    assert "between 0 and 10" in screen_text(app)
    submitted = []
    monkeypatch.setattr(scene, "submit", submitted.append)
    key(app, pygame.K_RETURN)
    assert submitted and submitted[0].numbers == {"catch": 9.5}
