"""A resolved turn keeps its review and allocations over the batch (game/engine/batch/recorded.py):
no `ReviewRow` model and no allocations dict per game while a loop over arrays plays; each
game's rows and dicts are made when read, equal to those the turn's GameStates get."""

from __future__ import annotations

import gc

import numpy as np

from game.engine.batch.choose import apply_allocation, open_work
from game.engine.batch.recorded import Allocations
from game.engine.batch.state import gather
from game.engine.batch.turn import resolve_states, resolve_turn
from game.engine.state import ReviewRow
from tests.engine.batch_states import EDGES, batches, captured

SEEDS = (1, 2, 3, 4, 5, 6)
"""Six games of each kind (random, bot mixes) reach every turn of the edges fixture, whose
reviews lay off, and give consequences whose `when` holds only in some games."""


def _review_rows() -> int:
    """How many ReviewRow models are alive."""
    gc.collect()
    return sum(type(o) is ReviewRow for o in gc.get_objects())


def _resolved():
    """For each turn of the edges fixture's games, a batch of them resolved through the
    turn, the same games' states resolved by `resolve_states` (the engine's own path, which
    scatters the records), and how many ReviewRow models the batch's resolution made."""
    game, states = captured(EDGES, "resolve_states", SEEDS)
    for group in batches(states, len(SEEDS)):
        batch = gather(game.rules, [state.clone() for state in group])
        before = _review_rows()
        resolve_turn(batch)
        made = _review_rows() - before
        scattered = [state.clone() for state in group]
        resolve_states(game.rules, scattered)
        yield batch, scattered, made


def test_a_resolved_turn_makes_no_review_row_until_one_is_read():
    consequences = 0
    for batch, scattered, made in _resolved():
        assert made == 0
        everyone = batch.recorded.reviews.of_games(range(batch.size))
        assert everyone == [state.history[-1].reviews for state in scattered]
        assert batch.recorded.reviews == everyone and list(batch.recorded.reviews) == everyone
        assert batch.reviews == [{} for _ in range(batch.size)]  # the next turn's: none yet
        consequences += sum(len(row.consequences) for rows in everyone
                            for role in rows.values() for row in role)
        for g in (batch.size - 1, 2):  # a game read alone: the same rows
            assert batch.recorded.reviews.of_games([g]) == [everyone[g]]
        for rows, state in zip(everyone, scattered):
            want = state.history[-1].reviews
            assert list(rows) == list(want)
            for role in rows:
                for mine, theirs in zip(rows[role], want[role]):
                    assert mine.model_dump_json() == theirs.model_dump_json()
                    assert mine.model_fields_set == theirs.model_fields_set
    assert consequences > 0


def test_the_recorded_allocations_are_the_states():
    for batch, scattered, _ in _resolved():
        assert batch.recorded.allocations == [state.history[-1].allocations
                                              for state in scattered]


def test_allocations_are_kept_as_groups_and_made_per_game_when_read():
    game, states = captured(EDGES, "resolve_states", SEEDS)
    batch = gather(game.rules, [state.clone() for state in batches(states, len(SEEDS))[0]])
    open_work(batch)
    seats = batch.layout.seats
    everyone = np.arange(batch.size)
    behaviour = batch.layout.behaviour_ids[0]
    apply_allocation(batch, everyone, seats - 1, {behaviour: 1})
    apply_allocation(batch, everyone[::2], 0, {behaviour: 2})
    assert batch.allocations.groups and len(batch.allocations.groups) == 2
    first, second = batch.allocations[0], batch.allocations[1]
    assert list(first) == [0, seats - 1] and first == {0: {behaviour: 2}, seats - 1: {behaviour: 1}}
    assert second == {seats - 1: {behaviour: 1}}
    assert batch.allocations[0] is not batch.allocations[0]  # made anew on every read
    assert batch.allocations[1][seats - 1] is not batch.allocations[3][seats - 1]
    assert batch.allocations.of_games([3, 0]) == [batch.allocations[3], first]
    assert batch.allocations[-1] == batch.allocations[batch.size - 1]


def test_given_allocations_are_copied_when_read():
    given = [{0: {"work": 1}}, {}]
    kept = Allocations(2, given)
    assert kept == given and kept[0] is not given[0] and kept[0][0] is not given[0][0]
    kept.apply(np.array([1]), 0, {"work": 3})
    assert list(kept) == [{0: {"work": 1}}, {0: {"work": 3}}] and given[1] == {}


def test_a_game_asked_for_twice_gets_its_allocations_both_times():
    """`of_games` makes each place's dicts, also where a row is asked for again (as
    `Reviews.of_games` does): before, the earlier place of a repeated row got none."""
    kept = Allocations(3)
    kept.apply(np.array([0, 2]), 0, {"work": 3})
    kept.apply(np.array([2]), 1, {"work": 1})
    assert kept.of_games([2, 1, 2]) == [{0: {"work": 3}, 1: {"work": 1}}, {},
                                        {0: {"work": 3}, 1: {"work": 1}}]
    twice = kept.of_games([0, 0])
    assert twice == [{0: {"work": 3}}, {0: {"work": 3}}] and twice[0] is not twice[1]


def test_groups_applied_as_one_entry_read_as_each_applied_in_turn():
    """`apply_each` keeps groups (of a seat, here) as one entry; every game read from it
    (all, some, some twice, seats applied out of order) is what `apply` of each gives."""
    groups = [(np.array([4, 0]), {"work": 1}), (np.array([2]), {"work": 2, "n": 5}),
              (np.array([1, 5]), {})]
    given = [{3: {"x": 1}}] + [{}] * 5
    together, apart = Allocations(6, given), Allocations(6, given)
    together.apply(np.array([0, 2]), 4, {"late": 1})
    apart.apply(np.array([0, 2]), 4, {"late": 1})
    together.apply_each(np.concatenate([rows for rows, _ in groups]), np.full(5, 1),
                        np.array([0, 0, 1, 2, 2]), [submitted for _, submitted in groups])
    for rows, submitted in groups:
        apart.apply(rows, 1, submitted)
    assert len(together.groups) == 2
    for rows in (range(6), [5, 0, 5, 2], [3], []):
        got, want = together.of_games(rows), apart.of_games(rows)
        assert got == want and [list(g) for g in got] == [list(g) for g in want]
    assert list(together[0].items()) == [(1, {"work": 1}), (3, {"x": 1}), (4, {"late": 1})]
    assert together[1][1] is not together[1][1] and together[5] == {1: {}}
