"""Hostile input against the whole app, in process (Starlette's TestClient): random JSON, wrong
types, huge strings, unicode, stale turns, other seats' indices, forged seat cookies, missing
or forged facilitator tokens. The server never answers 500 or shows a traceback, a refused
message never changes a table, and no facilitator route answers without the token.

Each test shares one room across its examples (the invariant is per message), so the
function-scoped fixture health check is switched off on purpose.
"""

from __future__ import annotations

import json
from urllib.parse import quote
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient, WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from game.server.app import create_app
from game.server.facilitator_routes import FACILITATOR_COOKIE, facilitator_routes
from game.server.player_socket import SEAT_COOKIE
from game.server.room import Room
from game.server.room_host import Connection, RoomHost
from game.server.setup import room_source
from game.server.store import Store
from tests.server.hosting import QUICK_WORKSHOP

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
FACILITATOR_PATHS = ["/facilitator", "/facilitator/status", "/facilitator/op", "/projector",
                     "/projector/status", "/projector/debrief", "/projector/slides/gap.png",
                     "/results", "/results/results.zip", "/results/table-A.json"]
PLAYER_PATHS = ["/", "/join", "/play", "/static/player.js", "/static/style.css",
                "/static/../app.py", "/nowhere", "/ws"]


@dataclass
class Ticking:
    """A clock that moves half a second each time it is read: the rate limit never bites
    unless a test freezes it (`step = 0`), and the phase timers never run out (no tick)."""

    now: float = 1.0
    step: float = 0.5

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@dataclass
class Served:
    """The quick room behind the real app: its two people's seat secrets and the token."""

    room: Room
    client: TestClient
    clock: Ticking
    token: str
    secrets: list[str] = field(default_factory=list)

    def snapshot(self) -> list:
        """Everything a message could change at any table: version, game, log, seats."""
        return [(t.id, t.version, t.state.state_hash(), len(self.room.store.log(t.id)),
                 [asdict(c) for c in t.claims], t.paused, t.ended)
                for t in self.room.tables.values()]

    def version(self) -> int:
        return self.room.table_version("A")


@pytest.fixture
def served(tmp_path) -> Iterator[Served]:
    """A fresh quick room (one table: two people, one bot), both people joined through
    `POST /join`; the client keeps no cookie."""
    source = room_source(str(QUICK_WORKSHOP))
    room = Room.create(source.loaded, Store(tmp_path / "room.db"), 0.0, grows=source.grows)
    clock = Ticking()
    app = create_app(RoomHost(room, clock=clock), facilitator_routes(), tick_every=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        served = Served(room, client, clock, room.facilitator_token)
        for name in ("Ann", "Bo"):
            answer = client.post("/join", data={"name": name, "code": room.code},
                                 follow_redirects=False)
            assert answer.status_code == 303, answer.text
            served.secrets.append(answer.cookies[SEAT_COOKIE])
            client.cookies.clear()
        yield served


def no_crash(answer) -> None:
    """The answer is not a server error and shows no traceback."""
    assert answer.status_code < 500, (answer.status_code, answer.text[:500])
    assert "Traceback" not in answer.text and 'File "' not in answer.text


# --- pages and forms -----------------------------------------------------------------------

def test_the_join_page_and_the_play_page_answer(served):
    assert served.client.get("/").status_code == 200
    answer = served.client.get("/play", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    served.client.cookies.set(SEAT_COOKIE, served.secrets[0])
    assert served.client.get("/play").status_code == 200


texts = st.text(max_size=60) | st.sampled_from(["", " ", "\x00", "é" * 50, "<b>x</b>", "🂡" * 30])
huge = st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", "🂡", "\u202e", "\n"]),
                 st.integers(1000, 30000))
long = st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", "🂡", "%", "&"]),
                 st.integers(200, 2000))
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@FUZZ
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
       path=st.sampled_from(PLAYER_PATHS + FACILITATOR_PATHS) | st.text(max_size=30).map(
           lambda s: "/" + quote(s, safe="/")),
       query=st.dictionaries(texts, texts | long, max_size=3),
       form=st.none() | st.dictionaries(st.sampled_from(["name", "code", "token", "seat"]) |
                                        texts, texts | huge, max_size=4),
       body=st.none() | st.binary(max_size=300),
       seat_cookie=st.none() | texts | huge, fac_cookie=st.none() | texts,
       bearer=st.none() | header_values, origin=st.none() | header_values)
