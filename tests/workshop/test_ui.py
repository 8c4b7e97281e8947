"""The workshop windows, driven headless: the facilitator's controls over a table, and the
debrief screen. Every test here runs with SDL_VIDEODRIVER=dummy."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
pygame = pytest.importorskip("pygame")

from game.workshop.debrief import collect  # noqa: E402
from game.workshop.tables import start_session  # noqa: E402


@pytest.fixture
def window(tmp_path, tiny_workshop):
    """Table A of the tiny workshop in a facilitator window (Ana is the one human)."""
    from game.ui.facilitator import Facilitator
    from game.ui.play import Play
    from game.ui.scenes import scene_for_step
    from game.ui.workshop_app import WorkshopApp
    session, setup = start_session(tiny_workshop, "A", path=tmp_path / "save.json")
    app = WorkshopApp((1280, 720), fps=0)
    play = Play(session)
    app.facilitator = Facilitator(app, play, setup, tmp_path / "result.json", pin=PIN)
    app.go(scene_for_step(app, play))
    app.step()
    yield app, play, tmp_path / "result.json"
    pygame.display.quit()


def _press(app, key, frames: int = 2) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
    for _ in range(frames):
        app.step()


PIN = "2468"


def _open_panel(app, pin: str = PIN) -> None:
    """F9, the PIN typed on the number keys, Enter."""
    _press(app, pygame.K_F9)
    for digit in pin:
        _press(app, getattr(pygame, f"K_{digit}"), frames=1)
    _press(app, pygame.K_RETURN)


def _to_seat_screen(app, limit: int = 400) -> None:
    """Move on (news, hand-off) until a seat's own screen is up."""
    for _ in range(limit):
        if getattr(app.scene, "private", False) or app.scene.name == "end":
            return
        if app.scene.name == "news":
            _press(app, pygame.K_RETURN)
        else:
            for _ in range(30):
                app.step()
            _press(app, pygame.K_SPACE)
    raise AssertionError(f"stuck on {app.scene.name}")


def test_the_panel_covers_a_private_screen_and_fires_an_event(window):
    app, play, _ = window
    _to_seat_screen(app)
    assert app.scene.name == "employee" and app.scene.private
    assert any(text.endswith("left") for text in app.painter.drawn)   # the seat's clock
    _open_panel(app)
    shown = list(app.painter.drawn)
    assert shown[0].startswith("Facilitator — Table A: Leaderboard")
    assert "Real work" not in shown and "Farm tokens" not in shown   # the seat's cards
    _press(app, pygame.K_RETURN)
    assert play.session.actions == [] or all(a.kind != "inject"
                                             for a in play.session.actions)
    _press(app, pygame.K_RETURN)
    assert play.session.actions[-1].kind == "inject"
    assert any(h.headline == "Production is down" and h.injected for h in play.state.news)


def test_pause_stops_the_clock_and_hides_the_screen(window):
    app, play, _ = window
    _to_seat_screen(app)
    clock, seat = app.facilitator.current_clock()
    _open_panel(app)
    _press(app, pygame.K_p)
    _press(app, pygame.K_ESCAPE)
    before = clock.remaining
    for _ in range(120):
        app.step()
    assert clock.remaining == before
    assert app.painter.drawn[0] == "Paused"
    _press(app, pygame.K_RETURN)          # keys do not reach the seat's screen while paused
    assert app.scene.private and not app.scene.message


def test_the_projector_shows_public_information_only(window):
    app, play, _ = window
    _to_seat_screen(app)
    _open_panel(app)
    _press(app, pygame.K_v)
    shown = " | ".join(app.painter.drawn)
    assert "Week 1 of 4" in shown and "Token leaderboard (locked)" in shown
    assert "Tokens burned" in shown                 # every role sees it live
    for private in ("Quality", "Secret", "Rumour", "Slop", "Output", "Real work", "Farm"):
        assert private not in shown                 # lagged, hidden, noisy, or a seat's own
    _press(app, pygame.K_ESCAPE)
    assert app.facilitator.mode is None


