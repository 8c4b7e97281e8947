"""Key groups (game.bots.groups): the games of a batch whose seat's memo key reads the same
perceived values are grouped, so one recall answers them all. The contract: games in one
group give equal memo keys, at every decision of bot games of every bundled scenario."""

from __future__ import annotations

import math
from collections import defaultdict
from types import SimpleNamespace

import numpy as np
import pytest

from game.analysis import by_state, simulate
from game.bots import make_bot
from game.bots.base import allocation_planner, numbers_of, options_of, policy_planner
from game.bots.beliefs import perceive
from game.bots.groups import NOTHING, Reads, key_groups, perceived, seat_groups, seat_keys
from game.engine.batch.sights import Sights, sights
from game.engine.batch.state import gather
from game.engine.glance import glances
from game.engine.legal import legal_choice
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios

PATHS = [TINY, *bundled_scenarios()]
MIXES = (("hype", "gamer"), ("outcome", "craft"), ("random", "gamer"))
"""Planning bots only, but for a random manager (its policies vary from game to game)."""


# ---------------------------------------------------------------- perceived


def _expected(values: np.ndarray, significant: int = 2) -> list:
    """`perceive` of each value, or the type of the error it raises."""
    out = []
    for v in values.tolist():
        try:
            out.append(perceive(v, significant))
        except (OverflowError, ValueError) as error:
            out.append(type(error))
    return out


def _edge_values() -> np.ndarray:
    """0.0, -0.0, NaN, subnormals, the largest floats, powers of ten and their neighbours,
    decimal halves at three significant digits (x.x5) at every exponent and their
    neighbours: where a vectorised rounding could differ from Python's."""
    values = [0.0, -0.0, math.nan, -math.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
              1e-310, 1.5e-320, 1.7e308, -1.7e308, 1e308, 9.5e307]
    for k in range(-325, 309):
        p = 10.0 ** k if k > -324 else 5e-324
        values += [p, np.nextafter(p, 0.0), np.nextafter(p, np.inf)]
    for e in range(-30, 30):
        for digits in (105, 115, 125, 135, 145, 155, 265, 275, 285, 995, 985, 445):
            x = float(f"{digits}e{e - 2}")
            values += [x, np.nextafter(x, 0.0), np.nextafter(x, np.inf), x * (1 + 1e-12)]
    values = np.array(values, dtype=np.float64)
    return np.concatenate([values, -values])


