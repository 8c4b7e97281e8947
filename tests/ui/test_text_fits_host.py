"""No label is cut short or drawn over another in the facilitator's host window, at 1024×768,
1280×720 and 1920×1080: the dashboard (4, 8 and 12 busy tables, a name of 38 characters, the
longest conditions), choosing an event, the projector view (mid-game, paused, ended), and
the messages and late-arrival code drawn over them (checked for cuts only: they cover what
is under them on purpose, for a few seconds)."""

from __future__ import annotations

import pygame
import pytest

from game.ui import theme
from game.ui.draw import Painter
from game.ui.host_window import HostWindow
from tests.ui.host_helpers import RoomOps, busy_status

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]


def _overlaps(painter: Painter) -> list[str]:
    boxes = [(text, rect) for text, rect, _ in painter.boxes if text.strip()]
    return [f"{a!r} over {b!r}" for n, (a, ra) in enumerate(boxes)
            for b, rb in boxes[n + 1:] if ra.inflate(-4, -4).colliderect(rb.inflate(-4, -4))]


def _draw(window: HostWindow, size: tuple[int, int]) -> Painter:
    pygame.font.init()
    painter = Painter(theme.scale_for(size))
    window.draw(pygame.Surface(size), painter, 0.0)
    return painter


def _views(tables: int):
    """(name, window) for each screen of a room of `tables` tables."""
    for room in ("live", "paused", "ended"):
        status = busy_status(tables, ended=room == "ended", paused=room == "paused")
        window = HostWindow(lambda s=status: s, RoomOps(None), "http://192.168.178.101:8765/")
        for chosen in (0, tables - 1):
            window.table, window.seat = chosen, 4
            for mode in ("tables", "events", "projector"):
                window.mode = mode
                yield f"{room} room, table {chosen + 1}, {mode}", window


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tables", [4, 8, 12])
def test_no_label_is_cut_in_the_host_window(size, tables):
    found = []
    for name, window in _views(tables):
        painter = _draw(window, size)
        assert painter.drawn, name
        found += [f"{name}: cut {text!r}" for text in dict.fromkeys(painter.cuts)]
        found += [f"{name}: {pair}" for pair in _overlaps(painter)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_messages_and_codes_fit_over_the_window(size):
    window = HostWindow(lambda: busy_status(8), RoomOps(None), "http://192.168.178.101:8765/")
    window.say("Press X again to end Table H's game now (any other key cancels).")
    assert not _draw(window, size).cuts
    window.say("no table 'Z' in this room (tables: A, B, C, D, E, F, G, H); the facilitator "
               "pressed a key for a table that has gone, which cannot happen, but say so")
    assert not _draw(window, size).cuts
    window.code = f"Engineer 4 at Table H: code {'M' * 6}"
    assert not _draw(window, size).cuts
