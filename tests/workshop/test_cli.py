"""`goodhart debrief` and `goodhart workshop` as a facilitator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from game.cli.main import run
from tests.conftest import ROOT
from tests.workshop.conftest import FIXTURES, TINY_WORKSHOP


def _goodhart(args, home):
    env = {**os.environ, "GOODHART_HOME": str(home), "SDL_VIDEODRIVER": "dummy"}
    return subprocess.run([sys.executable, "-m", "game", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_debrief_reports_missing_corrupt_and_foreign_files_and_exports_the_rest(four_tables,
                                                                                tmp_path):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"format": 1, "kind": "goodhart-result", "turns": [')
    foreign = tmp_path / "foreign.json"
    data = json.loads(four_tables[3].read_text())
    data["scenario"]["id"] = "sales_quotas"
    foreign.write_text(json.dumps(data))
    out = tmp_path / "slides"
    result = _goodhart(["debrief", *four_tables[:3], tmp_path / "missing.json", corrupt, foreign,
                        "--export", out], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert errors[0].endswith("missing.json: no such result file")
    assert "corrupt.json" in errors[1] and "damaged or truncated" in errors[1]
    assert "foreign.json: a table of scenario 'sales_quotas', not 'tiny'" in errors[2]
    assert errors[3].startswith(f"wrote 9 files to {out}")  # the 9th: debrief-lessons.csv
    assert "Table A" in result.stdout and "Table C" in result.stdout
    assert "Table D" not in result.stdout
    assert (out / "debrief-long.csv").is_file() and (out / "comparison.png").is_file()


def test_debrief_with_nothing_loadable_is_one_line_and_exit_1(tmp_path):
    result = _goodhart(["debrief", tmp_path / "a.json", "--text"], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"{tmp_path / 'a.json'}: no such result file",
                                          "no table could be loaded, so there is nothing to "
                                          "debrief"]


def test_a_bad_workshop_file_is_one_line_from_the_cli(tmp_path, capsys):
    code = run(["workshop", "check", str(FIXTURES / "bad-unknown-policy.yaml")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (f"{FIXTURES / 'bad-unknown-policy.yaml'}:6:18: unknown policy 'leaderbord' in "
                   "the condition of table 'A' (did you mean 'leaderboard'?)\n")


def test_workshop_check_lists_tables_and_seats(capsys):
    assert run(["workshop", "check", str(TINY_WORKSHOP)]) == 0
    out = capsys.readouterr().out
    assert "4 table(s)" in out and "Leaderboard" in out and "Ana" in out
    assert "timers 60s policy / 90s work" in out


def test_workshop_rehearse_writes_one_result_per_table(tmp_path, capsys):
    out = tmp_path / "rehearsal"
    assert run(["workshop", "rehearse", str(TINY_WORKSHOP), "--out", str(out)]) == 0
    files = sorted(out.glob("*.json"))
    assert len(files) == 4
    assert all("tiny-workshop-table-" in f.name for f in files)
    assert run(["debrief", str(out), "--text"]) == 0
    assert "Outcomes" in capsys.readouterr().out


def test_workshop_result_turns_an_autosave_into_a_result(tmp_path, tiny_workshop, capsys):
    from game.workshop.run import play_to_end
    from game.workshop.tables import start_session
    from tests.workshop.conftest import bot_factory
    save = tmp_path / "save.json"
    session, _ = start_session(tiny_workshop, "C", path=save, fill={})
    play_to_end(session, bot_factory())
    assert run(["workshop", "result", str(save), "--out", str(tmp_path / "res")]) == 0
    written = next((tmp_path / "res").glob("*.json"))
    assert json.loads(written.read_text())["table"]["id"] == "C"
    assert "(finished)" in capsys.readouterr().out


def _goodhart_input(args, home, stdin):
    env = {**os.environ, "GOODHART_HOME": str(home), "SDL_VIDEODRIVER": "dummy"}
    return subprocess.run([sys.executable, "-m", "game", *map(str, args)], input=stdin,
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_a_workshop_table_in_the_terminal_writes_its_result_with_predictions(tmp_path):
    args = ["play", "--workshop", TINY_WORKSHOP, "--table", "a", "--text"]
    result = _goodhart_input(args, tmp_path, "1=6 2=4\n" * 4 + "40\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = list((tmp_path / "results").glob("tiny-workshop-table-A-seed11-*.json"))
    assert len(written) == 1 and f"Result file for the debrief: {written[0]}" in result.stdout
    data = json.loads(written[0].read_text())
    assert data["condition"]["locked"] == {"leaderboard": 1}
    assert [(p["name"], p["predicted_health"]) for p in data["predictions"]] == [("Ana", 40.0)]


def test_a_resumed_workshop_table_still_writes_its_result(tmp_path):
    args = ["play", "--workshop", TINY_WORKSHOP, "--table", "A", "--text"]
    first = _goodhart_input(args, tmp_path, "1=6 2=4\n" * 2)
    assert "Input ended" in first.stdout
    assert not (tmp_path / "results").exists()
    save = next((tmp_path / "saves").glob("*.json"))
    again = _goodhart_input(["resume", "--text", save], tmp_path, "1=6 2=4\n" * 2 + "55\n")
    assert again.returncode == 0, again.stderr
    assert "Resuming Table A of Rehearsal on the tiny scenario" in again.stdout
    data = json.loads(next((tmp_path / "results").glob("*.json")).read_text())
    assert data["finished"] and data["predictions"][0]["predicted_health"] == 55.0


def test_play_needs_both_workshop_and_table(tmp_path):
    result = _goodhart_input(["play", "--table", "A", "--text"], tmp_path, "")
    assert result.returncode == 2
    assert result.stderr.startswith("goodhart: error: --workshop and --table go together")
