"""A game's exported reveal is the end screen itself, drawn at 1920×1080 for a 16:9 slide."""

from __future__ import annotations

import pygame

from game.ui.debrief import LAYERS
from tests.ui.driver import frames, key, make_app
from tests.ui.test_fuzz import _ended


def test_the_exported_layers_are_the_end_screen_at_1920x1080():
    app = make_app((1920, 1080))
    try:
        app.go(_ended(app))
        frames(app, 2)
        scene = app.scene
        key(app, pygame.K_e)
        folder = scene.exported
        assert folder is not None
        for layer in (2, 3, 5):
            scene.go_to(layer)
            frames(app, 2)
            name = f"debrief-{layer}-{LAYERS[layer - 1].lower()}.png"
            slide = pygame.image.load(str(folder / name))
            assert slide.get_size() == (1920, 1080)
            area = scene.content_rect().union(pygame.Rect(0, 0, 1920, scene.content_rect().y))
            assert pygame.image.tobytes(slide.subsurface(area).copy(), "RGB") == \
                pygame.image.tobytes(app.screen.subsurface(area).copy(), "RGB"), name
    finally:
        pygame.display.quit()
