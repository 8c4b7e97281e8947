"""A real window on a real (virtual) X server, clicked and typed at with xdotool: setup,
four weeks of one person's play, the whole reveal, back to the title and quit.

Needs Xvfb and xdotool (`.ci/xvfb-deps` lists the apt packages); skipped, saying so, without.
The app logs each screen it shows, with its buttons' rects, to GOODHART_UI_TRACE."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="Xvfb and xdotool are not installed (apt-get install -y xvfb xdotool; see .ci/xvfb-deps)")

SCRIPT = f"""
from game.engine.state import SeatSetup
from game.ui.app import run
seats = [SeatSetup(role="manager", name="Max", controller="bot:hype"),
         SeatSetup(role="employee", name="Ana", controller="human"),
         SeatSetup(role="employee", name="Eli", controller="bot:gamer")]
raise SystemExit(run(scenario={str(TINY)!r}, seed=3, seats=seats))
"""


class Window:
    """The app in a subprocess, seen through its trace file and driven with xdotool."""

    def __init__(self, env: dict, trace: Path) -> None:
        self.env, self.trace = env, trace
        self.proc = subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.seen = 0
        self.wid = ""

    def scenes(self) -> list[dict]:
        if not self.trace.exists():
            return []
        return [json.loads(line) for line in self.trace.read_text().splitlines() if line]

    def wait_for_new_scene(self, timeout: float = 20) -> dict:
        end = time.time() + timeout
        while time.time() < end:
            scenes = self.scenes()
            if len(scenes) > self.seen:
                self.seen = len(scenes)
                time.sleep(0.25)         # let it draw and settle
                return scenes[-1]
            if self.proc.poll() is not None:
                raise AssertionError(f"the app exited: {self.proc.communicate()}")
            time.sleep(0.05)
        raise AssertionError(f"no new screen after {self.scenes()[-1:]}")

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=10,
                       capture_output=True)

    def find(self) -> None:
        out = subprocess.run(["xdotool", "search", "--sync", "--classname", "."],
                             env=self.env, check=True, timeout=20, capture_output=True, text=True)
        self.wid = out.stdout.split()[0]
        name = subprocess.run(["xdotool", "getwindowname", self.wid], env=self.env, check=True,
                              timeout=10, capture_output=True, text=True).stdout.strip()
        assert name == "Goodhart"
        self.xdotool("windowfocus", "--sync", self.wid)

    def key(self, name: str) -> None:
        self.xdotool("key", "--delay", "40", name)
        time.sleep(0.1)

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", "--window", self.wid, str(x), str(y))
        time.sleep(0.05)
        self.xdotool("click", "1")
        time.sleep(0.15)


def _center(scene: dict, key: str) -> tuple[int, int]:
    item = next(i for i in scene["items"] if i["key"] == key)
    x, y, w, h = item["rect"]
    return x + w // 2, y + h // 2


def _plus_button(scene: dict) -> tuple[int, int]:
    """The '+' of the first behaviour card (see game.ui.cards.stepper_rects)."""
    x, y, w, h = next(i for i in scene["items"] if i["key"] == "card0")["rect"]
    return x + w - 14 - 20, y + h - 10 - 20


@pytest.fixture
def display():
    number = next(n for n in range(91, 120) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def test_click_through_a_game_in_a_real_window(display, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SDL_VIDEODRIVER"}
    env.update(DISPLAY=display, SDL_AUDIODRIVER="dummy", GOODHART_HOME=str(tmp_path / "home"),
               GOODHART_UI_TRACE=str(tmp_path / "trace.jsonl"), PYGAME_HIDE_SUPPORT_PROMPT="1")
    win = Window(env, tmp_path / "trace.jsonl")
    try:
        scene = win.wait_for_new_scene()
        assert scene["scene"] == "setup"
        win.find()
        win.click(*_center(scene, "start"))
        names = _play(win)
        assert names.count("employee") >= 3 and names[-1] == "end"   # Ana may be laid off
        win.wait_for_new_scene()                       # back on the title
        win.key("Escape")
        win.key("Return")                              # "Quit Goodhart?" yes
        assert win.proc.wait(timeout=20) == 0
    finally:
        if win.proc.poll() is None:
            win.proc.kill()


def _play(win: Window) -> list[str]:
    """News: Enter. Employee: click '+' twice, click Confirm twice. End: Enter through it all."""
    names = []
    while True:
        scene = win.wait_for_new_scene()
        names.append(scene["scene"])
        if scene["scene"] == "news":
            win.key("Return")
        elif scene["scene"] == "employee":
            win.click(*_plus_button(scene))
            win.click(*_plus_button(scene))
            win.click(*_center(scene, "confirm"))      # 8 points unused: it asks first
            win.click(*_center(scene, "confirm"))
        elif scene["scene"] == "end":
            for _ in range(7):
                win.key("Return")                      # layers 2..7, then "leave?"
            win.key("Return")                          # yes
            return names
        else:
            raise AssertionError(f"unexpected screen {scene['scene']}")
