"""Every screen fits its window: no text drawn past an edge, no focusable item outside the
window, text at least 20 px at 1280×720, and a resized window is laid out again."""

from __future__ import annotations

import json

import pygame
import pytest

from game.ui import theme
from game.ui.debrief import LAYERS
from tests.conftest import SCENARIOS, TINY
from tests.ui.driver import frames, make_app
from tests.ui.test_fuzz import FACTORIES, _at

FLAGSHIP = SCENARIOS / "tokenmaxxing.yaml"
SIZES = [(1280, 720), (1920, 1080), (1024, 640)]


def _outside(app) -> list[str]:
    """Texts drawn past the edge of the surface they were drawn on."""
    bad = [text for text, rect, (w, h) in app.painter.boxes
           if rect.left < 0 or rect.top < 0 or rect.right > w + 1 or rect.bottom > h + 1]
    window = app.screen.get_rect()
    bad += [f"focus item {i.key}" for i in app.scene.ring.items
            if not window.contains(i.rect) and not i.key.startswith("card")]
    return bad


def _check_scene(app) -> None:
    frames(app, 2)
    assert not _outside(app), (app.scene.name, _outside(app))
    if app.scene.name == "end":
        for layer in range(2, len(LAYERS) + 1):
            app.scene.go_to(layer)
            frames(app, 2)
            assert not _outside(app), (layer, _outside(app))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_scene_fits_its_window(size):
    app = make_app(size)
    try:
        for name, factory in FACTORIES.items():
            app.go(factory(app))
            _check_scene(app)
    finally:
        pygame.display.quit()


@pytest.mark.parametrize("kind", ["manager", "employee"])
def test_the_flagships_seat_screens_fit(kind):
    if not FLAGSHIP.exists():
        pytest.skip("the flagship scenario is not in this checkout")
    app = make_app()
    try:
        app.go(_at(kind, str(FLAGSHIP))(app))
        _check_scene(app)
        assert app.scene.scenario.id == "tokenmaxxing"
        assert app.scene.grid.max_scroll() == 0, "every card fits without scrolling at 720p"
    finally:
        pygame.display.quit()


def test_text_is_at_least_20_px_at_1280x720():
    assert theme.scale_for((1280, 720)) == 1.0
    assert min(theme.SIZES.values()) >= 20
    sizes = [int(block["font"]["size"]) for block in theme.ui_theme(1.0).values()
             if isinstance(block, dict) and "font" in block]
    assert sizes and min(sizes) >= 20


def test_a_resized_window_is_laid_out_again(app):
    app.go(FACTORIES["setup"](app))
    frames(app, 2)
    start_w = next(i.rect for i in app.scene.ring.items if i.key == "start").right
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1920, 1080), w=1920, h=1080))
    frames(app, 2)
    assert app.screen.get_size() == (1920, 1080)
    assert app.scale == 1.5 and app.painter.scale == 1.5
    start = next(i.rect for i in app.scene.ring.items if i.key == "start")
    assert start.right > start_w and app.screen.get_rect().contains(start)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(300, 200), w=300, h=200))
    frames(app, 2)
    assert app.screen.get_size() == (800, 500)           # never smaller than the minimum
    assert not _outside(app)


def test_the_theme_and_fonts_ship_in_assets():
    folder = theme.assets_dir()
    assert folder is not None
    json.loads((folder / "theme.json").read_text())
    assert (folder / "fonts" / "NotoSans-Regular.ttf").is_file()
    assert (folder / "fonts" / "OFL.txt").is_file()
    assert str(TINY)
