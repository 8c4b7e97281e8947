"""`goodhart simulate`: a summary table, JSON and CSV files, one-line errors."""

from __future__ import annotations

import csv
import json

import pytest

from game.cli.main import run
from tests.conftest import TINY


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    code = run(["simulate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_a_summary_table_and_writes_json_and_csv(capsys, tmp_path):
    js, cs = tmp_path / "s.json", tmp_path / "runs.csv"
    code, out, err = invoke(capsys, str(TINY), "--runs", "6", "--seed", "3", "--bot",
                            "manager=hype", "--bot", "employee=gamer", "--json", str(js),
                            "--csv", str(cs), "--quiet")
    assert code == 0
    assert "proxy index, end" in out and "health index, end" in out
    assert "employee:gamer" in out and "outage" in out
    data = json.loads(js.read_text())
    assert data["runs"] == 6 and data["strategies"] == {"manager": "hype", "employee": "gamer"}
    rows = list(csv.DictReader(cs.open()))
    assert len(rows) == 6 and rows[0]["run"] == "0"


def test_json_to_stdout_keeps_the_table_on_stderr(capsys):
    code, out, err = invoke(capsys, str(TINY), "--runs", "2", "--json", "-", "--quiet")
    assert code == 0
    assert json.loads(out)["runs"] == 2
    assert "proxy index" in err


def test_progress_bar_goes_to_stderr(capsys):
    code, out, err = invoke(capsys, str(TINY), "--runs", "3")
    assert code == 0 and "3/3" in err and "3/3" not in out


@pytest.mark.parametrize("args,message", [
    (["--bot", "employee=hype"], "unknown strategy 'hype' for employee"),
    (["--bot", "boss=gamer"], "unknown role 'boss'"),
    (["--bot", "employee"], "is not ROLE=STRATEGY"),
    (["--runs", "0"], "--runs must be at least 1"),
    (["--runs", "-3"], "--runs must be at least 1"),
    (["--workers", "0"], "--workers must be at least 1"),
])
def test_a_bad_argument_is_one_line_and_exit_2(capsys, args, message):
    code, out, err = invoke(capsys, str(TINY), *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


def test_a_missing_scenario_is_one_line(capsys):
    code, out, err = invoke(capsys, "no-such-scenario", "--runs", "1")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_locked_policies_hold_in_every_run_and_are_reported(capsys, tmp_path):
    js = tmp_path / "s.json"
    code, out, err = invoke(capsys, str(TINY), "--runs", "4", "--bot", "manager=random",
                            "--lock", "outcomes=strong", "--json", str(js), "--quiet")
    assert code == 0, err
    assert "outcomes held at 2" in out
    assert json.loads(js.read_text())["locked"] == {"outcomes": 2}
    from game.analysis.simulate import run_game
    from game.scenario.load import load_scenario
    record = run_game(load_scenario(TINY), 5, {"manager": "random"}, locked={"outcomes": 2})
    assert record.policies and all(turn["outcomes"] == 2 for turn in record.policies)


@pytest.mark.parametrize("lock, message", [
    ("nope=1", "should be POLICY=LEVEL"),
    ("outcomes=9", "has no level '9'"),
    ("outcomes", "should be POLICY=LEVEL"),
])
def test_a_bad_lock_is_one_line_and_exit_2(capsys, lock, message):
    code, out, err = invoke(capsys, str(TINY), "--runs", "2", "--lock", lock, "--quiet")
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_locks_that_exclude_each_other_are_refused(capsys):
    code, out, err = invoke(capsys, str(TINY), "--runs", "2", "--lock", "leaderboard=on",
                            "--lock", "outcomes=light", "--quiet")
    assert code == 2 and "cannot both be on" in err


def test_all_cores_are_used_unless_told_otherwise(capsys, monkeypatch):
    import game.cli.simulate_command as command
    used = []
    real = command.simulate
    monkeypatch.setattr(command.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    monkeypatch.setattr(command, "simulate",
                        lambda *a, **k: used.append(k["workers"]) or real(*a, **k))
    assert invoke(capsys, str(TINY), "--runs", "6", "--quiet")[0] == 0
    assert invoke(capsys, str(TINY), "--runs", "2", "--quiet")[0] == 0
    assert invoke(capsys, str(TINY), "--runs", "6", "--workers", "1", "--quiet")[0] == 0
    assert used == [3, 2, 1]
