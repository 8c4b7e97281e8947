"""No seat's view ever contains another seat's hidden values: checked by fuzzing.

Non-interference: changing everything another seat keeps private (its private stats, its
choices now and in the past) and every metric hidden from this seat's role must not change
this seat's view at all.
"""

from __future__ import annotations

import random

import pytest
from game.engine import Game, GameState
from game.engine.view import SeatView, views
from game.scenario.load import load_scenario
from game.scenario.model import Visibility
from tests.engine.conftest import play_random, random_action

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


def test_public_stats_are_decided_on_the_values_the_global_env_has(game):
    """`_public_stats` reads only the names its formulas read (see `_names_env`): they must
    have the values `global_env` gives them, and decide the same stats, in every state."""
    from game.engine.env import global_env
    from game.engine.view import _names_env, _public_stats, _publicity_of
    _kept, names, plain = _publicity_of(game.rules)

    def check(state):
        genv = global_env(game.rules, state)
        if plain:
            assert _names_env(game.rules, state, names) == {n: genv[n] for n in names}
        assert _public_stats(game.rules, state, False) == tuple(
            sid for sid, f in game.rules.stat_public.items() if f(genv))

    play_random(game, 3, check)


@pytest.mark.parametrize("formula", ["turn >= 3 and turns > 5", "headcount > 3",
                                     "turn > 2 or {metric} > 0"])
def test_public_stats_read_any_name_as_the_global_env_has_it(formula):
    """Publicity formulas that read the turn, a metric or an aggregate (see `_names_env`,
    and `global_env_for` for the aggregates) decide as over the whole global env."""
    from game.engine.env import global_env
    from game.engine.view import _public_stats
    scenario = load_scenario("tokenmaxxing")
    formula = formula.format(metric=scenario.metrics[0].id)
    stats = [st.model_copy(update={"public": formula}) if i % 2 else st
             for i, st in enumerate(scenario.stats)]
    game = Game(scenario.model_copy(update={"stats": stats}))

    def check(state):
        genv = global_env(game.rules, state)
        assert _public_stats(game.rules, state, False) == tuple(
            sid for sid, f in game.rules.stat_public.items() if f(genv))

    play_random(game, 4, check)


def test_a_hidden_metric_shows_nothing_for_every_turn_so_far(game):
    """Hidden readings are shared by every game of the rules (see `_hidden`)."""

    def check(state):
        for seat in range(len(state.seats)):
            for m in game.view(state, seat).metrics:
                if m.note == "hidden until the end" and state.phase != "ended":
                    assert m.value is None
                    assert m.history == (None,) * (len(state.history) + 1)

    for seed in range(2):
        play_random(game, seed, on_state=check)


def test_the_end_reveals_everything(game):
    state, _ = play_random(game, 2)
    view = game.view(state, 0)
    assert view.revealed
    assert all(m.value is not None for m in view.metrics)


def _fresh(state: GameState) -> GameState:
    """A copy of `state` whose records are new objects, so nothing memoised applies to it."""
    copy = state.clone()
    copy.history = [record.model_copy(deep=True) for record in state.history]
    return copy


def _seen_by_all(rules, state: GameState) -> list[str]:
    return [v.model_dump_json() for v in views(rules, state, range(len(state.seats)))]


def test_shared_and_memoised_views_equal_views_built_from_scratch(game):
    """`views` shares parts between seats and memoises parts on past turns; neither may
    change a thing: compare with single views, each of its own copy whose records are new
    objects (so nothing memoised or shared applies)."""

    def check(state):
        seats = list(range(len(state.seats)))
        shared = [v.model_dump_json() for v in views(game.rules, state, seats)]
        assert shared == [game.view(_fresh(state), s).model_dump_json() for s in seats]

    for seed in range(3):
        play_random(game, seed, on_state=check)


def test_memoised_views_do_not_depend_on_the_order_states_are_seen_in(game):
    states = []
    play_random(game, 4, on_state=lambda s: states.append(s.clone()))
    forward = [_seen_by_all(game.rules, s) for s in states]
    other_states = [_fresh(s) for s in states]
    assert [_seen_by_all(game.rules, s) for s in reversed(other_states)] == forward[::-1]


def _flagship_mid_game() -> tuple[Game, GameState]:
    """The flagship (noise, lag, hidden metrics, public stats) in the work phase of turn 4,
    with every memo of its views filled."""
    game = Game(load_scenario("tokenmaxxing"))
    state = game.new_state(3)
    rng = random.Random(3)
    while state.turn < 4 or state.phase != "work":
        game.apply_inplace(state, random_action(game, state, game.to_act(state)[0], rng))
        _seen_by_all(game.rules, state)
    return game, state


