"""The scenario's own leaderboards reach the screens: the sidebar, the text seat screen, the
text reveal and the end screen's ranks layer, with the seat's own row (or team) marked."""

from __future__ import annotations

import pygame
import pytest

from game.analysis.simulate import play_bot_game
from game.cli.text_screens import render_reveal, render_view
from game.engine.view import views
from game.scenario.load import load_scenario
from game.scenario.rules import rules_for
from game.ui.debrief import Debrief, draw_layer
from game.ui.draw import Painter
from game.ui.sidebar import Sidebar, leaderboard_section
from tests.engine.test_boards import BOARDS, TEAMS
from tests.scenario.fixtures.variants import variant


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    scenario = load_scenario(variant(tmp_path_factory.mktemp("shown"), TEAMS, BOARDS))
    state = play_bot_game(scenario, 5, {"employee": "gamer"})[0]
    during = state.clone()
    during.phase = "work"
    return scenario, state, views(rules_for(scenario), during, [1])[0]


def test_the_sidebar_shows_each_board_with_the_seats_team_marked(played):
    scenario, _, view = played
    pygame.init()
    painter = Painter(1.0)
    surface = pygame.Surface((480, 1400))
    Sidebar([("Points", [leaderboard_section(view, scenario)])]).draw(
        surface, painter, pygame.Rect(0, 0, 480, 1400))
    assert {"Most tokens", "Tokens by team", "Review score by role"} <= set(painter.drawn)
    assert "2. Red (your team)" in painter.drawn or "1. Red (your team)" in painter.drawn
    assert "1. Engineer (your role)" in painter.drawn


def test_the_text_screens_show_the_boards_and_the_final_ones(played):
    scenario, state, view = played
    screen = render_view(scenario, view)
    assert "Tokens by team: 1." in screen and "(your team)" in screen
    seats = {s.index: s for s in state.seats}
    reveal = render_reveal(scenario, state, {}, seats, what_if=None)
    assert "The final leaderboards" in reveal
    assert "Fewest tokens, while the leaderboard is on: 1." in " ".join(reveal.split())


def test_the_end_screens_ranks_layer_lists_the_final_boards(played):
    scenario, state, _ = played
    from game.analysis.indices import seat_outcomes
    from game.engine.boards import leaderboards
    pygame.init()
    d = Debrief(title="t", turn_name="week", proxy=[0.0], health=[0.0], gap=[0.0],
                together=0.0, outcomes=seat_outcomes(scenario, state), events=[], lessons=[],
                questions=[], proxy_names=[], health_names=[],
                boards=leaderboards(rules_for(scenario), state, revealed=True))
    painter = Painter(1.0)
    surface = pygame.Surface((1280, 720))
    draw_layer(surface, painter, pygame.Rect(20, 100, 1240, 500), d, 4, {}, True)
    assert "Tokens by team" in painter.drawn


def test_the_public_news_screen_shows_the_boards_after_the_first_review(app, tmp_path):
    from game.engine import Allocate
    from game.engine.state import SeatSetup
    from game.ui.play import Play
    from game.ui.scenes.news import NewsScene
    from tests.ui.driver import frames, next_choice, screen_text
    path = variant(tmp_path, TEAMS, BOARDS)
    seats = [SeatSetup(role="manager", name="Max", controller="bot:hype"),
             SeatSetup(role="employee", name="Ana", controller="human")] + [
        SeatSetup(role="employee", name=n, controller="bot:gamer") for n in ("Bo", "Cy", "Di")]
    play = Play.start(load_scenario(path), str(path), 4, seats)
    while play.state.turn == 1:
        step = next_choice(play)
        play.submit(Allocate(seat=step.seat, effort={"busywork": 5}))
    assert play.next_step().kind == "news"
    app.go(NewsScene(app, play))
    frames(app, 2)
    text = " ".join(screen_text(app).split())
    assert "Most tokens" in text and "Ana" in text


def test_the_projector_view_shows_the_boards(played):
    from game.engine import Game
    from game.workshop.facilitator import projector_view
    scenario, state, _ = played
    during = state.clone()
    during.phase = "work"
    board = projector_view(Game(scenario), during)
    assert [b.id for b in board.boards][:3] == ["busiest", "team_tokens", "roles"]
