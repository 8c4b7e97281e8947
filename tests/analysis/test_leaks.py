"""Lint warns when a number a role sees gives away one hidden from it (found by play)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.leaks import leak_findings
from game.cli.main import run
from game.scenario.lint import lint_file
from game.scenario.load import list_bundled, load_scenario
from game.scenario.rules import rules_for

LEAKY = Path(__file__).resolve().parent / "fixtures" / "leaky.yaml"


def findings(path: Path) -> list[str]:
    scenario = load_scenario(path)
    return [f.message for f in leak_findings(scenario, rules_for(scenario))]


def test_a_visible_copy_of_last_weeks_hidden_number_is_warned_about():
    found = findings(LEAKY)
    assert len(found) == 1, found
    message = found[0]
    assert "role 'founder' sees metric 'signups'" in message
    assert "hidden metric 'users' a turn late" in message
    assert "noise" in message and "causes of its own" in message


def test_the_warning_is_a_lint_line_at_the_visible_metric(capsys):
    code = run(["lint", str(LEAKY)])
    out = capsys.readouterr().out.splitlines()
    line = next(i for i, text in enumerate(LEAKY.read_text().splitlines(), 1)
                if "id: signups" in text)
    assert code == 0
    assert out[0].startswith(f"{LEAKY}:{line}:") and ": warning: role 'founder'" in out[0]
    assert out[-1] == "1 file, 0 errors, 1 warning"


def test_lint_no_play_skips_the_games(capsys):
    assert run(["lint", "--no-play", str(LEAKY)]) == 0
    assert capsys.readouterr().out == "1 file, 0 errors, 0 warnings\n"


def test_lint_file_without_play_checks_does_not_play():
    assert lint_file(LEAKY) == []
    assert [d.severity for d in lint_file(LEAKY, play_checks=(leak_findings,))] == ["warning"]


def test_a_turnout_of_its_own_makes_it_no_copy(tmp_path):
    text = LEAKY.read_text().replace(
        "  - {target: signups, value: users}",
        "  - {target: signups, value: users * turnout}").replace(
        "  word_of_mouth:", "  turnout: {uniform: [0.8, 1.2]}\n  word_of_mouth:")
    path = tmp_path / "fixed.yaml"
    path.write_text(text)
    assert "turnout" in text and findings(path) == []


@pytest.mark.parametrize("path", list_bundled(), ids=lambda p: p.stem)
def test_no_bundled_scenario_gives_a_hidden_number_away(path):
    assert findings(path) == []


def test_a_big_table_is_compared_on_a_sample_of_its_turns():
    from game.analysis.leaks import MAX_POINTS, _most_on_one_line
    points = [(float(x), 2.0 * x + 1.0) for x in range(12_000)]
    assert _most_on_one_line(points, 1e-6) == MAX_POINTS
