"""Decisions of many games at once: which games a planning bot's memo key cannot tell apart.

A planning bot decides by a pure function of the few values its memo key reads, perceived
(game.bots.forecaster `Forecaster.view_key`, game.bots.policy_plan `PolicyPlanner.view_key`). In a
batch of games, the games of a turn whose seat perceives the same values in every part its
key reads give the same key, so one recall (on one of them) answers them all. `Reads` says
which parts a key reads (`PlanningBot.reads`); `key_groups` groups the games of a batch by
those parts as a seat's `Sights` show them (game.engine.batch.sights: what the seat's view
shows, over arrays); `perceived` is `perceive` over an array.

Groups are never coarser than the key (games in one group give equal keys: tested in
tests/bots/test_groups.py), and no finer than the parts the key reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from game.bots.beliefs import SIGNIFICANT, perceive

if TYPE_CHECKING:  # (the engine's arrays; bots only read them)
    from game.engine.batch.layout import Layout
    from game.engine.batch.sights import Sights


@dataclass(frozen=True, slots=True)
class Reads:
    """What a planning bot's memo key reads of a seat's glance, beside its role, turn and
    Legal: None means all of that kind. Every other seat's employment is read too (a key
    lists the employed others only)."""

    policies: tuple[str, ...] | None
    """The policies whose levels the key reads (by id)."""
    own: tuple[str, ...] | None
    """The seat's own stats read, perceived (None: every own stat its view shows)."""
    others: tuple[str, ...] | None
    """The stats of the other seats read: perceived where shown, else guessed "like me"
    from the seat's own (see `like_me`). None: all of them."""
    score: bool
    rank: bool
    turn: bool
    metrics: tuple[str, ...]
    """The metrics whose readings the key reads (`Sights` has none: `key_groups` refuses)."""
    like_me: tuple[str, ...] = ()
    """Own stats (of `others`, not in `own`) read only as the guess at another seat's stat
    it does not show: to one significant digit (`beliefs.like_me`), and only in the games
    where an employed other seat that holds the stat does not show it."""


NOTHING = Reads((), (), (), False, False, False, ())
"""What a key reads when there is nothing to choose (no key at all)."""


def merged(parts: Sequence[Reads], order: Sequence[str]) -> Reads:
    """The union of `parts` (what any of them reads), policies in `order` (the rules')."""
    def union(field: str) -> tuple[str, ...] | None:
        seen = [getattr(p, field) for p in parts]
        if any(s is None for s in seen):
            return None
        return tuple(dict.fromkeys(x for s in seen for x in s))

    policies = union("policies")
    if policies is not None:
        policies = tuple(p for p in order if p in policies)
    own = union("own")
    like = union("like_me")
    return Reads(policies, own, union("others"), any(p.score for p in parts),
                 any(p.rank for p in parts), any(p.turn for p in parts), union("metrics"),
                 tuple(sid for sid in like if own is not None and sid not in own))


_EXACT_POWERS = np.array([10.0 ** k for k in range(23)])
"""10**k for k = 0..22: every one is exact as a float (5**22 < 2**53)."""
NEAR = 1e-9
"""How close to a power of ten (in log10) or to a half (after scaling) a value is left to
`perceive` itself: numpy's log10 may differ from the C library's by an ulp or so (~1e-13
at most here), and a scaled value (below 10**significant) is off by at most half an ulp,
1.1e-10 at 6 digits (1.1e-14 at 2), so farther than this both agree."""


_TENS = np.array([10.0 ** k for k in range(-22, 23)])
"""10.0**k for k = -22..22, as Python computes them (values at a power of ten are often
exactly one of these: initial values, budgets)."""
_TENS_PERCEIVED: dict[int, np.ndarray] = {}


def _tens_perceived(significant: int) -> np.ndarray:
    """`perceive(t, significant)` of each of `_TENS` (`perceive` is odd: -t gives -that)."""
    found = _TENS_PERCEIVED.get(significant)
    if found is None:
        found = _TENS_PERCEIVED[significant] = np.array(
            [perceive(t, significant) for t in _TENS.tolist()])
    return found


