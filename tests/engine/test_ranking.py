"""Fair ranking: equal review scores are settled by a seeded draw or share a rank, never by
seat order (docs/rules.md, *Review*)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from game.analysis.indices import seat_outcomes
from game.engine import Allocate, Game
from game.engine.ranking import ranked_by_score, settle_ties
from game.scenario.load import load_scenario

DICE = Path(__file__).with_name("fixtures") / "dice.yaml"
GAMES = 1000


def _dice(tmp_path: Path, ties: str | None) -> Game:
    """The dice fixture (six seats, each scored on a die roll), with `ties: ties` if given."""
    if ties is None:
        return Game(load_scenario(DICE))
    path = tmp_path / "dice.yaml"
    path.write_text(DICE.read_text().replace("    score: roll\n",
                                             f"    score: roll\n    ties: {ties}\n"))
    return Game(load_scenario(path))


def _rank_one(game: Game, games: int) -> tuple[Counter, int]:
    """How often each seat had rank 1 over every review of `games` seeded games, and the
    number of reviews."""
    top: Counter = Counter()
    reviews = 0
    for seed in range(games):
        state = game.new_state(seed)
        while not game.is_terminal(state):
            for seat in game.to_act(state):
                game.apply_inplace(state, Allocate(seat=seat, effort={"throw": 1}))
        for record in state.history:
            reviews += 1
            top.update(row.seat for row in record.reviews["player"] if row.rank == 1)
    return top, reviews


def test_a_draw_gives_every_seat_a_fair_share_of_rank_one(tmp_path):
    # before the fix equal rolls ranked in seat order: seat 1 had rank 1 in 25.9% of reviews, seat 6 in 9.1%
    top, reviews = _rank_one(_dice(tmp_path, None), GAMES)
    assert sum(top.values()) == reviews  # one seat at rank 1 per review
    for seat in range(6):
        assert abs(top[seat] / reviews - 1 / 6) <= 0.02, (seat, top)


def test_shared_ranks_give_equal_rolls_one_rank(tmp_path):
    game = _dice(tmp_path, "share")
    top, reviews = _rank_one(game, GAMES)
    shares = [top[seat] / reviews for seat in range(6)]
    assert sum(top.values()) > reviews  # equal top rolls share rank 1
    assert max(shares) - min(shares) <= 0.04, shares
    state = game.new_state(3)
    while not game.is_terminal(state):
        for seat in game.to_act(state):
            game.apply_inplace(state, Allocate(seat=seat, effort={"throw": 1}))
    for record in state.history:
        rows = record.reviews["player"]
        for row in rows:  # the rank is one more than the number of better scores
            assert row.rank == 1 + sum(other.score > row.score for other in rows)


def test_settle_ties_shares_the_best_rank_of_a_run():
    ranked = [(5.0, "a"), (3.0, "b"), (3.0, "c"), (1.0, "d"), (1.0, "e"), (1.0, "f")]
    assert settle_ties(ranked, "share", 1, 1, "ties") == [1, 2, 2, 4, 4, 4]
    assert [item for _, item in ranked] == list("abcdef")


def test_settle_ties_draws_the_order_of_equal_scores_from_the_seed():
    orders = set()
    for seed in range(40):
        ranked = [(2.0, "a"), (1.0, "b"), (1.0, "c"), (1.0, "d")]
        assert settle_ties(ranked, "draw", seed, 1, "ties", "x") == [1, 2, 3, 4]
        assert ranked[0] == (2.0, "a")
        orders.add(tuple(item for _, item in ranked[1:]))
        again = [(2.0, "a"), (1.0, "b"), (1.0, "c"), (1.0, "d")]
        settle_ties(again, "draw", seed, 1, "ties", "x")
        assert again == ranked  # the same seed and parts draw the same order
    assert len(orders) == 6  # every order of the three equal scores happens


@pytest.mark.parametrize("ties", ["draw", "share"])
def test_distinct_scores_rank_by_score_alone(ties):
    items = [(0.5, 0), (2.0, 1), (-1.0, 2), (1.5, 3)]
    assert [(rank, item) for rank, _, item in ranked_by_score(items, ties, 9, "p")] == [
        (1, 1), (2, 3), (3, 0), (4, 2)]


def test_final_leaderboard_settles_equal_totals_by_the_review_rule(tmp_path):
    # every seat scores 0 when nobody rolls: the final leaderboard is one big tie
    game = _dice(tmp_path, None)
    firsts = Counter()
    for seed in range(60):
        state = game.new_state(seed)
        while not game.is_terminal(state):
            for seat in game.to_act(state):
                game.apply_inplace(state, Allocate(seat=seat, effort={}))
        outcomes = seat_outcomes(game.scenario, state)
        ranks = {o.seat: o.leaderboard_rank for o in outcomes}
        assert sorted(ranks.values()) == [1, 2, 3, 4, 5, 6]
        assert {o.contribution_rank for o in outcomes} == {1}  # equal contributions share
        firsts[min(ranks, key=ranks.get)] += 1
    assert len(firsts) == 6  # not always seat 1
    shared = _dice(tmp_path, "share")
    state = shared.new_state(1)
    while not shared.is_terminal(state):
        for seat in shared.to_act(state):
            shared.apply_inplace(state, Allocate(seat=seat, effort={}))
    assert {o.leaderboard_rank for o in seat_outcomes(shared.scenario, state)} == {1}
