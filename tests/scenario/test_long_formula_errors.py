"""An error line never echoes a whole long formula: it shows ~60 characters around the fault."""

from __future__ import annotations

import pytest

from game.errors import ScenarioError
from game.scenario.formula import excerpt
from game.scenario.load import load_scenario
from tests.scenario.fixtures.variants import variant

LONG = " + ".join(f"{n} * quality" for n in range(1, 16))


def test_an_unknown_name_far_into_a_long_formula_is_shown_with_its_surroundings(tmp_path):
    path = variant(tmp_path, ("value: 2 * review_gate", f"value: {LONG} + qualty"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = info.value.message
    shown = message.split("`")[1]
    assert "qualty" in shown
    assert LONG not in message
    assert len(shown) <= 66
    assert shown.startswith("...")


@pytest.mark.parametrize("col", [1, 40, 90, 160])
def test_an_excerpt_keeps_the_column_at_fault_within_the_limit(col):
    text = "".join(chr(ord("a") + i % 26) for i in range(170))
    shown = excerpt(text, col=col)
    assert text[col - 1] in shown.strip(".")
    assert len(shown) <= 66


def test_a_short_formula_is_shown_whole():
    assert excerpt("a +  b", col=3) == "a + b"