def perceived(values: np.ndarray, significant: int = SIGNIFICANT) -> np.ndarray:
    """`perceive(v, significant)` for every value of `values`, bit for bit, as a float64
    array of the same shape (`perceive`: 0.0 for 0.0 and NaN; it raises for infinities and
    values that round past the largest float, and so does this).

    Vectorised as `rint(v * 10**n) / 10**n` (n = significant - 1 - floor(log10|v|); a
    division and a product for n < 0), which is Python's correctly rounded `round(v, n)`
    wherever 10**|n| is exact (|n| <= 22), the scaled value is not near a half and |v| not
    near a power of ten; `perceive` itself gives the rest (1 to 6 significant digits: see
    `NEAR`)."""
    if not 1 <= significant <= 6:
        raise ValueError(f"perceived reads 1 to 6 significant digits, not {significant}")
    v = np.asarray(values, dtype=np.float64)
    flat = v.ravel()
    out = np.zeros(flat.shape)  # 0.0 and NaN stay 0.0, as `perceive` gives them
    with np.errstate(all="ignore"):
        lg = np.log10(np.abs(flat))
        power = np.rint(lg)
        near = np.abs(lg - power) <= NEAR  # (NaN and infinities: False)
        n = (significant - 1.0) - np.floor(lg)
        fast = ~near & (np.abs(n) <= 22.0) & np.isfinite(lg)
        k = np.where(fast, np.abs(n), 0.0).astype(np.intp)
        scale = _EXACT_POWERS[k]
        up = n >= 0.0
        scaled = np.where(up, flat * scale, flat / scale)
        # near a half, unless exactly so and unscaled: then rint's half to even is round's
        fast &= (np.abs(scaled - np.floor(scaled) - 0.5) > NEAR) | (n == 0.0)
        whole = np.rint(scaled)
        out = np.where(fast, np.where(up, whole / scale, whole * scale), out)
        tens = near & (np.abs(power) <= 22.0)  # exactly 10.0**k: `perceive`'s, kept
        at = np.where(tens, power + 22.0, 0.0).astype(np.intp)
        tens &= np.abs(flat) == _TENS[at]
        out = np.where(tens, np.copysign(_tens_perceived(significant)[at], flat), out)
    slow = ~fast & ~tens & ~np.isnan(flat) & (flat != 0.0)
    if slow.any():
        out[slow] = [perceive(x, significant) for x in flat[slow].tolist()]
    return out.reshape(v.shape)


def _bits(values: np.ndarray) -> np.ndarray:
    """The float64 values' bits as int64 (equal bits: equal values, to group rows by)."""
    return np.ascontiguousarray(values, dtype=np.float64).view(np.int64)


def key_columns(reads: Reads, sights: Sights, rows: np.ndarray, layout: Layout) -> np.ndarray:
    """(len(rows), K) int64: per game of `rows`, every seat's employment and every value the
    key of `reads` reads, as the seat perceives it (`layout`: the batch's, which names the
    columns of `sights.policies` and says which seat holds which stat)."""
    return np.concatenate(_key_blocks(reads, sights, rows, layout), axis=1)


def _key_blocks(reads: Reads, sights: Sights, rows: np.ndarray | slice,
                layout: Layout) -> list[np.ndarray]:
    """`key_columns`, in the blocks it joins ((len(rows), k) int64 each, in its order)."""
    if reads.metrics:
        raise ValueError(f"a seat's sights hold no metric readings ({', '.join(reads.metrics)})")
    employed = sights.employed[rows]
    cols = [employed.astype(np.int64)]
    if reads.policies is None:
        cols.append(sights.policies[rows])
    elif reads.policies:
        ids = layout.policy_ids
        cols.append(sights.policies[rows][:, [ids.index(p) for p in reads.policies]])
    if reads.rank:
        cols.append(sights.rank[rows].astype(np.int64)[:, None])
    own = sights.own if reads.own is None else [sid for sid in reads.own if sid in sights.own]
    values = [sights.own[sid][rows] for sid in own]  # perceived below, all at once
    if reads.score:
        values.append(sights.score[rows])
    for j, sid in sights.shown:  # (only those read: `seats_sights` gathers them then)
        if j == sights.seat or (reads.others is not None and sid not in reads.others):
            continue
        shown_values, shown = sights.shown[j, sid]
        seen = shown[rows] & employed[:, j]  # a key lists the employed others only
        values.append(np.where(seen, shown_values[rows], 0.0))  # never what is not shown
        cols.append(seen.astype(np.int64)[:, None])
    if values:
        cols.append(_bits(perceived(np.stack(values, axis=1))))
    guessed = [sid for sid in reads.like_me if sid in sights.own]
    if guessed:
        cols.append(_guesses(guessed, sights, rows, layout))
    return cols


