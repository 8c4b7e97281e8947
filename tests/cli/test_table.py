"""`goodhart play`'s table: people in the first seats, bots in the rest as the scenario says."""

from __future__ import annotations

import pytest

from game.cli.table import build_table
from game.scenario.load import load_scenario
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def flagship():
    return load_scenario(SCENARIOS / "tokenmaxxing.yaml")


def test_a_lone_engineer_sits_with_the_scenario_bots_in_order(flagship):
    seats = build_table(flagship, [("employee", "You")], {})
    assert [(s.role, s.controller) for s in seats] == [
        ("manager", "bot:hype"), ("employee", "human"), ("employee", "bot:craft"),
        ("employee", "bot:gamer"), ("employee", "bot:gamer")]


def test_autoplay_seats_the_whole_declared_table(flagship):
    seats = build_table(flagship, [], {})
    assert [s.strategy for s in seats] == ["hype", "craft", "gamer", "gamer", "gamer"]


def test_a_bot_flag_sets_every_bot_of_its_role(flagship):
    seats = build_table(flagship, [], {"manager": "outcome", "employee": "cautious"})
    assert [s.strategy for s in seats] == ["outcome"] + ["cautious"] * 4
