"""The hosted room's domain: joining, playing, timers, bot cover, the facilitator's controls,
resuming from the store, and what each seat may see. Time is passed in; nothing waits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.server.protocol import ActMessage, parse_facilitator
from game.server.room import Room, RoomError, RoomFull, StaleAction, UnknownSeat, clean_name
from game.server.setup import room_source
from game.server.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "workshop" / "fixtures"
TINY_WORKSHOP = FIXTURES / "tiny-workshop.yaml"
TINY = FIXTURES / "tiny.yaml"


def make_room(path: Path, source: Path = TINY_WORKSHOP) -> Room:
    """A new room of `source` stored at `path`, created at t=0."""
    src = room_source(str(source))
    return Room.create(src.loaded, Store(path), 0.0, grows=src.grows)


@pytest.fixture
def room(tmp_path) -> Room:
    """The tiny workshop: tables A (bot manager, Ana, a bot), B, C, D (a manager and two
    employees each); timers 60 s (policy) and 90 s (work)."""
    return make_room(tmp_path / "room.db")


def choice(room: Room, secret: str, now: float, **given) -> ActMessage:
    """A legal choice for the seat's current phase (keep the policies; all effort on work)."""
    view = room.player_state(secret, now).view
    if view.phase == "policy":
        return ActMessage(turn=view.turn, phase="policy", levels=given.get("levels", {}))
    return ActMessage(turn=view.turn, phase="work", effort=given.get("effort", {"work": 10}))


def table_of(room: Room, ticket):
    return room.tables[ticket.table_id]


# --- joining ---

def test_people_are_spread_over_the_tables_managers_first(room):
    tickets = [room.join(f"P{i}", room.code, 1.0) for i in range(5)]
    assert [(t.table_id, t.seat) for t in tickets] == [
        ("A", 1), ("B", 0), ("C", 0), ("D", 0), ("B", 1)]
    assert len({t.secret for t in tickets}) == 5


def test_a_full_room_says_so(room):
    for i in range(1 + 3 * 3):  # A has one human seat; B, C, D three each
        room.join(f"P{i}", room.code, 1.0)
    with pytest.raises(RoomFull, match="every seat"):
        room.join("Late", room.code, 2.0)


def test_a_wrong_room_code_is_refused_and_the_code_forgives_case_and_spaces(room):
    with pytest.raises(RoomError, match="no room with the code"):
        room.join("Ann", "ZZZZ", 1.0)
    assert room.join("Ann", f" {room.code.lower()} ", 1.0).table_id == "A"


def test_names_are_cleaned_and_bounded():
    assert clean_name("  Ann\x00\x1b[31m  Lee\u200b ") == "Ann[31m Lee"
    assert clean_name("x" * 40) == "x" * 40
    with pytest.raises(RoomError, match="at most 40"):
        clean_name("x" * 41)
    with pytest.raises(RoomError, match="type your name"):
        clean_name("\x07 \t")


def test_rejoin_gives_the_same_seat_and_no_new_one(room):
    ticket = room.join("Ann", room.code, 1.0)
    again = room.rejoin(ticket.secret, 2.0)
    assert (again.table_id, again.seat, again.person) == (ticket.table_id, ticket.seat, "Ann")
    assert room.status(2.0).people == 1
    assert room.rejoin(ticket.secret).seat == ticket.seat  # `now` defaults to the wall clock
    assert room.rejoin("not a secret", 2.0) is None
    with pytest.raises(UnknownSeat):
        room.player_state("not a secret", 2.0)


# --- acting ---

def test_a_stale_message_is_refused_and_changes_nothing(room):
    ticket = room.join("Ann", room.code, 1.0)  # table A: the bot manager has chosen already
    table = table_of(room, ticket)
    assert table.state.phase == "work"
    before = (table.version, table.state.state_hash())
    for turn, phase in ((1, "policy"), (2, "work")):
        with pytest.raises(StaleAction, match="it is now the work phase of week 1"):
            room.act(ticket.secret, ActMessage(turn=turn, phase=phase), 2.0)
    assert (table.version, table.state.state_hash()) == before


