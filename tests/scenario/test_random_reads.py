"""A random draw read where the engine draws none is a load error with file and line (it
used to pass loading and crash the game with a KeyError traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.scenario.load import load_scenario

DICE = Path(__file__).parents[1] / "engine" / "fixtures" / "dice.yaml"


@pytest.mark.parametrize("where, old, new", [
    ("review score", "    score: roll\n", "    score: u\n"),
    ("consequence", "    score: roll\n",
     "    score: roll\n    consequences:\n      - {name: Lucky, when: u > 0.5}\n"),
    ("consequence effect", "    score: roll\n",
     "    score: roll\n    consequences:\n"
     "      - {name: Lucky, when: rank == 1, effects: [{target: calm, value: u}]}\n"),
    ("contribution", "  contribution: roll\n", "  contribution: u\n"),
    ("available", "    role: player\n", "    role: player\n    available: u > 0.2\n"),
    ("public", "reset_each_turn: true}", "reset_each_turn: true, public: u > 0.5}"),
])
def test_a_draw_read_where_nothing_is_drawn_is_a_load_error(tmp_path, where, old, new):
    text = DICE.read_text()
    assert text.count(old) == 1
    path = tmp_path / "dice.yaml"
    path.write_text(text.replace(old, new))
    with pytest.raises(ScenarioError, match="random draw 'u' cannot be read here") as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}:")


def test_draws_in_behaviours_policies_dynamics_and_events_still_load(tmp_path):
    text = DICE.read_text().replace("reviews:", (
        "dynamics:\n  - {target: calm, value: u - 0.5}\n"
        "events:\n  - {id: storm, headline: Storm, chance: u / 10, effects: [{target: calm, value: -u}]}\n"
        "reviews:"))
    path = tmp_path / "dice.yaml"
    path.write_text(text)
    assert load_scenario(path).randoms
