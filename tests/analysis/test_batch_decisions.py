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
from tests.bots.test_groups import _memo_key
from tests.bots.test_seat_keys import _ahead

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


def test_groups_the_loop_keys_alike_in_any_turn_give_one_memo_key(monkeypatch):
    """With a horizon, a planner's memo key reads the turns a split is judged over (3 until
    the last two turns): every group whose choice the loop keeps by one shared key in one
    situation, in whichever turn or chunk, gives its bot the same memo key, so a later turn
    that recalls what an earlier one submitted submits what its own recall would. Fails if
    the loop's shared key loses what the memo key reads of the turn or reads it of another
    turn; the records alone seldom show that (nearby turns' plans often agree). The
    flagship with its policies locked (the gamers' plans are the costly part)."""
    scenario = _ahead(FLAGSHIP, 3)
    game = Game(scenario)
    table, chosen = table_for(game, {"manager": "hype", "employee": "gamer"}, None)
    bots = batch_play.recalling_bots(game, chosen)
    locked = {policy.id: policy.initial for policy in scenario.policies}
    keyed = _loop_keys(monkeypatch)
    for chunk in range(2):
        records, ejected = batch_play.play_over_arrays(
            game, [run_seed(chunk, i) for i in range(16)], table, chosen, bots, locked)
        assert len(records) == 16 and not ejected
    first: dict[tuple, tuple] = {}
    turns: dict[tuple, set] = {}
    for where, shared, turn, memo in keyed:
        assert memo == first.setdefault((where, shared), memo), turn
        turns.setdefault((where, shared), set()).add(turn)
    assert sum(len(seen) > 1 for seen in turns.values()) >= 3  # (kept across turns: 4)


def _loop_keys(monkeypatch) -> list[tuple]:
    """Record, for every group the loop keys (`shared_key`) as it plays, (its situation's
    dict, its shared key, the turn, the memo key of its first game's glance)."""
    keyed: list[tuple] = []
    found: list = []
    real_keys, real_shared = batch_play.seat_keys, batch_play.shared_key
    real_stack = batch_play._Loop._choose_stack

    def seat_keys(*args):
        group, first, keys = real_keys(*args)
        found.append((first, []))
        return group, first, keys

    def shared_key(*args):
        known = real_shared(*args)
        found[-1][1].append(known)
        return known

    def choose_stack(loop, phase, parts, known, public):
        found.clear()
        decided = real_stack(loop, phase, parts, known, public)
        (first, shared), = found
        games = np.concatenate([part[1] for part in parts])
        part_of = np.repeat(np.arange(len(parts)), [len(part[1]) for part in parts])
        for row, key in zip(first.tolist(), shared):
            seat, _, legal, _ = parts[part_of[row]]
            if key is not None:
                glance = batch_play.glance_at(loop.rules, loop.batch, int(games[row]), seat,
                                              loop.names, public)
                keyed.append((id(known), key, loop.batch.turn,
                              _memo_key(loop.rules, loop.bots[seat], glance, legal)))
        return decided

    monkeypatch.setattr(batch_play, "seat_keys", seat_keys)
    monkeypatch.setattr(batch_play, "shared_key", shared_key)
    monkeypatch.setattr(batch_play._Loop, "_choose_stack", choose_stack)
    return keyed

