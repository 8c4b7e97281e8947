"""The library scenarios are complete files: clean lint, a readable summary, a full debrief."""

from __future__ import annotations

import pytest

from game.scenario.explain import explain
from game.scenario.lint import lint_file
from game.scenario.load import load_scenario
from tests.conftest import SCENARIOS, bundled_scenarios

LIBRARY = ["sales-quotas", "bounty", "airdrop", "velocity", "small-team", "fishery"]


@pytest.mark.parametrize("name", LIBRARY)
def test_lints_clean(name):
    assert [str(d) for d in lint_file(SCENARIOS / f"{name}.yaml")] == []


@pytest.mark.parametrize("name", LIBRARY)
def test_is_a_complete_scenario(name):
    path = SCENARIOS / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/scenario.schema.json\n")
    assert "INCENTIVE ARITHMETIC" in text
    s = load_scenario(path)
    assert s.id == name.replace("-", "_")
    assert "minutes:" in text and 20 <= s.minutes <= 90
    players = [sum(getattr(r.seats, k) for r in s.roles) for k in ("min", "max")]
    assert players[0] <= 2 and players[1] >= 5, "suits two to five or six players"
    assert len(s.debrief.lessons) >= 3 and len(s.debrief.questions) >= 4
    assert s.debrief.proxy_index and s.debrief.health_index


@pytest.mark.parametrize("name", LIBRARY)
def test_explains_itself(name):
    text = explain(load_scenario(SCENARIOS / f"{name}.yaml"))
    assert "Review score" in text and "The debrief" in text
    assert max(len(line) for line in text.splitlines()) <= 88


def test_readme_lists_every_bundled_scenario():
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    for path in bundled_scenarios():
        assert f"`{path.stem}`" in readme, f"{path.stem} is missing from scenarios/README.md"