def test_an_illegal_choice_is_refused_with_the_engines_reason_and_changes_nothing(room):
    ticket = room.join("Ann", room.code, 1.0)
    table = table_of(room, ticket)
    before = (table.version, table.state.state_hash(), len(room.store.log("A")))
    for effort, reason in (({"work": 11}, "at most 10"), ({"fly": 1}, "unknown behaviour")):
        with pytest.raises(RoomError, match=reason):
            room.act(ticket.secret, ActMessage(turn=1, phase="work", effort=effort), 2.0)
    for wrong in ({"levels": {"leaderboard": 0}}, {"numbers": {"price": 1.0}}):
        with pytest.raises(RoomError):  # policy levels in the work phase; unknown numbers
            room.act(ticket.secret, ActMessage(turn=1, phase="work", **wrong), 2.0)
    assert (table.version, table.state.state_hash(), len(room.store.log("A"))) == before


def test_the_seat_comes_from_the_secret(room):
    ann = room.join("Ann", room.code, 1.0)   # A seat 1
    bob = room.join("Bob", room.code, 1.0)   # B seat 0, the manager
    room.act(bob.secret, choice(room, bob.secret, 2.0), 2.0)
    assert room.tables["B"].state.phase == "work"  # Bob's policy choice closed B's phase
    assert room.tables["A"].state.submitted.get(1) is None  # nothing happened to Ann's seat
    assert room.player_state(ann.secret, 2.0).seat == 1


def test_a_whole_table_played_to_the_end_shows_the_reveal_and_the_debrief(room):
    ann = room.join("Ann", room.code, 1.0)
    now = 1.0
    while not room.player_state(ann.secret, now).ended:
        now += 1.0
        room.act(ann.secret, choice(room, ann.secret, now), now)
    state = room.player_state(ann.secret, now)
    assert state.view.revealed and state.summary is None and state.summary_pending
    room.prepare_results()  # the host does this outside its lock (see test_results)
    state = room.player_state(ann.secret, now)
    assert state.summary is not None and not state.summary_pending
    assert state.summary.table_id == "A" and state.summary.finished
    results = room.results()
    assert [r.table.id for r in results] == ["A"] and results[0].finished
    assert [s.table_id for s in room.debrief().summaries] == ["A"]
    with pytest.raises(RoomError, match="over"):
        room.act(ann.secret, ActMessage(turn=4, phase="work"), now)


# --- timers and bots ---

def test_a_silent_seat_is_played_by_its_bot_and_handed_back_on_return(room):
    ann = room.join("Ann", room.code, 1.0)  # A, work phase, 90 s from t=1
    table = table_of(room, ann)
    assert room.tick(90.0) == [] and table.state.turn == 1
    assert room.tick(91.5) == ["A"]
    assert (table.state.turn, table.state.phase) == (2, "work")  # a bot chose for Ann
    status = room.status(92.0).table("A").seats[1]
    assert status.covered_by_bot and status.person == "Ann" and status.strategy
    assert room.player_state(ann.secret, 92.0).covered_by_bot
    assert room.tick(180.0) == []  # with nobody at the table, her bot waits for the timer
    assert room.tick(182.0) == ["A"] and table.state.turn == 3
    room.rejoin(ann.secret, 183.0)
    assert not room.status(183.0).table("A").seats[1].covered_by_bot
    assert room.tick(271.0) == [] and table.state.turn == 3 and table.state.phase == "work"


def test_the_bots_of_a_table_wait_for_its_first_person(room):
    assert all(t.state.phase == "policy" for t in room.tables.values())
    room.tick(10_000.0)  # nobody has sat down: no timer runs, no bot plays
    assert all(t.state.turn == 1 and t.state.phase == "policy" for t in room.tables.values())
    room.join("Bob", room.code, 10_001.0)  # table A: its bot manager chooses at once
    assert room.tables["A"].state.phase == "work"


def test_pause_stops_the_clock_and_the_choices_and_resume_restarts_them(room):
    ann = room.join("Ann", room.code, 0.0)
    room.pause(None, 30.0)
    assert room.status(31.0).paused and room.status(31.0).table("A").seconds_left == 60.0
    assert room.tick(500.0) == []
    with pytest.raises(RoomError, match="paused"):
        room.act(ann.secret, choice(room, ann.secret, 500.0), 500.0)
    room.resume(None, 500.0)
    assert room.status(510.0).table("A").seconds_left == 50.0
    room.extend("A", 30, 510.0)
    assert room.status(510.0).table("A").seconds_left == 80.0
    assert room.tick(589.0) == [] and room.tick(591.0) == ["A"]


