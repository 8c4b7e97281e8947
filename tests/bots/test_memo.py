"""Planner memos are caches only: a decision is the same whether the memo answers or not.

The planners look their memos up with keys read straight from the view (so that a hit costs
no beliefs) and store plans under keys read from the full beliefs; the two must agree on every
view, and a memoised decision must equal one made with empty memos.
"""

from __future__ import annotations

import random

import pytest

from game.analysis import simulate
from game.bots import base, make_bot
from game.bots.base import Bot, allocation_planner, policy_planner
from game.bots.beliefs import read_beliefs
from game.engine.actions import Legal
from game.engine.view import SeatView
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios

PATHS = [TINY, *bundled_scenarios()]
MIXES = (("hype", "gamer"), ("outcome", "craft"), ("adaptive", "cautious"))
PLANNING = {"hype", "gamer", "craft", "outcome", "cautious"}


def _decisions(scenario, mix: tuple[str, str], seeds: range,
               monkeypatch) -> list[tuple[str, int, SeatView, Legal]]:
    """(strategy, seat, view, legal) of every decision in seeded games of `mix`."""
    seen = []
    act = Bot.act

    def spy(bot, view, legal):
        seen.append((bot.strategy, bot.seat, view, legal))
        return act(bot, view, legal)

    strategies = {scenario.roles[0].id: mix[0], scenario.roles[1].id: mix[1]}
    with monkeypatch.context() as m:
        m.setattr(Bot, "act", spy)
        # every decision through `act`, none answered from a glance (see by_state._chooser)
        m.setattr(base.PlanningBot, "recalls", property(lambda bot: False))
        for seed in seeds:
            simulate.run_game(scenario, seed, strategies)
    return seen


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_keys_read_from_the_view_equal_keys_read_from_beliefs(path, monkeypatch):
    scenario = load_scenario(path)
    by_shown: dict[tuple, tuple] = {}  # a policy planner's shown key -> its view key
    for mix in MIXES:
        for _, _, view, legal in _decisions(scenario, mix, range(2), monkeypatch):
            bot = make_bot("gamer", scenario, view.seat, random.Random(0))
            rules = bot.rules
            b = read_beliefs(rules, view)
            for kind in ("review", "proxy", "health"):
                if legal.phase == "work":
                    f = allocation_planner(rules, view.role, kind).forecaster(view.policies)
                    assert f.view_key(view) == f.key(b)
                elif legal.policies:
                    planner = policy_planner(rules, view.role, kind)
                    key = planner.view_key(view, legal)
                    assert key == planner.key(b, legal, planner._table(b))
                    shown = (kind, planner.shown_key(view, legal))
                    assert by_shown.setdefault(shown, key) == key


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_memoised_decisions_equal_fresh_ones(path, monkeypatch):
    """Warm memos (games of every mix played first) answer as empty ones would. (A policy
    planner keeps the memos of the workers it simulates: emptying those too makes a test
    of minutes, and they are allocation planners, tested as such at work.)"""
    scenario = load_scenario(path)
    for mix in MIXES:
        _decisions(scenario, mix, range(100, 106), monkeypatch)
    for mix in MIXES:
        for strategy, seat, view, legal in _decisions(scenario, mix, range(2), monkeypatch):
            if strategy not in PLANNING:
                continue
            bot = make_bot(strategy, scenario, seat, random.Random(0))
            memoised = bot.act(view, legal)
            planners = [planner for _, planner in base._PLANNERS.values()]
            memos = [(planner.memo, getattr(planner, "shown", None)) for planner in planners]
            for planner in planners:
                planner.memo = {}
                if hasattr(planner, "shown"):  # a policy planner's first look-up
                    planner.shown = {}
            try:
                fresh = bot.act(view, legal)
            finally:
                for planner, (memo, shown) in zip(planners, memos):
                    planner.memo = memo
                    if shown is not None:
                        planner.shown = shown
            assert fresh == memoised, (strategy, view.turn, view.phase)


def _variant(tmp_path, old: str, new: str):
    """The tiny scenario with one piece of its text replaced."""
    text = TINY.read_text()
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new))
    return load_scenario(path)


def _manager_decision(scenario, monkeypatch) -> tuple[SeatView, Legal]:
    """The first manager's first policy decision in a seeded hype-gamer game."""
    return next((view, legal) for _, _, view, legal in
                _decisions(scenario, ("hype", "gamer"), range(1), monkeypatch)
                if legal.phase == "policy" and legal.policies)


def test_a_policy_key_holds_the_turn_when_a_workers_review_reads_it(tmp_path, monkeypatch):
    """The workers' simulated responses depend on the turn when their review reads it, even
    if the manager's own objective does not."""
    scenario = _variant(tmp_path, 'score: "0.5 * output"', 'score: "0.5 * output * turn"')
    view, legal = _manager_decision(scenario, monkeypatch)
    planner = policy_planner(make_bot("hype", scenario, 0, random.Random(0)).rules,
                             "manager", "proxy")
    later = view.model_copy(update={"turn": view.turn + 1})
    assert planner.view_key(view, legal) != planner.view_key(later, legal)


def test_a_policy_key_holds_the_other_seats_that_do_not_work(tmp_path, monkeypatch):
    """A second manager is a fixed actor in the forecast, so it is part of the key."""
    scenario = _variant(tmp_path, "{id: manager, name: Manager, policy_budget: 2}",
                        "{id: manager, name: Manager, policy_budget: 2, "
                        "seats: {min: 1, max: 2, default: 2}}")
    view, legal = _manager_decision(scenario, monkeypatch)
    assert any(o.role == "manager" for o in view.others)
    planner = policy_planner(make_bot("hype", scenario, 0, random.Random(0)).rules,
                             "manager", "proxy")
    alone = view.model_copy(update={"others": [o for o in view.others if o.role != "manager"]})
    assert planner.view_key(view, legal) != planner.view_key(alone, legal)
    b = read_beliefs(planner.rules, view)
    assert planner.view_key(view, legal) == planner.key(b, legal, planner._table(b))
