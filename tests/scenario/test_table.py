"""The default table a scenario declares: which strategy plays each seat nobody takes."""

from __future__ import annotations

import pytest

from game.bots import default_strategy, strategies_for
from game.errors import ScenarioError
from game.scenario.load import load_scenario
from game.scenario.seating import describe_strategy
from tests.conftest import bundled_scenarios
from tests.scenario.fixtures.variants import MINIMAL, line_of, variant

POLICIES = "policies:\n"


def with_table(tmp_path, rows: str):
    """minimal.yaml with a `table:` of `rows` (YAML lines) before its policies."""
    return variant(tmp_path, (POLICIES, f"table:\n{rows}{POLICIES}"))


def test_a_declared_table_gives_each_seat_its_strategy(tmp_path):
    path = with_table(tmp_path, "  manager: [hype]\n  employee: [craft, gamer]\n")
    scenario = load_scenario(path)
    assert scenario.default_count("employee") == 2
    assert [default_strategy(scenario, "employee", i) for i in range(2)] == ["craft", "gamer"]
    assert default_strategy(scenario, "employee", 3) == "gamer", "extra seats: the last one"
    assert default_strategy(scenario, "manager") == "hype"


def test_without_a_table_seats_default_to_adaptive_bots():
    scenario = load_scenario(MINIMAL)
    assert scenario.table == {}
    assert scenario.default_count("employee") == 2
    assert default_strategy(scenario, "employee", 1) == "adaptive"


def test_the_table_count_is_the_default_when_the_role_gives_none(tmp_path):
    path = variant(tmp_path, ("seats: {min: 1, max: 4, default: 2}", "seats: {min: 1, max: 4}"),
                   (POLICIES, "table:\n  employee: [craft, gamer, gamer, gamer]\n" + POLICIES))
    assert load_scenario(path).default_count("employee") == 4


@pytest.mark.parametrize("rows, needle, col, message", [
    ("  employee: [gamer, craft, gamer, gamer, gamer]\n", "  employee: [", 3,
     "the table seats 5 of role 'employee'; the role allows 1 to 4"),
    ("  employee: [gamer]\n", "  employee: [", 3,
     "the table seats 1 of role 'employee' but its `seats.default` is 2"),
    ("  employee: [gamer, hype]\n", "  employee: [", 21,
     "strategy 'hype' cannot play role 'employee' (choose from: gamer, craft"),
    ("  manager: [gamer]\n", "  manager: [", 13,
     "strategy 'gamer' cannot play role 'manager' (choose from: hype, outcome, random"),
    ("  engineer: [gamer]\n", "  engineer: [", 3,
     "the table names an unknown role 'engineer' (roles: manager, employee)"),
    ("  employee: [gamer, crafty]\n", "  employee: [", 21,
     "table row of role 'employee': expected one of 'gamer', 'craft'"),
    ("  employee: gamer\n", "  employee: gamer", 13,
     "table row of role 'employee': expected a list"),
])
def test_a_bad_table_is_one_error_at_its_line(tmp_path, rows, needle, col, message):
    path = with_table(tmp_path, rows)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert (err.file, err.line, err.col) == (str(path), line_of(path, needle), col)
    assert message in err.message


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_every_bundled_scenario_declares_a_table_its_bots_can_play(path):
    scenario = load_scenario(path)
    assert {r.id for r in scenario.roles} == set(scenario.table), "every role is seated"
    for role, listed in scenario.table.items():
        assert set(listed) <= set(strategies_for(scenario, role))


def test_every_strategy_has_plain_words():
    from game.bots import STRATEGIES
    for name in STRATEGIES:
        assert describe_strategy(name) != name
    assert "health falls" in describe_strategy("adaptive", sets_policies=True)