def test_inject_fires_an_event_logged_and_seen_in_the_news(room):
    ann = room.join("Ann", room.code, 1.0)
    room.inject("A", "outage", 2.0)
    assert "Production is down" in [h.headline for h in
                                    room.player_state(ann.secret, 2.0).view.news]
    with pytest.raises(RoomError, match="unknown event"):
        room.inject("A", "nope", 2.0)
    with pytest.raises(RoomError, match="no table 'Z'"):
        room.inject("Z", "outage", 2.0)


def test_a_seat_given_to_a_bot_is_no_longer_its_persons(room):
    room.join("Ann", room.code, 1.0)
    bob = room.join("Bob", room.code, 1.0)  # table B's manager
    room.give_to_bot("B", 0, 2.0, strategy="outcome")
    assert room.rejoin(bob.secret, 3.0) is None
    with pytest.raises(UnknownSeat):
        room.act(bob.secret, ActMessage(turn=1, phase="policy"), 3.0)
    seat = room.status(3.0).table("B").seats[0]
    assert (seat.player, seat.strategy) == ("bot", "outcome")
    assert room.tables["B"].state.phase == "work"  # the bot chose at once
    with pytest.raises(RoomError, match="unknown strategy"):
        room.give_to_bot("B", 1, 3.0, strategy="telepath")


def test_a_table_whose_every_seat_is_given_to_bots_plays_by_itself(room):
    for seat in range(3):
        assert room.tables["C"].state.turn == 1
        room.give_to_bot("C", seat, 1.0)
    assert room.tables["C"].ended and room.status(2.0).table("C").ended


def test_a_late_arrival_code_takes_its_seat_once(room):
    ann = room.join("Ann", room.code, 1.0)
    code = room.give_to_person("A", 1, 2.0)
    assert room.status(2.0).table("A").seats[1].code_pending
    assert room.rejoin(ann.secret, 3.0) is not None  # Ann plays on until the code is used
    late = room.join("Lee", code, 4.0)
    assert (late.table_id, late.seat) == ("A", 1)
    assert room.rejoin(ann.secret, 5.0) is None
    with pytest.raises(RoomError, match="no room with the code"):
        room.join("Again", code, 6.0)


def test_an_ended_table_refuses_choices_and_keeps_its_result(room):
    ann = room.join("Ann", room.code, 1.0)
    room.end_table("A", 2.0)
    room.prepare_results()
    state = room.player_state(ann.secret, 3.0)
    assert state.ended and state.summary is not None and not state.summary.finished
    with pytest.raises(RoomError, match="over"):
        room.act(ann.secret, ActMessage(turn=1, phase="work"), 3.0)
    assert room.status(3.0).table("A").ended_early


def test_facilitator_messages_are_carried_out(room):
    room.join("Ann", room.code, 1.0)
    room.apply_op(parse_facilitator({"type": "pause", "table": "A"}), 2.0)
    assert room.status(2.0).table("A").paused
    code = room.apply_op(parse_facilitator('{"type": "give_to_person", "table": "B", '
                                           '"seat": 1}'), 2.0)
    assert isinstance(code, str) and len(code) == 6


# --- resuming ---

def test_a_reopened_room_has_the_same_games_seats_and_secrets(tmp_path):
    path = tmp_path / "room.db"
    room = make_room(path)
    ann, bob = room.join("Ann", room.code, 1.0), room.join("Bob", room.code, 1.0)
    now = 2.0
    for _ in range(3):
        for ticket in (ann, bob):
            now += 1.0
            if room.player_state(ticket.secret, now).legal.must_act:
                room.act(ticket.secret, choice(room, ticket.secret, now), now)
    room.tick(now + 500.0)  # bots cover the seats nobody holds
    room.pause("C", now + 501.0)
    room.end_table("B", now + 501.0)
    code = room.give_to_person("D", 2, now + 502.0)

    def kept(r: Room) -> dict:
        return {tid: (t.state.state_hash(), t.version, [c.__dict__ for c in t.claims],
                      t.paused, t.started, t.ended_early) for tid, t in r.tables.items()}
    before = kept(room)
    assert [v[3:] for v in before.values()] == [
        (False, True, False), (False, True, True), (True, False, False), (False, False, False)]
    room.store.close()
    again = Room.open(Store(path), now + 600.0)
    assert kept(again) == before
    assert again.code == room.code and again.facilitator_token is None
    assert again.check_facilitator(room.facilitator_token)
    assert again.player_state(ann.secret, now + 601.0).seat == ann.seat
    assert again.join("Lee", code, now + 602.0).seat == 2


