"""10,000 random key, text and mouse events on every scene: nothing crashes.

Events go through the real loop in batches, a frame after each batch. When the events take
the app to another screen (or quit it), the scene under test is put back, so every scene
gets its full 10,000 events."""

from __future__ import annotations

import random
import string

import pygame
import pytest

from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.play import Play
from game.ui.scenes import scene_for_step
from game.ui.scenes.end import EndScene
from game.ui.scenes.handoff import HandoffScene
from game.ui.scenes.news import NewsScene
from game.ui.scenes.picker import PickerScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.title import TitleScene
from tests.conftest import TINY

EVENTS = 10_000
BATCH = 25
KEYS = [pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_SPACE,
        pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_BACKSPACE,
        pygame.K_DELETE, pygame.K_HOME, pygame.K_END, pygame.K_PAGEUP, pygame.K_PAGEDOWN,
        pygame.K_F1, pygame.K_F11, pygame.K_e, pygame.K_y, pygame.K_n, pygame.K_a, pygame.K_c,
        pygame.K_v, pygame.K_x, pygame.K_z, pygame.K_1, pygame.K_0, pygame.K_LSHIFT]
MOVING_ON = {pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_SPACE,
             pygame.K_BACKSPACE, pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_y}
WEIGHTS = [0.25 if k in MOVING_ON else 1.0 for k in KEYS]   # keys that leave the screen: rarer
MODS = [0, 0, 0, pygame.KMOD_SHIFT, pygame.KMOD_CTRL]
HUMANS = [SeatSetup(role="manager", name="Max", controller="human"),
          SeatSetup(role="employee", name="Ana", controller="human"),
          SeatSetup(role="employee", name="Bea", controller="bot:random")]


def random_event(rng: random.Random, size: tuple[int, int]) -> pygame.event.Event:
    r = rng.random()
    pos = (rng.randrange(-20, size[0] + 20), rng.randrange(-20, size[1] + 20))
    if r < 0.40:
        kind = pygame.KEYDOWN if rng.random() < 0.7 else pygame.KEYUP
        return pygame.event.Event(kind, key=rng.choices(KEYS, WEIGHTS)[0], mod=rng.choice(MODS),
                                  unicode="", scancode=0)
    if r < 0.50:
        return pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(string.printable[:95]))
    if r < 0.72:
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    if r < 0.92:
        kind = pygame.MOUSEBUTTONDOWN if rng.random() < 0.55 else pygame.MOUSEBUTTONUP
        return pygame.event.Event(kind, pos=pos, button=rng.choice([1, 1, 1, 3, 4, 5]))
    if r < 0.998:
        return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]),
                                  flipped=False)
    w, h = rng.randrange(640, 1921), rng.randrange(480, 1081)
    return pygame.event.Event(pygame.VIDEORESIZE, size=(w, h), w=w, h=h)


def _play(scenario: str | None = None) -> Play:
    scenario = scenario or str(TINY)
    return Play.start(load_scenario(scenario), scenario, 4, HUMANS)


def _at(kind: str, scenario: str | None = None):
    """A play advanced to the first screen of `kind` ('manager', 'employee', 'handoff')."""
    def make(app):
        play = _play(scenario)
        while True:
            step = play.next_step()
            if step.kind == "news":
                play.news_seen()
            elif step.kind == "handoff" and kind != "handoff":
                play.passed(step.seat)
            else:
                scene = scene_for_step(app, play) if kind != "handoff" else \
                    HandoffScene(app, play, step.seat)
                if scene.name == kind:
                    return scene
                play.submit(play.bot_choice(step.seat))
    return make


def _ended(app) -> EndScene:
    play = _play()
    while not play.game.is_terminal(play.state):
        play.session.act(play.bot_choice(play.game.to_act(play.state)[0]))
    return EndScene(app, play)


FACTORIES = {
    "title": lambda app: TitleScene(app),
    "picker": lambda app: PickerScene(app, str(TINY)),
    "setup": lambda app: SetupScene(app, load_scenario(str(TINY)), str(TINY), 7),
    "handoff": _at("handoff"),
    "manager": _at("manager"),
    "employee": _at("employee"),
    "news": lambda app: NewsScene(app, _play()),
    "end": _ended,
}


def count_dispatches(app, name: str) -> dict:
    """Count the events the loop hands to the scene under test (not the ones dropped when a
    switch of screen is already pending)."""
    counter = {"events": 0}
    dispatch = app.dispatch

    def counting(event):
        if app.scene is not None and app.scene.name == name and app.next_scene is None:
            counter["events"] += 1
        dispatch(event)
    app.dispatch = counting
    return counter


@pytest.mark.parametrize("name", list(FACTORIES))
def test_ten_thousand_random_events_do_not_crash(app, name, monkeypatch):
    monkeypatch.setattr("game.ui.scenes.end.export_game", lambda *a, **k: [])  # no disk churn
    rng = random.Random(f"fuzz-{name}")
    factory = FACTORIES[name]
    counter = count_dispatches(app, name)
    app.go(factory(app))
    app.step()
    for _ in range(4 * EVENTS // BATCH):
        if counter["events"] >= EVENTS:
            break
        for _ in range(BATCH):
            pygame.event.post(random_event(rng, app.screen.get_size()))
        app.step()
        if not app.running or app.scene.name != name or app.next_scene is not None:
            app.running, app.help_open = True, False
            app.go(factory(app))
            app.step()
    assert counter["events"] >= EVENTS
