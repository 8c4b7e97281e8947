"""The reveal's what-if layer: the replay runs in another process while the end screen keeps
drawing, then sits beside the real game; a scenario without regimes shows nothing extra."""

from __future__ import annotations

import json
import time
from functools import partial

import pytest

import game.ui.play as play_module
from game.analysis.what_if import WhatIfJob
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from game.ui.debrief import LAYERS
from game.ui.play import Play
from game.ui.scenes.end import EndScene
from tests.analysis.test_what_if import with_regimes
from tests.conftest import TINY
from tests.ui.driver import frames, make_app
from tests.ui.test_layout import SIZES, _outside
from tests.ui.what_if_helpers import slow_replay

SEATS = [SeatSetup(role="manager", name="Mo", controller="bot:hype"),
         SeatSetup(role="employee", name="Ana"),
         SeatSetup(role="employee", name="Bo", controller="bot:gamer")]


def ended_play(path) -> Play:
    play = Play.start(load_scenario(str(path)), str(path), 21, SEATS)
    while not play.game.is_terminal(play.state):
        play.session.act(play.bot_choice(play.game.to_act(play.state)[0]))
    return play


def wait_for_replay(app, end: EndScene, limit: float = 90.0) -> None:
    start = time.monotonic()
    while end.debrief.what_if is None and not end.debrief.what_if_failed:
        assert time.monotonic() - start < limit, "the replay never arrived"
        frames(app, 1)
        time.sleep(0.01)
    assert end.debrief.what_if_failed == ""


def test_the_end_screen_keeps_drawing_while_the_replay_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(play_module, "WhatIfJob", partial(WhatIfJob, replay=slow_replay))
    play = ended_play(with_regimes(tmp_path))
    app = make_app()
    end = EndScene(app, play)
    app.go(end)
    frames(app, 1)
    assert end.layers[5] == "What if" and end.layers[6] == "Lessons"
    end.go_to(6)
    slowest, start, drawn = 0.0, time.monotonic(), 0
    while time.monotonic() - start < 1.0:      # the worker sleeps 2 s before it replays
        t = time.perf_counter()
        frames(app, 1)
        slowest, drawn = max(slowest, time.perf_counter() - t), drawn + 1
    assert end.debrief.what_if is None
    assert drawn > 20 and slowest < 0.25, (drawn, slowest)
    assert any(t.startswith("Working out the other company") for t in app.visible_texts())
    wait_for_replay(app, end)
    frames(app, 2)
    texts = app.visible_texts()
    assert "this game" in texts and "what if" in texts and "Goodhart gap" in texts
    assert any(t.startswith("What if: the same company under") for t in texts)
    end.exit()


@pytest.fixture(scope="module")
def ready(tmp_path_factory):
    """An ended game on the tiny scenario with regimes, and its what-if replay, worked out
    once for the tests below."""
    play = ended_play(with_regimes(tmp_path_factory.mktemp("what-if")))
    job = play.what_if()
    while job.working:
        time.sleep(0.02)
    assert job.result is not None, job.failed
    return play


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_what_if_layer_fits_every_window(ready, size):
    app = make_app(size)
    end = EndScene(app, ready)
    app.go(end)
    frames(app, 2)
    for layer in range(1, len(end.layers) + 1):
        end.go_to(layer)
        frames(app, 2)
        assert not _outside(app), (end.layers[layer - 1], _outside(app))


def test_the_export_carries_the_what_if(ready, tmp_path):
    app = make_app()
    end = EndScene(app, ready)
    app.go(end)
    frames(app, 2)
    app.shots_dir = tmp_path
    end.export()
    folder = end.exported
    data = json.loads((folder / "game.json").read_text())
    assert data["what_if"]["regime"] == end.debrief.what_if.regime
    assert data["what_if"]["health"] == pytest.approx(end.debrief.what_if.health)
    rows = (folder / "what-if.csv").read_text().splitlines()
    assert rows[0].startswith("turn,proxy_index,health_index,gap,what_if_proxy_index")
    assert len(rows) == len(end.debrief.proxy) + 1
    assert (folder / "debrief-6-what-if.png").exists()


def test_a_scenario_without_regimes_shows_nothing_extra(tmp_path):
    play = ended_play(TINY)
    app = make_app()
    end = EndScene(app, play)
    app.go(end)
    frames(app, 2)
    assert end.layers == LAYERS and end.job is None
    assert play.what_if().regime is None and not play.what_if().working   # no process
    app.shots_dir = tmp_path
    end.export()
    assert not (end.exported / "what-if.csv").exists()
    assert json.loads((end.exported / "game.json").read_text())["what_if"] is None
