"""A seat in an order sees, in its side panel, who is upstream and downstream of it and what
is on its way to it, from its view alone: the incoming amounts of visible flows, and nothing
of a flow whose rules hide it."""

from __future__ import annotations

import pygame

from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.play import Play
from game.ui.relations_panel import amount_text, arrival_text
from game.ui.scenes import scene_for_step
from tests.conftest import ROOT
from tests.ui.driver import focus, frames, key, next_choice, screen_text

CHAIN = ROOT / "tests" / "engine" / "fixtures" / "chain.yaml"


def _play_to(name: str, human_role: str, turn: int, nth: int = 0,
             phase: str = "work") -> tuple[Play, int]:
    """A game with seat `nth` of `human_role` a person (the rest bots), run by the bots to
    that person's `phase` in `turn`; returns the play and the person's seat."""
    s = load_scenario(name)
    seats = [SeatSetup(role=r.id, name=f"{r.name} {i + 1}", controller="human"
                       if (r.id == human_role and i == nth) else "bot:adaptive")
             for r in s.roles for i in range(r.seats.default)]
    play = Play.start(s, name, 7, seats)
    human = next(i for i, seat in enumerate(seats) if seat.controller == "human")
    while True:
        step = next_choice(play)
        if step.seat == human and play.state.turn == turn and play.state.phase == phase:
            return play, human
        play.submit(play.bot_choice(step.seat))


def _chain_page(app, play: Play) -> str:
    """The person's work screen with the side panel turned (by keyboard) to the order's page;
    the text on screen."""
    app.go(scene_for_step(app, play))
    frames(app, 2)
    focus(app, "side")
    for _ in range(len(app.scene.panel.shown)):
        if app.scene.panel.shown[app.scene.panel.page][0] in ("Chain", "Ring"):
            return " ".join(screen_text(app).split())   # wrapped lines joined
        key(app, pygame.K_RIGHT)
    raise AssertionError(f"no Chain page: {[t for t, _, _ in app.scene.panel.shown]}")


def test_the_chain_page_names_both_neighbours_and_what_is_on_its_way(app):
    play, _ = _play_to("four-hour-target", "emergency", 3)
    text = _chain_page(app, play)
    view = app.scene.view
    assert view.incoming and view.upstream is not None and view.downstream is not None
    names = {i: s.name for i, s in enumerate(play.session.seats)}
    assert f"Upstream: {names[view.upstream]} (Ambulance crew)" in text
    assert f"Downstream: {names[view.downstream]} (Ward)" in text
    assert "On the way to you: Patients on the way in" in text
    assert "Adds to your Ambulances waiting at the door" in text
    for item in view.incoming:
        assert arrival_text(view, item) in text
        assert amount_text(play.scenario, item.flow, item.amount) in text


def test_the_ends_of_the_chain_say_nobody_is_there(app):
    play, _ = _play_to("four-hour-target", "crew", 2)
    text = _chain_page(app, play)
    assert "Upstream: nobody, you are at the end of the line" in text
    assert "Downstream: Emergency department 1 (Emergency department)" in text


def test_a_hidden_flow_shows_the_neighbours_but_nothing_in_transit(app):
    play, seat = _play_to(str(CHAIN), "stage", 2, nth=1)
    assert any(t.seat == seat for t in play.state.transit)   # goods are on their way to it
    text = _chain_page(app, play)
    assert "Upstream: Stage 1 (Stage)" in text and "Downstream: Stage 3 (Stage)" in text
    assert "On the way" not in text and "Arrives" not in text


def test_a_scenario_without_an_order_has_no_chain_page(app):
    play, _ = _play_to("tokenmaxxing", "employee", 1)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    assert not {"Chain", "Ring"} & {t for t, _, _ in app.scene.panel.shown}
    assert "Upstream" not in screen_text(app)


def test_an_arrival_is_told_at_the_end_of_the_turn_it_falls_due():
    """Arrivals are added after the turn's work: the panel never promises them for now."""
    from game.engine.view import Incoming
    play, seat = _play_to("four-hour-target", "emergency", 3)
    view = play.view(seat)
    texts = [arrival_text(view, Incoming(flow="journey", due=view.turn + ahead, amount=1))
             for ahead in (0, 1, 3)]
    assert texts == ["Arrives at the end of this hour", "Arrives at the end of next hour",
                     f"Arrives at the end of hour {view.turn + 3}"]
