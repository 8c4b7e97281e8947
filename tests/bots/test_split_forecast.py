"""The planners' quick route (game.bots.split_forecast) gives exactly the straightforward one.

A plan judges its splits by a `SplitForecast` where it `covers` the forecast, instead of a
fresh `Forecaster.run` for each split. The two must give the same float for every split a
plan judges (compared bit for bit), so every plan chooses what it chose before: checked on
every third work decision of a seeded game of every bundled scenario and the test fixtures
(flows between seats, draws read through comparisons, decisions with numbers; split_paths.yaml
reaches every path of the quick route), for each objective a work planner maximises (a
review, the proxy and the health index).
"""

from __future__ import annotations

import gc
import math
import weakref

import pytest

from game.analysis import simulate
from game.bots import base
from game.bots.base import Bot, allocation_planner, numbers_of, options_of
from game.bots.beliefs import read_beliefs
from game.bots.forecast import Actor
from game.bots.forecaster import Forecaster
from game.bots.objectives import index_objective
from game.bots.split_forecast import SplitForecast, covers
from game.scenario.load import load_scenario
from game.scenario.rules import rules_for
from tests.conftest import ROOT, TINY, bundled_scenarios

FIXTURES = sorted((ROOT / "tests" / "bots" / "fixtures").glob("*.yaml"))
SPLIT_PATHS = ROOT / "tests" / "bots" / "split_paths.yaml"
"""A scenario whose formulas reach every path of the quick route (see the file)."""
PATHS = [TINY, SPLIT_PATHS, *FIXTURES, *bundled_scenarios()]
MIXES = (None, ("outcome", "gamer"))
"""The scenario's own table (tokenmaxxing's: hype, craft and gamers), then another."""
KINDS = ("review", "proxy", "health")


def _work_decisions(scenario, mix, monkeypatch) -> list:
    """(view, legal) of every work decision of one seeded game of `mix`, none answered
    from a memo's glance."""
    seen = []
    act = Bot.act

    def spy(bot, view, legal):
        if legal.phase == "work":
            seen.append((view, legal))
        return act(bot, view, legal)

    roles = scenario.roles
    strategies = {} if mix is None else {  # (a lone role plays the second)
        r.id: mix[0] if i == 0 and len(roles) > 1 else mix[1] for i, r in enumerate(roles)}
    with monkeypatch.context() as m:
        m.setattr(Bot, "act", spy)
        m.setattr(base.PlanningBot, "recalls", property(lambda bot: False))
        simulate.run_game(scenario, 3, strategies)
    return seen


def _same(a: float, b: float) -> bool:
    """Whether two floats are the same number, bit for bit (NaN being NaN)."""
    return math.isnan(a) and math.isnan(b) or a.hex() == b.hex()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_split_a_plan_judges_has_the_straightforward_value(path, monkeypatch):
    scenario = load_scenario(path)
    rules = rules_for(scenario)
    judged = quick = 0
    for mix in MIXES:
        every = 1 if path == SPLIT_PATHS else 3
        for view, legal in _work_decisions(scenario, mix, monkeypatch)[::every]:
            b = read_beliefs(rules, view)
            options, numbers = options_of(legal), numbers_of(legal)
            for kind in KINDS:
                planner = allocation_planner(rules, view.role, kind)
                f = planner.forecaster(b.policies)
                fast = planner.judge(f, b, options, legal.effort, numbers)
                slow = planner.judge(f, b, options, legal.effort, numbers, quick=False)
                assert not isinstance(slow, SplitForecast)
                if planner.myopic is None and covers(f):
                    assert isinstance(fast, SplitForecast)
                    quick += 1
                values: list[tuple[dict, float, float]] = []

                def both(split: dict, values=values, slow=slow, fast=fast) -> float:
                    values.append((dict(split), slow(split), fast(split)))
                    return values[-1][1]

                chosen = planner._plan(f, b, options, legal.effort, numbers, judge=both)
                assert planner._plan(f, b, options, legal.effort, numbers) == chosen
                for split, want, got in values:
                    assert _same(want, got), (kind, split, want, got)
                judged += len(values)
    assert judged > 0
    if path.stem == "tokenmaxxing":
        assert quick > 0


def test_the_default_tables_conscientious_engineer_plans_the_quick_way():
    """tokenmaxxing's craft engineer (the health index) is judged by a SplitForecast, and
    its value of a split is `Forecaster.run`'s for a seat playing it."""
    scenario = load_scenario("tokenmaxxing")
    rules = rules_for(scenario)
    planner = allocation_planner(rules, "employee", "health")
    f = planner.forecaster({p.id: 0 for p in rules.policies})
    assert covers(f)
    genv = f.genv({m.id: m.initial for m in scenario.metrics}, {p.id: 0 for p in rules.policies}, 1)
    own = {sid: rules.stat_specs[sid].initial for sid in rules.role_stats["employee"]}
    others = [Actor("manager", {}, fixed=True), Actor("employee", dict(own), fixed=True)]
    quick = SplitForecast(f, genv, "employee", own, 2.0, 0.0, 1.0, others)
    for split in ({}, {"handwork": 10}, {"busywork": 4, "audit": 3, "mentoring": 3},
                  {"ai_bottleneck": 5, "coasting": 5}):
        me = Actor("employee", dict(own), split, 1, False, 2.0, 0.0, 1.0)
        want = f.run(genv, [me, Actor("manager", {}, fixed=True),
                            Actor("employee", dict(own), fixed=True)])
        assert _same(quick(split), want)


def test_a_forecasters_layouts_go_with_it():
    """The layouts a SplitForecast keeps per forecaster (and the behaviours' changes kept in
    them) do not keep the forecaster alive once nothing else holds it."""
    rules = rules_for(load_scenario(SPLIT_PATHS))
    f = Forecaster(rules, index_objective(rules, "worker", "health"))
    own = {sid: rules.stat_specs[sid].initial for sid in rules.role_stats["worker"]}
    genv = f.genv({m.id: m.initial for m in rules.scenario.metrics}, {"bonus": 0, "audit": 0}, 1)
    quick = SplitForecast(f, genv, "worker", own, 1.0, 0.0, 1.0, [])
    assert quick({"grind": 2, "rest": 2}) == quick({"grind": 2, "rest": 2})
    gone = weakref.ref(f)
    del f, quick
    gc.collect()
    assert gone() is None
