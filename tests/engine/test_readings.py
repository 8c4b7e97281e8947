"""Metric readings: plain `Reading`s inside the engine (game.engine.readings), exported by
views as pydantic `MetricReading`s of the same fields, built once per past and shared."""

from __future__ import annotations

from game.engine.past import past_of
from game.engine.readings import MetricReading, Reading, seat_readings, sights_of
from game.engine.view import views
from tests.conftest import SCENARIOS
from tests.engine.conftest import load, play_random


def test_a_view_exports_its_roles_plain_readings_field_for_field_and_shares_them():
    """Mid-game tokenmaxxing (live, lagged, noisy and hidden metrics): every seat's view
    shows its role's plain readings, field for field, and the views of seats of one role
    share each exported reading (as they share the plain ones)."""
    game = load(SCENARIOS / "tokenmaxxing.yaml")
    seen = []
    play_random(game, 5, lambda state: seen.append(state.clone()) if state.turn == 4 else None)
    state = seen[0]
    rules = game.rules
    assert Reading._fields == tuple(MetricReading.model_fields)
    past = past_of(rules, state.noise_key, state.history)
    by_role: dict[str, list] = {}
    notes: set[str] = set()
    for view in views(rules, state, range(len(state.seats))):
        plain = seat_readings(past, sights_of(rules)[view.role, False])
        assert [tuple(r.model_dump().values()) for r in view.metrics] == [tuple(r) for r in plain]
        notes |= {r.note for r in view.metrics}
        by_role.setdefault(view.role, []).append(view.metrics)
    assert notes >= {"live", "1 turn behind", "estimate", "hidden until the end"}
    assert any(len(shown) > 1 for shown in by_role.values())
    for shown in by_role.values():
        assert all(a is b for other in shown[1:] for a, b in zip(shown[0], other))
