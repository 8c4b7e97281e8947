"""`masks.anywhere` answers what `ndarray.any()` answers, for every mask the loop asks about
(booleans of any shape, empty ones, and numbers: NaN true, 0.0 and -0.0 false)."""

from __future__ import annotations

import numpy as np

from game.engine.batch.masks import anywhere


def test_anywhere_is_any():
    rng = np.random.default_rng(2)
    masks = [np.zeros(0, dtype=bool), np.zeros((3, 0), dtype=bool), np.zeros(5, dtype=bool),
             np.array([True]), np.array([0.0, -0.0]), np.array([-0.0, np.nan]),
             np.array([0, 0, 3]), np.zeros((4, 6), dtype=bool)]
    masks += [rng.random(shape) < p for shape in ((7,), (40, 6), (3, 2, 5))
              for p in (0.0, 0.01, 0.5)]
    for mask in masks:
        assert anywhere(mask) is bool(mask.any()), mask
