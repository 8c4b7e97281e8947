"""The review's scores, ranks and consequences read by rank place over every place at once
(`review._scored`, `review._by_place`) are what reading them place by place gives (the rule
as it was before: `_scored_place_by_place` and `review._at` below): checked at every role's
review in the turns of random and bot games of every bundled scenario, tiny.yaml and the
fixtures (dice: ties on every review; edges: layoffs and consequences on every place), bit for
bit (scores, ranks and running totals by seat, scores by place, where each consequence held).
"""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.batch import review
from game.engine.batch.turn import resolve_states
from tests.engine.batch_states import PATHS, batches, captured

STEPS = {"scored": 0, "placed": 0}


def _scored_place_by_place(batch, ranking) -> np.ndarray:
    """Each ranked seat's score, rank and running total written seat by rank place."""
    placed = np.arange(batch.layout.seats) < ranking.count[:, None]
    where = (np.nonzero(placed)[0], ranking.order[placed])
    scores = np.take_along_axis(ranking.scores, ranking.order, axis=1)
    batch.score[where] = scores[placed]
    batch.rank[where] = ranking.ranks[placed]
    batch.score_total[where] = batch.score_total[where] + scores[placed]
    return scores


class _Seats:
    """The seat arrays the scoring writes, copied."""

    def __init__(self, batch) -> None:
        self.score, self.rank = batch.score.copy(), batch.rank.copy()
        self.score_total, self.layout = batch.score_total.copy(), batch.layout


def _same_bits(got: np.ndarray, want: np.ndarray, name: str) -> None:
    assert (got.dtype, got.shape) == (want.dtype, want.shape), name
    assert got.tobytes() == want.tobytes(), name


def _checked_scored(scored):
    def checking(batch, ranking, members):
        want = _Seats(batch)
        want_scores = _scored_place_by_place(want, ranking)
        got_scores = scored(batch, ranking, members)
        _same_bits(got_scores, want_scores, "scores by place")
        for name in ("score", "rank", "score_total"):
            _same_bits(getattr(batch, name), getattr(want, name), name)
        STEPS["scored"] += 1
        return got_scores
    return checking


def _checked_by_place(by_place):
    def checking(values, rows, order):
        got = by_place(values, rows, order)
        for place in range(order.shape[1]):
            want = review._at(values, rows, order[:, place])
            mine = got if got.ndim == 0 else got[:, place if got.shape[1] > 1 else 0]
            _same_bits(np.asarray(mine), np.asarray(want), f"place {place}")
        STEPS["placed"] += 1
        return got
    return checking


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_review_by_place_is_the_review_place_by_place(path, monkeypatch):
    monkeypatch.setattr(review, "_scored", _checked_scored(review._scored))
    monkeypatch.setattr(review, "_by_place", _checked_by_place(review._by_place))
    game, states = captured(path, "resolve_states")
    before = dict(STEPS)
    for group in batches(states, 8):
        resolve_states(game.rules, [state.clone() for state in group])
    if game.rules.reviews:
        assert STEPS["scored"] > before["scored"]
    if any(rv.consequences for rv in game.rules.reviews.values()):
        assert STEPS["placed"] > before["placed"]