def test_no_request_crashes_the_server_or_changes_a_table(served, method, path, query, form,
                                                           body, seat_cookie, fac_cookie,
                                                           bearer, origin):
    before = served.snapshot()
    headers = {}
    if bearer is not None:
        headers["authorization"] = f"Bearer {bearer}"
    if origin is not None:
        headers["origin"] = origin
    cookies = {k: v for k, v in ((SEAT_COOKIE, seat_cookie), (FACILITATOR_COOKIE, fac_cookie))
               if v is not None and v.isprintable() and ";" not in v}
    served.client.cookies.clear()
    for key, value in cookies.items():
        served.client.cookies.set(key, value.encode("utf-8", "replace").decode("latin-1"))
    try:
        answer = served.client.request(method, path, params=query, headers=headers,
                                       data=form if body is None else None,
                                       content=body, follow_redirects=False)
    except UnicodeEncodeError:
        return  # the client itself cannot send this header
    finally:
        served.client.cookies.clear()
    no_crash(answer)
    assert served.snapshot() == before
    if any(path.startswith(p) for p in ("/facilitator", "/projector", "/results")):
        assert answer.status_code in (403, 404, 405), (path, answer.status_code)
        assert served.room.code not in answer.text


@FUZZ
@given(name=texts | huge, code=texts | huge | st.just("CODE"))
def test_joining_a_full_room_is_refused_in_one_escaped_line(served, name, code):
    code = served.room.code if code == "CODE" else code
    before = served.snapshot()
    answer = served.client.post("/join", data={"name": name, "code": code},
                                follow_redirects=False)
    no_crash(answer)
    assert answer.status_code in (400, 413) and SEAT_COOKIE not in answer.cookies
    assert served.snapshot() == before
    assert "<b>x</b>" not in answer.text


def test_a_name_is_escaped_on_the_page_that_shows_it_back(served):
    answer = served.client.post("/join", data={"name": "<script>alert(1)</script>",
                                               "code": served.room.code})
    assert answer.status_code == 400
    assert "<script>alert(1)" not in answer.text and "&lt;script&gt;" in answer.text


def test_a_join_post_from_another_site_is_refused(served):
    before = served.snapshot()
    answer = served.client.post("/join", data={"name": "Eve", "code": served.room.code},
                                headers={"origin": "http://evil.example"})
    assert answer.status_code == 403 and served.snapshot() == before


# --- the player's socket ---------------------------------------------------------------------

def receive(session: WebSocketTestSession, seconds: float = 5.0) -> dict:
    """The next message the server sent, as JSON; fails after `seconds` (a test waiting for a
    message that never comes must not hang). Reads the TestClient's own queue."""
    async def next_message() -> dict:
        with anyio.fail_after(seconds):
            return await session._send_rx.receive()
    message = session.portal.call(next_message)
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000))
    return json.loads(message["text"])


@contextmanager
def open_seat(served: Served, secret: str) -> Iterator[WebSocketTestSession]:
    """A socket holding `secret`'s seat, past its first state; closed on leaving."""
    with served.client.websocket_connect("/ws", headers={
            "cookie": f"{SEAT_COOKIE}={secret}"}) as session:
        first = receive(session)
        assert first["type"] == "state", first
        yield session


def exchange(served: Served, session: WebSocketTestSession, frame: str | bytes) -> list[dict]:
    """Send `frame`, then a ping naming the version before it: the replies to the frame,
    read up to the ping's answer (a `pong` if nothing changed, else a state after the ack)."""
    version = served.version()
    if isinstance(frame, bytes):
        session.send_bytes(frame)
    else:
        session.send_text(frame)
    session.send_text(json.dumps({"type": "ping", "version": version}))
    replies = []
    while True:
        message = receive(session)
        replies.append(message)
        if message["type"] == "pong":
            return replies
        if any(r["type"] == "ack" for r in replies) and \
                sum(r["type"] == "state" for r in replies) == 2:
            return replies  # the push after the ack, then the ping's answer


def check_replies(replies: list[dict], before: list, served: Served) -> None:
    """Every reply is a known message with no traceback; without an ack nothing changed."""
    for reply in replies:
        assert reply["type"] in ("state", "error", "ack", "pong"), reply
        if reply["type"] == "error":
            text = reply["message"]
            assert text and "\n" not in text and "Traceback" not in text, text
    if not any(r["type"] == "ack" for r in replies):
        assert served.snapshot() == before, replies


ids = st.sampled_from(["leaderboard", "outcomes", "work", "farm", "seat", "__class__"]) | \
    st.text(max_size=70)
anything = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() |
                        st.text(max_size=20),
                        lambda inner: st.lists(inner, max_size=4) |
                        st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
