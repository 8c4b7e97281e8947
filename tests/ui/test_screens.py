"""Single screens driven by mouse and keys: what they show and how they answer."""

from __future__ import annotations

import pygame

from game.engine.view import LeaderRow
from game.ui.cards import stepper_rects
from game.ui.scenes.news import rank_change
from tests.ui.driver import click, focus, frames, key, screen_text
from tests.ui.test_fuzz import FACTORIES


def test_effort_moves_with_the_mouse_and_hovering_shows_what_a_card_does(app):
    app.go(FACTORIES["employee"](app))
    frames(app, 2)
    scene = app.scene
    card = scene.grid.rect(1)
    minus, plus = stepper_rects(card, scene.px, scene.px(40))
    for _ in range(3):
        click(app, plus.center)
    click(app, minus.center)
    assert scene.points[scene.options[1].id] == 2
    assert "8 left" in screen_text(app)
    description = scene.card_detail(0)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=scene.grid.rect(0).center,
                                         rel=(0, 0), buttons=(0, 0, 0)))
    frames(app, 2)
    assert description in screen_text(app).replace("\n", " ") or \
        description.split()[0] in screen_text(app)


def test_a_policy_level_is_chosen_by_clicking_its_chip(app):
    app.go(FACTORIES["manager"](app))
    frames(app, 2)
    scene = app.scene
    outcomes = next(i for i, p in enumerate(scene.options) if len(p.levels) == 3)
    chips = scene._chip_rects(scene.grid.rect(outcomes), scene.options[outcomes])
    click(app, chips[2].center)
    assert scene.levels[scene.options[outcomes].id] == 2
    assert "active" in screen_text(app)
    click(app, chips[0].center)
    assert scene.levels[scene.options[outcomes].id] == 0


def test_the_hand_off_waits_a_moment_so_a_double_press_cannot_skip_it(app):
    app.go(FACTORIES["handoff"](app))
    frames(app, 1)
    key(app, pygame.K_SPACE, settle=1)
    assert app.scene.name == "handoff"
    frames(app, 20)
    key(app, pygame.K_SPACE)
    assert app.scene.name in ("manager", "employee")


def test_help_opens_over_any_screen_and_closes_with_escape(app):
    app.go(FACTORIES["setup"](app))
    frames(app, 2)
    key(app, pygame.K_F1)
    assert "Help" in screen_text(app) and "Tab, Shift+Tab" in screen_text(app)
    key(app, pygame.K_ESCAPE)
    assert app.scene.name == "setup" and not app.help_open


def test_the_news_says_how_each_seat_moved_in_words():
    before = [LeaderRow(rank=1, seat=0, name="A", score=3), LeaderRow(rank=2, seat=1, name="B",
                                                                      score=2)]
    assert rank_change(LeaderRow(rank=2, seat=0, name="A", score=1), before)[0] == "down 1"
    assert rank_change(LeaderRow(rank=1, seat=1, name="B", score=4), before)[0] == "up 1"
    assert rank_change(LeaderRow(rank=3, seat=2, name="C", score=0), before)[0] == "new"


def test_setup_adds_a_seat_with_the_arrow_keys(app):
    app.go(FACTORIES["setup"](app))
    frames(app, 2)
    before = len(app.scene.rows)
    focus(app, "role:employee")
    key(app, pygame.K_RIGHT)
    assert len(app.scene.rows) == before + 1
    assert "3 seats" in screen_text(app)


def test_a_policy_card_shows_the_cost_of_the_level_chosen(app):
    app.go(FACTORIES["manager"](app))
    frames(app, 2)
    scene = app.scene
    i = next(n for n, p in enumerate(scene.options) if len(p.levels) == 3)
    option = scene.options[i]
    scene.ring.focus(f"card{i}")
    for level in (2, 1):
        scene.levels[option.id] = level
        frames(app, 1)
        want = f" · cost {option.cost * level:g}"
        assert want in app.painter.drawn, (want, scene.cost())
        assert scene.cost() == option.cost * level
    assert f" · cost {option.cost * 2:g}" not in app.painter.drawn
