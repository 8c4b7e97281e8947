"""Planning bots answer from a glance (game.engine.glance) when their memo holds the choice:
the glance shows exactly what the view shows in the parts the memo keys read, so the keys and
the choices are the same, and the games are the same whether bots recall or not."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from pydantic import BaseModel

from game.analysis import by_state, simulate
from game.bots import base, make_bot
from game.bots.base import allocation_planner, policy_planner
from game.engine.game import Game
from game.engine.glance import FIELDS, UNREAD, Glance, NotGlanced, glances
from game.engine.legal import legal_actions
from game.engine.view import SeatView, views
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios
from tests.engine.conftest import play_random

PATHS = [TINY, *bundled_scenarios()]
MIXES = (("hype", "gamer"), ("outcome", "craft"), ("outcome", "cautious"),
         ("adaptive", "random"))


def _strategies(scenario, mix: tuple[str, str]) -> dict[str, str]:
    return {scenario.roles[0].id: mix[0], scenario.roles[1].id: mix[1]}


def _fields(value):
    """`value` with every model or named tuple in it (readings, other seats) as its (field,
    value) pairs, so that a glance's plain parts and a view's pydantic ones compare field by
    field, every field's value."""
    if isinstance(value, BaseModel):
        return tuple((f, _fields(getattr(value, f))) for f in type(value).model_fields)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return tuple((f, _fields(v)) for f, v in zip(value._fields, value))
    if isinstance(value, Sequence) and not isinstance(value, str):  # a glance's readings too
        return [_fields(v) for v in value]
    return value


def _same_keys(rules, glance: Glance, view, legal) -> None:
    """Every planner's key of the glance equals its key of the view."""
    for kind in ("review", "proxy", "health"):
        if legal.phase == "work":
            f = allocation_planner(rules, view.role, kind).forecaster(view.policies)
            if not f.chain:
                assert f.view_key(glance) == f.view_key(view)
        elif legal.policies:
            planner = policy_planner(rules, view.role, kind)
            assert planner.shown_key(glance, legal) == planner.shown_key(view, legal)
            assert planner.view_key(glance, legal) == planner.view_key(view, legal)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_a_glance_shows_what_the_view_shows_and_keys_alike(path, monkeypatch):
    """At every decision of seeded games of every mix, each seat's glance equals its view in
    every field it has, and the planners' keys read from either are equal."""
    scenario = load_scenario(path)
    checked = []

    def glancing(rules, state, seats, readings=True):
        seen = glances(rules, state, seats, readings)
        whole = glances(rules, state, seats)
        legal = {s: legal_actions(rules, state, s) for s in seats}
        for part, glance, view in zip(seen, whole, views(rules, state, seats)):
            assert {f: _fields(getattr(glance, f)) for f in FIELDS} == \
                {f: _fields(getattr(view, f)) for f in FIELDS}
            assert part._replace(metrics=glance.metrics) == glance
            assert readings or part.metrics is UNREAD
            _same_keys(rules, glance, view, legal[glance.seat])
            checked.append(glance.seat)
        return seen

    monkeypatch.setattr(by_state, "glances", glancing)
    for mix in MIXES:
        simulate.run_games(scenario, [1, 2], _strategies(scenario, mix))
    assert checked


def test_a_glance_has_no_other_part_of_the_view():
    """A glance holds only parts of the seat's view, and reading a part it does not hold is
    an error, never a guess."""
    assert set(FIELDS) <= set(SeatView.model_fields)
    scenario = load_scenario(TINY)
    game = simulate.Game(scenario)
    glance = glances(game.rules, game.new_state(1), [0])[0]
    assert {name for name in dir(glance) if not name.startswith("_")} - set(dir(tuple)) \
        == set(FIELDS)  # (a named tuple: count and index are a tuple's own)
    with pytest.raises(AttributeError):
        glance.own_history


def test_a_glance_without_its_readings_refuses_to_be_read():
    """Readings left out are never guessed: any read of them is an error the simulator
    answers by glancing again with them."""
    game = simulate.Game(load_scenario(TINY))
    glance = glances(game.rules, game.new_state(1), [0], readings=False)[0]
    for read in (len, list, bool, lambda m: m[0], lambda m: "x" in m):
        with pytest.raises(NotGlanced):
            read(glance.metrics)


PLAIN = (str, int, float, bool, type(None))


def _held(value) -> list:
    """Every value `value` holds, walked through dicts, lists and tuples (named ones too)
    and anything with slots or a `__dict__`; plain values and containers alone are kept."""
    if isinstance(value, PLAIN):
        return [value]
    if isinstance(value, dict):
        return [value] + [v for pair in value.items() for item in pair for v in _held(item)]
    if isinstance(value, (list, tuple)):
        return [value] + [v for item in value for v in _held(item)]
    return [value]  # anything else: the test below refuses it


def test_a_glance_holds_values_only_never_the_game():
    """The view door: a glance holds plain values and containers of them, nothing that could
    lead back to the game's past or state (which hold what the seat may not see), after
    every action of a flagship game with hidden, lagged and noisy metrics."""
    game = simulate.Game(load_scenario(next(p for p in PATHS if p.stem == "tokenmaxxing")))
    looked = []

    def look(state) -> None:
        for glance in glances(game.rules, state, range(len(state.seats))):
            odd = {type(v).__name__ for v in _held(tuple(glance))
                   if not isinstance(v, (*PLAIN, dict, list, tuple))}
            assert not odd, f"a glance holds {odd}"
            looked.append(glance)

    play_random(game, 3, look)
    assert len(looked) > 50 and any(glance.metrics for glance in looked)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_games_are_the_same_whether_bots_recall_or_not(path, monkeypatch):
    scenario = load_scenario(path)
    for mix in MIXES[:3]:
        strategies = _strategies(scenario, mix)
        quick = simulate.run_games(scenario, [3, 4, 5], strategies)
        with monkeypatch.context() as m:
            m.setattr(base.PlanningBot, "recalls", property(lambda bot: False))
            slow = simulate.run_games(scenario, [3, 4, 5], strategies)
        assert quick == slow


@pytest.mark.parametrize("path", PATHS[:3], ids=lambda p: p.stem)
def test_a_recalled_action_is_the_one_act_chooses_and_is_made_once(path, monkeypatch):
    """At every decision of seeded games, once the memos are filled, a planning bot recalls
    the very action `act` chooses on the whole view, and recalls the same object again
    (made once per memo entry and seat, see `PlanningBot._recalled_action`)."""
    scenario = load_scenario(path)
    strategies = _strategies(scenario, ("hype", "gamer"))
    seen = []

    def glancing(rules, state, seats, readings=True):
        seen.append((rules, state.clone(), glances(rules, state, seats)))
        return glances(rules, state, seats, readings)

    monkeypatch.setattr(by_state, "glances", glancing)
    # game by game (`play_games`: the loop that glances; `run_games` plays warm games over
    # arrays, game.analysis.batch_play, whose recalls tests/analysis/test_batch_play.py checks)
    game = Game(scenario)
    table, chosen = simulate.table_for(game, strategies, None)
    simulate.play_games(game, [1, 2], table, chosen)
    for rules, state, shown in seen:
        for glance in shown:
            bot = make_bot(strategies[glance.role], scenario, glance.seat, random.Random(0))
            legal = legal_actions(rules, state, glance.seat)
            recalled = bot.recall(glance, legal)
            assert recalled is not None and recalled is bot.recall(glance, legal)
            assert recalled == bot.act(views(rules, state, [glance.seat])[0], legal)
    assert seen