numbers = st.integers(-10, 10) | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=5)
acts = st.fixed_dictionaries(
    {"type": st.sampled_from(["act", "ACT", "ping", "hello", "pause", ""])},
    optional={"turn": st.integers(-2, 4) | numbers | st.none(),
              "phase": st.sampled_from(["policy", "work", "ended", "news", "Policy"]) | texts,
              "levels": st.dictionaries(ids, numbers, max_size=4) | anything,
              "effort": st.dictionaries(ids, numbers, max_size=4) | anything,
              "numbers": st.dictionaries(ids, numbers, max_size=3) | anything,
              "seat": st.integers(-1, 5), "table": texts, "secret": texts,
              "version": numbers | st.none()})


def frames(served_secrets: list[str]) -> st.SearchStrategy:
    """Anything a hostile page could send over its socket."""
    return (acts.map(json.dumps) | anything.map(json.dumps) | st.text(max_size=200) |
            st.binary(max_size=200) | huge |
            st.builds(lambda d, n: json.dumps({**d, "pad": "é" * n}), acts, st.integers(1000, 6000)) |
            st.sampled_from([json.dumps({"type": "hello", "secret": s}) for s in served_secrets]))


@FUZZ
@given(data=st.data())
def test_no_socket_message_crashes_or_changes_a_table_when_refused(served, data):
    for secret in served.secrets:
        with open_seat(served, secret) as session:
            for _ in range(3):
                frame = data.draw(frames(served.secrets))
                before = served.snapshot()
                check_replies(exchange(served, session, frame), before, served)


@FUZZ
@given(turn=st.integers(-3, 6), phase=st.sampled_from(["policy", "work"]),
       seat=st.integers(0, 2))
def test_stale_turns_and_other_seats_indices_are_refused(served, turn, phase, seat):
    """A choice naming another seat, or another turn or phase than the table's, changes
    nothing; the seat always comes from the cookie."""
    state = served.room.tables["A"].state
    with open_seat(served, served.secrets[0]) as session:  # the manager: the policy phase
        before = served.snapshot()
        stale = (turn, phase) != (state.turn, state.phase)
        act = {"type": "act", "turn": turn, "phase": phase,
               "levels" if phase == "policy" else "effort": {}}
        replies = exchange(served, session, json.dumps({**act, "seat": seat}))
        check_replies(replies, before, served)
        assert served.snapshot() == before, "a message naming a seat must be refused"
        if stale:
            replies = exchange(served, session, json.dumps(act))
            check_replies(replies, before, served)
            assert served.snapshot() == before


class Recorder:
    """A page's socket that only keeps what the server sends it."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_text(self, data: str) -> None:
        self.sent.append(data)

    async def close(self, code: int = 1000) -> None:
        self.sent.append(f"closed {code}")


def test_the_other_seat_sees_nothing_of_a_refused_message(served):
    """The engineer's page (a recorder attached to the table, so no push crosses between
    the TestClient's per-socket event loops) gets nothing when the manager is refused."""
    host: RoomHost = served.client.app.state.host
    engineer = Recorder()
    host.attach(Connection(engineer, served.secrets[1], "A"))
    with open_seat(served, served.secrets[0]) as manager:
        engineer.sent.clear()  # the manager's arrival was pushed to the table
        version = served.version()
        replies = exchange(served, manager, json.dumps(
            {"type": "act", "turn": 1, "phase": "work", "effort": {"work": 10}}))
        kinds = [r["type"] for r in replies]
        assert "error" in kinds and "ack" not in kinds and served.version() == version
        assert engineer.sent == []


@FUZZ
@given(secret=texts | huge | st.text(st.characters(codec="ascii"), min_size=32, max_size=32),
       flip=st.integers(0, 31))
def test_a_forged_seat_cookie_gets_no_seat(served, secret, flip):
    """A made-up secret, or a real one with one character changed, is told to join again and
    the socket closes; no table changes."""
    real = served.secrets[0]
    forged = real[:flip] + ("A" if real[flip] != "A" else "B") + real[flip + 1:]
    for candidate in (secret, forged):
        cookie = "".join(c for c in candidate if c.isascii() and c.isprintable()
                         and c not in ";\\\"")
        before = served.snapshot()
        with served.client.websocket_connect("/ws", headers={
                "cookie": f"{SEAT_COOKIE}={cookie}"}) as session:
            first = receive(session)
            assert first["type"] == "error" and "join" in first["message"]
            with pytest.raises(WebSocketDisconnect):
                receive(session)
        assert served.snapshot() == before
        no_crash(served.client.get("/play", headers={"cookie": f"{SEAT_COOKIE}={cookie}"},
                                   follow_redirects=False))


