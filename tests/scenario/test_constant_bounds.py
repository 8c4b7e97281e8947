"""`constant_bounds:` documents the values a constant may take; loading checks them."""

from __future__ import annotations

import pytest

from game.errors import ScenarioError
from game.scenario.bounds import outside_bounds
from game.scenario.load import load_scenario
from tests.conftest import ROOT

FISHERY = ROOT / "scenarios" / "fishery.yaml"


def _variant(tmp_path, old: str, new: str):
    text = FISHERY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fishery.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_bundled_fishery_documents_its_balancing_numbers():
    scenario = load_scenario(FISHERY)
    assert scenario.constant_bounds["growth"] == (0.1, 0.6)
    assert outside_bounds(scenario, "growth", 0.35) is None
    assert outside_bounds(scenario, "growth", 0.9) == "growth=0.9 is outside its bounds [0.1, 0.6]"
    assert outside_bounds(scenario, "most_catch", -5) is None   # no bounds: anything goes


@pytest.mark.parametrize("old,new,message,line_of", [
    ("  growth: [0.1, 0.6]", "  grwoth: [0.1, 0.6]", "'grwoth' is not a constant", "grwoth: ["),
    ("  growth: [0.1, 0.6]", "  growth: [0.6, 0.1]", "write [low, high]", "growth: [0.6"),
    ("  growth: 0.35 ", "  growth: 0.8 ", "growth=0.8 is outside its bounds [0.1, 0.6]",
     "growth: 0.8"),
])
def test_a_bound_that_does_not_fit_is_an_error_at_its_line(tmp_path, old, new, message, line_of):
    path = _variant(tmp_path, old, new)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert message in str(info.value)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if line_of in text)
    assert info.value.line == line
