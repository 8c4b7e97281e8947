"""Timing helpers shared by the bench scripts."""

from __future__ import annotations

import time
import timeit
from collections.abc import Callable


def best(run: Callable[[], object], number: int) -> float:
    """The best CPU time of one call of `run` in microseconds (best of five runs of
    `number` calls)."""
    return min(timeit.repeat(run, number=number, repeat=5, timer=time.process_time)) \
        / number * 1e6