# --- what a seat may see ---

def test_a_seats_state_shows_nothing_of_another_seats_choice_or_hidden_values(room):
    people = [room.join(f"P{i}", room.code, 1.0) for i in range(5)]
    bob, eve = people[1], people[4]  # B: the manager, and employee 1
    room.act(bob.secret, choice(room, bob.secret, 2.0), 2.0)
    mate = room.join("Kim", room.code, 2.0)  # B seat 2, the other employee
    before = room.player_state(mate.secret, 3.0).model_dump(mode="json")
    room.act(eve.secret, choice(room, eve.secret, 3.0, effort={"farm": 7, "work": 3}), 3.0)
    after = room.player_state(mate.secret, 4.0).model_dump(mode="json")
    for state in (before, after):  # the same but for who is still to choose
        state["version"] = state["view"]["waiting_for"] = state["seconds_left"] = None
    assert after == before
    text = room.player_state(mate.secret, 4.0).model_dump_json()
    view = json.loads(text)["view"]
    hidden = next(m for m in view["metrics"] if m["id"] == "secret")
    assert hidden["value"] is None and not any(v is not None for v in hidden["history"])
    assert "slop" not in view["own_stats"] and view["own_choice"] is None
    assert all("output" not in o["stats"] for o in view["others"])
    table = room.tables["B"]
    for secret in (table.spec.secret, bob.secret, eve.secret, room.facilitator_token):
        assert secret not in text


def test_the_room_status_holds_no_secret_or_code(room):
    ann = room.join("Ann", room.code, 1.0)
    code = room.give_to_person("B", 0, 2.0)
    text = room.status(3.0).model_dump_json()
    for secret in (ann.secret, code, room.facilitator_token, room.tables["A"].spec.secret):
        assert secret not in text


# --- a room from a bare scenario ---

def test_a_scenario_room_fills_a_table_then_opens_the_next(tmp_path):
    room = make_room(tmp_path / "room.db", TINY)
    assert room.grows and list(room.tables) == ["1"]
    tickets = [room.join(f"P{i}", room.code, 1.0) for i in range(4)]
    assert [(t.table_id, t.seat) for t in tickets] == [("1", 0), ("1", 1), ("1", 2), ("2", 0)]
    assert room.status(1.0).table("2").seconds_left == 120.0
    room.store.close()
    again = Room.open(Store(tmp_path / "room.db"), 3.0)
    assert list(again.tables) == ["1", "2"]
    assert again.join("P4", room.code, 4.0).table_id == "2"


def test_open_seats_are_covered_past_their_timer_and_taken_by_newcomers(room):
    for i in range(4):  # A1, then each table's manager (B0, C0, D0)
        room.join(f"P{i}", room.code, 0.0)
    kim = room.join("Kim", room.code, 0.0)
    assert (kim.table_id, kim.seat) == ("B", 1)
    status = room.status(0.0)  # A is in its work phase already (its manager is a bot)
    assert (status.people, status.open_seats, status.seconds_left) == (5, 5, 90.0)
    b = room.tables["B"]
    room.tick(61.0)  # B's policy phase times out: a bot covers its silent manager...
    assert b.claims[0].covered and b.state.phase == "work"
    room.tick(152.0)  # ...and the open seat 2 and Kim when the work phase times out
    assert b.claims[2].covered and b.claims[2].player == "open"
    room.rejoin(kim.secret, 153.0)
    assert (b.state.turn, b.state.phase) == (2, "work")  # the covers played turn 2's policy
    late = room.join("Lee", room.code, 153.0)
    assert (late.table_id, late.seat) == ("C", 1)
    room.give_to_bot("B", 2, 154.0)
    assert room.status(154.0).open_seats == 3  # C2, D1, D2


def test_extending_an_ended_table_is_refused_in_one_line(room):
    room.join("Ann", room.code, 1.0)
    room.end_table("A", 2.0)
    logged = len(room.store.log("A"))
    with pytest.raises(RoomError, match="game is over; there is no timer to extend"):
        room.extend("A", 60, 3.0)
    assert len(room.store.log("A")) == logged
