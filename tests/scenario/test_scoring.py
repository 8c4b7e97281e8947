"""Players see how they are scored: the review in force for a role, described by its drivers."""

from __future__ import annotations

from game.scenario.load import load_scenario
from game.scenario.scoring import change_lines, scoring_lines
from tests.conftest import ROOT, TINY

CHAIN = ROOT / "tests" / "engine" / "fixtures" / "chain.yaml"


def test_the_base_review_and_each_active_policy_term_are_described_in_words():
    s = load_scenario(TINY)
    assert scoring_lines(s, "employee", {}) == ["Base review: points for Output."]
    lines = scoring_lines(s, "employee", {"leaderboard": 1})
    assert lines == ["Base review: points for Output.",
                     "Token leaderboard: points for Tokens (compared with the others)."]


def test_a_level_policy_says_its_level_and_a_new_one_is_marked():
    s = load_scenario(TINY)
    lines = scoring_lines(s, "employee", {"outcomes": 2}, new=frozenset({"outcomes"}))
    assert lines[1] == "New: Outcome metrics (strong): points for Output."


def test_a_policy_that_is_off_or_scores_another_role_is_not_listed():
    s = load_scenario(TINY)
    assert scoring_lines(s, "employee", {"leaderboard": 0, "outcomes": 0}) == \
        ["Base review: points for Output."]
    assert scoring_lines(s, "manager", {"leaderboard": 1}) == ["Your role is not reviewed."]


def test_costs_and_caps_are_named_from_the_formula():
    s = load_scenario("tokenmaxxing")
    lines = scoring_lines(s, "employee", {"token_leaderboard": 1, "counter_goals": 1})
    assert "Public token leaderboard: points for Tokens this week (up to a cap)." in lines
    counter = next(line for line in lines if line.startswith("Counter-goals"))
    assert "points off for Defects found on your work" in counter


def test_a_policy_change_says_what_it_changes_for_each_role():
    s = load_scenario(TINY)
    assert change_lines(s, "leaderboard", 0, 1) == [
        "Token leaderboard: now on (was off).",
        "Employee: points for Tokens (compared with the others)."]
    assert change_lines(s, "leaderboard", 1, 0)[1] == \
        "Employee: no more points for Tokens (compared with the others)."
    agent = change_lines(load_scenario("tokenmaxxing"), "agent_autonomy", 0, 2)
    assert agent[0] == "Autonomy of the company agent: now autonomous (was off)."
    assert agent[1].startswith("Lets engineers leave the company's agent running")


def test_a_neighbours_stat_in_a_review_is_named_as_the_neighbours_part():
    """`received + downstream.received` is not "points for Received" twice or once: the
    neighbour's part is named as theirs."""
    s = load_scenario(CHAIN)
    assert scoring_lines(s, "stage", {}) == [
        "Base review: points for Received and for your downstream neighbour's Received."]
