"""The hosted room's domain: joining, playing, timers, bot cover, the facilitator's controls,
resuming from the store, and what each seat may see. Time is passed in; nothing waits."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.server.protocol import ActMessage
from game.server.room import Room
from game.server.setup import room_source
from game.server.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "workshop" / "fixtures"
TINY_WORKSHOP = FIXTURES / "tiny-workshop.yaml"


@pytest.fixture
def room(tmp_path) -> Room:
    """A room of the tiny workshop (four tables, timers 60 s and 90 s), created at t=0."""
    source = room_source(str(TINY_WORKSHOP))
    return Room.create(source.loaded, Store(tmp_path / "room.db"), 0.0, grows=source.grows)


def test_a_person_joins_and_plays_their_own_seat(room):
    ticket = room.join("Ann", room.code, 1.0)
    state = room.player_state(ticket.secret, 2.0)
    assert (state.table_id, state.seat) == (ticket.table_id, ticket.seat)
    assert state.view.seat == ticket.seat and state.legal.must_act
    msg = ActMessage(turn=state.view.turn, phase=state.view.phase, **(
        {"levels": {}} if state.view.phase == "policy" else {"effort": {}}))
    version = room.act(ticket.secret, msg, 3.0)
    assert version > state.version
