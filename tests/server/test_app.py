"""The web layer of `goodhart host`: joining, playing over the socket, reconnecting, and every
way a page can be refused (another seat, bad, oversized, too many or cross-site messages).
Pages go through Starlette's TestClient, sockets through the app served by uvicorn in a
thread. The room runs on a clock the tests move by hand."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path

import httpx
import websockets
from websockets.sync.client import connect as connect_socket

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from game.server.app import create_app
from game.server.player_socket import MAX_MESSAGE
from game.server.room import Room
from game.server.room_host import RoomHost
from game.server.serve import Serving, listen
from game.server.setup import room_source
from game.server.store import Store

WORKSHOP = """\
title: Web test room
scenario: tokenmaxxing
timers: {policy: 60, work: 90}
tables:
  - id: A
    name: Table A
    seed: 7
    seats:
      - {role: manager, name: Boss}
      - {role: employee, name: Eve}
      - {role: employee, player: bot}
      - {role: employee, player: "bot:gamer"}
"""


class Clock:
    """A clock the test moves: `clock()` is now."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def room(tmp_path: Path, clock: Clock) -> Room:
    """Table A of the tokenmaxxing scenario: a manager and an employee for people, two bots."""
    path = tmp_path / "room.yaml"
    path.write_text(WORKSHOP, encoding="utf-8")
    made = room_source(str(path))
    return Room.create(made.loaded, Store(tmp_path / "room.sqlite"), clock(), grows=made.grows)


@pytest.fixture
def app(room: Room, clock: Clock):
    return create_app(RoomHost(room, clock), tick_every=None)


class LiveSocket:
    """A socket to the live server, read and written like TestClient's."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def receive_json(self) -> dict:
        try:
            return json.loads(self.conn.recv(timeout=10))
        except websockets.ConnectionClosed as err:
            raise WebSocketDisconnect(code=err.rcvd.code if err.rcvd else 1006) from None

    def send_text(self, text: str) -> None:
        self.conn.send(text)

    def send_bytes(self, data: bytes) -> None:
        self.conn.send(data)


class LiveBrowser:
    """A browser on the live server: its cookies, its form posts, its sockets."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, headers={"Origin": base}, timeout=10)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.http.post(path, **kwargs)

    @contextlib.contextmanager
    def websocket_connect(self, path: str, headers: dict | None = None):
        sent = {"Origin": self.base, **(headers or {})}
        if self.http.cookies.get("goodhart_seat"):
            sent["Cookie"] = f"goodhart_seat={self.http.cookies['goodhart_seat']}"
        try:
            conn = connect_socket("ws" + self.base[4:] + path, additional_headers=sent,
                                  open_timeout=10)
        except websockets.InvalidStatus as err:
            raise WebSocketDisconnect(code=err.response.status_code) from None
        with conn:
            yield LiveSocket(conn)


@contextlib.contextmanager
def served(app):
    """`app` served by uvicorn on 127.0.0.1 in a thread (one event loop for every socket, as
    in the real host; TestClient gives each socket a loop of its own, and a push from one
    socket's handler to another's page can then hang); its base address."""
    sock = listen("127.0.0.1", 0)
    serving = Serving(app, sock)
    thread = threading.Thread(target=serving.run, daemon=True)
    thread.start()
    serving.started.wait(10)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        serving.stop()
        thread.join(10)


@pytest.fixture
def live(app):
    """The test room's app on a live server: its base address."""
    with served(app) as base:
        yield base


def bare_room_app(tmp_path: Path, clock: Clock) -> tuple[Room, object]:
    """A bare scenario's room (a new table whenever one is full) and its app."""
    made = room_source("tokenmaxxing")
    room = Room.create(made.loaded, Store(tmp_path / "bare.sqlite"), clock(), grows=made.grows)
    return room, create_app(RoomHost(room, clock), tick_every=None)


