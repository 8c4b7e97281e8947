"""Time the game window: each scene's frame time at 1280×720, and cold start to the title.

Run: `python bench/ui.py [--frames N] [--scenario NAME]`. Headless (SDL dummy driver): a frame
is the loop's whole work (events, update, drawing, flip) with the mouse moving over the
window, so hover effects are redrawn. Targets: p99 frame < 16 ms (60 fps); cold start < 1.5 s,
measured as a fresh Python process importing the game, opening the window, drawing the title
screen once and exiting.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
os.environ.setdefault("GOODHART_HOME", tempfile.mkdtemp(prefix="goodhart-bench-"))

import pygame  # noqa: E402

from game.engine.state import SeatSetup  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.play import Play  # noqa: E402
from game.ui.scenes import scene_for_step  # noqa: E402
from game.ui.scenes.end import EndScene  # noqa: E402
from game.ui.scenes.handoff import HandoffScene  # noqa: E402
from game.ui.scenes.news import NewsScene  # noqa: E402
from game.ui.scenes.picker import PickerScene  # noqa: E402
from game.ui.scenes.setup import SetupScene  # noqa: E402
from game.ui.scenes.title import TitleScene  # noqa: E402

FRAME_TARGET_MS = 16.0
START_TARGET_S = 1.5


def table(scenario: str) -> list[SeatSetup]:
    """Two people (the manager and one employee) and the default number of bots."""
    s = load_scenario(scenario)
    seats = []
    for role in s.roles:
        for i in range(role.seats.default):
            human = i == 0
            seats.append(SeatSetup(role=role.id, name=f"{role.name} {i + 1}",
                                   controller="human" if human else "bot:random"))
    return seats


def scene_at(app: App, scenario: str, kind: str):
    """A new game advanced to the first screen of `kind`."""
    play = Play.start(load_scenario(scenario), scenario, 1, table(scenario))
    while True:
        step = play.next_step()
        if step.kind == "news":
            if kind == "news" and play.state.turn > 1:
                return NewsScene(app, play)
            play.news_seen()
        elif step.kind == "handoff":
            if kind == "handoff":
                return HandoffScene(app, play, step.seat)
            play.passed(step.seat)
        elif step.kind == "predict":
            play.predict(step.seat, 50.0)
        elif step.kind == "end":
            return EndScene(app, play)
        else:
            scene = scene_for_step(app, play)
            if scene.name == kind:
                return scene
            play.submit(play.bot_choice(step.seat))


def scenes(app: App, scenario: str) -> list[tuple[str, object]]:
    s = load_scenario(scenario)
    out = [("title", TitleScene(app)), ("picker", PickerScene(app, scenario)),
           ("setup", SetupScene(app, s, scenario, 1))]
    out += [(kind, scene_at(app, scenario, kind))
            for kind in ("handoff", "manager", "employee", "news")]
    end = scene_at(app, scenario, "end")
    out += [(f"end {n} {name.lower()}", (end, n)) for n, name in enumerate(end.layers, start=1)]
    return out


def time_while_replaying(app: App, scenario: str) -> tuple[list[float], list[float], float]:
    """Milliseconds per frame (wall clock, and this thread's CPU time) on a new end screen's
    what-if layer for as long as its replay runs in the background (the frames a room sees
    while it waits), and the seconds it took; ([], [], 0) for a scenario without regimes."""
    end = scene_at(app, scenario, "end")
    if "What if" not in end.layers:
        return [], [], 0.0
    app.go(end)
    app.step()
    end.go_to(end.layers.index("What if") + 1)
    wall, cpu, start = [], [], time.perf_counter()
    while end.job.working:
        t = time.perf_counter()
        ms, ms_cpu = timed_frame(app, len(wall))
        wall.append(ms)
        cpu.append(ms_cpu)
        time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - t)))   # a real window's pace
    if end.job.failed:
        raise RuntimeError(f"the what-if replay failed: {end.job.failed}")
    return wall, cpu, time.perf_counter() - start


def time_scene(app: App, scene, frames: int) -> tuple[list[float], list[float]]:
    """Milliseconds per frame on this scene (wall clock, and this thread's CPU time), after a
    short warm-up. On a busy machine the wall clock also counts time the process waited."""
    layer = None
    if isinstance(scene, tuple):
        scene, layer = scene
    if app.scene is not scene:
        app.go(scene)
        app.step()
    if layer is not None:
        scene.go_to(layer)
    wall, cpu = [], []
    for i in range(frames + 10):
        ms, ms_cpu = timed_frame(app, i)
        if i >= 10:
            wall.append(ms)
            cpu.append(ms_cpu)
    return wall, cpu


def timed_frame(app: App, i: int) -> tuple[float, float]:
    """One frame with the mouse moved to the `i`th place of a sweep over the window; its
    milliseconds by the wall clock and by this thread's CPU time."""
    w, h = app.screen.get_size()
    pos = (int(w * (i % 97) / 97), int(h * (i % 53) / 53))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1),
                                         buttons=(0, 0, 0)))
    start, start_cpu = time.perf_counter(), time.thread_time()
    app.step()
    return (time.perf_counter() - start) * 1000, (time.thread_time() - start_cpu) * 1000


def cold_start(runs: int) -> list[float]:
    """Seconds for a fresh process to import, open the window, draw the title once, exit."""
    code = "from game.ui.app import run; raise SystemExit(run(max_frames=1))"
    env = dict(os.environ)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - start)
    return out


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def row(name: str, wall: list[float], cpu: list[float]) -> str:
    """A line of the table: median, p99 and worst wall-clock ms, and p99 CPU ms."""
    return (f"{name:<18}{statistics.median(wall):9.2f}{p99(wall):9.2f}{max(wall):9.2f}"
            f"{p99(cpu):12.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "tokenmaxxing.yaml"))
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    app = App((1280, 720), fps=0)
    worst = 0.0
    print(f"frame time at 1280x720, {args.frames} frames each ({Path(args.scenario).stem})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'scene':<18}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'p99 CPU ms':>12}")
    for name, scene in scenes(app, args.scenario):
        times, cpu = time_scene(app, scene, args.frames)
        worst = max(worst, p99(times))
        print(row(name, times, cpu))
    replaying, replaying_cpu, took = time_while_replaying(app, args.scenario)
    if replaying:
        worst = max(worst, p99(replaying))
        print(row("what if, replaying", replaying, replaying_cpu) +
              f"  ({len(replaying)} frames while the replay ran, {took:.1f} s)")
    pygame.display.quit()
    starts = cold_start(args.starts)
    print(f"cold start to the title: first {starts[0]:.2f} s, median {statistics.median(starts):.2f} s"
          f" (target < {START_TARGET_S} s)")
    ok = worst < FRAME_TARGET_MS and statistics.median(starts) < START_TARGET_S
    print(f"worst p99 frame {worst:.2f} ms (target < {FRAME_TARGET_MS} ms): "
          f"{'OK' if ok else 'TOO SLOW'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
