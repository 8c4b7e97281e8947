"""A game's history up to a turn, with what views derive from it, memoised.

Views are rebuilt for every decision, yet most of what they show depends only on the turns
already played, which never change: a `Past` keeps that, one per game and turn, and each
turn's is grown from the previous turn's (see `Past.grown`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import is_

from game.engine.state import TurnRecord
from game.scenario.rules import Rules


class Past:
    """One game's history up to a turn (`records`), with what views derive from it.

    A `TurnRecord` is never mutated once appended, so whatever is derived from the records
    can be kept: in `memo`, by kind and arguments. A past is its parent's (one turn shorter)
    plus one record, so series and lists that grow by a turn (`grown`) cost one step per
    turn, not one per turn already played. It holds its rules and records, so their ids
    stay unique while it is in `_PASTS`."""

    __slots__ = ("memo", "parent", "records", "rules", "noise_key")

    def __init__(self, rules: Rules, noise_key: str | int, records: list[TurnRecord],
                 parent: Past | None) -> None:
        self.rules = rules
        self.noise_key = noise_key
        self.records = records
        self.parent = parent
        self.memo: dict[object, object] = {}

    def grown(self, key: object, first: Callable[..., tuple],
              step: Callable[..., tuple], *args: object) -> tuple:
        """`memo[key]`: `first(*args)` before any turn, else `step(the parent's value, self,
        *args)`."""
        value = self.memo.get(key)
        if value is None:
            parent = self.parent
            value = self.memo[key] = first(*args) if parent is None else step(
                parent.grown(key, first, step, *args), self, *args)
        return value


_PASTS: OrderedDict[tuple, Past] = OrderedDict()
"""(id of the last record, id of the rules, noise_key) -> Past, least recently used first."""
_PASTS_LIMIT = 16
"""A game needs only its latest past (a new one is grown from the one before), and only while
it runs: past this many, the least recently used is dropped (a cache, never a source of
truth; a game in play touches its latest past at every view, so a dozen games side by side
keep theirs). Dropping them one by one, about a game after theirs ended, frees their memos
while still in the CPU's caches: emptying a memo of 512 at once cost a fifth of the views'
time, and keeping 32 instead of 16 costs an eighth."""


def past_of(rules: Rules, noise_key: str | int, records: list[TurnRecord]) -> Past:
    """The past of the game with these rules, noise key and history records (the same object for
    the same records, while memoised)."""
    key = (id(records[-1]) if records else None, id(rules), noise_key)
    past = _PASTS.get(key)
    if past is not None and len(past.records) == len(records) \
            and all(map(is_, past.records, records)):
        _PASTS.move_to_end(key)
        return past
    parent = past_of(rules, noise_key, records[:-1]) if records else None
    past = Past(rules, noise_key, list(records), parent)
    _PASTS[key] = past
    if len(_PASTS) > _PASTS_LIMIT + _room:
        _PASTS.popitem(last=False)
    return past


_room = 0
"""Pasts kept beyond `_PASTS_LIMIT` while games are played side by side (`room_for`)."""


@contextmanager
def room_for(games: int) -> Iterator[None]:
    """Keep the latest two pasts of each of `games` games played side by side (the
    simulator's lockstep: every game is viewed in turn, and a game's new past is grown from
    its previous one, so with fewer pasts kept each view would find its game's past dropped
    and rebuild it from the first turn)."""
    global _room
    before = _room
    _room = max(before, 2 * games)
    try:
        yield
    finally:
        _room = before
        while len(_PASTS) > _PASTS_LIMIT + _room:  # the games have ended: their pasts go
            _PASTS.popitem(last=False)


def nothing(*_args: object) -> tuple:
    """What has grown before the first turn: nothing (a `first` for `Past.grown`)."""
    return ()
