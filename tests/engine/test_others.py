"""The other seats as a view shows them: built plain once per state (game.engine.others) and
exported as pydantic `OtherSeat`s that the views of a state share, kept only while the plain
seat they were exported from is kept (its shown stats the very same values)."""

from __future__ import annotations

from pathlib import Path

from game.engine.others import outside
from game.engine.past import past_of
from game.engine.view import _public_stats, views
from tests.engine.conftest import load, play_random

TINY = Path(__file__).parent / "tiny.yaml"


def _ended():
    game = load(TINY)
    state, _ = play_random(game, 3)
    assert state.phase == "ended"
    return game, state


def test_the_views_of_a_state_share_each_other_seat_exported_from_its_plain_one():
    game, state = _ended()
    seats = range(len(state.seats))
    seen = views(game.rules, state, seats)
    past = past_of(game.rules, state.noise_key, state.history)
    plain = outside(past, state.seats, _public_stats(game.rules, state, True))
    for view in seen:
        assert [tuple(o.model_dump().values()) for o in view.others] == \
            [tuple(o) for o in plain if o.index != view.seat]
    exported = {}
    for view in seen:
        for o in view.others:
            assert exported.setdefault(o.index, o) is o
    assert set(exported) == set(seats)


def test_an_other_seat_shows_a_stat_changed_since_the_last_views_of_the_state():
    """Exports are kept by the plain seat they came from: a seat whose shown stat is now
    another value is exported afresh, never shown as it was."""
    game, state = _ended()
    before = {o.index: o for o in views(game.rules, state, [0])[0].others}
    changed = state.seats[1]
    sid = next(iter(before[1].stats))
    changed.stats[sid] = before[1].stats[sid] + 1.5
    after = {o.index: o for o in views(game.rules, state, [0])[0].others}
    assert after[1].stats[sid] == before[1].stats[sid] + 1.5
    assert all(after[i] is before[i] for i in before if i != 1)
