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
from game.engine.batch.history import History
from tests.engine.batch_states import PATHS
from tests.engine.test_batch_history import MIXES, played


def check_records(path, mix) -> None:
    """records_from the History of games of `path` played by `mix` = record_of their
    states."""
    run = played(path, mix)
    scenario, table, chosen = run.game.scenario, run.table, run.chosen
    some = [4, 1, 2, 0, 3]
    got = records_from(scenario, run.batch, run.history, table, chosen, None, some)
    want = [simulate.record_of(scenario, run.ended[g], table, chosen) for g in some]
    for g, w in zip(got, want):
        assert json.dumps(g.to_dict()) == json.dumps(w.to_dict()), (path.stem, w.seed)
        assert g == w


@pytest.mark.parametrize("mix", MIXES, ids="-".join)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_records_from_the_history_are_record_of_the_states(path, mix):
    check_records(path, mix)


@pytest.mark.parametrize("path", [p for p in PATHS if p.stem in ("tokenmaxxing", "chain",
                                                                  "four-hour-target")],
                         ids=lambda p: p.stem)
def test_a_contribution_read_from_more_than_plain_names_is_read_from_states(path,
                                                                           monkeypatch):
    """(Every bundled contribution reads plain names only: the other way, forced here, reads
    each game's state without history records, as record_of does.)"""
    monkeypatch.setattr(batch_records, "_plain_contribution", lambda rules: None)
    check_records(path, ("hype", "gamer"))


def test_records_need_ended_games_and_every_turn():
    run = played(PATHS[0], MIXES[0])
    history = History()
    history.turns = run.history.turns[:-1]
    args = (run.game.scenario, run.batch, history, run.table, run.chosen, None, np.arange(2))
    with pytest.raises(ValueError, match="every turn"):
        records_from(*args)
