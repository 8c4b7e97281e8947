"""A scenario inside every single limit can still cost hours a game: lint and simulate
estimate the cost first and refuse past the budget, naming what costs the most."""

from __future__ import annotations

import time

import pytest

from game.analysis.simulate import run_game
from game.cli.main import run
from game.scenario.cost import GAME_BUDGET, game_cost, over_budget
from game.scenario.lint import lint_file
from game.scenario.load import list_bundled, load_scenario
from tests.scenario.fixtures.costly import write_costly


@pytest.fixture(scope="module")
def worst_case(tmp_path_factory):
    """40 seats, 100 turns, 63 behaviours of 8 effects of ~300-part formulas (0.66 MB)."""
    return write_costly(tmp_path_factory.mktemp("costly"))


def test_a_worst_case_file_within_every_limit_is_refused_by_lint(worst_case):
    assert 500_000 < worst_case.stat().st_size < 1_000_000
    errors = [d for d in lint_file(worst_case) if d.severity == "error"]
    assert len(errors) == 1, [str(d) for d in errors]
    message = errors[0].message
    assert "one bot game of this scenario would take about" in message
    assert "behaviours' effects" in message and "behaviour work0's effects" in message
    assert "Size budget" in message


def test_simulate_refuses_it_in_one_line(worst_case, capsys):
    code = run(["simulate", str(worst_case), "--runs", "1", "--quiet"])
    out, err = capsys.readouterr()
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "budget" in err and "Traceback" not in err


@pytest.mark.parametrize("path", list_bundled(), ids=lambda p: p.stem)
def test_every_bundled_scenario_is_far_inside_the_budget(path):
    cost = game_cost(load_scenario(path))
    assert cost.total < GAME_BUDGET / 5, cost.largest(3)
    assert over_budget(cost) is None


def test_a_smaller_generated_scenario_is_accepted(tmp_path):
    path = write_costly(tmp_path, seats=10, turns=20, behaviours=10, effects=3, nodes=60,
                        effort=10)
    assert [str(d) for d in lint_file(path)] == []


def test_the_largest_part_is_named_first(tmp_path):
    scenario = load_scenario(write_costly(tmp_path, behaviours=3, effects=1, nodes=8))
    cost = game_cost(scenario)
    assert sum(cost.parts.values()) == pytest.approx(cost.total)
    assert sum(cost.kinds.values()) == pytest.approx(cost.total)
    ranked = cost.largest(len(cost.parts))
    assert [share for _, share in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_the_estimate_is_within_a_small_factor_of_a_measured_game(tmp_path):
    """Calibration: a generated game of about half a second (cold: a fresh scenario, so no
    bot memo helps) takes between a sixth and eight times the estimate."""
    scenario = load_scenario(write_costly(tmp_path, seats=5, turns=2, behaviours=20,
                                          effects=4, nodes=120, effort=30))
    estimate = game_cost(scenario).seconds
    start = time.perf_counter()
    run_game(scenario, 1, {})
    measured = time.perf_counter() - start
    assert estimate / 6 < measured < estimate * 8, (estimate, measured)