def _guesses(sids: list[str], sights: Sights, rows: np.ndarray | slice,
             layout: Layout) -> np.ndarray:
    """(len(rows), len(sids)): per game of `rows`, the bits of the seat's "like me" guess at
    each stat of `sids` of the others (its own perceived value to one digit) where an
    employed other seat that holds the stat does not show it, else 0 (not read there)."""
    employed = sights.employed[rows]
    own = np.zeros((len(employed), len(sids)))
    for n, sid in enumerate(sids):
        needed = np.zeros(len(employed), dtype=bool)
        for j in np.flatnonzero(layout.has_stat[:, layout.stat(sid)]).tolist():
            if j != sights.seat:
                shown = sights.shown.get((j, sid))
                needed |= employed[:, j] & (~shown[1][rows] if shown is not None else True)
        own[needed, n] = sights.own[sid][rows][needed]  # (perceive(0.0) is 0.0)
    return _bits(perceived(perceived(own), 1))


def key_groups(reads: Reads, sights: Sights, rows: np.ndarray,
               layout: Layout) -> tuple[np.ndarray, np.ndarray]:
    """(group of each of `rows`, the first game of each group), groups numbered in the
    order of their first game: games in one group show the seat the same perceived values
    in every part `reads` reads (`key_columns`), so they give the bot equal memo keys and
    one recall answers them all."""
    rows = np.asarray(rows, dtype=np.intp)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.intp), rows
    group, first = equal_rows(key_columns(reads, sights, rows, layout))
    return group, rows[first]


def equal_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group of each row of `table`, the position of each group's first row): rows with
    equal values share a group, groups numbered in the order of their first row."""
    if len(table) > 1:  # (a column equal in every row tells no rows apart: most of them)
        table = table[:, (table != table[0]).any(axis=0)]
    if table.shape[1] == 0:
        return np.zeros(len(table), dtype=np.intp), np.zeros(min(len(table), 1), dtype=np.intp)
    key, size = _row_codes(table)
    if key is not None:
        return _equal_codes(key, size)
    order = np.lexsort(table.T)  # stable: equal rows keep their order, first game first
    ranked = table[order]
    new = np.concatenate(([True], (ranked[1:] != ranked[:-1]).any(axis=1)))
    first = order[new]
    group = np.empty(len(order), dtype=np.intp)
    group[order] = _by_first(first)[np.cumsum(new) - 1]  # (back from the sorted order)
    return group, np.sort(first)


def _row_codes(table: np.ndarray) -> tuple[np.ndarray | None, int]:
    """(a code of each row of `table` (N, K), equal codes for equal rows and only those,
    from 0 to `size` - 1; `size`) where the rows' columns take few values (a key's usually
    do: perceived values, employment), else (None, 0): each column's values numbered in
    order (`np.unique`), the numbers of a row read as the digits of one number."""
    key, size = np.zeros(len(table), dtype=np.intp), 1
    for column in table.T:
        values, code = np.unique(column, return_inverse=True)
        size *= len(values)
        if size > 4 * len(table):  # (a count by code would cost more than sorting rows)
            return None, 0
        key = key * len(values) + code.reshape(-1)
    return key, size


def _equal_codes(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`equal_rows` of rows coded `key` (`_row_codes`: from 0 to `size` - 1): each code's
    first row found by a minimum over the rows of each code, no sort of the rows."""
    rows = len(key)
    first_of = np.full(size, rows, dtype=np.intp)
    np.minimum.at(first_of, key, np.arange(rows))
    met = np.flatnonzero(first_of < rows)  # the codes some row has
    first = first_of[met]
    number = np.empty(size, dtype=np.intp)
    number[met] = _by_first(first)
    return number[key], np.sort(first)


def _by_first(first: np.ndarray) -> np.ndarray:
    """For groups whose first rows are at `first`, each group's number in the order of
    those first rows."""
    renumber = np.empty(len(first), dtype=np.intp)
    renumber[np.argsort(first, kind="stable")] = np.arange(len(first))
    return renumber


