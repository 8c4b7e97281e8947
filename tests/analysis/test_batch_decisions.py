"""The decisions of the loop over arrays (game.analysis.batch_play `_Loop`) cost one glance
and one recall per choice that differs, not per seat: seats of one role and strategy whose
keys read the same values in a phase share one recall, and their games keep the records the
game-by-game loop gives them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import game.analysis.batch_play as batch_play
from game.analysis.simulate import play_games, record_of, run_seed, table_for
from game.engine.game import Game
from game.scenario.load import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "tokenmaxxing.yaml"


def _warm_flagship() -> tuple:
    """The flagship (planners of its own), hype manager and gamers: (its Game, table,
    strategies, 12 seeds, the records `play_games` gives them, as JSON), the memos filled
    by playing them."""
    scenario = load_scenario(FLAGSHIP).model_copy(deep=True)  # (planners of its own)
    game = Game(scenario)
    table, chosen = table_for(game, {"manager": "hype", "employee": "gamer"}, None)
    seeds = [run_seed(41, i) for i in range(12)]
    expected = [json.dumps(record_of(scenario, state, table, chosen).to_dict())
                for state in play_games(game, seeds, table, chosen, None)]
    return game, table, chosen, seeds, expected


def test_seats_of_one_role_and_strategy_that_read_the_same_share_one_glance(monkeypatch):
    """The flagship's hype manager and four gamer engineers, once warm: fewer glances than
    groups of a seat's games, none ejected, and every record the game-by-game one."""
    game, table, chosen, seeds, expected = _warm_flagship()
    counts = {"glances": 0, "groups": 0}

    def glance_at(*args):
        counts["glances"] += 1
        return glanced(*args)

    def cells(*args):  # (the groups of each seat's games, every seat's keyed at once)
        found = grouped(*args)
        counts["groups"] += sum(map(len, found.values()))
        return found

    glanced, grouped = batch_play.glance_at, batch_play._cells
    monkeypatch.setattr(batch_play, "glance_at", glance_at)
    monkeypatch.setattr(batch_play, "_cells", cells)
    records, ejected = batch_play.play_over_arrays(
        game, seeds, table, chosen, batch_play.recalling_bots(game, chosen), None)
    assert not ejected
    assert [json.dumps(records[n].to_dict()) for n in range(len(seeds))] == expected
    assert 0 < counts["glances"] < counts["groups"]


def test_a_later_chunk_recalls_what_an_earlier_one_submitted_without_a_glance(monkeypatch):
    """What a group submitted is kept by its situation and shared key from chunk to chunk:
    the same games played over arrays again glance at nothing (every group's submission is
    kept) and keep the game-by-game records; other seeds still match them."""
    scenario = load_scenario(FLAGSHIP).model_copy(deep=True)  # (planners of its own)
    game = Game(scenario)
    table, chosen = table_for(game, {"manager": "hype", "employee": "gamer"}, None)
    seeds, others = [run_seed(43, i) for i in range(8)], [run_seed(44, i) for i in range(8)]
    expected = {tuple(s): [json.dumps(record_of(scenario, state, table, chosen).to_dict())
                           for state in play_games(game, s, table, chosen, None)]
                for s in (seeds, others)}  # fills the memos
    glances = []

    def glance_at(*args):
        glances.append(args[2])
        return glanced(*args)

    glanced = batch_play.glance_at
    monkeypatch.setattr(batch_play, "glance_at", glance_at)
    for played, glancing in ((seeds, True), (seeds, False), (others, None)):
        glances.clear()
        records, ejected = batch_play.play_over_arrays(
            game, played, table, chosen, batch_play.recalling_bots(game, chosen), None)
        assert not ejected
        assert [json.dumps(records[n].to_dict()) for n in range(len(played))] == \
            expected[tuple(played)]
        if glancing is not None:
            assert bool(glances) == glancing


def test_a_later_turn_recalls_what_an_earlier_one_submitted_without_a_glance(monkeypatch):
    """What a group submitted is kept from turn to turn where its memo key reads the turn
    alike (the flagship's gamers and hype manager plan one turn: their keys read no turn):
    in the second half of 12 warm games a group of a gamer seldom reads what no earlier
    turn read, so the loop glances there a few times (5; 100 when it kept submissions per
    turn), and keeps the game-by-game records."""
    game, table, chosen, seeds, expected = _warm_flagship()
    turns: list[int] = []

    def glance_at(*args):
        turns.append(args[1].turn)
        return glanced(*args)

    glanced = batch_play.glance_at
    monkeypatch.setattr(batch_play, "glance_at", glance_at)
    records, ejected = batch_play.play_over_arrays(
        game, seeds, table, chosen, batch_play.recalling_bots(game, chosen), None)
    assert not ejected
    assert [json.dumps(records[n].to_dict()) for n in range(len(seeds))] == expected
    late = [turn for turn in turns if turn > game.scenario.turns // 2]
    assert turns and len(late) <= 10, late


def test_a_groups_turn_read_is_asked_with_its_own_levels():
    """`_turn_reads` gives each group what its bot reads of the turn under the group's
    own levels, whether the rows' levels are all equal (asked once) or not."""
    class Reader:
        def turn_read(self, role, legal, policies, turn):
            return role, legal, tuple(policies.items()), turn

    ids = ("p", "q")
    mixed = np.array([[1, 2], [1, 2], [3, 4], [1, 2]])
    for levels in (mixed, mixed[[0, 1, 3]], mixed[[2]], mixed[:0]):
        assert batch_play._turn_reads(Reader(), "r", "legal", levels, ids, 5) == [
            ("r", "legal", (("p", int(a)), ("q", int(b))), 5) for a, b in levels.tolist()]
