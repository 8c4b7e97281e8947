"""Each game's list of a batch (the events it fired, its headlines of a turn), kept as what
the news adds: an item added to many games at once, one call for all of them, and a game's
list made only when it is read (`GameLists`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np


class GameLists:
    """Per game of a batch, a list: the list the game started with (`start`), then the items
    added since in the order they were added (`added`: each with the games it went to)."""

    __slots__ = ("added", "size", "start")

    def __init__(self, start: Sequence[Sequence] | int) -> None:
        """Lists that start as `start` (one list per game, copied), or empty for that many
        games (an int)."""
        self.size = start if isinstance(start, int) else len(start)
        self.start: list[list] | None = (
            None if isinstance(start, int) or not any(start) else [list(s) for s in start])
        """Each game's first items, or None when every game started empty."""
        self.added: list[tuple[object, np.ndarray]] = []
        """(item, the games it was added to (G,) bool), in the order added."""

    def add(self, item: object, games: np.ndarray) -> None:
        """Add `item` at the end of the list of each game of `games` (G,) bool (the same
        object in each; the mask is copied)."""
        self.added.append((item, np.array(games, dtype=bool)))

    def __len__(self) -> int:
        """The number of games."""
        return self.size

    def __getitem__(self, g: int) -> list:
        """Game g's list (a new list: adding to it changes nothing here)."""
        out = [] if self.start is None else list(self.start[g])
        out += [item for item, games in self.added if games[g]]
        return out

    def lists(self) -> list[list]:
        """Every game's list (new lists), in game order."""
        out = [[] for _ in range(self.size)] if self.start is None \
            else [list(s) for s in self.start]
        for item, games in self.added:
            for g in np.flatnonzero(games).tolist():
                out[g].append(item)
        return out

    def __iter__(self) -> Iterator[list]:
        """Every game's list, in game order."""
        return iter(self.lists())

    def __eq__(self, other: object) -> bool:
        """Equal lists, game by game (to GameLists or a sequence of lists)."""
        if isinstance(other, GameLists):
            return self.lists() == other.lists()
        if isinstance(other, Sequence):
            return self.lists() == [list(x) for x in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # (mutable)

    def __repr__(self) -> str:
        """`GameLists([...])` with every game's list."""
        return f"GameLists({self.lists()!r})"
