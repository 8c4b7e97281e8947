"""CPython's MT19937 (`random.Random(key)` for an int key) for many streams at once, bit
for bit: the first words each stream's `getrandbits(32)` would give, the `random()`s they
make, and its `gauss` on them.

Seeding is `init_by_array` on the key's 32-bit words (little-endian, at least one): 1,247
steps, each depending on the one before, so one stream cannot be vectorised; many can. The
state is (624, B) uint32, a row per step, so each step is five in-place ufuncs on one
contiguous row of B streams; `init_genrand(19650218)`, the same for every stream, is computed
once (its words are the constants loop 1 mixes in). A stream's first `count` outputs (count
up to 227) need only its state and the first `count` steps of the twist, so no full twist is
made. The fixed cost is the ~6,200 ufunc calls of a block (a few ms), so this pays only for
thousands of streams at once (`WORTH`); below that CPython's C, one stream at a time, is
faster.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import cycle

import numpy as np

N = 624
"""MT19937's state words."""
M = 397
"""Its twist's offset."""
MOST = 227
"""The outputs a stream's state gives before the twist reads words it has itself twisted
(N - M): the most `first_words` computes."""
BLOCK = 16384
"""Streams seeded together at most: the streams are split into as few blocks as that allows,
of even widths (40,000 streams are 3 blocks of ~13,300, not 4 of 8,192 and one of 7,232),
each block's ~6,200 ufunc calls costing ~1.6 ms whatever its width. The (N, width) state is
at most 40 MB, reused block after block. Measured, the banks of a chunk of 1,000 and of
2,500 flagship games (40,000, 20,000 and 37,500 streams), medians of 6 alternating runs in
each of 2 processes at once: 75-82 ms with this, 88-94 with blocks of at most 8,192, 91-104
with 24,576."""
WORTH = 1500
"""Streams from which seeding them together is faster than CPython one by one (measured
on 2 idle cores: 500 streams 5.1 us each, 1,000 3.2, 2,000 2.5, 8,000 1.1; CPython 3.5)."""


def _genrand_base() -> list[int]:
    """CPython's `init_genrand(19650218)`: the state `init_by_array` starts from."""
    mt = [19650218]
    for i in range(1, N):
        mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
    return mt


_BASE = [np.array(v, dtype=np.uint32) for v in _genrand_base()]
_INDEX = [np.array(i, dtype=np.uint32) for i in range(N)]
_MIX1, _MIX2 = np.array(1664525, dtype=np.uint32), np.array(1566083941, dtype=np.uint32)
_S30 = np.array(30, dtype=np.uint32)
"""The constants as 0-d arrays: a ufunc converts a numpy scalar operand at every call, which
cost as much as the call itself on a block's rows."""


