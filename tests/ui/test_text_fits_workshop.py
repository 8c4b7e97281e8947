"""No label is cut short or drawn over another on the workshop screens, at 1024×768 and
1920×1080: the debrief of every table of the example workshop, and of a room of eight (every
page of the overview, each table, the conditions), and a table window's facilitator screens
(the PIN prompt, the panel, the pause screen, the projector view, mid-game and after the game).

`Painter.cuts` records every text the painter had to shorten with an ellipsis, and the rows a
debrief side panel or projector column had to leave out; `Painter.boxes` where each text went
(see test_text_fits.py for the game's own screens)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pygame
import pytest

from game.ui.facilitator import Facilitator
from game.ui.play import Play
from game.ui.scenes import scene_for_step
from game.ui.scenes.debrief import DebriefScene
from game.ui.workshop_app import WorkshopApp
from game.workshop.debrief import collect
from game.workshop.facilitator import timeout_action
from game.workshop.load import load_workshop
from game.workshop.result import session_what_if, write_result
from game.workshop.run import play_to_end
from game.workshop.tables import result_path, start_session
from tests.ui.driver import frames, key, make_app

SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "workshop-example.yaml"
PIN = "2468"


@pytest.fixture(scope="module")
def example():
    return load_workshop(EXAMPLE)


@pytest.fixture(scope="module")
def results(example, tmp_path_factory) -> list[Path]:
    """Every table of the example workshop played by bots, two people's guesses each, and
    its what-if replay (as a rehearsal writes it)."""
    folder = tmp_path_factory.mktemp("results")
    paths = []
    for table in example.workshop.tables:
        session, _ = start_session(example, table.id, fill={})
        play_to_end(session)
        path = folder / f"table-{table.id}.json"
        write_result(session, path, {seat: 40.0 + 7 * n for n, seat in enumerate((1, 2))},
                     session_what_if(session))
        paths.append(path)
    return paths


def _twice(paths: list[Path], folder: Path) -> list[Path]:
    """The result files and copies of them as four more tables (E to H): a room of eight."""
    copies = []
    for n, path in enumerate(paths):
        data = json.loads(path.read_text())
        letter = chr(ord("E") + n)
        data["table"] = {"id": letter, "name": f"Table {letter}"}
        copies.append(folder / f"table-{letter}.json")
        copies[-1].write_text(json.dumps(data))
    return paths + copies


def _cuts(app) -> list[str]:
    found = list(dict.fromkeys(app.painter.cuts))
    app.painter.cuts.clear()
    return found


def _overlaps(app) -> list[str]:
    """Pairs of texts drawn over each other in the last frame."""
    boxes = [(text, rect) for text, rect, _ in app.painter.boxes if text.strip()]
    return [f"{a!r} over {b!r}" for n, (a, ra) in enumerate(boxes)
            for b, rb in boxes[n + 1:] if ra.inflate(-4, -4).colliderect(rb.inflate(-4, -4))]


def _debrief_views(scene):
    """(view, table, page) for every page of the overview, each table, the conditions."""
    for page in range(math.ceil(scene.count / scene.per_page)):
        yield "all", None, page
    for i in range(scene.count):
        yield "table", i, 0
    yield "conditions", None, 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tables", [4, 8])
def test_no_label_is_cut_on_the_debrief_screen(results, size, tables, tmp_path):
    debrief = collect(results if tables == 4 else _twice(results, tmp_path))
    assert len(debrief.tables) == tables
    app = make_app(size)
    cut = []
    try:
        app.go(DebriefScene(app, debrief))
        frames(app, 2)
        scene = app.scene
        for view, index, page in _debrief_views(scene):
            scene.show(view, index)
            scene.page = page
            scene.rebuild()
            app.painter.cuts.clear()
            frames(app, 2)
            assert app.painter.drawn, f"nothing drawn in {view}"
            where = f"debrief {view} {index} page {page + 1}"
            cut += [f"{where}: {text!r}" for text in _cuts(app) + _overlaps(app)]
    finally:
        pygame.display.quit()
    assert not cut, "\n".join(cut)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_tables_chart_keeps_its_height_beside_its_notes(results, size, monkeypatch):
    """Predictions, the what-if and the events all want room under a table's chart; the
    chart keeps at least five lines of text's height whatever the window."""
    heights = []
    real = DebriefScene._chart

    def measured(self, surface, rect, result, big=False):
        heights.append(rect.height)
        return real(self, surface, rect, result, big=big)

    monkeypatch.setattr(DebriefScene, "_chart", measured)
    app = make_app(size)
    try:
        scene = DebriefScene(app, collect(results))
        app.go(scene)
        scene.show("table", 0)
        heights.clear()
        frames(app, 2)
        least = 5 * app.painter.line_height()
    finally:
        pygame.display.quit()
    assert heights and min(heights) >= least, (heights, least)


def _table_window(example, size, turns: int, folder: Path) -> WorkshopApp:
    """Table A of the example workshop in a facilitator window, `turns` turns played; its
    result file goes under `folder` with a name as long as a real one."""
    session, setup = start_session(example, "A")
    game = session.game
    while session.state.turn <= turns and not game.is_terminal(session.state):
        seat = game.to_act(session.state)[0]
        session.act(timeout_action(game, session.state, seat))
    app = WorkshopApp(size, fps=0)
    play = Play(session)
    path = result_path(folder, setup.meta, setup.seed)
    app.facilitator = Facilitator(app, play, setup, path, pin=PIN)
    app.go(scene_for_step(app, play))
    frames(app, 2)
    return app


def _facilitator_views(app):
    """Open each facilitator screen through its keys; yields each one's name once drawn."""
    key(app, pygame.K_F9)
    for digit in PIN[:2]:
        key(app, getattr(pygame, f"K_{digit}"), settle=1)
    yield "pin"
    for digit in PIN[2:]:
        key(app, getattr(pygame, f"K_{digit}"), settle=1)
    key(app, pygame.K_RETURN)
    assert app.facilitator.mode == "panel"
    yield "panel"
    for _ in range(len(app.facilitator.events) - 1):
        key(app, pygame.K_DOWN, settle=1)
    key(app, pygame.K_RETURN)        # armed: the long toast asks for Enter again
    yield "panel, last event armed"
    key(app, pygame.K_RETURN)        # fired: the projector's news says the facilitator did
    yield "panel, event fired"
    key(app, pygame.K_p)
    key(app, pygame.K_ESCAPE)
    yield "paused"
    key(app, pygame.K_F9)
    for digit in PIN:
        key(app, getattr(pygame, f"K_{digit}"), settle=1)
    key(app, pygame.K_RETURN)
    key(app, pygame.K_p)
    key(app, pygame.K_v)
    assert app.facilitator.mode == "projector"
    yield "projector"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("turns", [3, 99], ids=["mid-game", "ended"])
def test_no_label_is_cut_on_the_facilitator_screens(example, size, turns, tmp_path):
    app = _table_window(example, size, turns, tmp_path / "results")
    cut = []
    try:
        app.painter.cuts.clear()
        for view in _facilitator_views(app):
            cut += [f"facilitator {view}: {text!r}" for text in _cuts(app) + _overlaps(app)]
    finally:
        pygame.display.quit()
    assert not cut, "\n".join(cut)
