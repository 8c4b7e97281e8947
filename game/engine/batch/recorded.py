"""What a turn's record holds of the review and the allocations, kept over a batch without a
Python object per game: `Reviews` (each role's ranking as arrays) and `Allocations` (the
groups of games the seats' allocations were applied to). A loop over arrays resolves turn
after turn without reading them; each game's review rows (`ReviewRow` models) and allocations
dicts are made only where a GameState is made (`scatter`, `export_states`), equal to those the
game-by-game engine holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import TypeAdapter

from game.engine.state import ReviewRow


@dataclass(frozen=True, slots=True)
class RoleReview:
    """One role's review in every game of a batch (rows = games, columns = rank places)."""

    role: str
    seats: np.ndarray
    """(G, S) the seat at each rank place (places from `count` on are never read)."""
    scores: np.ndarray
    """(G, S) float64 the score of the seat at each place."""
    ranks: np.ndarray
    """(G, S) int64 the rank of the seat at each place."""
    count: np.ndarray
    """(G,) how many seats were ranked."""
    held: np.ndarray | None
    """(G, S, C) bool: whether the role's c-th consequence held for the seat at each place
    (None for a role without consequences)."""
    names: tuple[str, ...]
    """The role's consequence names, in file order."""


_ROWS = TypeAdapter(list[list[ReviewRow]])
"""Validates the review rows of a role in every game asked for in one call (a third of the
cost of building each row on its own)."""


class _PerGame(Sequence):
    """Read as a sequence of each game's value, every one made anew by `of_games(rows)` on
    each read; compared with any sequence by those values (mutable, so unhashable)."""

    __slots__ = ()
    size: int

    def of_games(self, rows: Sequence[int] | np.ndarray) -> list:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, g):
        if isinstance(g, slice):
            return self.of_games(range(self.size)[g])
        if not -self.size <= g < self.size:
            raise IndexError(g)
        return self.of_games([g % self.size])[0]

    def __iter__(self) -> Iterator:
        return iter(self.of_games(range(self.size)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self.size and list(self) == list(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class Reviews(_PerGame):
    """A turn's review of every game of a batch, role by role in review order; read as a
    sequence, each game's review rows by role (`of_games`), made anew on every read."""

    __slots__ = ("roles", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.roles: list[RoleReview] = []

    def add(self, review: RoleReview) -> None:
        """Keep the next role's review (roles in the rules' review order)."""
        self.roles.append(review)

    def of_games(self, rows: Sequence[int] | np.ndarray) -> list[dict[str, list[ReviewRow]]]:
        """Each game's review rows at `rows` (batch rows), by role in review order, each
        role's in rank order: the seat, its score and rank, and the names of the consequences
        that held for it, in file order (new models and lists on every call)."""
        rows = np.asarray(rows, dtype=np.intp).reshape(-1)
        out: list[dict[str, list[ReviewRow]]] = [{} for _ in range(len(rows))]
        for review in self.roles:
            for game, role_rows in zip(out, _role_rows(review, rows)):
                game[review.role] = role_rows
        return out



def _role_rows(review: RoleReview, rows: np.ndarray) -> list[list[ReviewRow]]:
    """The review rows of one role in the games at `rows`, as `ReviewRow` models."""
    seats, scores = review.seats[rows].tolist(), review.scores[rows].tolist()
    ranks, counts = review.ranks[rows].tolist(), review.count[rows].tolist()
    names: dict[tuple[int, int], list[str]] = {}
    if review.held is not None:
        for n, place, c in np.argwhere(review.held[rows]).tolist():  # (n, place, c) order
            names.setdefault((n, place), []).append(review.names[c])
    return _ROWS.validate_python([
        [{"seat": seats[n][p], "score": scores[n][p], "rank": ranks[n][p],
          "consequences": names.get((n, p), ())} for p in range(count)]
        for n, count in enumerate(counts)])


class Allocations(_PerGame):
    """Each game's allocations of a turn (seat -> what it submitted), as a GameState holds
    them: those the batch was given (from states), then the groups of games each seat's
    allocation was applied to, in the order applied. Reading a game (`[g]`, iteration,
    `of_games`) makes its dict anew, with its own copy of every allocation."""

    __slots__ = ("given", "groups", "size")

    def __init__(self, size: int, given: Sequence[Mapping[int, Mapping]] | None = None) -> None:
        if given is not None and len(given) != size:
            raise ValueError(f"allocations of {len(given)} games for a batch of {size}")
        self.size = size
        self.given = given
        self.groups: list[tuple[np.ndarray, np.ndarray, np.ndarray, list[dict]]] = []
        """(games, their seats, which allocation of the list each submits, the allocations):
        one entry per `apply` or `apply_each`, in the order applied."""

    def apply(self, rows: np.ndarray, seat: int, submitted: Mapping) -> None:
        """Seat `seat` submits `submitted` in the games at `rows` (after what is kept)."""
        rows = np.asarray(rows, dtype=np.intp).reshape(-1)
        self.apply_each(rows, np.full(len(rows), seat), np.zeros(len(rows), dtype=np.intp),
                        [submitted])

    def apply_each(self, games: np.ndarray, seats: np.ndarray, which: np.ndarray,
                   submitted: Sequence[Mapping]) -> None:
        """Seat `seats[i]` submits `submitted[which[i]]` in game `games[i]`, for each i, kept
        as one entry: no game and seat may come twice. Read, a game's seats are in seat
        order whatever the order they were applied in (as each `apply` in seat order
        gives them, from no allocations or given ones in seat order)."""
        if len(games):
            self.groups.append((np.asarray(games, dtype=np.intp), np.asarray(seats),
                                np.asarray(which), [dict(given) for given in submitted]))

    def of_games(self, rows: Sequence[int] | np.ndarray) -> list[dict[int, dict]]:
        """The allocations of the games at `rows`, each a new dict of new dicts: the given
        ones, then each applied allocation set as `dict[seat] = ...` would, the seats put
        back in order where one came before a seat already there."""
        rows = np.asarray(rows, dtype=np.intp).reshape(-1)
        given = self.given
        out = [{} if given is None else {k: dict(v) for k, v in given[g].items()}
               for g in rows.tolist()]
        if not self.groups:
            return out
        every = len(rows) == self.size and bool((rows == np.arange(self.size)).all())
        wanted, places = None, {}
        if not every:  # every place of a row asked for, also a row asked for more than once
            wanted = np.zeros(self.size, dtype=bool)  # (a mask over the batch: not `np.isin`)
            wanted[rows] = True
            for n, g in enumerate(rows.tolist()):
                places.setdefault(g, []).append(n)
        for games, seats, which, submitted in self.groups:
            if wanted is not None:
                at = np.flatnonzero(wanted[games])
                games, seats, which = games[at], seats[at], which[at]
            for g, seat, w in zip(games.tolist(), seats.tolist(), which.tolist()):
                for n in places[g] if wanted is not None else (g,):
                    _allocate(out, n, seat, submitted[w])
        return out


def _allocate(out: list[dict[int, dict]], n: int, seat: int, submitted: dict) -> None:
    """`out[n][seat] = dict(submitted)`, the seats of `out[n]` put back in order where
    `seat` came before a seat already there."""
    allocations = out[n]
    later = allocations and next(reversed(allocations)) > seat
    allocations[seat] = dict(submitted)
    if later:
        out[n] = dict(sorted(allocations.items()))
