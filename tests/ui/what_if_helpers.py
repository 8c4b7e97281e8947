"""A deliberately slow what-if replay, importable by the replay's worker process."""

from __future__ import annotations

import time

from game.analysis.what_if import replay_what_if


def slow_replay(scenario, seed, seats, regime):
    """`replay_what_if` after a two-second wait: long enough to watch the screen meanwhile."""
    time.sleep(2.0)
    return replay_what_if(scenario, seed, seats, regime)
