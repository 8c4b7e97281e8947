"""What a seat sees over a batch (game.engine.batch.sights) is what its glance shows of each
game's state: at every decision point of random and bot games of every bundled scenario and of
the fixtures, the states gathered into batches of mixed games give, for every seat, the very
glance `glances` gives (values bit for bit, dict orders, the `Other`s) and sights that agree
with it game by game."""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from game.analysis import by_state, simulate
from game.bots.groups import Reads, key_columns
from game.engine import Game, GameState
from game.engine.batch.layout import layout_for
from game.engine.batch.sights import Sights, glance_at, public_now, seats_sights, sights
from game.engine.batch.state import gather
from game.engine.glance import Glance, glances
from game.engine.others import Other
from game.engine.view import _publicity_of
from game.scenario.load import load_scenario
from tests.conftest import ROOT, TINY, bundled_scenarios
from tests.engine.conftest import play_random

FIXTURES = [*(ROOT / "tests" / "engine" / "fixtures").glob("*.yaml"),
            *(ROOT / "tests" / "bots" / "fixtures").glob("*.yaml")]
COMMONS = ROOT / "tests" / "engine" / "fixtures" / "commons.yaml"


def _variant(path: Path, name: str, changes: dict[str, str]) -> Path:
    """A copy of the scenario at `path` with each text of `changes` replaced (it must be
    there), as scenario `name`, in a temporary folder."""
    text = path.read_text()
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    out = Path(tempfile.mkdtemp(prefix="goodhart-sights-")) / f"{name}.yaml"
    out.write_text(text.replace(f"id: {path.stem}\n", f"id: {name.replace('-', '_')}\n", 1))
    return out


TOKENS = 'reset_each_turn: true, public: "leaderboard > 0"}'
VARIANTS = [
    _variant(TINY, "tiny-metrics", {  # public-ness that reads metrics (a hidden one too)
        TOKENS: 'reset_each_turn: true, public: "leaderboard > 0 or quality > 50.5"}',
        "roles: [employee], hidden_from_self: true}":
            'roles: [employee], hidden_from_self: true, public: "turn > 2 and secret > 10.5"}'}),
    _variant(TINY, "tiny-aggregates", {  # ... and aggregates, headcounts
        TOKENS: 'reset_each_turn: true, public: "leaderboard > 0 or mean_slop > 2"}',
        "roles: [employee], reset_each_turn: true}":
            'roles: [employee], reset_each_turn: true, '
            'public: "total_tokens > 10 or headcount_employee < 2"}'}),
    _variant(COMMONS, "commons-aggregates", {  # ... and a decision's aggregate
        'public: "board > 0"': 'public: "board > 0 or total_catch > 6.5 or pond < 55"'}),
]
"""Public-ness the bundled scenarios do not use: formulas that read metrics, the turn, the
aggregates of stats and of a decision, and the headcounts."""
PATHS = [TINY, *bundled_scenarios(), *sorted(FIXTURES), *VARIANTS]
MIXES = (("hype", "gamer"), ("outcome", "cautious"), ("adaptive", "random"))
BATCH = 6


@cache
def decision_states(path: Path) -> tuple[Game, tuple[GameState, ...]]:
    """The game of `path` and a copy of every state a seat decides on (and the ended ones) in
    two random games and one bot game of each mix."""
    game = Game(load_scenario(path))
    seen: list[GameState] = []
    for seed in (1, 2):
        seen.append(game.new_state(seed))
        play_random(game, seed, lambda state: seen.append(state.clone()))
    original = by_state._chooser

    def chooser(rules, state, bots):
        choose = original(rules, state, bots)

        def chosen(acting, legal):
            seen.append(state.clone())
            return choose(acting, legal)
        return chosen

    roles = [r.id for r in game.scenario.roles]
    by_state._chooser = chooser
    try:
        for n, mix in enumerate(MIXES):
            simulate.play_bot_game(game.scenario, 10 + n, dict(zip(roles, mix)))
    finally:
        by_state._chooser = original
    return game, tuple(seen)


def batches(states: tuple[GameState, ...]) -> list[list[GameState]]:
    """`states` in batches of at most BATCH that share a turn, phase and table, mixing
    games."""
    groups: dict[tuple, list[GameState]] = defaultdict(list)
    for state in states:
        groups[state.turn, state.phase, tuple(s.role for s in state.seats)].append(state)
    return [group[i:i + BATCH] for group in groups.values()
            for i in range(0, len(group), BATCH)]


