"""Seeded randomness: every generator is derived from (seed, turn, purpose, ...), never global."""

from __future__ import annotations

import hashlib
import _random
import math
import random

_blake2b = hashlib.blake2b


def derive(seed: int, *parts: object) -> int:
    """A 64-bit integer that depends only on the seed and the parts."""
    text = ":".join(map(str, (seed, *parts))).encode()
    return int.from_bytes(_blake2b(text, digest_size=8).digest(), "big")


def stream(seed: int, *parts: object) -> random.Random:
    """A generator for one purpose, e.g. `stream(seed, turn, "news")`: the one
    `random.Random(derive(seed, *parts))` gives, built without its Python `__init__` and
    `seed`, whose checks cost about a sixth of the seeding itself (resolution seeds a
    stream per employed seat and turn). For an int the C seed is all `seed` does, and
    `__new__` seeds nothing when given no argument."""
    rng = _new(_Random)
    _seed(rng, derive(seed, *parts))
    rng.gauss_next = None
    return rng


_Random = random.Random
_new = _Random.__new__
_seed = _random.Random.seed


def unit_normal(seed: int, *parts: object) -> float:
    """A standard normal number fixed by the seed and the parts (Box-Muller on a hash)."""
    bits = derive(seed, *parts)
    u1 = ((bits >> 32) + 1) / 4294967297.0
    u2 = (bits & 0xFFFFFFFF) / 4294967296.0
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
