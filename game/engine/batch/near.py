"""Neighbours' names (`upstream.x`, `downstream.x`) as the scalar engine holds them between two
readings of the global names (game.engine.relations.near_stats): the line of the seats employed
when the names were read, each neighbour's stats read through the seat's own stats (so as they
are now), except a seat whose role chooses numbers, whose stats and numbers were copied then.
The review and the news read them so where the scalar engine reuses names it read earlier.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from game.engine.batch.env import Env, neighbours
from game.engine.batch.state import Batch


def held_neighbours(batch: Batch, employed: np.ndarray, stats: np.ndarray) -> Env:
    """`upstream.x` and `downstream.x` (G, S) over the line of `employed` (G, S), with the
    stats of each seat now, or from `stats` (G, S, T: as they were when the names were read)
    for a seat whose role chooses numbers."""
    layout = batch.layout
    copied = np.array([bool(batch.rules.role_specs[role].decisions) for role in layout.roles],
                      dtype=bool)
    held = np.where(copied[None, :, None], stats, batch.stats)
    return neighbours(dataclasses.replace(batch, employed=employed, stats=held))
