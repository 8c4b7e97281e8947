"""Game records made from a batch's History (game/analysis/batch_records.py) are the records
`record_of` makes of the simulator's ended states: in every bundled scenario, tiny.yaml and
the engine's fixtures, bot and random games, compared as records and as JSON (which tells
-0.0 from 0.0: every float the same, bit for bit)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from game.analysis import batch_records, simulate
from game.analysis.batch_records import records_from
from game.engine import Game
from game.engine.batch.history import History
from game.scenario.load import load_scenario
from tests.engine.batch_states import PATHS
from tests.engine.test_batch_history import MIXES, SEEDS, _strategies


def _played(game: Game, table, chosen, monkeypatch):
    """The ended states of games played by the simulator's loop, its last batch and a History
    of it kept after every turn."""
    history, kept = History(), {}
    resolve = simulate.resolve_together

    def keeping(rules, states, batch):
        batch = kept["batch"] = resolve(rules, states, batch)
        history.keep(batch)
        return batch

    monkeypatch.setattr(simulate, "resolve_together", keeping)
    ended = simulate.play_games(game, SEEDS, table, chosen, None)
    return ended, kept["batch"], history


def check_records(path, mix, monkeypatch) -> None:
    """records_from the History of games of `path` played by `mix` = record_of their
    states."""
    game = Game(load_scenario(path))
    scenario = game.scenario
    table, chosen = simulate.table_for(game, _strategies(game, mix), None)
    ended, batch, history = _played(game, table, chosen, monkeypatch)
    some = [4, 1, 2, 0, 3]
    got = records_from(scenario, batch, history, table, chosen, None, some)
    want = [simulate.record_of(scenario, ended[g], table, chosen) for g in some]
    for g, w in zip(got, want):
        assert json.dumps(g.to_dict()) == json.dumps(w.to_dict()), (path.stem, w.seed)
        assert g == w


@pytest.mark.parametrize("mix", MIXES, ids="-".join)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_records_from_the_history_are_record_of_the_states(path, mix, monkeypatch):
    check_records(path, mix, monkeypatch)


@pytest.mark.parametrize("path", [p for p in PATHS if p.stem in ("tokenmaxxing", "chain",
                                                                  "four-hour-target")],
                         ids=lambda p: p.stem)
def test_a_contribution_read_from_more_than_plain_names_is_read_from_states(path,
                                                                           monkeypatch):
    """(Every bundled contribution reads plain names only: the other way, forced here, reads
    each game's state without history records, as record_of does.)"""
    monkeypatch.setattr(batch_records, "_plain_contribution", lambda rules: None)
    check_records(path, ("hype", "gamer"), monkeypatch)


def test_records_need_ended_games_and_every_turn(monkeypatch):
    game = Game(load_scenario(PATHS[0]))
    table, chosen = simulate.table_for(game, {}, None)
    _, batch, history = _played(game, table, chosen, monkeypatch)
    history.turns.pop()
    with pytest.raises(ValueError, match="every turn"):
        records_from(game.scenario, batch, history, table, chosen, None, np.arange(2))
