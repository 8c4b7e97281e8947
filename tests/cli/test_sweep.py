"""`goodhart sweep`: a grid of simulations over constants and locked policies, a table with a
lesson-holds column, one summary line, a CSV, a PNG, one-line errors."""

from __future__ import annotations

import contextlib
import csv
import io

import pygame
import pytest

import game.analysis.sweep as sweep_module
from game.analysis.lesson_check import Verdict
from game.analysis.simulate import simulate
from game.analysis.sweep import Axis, Cell, CellResult, scenario_with
from game.cli.main import run
from game.cli.sweep_table import summary_line, symbols
from game.scenario.load import load_checked
from tests.conftest import ROOT, TINY

FISHERY = str(ROOT / "scenarios" / "fishery.yaml")
GRID = ["--vary", "growth=0.2,0.35", "--lock", "top_catch=on,off", "--runs", "4",
        "--workers", "1", "--quiet"]


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    code = run(["sweep", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def two_by_two(tmp_path_factory):
    """The 2x2 grid run once, with its CSV and PNG."""
    folder = tmp_path_factory.mktemp("sweep")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["sweep", FISHERY, *GRID, "--csv", str(folder / "cells.csv"),
                    "--plot", str(folder / "grid.png")])
    return code, out.getvalue(), err.getvalue(), folder


def test_a_two_by_two_grid_prints_a_row_per_cell_and_a_summary(two_by_two):
    code, out, err, _ = two_by_two
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("fishery: 4 runs a cell, seed 1")
    assert lines[1].split()[:2] == ["growth", "top_catch"] and "lesson holds" in lines[1]
    rows = lines[3:7]
    assert [row.split()[:2] for row in rows] == [["0.2", "on"], ["0.2", "off"],
                                                  ["0.35", "on"], ["0.35", "off"]]
    # the board at the scenario's own growth bears the lesson out; the board at a growth so
    # low that the stock and the landings collapse together does not (the lesson says the
    # landings stayed high while the stock fell); with the board off the games followed
    # neither regime, so no lesson judges them
    # (output captured in a StringIO, which names no encoding: ASCII marks, see below)
    assert "Top catch board" in rows[2] and rows[2].endswith("yes 100%")
    assert "Top catch board" in rows[0] and rows[0].split()[-2] == "no"
    assert "(neither)" in rows[1] and rows[1].endswith("- not judged")
    assert "30.0 -> " in rows[0]
    assert lines[7].startswith("lesson holds in 1 of 2 cells; ")
    assert "2 not judged: their games followed neither regime" in lines[7]


@pytest.mark.parametrize("encoding,mark", [("utf-8", "\u2713"), ("ascii", "yes"),
                                           ("latin-1", "yes")])
def test_the_holds_mark_is_a_tick_where_the_terminal_can_print_one(encoding, mark):
    stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    assert symbols(stream)[True] == mark


def test_the_csv_has_a_row_per_cell(two_by_two):
    _, _, _, folder = two_by_two
    rows = list(csv.DictReader((folder / "cells.csv").open(encoding="utf-8")))
    assert [(r["growth"], r["top_catch"]) for r in rows] == [
        ("0.2", "on"), ("0.2", "off"), ("0.35", "on"), ("0.35", "off")]
    assert [r["lesson_holds"] for r in rows] == ["no", "", "yes", ""]
    assert rows[2]["regime_followed"] == "Top catch board" and rows[2]["runs"] == "4"
    assert float(rows[2]["weakest_lesson_share"]) > 0.5
    assert rows[2]["weakest_lesson"].startswith("The board ranked the boats")


def test_the_png_is_a_slide(two_by_two):
    _, _, err, folder = two_by_two
    image = pygame.image.load(str(folder / "grid.png"))
    assert image.get_size() == (1920, 1080)
    assert "plot written to" in err


def test_a_cell_at_the_files_own_numbers_plays_the_same_games_as_simulate():
    scenario, source = load_checked(FISHERY)
    rebuilt = scenario_with(scenario, source, {"growth": 0.35})
    assert rebuilt is not scenario and rebuilt.constants == scenario.constants
    mine = simulate(rebuilt, 3, 1, {}, locked={"top_catch": 1}, progress=False)
    theirs = simulate(scenario, 3, 1, {}, locked={"top_catch": 1}, progress=False)
    assert mine.model_dump() == theirs.model_dump()
    changed = scenario_with(scenario, source, {"growth": 0.5})
    assert changed.constants["growth"] == 0.5 and scenario.constants["growth"] == 0.35


@pytest.mark.parametrize("args,message", [
    (["--vary", "grwoth=0.2,0.3"], "fishery has no constant 'grwoth'; did you mean 'growth'?"),
    (["--vary", "growth=0.2,lots"], "'lots' in 'growth=0.2,lots' is not a number"),
    (["--vary", "growth=0.2:0.5"], "a range is LOW:HIGH:STEPS"),
    (["--vary", "growth=0.2:0.5:1"], "STEPS must be a whole number from 2 to 100"),
    (["--vary", "growth"], "should be CONSTANT=a,b,c or CONSTANT=LOW:HIGH:STEPS"),
    (["--vary", "growth=0.2,0.9"], ("growth=0.9 is outside its bounds [0.1, 0.6] "
                                    "(constant_bounds, ")),
    (["--vary", "growth=0.2", "--vary", "growth=0.3"], "'growth' is varied twice"),
    (["--lock", "top_board=on"], "fishery has no policy 'top_board'; did you mean 'top_catch'?"),
    (["--lock", "top_catch=sometimes"], "policy 'top_catch' has no level 'sometimes'"),
    (["--vary", "growth=0.1:0.6:21", "--vary", "capacity=500:2000:20"],
     "420 cells (21 growth x 20 capacity); a sweep has at most 400"),
    (["--vary", "growth=0.2,0.3", "--vary", "fuel=0,0.1", "--lock", "top_catch=on,off",
      "--plot", "x.png"], "a plot shows one or two varied things; this sweep varies 3"),
    (["--vary", "growth=0.2,0.3", "--plot", "x.jpg"], "'x.jpg' should end in .png"),
    (["--bot", "boat=hype"], "unknown strategy 'hype' for boat"),
    (["--runs", "0"], "--runs must be at least 1"),
    (["--csv", f"{FISHERY}/cells.csv"], f"cannot make the folder {FISHERY}"),  # a file
])
def test_a_bad_input_is_one_line_and_exit_2(capsys, args, message):
    code, out, err = invoke(capsys, FISHERY, *args, "--quiet")
    assert code == 2
    assert message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""


def test_an_unknown_scenario_is_one_line(capsys):
    code, _, err = invoke(capsys, "no-such-scenario", "--vary", "growth=0.2")
    assert code == 1 and "no bundled scenario of that name" in err
    assert len(err.strip().splitlines()) == 1


def test_ctrl_c_stops_and_keeps_the_cells_done(capsys, tmp_path, monkeypatch):
    calls = []
    real = sweep_module.run_cell

    def interrupted_on_the_third(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sweep_module, "run_cell", interrupted_on_the_third)
    table = tmp_path / "cells.csv"
    code, out, err = invoke(capsys, FISHERY, *GRID, "--csv", str(table))
    assert code == 130
    assert "interrupted after 2 of 4 cells" in err and "Traceback" not in err
    assert "(2 of 4 cells done)" in out
    assert len(list(csv.DictReader(table.open(encoding="utf-8")))) == 2


def test_regimes_are_an_axis_whose_cells_hold_every_lock_of_one_regime(capsys):
    code, out, err = invoke(capsys, FISHERY, "--regimes", "--runs", "4", "--workers", "1",
                            "--quiet")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].split()[0] == "regime" and "regime followed" not in lines[1]
    assert lines[3].startswith("Top catch board ") and lines[4].startswith("Catch shares ")
    assert lines[5] == "lesson holds in 2 of 2 cells"


