"""The shortcuts resolution takes (game.engine.resolve): each must change nothing but the
time taken, and must not be taken where it would change something."""

from __future__ import annotations

from game.engine import Allocate, Game, resolve
from game.scenario.load import load_scenario
from tests.conftest import TINY


def _seeded_work_streams(game: Game, allocations: dict[int, dict[str, int]]) -> list:
    """The seats whose "work" stream a resolution with these allocations seeds."""
    seeded = []
    original = resolve.stream

    def spy(seed, *parts):
        if parts[1:2] == ("work",):
            seeded.append(parts[2])
        return original(seed, *parts)

    state = game.new_state(3)
    state.phase = "work"
    resolve.stream = spy
    try:
        for seat, effort in allocations.items():
            game.apply_inplace(state, Allocate(seat=seat, effort=effort))
    finally:
        resolve.stream = original
    return seeded


def test_a_work_stream_is_seeded_only_for_effort_that_can_observe_it():
    """In tiny.yaml `farm` reads the random `luck`; `work` reads no random name and draws
    nothing."""
    game = Game(load_scenario(TINY))
    assert _seeded_work_streams(game, {1: {"work": 3}, 2: {"farm": 1, "work": 1}}) == [2]