def test_perceived_is_perceive_bit_for_bit_on_a_million_values():
    """A million random values (most at the magnitudes stats take, the rest at every
    magnitude and as random bit patterns) and the edge values: the same bits as `perceive`,
    and the same error where `perceive` raises (infinities, values that round past the
    largest float)."""
    rng = np.random.default_rng(20)
    n = 1_000_000
    sign = rng.choice([-1.0, 1.0], n)
    values = sign * 10.0 ** rng.uniform(-8, 13, n)
    values[: n // 10] = sign[: n // 10] * 10.0 ** rng.uniform(-326, 308.2, n // 10)
    values[-n // 20:] = rng.integers(0, 2**63, n // 20).view(np.float64)  # NaN too
    values[n // 10: n // 5] = np.round(values[n // 10: n // 5], 3)  # short decimals
    values = np.concatenate([values, _edge_values()])
    expected = _expected(values)
    finite = np.array([not isinstance(e, type) for e in expected])
    assert finite.sum() > 990_000
    want = np.array([e for e in expected if not isinstance(e, type)])
    got = perceived(values[finite])
    assert got.shape == want.shape
    assert (got.view(np.int64) == want.view(np.int64)).all()
    for v in values[~finite].tolist():
        with pytest.raises(OverflowError):
            perceived(np.array([v]))


@pytest.mark.parametrize("significant", [1, 3, 6])
def test_perceived_at_other_precisions_is_perceive_too(significant):
    """The "like me" guess perceives to one significant digit: the same bits as `perceive`
    there too (and at 3 and 6 digits), on the edge values and 100,000 random ones (ties
    such as 2.5 and 0.25 are exact at one digit)."""
    rng = np.random.default_rng(significant)
    values = rng.choice([-1.0, 1.0], 100_000) * 10.0 ** rng.uniform(-8, 13, 100_000)
    values[::3] = np.round(values[::3], significant + 1)
    values = np.concatenate([values, _edge_values(), np.arange(-100, 100) / 4])
    finite = np.isfinite(values) & (np.abs(values) < 1e308)
    want = np.array(_expected(values[finite], significant))
    got = perceived(values[finite], significant)
    assert (got.view(np.int64) == want.view(np.int64)).all()
    with pytest.raises(ValueError):
        perceived(values, 7)


def test_perceived_keeps_the_shape_and_never_gives_negative_zero():
    values = np.array([[0.0, -0.0], [math.nan, -123.456]])
    got = perceived(values)
    assert got.shape == (2, 2)
    assert got.view(np.int64).tolist()[0] == [0, 0] and got[1, 0] == 0.0
    assert got[1, 1] == perceive(-123.456) == -120.0


# ---------------------------------------------------------------- the contract


def _memo_key(rules, bot, glance, legal):
    """The memo key `bot.recall(glance, legal)` looks up (its Legal's parts included), or a
    key of its own where the key reads the whole view."""
    role = glance.role
    if legal.phase == "policy" and legal.policies:
        return policy_planner(rules, role, bot.policy_goal).view_key(glance, legal)
    if legal.phase != "work":
        return ()
    planner = allocation_planner(rules, role, bot.work_goal)
    if planner.myopic is not None and planner.turns_ahead(glance.turn) <= 1:
        planner = planner.myopic
    f = planner.forecaster(glance.policies)
    if f.chain:
        return ("whole view", id(glance))
    return planner._key(f, f.view_key(glance), options_of(legal), legal.effort,
                        numbers_of(legal), glance.turn)


def _decision_points(scenario, strategies, seeds, monkeypatch) -> dict:
    """(turn, phase, seat) -> the states of every game at that decision (played in
    lockstep), from the simulator's glances."""
    points: dict[tuple, dict[int, object]] = defaultdict(dict)

    def glancing(rules, state, seats, readings=True):
        for seat in seats:
            points[state.turn, state.phase, seat].setdefault(state.seed, state.clone())
        return glances(rules, state, seats, readings)

    with monkeypatch.context() as m:
        m.setattr(by_state, "glances", glancing)
        simulate.run_games(scenario, seeds, strategies)
    return {k: list(v.values()) for k, v in points.items()}


def check_groups(rules, scenario, strategy, states, seat) -> tuple[int, int]:
    """Group the games of `states` at one decision of `seat` (a bot of `strategy`) as a
    loop would (by Legal, then `seat_groups`), and check that the games of each group give
    equal memo keys. Returns (games, groups)."""
    role = states[0].seats[seat].role
    bot = make_bot(strategy, scenario, seat, lambda: None)
    batch = gather(rules, states)
    seen = sights(rules, batch, seat)
    whole = [glances(rules, st, [seat])[0] for st in states]
    by_legal = defaultdict(list)
    for g, st in enumerate(states):
        by_legal[id(legal_choice(rules, st, seat)[0])].append(g)
    groups = 0
    for rows in by_legal.values():
        legal = legal_choice(rules, states[rows[0]], seat)[0]
        for turn in (states[0].turn, None):
            group, first, alone = seat_groups(
                lambda policies, legal=legal, turn=turn: bot.reads(role, legal, policies, turn),
                seen, rows, batch.layout)
            assert len(first) == len(alone) == group.max() + 1 and first[group[0]] == rows[0]
            at = [rows.index(g) for g in first.tolist()]  # each group's first game, in order
            assert at == sorted(at) and group[at].tolist() == list(range(len(first)))
            keys = [_memo_key(rules, bot, whole[g], legal) for g in rows]
            for n in range(len(first)):
                members = [k for k, gr in zip(keys, group) if gr == n]
                assert all(k == members[0] for k in members), (turn, legal.phase)
                assert not alone[n] or len(members) == 1
        groups += len(first)
    return len(states), groups


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_games_in_one_group_give_equal_memo_keys(path, monkeypatch):
    """At every decision of seeded lockstep games of planning bots, grouping the games by
    what each seat's key reads (with and without the turn) never puts two games with
    different memo keys together."""
    scenario = load_scenario(path)
    game = simulate.Game(scenario)
    games = groups = 0
    for mix in MIXES:
        strategies = {scenario.roles[0].id: mix[0], scenario.roles[1].id: mix[1]}
        chosen = simulate.table_for(game, strategies, None)[1]
        points = _decision_points(scenario, strategies, list(range(1, 9)), monkeypatch)
        for (_, _, seat), states in points.items():
            n, k = check_groups(game.rules, scenario, chosen[seat], states, seat)
            games, groups = games + n, groups + k
    assert games > 100 and groups < games


# ---------------------------------------------------------------- what a group reads


LAYOUT = SimpleNamespace(policy_ids=("p", "q"), has_stat=np.ones((3, 2), dtype=bool),
                         stat={"s": 0, "t": 1}.__getitem__)
"""What `key_groups` reads of a batch's layout, for the hand-made sights below."""


def _two_games(**changes) -> Sights:
    """Two games' sights of seat 0 (seats 0-2, all holding stats `s` and `t`; seat 2 shows
    `s`, seat 1 shows nothing), equal but for `changes` (field -> values of both games)."""
    fields = dict(seat=0, role="r", turn=3,
                  employed=np.ones((2, 3), dtype=bool),
                  policies=np.array([[1, 0], [1, 0]], dtype=np.int64),
                  own={"s": np.array([4.04, 4.04]), "t": np.array([1.0, 1.0])},
                  score=np.array([10.0, 10.0]), rank=np.array([1, 1]),
                  shown={(2, "s"): (np.array([7.0, 7.0]), np.array([True, True]))})
    fields.update(changes)
    return Sights(**fields)


READS = Reads(("p",), ("s",), ("s",), True, False, False, ())
LIKE_ME = Reads((), (), ("s",), False, False, False, (), like_me=("s",))
"""A key reading the others' `s`, guessed "like me" where not shown (own `s` to 1 digit)."""
CASES = [  # (changes, whether the two games share a group)
    ({}, True),
    ({"own": {"s": np.array([4.04, 4.01]), "t": np.array([1.0, 1.0])}}, True),  # 4.0 both
    ({"own": {"s": np.array([4.04, 4.06]), "t": np.array([1.0, 1.0])}}, False),
    ({"own": {"s": np.array([4.04, 4.04]), "t": np.array([1.0, 2.0])}}, True),  # t unread
    ({"policies": np.array([[1, 0], [2, 0]])}, False),
    ({"policies": np.array([[1, 0], [1, 5]])}, True),  # q unread
    ({"score": np.array([10.0, 10.4])}, True),
    ({"score": np.array([10.0, 11.0])}, False),
    ({"rank": np.array([1, 2])}, True),  # rank unread
    ({"employed": np.array([[True] * 3, [True, False, True]])}, False),
    ({"shown": {(2, "s"): (np.array([7.0, 7.04]), np.array([True, True]))}}, True),
    ({"shown": {(2, "s"): (np.array([7.0, 7.1]), np.array([True, True]))}}, False),
    ({"shown": {(2, "s"): (np.array([7.0, 7.0]), np.array([True, False]))}}, False),
    ({"shown": {(2, "s"): (np.array([7.0, 99.0]), np.array([False, False]))}}, True),  # hidden
    ({"shown": {(2, "s"): (np.array([7.0, np.inf]), np.array([True, False]))}}, False),
    ({"employed": np.array([[True, True, False]] * 2),  # not employed: its stats unread
      "shown": {(2, "s"): (np.array([7.0, 8.0]), np.array([True, True]))}}, True),
]
CASES = [(READS, *case) for case in CASES] + [(LIKE_ME, *case) for case in [
    ({"own": {"s": np.array([4.04, 4.4]), "t": np.array([1.0, 1.0])}}, True),  # 4 both
    ({"own": {"s": np.array([4.04, 4.6]), "t": np.array([1.0, 1.0])}}, False),  # seat 1's guess
    ({"own": {"s": np.array([4.04, 4.6]), "t": np.array([1.0, 1.0])},  # no seat to guess at
      "employed": np.array([[True, False, True]] * 2)}, True),
    ({"own": {"s": np.array([4.04, 4.6]), "t": np.array([1.0, 1.0])},  # seat 2's guess
      "employed": np.array([[True, False, True]] * 2),
      "shown": {(2, "s"): (np.array([7.0, 0.0]), np.array([True, False]))}}, False),
    ({"own": {"s": np.array([4.04, 4.6]), "t": np.array([1.0, 1.0])},  # both shown
      "employed": np.array([[True, False, True]] * 2),
      "shown": {(2, "s"): (np.array([7.0, 7.0]), np.array([True, True]))}}, True),
]]



@pytest.mark.parametrize("reads,changes,together", CASES)
def test_a_group_reads_exactly_what_the_key_reads(reads, changes, together):
    """Two games share a group exactly when they differ in nothing the key reads as the seat
    perceives it: values it does not read, rounding it does not see and stats hidden from
    it (whatever the batch holds there) never split a group."""
    sights = _two_games(**changes)
    group, first = key_groups(reads, sights, np.array([0, 1]), LAYOUT)
    assert bool(group[0] == group[1]) is together
    assert first.tolist() == ([0] if together else [0, 1])


def test_groups_are_numbered_by_their_first_game_and_refuse_metric_readings():
    sights = _two_games(score=np.array([30.0, 10.0]))
    group, first = key_groups(READS, sights, np.array([1, 0, 1]), LAYOUT)
    assert group.tolist() == [0, 1, 0] and first.tolist() == [1, 0]
    group, first = key_groups(NOTHING, sights, np.array([], dtype=int), LAYOUT)
    assert len(group) == len(first) == 0
    with pytest.raises(ValueError, match="metric readings"):
        key_groups(Reads((), (), (), False, False, False, ("health",)), sights,
                   np.array([0]), LAYOUT)


def test_every_game_given_out_of_order_is_keyed_as_itself():
    """`seat_keys` reads a stack's columns as views when its rows are every row of the
    sights in order; every row in another order is keyed row by row as given: each game
    gets its own key (as alone) and groups are numbered by the first game given."""
    sights = _two_games(score=np.array([30.0, 10.0]))
    group, first, keys = seat_keys(lambda levels: READS, sights, np.array([1, 0]), LAYOUT)
    alone = [seat_keys(lambda levels: READS, sights, np.array([g]), LAYOUT)[2][0]
             for g in (1, 0)]
    assert [keys[k] for k in group.tolist()] == alone and first.tolist() == [1, 0]


def _groups_by_dict(table: np.ndarray) -> tuple[list[int], list[int]]:
    """(group of each row, each group's first row): equal rows share a group, groups
    numbered in the order of their first row, the plain way (a dict of the rows)."""
    number: dict[tuple, int] = {}
    first: list[int] = []
    for n, row in enumerate(map(tuple, table.tolist())):
        if row not in number:
            number[row] = len(first)
            first.append(n)
    return [number[tuple(row)] for row in table.tolist()], first


@pytest.mark.parametrize("values", [2, 5, 40, 10_000])
def test_equal_rows_group_as_a_dict_of_the_rows_would(values):
    """`equal_rows` (rows coded by their columns' values and counted where those are few,
    sorted where they are many) gives the groups and first rows a dict of rows gives."""
    from game.bots.groups import equal_rows
    rng = np.random.default_rng(values)
    for _ in range(60):
        rows, width = int(rng.integers(1, 300)), int(rng.integers(1, 6))
        table = rng.integers(-values, values, (rows, width)).astype(np.int64)
        table[:, rng.random(width) < 0.3] = 7  # (some columns equal in every row)
        group, first = equal_rows(table)
        want_group, want_first = _groups_by_dict(table)
        assert group.tolist() == want_group and first.tolist() == want_first
        assert group.dtype == np.intp and first.dtype == np.intp
