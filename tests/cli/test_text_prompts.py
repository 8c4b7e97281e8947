"""The terminal game's prompts: `?` and `help`, the scenario's names instead of ids, and a
workshop table's phase timers (the time left at each prompt; a seat whose time runs out gets
its previous choice, or a default, as in the table's window)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from game.cli.text_clock import TimeUp
from game.cli.text_game import TextGame
from game.cli.table import build_table
from game.engine import Allocate, Game
from game.engine.save import Session
from game.scenario.load import load_scenario
from game.workshop.load import load_workshop
from game.workshop.model import Timers
from game.workshop.tables import start_session
from tests.conftest import ROOT
from tests.workshop.conftest import FIXTURES, TINY_WORKSHOP

TIME_UP = object()


class Script:
    """Input lines in order; TIME_UP stands for a seat that lets its time run out. Records the
    time limit each read was given."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.limits: list[float | None] = []

    def __call__(self, timeout: float | None) -> str | None:
        self.limits.append(timeout)
        if not self.answers:
            return None
        answer = self.answers.pop(0)
        if answer is TIME_UP:
            raise TimeUp
        return answer + "\n"


def _table_a(tmp_path: Path, script: Script, timers: Timers | None):
    """Table A of the tiny workshop (Ana is the one human) in a TextGame writing to a buffer."""
    session, _ = start_session(load_workshop(TINY_WORKSHOP), "A", path=tmp_path / "save.json")
    out = io.StringIO()
    return TextGame(session, out=out, read=script, timers=timers, clock=lambda: 1000.0), out


def test_a_question_mark_or_help_explains_the_prompt_and_asks_again(tmp_path):
    script = Script("?", "help", "1=10", "1=10", "1=10", "1=10", "?", "40")
    game, out = _table_a(tmp_path, script, None)
    assert game.run() == 0
    text = out.getvalue()
    assert text.count("Help: splitting your effort") == 2
    assert "Help: the prediction" in text
    assert "should look like number=value" not in text
    assert "predicted health 40" in text


def test_the_text_game_shows_names_where_it_showed_ids(tmp_path):
    scenario = load_scenario("tokenmaxxing")
    seats = build_table(scenario, [("manager", "Sam")], {})
    session = Session(Game(scenario), 5, seats, path=tmp_path / "save.json")
    out = io.StringIO()
    TextGame(session, out=out, read=Script("1=1 10=1")).run()
    text = out.getvalue()
    assert ("cannot be active together with 'Public token leaderboard'" in text
            or "'Personal usage dashboards' cannot be active together" in text)
    assert "excludes Personal usage dashboards" in text
    ids = [p.id for p in scenario.policies] + [b.id for b in scenario.behaviours]
    assert not [i for i in ids if "_" in i and i in text]


def test_policy_menu_names_the_policies_a_policy_excludes():
    from game.cli.text_game import render_policy_menu
    from game.engine.actions import Legal, PolicyOption
    legal = Legal(seat=0, phase="policy", must_act=True, budget=3, policies=[
        PolicyOption(id="token_board", name="Token board", levels=("off", "on"), current=0,
                     cost=1, excludes=("own_dash",), locked=False)])
    menu = render_policy_menu(legal, {"own_dash": "Own dashboards"})
    assert "excludes Own dashboards" in menu and "own_dash" not in menu


def test_a_timer_shows_the_time_left_and_a_late_seat_keeps_its_last_choice(tmp_path):
    script = Script("1=4 2=6", TIME_UP, TIME_UP, TIME_UP, "50")
    game, out = _table_a(tmp_path, script, Timers(policy=60, work=90))
    assert game.run() == 0
    text = out.getvalue()
    assert "[1:30 left] effort> " in text
    assert text.count("Time is up: Ana's choice was submitted") == 3
    assert script.limits[:4] == [90.0, 90.0, 90.0, 90.0] and script.limits[4] is None
    ana = [a for a in game.session.actions if isinstance(a, Allocate) and a.seat == 1]
    assert len(ana) == 4 and all(a.effort == ana[0].effort for a in ana)
    assert game.game.is_terminal(game.session.state)


def test_a_seat_out_of_time_on_its_first_turn_gets_the_default_split(tmp_path):
    script = Script(TIME_UP, "", "", "", "50")
    game, out = _table_a(tmp_path, script, Timers(policy=0, work=30))
    game.run()
    first = next(a for a in game.session.actions if isinstance(a, Allocate) and a.seat == 1)
    assert sum(first.effort.values()) == 10 and len(first.effort) > 1
    assert "[0:30 left] effort> " in out.getvalue()


def test_the_workshop_table_in_a_terminal_runs_its_timers(tmp_path):
    """`goodhart play --workshop FILE --table A --text` with one-second timers and a player
    who never answers: every turn moves on by itself; the prediction is then answered."""
    folder = tmp_path / "day"
    folder.mkdir()
    shutil.copy(FIXTURES / "tiny.yaml", folder / "tiny.yaml")
    text = TINY_WORKSHOP.read_text().replace("timers: {policy: 60, work: 90}",
                                             "timers: {policy: 1, work: 1}")
    (folder / "w.yaml").write_text(text + "results: results\n")
    env = {**os.environ, "GOODHART_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "game", "play", "--workshop", "w.yaml",
                             "--table", "A", "--text"], cwd=folder, env={**env,
                            "PYTHONPATH": str(ROOT)}, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = _read_until(proc, b"how healthy is the company now", 60)
    proc.stdin.write(b"35\n")
    proc.stdin.flush()
    rest, err = proc.communicate(timeout=60)
    output = (seen + rest).decode()
    assert proc.returncode == 0, err.decode()
    assert "[0:01 left] effort> " in output
    assert output.count("Time is up: Ana's choice was submitted") == output.count("effort> ")
    assert output.count("effort> ") >= 3
    assert "predicted health 35" in output
    assert len(list((folder / "results").glob("*.json"))) == 1


def _read_until(proc: subprocess.Popen, marker: bytes, seconds: float) -> bytes:
    """Read the process's output until `marker` appears (or fail after `seconds`)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while marker not in seen:
        assert time.monotonic() < deadline, seen.decode()[-2000:]
        chunk = os.read(proc.stdout.fileno(), 4096)
        assert chunk, seen.decode()[-2000:]
        seen += chunk
    return seen