def test_time_outs_play_the_table_to_the_end_and_write_the_result(window):
    app, play, path = window
    for _ in range(60):
        _to_seat_screen(app)
        if app.scene.name == "end":
            break
        clock, _ = app.facilitator.current_clock()
        clock.remaining = 0.001
        app.step()
        app.step()
    assert app.scene.name == "end"
    for _ in range(3):
        app.step()
    data = json.loads(path.read_text())
    assert data["finished"] and data["table"]["id"] == "A" and data["predictions"] == []
    ana = next(o["seat"] for o in data["outcomes"] if o["name"] == "Ana")
    play.predictions[ana] = 40.0
    for _ in range(70):
        app.step()
    data = json.loads(path.read_text())
    assert [(p["name"], p["predicted_health"]) for p in data["predictions"]] == [("Ana", 40.0)]


def test_the_debrief_screen_walks_through_every_view(four_tables, tmp_path):
    from game.ui.workshop_app import run_debrief
    shots = tmp_path / "shots"
    assert run_debrief(collect(four_tables), screenshots=shots, max_frames=2000) == 0
    names = sorted(p.stem for p in shots.glob("*.png"))
    assert names == ["01-debrief-all", "02-debrief-table-1", "03-debrief-table-2",
                     "04-debrief-table-3", "05-debrief-table-4", "06-debrief-conditions"]


def test_the_debrief_screen_shows_tables_conditions_and_numbers(four_tables):
    from game.ui.app import App
    from game.ui.scenes.debrief import DebriefScene
    debrief = collect(four_tables)
    app = App((1280, 720), fps=0)
    try:
        app.go(DebriefScene(app, debrief))
        app.step()
        texts = " | ".join(app.visible_texts())
        for s in debrief.summaries:
            assert s.label in texts
            assert f"Health {s.health_start:.0f} to {s.health_end:.0f}" in texts
        assert "Leaderboard" in texts and "Outcomes" in texts
        _press(app, pygame.K_c)
        texts = " | ".join(app.visible_texts())
        for c in debrief.conditions():
            assert f"{c.mean_health_end:.1f}" in texts
        _press(app, pygame.K_ESCAPE)
        _press(app, pygame.K_RETURN)
        assert app.scene.view == "table" and app.scene.index == 0
        _press(app, pygame.K_RIGHT)
        assert "Table B (2 of 4)" in app.visible_texts()
    finally:
        pygame.display.quit()


def test_a_table_window_plays_to_the_end_and_writes_the_result(tmp_path, tiny_workshop, capsys):
    from game.ui.workshop_app import run_table_window
    session, setup = start_session(tiny_workshop, "B", fill={})
    out = tmp_path / "b.json"
    code = run_table_window(session, setup, out, autoplay=True, screenshots=tmp_path / "shots",
                            max_frames=5000)
    assert code == 0
    assert json.loads(out.read_text())["finished"] is True
    assert f"Result file for the debrief: {out}" in capsys.readouterr().out


def test_f9_asks_for_the_pin_and_a_wrong_pin_opens_nothing(window):
    app, play, _ = window
    _to_seat_screen(app)
    _press(app, pygame.K_F9)
    assert app.facilitator.mode == "pin"
    shown = " | ".join(app.painter.drawn)
    assert "enter the PIN" in shown and "Real work" not in shown   # the seat's screen is covered
    for digit in "1357":
        _press(app, getattr(pygame, f"K_{digit}"), frames=1)
    _press(app, pygame.K_RETURN)
    assert app.facilitator.mode is None and app.scene.name == "employee"
    assert "Wrong PIN: the facilitator panel stays closed." in app.painter.drawn
    _press(app, pygame.K_p)                       # a panel key does nothing now
    assert not app.facilitator.paused
    _open_panel(app)
    assert app.facilitator.mode == "panel"
    assert app.painter.drawn[0].startswith("Facilitator — Table A")


def test_the_pin_comes_from_the_workshop_file_or_is_printed(tmp_path, tiny_workshop, capsys):
    from game.ui.workshop_app import facilitator_pin
    from game.workshop.tables import table_setup
    setup = table_setup(tiny_workshop, "A")
    assert setup.facilitator_pin is None
    pin = facilitator_pin(setup)
    assert len(pin) == 4 and pin.isdigit()
    assert f"Facilitator PIN for this table (F9 asks for it): {pin}" in capsys.readouterr().out
    chosen = tiny_workshop.workshop.model_copy(update={"facilitator_pin": "97531"})
    loaded = dataclasses.replace(tiny_workshop, workshop=chosen)
    assert facilitator_pin(table_setup(loaded, "A")) == "97531"
    assert capsys.readouterr().out == ""
