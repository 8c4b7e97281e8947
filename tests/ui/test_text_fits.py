"""No label is cut short: every scene of every bundled scenario, at 1024×768 and 1920×1080.

`Painter.cuts` records every text the painter had to shorten with an ellipsis. A card's
two-line blurb is a preview (its full text shows under the cards when the card has the focus),
so this test also focuses every card and checks that its full text is drawn."""

from __future__ import annotations

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
from tests.conftest import bundled_scenarios
from tests.ui.driver import frames, make_app

SIZES = [(1024, 768), (1920, 1080)]


def _seats(scenario) -> list[SeatSetup]:
    """The default table: the first seat of each role a person, the others bots."""
    return [SeatSetup(role=r.id, name=f"{r.name} {i + 1}",
                      controller="human" if i == 0 else "bot:random")
            for r in scenario.roles for i in range(r.seats.default)]


def _scenes(app, path):
    """(name, scene) for every kind of screen of this scenario, in the order of a game."""
    s = load_scenario(str(path))
    yield "title", TitleScene(app)
    yield "picker", PickerScene(app, str(path))
    yield "setup", SetupScene(app, s, str(path), 7)
    play = Play.start(s, str(path), 4, _seats(s))
    seen: set[str] = set()
    while True:
        step = play.next_step()
        if step.kind == "news":
            if play.state.turn <= 2:
                yield f"news {play.state.turn}", NewsScene(app, play)
            play.news_seen()
        elif step.kind == "handoff":
            if "handoff" not in seen:
                seen.add("handoff")
                yield "handoff", HandoffScene(app, play, step.seat)
            play.passed(step.seat)
        elif step.kind == "predict":
            if "predict" not in seen:
                seen.add("predict")
                yield "predict", scene_for_step(app, play)
            play.predict(step.seat, 50.0)
        elif step.kind == "end":
            yield "end", EndScene(app, play)
            return
        else:
            scene = scene_for_step(app, play)
            if scene.name not in seen:
                seen.add(scene.name)
                yield scene.name, scene
            play.submit(play.bot_choice(step.seat))


def _views(app):
    """Draw the current scene in each of its states worth reading: every card focused, every
    layer of the reveal; yields a name for each."""
    frames(app, 2)
    scene = app.scene
    yield ""
    panel = getattr(scene, "panel", None)
    for page in range(1, len(panel.shown) if panel is not None and panel.tabbed else 0):
        panel.page = page     # every page of the side panel (an order's Chain page too)
        frames(app, 1)
        yield f"side page {page}"
    for n in range(getattr(scene, "card_count", lambda: 0)()):
        scene.ring.focus(f"card{n}")
        frames(app, 1)
        drawn = " ".join(app.painter.drawn)
        assert " ".join(scene.card_detail(n).split()[-3:]) in drawn, \
            f"card {n}'s full text is not on screen"
        yield f"card{n}"
    if scene.name == "end":
        for layer in range(2, len(scene.layers) + 1):
            scene.go_to(layer)
            frames(app, 2)
            yield f"layer {layer}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_label_is_cut_on_any_screen(size):
    app = make_app(size)
    cut = []
    try:
        for path in bundled_scenarios():
            for name, scene in _scenes(app, path):
                app.go(scene)
                app.painter.cuts.clear()
                for view in _views(app):
                    cut += [f"{path.stem} {name} {view}: {text!r}"
                            for text in dict.fromkeys(app.painter.cuts)]
                    app.painter.cuts.clear()
    finally:
        pygame.display.quit()
    assert not cut, "\n".join(cut[:20])


def test_the_painter_records_a_cut_and_fitting_prefers_a_smaller_size_to_a_cut(app):
    p = app.painter
    p.cuts.clear()
    text = "Customer satisfaction as a counter-goal"
    width = p.width(text, "body", True) - 4
    size, lines = p.fitting(text, width, ("body", "small"), True)
    assert size == "small" and lines == [text] and not p.cuts
    size, lines = p.fitting(text, p.width("Customer satisfaction", "body", True), ("body",),
                            True, max_lines=2)
    assert lines == ["Customer satisfaction", "as a counter-goal"] and not p.cuts
    assert p.fit(text, width // 2).endswith("…") and p.cuts == [text]


def test_a_long_list_of_events_stops_at_the_bottom_of_the_reveal():
    """The README demo's game (seed 7) has eight events, more than the events layer holds at
    1280x720: the list ends with how many more there are, and nothing runs past the edge."""
    s = load_scenario("tokenmaxxing")
    seats = [SeatSetup(role=r.id, name=f"{r.name} {i + 1}", controller="bot:gamer"
                       if r.id == "employee" else "bot:hype")
             for r in s.roles for i in range(r.seats.default)]
    play = Play.start(s, "tokenmaxxing", 7, seats, demo=True)
    while (step := play.next_step()).kind != "end":
        if step.kind == "news":
            play.news_seen()
        else:
            play.submit(play.bot_choice(step.seat))
    app = make_app((1280, 720))
    try:
        scene = EndScene(app, play)
        app.go(scene)
        scene.go_to(scene.layers.index("Events") + 1)
        app.painter.cuts.clear()
        frames(app, 2)
        drawn = " ".join(app.painter.drawn)
    finally:
        pygame.display.quit()
    assert len(play.game.scenario.events) and not app.painter.cuts, app.painter.cuts
    assert " more (see the chart's markers)" in drawn
