"""What a seat sees in every game of a batch: the view door over arrays.

A simulation keeps its games as one `Batch` between phases; a bot's memo key reads a few parts
of its seat's view (see game.engine.glance). `sights` gives those parts for every game at once,
as arrays (`Sights`), and `glance_at` one game's `Glance`, equal to the glance of the state the
game would have. Both are built by view()'s own rules (game.engine.view): the own stats a seat
sees (`_own_stats`: never a bookkeeping stat, a stat hidden from itself only once the game has
ended), the stats of the others that are public now (`_public_stats`, whose formulas may read
policies, metrics, constants, the turn or aggregates), and the others as `_as_other` shows them.
Those helpers read a few fields of a GameState; here they read them from a `_Row`, one game's
values taken from the batch, so no rule of what is shown is written twice.

Nothing here shows a seat what its view does not: a stat of another seat that is not public in
a game reads 0.0 there (its `shown` flag says so), and the metrics are never read (a glance's
metrics are `UNREAD`).

At a decision point a GameState holds no allocations (they are taken when a work phase
closes and cleared when the turn is resolved), so the one rule that reads them (the
aggregates of decisions, in a public-stat formula) reads none here either, whatever the loop
keeps in `batch.allocations`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from game.engine.batch.layout import Layout, layout_for
from game.engine.batch.state import Batch
from game.engine.env import per_rules
from game.engine.glance import UNREAD, Glance
from game.engine.others import _as_other
from game.engine.view import _own_stats, _public_stats, _publicity_of
from game.scenario.rules import Rules

__all__ = ["Public", "Sights", "glance_at", "public_now", "seats_sights", "sights"]


@dataclass(slots=True)
class Sights:
    """What seat `seat` sees in every game of a batch (rows = games); every array is the
    caller's own (copied from the batch)."""

    seat: int
    role: str
    turn: int
    employed: np.ndarray
    """(G, S) bool, every seat (a view shows each other seat's employment)."""
    policies: np.ndarray
    """(G, P) int64 levels, columns `batch.layout.policy_ids`."""
    own: Mapping[str, np.ndarray]
    """The seat's own stats its view shows, id -> (G,) float64, in its view's order."""
    score: np.ndarray
    """(G,) float64."""
    rank: np.ndarray
    """(G,) int64."""
    shown: Mapping[tuple[int, str], tuple[np.ndarray, np.ndarray]]
    """(other seat j, stat id) -> (values (G,) float64, shown (G,) bool) for every stat of
    every other seat that at least one game shows (public there and held by j's role), in
    the order the view's others list them (by seat, then the stats in file order); a value
    is 0.0 in the games that do not show it."""


