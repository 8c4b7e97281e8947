"""No seat's view ever contains another seat's hidden values: checked by fuzzing.

Non-interference: changing everything another seat keeps private (its private stats, its
choices now and in the past) and every metric hidden from this seat's role must not change
this seat's view at all.
"""

from __future__ import annotations

import random

from game.engine.view import SeatView
from tests.engine.conftest import play_random

SENTINEL = 987654.25


def _perturb_secrets(game, state, viewer: int, rng: random.Random):
    """A copy of `state` with every secret hidden from `viewer` changed."""
    other = state.clone()
    other.history = [record.model_copy(deep=True) for record in other.history]
    role = other.seats[viewer].role
    from game.engine.env import global_env
    genv = global_env(game.rules, state)
    public = {sid for sid, f in game.rules.stat_public.items() if f(genv)}
    for seat in other.seats:
        if seat.index == viewer:
            continue
        for stat_id in seat.stats:
            if stat_id not in public:
                seat.stats[stat_id] = SENTINEL + rng.random()
        if seat.index in other.submitted:
            other.submitted[seat.index] = {k: v + 7 for k, v in other.submitted[seat.index].items()}
    for record in other.history:
        record.allocations = {k: ({b: p + 3 for b, p in v.items()} if k != viewer else v)
                              for k, v in record.allocations.items()}
        record.stats = {k: ({s: SENTINEL for s in v} if k != viewer else v)
                        for k, v in record.stats.items()}
    for m in game.scenario.metrics:
        if m.visibility_for(role).hidden:
            other.metrics[m.id] = m.min + (m.max - m.min) * rng.random()
            for record in other.history:
                record.metrics = {**record.metrics, m.id: m.max}
    return other


def _check(game, state, rng) -> None:
    if state.phase == "ended":
        return
    for seat in range(len(state.seats)):
        seen = game.view(state, seat).model_dump_json()
        perturbed = _perturb_secrets(game, state, seat, rng)
        assert game.view(perturbed, seat).model_dump_json() == seen, \
            f"seat {seat}'s view changed when only others' secrets changed"
        assert str(SENTINEL)[:6] not in seen


def test_views_leak_nothing_hidden_over_random_games(game):
    rng = random.Random(1)
    for seed in range(40):
        play_random(game, seed, on_state=lambda s: _check(game, s, rng))


def test_a_seat_never_sees_another_seats_current_choice(game):
    state = game.new_state(0)
    rng = random.Random(0)
    from tests.engine.conftest import random_action
    while not game.is_terminal(state):
        seat = game.to_act(state)[0]
        game.apply_inplace(state, random_action(game, state, seat, rng))
        for viewer in range(len(state.seats)):
            view: SeatView = game.view(state, viewer)
            if viewer != seat:
                assert view.own_choice is None or viewer in state.submitted
            for row in view.own_history:
                assert row.turn <= len(state.history)


def test_the_end_reveals_everything(game):
    state, _ = play_random(game, 2)
    view = game.view(state, 0)
    assert view.revealed
    assert all(m.value is not None for m in view.metrics)


def test_shared_and_memoised_views_equal_views_built_from_scratch(game):
    """`views` shares parts between seats and memoises parts on past turns; neither may
    change a thing: compare with single views, each of its own copy whose records are new
    objects (so nothing memoised or shared applies)."""
    from game.engine.view import views

    def fresh(state):
        copy = state.clone()
        copy.history = [record.model_copy(deep=True) for record in state.history]
        return copy

    def check(state):
        seats = list(range(len(state.seats)))
        shared = [v.model_dump_json() for v in views(game.rules, state, seats)]
        assert shared == [game.view(fresh(state), s).model_dump_json() for s in seats]

    for seed in range(3):
        play_random(game, seed, on_state=check)