def _exact(value):
    """`value` with every float as its bits and every container's type and order kept, so
    that equal results mean the same values, types and orders (0.0 and -0.0 differ)."""
    if isinstance(value, float):
        return ("float", value.hex() if not math.isnan(value) else "nan")
    if isinstance(value, dict):
        return ("dict", [(_exact(k), _exact(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_exact(v) for v in value])
    return (type(value).__name__, value)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_sights_and_glances_over_a_batch_are_the_states_glances(path):
    game, states = decision_states(path)
    rules = game.rules
    assert len(states) > 10
    for group in batches(states):
        batch = gather(rules, group)
        for g, state in enumerate(group):
            names = [seat.name for seat in state.seats]
            for seat in range(len(state.seats)):
                want = glances(rules, state, [seat], readings=False)[0]
                got = glance_at(rules, batch, g, seat, names)
                assert type(got) is Glance and got == want
                assert _exact(tuple(got)) == _exact(tuple(want))
                assert all(type(o) is Other for o in got.others)
        for seat in range(len(group[0].seats)):
            _agree(sights(rules, batch, seat), group, rules)


def _agree(seen: Sights, group: list[GameState], rules) -> None:
    """`seen` holds, game by game, exactly what each state's glance of its seat shows."""
    layout_policies = list(group[0].policies)
    shown_anywhere = set()
    for g, state in enumerate(group):
        glance = glances(rules, state, [seen.seat], readings=False)[0]
        assert (seen.role, seen.turn) == (glance.role, glance.turn)
        assert seen.employed[g].tolist() == [s.employed for s in state.seats]
        assert dict(zip(layout_policies, seen.policies[g].tolist())) == glance.policies
        assert _exact({sid: float(v[g]) for sid, v in seen.own.items()}) \
            == _exact(glance.own_stats)
        assert _exact((float(seen.score[g]), int(seen.rank[g]))) \
            == _exact((glance.score, glance.rank))
        others = {o.index: o for o in glance.others}
        for (j, sid), (values, mask) in seen.shown.items():
            assert bool(mask[g]) is (sid in others[j].stats)
            want = others[j].stats[sid] if mask[g] else 0.0
            assert _exact(float(values[g])) == _exact(want)
        for o in glance.others:
            shown_anywhere |= {(o.index, sid) for sid in o.stats}
    assert list(seen.shown) == sorted(seen.shown, key=lambda k: (
        k[0], list(rules.stat_public).index(k[1])))
    assert set(seen.shown) == shown_anywhere


def test_sights_are_the_callers_own():
    """Changing the batch afterwards does not change sights taken before (and back)."""
    game, states = decision_states(TINY)
    batch = gather(game.rules, [s for s in states if (s.turn, s.phase) == (2, "work")][:3])
    seen = sights(game.rules, batch, 1)
    before = (seen.employed.copy(), seen.policies.copy(), seen.score.copy())
    batch.employed[:] = False
    batch.policies[:] += 1
    batch.score[:] = 7.0
    assert all(np.array_equal(a, b) for a, b in zip(
        before, (seen.employed, seen.policies, seen.score)))


@pytest.mark.parametrize("path", [p for p in PATHS if p.stem in ("tokenmaxxing", "sales-quotas",
                                                               "tiny-metrics")],
                         ids=lambda p: p.stem)
def test_what_a_view_hides_changes_nothing_a_seat_sees(path):
    """The view door over arrays: changing every value the seat's view does not show (other
    seats' stats where not public, its own bookkeeping and hidden stats, the metrics that
    public-ness does not read, the score and rank of others) changes neither its sights nor
    its glances."""
    game, states = decision_states(path)
    rules = game.rules
    rng = np.random.default_rng(5)
    names_read = _publicity_of(rules)[1]
    checked = 0
    for group in batches(states):
        if group[0].phase == "ended":
            continue
        batch = gather(rules, group)
        names = [seat.name for seat in group[0].seats]
        layout = batch.layout
        for seat in range(layout.seats):
            seen = sights(rules, batch, seat)
            glanced = [glance_at(rules, batch, g, seat, names) for g in range(batch.size)]
            hidden = batch.stats.copy()
            for (j, sid), (_, mask) in seen.shown.items():
                hidden[mask, j, layout.stat(sid)] = np.nan  # (kept: shown)
            for sid in seen.own:
                hidden[:, seat, layout.stat(sid)] = np.nan
            changed = gather(rules, group)
            noise = rng.uniform(-1e3, 1e3, size=hidden.shape)
            changed.stats = np.where(np.isnan(hidden), batch.stats, noise)
            for n, mid in enumerate(layout.metric_ids):
                if mid not in names_read:
                    changed.metrics[:, n] = rng.uniform(-1e3, 1e3, size=batch.size)
            others = np.arange(layout.seats) != seat
            changed.score[:, others] = rng.uniform(-9, 9, size=(batch.size, others.sum()))
            changed.rank[:, others] = rng.integers(1, 9, size=(batch.size, others.sum()))
            again = sights(rules, changed, seat)
            for field in ("employed", "policies", "score", "rank"):
                assert np.array_equal(getattr(seen, field), getattr(again, field))
            assert _exact({k: v.tolist() for k, v in seen.own.items()}) \
                == _exact({k: v.tolist() for k, v in again.own.items()})
            assert _exact({k: (v.tolist(), m.tolist()) for k, (v, m) in seen.shown.items()}) \
                == _exact({k: (v.tolist(), m.tolist()) for k, (v, m) in again.shown.items()})
            for g in range(batch.size):
                assert _exact(tuple(glance_at(rules, changed, g, seat, names))) \
                    == _exact(tuple(glanced[g]))
            checked += 1
    assert checked


def _parts(seats: list[int], games: int) -> list[np.ndarray]:
    """Some games of a batch of `games` for each of `seats`: every one, all but the first,
    or all in reverse order, in turn."""
    every = np.arange(games)
    return [(every, every[1:], every[::-1])[n % 3] for n in range(len(seats))]


EVERYTHING = (Reads(None, None, None, True, True, True, ()),
              Reads(None, (), None, False, False, False, (), like_me=("tokens", "output")))
"""Keys that read every column `key_columns` makes (the second: every other's stat and the
"like me" guesses at two stats)."""


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_sights_of_seats_of_one_role_are_each_seats_sights_moved(path):
    """`seats_sights` of the seats of one role with the same roles around them, each on
    some games of a batch, holds in each (seat, game) row what the seat's `sights` holds for
    the game, the seat's columns moved first, bit for bit; and a key's columns made from it
    are the seat's own but for its employment (what `seat_keys` shares across seats)."""
    game, states = decision_states(path)
    rules = game.rules
    for group in batches(states):
        batch = gather(rules, group)
        public, roles = public_now(rules, batch), batch.layout.roles
        alike = defaultdict(list)
        for seat, role in enumerate(roles):
            alike[role, roles[:seat] + roles[seat + 1:]].append(seat)
        for seats in alike.values():
            rows = _parts(seats, len(group))
            seen, table = seats_sights(rules, batch, seats, rows, public)
            at = 0
            for seat, games in zip(seats, rows):
                order = [seat, *(j for j in range(len(roles)) if j != seat)]
                assert table is layout_for(rules, tuple(roles[j] for j in order))
                _moved(seen, sights(rules, batch, seat, public), order, at, games)
                for reads in EVERYTHING:
                    alone = key_columns(reads, sights(rules, batch, seat, public), games,
                                        batch.layout)
                    both = key_columns(reads, seen, np.arange(at, at + len(games)), table)
                    assert np.array_equal(np.delete(alone, seat, axis=1), both[:, 1:])
                at += len(games)
            assert at == len(seen.score)


def _moved(seen: Sights, alone: Sights, order: list[int], at: int, games: np.ndarray) -> None:
    """Rows `at`... of `seen` are rows `games` of `alone`, its seats in `order`."""
    mine = np.arange(at, at + len(games))
    assert (seen.seat, seen.role, seen.turn) == (0, alone.role, alone.turn)
    assert np.array_equal(seen.employed[mine], alone.employed[games][:, order])
    assert np.array_equal(seen.policies[mine], alone.policies[games])
    assert list(seen.own) == list(alone.own)
    for sid in alone.own:
        assert seen.own[sid][mine].tobytes() == alone.own[sid][games].tobytes()
    assert seen.score[mine].tobytes() == alone.score[games].tobytes()
    assert np.array_equal(seen.rank[mine], alone.rank[games])
    assert list(seen.shown) == [(order.index(j), sid) for j, sid in alone.shown]
    for (j, sid), (values, mask) in alone.shown.items():
        moved = seen.shown[order.index(j), sid]
        assert moved[0][mine].tobytes() == values[games].tobytes()
        assert np.array_equal(moved[1][mine], mask[games])
