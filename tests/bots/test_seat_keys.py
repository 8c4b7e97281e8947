"""Seats of one role that read the same share a recall (game.analysis.batch_play
`shared_key`, from game.bots.groups `seat_keys`): the contract is that two seats of a phase
whose groups give equal shared keys give equal memo keys, at every decision of bot games of
every bundled scenario (the seat aside: a memo key never holds it); and so do two groups of
any phases, and of simulations with other strategies in the other seats, in the same
`situation` (the loop's own function), which lets the loop keep what a group submitted from
chunk to chunk and from one simulation to the next."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from game.analysis import simulate
from game.analysis.batch_play import shared_key, situation
from game.bots import make_bot
from game.bots.groups import Reads, seat_keys
from game.engine.batch.sights import Public, public_now, sights
from game.engine.batch.state import gather
from game.engine.glance import glances
from game.engine.legal import legal_choice
from game.scenario.load import load_scenario
from game.scenario.model import Scenario
from tests.bots.test_groups import (LAYOUT, MIXES, PATHS, _decision_points, _memo_key,
                                    _two_games)


def _shared(rules, scenario, table, strategy, states, seat, found: dict) -> int:
    """Check the groups of `seat`'s games `states` (at one decision, seats `table`) against
    `found` ((`situation`, shared key) -> memo key and seat, over the decisions so far, as
    `batch_play._Loop._decided` keeps submissions) and add them; return how many groups
    found the key of another seat already there."""
    bot = make_bot(strategy, scenario, seat, lambda: None)
    batch = gather(rules, states)
    public = public_now(rules, batch)
    where = situation([s.name for s in table], {}, public)
    seen = sights(rules, batch, seat, public)
    by_legal = defaultdict(list)
    for g, state in enumerate(states):
        by_legal[id(legal_choice(rules, state, seat)[0])].append(g)
    shared = 0
    for rows in by_legal.values():
        legal, choice = legal_choice(rules, states[rows[0]], seat)
        group, first, keys = seat_keys(
            lambda policies: bot.reads(seen.role, legal, policies, batch.turn), seen,
            np.array(rows), batch.layout)
        for g, key in zip(first.tolist(), keys):
            when = bot.turn_read(seen.role, legal, states[g].policies, batch.turn)
            known = shared_key(bot, batch.layout.roles, seat, legal, choice, key, when)
            if known is None:
                continue
            memo = _memo_key(rules, bot, glances(rules, states[g], [seat])[0], legal)
            was = found.setdefault((where, known), (memo, seat))
            assert was[0] == memo, (batch.turn, legal.phase, seat, was[1])
            shared += was[1] != seat
    return shared


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_seats_with_equal_shared_keys_give_equal_memo_keys(path, monkeypatch):
    scenario = load_scenario(path)
    game = simulate.Game(scenario)
    shared = 0
    found: dict = {}  # (over every mix, turn and phase: situations tell them apart)
    for mix in MIXES:
        strategies = {scenario.roles[0].id: mix[0], scenario.roles[1].id: mix[1]}
        table, chosen = simulate.table_for(game, strategies, None)
        points = _decision_points(scenario, strategies, list(range(1, 9)), monkeypatch)
        for (turn, phase, seat), states in sorted(points.items()):
            shared += _shared(game.rules, scenario, table, chosen[seat], states, seat, found)
    if path.stem == "tokenmaxxing":
        assert shared > 10  # not vacuous: seats do share


def test_the_situation_names_the_stats_a_key_does_not():
    """A key's bytes do not name their columns: games where another seat shows a different
    stat, at equal values, give equal keys (a key reading every stat of the others), so
    the loop keeps their submissions apart by its `situation`, which names the stats some
    game shows as public."""
    shows = {sid: _two_games(shown={(2, sid): (np.array([7.0, 7.0]), np.array([True, True]))})
             for sid in ("s", "t")}
    reads = Reads(("p",), ("s",), None, False, False, False, ())
    keys = {sid: seat_keys(lambda levels: reads, seen, np.array([0, 1]), LAYOUT)[2]
            for sid, seen in shows.items()}
    assert keys["s"] == keys["t"] and len(keys["s"]) == 1
    where = {sid: situation(["a", "b", "c"], {}, Public([(sid,)], [0, 0],
                                                         {sid: np.ones(2, dtype=bool)}))
             for sid in ("s", "t")}
    assert where["s"] != where["t"]


def _ahead(path, horizon: int) -> Scenario:
    """The scenario at `path` with its bots planning `horizon` turns ahead."""
    scenario = load_scenario(path)
    bots = {**scenario.bots.model_dump(exclude_none=True), "horizon": horizon}
    return Scenario.model_validate({**scenario.model_dump(), "bots": bots})


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_equal_turn_reads_give_equal_memo_keys(path):
    """A shared key holds what its bot's memo key reads of the turn
    (`PlanningBot.turn_read`), not the turn itself, so that the loop keeps a group's
    submission from turn to turn: the glance of every decision, moved to any other turn of
    the game whose turn read is equal, gives the same memo key (a forecast or a policy
    planner that reads the turn reads it all)."""
    moved = _moved_alike(load_scenario(path), MIXES)
    if path.stem == "tokenmaxxing":
        assert moved > 100  # not vacuous: most turns read alike


def test_a_horizon_reads_the_turns_left():
    """With a horizon (no bundled scenario has one), a planner's memo key reads how many
    turns a split is judged over, and the one-turn planner's key once that is one: equal
    turn reads still give equal memo keys."""
    scenario = _ahead(next(p for p in PATHS if p.stem == "small-team"), 3)
    assert _moved_alike(scenario, MIXES[:1]) > 50  # (turns 1 to 6 read alike)


def _moved_alike(scenario: Scenario, mixes) -> int:
    """Check `test_equal_turn_reads_give_equal_memo_keys` at every decision of a game of
    each of `mixes`; return how many glances were moved to another turn."""
    game = simulate.Game(scenario)
    rules = game.rules
    moved = 0
    for mix in mixes:
        strategies = {scenario.roles[0].id: mix[0], scenario.roles[1].id: mix[1]}
        table, chosen = simulate.table_for(game, strategies, None)
        bots = [make_bot(name, scenario, seat, random.Random(seat))
                for seat, name in enumerate(chosen)]
        state = game.new_state(1, table)
        while not game.is_terminal(state):
            seat = game.to_act(state)[0]
            bot, legal = bots[seat], game.legal_actions(state, seat)
            if getattr(bot, "recalls", False):
                moved += _moved(rules, bot, glances(rules, state, [seat])[0], legal)
            state = game.apply(state, bot.act(game.view(state, seat), legal))
    return moved


def _moved(rules, bot, glance, legal) -> int:
    """Check that `glance` moved to each other turn of the game with an equal turn read
    gives `bot` the same memo key; return to how many turns it was moved."""
    memo = _memo_key(rules, bot, glance, legal)
    if memo and memo[0] == "whole view":
        return 0
    when = bot.turn_read(glance.role, legal, glance.policies, glance.turn)
    moved = 0
    for other in range(1, rules.scenario.turns + 1):
        if other != glance.turn and bot.turn_read(glance.role, legal, glance.policies,
                                                  other) == when:
            assert _memo_key(rules, bot, glance._replace(turn=other), legal) == memo, \
                (glance.turn, other, glance.seat, legal.phase)
            moved += 1
    return moved
