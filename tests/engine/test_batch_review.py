"""The ranking over arrays (game.engine.batch.ranks) is `settle_ties` itself: the same order,
ranks and tie draws, game by game. (The review as a whole is checked within whole turns,
tests/engine/test_batch_turn.py, and by the golden games.)
"""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.batch.ranks import rank_seats
from game.engine.ranking import settle_ties


@pytest.mark.parametrize("ties", ["draw", "share"])
def test_ranking_over_arrays_is_settle_ties(ties):
    rng = np.random.default_rng(20)
    for _ in range(200):
        games, seats = rng.integers(1, 6), rng.integers(1, 9)
        scores = rng.integers(0, 3, (games, seats)).astype(float)
        scores[rng.random((games, seats)) < 0.1] = -0.0  # equal to 0.0
        members = rng.random((games, seats)) < 0.7
        seeds = [int(s) for s in rng.integers(0, 1000, games)]
        ranking = rank_seats(scores, members, ties, seeds, 3, "ties", "role")
        for g in range(games):
            ranked = sorted([(scores[g, k], k) for k in range(seats) if members[g, k]],
                            key=lambda pair: pair[0], reverse=True)
            ranks = settle_ties(ranked, ties, seeds[g], 3, "ties", "role")
            count = ranking.count[g]
            assert ranking.order[g, :count].tolist() == [k for _, k in ranked]
            assert ranking.ranks[g, :count].tolist() == ranks
