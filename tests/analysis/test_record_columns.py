"""Simulated games' records as columns (game.analysis.columns `Records`): made over a batch's
arrays (`columns_from`) or of GameRecords (`Records.of`: games ejected from the loop over
arrays, games played game by game), they hold the very records `record_of` makes (the same
floats bit for bit, the same dict orders), pickle as arrays, join and reorder, and the summary
read from them is byte for byte the one the list of GameRecords gave
(tests/analysis/summary_by_records.py, the summary as it was)."""

from __future__ import annotations

import json
import math
import pickle
from dataclasses import fields, replace

import numpy as np
import pytest

from game.analysis import batch_play, simulate
from game.analysis.batch_records import columns_from, correlations
from game.analysis.columns import Records, Table, event_ids
from game.analysis.indices import correlation
from game.analysis.simulate import (
    play_games,
    record_of,
    run_columns,
    run_games,
    run_seed,
    strategies_by_role,
    table_for,
)
from game.analysis.summary import records_csv, summarise
from game.engine.game import Game
from game.scenario.load import load_scenario
from tests.analysis import summary_by_records
from tests.conftest import TINY
from tests.engine.batch_states import PATHS
from tests.engine.test_batch_history import MIXES, played

FLAGSHIP = "tokenmaxxing"


def _json(records) -> list[str]:
    """Each record as JSON (which tells -0.0 from 0.0 and sees dict orders)."""
    return [json.dumps(r.to_dict()) for r in records]


def _bits(values: np.ndarray) -> list:
    """The column's values, floats as their bits (so -0.0 is not 0.0 and NaN is NaN)."""
    if values.dtype.kind == "f":
        return values.astype(np.float64).view(np.uint64).tolist()
    return values.tolist()


def assert_same_columns(got: Records, want: Records) -> None:
    """Every column of `got` holds what `want`'s does (dtypes aside)."""
    assert got.table == want.table
    for f in fields(Records):
        a, b = getattr(got, f.name), getattr(want, f.name)
        if isinstance(a, np.ndarray):
            assert a.shape == b.shape, f.name
            assert _bits(a) == _bits(b), f.name
        else:
            assert a == b, f.name


def _by_state(scenario, seeds, strategies, locked=None) -> list:
    """The records of games played game by game, as `record_of` makes them."""
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    return [record_of(scenario, state, table, chosen)
            for state in play_games(game, seeds, table, chosen, locked)]


def _table(scenario, strategies) -> Table:
    return Table.of(scenario, *table_for(Game(scenario), strategies, None))


@pytest.mark.parametrize("mix", MIXES, ids="-".join)
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_columns_of_a_batch_hold_the_records_of_its_games(path, mix):
    """Over the arrays of every bundled scenario (and the fixtures), bot and random games,
    in any order of the games: the same columns as those made of `record_of`'s records, and
    the same records made back from them; the summary of the columns is the summary of
    those records."""
    run = played(path, mix)
    scenario, table, chosen = run.game.scenario, run.table, run.chosen
    some = [4, 1, 2, 0, 3]
    got = columns_from(scenario, run.batch, run.history, table, chosen, None, some)
    want = [record_of(scenario, run.ended[g], table, chosen) for g in some]
    made = Records.of(Table.of(scenario, table, chosen), event_ids(scenario), want)
    assert_same_columns(got, made)
    assert _json(got.game_records()) == _json(want) == _json(made.game_records())
    assert got.game_records() == want
    by_role = strategies_by_role(table, chosen)
    assert summarise(scenario, got, 7, by_role).model_dump_json() == \
        summary_by_records.summarise(scenario, want, 7, by_role).model_dump_json()
    assert records_csv(got) == records_csv(want)  # (the columns' CSV, read as they are)


def test_a_chunk_with_games_ejected_keeps_every_record_in_run_order(monkeypatch):
    """Games ejected from the loop over arrays are played game by game and their columns
    (made of their GameRecords) joined to the others' in run order."""
    scenario = load_scenario(FLAGSHIP).model_copy(deep=True)
    strategies = {"manager": "hype", "employee": "gamer"}
    seeds = [run_seed(61, i) for i in range(6)]
    want = _by_state(scenario, seeds, strategies)  # (fills the memos)
    submitted = batch_play._Loop._submitted

    def refusing(self, bot, g, seat, phase, *args):
        if (self.batch.turn, phase) == (2, "work") and g in (1, 4):
            return None
        return submitted(self, bot, g, seat, phase, *args)

    monkeypatch.setattr(batch_play._Loop, "_submitted", refusing)
    monkeypatch.setattr(batch_play, "shared_key", lambda *args: None)
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    _, kept, ejected = batch_play.play_columns(game, seeds, table, chosen,
                                               batch_play.recalling_bots(game, chosen), None)
    # in one engineer seat game 5 is in game 4's key group: the seats of a role choose as
    # one stack (batch_play._choose_stack), no longer pruned of the games an earlier seat
    # ejected, so that group's refusal in game 4 ejects game 5 too (replayed game by game:
    # the same record, checked below)
    assert (kept, ejected) == ([0, 2, 3], [1, 4, 5])
    got = run_columns(scenario, seeds, strategies)
    assert _json(got.game_records()) == _json(want)
    assert_same_columns(got, Records.of(_table(scenario, strategies), event_ids(scenario), want))


