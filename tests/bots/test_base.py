"""game.bots.base: a Legal's options and numbers, as a planning bot reads them at every
decision (`listed`), found once per Legal and never another Legal's."""

from __future__ import annotations

from game.analysis import simulate
from game.bots import base
from game.bots.base import listed, numbers_of, options_of
from game.engine.actions import BehaviourOption, Legal
from game.engine.legal import legal_choice
from game.scenario.load import load_scenario
from tests.conftest import bundled_scenarios
from tests.engine.conftest import play_random


def test_listed_is_a_legals_options_and_numbers_found_once(monkeypatch):
    """At every state of random games of every bundled scenario, each seat's shared Legal
    lists its options and numbers as `options_of` and `numbers_of` do, the same objects
    when asked again."""
    monkeypatch.setattr(base, "_LISTED", {})
    checked = 0
    for path in bundled_scenarios():
        game = simulate.Game(load_scenario(path))

        def look(state) -> None:
            nonlocal checked
            for seat in range(len(state.seats)):
                legal = legal_choice(game.rules, state, seat)[0]
                found = listed(legal)
                assert found == (options_of(legal), numbers_of(legal))
                assert all(map(lambda a, b: a is b, listed(legal), found))
                checked += 1

        play_random(game, 2, look)
    assert checked > 100


def test_listed_never_answers_for_another_legal_at_the_same_id(monkeypatch):
    """An entry kept under a Legal's id but made for another Legal (one since dropped, whose
    id was given again) is never read for it."""
    work = Legal(seat=1, phase="work", must_act=True, effort=3, behaviours=[
        BehaviourOption(id="ship", name="Ship", available=True, max_effort=3)])
    other = Legal(seat=1, phase="work", must_act=True, effort=2, behaviours=[
        BehaviourOption(id="stale", name="Stale", available=False, max_effort=2)])
    monkeypatch.setattr(base, "_LISTED", {id(work): (other, options_of(other), ())})
    assert listed(work) == ((("ship", True, 3),), ())


def test_a_planning_bot_that_acts_its_own_way_neither_recalls_nor_is_handed_a_look():
    """A strategy that overrides `act` may read any part of its view: it does not recall,
    so the simulator hands it its whole view, never a glance or a look."""
    scenario = load_scenario(bundled_scenarios()[0])

    class Own(base.PlanningBot):
        def act(self, view, legal):
            return super().act(view, legal)

    assert base.PlanningBot(scenario, 0, None).recalls
    assert not Own(scenario, 0, None).recalls
