"""Ranking a review over a batch: the seats of one role by score, highest first, equal
scores settled as the review says (docs/rules.md, *Review*; the scalar rule is
`game.engine.ranking.settle_ties`).

The sort is stable, as Python's `sorted(..., reverse=True)`: equal scores keep seat order
until the tie is settled. With `ties: draw` every run of equal scores is shuffled by
`stream(seed, turn, "ties", role)`, seeded only in a game that has a tie, with Python's own
`Random.shuffle` (the permutation depends only on the run's length and the stream, so
shuffling seat indices gives the order `settle_ties` gives); with `ties: share` equal scores
share the best rank of their run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from game.engine.rng import stream


@dataclass(slots=True)
class Ranking:
    """One role's review order in every game of a batch."""

    scores: np.ndarray
    """(G, S) each seat's score (by seat index)."""
    order: np.ndarray
    """(G, S) seat indices by rank position: the role's employed seats first, best first;
    the places after `count` hold the other seats (never read)."""
    ranks: np.ndarray
    """(G, S) int: the rank of the seat at each position (0 after `count`)."""
    count: np.ndarray
    """(G,) int: how many seats were ranked in each game."""


def rank_seats(scores: np.ndarray, members: np.ndarray, ties: str, seeds: list[int],
               *parts: object) -> Ranking:
    """The ranking of the seats where `members` (G, S) holds, by `scores` (G, S) highest
    first; ties drawn from `stream(seed, *parts)` per game (seeded only if needed), or
    shared when `ties` is "share"."""
    games, seats = scores.shape
    order = np.lexsort((-scores, ~members), axis=-1)  # stable: members first, best first
    count = np.add.reduce(members, axis=1)  # (ndarray.sum's reduce, without its wrapper)
    position = np.arange(seats)[None, :]  # (1, S): broadcast against (G, S) where used
    ranked = position < count[:, None]
    sorted_scores = scores[np.arange(games)[:, None], order]  # (take_along_axis's index)
    # a place whose score equals the one before it continues a run of ties
    tied = np.zeros((games, seats), dtype=bool)
    tied[:, 1:] = (sorted_scores[:, 1:] == sorted_scores[:, :-1]) & ranked[:, 1:]
    if ties == "share":
        run_start = np.maximum.accumulate(np.where(tied, 0, position), axis=1)
        ranks = run_start + 1
    else:
        ranks = position + 1
        for game in np.flatnonzero(tied.any(axis=1)):
            _shuffle_runs(order[game], tied[game], stream(seeds[game], *parts))
    return Ranking(scores, order, np.where(ranked, ranks, 0), count)


def _shuffle_runs(order: np.ndarray, tied: np.ndarray, rng: random.Random) -> None:
    """Shuffle, in place and in turn, every run of `order` that `tied` marks (a place tied
    with the one before it), as `settle_ties` shuffles each run of equal scores."""
    places = len(order)
    start = 0
    for end in range(1, places + 1):
        if end < places and tied[end]:
            continue
        if end - start > 1:
            run = order[start:end].tolist()
            rng.shuffle(run)
            order[start:end] = run
        start = end