def test_a_table_whose_bots_do_not_recall_has_columns_of_its_games_played_game_by_game():
    scenario = load_scenario(TINY)
    strategies = {"manager": "random", "employee": "random"}
    seeds = [run_seed(5, i) for i in range(4)]
    got = run_columns(scenario, seeds, strategies)
    assert isinstance(got, Records)
    assert _json(got) == _json(_by_state(scenario, seeds, strategies))
    assert len(run_columns(scenario, [], strategies)) == 0


def test_seeds_that_do_not_fit_64_bits_are_kept_whole():
    scenario = load_scenario(TINY)
    seeds = [-3, 2 ** 70, 5]
    for strategies in ({"manager": "hype", "employee": "gamer"},
                       {"manager": "random", "employee": "random"}):
        got = run_columns(scenario, seeds, strategies)
        assert [r.seed for r in pickle.loads(pickle.dumps(got)).game_records()] == seeds
        assert _json(got) == _json(_by_state(scenario, seeds, strategies))


def test_columns_pickle_as_arrays_without_the_records_made_from_them():
    scenario = load_scenario(FLAGSHIP)
    columns = run_columns(scenario, [run_seed(3, i) for i in range(20)],
                          {"manager": "hype", "employee": "gamer"})
    data = pickle.dumps(columns, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert_same_columns(back, columns)
    assert back.game_records() == columns.game_records()
    assert pickle.dumps(columns, protocol=pickle.HIGHEST_PROTOCOL) == data  # (records made)
    assert b"GameRecord" not in data


def test_a_workers_chunk_comes_back_as_columns(monkeypatch):
    """What a pool's worker sends the parent: the chunk's columns (before, a list of
    GameRecords, ~150 objects a game to pickle, unpickle and collect)."""
    scenario = load_scenario(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    monkeypatch.setattr(simulate, "_WORKER", {})
    simulate._init_worker(scenario, strategies, None, None)
    seeds = [run_seed(4, i) for i in range(10)]
    start, chunk = simulate._run_chunk(7, seeds)
    assert start == 7 and isinstance(chunk, Records)
    assert b"GameRecord" not in pickle.dumps(chunk)
    assert chunk.game_records() == run_games(scenario, seeds, strategies)


def test_columns_join_and_reorder_as_their_records_do():
    scenario = load_scenario(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    seeds = [run_seed(8, i) for i in range(12)]
    whole = run_columns(scenario, seeds, strategies)
    parts = [run_columns(scenario, seeds[a:b], strategies) for a, b in ((0, 5), (5, 6), (6, 12))]
    assert_same_columns(Records.concat(parts), whole)
    order = [11, 0, 5, 5, 3]
    assert whole.take(order).game_records() == [whole.game_records()[n] for n in order]
    assert len(whole.take([])) == 0


def test_columns_with_other_events_join_under_one_list_of_ids():
    """A game's event that the scenario does not list (a facilitator's injected news) keeps
    its id through a join with columns that never met it."""
    scenario = load_scenario(TINY)
    strategies = {"manager": "hype", "employee": "gamer"}
    records = run_games(scenario, [run_seed(2, i) for i in range(4)], strategies)
    odd = replace(records[1], events=[(2, "outage"), *records[1].events, (3, "zz")])
    table, events = _table(scenario, strategies), event_ids(scenario)
    parts = [Records.of(table, events, records[:1]), Records.of(table, events, [odd]),
             Records.of(table, events, records[2:])]
    joined = Records.concat([parts[0], parts[2], parts[1]])
    assert joined.event_ids[-2:] == ("outage", "zz")
    assert joined.game_records() == [records[0], *records[2:], odd]


def test_columns_refuse_games_of_another_table():
    scenario = load_scenario(TINY)
    hype = run_games(scenario, [1], {"manager": "hype", "employee": "gamer"})
    craft = run_games(scenario, [1], {"manager": "hype", "employee": "craft"})
    with pytest.raises(ValueError, match="another table"):
        Records.of(_table(scenario, {"manager": "hype", "employee": "gamer"}),
                   event_ids(scenario), hype + craft)
    with pytest.raises(ValueError, match="different tables"):
        Records.concat([run_columns(scenario, [1], {"manager": "hype", "employee": "gamer"}),
                        run_columns(scenario, [1], {"manager": "hype", "employee": "craft"})])


@pytest.mark.parametrize("name, strategies, locked", [
    (FLAGSHIP, {"manager": "hype", "employee": "gamer"}, None),
    (FLAGSHIP, {"manager": "outcome", "employee": "gamer"}, {"token_leaderboard": 1}),
    ("fishery", {}, None),
    ("sales-quotas", {}, None),
    ("velocity", {}, None),
], ids=lambda v: v if isinstance(v, str) else None)
def test_a_simulations_summary_is_the_summary_of_its_records(name, strategies, locked):
    """`simulate` summarises the columns; the JSON is the one the list of records gave, and
    the records, made only when asked, are those of the games played game by game."""
    scenario = load_scenario(name)
    summary = simulate.simulate(scenario, 24, 9, strategies, progress=False, locked=locked)
    assert summary._records._made is None  # (not made until a caller asks)
    want = _by_state(scenario, [run_seed(9, i) for i in range(24)], strategies, locked)
    assert _json(summary.records) == _json(want)
    reference = summary_by_records.summarise(scenario, want, 9, summary.strategies)
    reference.locked = dict(locked or {})
    assert summary.model_dump_json() == reference.model_dump_json()
    assert records_csv(summary.records) == records_csv(want) == records_csv(summary._records)


def test_the_summary_of_odd_records_is_the_summary_the_list_gave():
    """Records no bundled table makes: equal and NaN scores and contributions (ranks of
    ties and NaN), -0.0 beside 0.0, an event the scenario does not list, seats of no
    effort; summarised from a list of GameRecords (made into columns) as the list was."""
    scenario = load_scenario(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    records = run_games(scenario, [run_seed(6, i) for i in range(40)], strategies)
    rng = np.random.default_rng(3)
    pool = [0.0, -0.0, 1.0, 2.5, math.nan, 2.5, -1.0]
    odd = []
    for n, record in enumerate(records):
        outcomes = [dict(o, score_total=pool[rng.integers(len(pool))],
                         contribution=pool[rng.integers(len(pool))]) for o in record.outcomes]
        effort = [{} if (n + k) % 5 == 0 else row for k, row in enumerate(record.effort)]
        events = record.events + ([(1, "injected")] if n % 3 == 0 else [])
        odd.append(replace(record, outcomes=outcomes, effort=effort, events=events))
    by_role = {"manager": "hype", "employee": "gamer"}
    assert summarise(scenario, odd, 1, by_role).model_dump_json() == \
        summary_by_records.summarise(scenario, odd, 1, by_role).model_dump_json()
    assert summarise(scenario, [], 1, by_role).model_dump_json() == \
        summary_by_records.summarise(scenario, [], 1, by_role).model_dump_json()


def test_correlations_over_arrays_are_the_correlation_of_each_game_bit_for_bit():
    """Sums added turn by turn and squares by Python's `**` (which differs from a product in
    the last bit for about one value in a thousand: the rows here meet many such)."""
    rng = np.random.default_rng(11)
    proxy = np.cumsum(rng.standard_normal((3000, 13)) * 7.0, axis=1) + 50.0
    health = np.cumsum(rng.standard_normal((3000, 13)) * 3.0, axis=1) + 40.0
    proxy[:5] = 50.0  # (a proxy that never moves)
    health[5:10] = health[5:10, :1] + 1e-8 * np.arange(13)  # (one that barely moves)
    health[10] = proxy[10] * 2.0  # (the same moves, scaled: 1)
    health[11, 3] = math.inf
    proxy[12, 4] = math.nan
    got = correlations(proxy, health)
    want = [correlation(p, h) for p, h in zip(proxy.tolist(), health.tolist())]
    assert _bits(got) == _bits(np.array(want))
    cx = np.diff(proxy, axis=1)
    assert any(x ** 2 != x * x for x in (cx - cx.mean(axis=1, keepdims=True)).ravel().tolist())
    assert correlations(proxy[:, :2], health[:, :2]).tolist() == [0.0] * 3000


def test_events_the_scenario_does_not_list_are_counted_in_the_order_the_games_met_them():
    """Columns joined in another order than the games' and then put back in run order (as
    `run_columns` puts the games it ejected back among the others) keep their event ids in
    join order; the summary lists the events the scenario does not list in the order the
    games met them, as the list of records did."""
    scenario = load_scenario(TINY)
    strategies = {"manager": "hype", "employee": "gamer"}
    records = run_games(scenario, [run_seed(2, i) for i in range(3)], strategies)
    first = replace(records[0], events=[(1, "zz"), *records[0].events])
    second = replace(records[1], events=[(2, "yy"), *records[1].events])
    table, events = _table(scenario, strategies), event_ids(scenario)
    columns = Records.concat([Records.of(table, events, [second, records[2]]),
                              Records.of(table, events, [first])]).take([2, 0, 1])
    assert columns.game_records() == [first, second, records[2]]
    got = summarise(scenario, columns, 1, strategies).event_frequency
    want = summary_by_records.summarise(scenario, [first, second, records[2]], 1,
                                        strategies).event_frequency
    assert list(got.items()) == list(want.items())
    assert list(got)[-2:] == ["zz", "yy"]


def test_columns_refuse_games_of_another_length_or_with_behaviours_the_scenario_lacks():
    """Columns hold games of one number of turns (no simulated game ends early) and the
    scenario's behaviours: a record that does not fit is refused with a ValueError saying
    why, never a KeyError (and so is a summary of such records)."""
    scenario = load_scenario(TINY)
    strategies = {"manager": "hype", "employee": "gamer"}
    records = run_games(scenario, [run_seed(4, i) for i in range(2)], strategies)
    short = replace(records[1], proxy=records[1].proxy[:-1], health=records[1].health[:-1],
                    gap=records[1].gap[:-1], policies=records[1].policies[:-1])
    with pytest.raises(ValueError, match="another number of turns"):
        summarise(scenario, [records[0], short], 1, strategies)
    odd = replace(records[1], effort=[{"not_a_behaviour": 3}, *records[1].effort[1:]])
    with pytest.raises(ValueError, match="not_a_behaviour"):
        Records.of(_table(scenario, strategies), event_ids(scenario), [records[0], odd])


def _policy_dicts_one_by_one(policies: np.ndarray, ids: tuple[str, ...]) -> list:
    """Per game and turn, a new dict of the levels, made turn by turn (the plain way)."""
    return [[dict(zip(ids, levels)) for levels in game] for game in policies.tolist()]


@pytest.mark.parametrize("shape", [(300, 4, 2), (60, 3, 3), (5, 3, 0), (7, 0, 3), (0, 3, 2)])
def test_policy_dicts_are_each_games_own_dicts_of_its_levels(shape):
    """`_policy_dicts` (one bytes key a game, copies of the dicts of the first game with the
    same levels): the dicts, ints and orders of making each anew, no dict shared."""
    from game.analysis.columns import _policy_dicts, small_ints
    rng = np.random.default_rng(sum(shape))
    ids = tuple(f"p{n}" for n in range(shape[2]))
    for high in (2, 300):
        policies = small_ints(rng.integers(-1, high, shape))
        got = _policy_dicts(policies, ids)
        assert got == _policy_dicts_one_by_one(policies, ids)
        assert [list(d) for game in got for d in game] == [list(ids)] * (shape[0] * shape[1])
        assert all(type(v) is int for game in got for d in game for v in d.values())
        made = [id(d) for game in got for d in game]
        assert len(set(made)) == len(made)


@pytest.mark.parametrize("shape", [(200, 3, 4), (9, 2, 1), (4, 3, 0), (0, 2, 3)])
def test_effort_dicts_hold_each_behaviour_at_its_place(shape):
    """`_effort_dicts` (names found once per distinct row of places): per game and seat,
    the behaviours with a place, in place order, with their totals."""
    from game.analysis.columns import _effort_dicts
    rng = np.random.default_rng(sum(shape) + 1)
    games, seats, width = shape
    ids = tuple(f"b{n}" for n in range(width))
    effort = rng.integers(0, 9, shape)
    place = np.full(shape, -1, dtype=np.int16)
    for g in range(games):
        for k in range(seats):
            held = rng.permutation(width)[:rng.integers(0, width + 1)]
            place[g, k, held] = np.arange(len(held))
    want = [[{ids[b]: int(effort[g, k, b])
              for b in sorted(np.flatnonzero(place[g, k] >= 0).tolist(),
                              key=lambda b: place[g, k, b])}
             for k in range(seats)] for g in range(games)]
    got = _effort_dicts(effort, place, ids)
    assert got == want
    assert [[list(d) for d in game] for game in got] == [[list(d) for d in game] for game in want]
