"""`global_env(batch, reads=...)` (the news and the review leave out the aggregates no formula
of theirs reads) holds every aggregate `reads` names, and every name it holds is the one
`global_env(batch)` gives, bit for bit (shape, dtype, bits): for each aggregate name of the
layout alone, and for the names the news and the review read, on the states handed to
resolution in random and bot games of every bundled scenario, tiny.yaml and the fixtures.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.batch.env import global_env
from game.engine.batch.news import news_reads
from game.engine.batch.review import review_reads
from game.engine.batch.state import gather
from tests.engine.batch_states import PATHS, batches, captured


def _same_names(got: dict, want: dict) -> None:
    for name, value in got.items():
        value, full = np.asarray(value), np.asarray(want[name])
        assert (value.shape, value.dtype) == (full.shape, full.dtype), name
        assert value.tobytes() == full.tobytes(), name


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_global_names_of_some_reads_are_those_of_all(path):
    game, states = captured(path, "resolve_states")
    for group in batches(states, 8)[::3]:
        batch = gather(game.rules, [state.clone() for state in group])
        whole = global_env(batch)
        aggregates = [f"{kind}_{name}" for name, kinds in batch.layout.aggregated.items()
                      for kind in kinds]
        for reads in ([frozenset([name]) for name in aggregates]
                      + [frozenset(), news_reads(game.rules), review_reads(game.rules)]):
            got = global_env(batch, reads=reads)
            assert all(name in got for name in reads & set(aggregates))
            _same_names(got, whole)
