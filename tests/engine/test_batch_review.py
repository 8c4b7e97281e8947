"""The batch review (game.engine.batch.review) gives exactly what the scalar review gives
(game.engine.resolve.review): for every state handed to the review in random legal play and
bot games of every bundled scenario, tiny.yaml and the fixtures, the scalar review on one
copy and the batch review on another (alone, and gathered with other games at the same turn
into batches of 3 and 8) leave equal state hashes and equal review rows, bit for bit. The
ranking over arrays is checked against `settle_ties` itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.engine import resolve
from game.engine.batch.ranks import rank_seats
from game.engine.batch.review import review_turn
from game.engine.batch.state import gather, scatter
from game.engine.ranking import settle_ties
from game.engine.resolve_plan import plan_for
from game.engine.state import GameState
from game.scenario.rules import Rules
from tests.engine.batch_states import PATHS, each_batch


def check_review(rules: Rules, group: list[GameState]) -> None:
    """The scalar and the batch review of copies of `group` (one batch) agree bit for bit."""
    scalar = [state.clone() for state in group]
    rows = [resolve.review(plan_for(rules), rules, state)[0] for state in scalar]
    states = [state.clone() for state in group]
    batch = gather(rules, states)
    review_turn(batch)
    scatter(batch, states, record=False)
    for g, (want, got) in enumerate(zip(scalar, states)):
        where = f"seed {want.seed}, turn {want.turn}, game {g} of {len(group)}"
        assert {role: [r.model_dump() for r in rs] for role, rs in batch.reviews[g].items()} \
            == {role: [r.model_dump() for r in rs] for role, rs in rows[g].items()}, where
        assert got.model_dump_json() == want.model_dump_json(), where
        assert got.state_hash() == want.state_hash(), where


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_batch_review_is_the_scalar_one(path):
    for game, group in each_batch(path, "review"):
        check_review(game.rules, group)


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
