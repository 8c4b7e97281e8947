"""Legal actions, checks and choices over a batch (game.engine.batch.choose) against the
engine's own on GameStates: at every decision of bot and random games of every bundled
scenario and engine fixture, the batch gathered from the games' states must offer each
seat the very Legal object `legal_choice` gives it (or None where the memo cannot answer),
know the checked choices `check_chosen` submits, and after the same choices hold what
`take_choices` / `Game._close` make of the states."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
import pytest

from game.analysis import simulate
from game.engine import Game, GameState, SetPolicies
from game.engine.actions import Allocate, to_act
from game.engine.batch.choose import (acting, apply_allocation, apply_allocations,
                                      apply_decided, apply_policies, checked,
                                      chosen_numbers, group_rows, last_numbers_of,
                                      legal_groups, open_work)
from game.engine.batch.state import gather, take_choices
from game.engine.checks import check_chosen
from game.engine.legal import _choices, behaviour_choice, legal_choice, work_key
from game.scenario.load import load_scenario
from tests.conftest import TINY
from tests.engine.batch_states import PATHS
from tests.engine.conftest import play_random, random_action

MIXES = (("hype", "gamer"), ("outcome", "cautious"), ("random", "random"))
SEEDS = [1, 2, 3, 4]


class Decisions:
    """Every decision `Game._submit` makes while active: (the state as the phase opens,
    each acting seat's action), by run and (turn, phase), games in the order they chose."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: list[dict[tuple[int, str], list[tuple[GameState, dict]]]] = []
        original = Game._submit

        def submit(game: Game, state: GameState, choose) -> None:
            before, actions = state.clone(), {}

            def spy(seats, legal):
                chosen = choose(seats, legal)
                actions.update(zip(seats, chosen))
                return chosen
            original(game, state, spy)
            self.runs[-1][before.turn, before.phase].append((before, actions))
        monkeypatch.setattr(Game, "_submit", submit)

    def run(self) -> None:
        """Start a new run (games played in lockstep, batched together)."""
        self.runs.append(defaultdict(list))


def play_random_lockstep(game: Game, seeds: list[int]) -> None:
    """Random legal games in lockstep, every phase through `Game._submit`."""
    rngs = [random.Random(seed) for seed in seeds]
    states = game.new_states(seeds)
    while any(state.phase != "ended" for state in states):
        working = []
        for state, rng in zip(states, rngs):
            if state.phase == "policy":
                game.play_phase(state, lambda seats, _legal, state=state, rng=rng: [
                    random_action(game, state, seat, rng) for seat in seats])
            if state.phase == "work":
                game.choose_work(state, lambda seats, _legal, state=state, rng=rng: [
                    random_action(game, state, seat, rng) for seat in seats])
                working.append(state)
        game.resolve_work(working)


def play_all(game: Game, decisions: Decisions, locked: dict | None = None) -> None:
    """Random games and bot games of several mixes, each run recorded apart."""
    decisions.run()
    play_random_lockstep(game, SEEDS)
    roles = [r.id for r in game.scenario.roles]
    for manager, employee in MIXES:
        strategies = {roles[0]: manager, **({roles[1]: employee} if len(roles) > 1 else {})}
        table, chosen = simulate.table_for(game, strategies, None)
        decisions.run()
        simulate.play_games(game, SEEDS, table, chosen, locked)


def check_legal(game: Game, states: list[GameState], last: np.ndarray,
                locked: dict) -> tuple[int, int]:
    """`acting` and `legal_groups` of the batch of `states` against `to_act` and
    `legal_choice` of each state; returns (answers, groups) counted."""
    rules = game.rules
    batch = gather(rules, states)
    phase = states[0].phase
    must = acting(rules, batch, phase)
    assert must.tolist() == [[s in to_act(rules, st) for s in range(len(st.seats))]
                             for st in states]
    answered = groups_seen = 0
    for seat in range(batch.layout.seats):
        rows = np.arange(batch.size)
        groups, answers = legal_groups(rules, batch, seat, phase, rows, last, locked)
        assert groups.shape == rows.shape and sorted(set(groups.tolist())) == \
            list(range(len(answers)))
        groups_seen += len(answers)
        if states[0].turn == 1:  # no turn resolved yet: no numbers to carry
            again = legal_groups(rules, batch, seat, phase, rows, None, locked)[1]
            assert list(map(identities, again)) == list(map(identities, answers))
        for g, state in enumerate(states):
            legal, choice = legal_choice(rules, state, seat)
            answer = answers[groups[g]]
            if answer is None:  # only where the memo cannot answer without a state
                assert phase == "work" and must[g, seat]
                assert _choices(rules).reads[state.seats[seat].role] is None
                continue
            assert answer[0] is legal and answer[1] is choice
            answered += 1
    return answered, groups_seen


def identities(answer: tuple | None) -> tuple | None:
    """The ids of the objects of an answer of `legal_groups` (None for None)."""
    return answer and tuple(map(id, answer))


def check_choices(game: Game, states: list[GameState], actions: list[dict]) -> None:
    """`checked` against `check_chosen`, and the batch after `apply_*` against the
    states after the same choices."""
    rules = game.rules
    phase = states[0].phase
    submitted = [{} for _ in states]
    for g, (state, chosen) in enumerate(zip(states, actions)):
        for seat, action in chosen.items():
            choice = legal_choice(rules, state, seat)[1]
            known = checked(choice, action, seat)
            submitted[g][seat] = check_chosen(rules, state, seat, choice, action)
            assert known in (None, submitted[g][seat])
            assert checked(choice, action, seat) == submitted[g][seat]
            assert checked(choice, action, seat + 1) is None
            other = Allocate(seat=seat) if phase == "policy" else SetPolicies(seat=seat)
            assert checked(choice, other, seat) is None
    batch = gather(rules, states)
    if phase == "work":
        open_work(batch)
    order = range(batch.layout.seats)
    for seat in reversed(order) if phase == "work" and states[0].turn % 2 else order:
        by_choice = defaultdict(list)  # games with the same choice applied together
        for g, chosen in enumerate(submitted):
            if seat in chosen:
                by_choice[tuple(chosen[seat].items())].append(g)
        for rows in by_choice.values():
            if phase == "policy":
                apply_policies(batch, np.array(rows), submitted[rows[0]][seat])
            else:
                apply_allocation(batch, np.array(rows), seat, submitted[rows[0]][seat])
    after = [state.clone() for state in states]
    for state, chosen in zip(after, submitted):
        state.submitted = dict(sorted(chosen.items()))
        if phase == "policy":
            game._close(state)  # the levels applied in seat order; nothing resolved
    if phase == "policy":
        assert batch.policies.tolist() == [[st.policies[p] for p in batch.layout.policy_ids]
                                           for st in after]
        return
    for state in after:
        state.allocations = state.submitted
    expected = gather(rules, states)
    take_choices(expected, after)
    assert same_bits(batch.effort, expected.effort) and same_bits(batch.numbers,
                                                                  expected.numbers)
    assert np.array_equal(batch.allocated, expected.allocated)
    assert batch.allocations == expected.allocations
    for mine, theirs in zip(batch.allocations, expected.allocations):
        assert list(mine) == list(theirs)
        for seat in mine:
            assert [type(v) for v in mine[seat].values()] == \
                [type(v) for v in theirs[seat].values()]
    return batch


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal arrays, bit for bit (-0.0 and 0.0 apart)."""
    return a.shape == b.shape and np.array_equal(a.view(np.int64), b.view(np.int64))


def check_run(game: Game, run: dict, locked: dict) -> tuple[int, int]:
    """Every batch of a run; returns (answers, groups)."""
    answered = groups = 0
    carried: tuple[list[int], np.ndarray] | None = None
    for (turn, phase), decided in sorted(run.items()):
        states = [state for state, _ in decided]
        batch = gather(game.rules, states)
        last = last_numbers_of(batch, states)
        if phase == "work" and carried is not None and carried[0] == batch.seeds:
            assert same_bits(carried[1], last)  # the numbers the loop carries
        a, n = check_legal(game, states, last, locked)
        answered, groups = answered + a, groups + n
        chosen = check_choices(game, states, [actions for _, actions in decided])
        if chosen is not None:
            carried = (chosen.seeds, chosen_numbers(chosen))
    return answered, groups


def check_game(game: Game, monkeypatch: pytest.MonkeyPatch) -> None:
    """Play `game`'s runs and check every batch of them."""
    decisions = Decisions(monkeypatch)
    play_all(game, decisions)
    answered = groups = 0
    for run in decisions.runs:
        a, n = check_run(game, run, {})
        answered, groups = answered + a, groups + n
    assert answered > 0 and groups > 0


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_batch_choices_are_the_engines_at_every_decision(path, monkeypatch):
    check_game(Game(load_scenario(path)), monkeypatch)


@pytest.mark.parametrize("available", ["quality > 48", "slop < 2", "turn % 2 or rank != 1",
                                       "score < 1 or leaderboard", "work < 3",
                                       "total_slop < 5"])
def test_batch_choices_follow_every_kind_of_name_availability_reads(available, monkeypatch):
    """Availability reading metrics, stats, the turn, rank, score, policies, the seat's
    points (memoised: grouped by them), or an aggregate (never memoised: no answer)."""
    scenario = load_scenario(TINY)
    behaviours = [b.model_copy(update={"available": available}) if b.id == "farm" else b
                  for b in scenario.behaviours]
    check_game(Game(scenario.model_copy(update={"behaviours": behaviours})), monkeypatch)


def test_locked_policies_are_offered_locked(monkeypatch):
    game = Game(load_scenario(TINY))
    pid = "leaderboard"
    locked = {pid: 1}
    decisions = Decisions(monkeypatch)
    decisions.run()
    table, chosen = simulate.table_for(game, {}, None)
    simulate.play_games(game, SEEDS, table, chosen, locked)
    for (turn, phase), decided in decisions.runs[0].items():
        if phase == "policy":
            states = [state for state, _ in decided]
            batch = gather(game.rules, states)
            seat = next(s for s in range(batch.layout.seats) if acting(
                game.rules, batch, phase)[:, s].all())
            _, answers = legal_groups(game.rules, batch, seat, phase, np.arange(len(states)),
                                      locked=locked)
            assert any(o.locked for o in answers[0][0].policies if o.id == pid)
    assert check_run(game, decisions.runs[0], locked)[0] > 0


def test_a_situation_missing_from_the_memo_gets_no_answer():
    """Behaviour options need a state when the memo lacks them (or never memoises them:
    availability reading an aggregate); policy options are made from the levels."""
    for available in ("quality > 48", "total_slop < 5"):
        scenario = load_scenario(TINY)
        behaviours = [b.model_copy(update={"available": available}) if b.id == "farm" else b
                      for b in scenario.behaviours]
        game = Game(scenario.model_copy(update={"behaviours": behaviours}))
        states = game.new_states([1, 2, 3])
        batch = gather(game.rules, states)
        groups, answers = legal_groups(game.rules, batch, 0, "policy", np.arange(3))
        assert answers == [legal_choice(game.rules, states[0], 0)]
        for state in states:
            game.play_phase(state, lambda seats, _legal: [SetPolicies(seat=s) for s in seats])
        batch = gather(game.rules, states)
        groups, answers = legal_groups(game.rules, batch, 1, "work", np.arange(3))
        assert groups.tolist() == [0, 0, 0] and answers == [None]
        legal_choice(game.rules, states[0], 1)  # now in the memo, unless never memoised
        _, answers = legal_groups(game.rules, batch, 1, "work", np.arange(3))
        assert (answers[0] is None) == available.startswith("total")


def test_rows_group_by_their_bits_in_order_of_first_row():
    values = np.array([[1.0, 0.0], [2.0, 0.0], [1.0, -0.0], [1.0, 0.0], [2.0, 0.0]])
    groups, first = group_rows(values)
    assert groups.tolist() == [0, 1, 2, 0, 1] and first.tolist() == [0, 1, 2]
    groups, first = group_rows(values[:, 1:])
    assert groups.tolist() == [0, 0, 1, 0, 0] and first.tolist() == [0, 2]
    assert group_rows(np.zeros((3, 0)))[0].tolist() == [0, 0, 0]


def test_rows_group_as_a_dict_of_their_bits_would():
    rng = np.random.default_rng(5)
    for n, k in ((1, 3), (2, 1), (7, 2), (50, 4), (200, 3)):
        values = rng.choice([0.0, -0.0, 1.0, 2.5, np.nan], size=(n, k))
        groups, first = group_rows(values)
        seen: dict[bytes, int] = {}
        expected = [seen.setdefault(row.tobytes(), len(seen)) for row in values]
        assert groups.tolist() == expected
        assert first.tolist() == [expected.index(n) for n in range(len(seen))]


def test_an_empty_allocation_is_no_allocation():
    game = Game(load_scenario(TINY))
    states = game.new_states([1, 2])
    batch = gather(game.rules, states)
    open_work(batch)
    apply_allocation(batch, np.array([0, 1]), 2, {"work": 1, "farm": 0})
    apply_allocation(batch, np.array([1]), 1, {})
    assert batch.allocated.tolist() == [[False, False, True], [False, False, True]]
    assert batch.allocations == [{2: {"work": 1, "farm": 0}}, {1: {}, 2: {"work": 1, "farm": 0}}]
    assert list(batch.allocations[1]) == [1, 2]
    assert batch.allocations[0][2] is not batch.allocations[1][2]  # each game's own


def _allocated_by_hand(batch, seat: int, groups) -> None:
    """What `apply_allocation` must make of `groups` applied in order, written value by
    value in Python (the reference the array code is held to): each submitted name's value
    into effort or numbers at (row, seat), `allocated` where anything was submitted."""
    layout = batch.layout
    for rows, submitted in groups:
        for row in rows.tolist():
            for key, value in submitted.items():
                if key in layout.behaviour_ids:
                    batch.effort[row, seat, layout.behaviour_ids.index(key)] = value
                else:
                    batch.numbers[row, seat, layout.decision_ids.index(key)] = value
            batch.allocated[row, seat] = bool(submitted)


def _same_allocations(together, by_hand, groups_of_seats) -> None:
    """`together`'s arrays equal `by_hand`'s bit for bit, and its allocations are, game by
    game, each seat's last submission (seats in seat order, each game's dicts its own)."""
    for field in ("effort", "numbers", "allocated"):
        a, b = getattr(together, field), getattr(by_hand, field)
        assert a.dtype == b.dtype and np.array_equal(a.view(np.uint8), b.view(np.uint8)), field
    want: list[dict] = [{} for _ in range(together.size)]
    for seat, groups in groups_of_seats:
        for rows, submitted in groups:
            for row in rows.tolist():
                want[row][seat] = dict(submitted)
    got = together.allocations
    assert [list(a.items()) for a in got] == [list(a.items()) for a in want]


def _opened_twice(scenario, games: int) -> tuple:
    """Two batches of the first turns of `games` games of `scenario`, each opened for work,
    and the names an allocation may submit there (behaviours, then decisions)."""
    game = Game(load_scenario(scenario))
    states = game.new_states(list(range(games)))
    together, by_hand = gather(game.rules, states), gather(game.rules, states)
    open_work(together)
    open_work(by_hand)
    return together, by_hand, [*together.layout.behaviour_ids, *together.layout.decision_ids]


@pytest.mark.parametrize("scenario", [TINY, "fishery"])
def test_allocations_applied_together_are_each_applied_in_turn(scenario):
    """`apply_allocations` (groups of distinct rows, submitting different names: points,
    numbers, some left out, none) gives the arrays and allocations of the groups applied
    one by one, in order, value by value (`_allocated_by_hand`; `apply_allocation` is
    `apply_allocations` of one group, so it cannot be the reference)."""
    together, by_hand, names = _opened_twice(scenario, 12)
    rng = random.Random(5)
    order = rng.sample(range(12), 12)
    applied = []
    for seat in (1, 2):
        groups = []
        for start in range(0, 12, 3):
            kept = rng.sample(names, rng.randint(0, len(names)))
            submitted = {name: rng.choice([0, 1, 2.5, -0.0]) for name in kept}
            groups.append((np.array(order[start:start + 3 - (start == 6)]), submitted))
            # (rows in shuffled order; one game left out)
        apply_allocations(together, seat, groups)
        _allocated_by_hand(by_hand, seat, groups)
        applied.append((seat, groups))
    _same_allocations(together, by_hand, applied)


@pytest.mark.parametrize("scenario", [TINY, "fishery"])
def test_the_decisions_of_every_seat_applied_at_once_are_each_applied_in_turn(scenario):
    """`apply_decided` (the games of two seats mixed in one stack, in shuffled order, each
    submitting one of a few allocations: points, numbers, some left out, none) gives the
    arrays and allocations of each seat's groups applied one by one, seat by seat."""
    together, by_hand, names = _opened_twice(scenario, 10)
    rng = random.Random(7)
    submitted = [{name: rng.choice([0, 1, 2.5, -0.0])
                  for name in rng.sample(names, rng.randint(0, len(names)))} for _ in range(4)]
    pairs = rng.sample([(g, seat) for g in range(10) for seat in (1, 2) if (g, seat) != (3, 2)],
                       19)
    which = [rng.randrange(4) for _ in pairs]
    apply_decided(together, np.array([g for g, _ in pairs]), np.array([s for _, s in pairs]),
                  np.array(which), submitted)
    applied = []
    for seat in (1, 2):
        groups = [(np.array([g for (g, s), w in zip(pairs, which) if s == seat and w == k]),
                   submitted[k]) for k in range(4)]
        _allocated_by_hand(by_hand, seat, groups)
        applied.append((seat, groups))
    _same_allocations(together, by_hand, applied)


@pytest.mark.parametrize("scenario", [TINY, "fishery"])
def test_overlapping_groups_of_a_seat_apply_in_their_order(scenario):
    """Groups of one seat whose rows overlap, submitting different sets of names (so not
    assigned in one go), leave in each game what the last group holding it submitted, as
    applying them one by one does."""
    game = Game(load_scenario(scenario))
    states = game.new_states(list(range(6)))
    together, by_hand = gather(game.rules, states), gather(game.rules, states)
    layout = together.layout
    names = [*layout.behaviour_ids, *layout.decision_ids]
    open_work(together)
    open_work(by_hand)
    first = {name: 1.0 for name in names}
    groups = [(np.array([0, 1, 2]), first), (np.array([2, 3]), {names[0]: 2.0}),
              (np.array([1, 2, 4]), {name: 3.0 for name in names}), (np.array([4]), {})]
    apply_allocations(together, 2, groups)
    _allocated_by_hand(by_hand, 2, groups)
    _same_allocations(together, by_hand, [(2, groups)])


def test_work_key_is_the_key_behaviour_choice_builds_for_a_state():
    """The key `work_key` makes for a batch's game is the one `behaviour_choice` builds
    inline for a state, with every kind of name read (a seat's points too, which the
    loop's batches always hold at 0 as a work phase opens)."""
    scenario = load_scenario(TINY)
    available = "quality > 48 and slop < 2 and (turn % 2 or rank != 1 or score < 1 " \
                "or leaderboard or work < 3)"
    behaviours = [b.model_copy(update={"available": available}) if b.id == "farm" else b
                  for b in scenario.behaviours]
    game = Game(scenario.model_copy(update={"behaviours": behaviours}))
    rules, found = game.rules, []

    def check(state: GameState) -> None:
        if state.phase != "work":
            return
        state = state.clone()
        state.allocations = {1: {"work": 2, "farm": 1}}
        for s in state.seats[1:]:
            reads = _choices(rules).reads[s.role]
            metrics, policies, stats, points = reads[:4]
            alloc = state.allocations.get(s.index, {})
            key = work_key(s.role, reads, state.turn, s.score, s.rank,
                           [state.metrics[m] for m in metrics],
                           [state.policies[p] for p in policies],
                           [s.stats[x] for x in stats], [alloc.get(b, 0) for b in points])
            choice = behaviour_choice(rules, state, s)  # (remembered under its key)
            assert _choices(rules).memo.get(key) is choice
            found.append(key)
    for seed in (1, 2):
        play_random(game, seed, check)
    assert found and all(len(key) == 9 for key in found)  # quality, leaderboard, slop, work
