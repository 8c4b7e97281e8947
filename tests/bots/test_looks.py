"""A planning bot whose memo has no answer plans from its seat's look (game.engine.glance
`Look`): the look shows exactly what the view shows in the parts the bot reads to plan, so
its beliefs, its keys and its choices are the ones it would have on the whole view, and the
games are the same whichever it is handed."""

from __future__ import annotations

import pytest

from game.analysis import by_state, simulate
from game.bots import base
from game.bots.base import allocation_planner, policy_planner
from game.bots.beliefs import read_beliefs
from game.engine.glance import LOOKED, UNREAD, glances, looks
from game.engine.legal import legal_actions
from game.engine.view import SeatView, views
from game.scenario.load import load_scenario
from tests.bots.test_recall import MIXES, PATHS, _fields, _same_keys, _strategies
from tests.conftest import ROOT

KINDS = ("review", "proxy", "health")


def _plans_alike(rules, look, view, legal) -> None:
    """The look and the view give the same beliefs, and every planner the same keys (those
    of the forecasts that play the flows too, which read the beliefs)."""
    assert read_beliefs(rules, look) == read_beliefs(rules, view)
    _same_keys(rules, look, view, legal)
    if legal.phase == "work":
        for kind in KINDS:
            f = allocation_planner(rules, view.role, kind).forecaster(view.policies)
            assert f.view_key(look) == f.view_key(view)
    elif legal.policies:
        for kind in KINDS:
            planner = policy_planner(rules, view.role, kind)
            assert planner.view_key(look, legal) == planner.view_key(view, legal)


def _checked_looks(check):
    """`looks`, each look compared with its seat's view in every field it has, then
    `check(rules, state, look, view)`."""
    def looking(rules, state, glanced):
        seen = looks(rules, state, glanced)
        for look, view in zip(seen, views(rules, state, [g.seat for g in glanced]), strict=True):
            assert {f: _fields(getattr(look, f)) for f in LOOKED} == \
                {f: _fields(getattr(view, f)) for f in LOOKED}
            check(rules, state, look, view)
        return seen
    return looking


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_a_look_shows_what_the_view_shows_and_plans_alike(path, monkeypatch):
    """At every decision a planning bot plans in seeded games of every mix (memos fresh, so
    there are many), each seat's look equals its view in every field it has, and the bot's
    beliefs and keys read from either are equal."""
    scenario = load_scenario(path)
    checked = []

    def plans_alike(rules, state, look, view) -> None:
        _plans_alike(rules, look, view, legal_actions(rules, state, look.seat))
        checked.append(look.seat)

    monkeypatch.setattr(by_state, "looks", _checked_looks(plans_alike))
    monkeypatch.setattr(base, "_PLANNERS", {})
    for mix in MIXES:
        simulate.run_games(scenario, [1, 2], _strategies(scenario, mix))
    assert checked


def test_a_look_has_no_other_part_of_the_view():
    """A look holds only parts of the seat's view (its readings always), and reading a part
    it does not hold is an error, never a guess."""
    assert set(LOOKED) <= set(SeatView.model_fields)
    game = simulate.Game(load_scenario(PATHS[0]))
    state = game.new_state(1)
    look = looks(game.rules, state, glances(game.rules, state, [0], readings=False))[0]
    assert {name for name in dir(look) if not name.startswith("_")} - set(dir(tuple)) \
        == set(LOOKED)
    assert len(look.metrics) == len(game.scenario.metrics)
    for part in ("news", "leaderboards", "policy_changes", "waiting_for"):
        with pytest.raises(AttributeError):
            getattr(look, part)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_games_are_the_same_whether_planners_look_or_view(path, monkeypatch):
    """Games played with the planners handed their looks are those played with them handed
    their whole views, each from fresh memos (so the planners plan on what they are
    handed)."""
    scenario = load_scenario(path)
    for mix in MIXES[:3]:
        strategies = _strategies(scenario, mix)
        with monkeypatch.context() as m:
            m.setattr(base, "_PLANNERS", {})
            looked = simulate.run_games(scenario, [3, 4], strategies)
        with monkeypatch.context() as m:
            m.setattr(base, "_PLANNERS", {})
            m.setattr(by_state, "looks", lambda rules, state, glanced: views(
                rules, state, [glance.seat for glance in glanced]))
            viewed = simulate.run_games(scenario, [3, 4], strategies)
        assert looked == viewed


def test_glances_hold_the_readings_of_the_seats_flagged_for_them():
    """Glances asked with one flag per seat hold the readings of the flagged seats only, the
    very readings of a glance asked with them all; one flag per seat it must be."""
    game = simulate.Game(load_scenario(PATHS[0]))
    state = game.new_state(1)
    seats = list(range(len(state.seats)))
    flags = [seat % 2 == 0 for seat in seats]
    whole = glances(game.rules, state, seats)
    for part, glance, flag in zip(glances(game.rules, state, seats, flags), whole, flags):
        assert (part.metrics is glance.metrics) if flag else (part.metrics is UNREAD)
        assert part._replace(metrics=glance.metrics) == glance
    with pytest.raises(ValueError):
        glances(game.rules, state, seats, flags[:-1])


FLOWING = [ROOT / "tests" / "engine" / "fixtures" / "chain.yaml",
           ROOT / "tests" / "bots" / "fixtures" / "supply_chain.yaml"]
"""Scenarios with an order and flows: chain's goods travel out of the receiver's sight
(`visible` unset), supply_chain's in it; no bundled scenario has a flow in transit that its
receiver may not see."""


@pytest.mark.parametrize("path", FLOWING, ids=lambda p: p.stem)
@pytest.mark.parametrize("strategy", ["gamer", "craft"])
def test_a_look_shows_only_the_flows_the_view_shows(path, strategy, monkeypatch):
    """At every planned decision of games with flows in transit, each look equals its view
    in every field it has: what is in transit to the seat but hidden from it stays out of its
    look (the view door), and what it may see is there."""
    scenario = load_scenario(path)
    hidden = {f.id for f in scenario.flows if not f.visible}
    unseen = []

    def hidden_in_transit(rules, state, look, view) -> None:
        unseen.extend(t for t in state.transit if t.seat == look.seat and t.flow in hidden)

    monkeypatch.setattr(by_state, "looks", _checked_looks(hidden_in_transit))
    monkeypatch.setattr(base, "_PLANNERS", {})
    simulate.run_games(scenario, [1, 2], {r.id: strategy for r in scenario.roles})
    assert unseen or not hidden