def key_words(keys: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(what loop 1 adds at even steps, at odd steps) per key, each (K,) uint32: the key's
    first word plus 0, and its second word plus 1, or the first again for a key of one word
    (CPython splits abs(key) into 32-bit words, little-endian, at least one). Keys are ints
    or a uint64 array (`game.engine.rng.derive_array`'s, taken as they are)."""
    if isinstance(keys, np.ndarray):
        if keys.dtype != np.uint64:
            raise ValueError("an array of keys must be uint64")
        values = keys
    else:
        values = [abs(k) for k in keys]
        if values and max(values) >> 64:
            raise ValueError("keys must be below 2**64 in absolute value")
        values = np.array(values, dtype=np.uint64)
    low = values.astype(np.uint32)  # (the low word: the cast keeps it)
    high = (values >> np.uint64(32)).astype(np.uint32)
    return low, np.where(high != 0, high + np.uint32(1), low)


def seed_block(even: np.ndarray, odd: np.ndarray, mt: np.ndarray, t: np.ndarray) -> None:
    """The state `init_by_array` leaves for each stream (column) into mt (N, B), from its
    key words (`key_words`), exactly as CPython's C does it one stream at a time."""
    rows, last = list(mt), (even, odd)[(N - 1) & 1]
    rows[0][...] = _BASE[0]
    # loop 1's 623 steps (the old words are init_genrand's), then its wrap to row 1
    _steps(zip(rows[:-1], rows[1:], _BASE[1:], cycle((even, odd))), t, _MIX1, np.add)
    rows[0][...] = rows[N - 1]
    _steps([(rows[0], rows[1], rows[1], last)], t, _MIX1, np.add)
    # loop 2's 622 steps, then its wrap to row 1
    _steps(zip(rows[1:-1], rows[2:], rows[2:], _INDEX[2:]), t, _MIX2, np.subtract)
    rows[0][...] = rows[N - 1]
    _steps([(rows[0], rows[1], rows[1], _INDEX[1])], t, _MIX2, np.subtract)
    rows[0][...] = 0x80000000


def _steps(steps: Iterable[tuple], t: np.ndarray, factor: np.ndarray,
           combine: np.ufunc) -> None:
    """Each step (prev, row, old, amount) of `init_by_array` for every stream, in order and
    in place: row = combine(old ^ ((prev ^ (prev >> 30)) * factor), amount). Five ufuncs a
    step with positional outputs (t is scratch), over row views made once: their calls,
    not the arithmetic, cost most of a block of a few thousand streams."""
    shift, xor, multiply, s30 = np.right_shift, np.bitwise_xor, np.multiply, _S30
    for prev, row, old, amount in steps:
        shift(prev, s30, t)
        xor(t, prev, t)
        multiply(t, factor, t)
        xor(t, old, t)
        combine(t, amount, row)


def _outputs(mt: np.ndarray, count: int) -> np.ndarray:
    """(count, B) the first `count` tempered outputs of the states mt (N, B) (the first
    twist, word by word: word i reads only untwisted words for i < MOST), computed in place
    in two (count, B) arrays."""
    y = np.bitwise_and(mt[1:count + 1], np.uint32(0x7FFFFFFF))
    v = np.bitwise_and(mt[:count], np.uint32(0x80000000))
    y |= v
    np.right_shift(y, np.uint32(1), v)
    v ^= mt[M:M + count]
    y &= np.uint32(1)
    y *= np.uint32(0x9908B0DF)
    v ^= y
    for shift, left, mask in _TEMPER:
        if left:
            np.left_shift(v, shift, y)
            y &= mask
        else:
            np.right_shift(v, shift, y)
        v ^= y
    return v


_TEMPER = [(np.uint32(11), False, None), (np.uint32(7), True, np.uint32(0x9D2C5680)),
           (np.uint32(15), True, np.uint32(0xEFC60000)), (np.uint32(18), False, None)]
"""MT19937's tempering: (shift, left?, mask of a left shift), in order."""


def first_words(keys: Sequence[int] | np.ndarray, count: int | np.ndarray) -> np.ndarray:
    """(the largest count, K) uint32: column k holds the first `count` (at most MOST) words
    `random.Random(keys[k]).getrandbits(32)` gives, in order (keys as `key_words` takes
    them); `count` is one for every key or one per key (K,), and a column's rows past its
    own count are left uncomputed (a word is ~16 array operations a key, besides its
    seeding's ~6,200)."""
    counts = np.broadcast_to(np.asarray(count, dtype=np.int64), (len(keys),))
    most = int(counts.max(initial=1))
    if int(counts.min(initial=1)) < 1 or most > MOST:
        raise ValueError(f"count must be 1-{MOST}")
    even, odd = key_words(keys)
    out = np.empty((most, len(keys)), dtype=np.uint32)
    width = -(-len(keys) // max(1, -(-len(keys) // BLOCK)))  # (even blocks: see BLOCK)
    mt, t = np.empty((N, width), dtype=np.uint32), np.empty(width, dtype=np.uint32)
    for start in range(0, len(keys), width):
        stop = min(start + width, len(keys))
        b = stop - start
        if b < width:
            mt, t = mt[:, :b], t[:b]
        seed_block(even[start:stop], odd[start:stop], mt, t)
        for first, last, n in _runs(counts[start:stop]):
            out[:n, start + first:start + last] = _outputs(mt[:, first:last], n)
    return out


def _runs(counts: np.ndarray) -> list[tuple[int, int, int]]:
    """(first, stop, count) of each run of equal counts, in order."""
    edges = [0, *(np.flatnonzero(counts[1:] != counts[:-1]) + 1).tolist(), len(counts)]
    return [(a, z, int(counts[a])) for a, z in zip(edges, edges[1:])]


def randoms(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """CPython's `random()` from two consecutive words (arrays of uint32): 53 bits,
    (a * 2**26 + b) / 2**53."""
    a = (first >> np.uint32(5)).astype(np.float64)
    b = (second >> np.uint32(6)).astype(np.float64)
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


def gauss_pairs(u1: np.ndarray, u2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(z, the cached next) CPython's `gauss` makes of two `random()`s, bit for bit:
    x2pi = u1 * 2pi, g2rad = sqrt(-2 log(1 - u2)), (cos(x2pi) g2rad, sin(x2pi) g2rad). The
    log, cos and sin are Python's `math` (libm) on each value (numpy's differ in the last
    bit on some values); sqrt is correctly rounded in both."""
    x2pi, g2rad = gauss_polar(u1, u2)
    return libm(math.cos, x2pi) * g2rad, libm(math.sin, x2pi) * g2rad


def gauss_polar(u1: np.ndarray, u2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x2pi, g2rad) of `gauss_pairs`: the angle and radius of the pair, from which each of
    its two normals is computed only when it is read."""
    return u1 * (2.0 * math.pi), np.sqrt(-2.0 * libm(math.log, 1.0 - u2))


def libm(function, values: np.ndarray) -> np.ndarray:
    """`function` (one of Python's `math`) of each float64 of `values` (1-d), as an array."""
    return np.fromiter(map(function, values.tolist()), dtype=np.float64, count=len(values))