class _Gathered(Mapping):
    """Columns of a `Sights` gathered from the batch when first read, then kept (a key
    reads a few of a seat's stats: `seats_sights` gathers no others)."""

    __slots__ = ("_gather", "_keys", "_made")

    def __init__(self, keys: Sequence, gather: Callable) -> None:
        self._keys, self._gather, self._made = dict.fromkeys(keys), gather, {}

    def __getitem__(self, key):
        found = self._made.get(key)
        if found is None:
            if key not in self._keys:
                raise KeyError(key)
            found = self._made[key] = self._gather(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _Seat(NamedTuple):
    """One seat of one game of a batch: the SeatState fields view's helpers read."""

    index: int
    name: str
    role: str
    employed: bool
    stats: dict[str, float]
    """The stats the helper reads: all the role's, in the order a GameState's seat holds
    them (`Rules.role_stats`), or only those public now (all `_as_other` reads)."""


class _Row(NamedTuple):
    """One game of a batch: the GameState fields `_public_stats` reads (with the global
    names of its formulas, `global_env_for`), taken from the batch."""

    seed: int
    turn: int
    metrics: dict[str, float]
    policies: dict[str, int]
    seats: list[_Seat]
    allocations: dict
    """Always empty: see the module."""


def _row(rules: Rules, batch: Batch, g: int) -> _Row:
    """Game `g` of `batch` as a `_Row` for `_public_stats`: with only the metrics and
    policies its formulas read when they read no aggregate (see `view._publicity`), else
    the whole game (its seats unnamed: no formula reads a name)."""
    layout = batch.layout
    metrics, policies = _read(rules)
    if _publicity_of(rules)[2]:
        return _Row(batch.seeds[g], batch.turn,
                    {mid: float(batch.metrics[g, n]) for n, mid in metrics},
                    {pid: int(batch.policies[g, n]) for n, pid in policies}, [], {})
    stats = batch.stats[g].tolist()
    employed = batch.employed[g].tolist()
    seats = [_Seat(k, "", role, employed[k], _stats_of(rules, layout, role, stats[k],
                                                       rules.role_stats[role]))
             for k, role in enumerate(layout.roles)]
    return _Row(batch.seeds[g], batch.turn, dict(zip(layout.metric_ids, batch.metrics[g].tolist())),
                dict(zip(layout.policy_ids, batch.policies[g].tolist())), seats, {})


def _read_by_publicity(rules: Rules) -> tuple[tuple[tuple[int, str], ...], ...]:
    """(column, id) of each metric, then of each policy, that a public-stat formula reads
    (a batch's columns are the scenario's file order)."""
    names = _publicity_of(rules)[1]
    s = rules.scenario
    return (tuple((n, m.id) for n, m in enumerate(s.metrics) if m.id in names),
            tuple((n, p.id) for n, p in enumerate(s.policies) if p.id in names))


_read = per_rules(_read_by_publicity)


def _stats_of(rules: Rules, layout: Layout, role: str, values: list[float],
              ids: Sequence[str]) -> dict[str, float]:
    """The values of the stats `ids` that a seat of `role` holds, in the order of `ids`,
    from a row of the batch's stats (`values`, as a list)."""
    held = rules.role_stats[role]
    return {sid: values[layout.stat(sid)] for sid in ids if sid in held}


def _revealed(rules: Rules, batch: Batch) -> bool:
    """Whether the batch's games have ended (a view then reveals everything): after the
    last turn, as `resolve_turn` marks it (a batch gathered from ended states is not
    marked)."""
    return batch.ended or batch.turn > rules.scenario.turns


class Public(NamedTuple):
    """Which stats are public in each game of a batch as it stands (`public_now`): the same
    for every seat, so found once for all the seats that look at the batch before it
    changes."""

    publics: list[tuple[str, ...]]
    """The distinct tuples of stats `_public_stats` makes public in the batch's games."""
    which: list[int]
    """Per game, the index of its tuple in `publics`."""
    masks: dict[str, np.ndarray]
    """Stat id -> (G,) whether it is public in each game, for every stat public in at least
    one game, in file order (arrays shared: read only)."""


def public_now(rules: Rules, batch: Batch) -> Public:
    """Which stats are public in each game of `batch` now (see `Public`); valid until the
    batch's metrics, policies, stats, employment, turn or end change."""
    publics, which = _publics(rules, batch)
    masks = {}
    for sid in rules.stat_public:
        where = [sid in public for public in publics]
        if any(where):
            masks[sid] = np.ones(batch.size, dtype=bool) if all(where) \
                else np.array(where)[which]
    return Public(publics, which.tolist(), masks)


def glance_at(rules: Rules, batch: Batch, g: int, seat: int, names: Sequence[str],
              public: Public | None = None) -> Glance:
    """The glance of `seat` in game `g` of `batch`, whose seats are named `names` (in seat
    order: the table's names, which the batch does not hold): equal to `glances(rules,
    state, [seat], readings=False)[0]` for the state game `g` would have (the same values,
    dict orders and `Other`s), its metrics `UNREAD`. Of the other seats, only the stats
    `_as_other` shows are taken from the batch. `public`: `public_now` of the batch as it
    stands, if the caller has it (else the game's public stats are found here)."""
    layout = batch.layout
    revealed = _revealed(rules, batch)
    public = _public_stats(rules, _row(rules, batch, g), revealed) if public is None \
        else public.publics[public.which[g]]
    stats = batch.stats[g].tolist()
    employed = batch.employed[g].tolist()
    role = layout.roles[seat]
    own = _own_stats(rules, _stats_of(rules, layout, role, stats[seat], rules.role_stats[role]),
                     revealed)
    others = [_as_other(_Seat(k, names[k], other, employed[k],
                              _stats_of(rules, layout, other, stats[k], public)), public)
              for k, other in enumerate(layout.roles) if k != seat]
    return Glance(seat, role, employed[seat], batch.turn, UNREAD,
                  dict(zip(layout.policy_ids, batch.policies[g].tolist())), own,
                  float(batch.score[g, seat]), int(batch.rank[g, seat]), others)


def sights(rules: Rules, batch: Batch, seat: int, public: Public | None = None) -> Sights:
    """What `seat` sees in every game of `batch` (see `Sights`), by the rules `glance_at`
    follows game by game (`public`: `public_now` of the batch as it stands, if the caller
    has it)."""
    layout = batch.layout
    role = layout.roles[seat]
    own = _own_stats(rules, dict.fromkeys(rules.role_stats[role]), _revealed(rules, batch))
    shown = {}
    masks = (public or public_now(rules, batch)).masks
    for j, other in enumerate(layout.roles):
        if j != seat:
            held = rules.role_stats[other]
            for sid, mask in masks.items():
                if sid in held:
                    shown[j, sid] = (np.where(mask, batch.stats[:, j, layout.stat(sid)], 0.0),
                                     mask.copy())
    return Sights(seat, role, batch.turn, batch.employed.copy(), batch.policies.copy(),
                  {sid: batch.stats[:, seat, layout.stat(sid)].copy() for sid in own},
                  batch.score[:, seat].copy(), batch.rank[:, seat].copy(), shown)


def seats_sights(rules: Rules, batch: Batch, seats: Sequence[int], rows: Sequence[np.ndarray],
                 public: Public) -> tuple[Sights, Layout]:
    """What each seat of `seats` sees in its games `rows[i]`, all in one `Sights` whose rows
    are those (seat, game) pairs, seat by seat, and the Layout its columns follow: the
    table that seats each seat first and its other seats after it in seat order, whose
    seat 0 the Sights are of (the seats must have one role, and their others the same roles
    in that order, so that this table is the same for all). Row n, for seat s's game g,
    holds what row g of `sights(rules, batch, s, public)` holds, s's columns moved first;
    its stats are gathered when first read (a key reads a few)."""
    layout = batch.layout
    games = np.concatenate(rows)
    orders = [[s, *(j for j in range(len(layout.roles)) if j != s)] for s in seats]
    sizes = [len(r) for r in rows]
    table = layout_for(rules, tuple(layout.roles[j] for j in orders[0]))
    role, own_seat = table.roles[0], np.repeat(np.array(seats, dtype=np.intp), sizes)
    own = _own_stats(rules, dict.fromkeys(rules.role_stats[role]), _revealed(rules, batch))
    shown = [(k, sid) for k, other in enumerate(table.roles[1:], 1) for sid in public.masks
             if sid in rules.role_stats[other]]

    def gather_shown(at_stat: tuple[int, str]) -> tuple[np.ndarray, np.ndarray]:
        k, sid = at_stat
        seen = public.masks[sid][games]
        other = np.repeat(np.array([order[k] for order in orders], dtype=np.intp), sizes)
        return np.where(seen, batch.stats[games, other, layout.stat(sid)], 0.0), seen

    employed = np.concatenate([batch.employed[:, order][part]
                               for order, part in zip(orders, rows)])
    return Sights(0, role, batch.turn, employed, batch.policies[games],
                  _Gathered(own, lambda sid: batch.stats[games, own_seat, layout.stat(sid)]),
                  batch.score[games, own_seat], batch.rank[games, own_seat],
                  _Gathered(shown, gather_shown)), table


def _publics(rules: Rules, batch: Batch) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """The distinct tuples of stats that `_public_stats` makes public in the games of
    `batch`, and (G,) the index of each game's tuple. Its formulas run once per distinct
    set of the values they read (metrics as their bits, policy levels); when they read
    aggregates, once per game."""
    revealed = _revealed(rules, batch)
    plain = _publicity_of(rules)[2]
    games = batch.size
    if not plain and not revealed:
        return _distinct([_public_stats(rules, _row(rules, batch, g), revealed)
                          for g in range(games)])
    metrics, policies = _read(rules)
    if revealed or not (metrics or policies):  # the same in every game
        first, which = [0], np.zeros(games, dtype=np.int64)
    else:
        first, which = _distinct_rows(np.concatenate(
            [batch.metrics[:, [n for n, _ in metrics]].view(np.int64),
             batch.policies[:, [n for n, _ in policies]]], axis=1))
    return [_public_stats(rules, _row(rules, batch, g), revealed) for g in first], which


def _distinct_rows(values: np.ndarray) -> tuple[list[int], np.ndarray]:
    """(the first row of each distinct row of `values` (G, K) int64, (G,) the index of each
    row's among them)."""
    if len(values) > 1 and (values == values[0]).all():  # (one row in every game: usual)
        return [0], np.zeros(len(values), dtype=np.int64)
    if values.shape[1] == 1:
        _, first, which = np.unique(values[:, 0], return_index=True, return_inverse=True)
    else:
        _, first, which = np.unique(values, axis=0, return_index=True, return_inverse=True)
    return first.tolist(), which.reshape(len(values))


def _distinct(publics: list[tuple[str, ...]]) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """The distinct tuples of `publics` (first seen first) and the index of each one's."""
    index: dict[tuple[str, ...], int] = {}
    which = np.array([index.setdefault(p, len(index)) for p in publics], dtype=np.int64)
    return list(index), which