def test_memoised_views_depend_on_the_seed_the_rules_and_every_record():
    """States that share records but differ in the seed (noise), the rules (visibility), an
    earlier record or a seat's name must not be given each other's memoised parts."""
    game, state = _flagship_mid_game()
    seen = _seen_by_all(game.rules, state)
    reseeded = state.clone()
    reseeded.seed += 1
    metric = game.scenario.metrics[0]
    hidden = metric.model_copy(update={"visibility": {"default": Visibility(hidden=True)}})
    other_rules = Game(game.scenario.model_copy(
        update={"metrics": [hidden, *game.scenario.metrics[1:]]})).rules
    spliced = state.clone()
    first = spliced.history[0].model_copy(deep=True)
    first.allocations = {seat: {b: p + 1 for b, p in a.items()}
                         for seat, a in first.allocations.items()}
    first.metrics = {k: v + 1.0 for k, v in first.metrics.items()}
    spliced.history = [first, *state.history[1:]]
    renamed = state.clone()
    renamed.seats[2].name += " Jr."
    for rules, other in [(game.rules, reseeded), (other_rules, state), (game.rules, spliced),
                         (game.rules, renamed)]:
        assert _seen_by_all(game.rules, state) == seen  # its memos filled again
        memoised = _seen_by_all(rules, other)
        assert memoised != seen
        assert memoised == _seen_by_all(rules, _fresh(other))


def test_memoised_others_keep_the_sign_of_zero():
    """A public stat of 0.0 and one of -0.0 are equal as keys but not in JSON."""
    game, state = _flagship_mid_game()
    stat = next(iter(game.rules.stat_public))
    state.policies = {**state.policies, **{p.id: len(p.levels) - 1 for p in game.scenario.policies}}
    shown = []
    for zero in (0.0, -0.0):
        other = state.clone()
        other.seats[1].stats[stat] = zero
        shown.append(_seen_by_all(game.rules, other))
        assert shown[-1] == _seen_by_all(game.rules, _fresh(other))
    assert shown[0] != shown[1]


def test_others_kept_from_earlier_views_of_the_turn_show_what_the_seats_show_now():
    """The others are kept between views of one turn while they show the very same values:
    one changed in place (to -0.0, equal to 0.0 but dumped otherwise), a seat laid off or
    renamed, or a stat turned public must show, as in a view with nothing memoised."""
    game, state = _flagship_mid_game()
    stat = next(iter(game.rules.stat_public))
    levels = {p.id: len(p.levels) - 1 for p in game.scenario.policies}

    def zero(s):
        s.seats[1].stats[stat] = 0.0

    def minus_zero(s):
        s.seats[1].stats[stat] = -0.0

    def lay_off(s):
        s.seats[2].employed = False

    def rename(s):
        s.seats[3].name += " Jr."

    def publish(s):
        s.policies = {**s.policies, **levels}

    for change in (zero, publish, minus_zero, lay_off, rename):
        _seen_by_all(game.rules, state)
        change(state)
        assert _seen_by_all(game.rules, state) == _seen_by_all(game.rules, _fresh(state))


def test_changing_a_view_changes_no_other_view():
    """A caller may change the lists and dicts of the view it was given: none is shared
    with another view or with a later view of the same game."""
    game, state = _flagship_mid_game()
    seen = _seen_by_all(game.rules, state)
    for v in views(game.rules, state, range(len(state.seats))):
        for field in ("metrics", "own_history", "others", "news", "waiting_for"):
            getattr(v, field).clear()
        for rows in v.leaderboards.values():
            rows.clear()
        for field in ("policies", "own_stats", "leaderboards"):
            getattr(v, field).clear()
        if v.own_choice is not None:
            v.own_choice.clear()
    assert _seen_by_all(game.rules, state) == seen


def test_views_built_without_validation_equal_validated_ones():
    """Views and their parts are built from dicts without validation (`construct_from`):
    they must dump as a validated copy does (fields in order) and count every field as set,
    also after a field of one view is assigned."""
    game, state = _flagship_mid_game()
    built = views(game.rules, state, range(len(state.seats)))
    built[0].turn = built[0].turn
    for v in built:
        text = v.model_dump_json()
        assert SeatView.model_validate_json(text).model_dump_json() == text
        assert v.model_fields_set == set(SeatView.model_fields)
        for part in (*v.metrics, *v.own_history, *v.others):
            assert part.model_fields_set == set(type(part).model_fields)


def test_views_are_the_same_after_their_pasts_were_dropped():
    """Memoised pasts are dropped oldest first (see `past_of`); a game whose pasts went
    meanwhile sees the same as before, and a new turn grows from the rebuilt past."""
    from game.engine.past import _PASTS_LIMIT
    game, state = _flagship_mid_game()
    seen = _seen_by_all(game.rules, state)
    for seed in range(_PASTS_LIMIT + 1):
        _seen_by_all(game.rules, game.new_state(100 + seed))
    assert _seen_by_all(game.rules, state) == seen
    rng = random.Random(5)
    while state.turn == 4:
        game.apply_inplace(state, random_action(game, state, game.to_act(state)[0], rng))
    assert _seen_by_all(game.rules, state) == _seen_by_all(game.rules, _fresh(state))
