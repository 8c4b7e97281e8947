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
        stream, as `game.engine.env.draws_of` draws them: name -> (G,), NaN where unselected."""
        out = {name: np.full(len(self.seeds), np.nan) for name, _, _ in randoms}
        for g in np.flatnonzero(mask).tolist():
            rng = self.lane(g)
            for name, (a, b), uniform in randoms:
                out[name][g] = rng.uniform(a, b) if uniform else rng.gauss(a, b)
        return out

    def skip_draws(self, randoms: tuple[RandomSpec, ...], mask: np.ndarray) -> None:
        """Move each selected game's stream on as `draws` would, for numbers nothing reads."""
        self.draws(randoms, mask)
