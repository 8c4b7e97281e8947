"""Bookkeeping stats: kept by the engine and read by formulas, shown by no view, no screen
text and no `explain`."""

from __future__ import annotations

import pytest

from game.analysis.simulate import play_bot_game
from game.engine import Game
from game.engine.view import views
from game.scenario.explain import explain
from game.scenario.load import load_scenario
from game.scenario.scoring import scoring_lines
from tests.scenario.fixtures.variants import variant

LEDGER = ("stats:\n", "stats:\n  - id: ledger\n    name: Secret ledger\n    min: 0\n"
                      "    max: 1000\n    initial: 0\n    roles: [employee]\n"
                      "    bookkeeping: true\n    public: 1\n")
FARMED = ("      - target: tokens\n        value: 20\n",
          "      - target: tokens\n        value: 20\n      - target: ledger\n        value: 5\n")
SCORED = ("    score: real_work\n", "    score: real_work + 0.01 * ledger\n")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return load_scenario(variant(tmp_path_factory.mktemp("ledger"), LEDGER, FARMED, SCORED))


def test_the_engine_keeps_a_bookkeeping_stat_and_formulas_read_it(scenario):
    state = play_bot_game(scenario, 3, {"employee": "gamer"})[0]
    ledgers = [s.stats["ledger"] for s in state.seats if s.role == "employee"]
    assert max(ledgers) > 0
    last = {r.seat: r.score for r in state.history[-1].reviews["employee"]}
    seat = next(s for s in state.seats if s.role == "employee" and s.stats["ledger"] > 0)
    alloc = state.history[-1].allocations.get(seat.index, {})
    assert last[seat.index] == pytest.approx(alloc.get("real_work", 0) + 0.01 * seat.stats["ledger"])


def test_no_view_shows_a_bookkeeping_stat_during_the_game_or_at_the_end(scenario):
    game = Game(scenario)
    state = play_bot_game(scenario, 3, {"employee": "gamer"})[0]
    mid = state.clone()
    mid.phase = "work"
    for st in (state, mid):
        for v in views(game.rules, st, range(len(st.seats))):
            assert "ledger" not in v.own_stats
            assert all("ledger" not in o.stats for o in v.others)
            assert all("ledger" not in turn.stats for turn in v.own_history)
            assert "tokens" in v.own_stats or v.role != "employee"


def test_explain_and_the_scoring_lines_leave_a_bookkeeping_stat_out(scenario, tmp_path):
    assert "Secret ledger" not in explain(scenario)
    bonus = ("        effects:\n          - target: tokens\n            value: 10\n",
             "        effects:\n          - target: tokens\n            value: 10\n"
             "          - target: ledger\n            value: 3\n")
    rewarded = load_scenario(variant(tmp_path, LEDGER, FARMED, SCORED, bonus))
    text = " ".join(explain(rewarded).split())
    assert "Bonus when `rank == 1`: Tokens used +10" in text
    assert "Secret ledger" not in text
    assert not any("Secret ledger" in line
                   for line in scoring_lines(scenario, "employee", {"leaderboard": 1}))
