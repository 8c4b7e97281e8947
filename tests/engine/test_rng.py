"""Seeded streams (game.engine.rng): pinned, since every saved game and golden result depends
on them."""

from __future__ import annotations

import hashlib
import random

from hypothesis import given
from hypothesis import strategies as st

from game.engine.rng import derive, stream


def test_derive_hashes_the_parts_joined_by_colons():
    digest = hashlib.blake2b(b"5:3:news", digest_size=8).digest()
    assert derive(5, 3, "news") == int.from_bytes(digest, "big")


_PART = st.one_of(st.integers(), st.text(), st.floats(), st.booleans(), st.none(),
                  st.tuples(st.integers(), st.text()))


@given(st.integers(), st.lists(_PART, max_size=12))
def test_derive_is_the_hash_of_the_str_of_every_part_whatever_their_number_and_kind(seed,
                                                                                    parts):
    text = ":".join(map(str, (seed, *parts))).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    assert derive(seed, *parts) == int.from_bytes(digest, "big")


def test_a_stream_gives_the_numbers_it_always_gave():
    rng = stream(7, "news")
    assert type(rng) is random.Random
    assert derive(7, "news") == 13577670541220561447
    assert rng.random() == 0.8957348671190115
    assert rng.gauss(0.0, 1.0) == 0.8752684419889577


def test_a_stream_is_the_generator_random_random_seeds_with_the_derived_number():
    for parts in ((7, "news"), (123456789, 4, "work", 2), (0, 1, "review")):
        rng = stream(*parts)
        assert rng.getstate() == random.Random(derive(*parts)).getstate()
        rng.gauss(0.0, 1.0)  # leaves a second normal number waiting in `gauss_next`
        twin = random.Random(derive(*parts))
        twin.gauss(0.0, 1.0)
        assert rng.getstate() == twin.getstate()
