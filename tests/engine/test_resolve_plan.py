"""The shortcuts resolution takes (game.engine.resolve): each must change nothing but the
time taken, and must not be taken where it would change something."""

from __future__ import annotations

import pytest

from game.analysis.simulate import run_game
from game.engine import Allocate, Game, resolve
from game.engine.resolve_plan import plan_for
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.conftest import CONTRACT_SCENARIOS, load, play_random


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


def test_a_role_scored_on_global_names_alone_is_scored_once_with_the_same_result(monkeypatch):
    """The manager's score in tokenmaxxing reads no seat name: scoring it on the global env
    gives what scoring every seat's own env gives."""
    scenario = load_scenario("tokenmaxxing")
    plan = plan_for(Game(scenario).rules)
    assert plan.global_scores == {"manager"}
    strategies = {"manager": "hype", "employee": "gamer"}
    fast = [run_game(scenario, seed, strategies) for seed in range(3)]
    monkeypatch.setattr(plan, "global_scores", frozenset())
    assert [run_game(scenario, seed, strategies) for seed in range(3)] == fast


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


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_a_pass_with_nothing_to_add_leaves_the_metrics_of_a_game_as_they_are(path):
    """Consequences that change nothing skip `finish`, and a pass that is not smooth moves
    only the metrics it changes (`Plan.settled`): a pass over every metric with nothing to
    add must then not move any metric or carry, bit for bit, at any point of a game."""
    game = load(path)
    plan = plan_for(game.rules)
    assert plan.settled
    checked = []

    def compare(state) -> None:
        probe = state.model_copy(deep=True)
        resolve._move_metrics(plan.metrics, probe, resolve.Changes(), smooth=False)
        assert repr((probe.metrics, probe.carry)) == repr((state.metrics, state.carry))
        checked.append(state)

    play_random(game, 5, compare)
    assert checked


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_a_pass_that_is_not_smooth_moves_the_metrics_it_changes_as_a_whole_pass_does(path):
    game = load(path)
    plan = plan_for(game.rules)
    checked = []

    def compare(state) -> None:
        for n, (mid, _, low, high) in enumerate(plan.metrics):
            changes = resolve.Changes()
            changes.metric_add[mid] = (high - low) * (0.7 if n % 2 else -0.3) * state.turn
            if n % 3 == 0:
                changes.metric_set[plan.metrics[-1 - n][0]] = low + (high - low) * 0.25
            some, every = state.model_copy(deep=True), state.model_copy(deep=True)
            resolve.apply_metrics(plan, some, changes, smooth=False)
            resolve._move_metrics(plan.metrics, every, changes, smooth=False)
            assert repr((some.metrics, some.carry)) == repr((every.metrics, every.carry))
        checked.append(state)

    play_random(game, 6, compare)
    assert checked


def test_a_metric_that_can_be_negative_zero_is_not_settled(tmp_path):
    text = TINY.read_text()
    bounds = "kind: proxy, min: 0, max:"
    assert bounds in text
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace(bounds, "kind: proxy, min: -0.0, max:"))
    assert not plan_for(Game(load_scenario(path)).rules).settled
