"""game.bots.base: a Legal's options and numbers, as a planning bot reads them at every
decision (`listed`), found once per Legal and never another Legal's."""

from __future__ import annotations

from game.analysis import simulate
from game.bots import base, make_bot
from game.bots.base import listed, numbers_of, options_of
from game.engine.actions import BehaviourOption, Legal
from game.engine.legal import legal_choice
from game.scenario.load import load_scenario
from tests.conftest import ROOT, bundled_scenarios
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


def test_a_callers_own_legal_is_listed_as_it_is_now(monkeypatch):
    """`legal_actions` gives a caller a Legal whose lists it may change: once they change,
    `listed` (and so a planning bot) reads them as they are now, never as it found them."""
    monkeypatch.setattr(base, "_LISTED", {})
    legal = Legal(seat=1, phase="work", must_act=True, effort=3, behaviours=[
        BehaviourOption(id="ship", name="Ship", available=True, max_effort=3)])
    assert listed(legal) == ((("ship", True, 3),), ())
    legal.behaviours[0] = BehaviourOption(id="ship", name="Ship", available=False, max_effort=3)
    assert listed(legal) == ((("ship", False, 3),), ())
    legal.behaviours.append(BehaviourOption(id="fix", name="Fix", available=True, max_effort=1))
    assert listed(legal) == (options_of(legal), numbers_of(legal))


def test_a_planning_bot_chooses_on_the_legal_it_is_handed_now():
    """A planning bot handed a caller's own Legal (`Game.legal_actions`, as the screens and
    the server hand it) chooses what it would on a fresh copy of it, after the caller closed
    behaviours in it since the bot's last choice on it."""
    scenario = load_scenario(ROOT / "scenarios" / "tokenmaxxing.yaml")
    game = simulate.Game(scenario)
    state = game.new_state(1)
    while state.phase != "work":
        seat = game.to_act(state)[0]
        game.apply_inplace(state, make_bot("hype", scenario, seat, None).act(
            game.view(state, seat), game.legal_actions(state, seat)))
    seat = game.to_act(state)[0]
    bot, view = make_bot("gamer", scenario, seat, None), game.view(state, seat)
    legal = game.legal_actions(state, seat)
    first = bot.act(view, legal)
    legal.behaviours[:] = [b.model_copy(update={"available": False})
                           if first.effort.get(b.id) else b for b in legal.behaviours]
    again = bot.act(view, legal)
    assert again == bot.act(view, legal.model_copy(deep=True))
    assert not set(again.effort) & set(first.effort)
