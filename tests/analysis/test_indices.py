"""The Goodhart measures, as the simulator records them after every game."""

from __future__ import annotations

import pytest

from game.analysis import simulate
from game.analysis.indices import (
    _missing_stats,
    health_series,
    index_series,
    proxy_series,
    seat_outcome_rows,
)
from game.engine.env import global_env, seat_env
from game.scenario.load import load_scenario
from game.scenario.rules import rules_for
from tests.conftest import TINY, bundled_scenarios

PATHS = [TINY, *bundled_scenarios()]


def _played(scenario, monkeypatch):
    """The final state of an all-bot game of `scenario` (as `run_game` records it)."""
    captured = {}
    record_of = simulate.record_of

    def spy(scenario, state, table, chosen):
        captured["state"] = state
        return record_of(scenario, state, table, chosen)

    monkeypatch.setattr(simulate, "record_of", spy)
    simulate.run_game(scenario, 3, {})
    return captured["state"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_index_series_is_the_proxy_and_health_series(path, monkeypatch):
    scenario = load_scenario(path)
    state = _played(scenario, monkeypatch)
    assert index_series(scenario, state) == (proxy_series(scenario, state),
                                             health_series(scenario, state))


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_contribution_reads_the_seat_env_and_lacking_stats_at_their_initial(path, monkeypatch):
    scenario = load_scenario(path)
    state = _played(scenario, monkeypatch)
    rules = rules_for(scenario)
    genv = global_env(rules, state)
    rows = seat_outcome_rows(scenario, state)
    assert rows
    for row in rows:
        seat = state.seats[row["seat"]]
        env = {**_missing_stats(rules), **seat_env(rules, genv, state, seat)}
        assert row["contribution"] == float(rules.contribution(env))
