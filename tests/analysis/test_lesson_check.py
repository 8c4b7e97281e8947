"""Judging a batch of games by the scenario's own lessons: which regime the games followed,
which lessons speak for that regime, and whether they held in most games."""

from __future__ import annotations

import pytest

from game.analysis.lesson_check import followed_regime, judge, lessons_by_regime
from game.analysis.simulate import simulate
from game.scenario.load import load_scenario


def _starts(lessons) -> list[str]:
    return [text.split(".")[0] for text, _ in lessons]


def test_each_regime_of_the_flagship_is_judged_by_its_own_lessons():
    lessons = lessons_by_regime(load_scenario("tokenmaxxing"))
    assert _starts(lessons["The token leaderboard"]) == [
        "A usage figure is cheap to raise and expensive to pay for", "Workslop hides"]
    outcome = _starts(lessons["Outcome metrics with counter-goals"])
    assert len(outcome) == 1 and outcome[0].startswith("Measuring outcomes, and pairing")


def test_a_lesson_that_needs_a_policy_off_belongs_to_the_regime_that_switches_it_off():
    lessons = lessons_by_regime(load_scenario("four-hour-target"))
    assert any("Without fines on the four-hour clock" in t
               for t, _ in lessons["Whole journey timed"])
    assert not any("Without fines on the four-hour clock" in t
                   for t, _ in lessons["Four-hour standard"])


def test_a_regime_without_lessons_of_its_own_is_judged_by_the_lessons_of_no_regime():
    # bounty's tail lesson can hold under both regimes (each keeps some tail bounty), so it
    # is no regime's own; the tally lesson reads no policy at all
    lessons = lessons_by_regime(load_scenario("bounty"))
    assert _starts(lessons["Pay per tail"])[1] == "The tally could only go up"
    assert not any(t.startswith("The tally") for t, _ in lessons["Pay for cleared districts"])


@pytest.fixture(scope="module")
def fishery():
    return load_scenario("fishery")


def _records(scenario, locked, runs=4):
    return simulate(scenario, runs, 1, {}, locked=locked, progress=False).records


def test_the_regime_followed_is_the_one_the_games_ran_most(fishery):
    assert followed_regime(fishery, _records(fishery, {"top_catch": 1})).name == \
        "Top catch board"
    assert followed_regime(fishery, _records(fishery, {"catch_shares": 1,
                                                       "top_catch": 0})).name == "Catch shares"
    # the board off and no shares either: half of each regime, so neither
    assert followed_regime(fishery, _records(fishery, {"top_catch": 0,
                                                       "catch_shares": 0})) is None
    assert followed_regime(fishery, []) is None


def test_the_verdict_counts_the_games_in_which_each_lesson_held(fishery):
    verdict = judge(fishery, _records(fishery, {"top_catch": 1}))
    assert verdict.regime == "Top catch board" and verdict.holds is True
    assert verdict.lessons[0][0].startswith("The board ranked the boats")
    assert verdict.weakest[1] > 0.5
    neither = judge(fishery, _records(fishery, {"top_catch": 0, "catch_shares": 0}))
    assert neither.holds is None and neither.why == "no regime followed more than another"
    bare = fishery.model_copy(update={"debrief": fishery.debrief.model_copy(
        update={"what_if": []})})
    assert judge(bare, _records(fishery, {"top_catch": 1})).why == "no regime declared"
