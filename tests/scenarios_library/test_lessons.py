"""Each library scenario's lesson emerges from generic bots meeting the scenario's numbers.

Every game here seats the scenario's own default table (a hype manager, one craft employee and
gamers: what a solo player or a short workshop table meets), with no --bot flag, unless a test
replaces the manager with an `outcome` one. For the Goodhart scenarios: the proxy index ends
well above its start while the health index ends below it, and the leaderboard ranks the
gamers above the conscientious seat that contributed most; with an outcome manager, health
rises or holds, the proxy holds or rises too, and the gamers' effort goes into genuine work.
For the counter-example, small-team, the proxy and the health index rise together whichever
kind of manager plays, and they are positively correlated.

Nothing here tunes a bot: if a lesson stops emerging, the scenario's numbers are what to fix.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from game.analysis.simulate import simulate
from game.scenario.load import load_scenario
from tests.conftest import SCENARIOS

RUNS = 200
SEED = 2026

# Per scenario: the manager role, the employee role, the gaming behaviours and the genuine ones
# (ids from the scenario files, named here only).
GOODHART = {
    "sales-quotas": ("district_manager", "banker",
                     ("unauthorised", "push_sell"), ("needs_selling", "serve")),
    "bounty": ("official", "catcher",
               ("cut_and_release", "breed"), ("hunt", "clean_up")),
    "airdrop": ("growth_lead", "member",
                ("wash_trade", "sybil_wallets"), ("genuine_use", "build")),
    "velocity": ("manager", "developer",
                 ("inflate_estimates", "split_tickets", "ship_untested"),
                 ("feature_work", "pay_down_debt", "write_tests")),
}
SMALL_TEAM = ("founder", "teammate")
ROLES = {"tokenmaxxing": ("manager", "employee"), "example": ("lead", "rep"),
         "small-team": SMALL_TEAM, "fishery": ("council", "boat"), **{name: roles[:2] for name, roles in GOODHART.items()}}
"""Per scenario: (manager role, employee role)."""


@lru_cache(maxsize=None)
def run(name: str, manager: str | None = None, employee: str | None = None):
    """The summary of RUNS seeded games of a scenario at its default table; `manager` or
    `employee` replaces the strategy of every seat of that role (cached)."""
    chosen = {role: s for role, s in zip(ROLES[name], (manager, employee)) if s is not None}
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    return simulate(scenario, RUNS, seed=SEED, strategies=chosen, workers=2, progress=False)


@pytest.mark.parametrize("name", sorted(GOODHART))
def test_the_default_table_raises_the_proxy_while_health_falls(name):
    hype = run(name)
    assert hype.strategies[GOODHART[name][0]] == "hype"
    assert hype.proxy_end_mean > hype.proxy_start + 10, "the proxy index should soar"
    assert hype.health_end_mean < hype.health_start - 5, "the health index should fall"
    assert hype.proxy_end_range[0] > hype.proxy_start, "in nearly every game, not on average"
    assert hype.health_end_range[1] < hype.health_start
    assert hype.gap_end_mean > 20


@pytest.mark.parametrize("name", sorted(GOODHART))
def test_hype_makes_gaming_the_gamers_choice(name):
    _, employee, gaming, _ = GOODHART[name]
    shares = run(name).strategy_share[f"{employee}:gamer"]
    assert sum(shares.get(b, 0.0) for b in gaming) > 0.8


@pytest.mark.parametrize("name", sorted(GOODHART))
def test_outcome_policies_keep_proxy_and_health_together(name):
    hype, outcome = run(name), run(name, "outcome")
    assert outcome.health_end_mean >= outcome.health_start, "health rises or holds"
    assert outcome.proxy_end_mean >= outcome.proxy_start - 1, "the proxy holds or rises"
    assert outcome.health_end_range[0] > hype.health_end_range[1], "far above the hype case"
    assert abs(outcome.gap_end_mean) < abs(hype.gap_end_mean) / 3


@pytest.mark.parametrize("name", sorted(GOODHART))
def test_outcome_policies_make_genuine_work_the_gamers_choice(name):
    _, employee, gaming, genuine = GOODHART[name]
    shares = run(name, "outcome").strategy_share[f"{employee}:gamer"]
    assert sum(shares.get(b, 0.0) for b in genuine) > 0.8
    assert sum(shares.get(b, 0.0) for b in gaming) < 0.1


@pytest.mark.parametrize("name", sorted(GOODHART))
def test_the_leaderboard_ranks_the_gamers_above_the_seat_that_contributed_most(name):
    employee = GOODHART[name][1]
    hype = run(name)
    assert hype.rank_contribution_corr_mean <= 0
    board, real = hype.rank_by_strategy[f"{employee}:craft"]
    assert real < 1.5 and board > 3, "craft contributes most and ranks near the bottom"


@pytest.mark.parametrize("manager", [None, "outcome"])
def test_small_team_proxy_and_health_rise_together(manager):
    result = run("small-team", manager)
    assert result.proxy_end_mean > result.proxy_start + 5
    assert result.health_end_mean > result.health_start + 2
    assert result.proxy_end_range[0] > result.proxy_start
    assert result.health_end_range[0] > result.health_start
    assert result.proxy_health_corr_mean > 0.3


def test_small_team_stays_together_when_people_aim_at_health():
    result = run("small-team", "outcome", "craft")
    assert result.strategies == {"founder": "outcome", "teammate": "craft"}
    assert result.proxy_end_mean > result.proxy_start
    assert result.health_end_mean > result.health_start
    assert result.proxy_health_corr_mean > 0


def test_small_team_leaderboard_ranks_people_by_what_they_contributed():
    assert run("small-team").rank_contribution_corr_mean > 0.5


def test_flagship_default_table_lands_the_lesson():
    """Issue 17's acceptance: tokenmaxxing at its default table, no --bot flag."""
    hype = run("tokenmaxxing")
    assert hype.strategies == {"manager": "hype", "employee": "craft+gamer x3"}
    assert hype.health_end_mean <= hype.health_start - 10, "health falls at least 10 points"
    assert hype.gap_end_mean >= 20
    assert hype.rank_contribution_corr_mean <= 0
    board, real = hype.rank_by_strategy["employee:craft"]
    assert real < board, "the conscientious engineer contributes more than it ranks"


