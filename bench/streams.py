"""Exact random streams for a batch: seeding many MT19937 streams at once in numpy
(game.engine.batch.twister) against CPython one by one, and drawing through `Lanes` from a
bank's words against CPython streams.

    python bench/streams.py [--repeat R]

Each figure is the best of R runs (other work only ever slows a run down). Seeding excludes
the keys (`derive` one by one, `derive_many` for a bank), reported on their own line.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine.batch import twister
from game.engine.batch.streams import DEPTH, Bank, Lanes
from game.engine.rng import derive, derive_many

RANDOMS = (("week_luck", (1.0, 0.1), False),)
"""The flagship's one random name: a normal draw."""


def best(run: Callable[[], object], repeat: int) -> float:
    """The shortest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def seeding(repeat: int) -> None:
    """us a stream: numpy's seeding (with its first DEPTH words) and CPython's seed."""
    seed, rng = random.Random.seed, random.Random()
    for n in (500, 2_500, 8_192, 30_000):
        keys = [derive(s, 3, "work", 1) for s in range(n)]
        numpy_s = best(lambda keys=keys: twister.first_words(keys, DEPTH), repeat)
        cpython_s = best(lambda keys=keys: [seed(rng, key) for key in keys], repeat)
        print(f"seed {n:>6} streams: numpy {numpy_s / n * 1e6:5.2f} us a stream "
              f"(with {DEPTH} words), CPython {cpython_s / n * 1e6:5.2f}")
    seeds, parts = range(500), [(t, "work", k) for t in range(12) for k in range(5)]
    one_by_one = best(lambda: [derive(s, *p) for p in parts for s in seeds], repeat)
    together = best(lambda: derive_many(seeds, parts), repeat)
    print(f"keys of 30000 streams: derive_many {together / 3e4 * 1e6:.2f} us a key, "
          f"derive {one_by_one / 3e4 * 1e6:.2f}")


def drawing(repeat: int) -> None:
    """us a draw for 500 games: `Lanes.random` and a `draws` of one normal, on a bank's
    words and on CPython streams already seeded."""
    seeds, everyone = list(range(500)), np.ones(500, dtype=bool)
    words = Bank(seeds, [(3, "work", 1)]).take((3, "work", 1))
    for name, draw in (("random", lambda lanes: lanes.random(everyone)),
                       ("draws (a normal)", lambda lanes: lanes.draws(RANDOMS, everyone))):
        fast = min(_four_draws(Lanes(seeds, 3, "work", 1, words=words), draw)
                   for _ in range(repeat)) / 2000 * 1e6
        slow = min(_four_draws(_seeded(seeds), draw) for _ in range(repeat)) / 2000 * 1e6
        print(f"{name:>17}, 500 games: bank {fast:.3f} us a draw, CPython {slow:.3f}")


def _seeded(seeds: list[int]) -> Lanes:
    """CPython Lanes with every game's stream seeded already."""
    lanes = Lanes(seeds, 3, "work", 1)
    for g in range(len(seeds)):
        lanes.lane(g)
    return lanes


def _four_draws(lanes: Lanes, draw: Callable[[Lanes], object]) -> float:
    """Seconds for four `draw`s from `lanes`."""
    start = time.perf_counter()
    for _ in range(4):
        draw(lanes)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seeding(args.repeat)
    drawing(args.repeat)


if __name__ == "__main__":
    main()
