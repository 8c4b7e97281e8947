"""Bots forecast chance by its distribution, not at the mean of each draw (game.bots.chance)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.bots import make_bot
from game.bots.chance import expected, outlook
from game.engine import Game
from game.engine.actions import Allocate, SetPolicies
from game.scenario.formula import compile_formula
from game.scenario.load import load_scenario
from game.scenario.rules import CEffect
from tests.conftest import bundled_scenarios

ODDS = Path(__file__).with_name("fixtures") / "odds.yaml"
DRAWS = {"u": (True, 0.0, 1.0), "n": (False, 1.0, 0.1), "v": (True, 2.0, 4.0)}


@pytest.fixture(scope="module")
def odds() -> Game:
    return Game(load_scenario(ODDS))


@pytest.mark.parametrize("strategy", ["outcome"])
def test_a_manager_buys_better_odds_when_only_chance_carries_their_value(odds, strategy):
    # at the draw's mean (u = 0.5) a 10% and a 40% chance both forecast no lucky turn, so
    # the policy looked like its sure cost alone and the bot never chose it
    state = odds.new_state(1)
    bot = make_bot(strategy, odds.scenario, 0, random.Random(1))
    action = bot.act(odds.view(state, 0), odds.legal_actions(state, 0))
    assert isinstance(action, SetPolicies)
    assert action.levels == {"better_odds": 1}


@pytest.mark.parametrize("strategy", ["gamer", "cautious"])
def test_a_worker_takes_a_30_percent_chance_of_10_over_a_sure_point(odds, strategy):
    state = odds.apply(odds.new_state(1), SetPolicies(seat=0, levels={}))
    bot = make_bot(strategy, odds.scenario, 1, random.Random(1))
    action = bot.act(odds.view(state, 1), odds.legal_actions(state, 1))
    assert isinstance(action, Allocate)
    assert action.effort == {"gamble": 1}


@pytest.mark.parametrize("source, how, value", [
    ("10 * (u < p)", "exact", 3.0),            # a comparison: its chance
    ("p > u", "exact", 0.3),
    ("v if u < p else 0", "exact", 0.9),       # independent draws multiply
    ("(u < p) * (n > 1.1)", "exact", 0.3 * 0.15865525393145707),
    ("u * x + v", "plain", 4.0),               # linear: the means are exact
    ("u * u", "sampled", 1 / 3),               # else a fixed sample
    ("min(u, p)", "sampled", 0.3 - 0.3 ** 2 / 2),
    ("floor(u * 6) + 1", "sampled", 3.5),
    ("x", "plain", 2.0),
])
def test_expected_values(source, how, value):
    env = {"u": 0.5, "n": 1.0, "v": 3.0, "p": 0.3, "x": 2.0}
    before = dict(env)
    mean, found = expected(compile_formula(source), DRAWS)
    assert found == how
    assert mean(env) == pytest.approx(value, abs=0.006)
    assert env == before  # the draws are put back at their means


def test_an_effect_gated_by_chance_counts_its_probability():
    effect = CEffect(target="calm", value=compile_formula("v"), mode="add", delay=0,
                     when=compile_formula("u < p"), chance=compile_formula("0.5"),
                     on_seat=False, roles=None)
    chance, mean = outlook(effect, DRAWS)({"u": 0.5, "v": 3.0, "p": 0.3, "n": 1.0})
    assert chance == pytest.approx(0.15)
    assert mean == pytest.approx(0.45)
    # the same draw in the gate and the value: sampled together
    joint = CEffect(target="calm", value=compile_formula("u"), mode="add", delay=0,
                    when=compile_formula("u < p"), chance=compile_formula("1"),
                    on_seat=False, roles=None)
    chance, mean = outlook(joint, DRAWS)({"u": 0.5, "p": 0.3, "n": 1.0, "v": 3.0})
    assert chance == pytest.approx(0.3, abs=1 / 16)
    assert mean == pytest.approx(0.045, abs=0.02)


def test_bundled_scenarios_forecast_as_before():
    # their draws are all linear in their formulas, so the means stay exact and no effect
    # needs an outlook (the golden games of tests/engine/test_golden.py are unchanged)
    from game.bots.chance import draws_of
    from game.scenario.rules import rules_for
    for path in bundled_scenarios():
        rules = rules_for(load_scenario(path))
        draws = draws_of(rules)
        effects = [*(e for b in rules.behaviours for e in b.effects),
                   *(e for p in rules.policies for e in p.effects), *rules.dynamics]
        assert [e for e in effects if outlook(e, draws) is not None] == [], path.stem
