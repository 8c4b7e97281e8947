"""The facilitator's host window: its keys carry out the operations on a real room, it reads
only `RoomStatus` (never `game.server`), and `run_host_window` opens, draws and stops."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from game.errors import GoodhartError
from game.ui import theme
from game.ui.draw import Painter
from game.ui.host_window import EXTEND_SECONDS, HostWindow, run_host_window
from tests.ui.host_helpers import RoomOps, busy_status, tiny_room

ROOT = Path(__file__).resolve().parents[2]


def press(window: HostWindow, key: int) -> None:
    window.handle(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


@pytest.fixture
def room_window(tmp_path):
    pygame.font.init()
    ops = RoomOps(tiny_room(tmp_path))
    return HostWindow(ops.status, ops), ops


def test_the_window_never_imports_the_server():
    for name in ("host_window.py", "host_draw.py"):
        tree = ast.parse((ROOT / "game" / "ui" / name).read_text())
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
                     for a in n.names]
        assert not [m for m in imported if m.startswith("game.server")], name
    loaded = subprocess.run(
        [sys.executable, "-c", ("import sys, game.ui.host_window; "
                                "print(sorted(m for m in sys.modules if 'server' in m))")],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "game.server" not in loaded


def test_p_pauses_the_chosen_table_and_a_every_table(room_window):
    window, ops = room_window
    press(window, pygame.K_p)
    assert ops.status().table("A").paused and not ops.status().table("B").paused
    press(window, pygame.K_p)
    assert not ops.status().table("A").paused
    press(window, pygame.K_a)
    assert ops.status().paused
    press(window, pygame.K_a)
    assert not ops.status().paused and ops.calls[-1] == ("resume", None)


def test_plus_extends_and_down_chooses_the_next_table(room_window):
    window, ops = room_window
    press(window, pygame.K_DOWN)
    before = ops.status().table("B").seconds_left
    press(window, pygame.K_PLUS)
    assert ops.calls == [("extend", "B", EXTEND_SECONDS)]
    assert ops.status().table("B").seconds_left == pytest.approx(before + EXTEND_SECONDS)
    assert "30 seconds more" in window.toast


def test_i_then_enter_fires_the_chosen_event(room_window):
    window, ops = room_window
    events = ops.status().table("A").events
    press(window, pygame.K_i)
    assert window.mode == "events"
    press(window, pygame.K_DOWN)
    press(window, pygame.K_RETURN)
    assert ops.calls == [("inject", "A", events[1 % len(events)][0])]
    assert events[1 % len(events)][1] in ops.status().table("A").headlines
    assert window.mode == "tables"


def test_b_and_x_act_only_on_the_second_press(room_window):
    window, ops = room_window
    press(window, pygame.K_RIGHT)                  # seat 2 of table A
    press(window, pygame.K_b)
    assert ops.calls == [] and "again" in window.toast
    press(window, pygame.K_LEFT)                   # any other key cancels
    press(window, pygame.K_b)
    assert ops.calls == []
    press(window, pygame.K_RIGHT)
    press(window, pygame.K_b)
    press(window, pygame.K_b)
    assert ops.calls == [("give_to_bot", "A", 1)]
    assert ops.status().table("A").seats[1].player == "bot"
    press(window, pygame.K_DOWN)                   # table B
    press(window, pygame.K_x)
    assert not ops.status().table("B").ended
    press(window, pygame.K_x)
    assert ops.status().table("B").ended and ops.calls[-1] == ("end_table", "B")


def test_l_shows_a_late_arrival_code_that_takes_the_seat(room_window):
    window, ops = room_window
    press(window, pygame.K_DOWN)
    press(window, pygame.K_RIGHT)                  # table B, seat 2 (open)
    press(window, pygame.K_l)
    code = window.code.rsplit(" ", 1)[-1]
    assert ops.calls == [("give_to_person", "B", 1)] and len(code) >= 4
    ticket = ops.room.join("Late Lou", code, 6.0)
    assert (ticket.table_id, ticket.seat) == ("B", 1)
    press(window, pygame.K_SPACE)                  # any key closes the code
    assert window.code == ""


def test_a_refused_operation_is_one_line_on_screen(room_window):
    window, ops = room_window

    def full_disk(table_id):
        raise GoodhartError("cannot store the pause: the disk is full", "room.db")

    ops.pause = full_disk
    press(window, pygame.K_p)
    assert window.toast == "room.db: cannot store the pause: the disk is full"
    assert not ops.status().table("A").paused
    press(window, pygame.K_i)                       # an ended table takes no events
    press(window, pygame.K_ESCAPE)
    press(window, pygame.K_x)
    press(window, pygame.K_x)
    press(window, pygame.K_i)
    assert window.mode == "tables" and "has ended" in window.toast


def test_v_shows_the_projector_view_and_back(room_window):
    window, _ = room_window
    press(window, pygame.K_v)
    assert window.mode == "projector"
    press(window, pygame.K_v)
    assert window.mode == "tables"


def test_run_host_window_draws_and_saves_a_frame(tmp_path):
    status = busy_status(4)
    shot = tmp_path / "host.png"
    assert run_host_window(lambda: status, RoomOps(None), "http://10.0.0.5:8765/",
                           size=(1280, 720), max_frames=3, screenshot=shot) == 0
    image = pygame.image.load(str(shot))
    assert image.get_size() == (1280, 720)
    assert image.get_at((10, 10))[:3] == theme.BG      # drawn, not left black
    stopped = run_host_window(lambda: status, RoomOps(None), should_stop=lambda: True)
    assert stopped == 0


def test_the_projector_view_countdown_is_a_fifth_of_the_window_high():
    pygame.font.init()
    surface = pygame.Surface((1920, 1080))
    painter = Painter(theme.scale_for((1920, 1080)))
    window = HostWindow(lambda: busy_status(8), RoomOps(None), "http://10.0.0.5:8765/")
    window.mode = "projector"
    window.draw(surface, painter, 0.0)
    big = next(rect for text, rect, _ in painter.boxes if text == "5:05")
    assert big.height >= 1080 // 5