def joined(app, room: Room, name: str):
    """A browser that has joined the room as `name` (its seat's cookie kept): a TestClient,
    or a LiveBrowser when `app` is the live server's address."""
    client = LiveBrowser(app) if isinstance(app, str) else TestClient(app)
    reply = client.post("/join", data={"name": name, "code": room.code}, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/play"
    return client


def state_of(ws) -> dict:
    """The next `state` message (acks and pongs before it are skipped)."""
    while True:
        msg = ws.receive_json()
        assert msg["type"] != "error", msg
        if msg["type"] == "state":
            return msg


def reply_of(ws) -> dict:
    """The next message that is not a `state` push (an ack, a pong or an error)."""
    while True:
        msg = ws.receive_json()
        if msg["type"] != "state":
            return msg


def act_message(state: dict, **choice) -> str:
    view = state["view"]
    return json.dumps({"type": "act", "turn": view["turn"], "phase": view["phase"], **choice})


# --- joining and the pages ---

def test_joining_keeps_the_seat_in_an_httponly_strict_cookie_not_the_address(app, room):
    client = TestClient(app)
    reply = client.post("/join", data={"name": "Ana", "code": room.code.lower()},
                        follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/play"
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    secret = cookie.split(";")[0].split("=", 1)[1]
    page = client.get("/play")
    assert page.status_code == 200 and secret not in page.text
    assert "/static/player.js" in page.text


def test_every_page_carries_a_script_policy_without_inline_script_and_cannot_be_framed(app):
    reply = TestClient(app).get("/")
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["x-content-type-options"] == "nosniff"


def test_a_wrong_code_is_one_line_on_the_join_page_and_no_seat(app, room, clock):
    client = TestClient(app)
    reply = client.post("/join", data={"name": "Ana", "code": "ZZZZ"}, follow_redirects=False)
    assert reply.status_code == 400 and "set-cookie" not in reply.headers
    assert "No room with the code" in reply.text
    assert room.status(clock()).people == 0


def test_names_are_escaped_in_pages(app, room):
    name = '<script>alert("x")</script>'
    reply = TestClient(app).post("/join", data={"name": name, "code": "nope"})
    assert "<script>alert" not in reply.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in reply.text


def test_the_code_in_the_address_fills_in_the_join_form_escaped(app):
    page = TestClient(app).get("/?code=AB%22%3E%3Cx").text
    assert 'value="AB&#34;&gt;&lt;x"' in page


def test_a_name_too_long_is_refused_in_words(app):
    reply = TestClient(app).post("/join", data={"name": "x" * 41, "code": "ABCD"})
    assert reply.status_code == 400 and "at most 40 characters" in reply.text


@pytest.mark.parametrize("body", ["name=" + "x" * 20000 + "&code=AB", "&".join(["a=1"] * 30)])
def test_an_oversized_form_is_refused_in_words(app, body):
    reply = TestClient(app).post("/join", content=body, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 413 and "too large" in reply.text


def test_the_play_page_without_a_seat_goes_to_the_join_page(app):
    reply = TestClient(app).get("/play", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/"


def test_the_join_address_typed_by_hand_leads_to_the_join_page(app):
    reply = TestClient(app).get("/join", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/"


def test_an_unknown_address_is_one_line_not_a_traceback(app):
    reply = TestClient(app).get("/nothing/here")
    assert reply.status_code == 404 and "There is no page at this address" in reply.text


def test_the_browsers_icon_is_served_and_linked(app):
    client = TestClient(app)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    assert 'rel="icon"' in client.get("/").text


def test_a_request_the_framework_refuses_is_one_line_too(room, clock):
    from starlette.exceptions import HTTPException
    from starlette.routing import Route

    def too_large(request):
        raise HTTPException(413)

    client = TestClient(create_app(RoomHost(room, clock), [
        Route("/facilitator/big", too_large, methods=["POST"]),
        Route("/big", too_large, methods=["POST"])], tick_every=None))
    wrong_method = client.post("/play", content="x" * 100)
    assert wrong_method.status_code == 405 and "does not take that kind" in wrong_method.text
    assert "<html" in wrong_method.text
    page = client.post("/big", content="x")
    assert page.status_code == 413 and "too large; nothing was done" in page.text
    op = client.post("/facilitator/big", content="x")
    assert op.status_code == 413 and op.json()["type"] == "error"


def test_a_form_post_from_another_site_is_refused(app, room):
    reply = TestClient(app).post("/join", data={"name": "Ana", "code": room.code},
                                 headers={"Origin": "http://evil.example"},
                                 follow_redirects=False)
    assert reply.status_code == 403 and "set-cookie" not in reply.headers


def test_a_device_that_keeps_taking_seats_is_slowed_down(tmp_path, clock):
    room, app = bare_room_app(tmp_path, clock)
    client = TestClient(app)
    wrong = [client.post("/join", data={"name": "P", "code": "nope"}) for _ in range(12)]
    assert {r.status_code for r in wrong} == {400}          # a refused try costs nothing
    taken = [client.post("/join", data={"name": f"P{i}", "code": room.code},
                         follow_redirects=False).status_code for i in range(10)]
    assert taken == [303] * 8 + [429] * 2
    assert "joined too often" in client.post("/join", data={"name": "P", "code": room.code}).text
    clock.now += 6.0
    assert client.post("/join", data={"name": "P", "code": room.code},
                       follow_redirects=False).status_code == 303


def test_the_host_computer_itself_may_seat_many(tmp_path, clock):
    room, app = bare_room_app(tmp_path, clock)
    with served(app) as base:    # from 127.0.0.1, as a rehearsal or a bench joins
        client = LiveBrowser(base)
        taken = [client.post("/join", data={"name": f"P{i}", "code": room.code}).status_code
                 for i in range(12)]
    assert taken == [303] * 12


# --- playing over the socket ---

def test_a_week_is_played_over_the_socket(live, room):
    boss, eve = joined(live, room, "Boss"), joined(live, room, "Eve")
    with boss.websocket_connect("/ws") as b, eve.websocket_connect("/ws") as e:
        first = state_of(b)
        assert first["view"]["role"] == "manager" and first["view"]["phase"] == "policy"
        assert state_of(e)["legal"]["must_act"] is False
        b.send_text(act_message(first, levels={"token_leaderboard": 1}))
        assert reply_of(b)["type"] == "ack"
        work = state_of(e)
        while work["view"]["phase"] != "work":
            work = state_of(e)
        assert work["view"]["policies"]["token_leaderboard"] == 1
        e.send_text(act_message(work, effort={"handwork": 5, "busywork": 5}))
        ack = reply_of(e)
        assert ack["type"] == "ack"
        after = state_of(e)
        assert after["version"] >= ack["version"]
        assert after["view"]["turn"] == 2 and after["view"]["phase"] == "policy"
        chosen = after["view"]["own_history"][0]["choice"]
        assert {k: v for k, v in chosen.items() if v} == {"handwork": 5, "busywork": 5}


def test_a_refresh_comes_back_to_the_same_seat_without_a_new_one(live, room, clock):
    eve = joined(live, room, "Eve")
    with eve.websocket_connect("/ws") as ws:
        before = state_of(ws)
    with eve.websocket_connect("/ws") as ws:
        again = state_of(ws)
    assert (again["table_id"], again["seat"], again["person"]) == \
        (before["table_id"], before["seat"], "Eve")
    assert room.status(clock()).people == 1


def test_another_seats_socket_cannot_act_for_you(live, room):
    boss, eve = joined(live, room, "Boss"), joined(live, room, "Eve")
    with boss.websocket_connect("/ws") as b, eve.websocket_connect("/ws") as e:
        policy = state_of(b)
        state_of(e)
        e.send_text(act_message(policy, levels={"token_leaderboard": 1}))
        refused = reply_of(e)
        assert refused["type"] == "error"
        e.send_text(act_message(policy, levels={"token_leaderboard": 1}, seat=0))
        assert reply_of(e)["type"] == "error"
    with boss.websocket_connect("/ws") as b:
        mine = state_of(b)
    assert mine["view"]["own_choice"] is None and mine["legal"]["must_act"] is True
    assert mine["view"]["policies"]["token_leaderboard"] == 0


def test_one_seat_can_have_only_a_few_pages_open(live, room):
    eve = joined(live, room, "Eve")
    with eve.websocket_connect("/ws") as a, eve.websocket_connect("/ws") as b, \
            eve.websocket_connect("/ws") as c, eve.websocket_connect("/ws") as d:
        for ws in (a, b, c, d):
            state_of(ws)
        with eve.websocket_connect("/ws") as extra:
            assert "too many pages" in reply_of(extra)["message"]
            with pytest.raises(WebSocketDisconnect):
                extra.receive_json()


def test_a_socket_without_a_seat_is_told_to_join_and_closed(live):
    with LiveBrowser(live).websocket_connect("/ws") as ws:
        msg = ws.receive_json()
        assert msg["type"] == "error" and "join again" in msg["message"]
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401


def test_a_socket_from_another_site_is_refused(live, room):
    eve = joined(live, room, "Eve")
    with pytest.raises(WebSocketDisconnect) as closed:
        with eve.websocket_connect("/ws", headers={"Origin": "http://evil.example"}) as ws:
            ws.receive_json()
    assert closed.value.code == 403   # refused before the handshake completes


@pytest.mark.parametrize("frame, words", [
    ("not json at all", "invalid JSON"),
    ('{"type": "shout"}', "unknown message type"),
    ('{"type": "act", "turn": 1, "phase": "work", "effort": {"x": -3}}', "effort"),
    ('{"type": "ping", "extra": 1}', "extra"),
    ("x" * (MAX_MESSAGE + 1), "too long"),
])
def test_a_bad_message_gets_one_error_and_changes_nothing(live, room, frame, words):
    eve = joined(live, room, "Eve")
    with eve.websocket_connect("/ws") as ws:
        before = state_of(ws)
        ws.send_text(frame)
        msg = reply_of(ws)
        assert msg["type"] == "error" and words in msg["message"]
        assert "Traceback" not in msg["message"] and len(msg["message"].splitlines()) == 1
        ws.send_text(json.dumps({"type": "ping"}))
        assert state_of(ws)["version"] == before["version"]


def test_a_binary_frame_is_refused_in_words(live, room):
    with joined(live, room, "Eve").websocket_connect("/ws") as ws:
        state_of(ws)
        ws.send_bytes(b"\x00\x01")
        assert "text messages" in ws.receive_json()["message"]


def test_too_many_messages_at_once_are_refused(live, room):
    with joined(live, room, "Eve").websocket_connect("/ws") as ws:
        version = state_of(ws)["version"]
        for _ in range(40):  # the clock stands still: the burst of 15 is all there is
            ws.send_text(json.dumps({"type": "ping", "version": version}))
        replies = [ws.receive_json() for _ in range(40)]
    refused = [r for r in replies if r["type"] == "error"]
    assert len(refused) == 25 and all("Too many messages" in r["message"] for r in refused)
    assert [r["type"] for r in replies[:15]] == ["pong"] * 15


def test_the_rate_comes_back_as_time_passes(live, room, clock):
    with joined(live, room, "Eve").websocket_connect("/ws") as ws:
        version = state_of(ws)["version"]
        for _ in range(16):
            ws.send_text(json.dumps({"type": "ping", "version": version}))
        assert [ws.receive_json()["type"] for _ in range(16)][-1] == "error"
        clock.now += 1.0
        ws.send_text(json.dumps({"type": "ping", "version": version}))
        assert ws.receive_json()["type"] == "pong"


def test_a_stale_action_is_refused_with_the_turn_it_is_now(live, room):
    boss = joined(live, room, "Boss")
    with boss.websocket_connect("/ws") as b:
        policy = state_of(b)
        b.send_text(act_message(policy))
        assert reply_of(b)["type"] == "ack"
        b.send_text(act_message(policy))
        msg = reply_of(b)
    assert msg["type"] == "error" and "it is now" in msg["message"]
