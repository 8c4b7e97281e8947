"""The facilitator's controls as logic: timers, time-out choices, injected events, projector."""

from __future__ import annotations

import pytest

from game.engine import Allocate, Game, SetPolicies
from game.engine.save import Session, replay
from game.workshop.facilitator import (Countdown, even_split, inject, injectable_events,
                                       projector_view, timeout_action)
from game.workshop.result import build_result
from game.workshop.tables import start_session


def test_a_countdown_runs_out_once_and_stands_still_while_paused():
    clock = Countdown(3)
    assert not clock.tick(1.0) and clock.label() == "0:02"
    clock.paused = True
    assert not clock.tick(10.0) and clock.remaining == pytest.approx(2.0)
    clock.paused = False
    assert clock.tick(2.5) is True
    assert clock.tick(1.0) is False
    assert not Countdown(0).enabled and not Countdown(0).tick(5)


@pytest.fixture
def session(tiny_workshop):
    return start_session(tiny_workshop, "C")[0]


def _to_work_phase(session: Session) -> None:
    manager = session.game.to_act(session.state)[0]
    session.act(timeout_action(session.game, session.state, manager))


def test_time_out_in_the_policy_phase_keeps_the_policies(session):
    action = timeout_action(session.game, session.state, 0)
    assert action == SetPolicies(seat=0, levels={"leaderboard": 0, "outcomes": 2})


def test_time_out_submits_the_draft_when_it_is_legal(session):
    _to_work_phase(session)
    draft = Allocate(seat=1, effort={"work": 7, "farm": 3})
    assert timeout_action(session.game, session.state, 1, draft) == draft


def test_time_out_on_the_first_turn_without_a_legal_draft_splits_evenly(session):
    _to_work_phase(session)
    too_much = Allocate(seat=1, effort={"work": 70})
    action = timeout_action(session.game, session.state, 1, too_much)
    assert action == Allocate(seat=1, effort={"work": 5, "farm": 5})
    legal = session.game.legal_actions(session.state, 1)
    assert sum(even_split(legal).effort.values()) == legal.effort


def test_time_out_later_repeats_the_previous_turn(session):
    _to_work_phase(session)
    session.act(Allocate(seat=1, effort={"work": 8, "farm": 2}))
    session.act(Allocate(seat=2, effort={"farm": 10}))
    _to_work_phase(session)
    assert timeout_action(session.game, session.state, 1) == \
        Allocate(seat=1, effort={"work": 8, "farm": 2})


def test_an_injected_event_is_news_now_and_replays(session):
    assert injectable_events(session.game.scenario) == [("outage", "Production is down")]
    headline = inject(session, "outage")
    assert headline.injected and headline.headline == "Production is down"
    assert session.state.metrics["quality"] < 50
    again = replay(session.game, session.to_save())
    assert again.state_hash() == session.state.state_hash()
    while not session.game.is_terminal(session.state):
        seat = session.game.to_act(session.state)[0]
        session.act(timeout_action(session.game, session.state, seat))
    events = build_result(session).events
    assert [(e.event, e.injected) for e in events][:1] == [("outage", True)]


def test_the_projector_shows_only_what_every_seat_sees_alike(tiny_workshop):
    session = start_session(tiny_workshop, "A", fill={})[0]
    game: Game = session.game
    while session.state.turn < 3:
        seat = game.to_act(session.state)[0]
        session.act(timeout_action(game, session.state, seat))
    board = projector_view(game, session.state)
    assert board.turn == 3 and board.phase == "policy"
    assert board.policies == ["Token leaderboard (locked)"]
    assert [m.id for m in board.metrics] == ["tokens_burned"]   # quality is lagged for
    # employees, secret is hidden, rumour is noisy: none of them is public
    assert set(board.leaderboards) == {"employee"}
    assert board.waiting_for == ["Mo"]
    text = repr(board)
    for seat in session.state.seats:
        for stat in seat.stats:
            assert f"'{stat}'" not in text
    assert "allocations" not in text and "submitted" not in text
