"""Seeded randomness: every generator is derived from (seed, turn, purpose, ...), never global."""

from __future__ import annotations

import hashlib
import _random
import math
import random
from collections.abc import Sequence

import numpy as np


def derive(seed: int | str, *parts: object) -> int:
    """A 64-bit integer that depends only on the seed and the parts: the first 8 bytes
    (big-endian) of the BLAKE2b-64 of their `str`s joined by ':'. Every random stream and
    noisy reading starts here, a hundred times a game, so the text is formatted with a
    ready-made pattern (`%s` is `str`) and the hash copied from an empty one, which is half
    the cost of joining mapped `str`s and building a hash from its keywords."""
    patterns = _PATTERNS
    text = patterns[len(parts)] % (seed, *parts) if len(parts) < len(patterns) \
        else ":".join(map(str, (seed, *parts)))
    digest = _EMPTY.copy()
    digest.update(text.encode())
    return _from_bytes(digest.digest(), "big")


def derive_many(seeds: Sequence[int | str], parts: Sequence[tuple]) -> list[int]:
    """[derive(seed, *p) for p in parts for seed in seeds], a quarter of the cost (see
    `derive_array`)."""
    return derive_array(seeds, parts).tolist()


def derive_array(seeds: Sequence[int | str], parts: Sequence[tuple]) -> np.ndarray:
    """[derive(seed, *p) for p in parts for seed in seeds] as a (len(parts) * len(seeds),)
    uint64 array, made from the digests joined (big-endian words) rather than one Python
    int each: each seed's text is hashed once and the hash copied for each part's text
    (BLAKE2b hashes a text given in pieces as the whole)."""
    heads = []
    for seed in seeds:
        head = _EMPTY.copy()
        head.update(str(seed).encode())
        heads.append(head)
    chunks = []
    for p in parts:
        tail = "".join(":" + str(part) for part in p).encode()
        digests = []
        for head in heads:
            digest = head.copy()
            digest.update(tail)
            digests.append(digest)
        chunks.append(b"".join([digest.digest() for digest in digests]))
    return np.frombuffer(b"".join(chunks), dtype=">u8").astype(np.uint64)


_PATTERNS = tuple(":".join(["%s"] * (n + 1)) for n in range(8))
"""Per number of parts: the text pattern of the seed and the parts (see `derive`)."""
_EMPTY = hashlib.blake2b(digest_size=8)
_from_bytes = int.from_bytes


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


def unit_normal(seed: int | str, *parts: object) -> float:
    """A standard normal number fixed by the seed and the parts (Box-Muller on a hash)."""
    bits = derive(seed, *parts)
    u1 = ((bits >> 32) + 1) / 4294967297.0
    u2 = (bits & 0xFFFFFFFF) / 4294967296.0
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
