"""The plain-English summary says what a facilitator needs to read aloud, and fits 88 columns."""

from __future__ import annotations

import pytest

from game.scenario.explain import WIDTH, explain
from game.scenario.load import list_bundled, load_scenario
from tests.scenario.fixtures.variants import MINIMAL, variant


@pytest.fixture(scope="module")
def text() -> str:
    return explain(load_scenario(MINIMAL))


@pytest.mark.parametrize("part", [
    "Minimal company",
    "A two-role company where a token leaderboard",
    "The game lasts 6 weeks (about 30 minutes)",
    "Manager (1 seat)",
    "Engineer (1 to 4 seats, 2 by default)",
    "Sets policies with a budget of 3 points",
    "Public token leaderboard (on or off, costs 1 point)",
    "Mandatory review of AI output (levels off / light / strict",
    "cannot be combined with Public token leaderboard",
    "secretly splits 5 effort points",
    "Busywork that farms tokens",
    "Review score each week: `real_work`",
    "plus `0.1 * tokens` while 'Public token leaderboard' is active",
    "The ranking is published as a leaderboard",
    "Bonus when `rank == 1`: Tokens used +10",
    "Quality: Manager sees it 1 week late",
    "everyone's becomes public while 'Public token leaderboard' is active",
    "Token prices double",
    "the proxy index, what the leaderboard rewards: Token spend (weight 1)",
    "the health index, what the company needs: Quality (weight 1)",
])
def test_explain_mentions(text, part):
    assert part in " ".join(text.split())


def test_explain_does_not_give_away_the_lessons(text):
    assert "The leaderboard rewards tokens, not quality" not in text


def test_explain_fits_88_columns(text):
    assert max(len(line) for line in text.splitlines()) <= WIDTH


def test_explain_describes_hidden_metrics_and_private_stats(tmp_path):
    path = variant(tmp_path, ("      manager: {lag: 1}", "      manager: hidden"),
                   ("    reset_each_turn: true", "    reset_each_turn: true\n"
                                                 "    hidden_from_self: true"))
    words = " ".join(explain(load_scenario(path)).split())
    assert "hidden from Manager until the end" in words
    assert "Tokens used: hidden even from the seat itself" in words


@pytest.mark.parametrize("path", list_bundled(), ids=lambda p: p.stem)
def test_every_bundled_scenario_explains_within_88_columns(path):
    text = explain(load_scenario(path))
    assert max(len(line) for line in text.splitlines()) <= WIDTH
