"""Bots evaluate the scenario's formulas from their own beliefs; every name a formula may read
must be in those beliefs, or a bot would crash mid-game on a legal scenario."""

from __future__ import annotations

import random

import pytest

from game.bots import EMPLOYEE_STRATEGIES, MANAGER_STRATEGIES, make_bot
from game.engine import Game
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario
from tests.conftest import TINY

# Per-role headcounts in a review score, a behaviour effect, a dynamic and an availability.
EDITS = [
    ('score: "0.5 * output"', 'score: "0.5 * output * headcount_employee / max(1, headcount)"'),
    ("      - {target: output, value: 1}",
     "      - {target: output, value: \"1 + 0 * headcount_manager\"}"),
    ("  - {target: tokens_burned, value: total_tokens}",
     "  - {target: tokens_burned, value: \"total_tokens * headcount_employee / "
     "max(1, headcount_employee)\"}"),
    ("  - id: farm\n    name: Farm tokens\n    role: employee\n",
     "  - id: farm\n    name: Farm tokens\n    role: employee\n"
     "    available: \"headcount_employee >= 1\"\n"),
]


@pytest.fixture(scope="module")
def headcount_scenario(tmp_path_factory):
    text = TINY.read_text()
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("scenario") / "headcounts.yaml"
    path.write_text(text)
    return load_scenario(path)


@pytest.mark.parametrize("employee", EMPLOYEE_STRATEGIES)
@pytest.mark.parametrize("manager", MANAGER_STRATEGIES)
def test_every_strategy_plays_a_scenario_that_reads_per_role_headcounts(
        headcount_scenario, manager, employee):
    game = Game(headcount_scenario)
    seats = [SeatSetup(role="manager", name="M", controller=f"bot:{manager}"),
             SeatSetup(role="employee", name="A", controller=f"bot:{employee}"),
             SeatSetup(role="employee", name="B", controller=f"bot:{employee}")]
    for seed in range(3):
        state = game.new_state(seed, seats)
        bots = [make_bot(s.strategy, headcount_scenario, i, random.Random(seed * 10 + i))
                for i, s in enumerate(seats)]
        while not game.is_terminal(state):
            seat = game.to_act(state)[0]
            game.apply_inplace(state, bots[seat].act(game.view(state, seat),
                                                     game.legal_actions(state, seat)))
