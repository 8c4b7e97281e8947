"""`goodhart play` with no screen to open a window on ends at once with one line saying to use
--text, instead of waiting for ever on an invisible window (SDL's fallback on Linux)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="DISPLAY and WAYLAND_DISPLAY are how Linux finds a screen")


def _play(tmp_path, *args: str, **display: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env.update(GOODHART_HOME=str(tmp_path / "home"), **display)
    start = time.monotonic()
    args = args or ("tokenmaxxing", "--seed", "3")
    result = subprocess.run([sys.executable, "-m", "game", "play", *args],
                            cwd=ROOT, env=env, text=True, capture_output=True, timeout=60)
    return result, time.monotonic() - start


@pytest.mark.parametrize("display", [{}, {"DISPLAY": ":7391"}], ids=["unset", "unreachable"])
def test_no_screen_is_one_line_that_says_to_use_text(tmp_path, display):
    result, seconds = _play(tmp_path, **display)
    assert result.returncode == 1
    assert seconds < 20
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no screen" in lines[0] or "cannot reach the screen" in lines[0]
    assert "--text" in lines[0]


def test_a_driver_asked_for_still_opens_an_invisible_window(tmp_path):
    result, _ = _play(tmp_path, SDL_VIDEODRIVER="dummy", GOODHART_MAX_FRAMES="5")
    assert result.returncode == 0, result.stderr


def test_a_workshop_table_with_no_screen_starts_no_game(tmp_path):
    result, _ = _play(tmp_path, "--workshop", str(ROOT / "scenarios" / "workshop-example.yaml"),
                      "--table", "A")
    assert result.returncode == 1 and "--text" in result.stderr
    assert not list((tmp_path / "home").glob("saves/*.json"))