def test_a_socket_opened_from_another_site_is_refused(served):
    with pytest.raises(WebSocketDisconnect):
        with served.client.websocket_connect("/ws", headers={
                "cookie": f"{SEAT_COOKIE}={served.secrets[0]}",
                "origin": "http://evil.example"}) as session:
            receive(session)


def test_a_flood_of_messages_is_slowed_down_and_changes_nothing(served):
    with open_seat(served, served.secrets[0]) as session:
        served.clock.step = 0.0  # time stands still: the bucket never refills
        before = served.snapshot()
        for _ in range(40):
            session.send_text(json.dumps({"type": "act", "turn": 9, "phase": "work"}))
        replies = [receive(session) for _ in range(40)]
        refused = [r for r in replies if r["type"] == "error" and "Too many" in r["message"]]
        assert refused, "40 messages at once must meet the rate limit"
        served.clock.step = 0.5
        assert served.snapshot() == before


def test_a_message_over_the_size_limit_gets_one_error(served):
    with open_seat(served, served.secrets[0]) as session:
        before = served.snapshot()
        replies = exchange(served, session, json.dumps({"type": "ping", "pad": "x" * 5000}))
        assert replies[0]["type"] == "error" and "too long" in replies[0]["message"]
        assert served.snapshot() == before


# --- the facilitator -------------------------------------------------------------------------

@FUZZ
@given(path=st.sampled_from(FACILITATOR_PATHS), method=st.sampled_from(["GET", "POST"]),
       token=st.none() | texts | huge, where=st.sampled_from(["query", "cookie", "bearer"]),
       near=st.booleans())
def test_no_facilitator_route_answers_without_the_token(served, path, method, token, where,
                                                         near):
    """A missing, made-up or nearly-right token (one character off) never opens a
    facilitator route, whichever way it is sent."""
    if near:
        token = served.token[:-1] + ("a" if served.token[-1] != "a" else "b")
    before = served.snapshot()
    headers, params = {}, {}
    if token is not None:
        value = token.encode("utf-8", "replace").decode("latin-1")
        if where == "query":
            params["token"] = token
        elif where == "cookie" and value.isprintable() and ";" not in value:
            headers["cookie"] = f"{FACILITATOR_COOKIE}={value}"
        elif value.isprintable():
            headers["authorization"] = f"Bearer {value}"
    try:
        answer = served.client.request(method, path, params=params, headers=headers,
                                       json={"type": "pause"} if method == "POST" else None,
                                       follow_redirects=False)
    except UnicodeEncodeError:
        return
    no_crash(answer)
    assert answer.status_code in (403, 404, 405), (path, answer.status_code, answer.text[:200])
    assert served.room.code not in answer.text and FACILITATOR_COOKIE not in answer.cookies
    assert served.snapshot() == before


ops = st.fixed_dictionaries(
    {"type": st.sampled_from(["pause", "resume", "extend", "inject", "give_to_bot",
                              "give_to_person", "end_table", "act", "nuke"]) | texts},
    optional={"table": st.sampled_from(["A", "a", "B", ""]) | texts | huge,
              "seconds": numbers, "event": ids, "seat": numbers | st.integers(-1, 5),
              "strategy": ids, "extra": anything})


@FUZZ
@given(body=ops.map(json.dumps) | anything.map(json.dumps) | st.binary(max_size=200) | huge)
def test_facilitator_operations_never_crash_and_a_refused_one_changes_nothing(served, body):
    served.client.cookies.set(FACILITATOR_COOKIE, served.token)
    try:
        before = served.snapshot()
        answer = served.client.post("/facilitator/op", content=body,
                                    headers={"content-type": "application/json"})
    finally:
        served.client.cookies.clear()
    no_crash(answer)
    if answer.status_code == 413:  # past the app's body limit: no JSON, one line
        assert len(answer.text) < 200
    elif answer.status_code != 200:
        assert answer.json()["type"] == "error"
        assert served.snapshot() == before


def test_the_token_opens_the_facilitator_routes(served):
    """The other side of the fuzz: the real token does open them (so 403 above means
    something)."""
    served.client.cookies.clear()
    assert served.client.get(f"/facilitator?token={served.token}").status_code == 200
    assert served.client.get("/facilitator/status").json()["code"] == served.room.code
    assert served.client.get("/projector").status_code == 200
    served.client.cookies.clear()
    answer = served.client.get("/facilitator/status",
                               headers={"authorization": f"Bearer {served.token}"})
    assert answer.status_code == 200

