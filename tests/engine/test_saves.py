"""Saves are untrusted input: bounded reads, bad files skipped, the scenario kept in the save."""

from __future__ import annotations

import json
import os
import random
import shutil
import time

import pytest

from game.engine import Game
from game.engine import save as save_module
from game.engine.save import (STALE_TMP_SECONDS, Session, fingerprint, latest_save,
                              new_save_path, open_save, read_save, save_dir, unfinished_saves)
from game.errors import SaveError
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.conftest import random_action


def _session(path, scenario=TINY, actions: int = 5, seed: int = 3) -> Session:
    """A tiny game autosaving to `path`, a few random legal actions in."""
    game = Game(load_scenario(scenario))
    session = Session(game, seed, game.default_seats(), path=path, scenario_path=str(scenario))
    rng = random.Random(seed)
    for _ in range(actions):
        session.act(random_action(game, session.state, game.to_act(session.state)[0], rng))
    return session


def _save_with(path, **changes) -> None:
    """A valid save at `path`, with some of its fields replaced by raw JSON text."""
    _session(path, actions=1)
    text = path.read_text()
    for key, raw in changes.items():
        data = json.loads(text)
        data[key] = "@@"
        text = json.dumps(data).replace('"@@"', raw)
    path.write_text(text)


@pytest.mark.parametrize("field, raw, problem", [
    ("meta", "[" * 100_000 + "]" * 100_000, "recursion limit"),
    ("seed", "9" * 5001, "number out of range"),
    ("seed", '"seven"', "damaged save: seed: Input should be a valid integer"),
])
def test_a_hostile_save_is_one_clear_error(tmp_path, field, raw, problem):
    path = tmp_path / "hostile.json"
    _save_with(path, **{field: raw})
    with pytest.raises(SaveError, match=problem) as caught:
        read_save(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_save_over_the_size_cap_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    _session(path, actions=1)
    monkeypatch.setattr("game.engine.save.MAX_SAVE_BYTES", path.stat().st_size - 1)
    with pytest.raises(SaveError, match="limited to"):
        read_save(path)


def test_bad_files_in_the_save_folder_are_skipped_with_a_reason(tmp_path):
    good = _session(new_save_path("tiny", 3))
    folder = save_dir()
    (folder / "deep.json").write_text("[" * 10_000 + "]" * 10_000)
    (folder / "long.json").write_text('{"kind": "goodhart-save", "seed": ' + "7" * 5001 + "}")
    found, skipped = unfinished_saves()
    assert [p for p, _ in found] == [good.path]
    assert sorted(e.file.rsplit("/", 1)[-1] for e in skipped) == ["deep.json", "long.json"]


def test_the_latest_save_is_found_without_reading_the_older_ones(tmp_path, monkeypatch):
    paths = [_session(new_save_path("tiny", seed), actions=1, seed=seed).path for seed in (3, 4, 5)]
    for age, path in zip((30, 20, 10), paths):
        os.utime(path, (time.time() - age, time.time() - age))
    read = []
    monkeypatch.setattr(save_module, "read_save", lambda path: read.append(path) or read_save(path))
    assert latest_save() == paths[-1]
    assert read == [paths[-1]]  # the title screen asks at start-up: one file, not every save


def test_temporary_files_left_by_a_crash_are_removed_but_not_a_write_in_progress(tmp_path):
    _session(new_save_path("tiny", 3), actions=0)
    folder = save_dir()
    stale, fresh = folder / ".a.json.x1.tmp", folder / ".b.json.x2.tmp"
    stale.write_text("{")
    fresh.write_text("{")
    old = time.time() - STALE_TMP_SECONDS - 5
    os.utime(stale, (old, old))
    unfinished_saves()
    assert not stale.exists() and fresh.exists()
    stale.write_text("{")
    os.utime(stale, (old, old))
    new_save_path("tiny", 4)
    assert not stale.exists() and fresh.exists()


def _edited_copy(tmp_path):
    """A copy of the tiny scenario, to edit after a game has started on it."""
    path = tmp_path / "tiny.yaml"
    shutil.copy(TINY, path)
    return path


def test_a_scenario_edited_after_saving_is_resumed_under_its_old_rules(tmp_path):
    scenario = _edited_copy(tmp_path)
    save = tmp_path / "save.json"
    started = _session(save, scenario=scenario)
    before = fingerprint(started.game.scenario)
    scenario.write_text(scenario.read_text().replace("initial: 50", "initial: 60", 1))
    assert fingerprint(load_scenario(scenario)) != before
    resumed, note = open_save(save)
    assert note == ("tiny.yaml has changed since this game started; "
                    "resuming with the rules it started with")
    assert fingerprint(resumed.game.scenario) == before
    assert resumed.state.state_hash() == started.state.state_hash()
    rng = random.Random(9)
    resumed.act(random_action(resumed.game, resumed.state, resumed.game.to_act(resumed.state)[0],
                              rng))
    assert read_save(save).scenario_fingerprint == before


def test_an_unchanged_scenario_resumes_without_a_word(tmp_path):
    save = tmp_path / "save.json"
    _session(save)
    assert open_save(save)[1] is None


def test_an_old_save_without_the_scenario_text_resumes_from_the_file(tmp_path):
    scenario = _edited_copy(tmp_path)
    save = tmp_path / "save.json"
    started = _session(save, scenario=scenario)
    data = json.loads(save.read_text())
    for key in ("scenario_text", "secret"):
        data.pop(key)
    data["format"] = 1
    save.write_text(json.dumps(data))
    resumed, note = open_save(save)
    assert note is None and resumed.state.state_hash() == started.state.state_hash()
    scenario.write_text(scenario.read_text().replace("initial: 50", "initial: 60", 1))
    with pytest.raises(SaveError, match="has changed since this save was made"):
        open_save(save)


@pytest.mark.parametrize("text, problem", [
    ('{"id": "tiny"}', "its scenario does not load"),
    ("[" * 60 + "]" * 60, "its scenario does not load"),
])
def test_a_tampered_scenario_text_is_refused_by_the_scenario_loader(tmp_path, text, problem):
    save = tmp_path / "save.json"
    _session(save)
    data = json.loads(save.read_text())
    data["scenario_text"] = text
    save.write_text(json.dumps(data))
    with pytest.raises(SaveError, match=problem) as caught:
        open_save(save)
    assert "\n" not in str(caught.value)


def test_a_scenario_text_that_loads_but_differs_from_the_fingerprint_is_refused(tmp_path):
    save = tmp_path / "save.json"
    _session(save)
    data = json.loads(save.read_text())
    data["scenario_text"] = data["scenario_text"].replace('"initial":50.0', '"initial":51.0', 1)
    assert data["scenario_text"] != json.loads(save.read_text())["scenario_text"]
    save.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="does not match its fingerprint"):
        open_save(save)


def test_a_scenario_too_big_for_the_loader_is_not_kept_and_resumes_from_its_file(
        tmp_path, monkeypatch):
    monkeypatch.setattr("game.engine.save.MAX_SCENARIO_BYTES", 100)
    save = tmp_path / "save.json"
    started = _session(save)
    assert read_save(save).scenario_text is None
    resumed, note = open_save(save)
    assert note is None and resumed.state.state_hash() == started.state.state_hash()


def test_a_scenario_path_the_file_system_refuses_is_one_clear_error_or_a_note(tmp_path):
    save = tmp_path / "save.json"
    _session(save)
    data = json.loads(save.read_text())
    data["scenario_path"] = "x" * 10_000
    save.write_text(json.dumps(data))
    assert "cannot be loaded any more" in open_save(save)[1]
    data.pop("scenario_text")
    save.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="its scenario path cannot be read"):
        open_save(save)
