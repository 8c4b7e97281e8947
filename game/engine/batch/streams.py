"""Random streams for a batch: `Lanes` holds one `game.engine.rng.stream(seed, *parts)` per
game, seeded at its first draw, and draws only for the games a mask selects. Each number is
drawn by the stream's own `random`, `uniform` or `gauss`, so a game's numbers are exactly those
the scalar engine draws from the same stream in the same order, whatever its batch.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from game.engine.rng import stream

RandomSpec = tuple[str, tuple[float, float], bool]
"""(name, arguments, uniform?) of a draw that keeps the old streams (`Layout.randoms`)."""


class Lanes:
    """One lazily seeded stream per game: `stream(seeds[g], *parts)`."""

    __slots__ = ("parts", "rngs", "seeds")

    def __init__(self, seeds: Sequence[int], *parts: object) -> None:
        self.seeds = seeds
        self.parts = parts
        self.rngs: list[random.Random | None] = [None] * len(seeds)

    def lane(self, game: int) -> random.Random:
        """Game `game`'s stream, seeded now if it has not been yet."""
        rng = self.rngs[game]
        if rng is None:
            rng = self.rngs[game] = stream(self.seeds[game], *self.parts)
        return rng

    def random(self, mask: np.ndarray) -> np.ndarray:
        """(G,) a `random()` from each selected game's stream; NaN for the others (which
        draw nothing)."""
        out = np.full(len(self.seeds), np.nan)
        for g in np.flatnonzero(mask).tolist():
            out[g] = self.lane(g).random()
        return out

    def uniform(self, a: float, b: float, mask: np.ndarray) -> np.ndarray:
        """(G,) a `uniform(a, b)` from each selected game's stream; NaN for the others."""
        out = np.full(len(self.seeds), np.nan)
        for g in np.flatnonzero(mask).tolist():
            out[g] = self.lane(g).uniform(a, b)
        return out

    def gauss(self, mu: float, sigma: float, mask: np.ndarray) -> np.ndarray:
        """(G,) a `gauss(mu, sigma)` from each selected game's stream; NaN for the others."""
        out = np.full(len(self.seeds), np.nan)
        for g in np.flatnonzero(mask).tolist():
            out[g] = self.lane(g).gauss(mu, sigma)
        return out

    def draws(self, randoms: tuple[RandomSpec, ...], mask: np.ndarray) -> dict[str, np.ndarray]:
        """A fresh value of every draw of `randoms`, in their order, from each selected game's
        stream, as `game.engine.env.draws_of` draws them: name -> (G,), NaN where unselected.
        (`uniform(a, b)` is `a + (b - a) * random()`, as `random.Random.uniform` computes it.)"""
        games = np.flatnonzero(mask).tolist()
        columns: list[list[float]] = [[] for _ in randoms]
        specs = [(column, a, b - a if uniform else b, uniform)
                 for column, (_, (a, b), uniform) in zip(columns, randoms)]
        rngs, lane = self.rngs, self.lane
        for g in games:
            rng = rngs[g] or lane(g)
            for column, a, b, uniform in specs:
                column.append(a + b * rng.random() if uniform else rng.gauss(a, b))
        out = {}
        for (name, _, _), column in zip(randoms, columns):
            values = out[name] = np.full(len(self.seeds), np.nan)
            values[games] = column
        return out

    def skip_draws(self, randoms: tuple[RandomSpec, ...], mask: np.ndarray,
                   times: np.ndarray | int = 1) -> None:
        """Move each selected game's stream on as `draws` would, `times` over (one count for
        every game, or a count per game (G,)), for numbers nothing reads."""
        games = np.flatnonzero(mask).tolist()
        counts = ([times] * len(games) if isinstance(times, int)
                  else np.asarray(times)[games].tolist())
        rngs, lane = self.rngs, self.lane
        for g, count in zip(games, counts):
            rng = rngs[g] or lane(g)
            for _ in range(count):
                for _, (a, b), uniform in randoms:
                    if uniform:
                        rng.random()
                    else:
                        rng.gauss(a, b)
