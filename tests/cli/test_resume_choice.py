"""`goodhart resume` with hostile files and with several unfinished games."""

from __future__ import annotations

import io
import os
import random

import pytest

from game.cli.main import run
from game.cli.saves_menu import choose_save
from game.engine import Game
from game.engine.save import Session, new_save_path, save_dir
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.conftest import random_action


def _game(seed: int, actions: int, name: str = "You", when: float | None = None):
    """An unfinished tiny game in the save folder, with one human seat named `name`."""
    game = Game(load_scenario(TINY))
    seats = game.default_seats()
    seats[-1] = seats[-1].model_copy(update={"name": name})
    seats = [s if s.name == name else s.model_copy(update={"controller": "bot:random"})
             for s in seats]
    path = new_save_path(f"tiny-{seed}", seed)
    session = Session(game, seed, seats, path=path, scenario_path=str(TINY))
    rng = random.Random(seed)
    for _ in range(actions):
        session.act(random_action(game, session.state, game.to_act(session.state)[0], rng))
    if when is not None:
        os.utime(path, (when, when))
    return path


@pytest.mark.parametrize("text, problem", [
    ("[" * 100_000 + "]" * 100_000, "recursion limit exceeded"),
    ('{"kind": "goodhart-save", "seed": ' + "5" * 5001 + "}", "number out of range"),
])
def test_resume_of_a_hostile_save_is_one_line(tmp_path, capsys, text, problem):
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    assert run(["resume", str(bad), "--text"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and problem in err and str(bad) in err


def test_a_bad_file_in_the_folder_is_skipped_with_a_warning(capsys):
    good = _game(1, 3)
    (save_dir() / "deep.json").write_text("[" * 10_000 + "]" * 10_000)
    assert choose_save(None) == good
    err = capsys.readouterr().err
    assert err.startswith("skipped ") and "deep.json" in err and len(err.splitlines()) == 1


def test_several_games_without_a_terminal_are_listed_and_the_player_told_what_to_pass(
        capsys, monkeypatch):
    older = _game(1, 1, "Ana", when=1_700_000_000)
    newer = _game(2, 5, "Ben")
    monkeypatch.setattr("game.cli.saves_menu.interactive", lambda: False)
    assert run(["resume", "--text"]) == 1
    out, err = capsys.readouterr()
    assert "2 unfinished games" in out
    assert out.index(str(newer)) < out.index(str(older))
    assert "1. tiny, turn 2, Ben + 2 bots, saved " in out
    assert "2. tiny, turn 1, Ana + 2 bots, saved 2023-11-1" in out
    assert len(err.strip().splitlines()) == 1 and "goodhart resume SAVE" in err


def test_several_games_at_a_terminal_let_the_player_choose(capsys, monkeypatch):
    older = _game(1, 1, "Ana", when=1_700_000_000)
    _game(2, 5, "Ben")
    monkeypatch.setattr("game.cli.saves_menu.interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("7\n2\n"))
    assert choose_save(None) == older
    assert "Which game?" in capsys.readouterr().out


def test_a_finished_game_is_not_offered():
    unfinished = _game(1, 3)
    game = Game(load_scenario(TINY))
    done = Session(game, 5, game.default_seats(), path=new_save_path("tiny-done", 5))
    rng = random.Random(5)
    while not game.is_terminal(done.state):
        done.act(random_action(game, done.state, game.to_act(done.state)[0], rng))
    assert choose_save(None) == unfinished


def test_resume_reads_the_save_once(monkeypatch):
    import game.engine.save as saves
    path = _game(5, 3)
    reads = []
    parse = saves.from_json
    monkeypatch.setattr(saves, "from_json", lambda *a, **k: reads.append(1) or parse(*a, **k))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as ended:
        run(["resume", str(path), "--text"])
    assert ended.value.code == 0
    assert len(reads) == 1, "the save file is read and parsed once, not once per check"