def seat_groups(reads_of: Callable[[dict[str, int]], Reads | None], sights: Sights,
                rows: np.ndarray, layout: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Key groups of `rows` where what the key reads depends on the policies in force
    (`reads_of(policies)`: a bot's `reads` for one Legal, which picks a forecaster by the
    levels of some policies and lists them in `Reads.policies`): asked once per distinct
    set of levels, and the games whose levels give the same `Reads` grouped together (games
    in one group agree on the levels that picked their forecaster, so on their reads).
    Returns (group of each row, the first game of each group, per group whether it is one
    game alone because its key reads the whole view or metric readings: `reads_of` gave None
    or `Reads.metrics`), groups numbered in the order of their first game."""
    group, first, keys = seat_keys(reads_of, sights, rows, layout)
    return group, first, np.array([k is None for k in keys], dtype=bool)


SeatKey = tuple[Reads, bytes]
"""What a group's key reads, seat-free (`seat_keys`)."""


def _seat_free(table: np.ndarray, seat: int) -> list[bytes]:
    """The bytes of each row of `table` (`key_columns`') without column `seat` (the seat's
    own employment, which no key reads), row by row (one `tobytes` for them all)."""
    own = np.concatenate((table[:, :seat], table[:, seat + 1:]), axis=1)
    width, data = own.shape[1] * own.itemsize, own.tobytes()
    return [data[n * width:(n + 1) * width] for n in range(len(own))]


def seat_keys(reads_of: Callable[[dict[str, int]], Reads | None], sights: Sights,
              rows: np.ndarray, layout: Layout
              ) -> tuple[np.ndarray, np.ndarray, list[SeatKey | None]]:
    """`seat_groups`, with per group, instead of whether it is alone, what its key reads
    as seen from the seat (its `Reads` and the values of `key_columns` but the seat's own
    employment, which is read by no key: a seat that acts is employed), None for a game
    alone. Two seats of one role, whose other seats have the same roles in the same order,
    that give equal `SeatKey`s for a group each see the same perceived values in every part
    their (equal) reads read: a bot of one strategy gives them equal memo keys."""
    rows = np.asarray(rows, dtype=np.intp)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.intp), rows, []
    every = _every(rows, sights)
    buckets = _by_reads(reads_of, sights, every, layout)
    if len(buckets) == 1:  # (the usual case: numbered as below, without the sorts)
        group, first, keys = _keyed(next(iter(buckets)), sights, every, layout)
        return group, rows[first], keys
    group = np.empty(len(rows), dtype=np.intp)
    firsts, keys = [], []
    for reads, parts in buckets.items():
        take = np.sort(np.concatenate(parts))
        sub, first, found = _keyed(reads, sights, rows[take], layout)
        keys += found
        group[take] = sub + sum(map(len, firsts))
        firsts.append(take[first])
    first = np.concatenate(firsts)
    renumber = _by_first(first)
    back = np.argsort(renumber)
    return renumber[group], rows[first[back]], [keys[k] for k in back.tolist()]


def _by_reads(reads_of: Callable[[dict[str, int]], Reads | None], sights: Sights,
              rows: np.ndarray | slice, layout: Layout) -> dict[Reads | None, list[np.ndarray]]:
    """The positions in `rows` (or every row) of the games whose levels give each `Reads`
    (None: the key reads the whole view or metric readings), `reads_of` asked once per set
    of levels."""
    levels = sights.policies[rows]
    if len(levels) > 1 and (levels == levels[0]).all():  # (one set of levels: the usual case)
        order, starts = np.arange(len(levels)), np.zeros(1, dtype=np.intp)
        ranked = levels
    else:
        order = np.lexsort(levels.T)
        ranked = levels[order]
        starts = np.flatnonzero(np.concatenate(([True], (ranked[1:] != ranked[:-1]).any(axis=1))))
    buckets: dict[Reads | None, list[np.ndarray]] = {}
    ids = layout.policy_ids
    ends = [*starts[1:].tolist(), len(order)]
    for at, start, end in zip(ranked[starts].tolist(), starts.tolist(), ends):
        same = order[start:end]
        reads = reads_of(dict(zip(ids, at)))  # (the rows of one set of levels: `same`)
        buckets.setdefault(None if reads is None or reads.metrics else reads, []).append(same)
    return buckets


def _every(rows: np.ndarray, sights: Sights) -> np.ndarray | slice:
    """`rows`, or a slice of every row where they are all of `sights`' in order (a stack's:
    its columns are then read as views, not copied)."""
    every = len(rows) == len(sights.score) and bool((rows == np.arange(len(rows))).all())
    return slice(None) if every else rows


def _keyed(reads: Reads | None, sights: Sights, rows: np.ndarray | slice, layout: Layout
           ) -> tuple[np.ndarray, np.ndarray, list[SeatKey | None]]:
    """(group of each of `rows` (or of every row), the position of each group's first,
    each group's `SeatKey`) for games whose key reads `reads` (None: each game alone, no
    key)."""
    if reads is None:
        games = len(sights.score[rows])
        return np.arange(games), np.arange(games), [None] * games
    blocks = _key_blocks(reads, sights, rows, layout)
    differ = [block for block in blocks if len(block) > 1 and (block != block[0]).any()]
    if differ:  # (grouped by the blocks that differ: most, employment and levels, do not)
        group, first = equal_rows(np.concatenate(differ, axis=1))
    else:
        group, first = np.zeros(len(blocks[0]), dtype=np.intp), np.zeros(1, dtype=np.intp)
    table = np.concatenate([block[first] for block in blocks], axis=1)  # (the firsts' keys)
    return group, first, [(reads, key) for key in _seat_free(table, sights.seat)]