def test_a_scenario_without_regimes_is_not_judged(capsys):
    code, out, err = invoke(capsys, str(TINY), "--vary", "token_rate=4,6", "--runs", "2",
                            "--workers", "1", "--quiet")
    assert code == 0, err
    assert "(none declared)" in out and "not judged" in out
    assert out.splitlines()[-1].startswith("no cell judged; 2 not judged: the scenario "
                                           "declares no what_if regime")
    code, out, err = invoke(capsys, str(TINY), "--regimes", "--quiet")
    assert code == 2 and "tiny declares no what-if regimes" in err


def _result(labels: tuple[str, ...], holds: bool | None) -> CellResult:
    lessons = () if holds is None else (("The lesson.", 0.9 if holds else 0.2),)
    return CellResult(Cell(tuple(range(len(labels))), labels), 4, 30, 50, 60, 40, 40.0,
                      Verdict("Board" if holds is not None else None, lessons,
                              "" if holds is not None else "no regime declared"))


@pytest.mark.parametrize("verdicts,words", [
    ({("0.2", "on"): False, ("0.2", "off"): False, ("0.5", "on"): True, ("0.5", "off"): True},
     "lesson holds in 2 of 4 cells; fails where growth is 0.2 (the lesson missed most"),
    ({("0.2", "on"): False, ("0.2", "off"): False, ("0.5", "on"): False, ("0.5", "off"): True},
     "lesson holds in 1 of 4 cells; holds only where (growth=0.5, board=off) ("),
    ({("0.2", "on"): False, ("0.2", "off"): False, ("0.35", "on"): True,
      ("0.35", "off"): True, ("0.5", "on"): True, ("0.5", "off"): False},
     "lesson holds in 3 of 6 cells; fails where growth is 0.2, and at (growth=0.5, board=off) ("),
    ({("0.2", "on"): True, ("0.2", "off"): None, ("0.5", "on"): True, ("0.5", "off"): None},
     "lesson holds in 2 of 2 cells; 2 not judged: the scenario declares no what_if regime"),
])
def test_the_summary_says_where_the_lesson_fails_as_briefly_as_the_grid_allows(verdicts, words):
    axes = [Axis("growth", "constant", (0.2, 0.35, 0.5), ("0.2", "0.35", "0.5")),
            Axis("board", "policy", (1.0, 0.0), ("on", "off"))]
    results = [_result(labels, holds) for labels, holds in verdicts.items()]
    assert words in summary_line(axes, results, len(results))