def test_flagship_outcome_manager_keeps_health():
    outcome = run("tokenmaxxing", "outcome")
    assert outcome.health_end_mean >= outcome.health_start - 2


def test_example_default_table_shows_its_lesson():
    hype, outcome = run("example"), run("example", "outcome")
    assert hype.proxy_end_mean > hype.proxy_start
    assert hype.health_end_mean < hype.health_start - 5
    assert hype.gap_end_mean > 20
    assert hype.rank_contribution_corr_mean <= 0
    assert outcome.health_end_mean >= outcome.health_start


def test_fishery_top_catch_board_empties_the_sea_while_landings_hold():
    """The tragedy of the commons: skippers who play to a top-catch board each land all
    they can, and the shared stock falls while the landings on the board stay high."""
    hype = run("fishery")
    assert hype.strategies == {"council": "hype", "boat": "craft+gamer x4"}
    assert hype.proxy_end_mean > hype.proxy_start + 10, "landings stay high"
    assert hype.health_end_mean < hype.health_start - 20, "the stock falls"
    assert hype.proxy_end_range[0] > hype.proxy_start
    assert hype.health_end_range[1] < hype.health_start
    assert hype.gap_end_mean > 20
    board, real = hype.rank_by_strategy["boat:craft"]
    assert real < 1.5 and board > 4, "the boat that spares the fish ranks last"


def test_fishery_catch_shares_keep_the_stock():
    hype, outcome = run("fishery"), run("fishery", "outcome")
    assert outcome.health_end_mean > outcome.health_start, "the stock grows back"
    assert outcome.proxy_end_mean >= outcome.proxy_start - 1, "landings hold"
    assert outcome.health_end_range[0] > hype.health_end_range[1]
    turns = [levels for record in outcome._records for levels in record.policies]
    assert all(levels["catch_shares"] and not levels["top_catch"] for levels in turns)
    turns = [levels for record in hype._records for levels in record.policies]
    assert all(levels["top_catch"] and not levels["catch_shares"] for levels in turns)
