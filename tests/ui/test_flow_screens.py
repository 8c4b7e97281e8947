"""What a student on the new scenarios' screens read wrong before: tabs running past the side
panel, a unit drawn under the number card's buttons, "turns" where the scenario counts hours,
and "no leaderboard yet" in a company that never publishes one."""

from __future__ import annotations

import pygame
import pytest

from game.ui.scenes import scene_for_step
from game.ui.scenes.news import NewsScene
from game.ui.sidebar import _tab_style, lag_note
from tests.ui.driver import frames, make_app, screen_text
from tests.ui.test_relations_panel import _play_to


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768), (1920, 1080)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_side_panel_tab_lies_inside_the_panel(size):
    app = make_app(size)
    try:
        play, _ = _play_to("four-hour-target", "emergency", 2)
        app.go(scene_for_step(app, play))
        frames(app, 2)
        panel = app.scene.side
        assert len(app.scene.panel.tabs) == 4
        for tab in app.scene.panel.tabs:
            assert panel.contains(tab), (tab, panel)
    finally:
        pygame.display.quit()


def test_a_unit_too_long_for_the_gap_is_drawn_apart_from_the_number(app):
    play, _ = _play_to("four-hour-target", "emergency", 2)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    texts = app.visible_texts()
    value = app.scene.entry(0).shown()
    assert value in texts and "patients" in texts and f"{value} patients" not in texts


def test_a_lagging_metric_says_how_many_hours_behind(app):
    assert lag_note("2 turns behind, estimate", "hour") == "2 hours behind, estimate"
    assert lag_note("1 turn behind", "season") == "1 season behind"
    play, _ = _play_to("four-hour-target", "board", 2, phase="policy")
    app.go(scene_for_step(app, play))
    frames(app, 2)
    text = " ".join(screen_text(app).split())
    assert "2 hours behind" in text and "turns behind" not in text
    assert "Points per hour" in text


def test_a_company_without_rankings_says_so_on_the_news_and_the_panel(app):
    play, _ = _play_to("four-hour-target", "emergency", 4)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    assert "this company publishes no ranking" in " ".join(screen_text(app).split())
    app.go(NewsScene(app, play))
    frames(app, 2)
    text = " ".join(screen_text(app).split())
    assert "this company publishes no ranking" in text
    assert "No published leaderboard yet" not in text


def test_tabs_tighten_their_padding_before_running_past_the_panel(app):
    p, titles = app.painter, ["Points", "Next to you", "You", "Company"]
    tight = sum(p.width(t, "small", True) for t in titles) + p.px(8) * 4 + p.px(6) * 3
    assert _tab_style(p, titles, tight + p.px(8) * 4) == ("small", p.px(16))
    assert _tab_style(p, titles, tight) == ("small", p.px(8))
