"""The terminal game as a user runs it: piped input, a kill mid-turn, and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, TINY


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "GOODHART_HOME": str(home), "PYTHONUNBUFFERED": "1"}


def _goodhart(args: list[str], home: Path, stdin: str, timeout: float = 120):
    return subprocess.run([sys.executable, "-m", "game", *args], input=stdin, text=True,
                          capture_output=True, env=_env(home), cwd=ROOT, timeout=timeout)


def test_the_flagship_plays_to_the_end_through_piped_input(tmp_path):
    turns = 12
    stdin = "1=3 2=5 4=2\n" * turns + "45\n"
    result = _goodhart(["play", "tokenmaxxing", "--text", "--seed", "3"], tmp_path, stdin)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert "What really happened" in out
    assert "proxy index" in out and "health index" in out
    assert out.count("effort> ") == turns
    assert "predicted health 45" in out
    save = json.loads(next((tmp_path / "saves").glob("*.json")).read_text())
    assert save["phase"] == "ended"


def test_hot_seat_hands_off_between_humans_and_clears_the_screen(tmp_path):
    stdin = ("\n" + "\n".join(["", "1=10", ""]) + "\n") * 4 + "50\n50\n"
    args = ["play", str(TINY), "--text", "--seed", "1", "--human", "manager:Mo",
            "--human", "employee:Ana", "--bot", "employee=random"]
    result = _goodhart(args, tmp_path, stdin)
    assert result.returncode == 0, result.stderr
    assert "Pass the keyboard to Ana" in result.stdout
    assert "(screen cleared)" in result.stdout


def test_a_mistake_is_explained_and_asked_again(tmp_path):
    stdin = "1=99\nbanana\n" + "1=10\n" * 4 + "50\n"
    result = _goodhart(["play", str(TINY), "--text", "--seed", "1"], tmp_path, stdin)
    assert result.returncode == 0, result.stderr
    assert "only 10 are available" in result.stdout or "at most 10" in result.stdout
    assert "should look like number=value" in result.stdout


def _wait_for(path_glob, predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in path_glob():
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if predicate(data):
                return path, data
        time.sleep(0.05)
    raise AssertionError("the game never reached the expected point")


def test_a_killed_game_resumes_with_no_completed_phase_lost(tmp_path):
    args = [sys.executable, "-m", "game", "play", "tokenmaxxing", "--text", "--seed", "11"]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=_env(tmp_path), cwd=ROOT)
    proc.stdin.write("1=4 2=6\n" * 3)
    proc.stdin.flush()
    saves = lambda: (tmp_path / "saves").glob("*.json")  # noqa: E731
    path, before = _wait_for(saves, lambda d: d["turn"] == 4 and d["phase"] == "work")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    killed = json.loads(path.read_text())
    assert len(killed["actions"]) >= len(before["actions"])
    result = _goodhart(["resume", str(path), "--text"], tmp_path, "1=4 2=6\n" * 9 + "50\n")
    assert result.returncode == 0, result.stderr
    assert "Resuming" in result.stdout and "What really happened" in result.stdout
    final = json.loads(path.read_text())
    assert final["phase"] == "ended"
    assert final["actions"][:len(killed["actions"])] == killed["actions"]


def test_resume_with_a_corrupt_save_says_so_in_one_line_and_leaves_the_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"kind": "goodhart-save", "format": 1, "seed": ')
    result = _goodhart(["resume", str(bad), "--text"], tmp_path, "")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "damaged or truncated" in result.stderr
    assert bad.read_text() == '{"kind": "goodhart-save", "format": 1, "seed": '


def test_resume_with_nothing_to_resume_says_how_to_start(tmp_path):
    result = _goodhart(["resume", "--text"], tmp_path, "")
    assert result.returncode != 0
    assert "goodhart play" in result.stderr and "Traceback" not in result.stderr
