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
import random
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
    assert quick > 0  # (every file has splits the quick route judges)


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


def _anywhere(rng: random.Random, low: float, high: float) -> float:
    """A value in [low, high]: a bound, or any value between, sometimes a round one."""
    pick = rng.random()
    if pick < 0.25:
        return low if pick < 0.12 else high
    return round(rng.uniform(low, high), rng.choice((0, 1, 6)))


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_any_beliefs_and_split_have_the_straightforward_value(path):
    """Beliefs no game reaches (metrics and stats at their bounds or anywhere between, any
    policies, others of any role, any score and rank) and splits no plan tries: every
    `SplitForecast` value is `Forecaster.run`'s, bit for bit, for each objective, with the
    changes kept across forecasts (one after the other) in play."""
    rules = rules_for(load_scenario(path))
    scenario, rng = rules.scenario, random.Random(path.stem)
    roles = [r.id for r in scenario.roles]
    quick = 0
    for _ in range(12):
        role, policies = rng.choice(roles), {p.id: rng.choice((0, 0, 1)) for p in rules.policies}
        for kind in KINDS:
            f = allocation_planner(rules, role, kind).forecaster(policies)
            if not covers(f):
                continue
            metrics = {m.id: _anywhere(rng, m.min, m.max) for m in scenario.metrics}
            genv = f.genv(metrics, policies, rng.randint(1, scenario.turns))
            stats = {r: {sid: _anywhere(rng, rules.stat_specs[sid].min, rules.stat_specs[sid].max)
                         for sid in rules.role_stats[r]} for r in roles}
            own = stats[role]
            others = [(r, stats[r]) for r in roles for _ in range(rng.randint(0, 2))]
            seats = 1.0 + sum(1 for r, _ in others if r == role)
            score, rank = rng.choice((0.0, rng.uniform(-5.0, 50.0))), float(rng.randint(1, 4))
            judged = SplitForecast(f, genv, role, own, seats, score, rank,
                                   [Actor(r, dict(s), fixed=True) for r, s in others])
            for _ in range(8):
                split = {b.id: rng.randint(0, 5) for b in rules.behaviours
                         if b.role == role and rng.random() < 0.6}
                split |= {d.id: rng.choice((d.min, d.initial, d.max))
                          for d in rules.role_specs[role].decisions if rng.random() < 0.7}
                me = Actor(role, dict(own), split, 1, False, seats, score, rank)
                want = f.run(genv, [me, *(Actor(r, dict(s), fixed=True) for r, s in others)])
                assert _same(judged(split), want), (kind, role, split)
                quick += 1
    assert quick > 0
