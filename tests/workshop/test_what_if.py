"""The what-if replay in a workshop: each table's result file, the debrief and its exports."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from game.workshop.debrief import collect
from game.workshop.export import export
from game.workshop.load import load_workshop
from game.workshop.report import render_debrief
from game.workshop.run import run_table
from tests.workshop.conftest import FIXTURES, TINY_WORKSHOP, bot_factory

REGIMES = """  what_if:
    - name: Leaderboard
      text: The token board stays up.
      locks: {leaderboard: on, outcomes: off}
    - name: Outcomes
      locks: {leaderboard: off, outcomes: strong}
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The tiny workshop, its scenario declaring both regimes."""
    folder = tmp_path_factory.mktemp("what-if")
    shutil.copy(TINY_WORKSHOP, folder / TINY_WORKSHOP.name)
    text = (FIXTURES / "tiny.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + REGIMES
    (folder / "tiny.yaml").write_text(text, encoding="utf-8")
    return load_workshop(folder / TINY_WORKSHOP.name)


@pytest.fixture(scope="module")
def two_tables(loaded, tmp_path_factory):
    """Tables A (leaderboard locked) and C (outcomes locked), played headless; their result
    files."""
    folder = tmp_path_factory.mktemp("results")
    paths = []
    for table in "AC":
        path = folder / "results" / f"table-{table}.json"
        run_table(loaded, table, path=path, make_bot=bot_factory())
        paths.append(path)
    return paths


def test_each_result_file_carries_the_contrasting_replay(two_tables):
    a, c = (json.loads(p.read_text()) for p in two_tables)
    assert a["what_if"]["regime"] == "Outcomes"        # table A ran the leaderboard
    assert c["what_if"]["regime"] == "Leaderboard"     # table C ran outcome metrics
    for data in (a, c):
        w = data["what_if"]
        assert w["seed"] == data["seed"]
        assert len(w["proxy"]) == len(w["health"]) == len(data["turns"])
        assert w["proxy"][0] == pytest.approx(data["turns"][0]["proxy_index"])   # same start
    assert a["what_if"]["locks"] == {"leaderboard": 0, "outcomes": 2}


def test_the_debrief_report_and_exports_carry_the_what_if(two_tables, tmp_path):
    debrief = collect(two_tables)
    first = debrief.summaries[0]
    assert first.what_if is not None and first.what_if.regime == "Outcomes"
    report = render_debrief(debrief)
    assert report.count('what if "') == 2
    assert f"health {first.what_if.health[-1]:.1f} (here {first.health_end:.1f})" in report
    export(debrief, tmp_path)
    with open(tmp_path / "debrief-tables.csv", newline="") as f:
        rows = {r["table"]: r for r in csv.DictReader(f)}
    assert rows["Table A"]["what_if_regime"] == "Outcomes"
    assert float(rows["Table A"]["what_if_health_end"]) == pytest.approx(
        first.what_if.health[-1], abs=1e-5)
    with open(tmp_path / "debrief-long.csv", newline="") as f:
        long = [r for r in csv.DictReader(f) if r["table"] == "Table A"
                and r["metric"] == "what_if_gap"]
    assert [float(r["value"]) for r in long] == pytest.approx(first.what_if.gap, abs=1e-5)


def test_the_debrief_screen_shows_each_tables_what_if(two_tables):
    pygame = pytest.importorskip("pygame")
    from game.ui.app import App
    from game.ui.scenes.debrief import DebriefScene
    debrief = collect(two_tables)
    app = App((1280, 720), fps=0)
    try:
        scene = DebriefScene(app, debrief)
        app.go(scene)
        app.step()
        w = debrief.summaries[0].what_if
        overview = " | ".join(app.visible_texts())
        assert f"What if: health {w.health[-1]:.0f}, gap {w.gap[-1]:+.0f}" in overview
        scene.show("table", 0)
        app.step()
        shown = " ".join(app.visible_texts())
        assert "What if: Outcomes (bots, the same seed)" in shown
        assert f"health {w.health[-1]:.1f} (here {debrief.summaries[0].health_end:.1f})" in shown
    finally:
        pygame.display.quit()


def test_a_table_window_rewrites_its_result_once_the_replay_arrives(loaded, tmp_path):
    from game.ui.workshop_app import run_table_window
    from game.workshop.tables import start_session
    session, setup = start_session(loaded, "B", fill={})
    out = tmp_path / "b.json"
    code = run_table_window(session, setup, out, autoplay=True, screenshots=tmp_path / "shots",
                            max_frames=20000)
    assert code == 0
    data = json.loads(out.read_text())
    assert data["finished"] is True
    assert data["what_if"]["regime"] == "Outcomes" and data["what_if"]["seed"] == data["seed"]
    assert any("what-if" in p.name for p in (tmp_path / "shots").glob("*.png"))


def test_a_terminal_table_plays_its_what_if_once_for_the_reveal_and_the_result(
        loaded, tmp_path, monkeypatch, capsys):
    import io

    import game.analysis.what_if as what_if
    from game.cli.workshop_commands import _play_text
    from game.workshop.tables import start_session
    played = []
    replay = what_if.replay_what_if
    monkeypatch.setattr(what_if, "replay_what_if", lambda *args: played.append(1) or replay(*args))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    session, setup = start_session(loaded, "C", fill={})
    out = tmp_path / "c.json"
    assert _play_text(session, out, setup.timers) == 0
    assert 'What if: the same company under "' in capsys.readouterr().out
    assert json.loads(out.read_text())["what_if"]["seed"] == session.seed
    assert len(played) == 1, "the reveal and the result file share one replay"
