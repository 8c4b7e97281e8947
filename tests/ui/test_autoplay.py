"""`goodhart play SCENARIO --autoplay --seed N --screenshots DIR`: an all-bot game through every
scene with nobody at the keyboard, a PNG of each scene, the exports, exit code 0."""

from __future__ import annotations

import json

import pygame

from game.ui.app import run
from game.ui.debrief import LAYERS
from tests.conftest import TINY

SCENES = ["title", "help", "picker", "setup", "news-start", "handoff", "manager",
          "news-policies", "employee", "news", "news-final"] + [f"end-{n}-{name.lower()}" for n, name in
                                   enumerate(LAYERS, start=1)]


def test_autoplay_visits_every_scene_and_saves_a_picture_of_each(tmp_path):
    shots = tmp_path / "shots"
    assert run(scenario=str(TINY), seed=7, autoplay=True, screenshots=shots) == 0
    names = sorted(p.stem.split("-", 1)[1] for p in shots.glob("*.png"))
    assert names == sorted(SCENES)
    picture = pygame.image.load(str(next(shots.glob("*-manager.png"))))
    assert picture.get_size() == (1280, 720)
    exported = next((shots / "export").iterdir())
    game = json.loads((exported / "game.json").read_text())
    assert game["seed"] == 7 and len(game["turns"]) == 5        # the start and four weeks
    assert {p.name for p in exported.iterdir()} >= {"game.json", "turns.csv", "seats.csv"}


def test_a_bad_scenario_is_one_clear_message_not_a_traceback(tmp_path, capsys):
    assert run(scenario=str(tmp_path / "missing.yaml"), seed=1) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def test_a_damaged_save_cannot_be_resumed_and_says_why(tmp_path, capsys):
    save = tmp_path / "broken.json"
    save.write_text("{ not json")
    assert run(resume=save) == 1
    assert "damaged" in capsys.readouterr().err


def test_the_title_screen_opens_and_stays_until_asked(tmp_path):
    assert run(max_frames=3) == 0
