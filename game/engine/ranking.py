"""Ranking seats by score, highest first, with equal scores settled as the review says:
`draw` orders them by a draw from the game's seeded randomness, `share` gives them one rank
(docs/rules.md, *Review*). Seat order never decides a tie."""

from __future__ import annotations

from typing import TypeVar

from game.engine.rng import stream

T = TypeVar("T")


def settle_ties(ranked: list[tuple[float, T]], ties: str, seed: int, *parts: object) -> list[int]:
    """Each entry's rank (from 1), for `ranked`, (score, item) pairs already sorted highest
    score first. With `ties` "draw", every run of equal scores is shuffled in place by
    `stream(seed, *parts)`, seeded only if some scores are equal (so a game without ties
    draws nothing), and the ranks are 1, 2, 3, ...; with "share", the list is left as it
    is and equal scores share the best rank of their run (1, 2, 2, 4)."""
    count = len(ranked)
    ranks = list(range(1, count + 1))
    rng = None
    start = 0
    for end in range(1, count + 1):
        if end < count and ranked[end][0] == ranked[start][0]:
            continue
        if end - start > 1:
            if ties == "share":
                ranks[start:end] = [start + 1] * (end - start)
            else:
                if rng is None:
                    rng = stream(seed, *parts)
                run = ranked[start:end]
                rng.shuffle(run)
                ranked[start:end] = run
        start = end
    return ranks


def ranked_by_score(items: list[tuple[float, T]], ties: str, seed: int, *parts: object
                    ) -> list[tuple[int, float, T]]:
    """(rank, score, item) for (score, item) pairs, highest score first, equal scores settled
    as `settle_ties` does with `stream(seed, *parts)`."""
    ranked = sorted(items, key=_score, reverse=True)
    ranks = settle_ties(ranked, ties, seed, *parts)
    return [(rank, score, item) for rank, (score, item) in zip(ranks, ranked)]


def _score(pair: tuple[float, object]) -> float:
    return pair[0]
