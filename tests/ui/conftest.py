"""UI test fixtures: a headless window per test (SDL dummy drivers, set before pygame loads)."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402
import pytest  # noqa: E402

from tests.conftest import TINY  # noqa: E402
from tests.ui.driver import make_app  # noqa: E402


@pytest.fixture
def app():
    """A 1280×720 app with no scene yet; closed after the test."""
    window = make_app()
    yield window
    pygame.display.quit()


@pytest.fixture
def tiny() -> str:
    return str(TINY)
