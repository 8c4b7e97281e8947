"""Rule-level facts of the batch core that the golden games may not reach: which streams are
seeded, when the news reads its names again, and when a pass may leave a metric alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from game.engine import Allocate, Game
from game.engine.batch import streams
from game.engine.batch.changes import Changes, apply_metrics
from game.engine.batch.layout import layout_for
from game.engine.batch.state import gather, scatter
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.conftest import CONTRACT_SCENARIOS, load, play_random


def _seeded_work_streams(game: Game, allocations: dict[int, dict[str, int]],
                         monkeypatch) -> list:
    """The seats whose "work" stream a resolution with these allocations seeds."""
    seeded = []
    original = streams.stream

    def spy(seed, *parts):
        if parts[1:2] == ("work",):
            seeded.append(parts[2])
        return original(seed, *parts)

    state = game.new_state(3)
    state.phase = "work"
    monkeypatch.setattr(streams, "stream", spy)
    for seat, effort in allocations.items():
        game.apply_inplace(state, Allocate(seat=seat, effort=effort))
    return seeded


def test_a_work_stream_is_seeded_only_for_effort_that_can_observe_it(monkeypatch):
    """In tiny.yaml `farm` reads the random `luck`; `work` reads no random name and draws
    nothing."""
    game = Game(load_scenario(TINY))
    allocations = {1: {"work": 3}, 2: {"farm": 1, "work": 1}}
    assert _seeded_work_streams(game, allocations, monkeypatch) == [2]


def test_news_reads_an_aggregate_afresh_after_an_event_moves_its_stat(tmp_path):
    """`audit` reads `total_slop`, which `rally` (checked first, in the same turn) moves: the
    global names that were read before `rally` fired must not be reused for `audit`."""
    events = ('  - {id: rally, headline: Rally, when: "1",'
              ' effects: [{target: slop, value: 5, roles: [employee]}]}\n'
              '  - {id: audit, headline: Audit, when: "total_slop >= 10",'
              ' effects: [{target: quality, value: -1}]}\n')
    text = TINY.read_text()
    start = text.index("events:\n") + len("events:\n")
    path = tmp_path / "tiny.yaml"
    path.write_text(text[:start] + events + text[text.index("reviews:"):])
    state = Game(load_scenario(path)).new_state(1)
    assert [h.event for h in state.news] == ["rally", "audit"]


def _metrics_after(game: Game, state, changes_of, settled: bool) -> str:
    """repr of (metrics, carry) of a copy of `state` after one pass that is not smooth of the
    changes `changes_of(batch)`, the layout `settled` or not."""
    copy = state.clone()
    batch = gather(game.rules, [copy])
    batch.layout = dataclasses.replace(batch.layout, settled=settled)
    apply_metrics(batch, changes_of(batch), smooth=False)
    scatter(batch, [copy], record=False)
    return repr((copy.metrics, copy.carry))


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_a_pass_with_nothing_to_add_leaves_the_metrics_of_a_game_as_they_are(path):
    """A pass that is not smooth moves only the metrics it changes when the layout is
    settled: a pass over every metric with nothing to add must then not move any metric or
    carry, bit for bit, at any point of a game."""
    game = load(path)
    checked = []

    def compare(state) -> None:
        whole = _metrics_after(game, state, Changes, settled=False)
        assert whole == repr((state.metrics, state.carry))
        checked.append(state)

    assert layout_for(game.rules, tuple(s.role for s in game.default_seats())).settled
    play_random(game, 5, compare)
    assert checked


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_a_pass_that_is_not_smooth_moves_the_metrics_it_changes_as_a_whole_pass_does(path):
    game = load(path)
    checked = []

    def compare(state) -> None:
        def changes_of(batch):
            changes = Changes(batch)
            low, high = batch.layout.metric_low, batch.layout.metric_high
            for n in range(len(low)):
                step = (high[n] - low[n]) * (0.7 if n % 2 else -0.3) * state.turn
                changes.add_metric(n, np.array([step]), np.array([True]))
                if n % 3 == 0:
                    last = len(low) - 1 - n
                    changes.set_metric(last, np.array([low[last] + (high[last] - low[last])
                                                       * 0.25]), np.array([True]))
            return changes
        assert (_metrics_after(game, state, changes_of, settled=True)
                == _metrics_after(game, state, changes_of, settled=False))
        checked.append(state)

    play_random(game, 6, compare)
    assert checked


def test_a_metric_that_can_be_negative_zero_is_not_settled(tmp_path):
    text = TINY.read_text()
    bounds = "kind: proxy, min: 0, max:"
    assert bounds in text
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace(bounds, "kind: proxy, min: -0.0, max:"))
    game = Game(load_scenario(path))
    assert not layout_for(game.rules, tuple(s.role for s in game.default_seats())).settled
