"""Seeded streams (game.engine.rng): a stream is exactly `random.Random(derive(...))`."""

from __future__ import annotations

import hashlib
import random

import pytest

from game.engine.rng import derive, stream


@pytest.mark.parametrize("parts", [(0,), (7, "news"), (123456789, 12, "work", 3),
                                   (2**63, "bot", 0)])
def test_a_stream_is_the_random_generator_seeded_with_its_derived_int(parts):
    fast, slow = stream(*parts), random.Random(derive(*parts))
    assert type(fast) is random.Random
    assert fast.getstate() == slow.getstate()
    draws = [(r.random(), r.gauss(1.0, 0.1), r.uniform(-1, 1), r.gauss(0.0, 2.0))
             for r in (fast, slow)]
    assert draws[0] == draws[1]
    assert fast.getstate() == slow.getstate()


def test_derive_hashes_the_parts_joined_by_colons():
    digest = hashlib.blake2b(b"5:3:news", digest_size=8).digest()
    assert derive(5, 3, "news") == int.from_bytes(digest, "big")
