"""The facilitator's web routes: nothing answers without the token; each operation does what it
says; the projector shows no names, no secrets, no codes and no numbers before the end, then
the cross-table debrief; results and exports come straight from the host."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.server.facilitator_routes import FACILITATOR_COOKIE
from tests.server.facilitator_helpers import hosted_room

GETS = ["/facilitator", "/facilitator/status", "/projector", "/projector/status",
        "/projector/debrief", "/projector/slides/comparison.png", "/results",
        "/results/goodhart-results.zip", "/results/table-A.json"]


@pytest.fixture
def hosted(tmp_path):
    return hosted_room(tmp_path)


def _all_ended(hosted) -> None:
    for table in hosted.status()["tables"]:
        assert hosted.op(type="end_table", table=table["id"])["type"] == "done"


@pytest.mark.parametrize("credentials", ["none", "wrong cookie", "wrong bearer",
                                         "wrong token in the address", "empty bearer"])
def test_without_the_token_nothing_answers(hosted, credentials):
    client = hosted.client
    headers = {}
    query = ""
    if credentials == "wrong cookie":
        client.cookies.set(FACILITATOR_COOKIE, hosted.token[:-2] + "xx")
    elif credentials == "wrong bearer":
        headers = {"Authorization": "Bearer " + hosted.token.upper()}
    elif credentials == "empty bearer":
        headers = {"Authorization": "Bearer "}
    elif credentials == "wrong token in the address":
        query = "?token=" + hosted.token[1:]
    answers = [client.get(path + query, headers=headers) for path in GETS]
    answers.append(client.post("/facilitator/op" + query, headers=headers,
                               json={"type": "pause"}))
    assert [a.status_code for a in answers] == [403] * len(answers)
    for a in answers:
        assert hosted.room.code not in a.text and "Table A" not in a.text
        assert "set-cookie" not in a.headers
    assert not any(t.paused for t in hosted.room.status(2.0).tables)


def test_the_token_once_in_the_address_opens_every_page_by_cookie(hosted):
    answer = hosted.client.get(f"/facilitator?token={hosted.token}")
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert hosted.token not in answer.text          # not in the page; the script drops the URL's
    for path in ("/facilitator", "/facilitator/status", "/projector", "/projector/status",
                 "/results"):
        assert hosted.client.get(path).status_code == 200, path


def test_a_script_may_send_the_token_as_a_bearer_header(hosted):
    answer = hosted.client.get("/facilitator/status",
                               headers={"Authorization": f"Bearer {hosted.token}"})
    assert answer.status_code == 200
    assert [t["id"] for t in answer.json()["tables"]] == ["A", "B", "C", "D"]


def test_pause_and_resume_one_table_then_every_table(hosted):
    hosted.facilitator()
    assert hosted.op(type="pause", table="A")["message"].startswith("Table A is paused")
    assert hosted.table("A")["paused"] and not hosted.table("B")["paused"]
    hosted.clock.now += 30
    left = hosted.table("A")["seconds_left"]
    hosted.op(type="resume", table="A")
    assert not hosted.table("A")["paused"] and hosted.table("A")["seconds_left"] == left
    hosted.op(type="pause")
    assert hosted.status()["paused"] and all(t["paused"] for t in hosted.status()["tables"])
    hosted.op(type="resume")
    assert not any(t["paused"] for t in hosted.status()["tables"])


def test_extend_gives_the_tables_phase_more_time(hosted):
    hosted.facilitator()
    before = {t["id"]: t["seconds_left"] for t in hosted.status()["tables"]}
    answer = hosted.op(type="extend", table="A", seconds=45)
    assert answer["type"] == "done" and "45 seconds more" in answer["message"]
    assert hosted.table("A")["seconds_left"] == pytest.approx(before["A"] + 45)
    assert hosted.table("B")["seconds_left"] == pytest.approx(before["B"])


def test_inject_puts_the_event_in_the_tables_news(hosted):
    hosted.facilitator()
    event_id, headline = hosted.table("A")["events"][0]
    assert hosted.op(type="inject", table="A", event=event_id)["type"] == "done"
    assert headline in hosted.table("A")["headlines"]
    assert headline not in hosted.table("B")["headlines"]


def test_give_to_bot_then_to_a_late_arrival_with_a_one_time_code(hosted):
    hosted.facilitator()
    seat = next(s for s in hosted.table("B")["seats"] if s["player"] == "open")["index"]
    hosted.op(type="give_to_bot", table="B", seat=seat)
    assert hosted.table("B")["seats"][seat]["player"] == "bot"
    answer = hosted.op(type="give_to_person", table="B", seat=seat)
    code = answer["code"]
    assert code and code in answer["message"]
    assert hosted.table("B")["seats"][seat]["code_pending"]
    assert code not in json.dumps(hosted.status())          # the status never carries it
    ticket = hosted.room.join("Late Lou", code, hosted.clock.now)
    assert (ticket.table_id, ticket.seat) == ("B", seat)
    assert hosted.table("B")["seats"][seat]["person"] == "Late Lou"


def test_end_table_ends_that_table_only(hosted):
    hosted.facilitator()
    assert "has ended" in hosted.op(type="end_table", table="C")["message"]
    assert hosted.table("C")["ended"] and not hosted.table("A")["ended"]


@pytest.mark.parametrize("body, line", [
    ({"type": "explode"}, "unknown message type"),
    ({"type": "extend", "table": "A", "seconds": 99999}, "seconds"),
    ({"type": "inject", "table": "A", "event": "no_such_event"}, "no_such_event"),
    ({"type": "end_table", "table": "Z"}, "no table 'Z'"),
    ({"type": "pause", "table": "A", "extra": 1}, "extra"),
])
def test_a_refused_operation_is_one_line_and_changes_nothing(hosted, body, line):
    hosted.facilitator()
    before = hosted.status()
    answer = hosted.client.post("/facilitator/op", json=body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["type"] == "error" and line in error["message"] and "\n" not in error["message"]
    assert hosted.status() == before


def test_an_operation_from_another_site_or_too_long_is_refused(hosted):
    hosted.facilitator()
    other = hosted.client.post("/facilitator/op", json={"type": "pause"},
                               headers={"Origin": "http://evil.example"})
    assert other.status_code == 403 and not hosted.status()["paused"]
    long = hosted.client.post("/facilitator/op", content=b'{"type": "pause", "x": "'
                              + b"a" * 5000 + b'"}', headers={"Content-Type": "text/plain"})
    assert long.status_code == 413 and not hosted.status()["paused"]


def _secrets_of(hosted) -> list[str]:
    return [hosted.token, *hosted.secrets]


def test_the_projector_shows_no_names_secrets_or_numbers_before_the_end(hosted):
    hosted.facilitator()
    code = hosted.op(type="give_to_person", table="C", seat=0)["code"]
    page = hosted.client.get("/projector").text
    shown = hosted.client.get("/projector/status").text
    for text in (page, shown):
        for secret in [*_secrets_of(hosted), code]:
            assert secret not in text
        assert "Person 1" not in text and "Ana" not in text        # nobody's name
    status = json.loads(shown)
    assert set(status["tables"][0]) == {"name", "condition", "turn", "turns", "turn_name",
                                        "phase", "paused", "ended", "seconds_left", "chosen",
                                        "choosing"}
    assert hosted.client.get("/projector/debrief").status_code == 409
    assert hosted.client.get("/projector/slides/comparison.png").status_code == 409


def test_at_the_end_the_projector_shows_the_cross_table_debrief(hosted):
    hosted.facilitator()
    _all_ended(hosted)
    assert hosted.client.get("/projector/status").json()["ended"]
    debrief = hosted.client.get("/projector/debrief").json()
    expected = hosted.room.debrief()
    assert [t["label"] for t in debrief["tables"]] == [s.label for s in expected.summaries]
    assert [t["facts"] for t in debrief["tables"]] == [s.facts for s in expected.summaries]
    assert debrief["slides"][0] == "comparison.png" and "conditions.png" in debrief["slides"]
    assert all(t["slide"] in debrief["slides"] for t in debrief["tables"])
    png = hosted.client.get("/projector/slides/comparison.png")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    assert hosted.client.get("/projector/slides/nothing.png").status_code == 404
    for secret in _secrets_of(hosted):
        assert secret not in json.dumps(debrief)


def test_results_and_exports_come_from_the_host(hosted):
    hosted.facilitator()
    assert hosted.client.get("/results/table-A.json").status_code == 404    # still playing
    hosted.op(type="end_table", table="A")
    result = hosted.client.get("/results/table-A.json")
    assert result.status_code == 200 and "attachment" in result.headers["content-disposition"]
    assert json.loads(result.text)["kind"] == "goodhart-result"
    assert "table-A.json" in hosted.client.get("/results").text
    archive = zipfile.ZipFile(io.BytesIO(hosted.client.get(
        "/results/goodhart-results.zip").content))
    names = set(archive.namelist())
    assert {"results/table-A.json", "debrief/debrief-long.csv", "debrief/debrief-tables.csv",
            "debrief/comparison.png"} <= names
    assert "results/table-B.json" not in names             # B is still being played


PREFIXES = ["/facilitator", "/facilitator/", "/facilitator/status", "/facilitator/op",
            "/projector", "/projector/", "/projector/status", "/projector/debrief",
            "/projector/slides/", "/results", "/results/", "/ws/facilitator"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), tail=st.text(alphabet=st.characters(
    codec="ascii", exclude_characters="?#"), max_size=30),
       token=st.text(max_size=60), how=st.sampled_from(["cookie", "bearer", "query"]),
       method=st.sampled_from(["GET", "POST"]))
def test_fuzzed_requests_without_the_token_reach_nothing(hosted, prefix, tail, token, how,
                                                         method):
    """Any path under the facilitator's routes, any wrong token, any way of sending it: 403 or
    404 (or 405), never the room's state, and never a change to it."""
    from urllib.parse import quote
    client = hosted.client
    client.cookies.clear()
    headers, path = {}, prefix + quote(tail)
    if how == "cookie":
        client.cookies.set(FACILITATOR_COOKIE, quote(token))
    elif how == "bearer" and token.isascii() and token.isprintable():
        headers["Authorization"] = f"Bearer {token}"
    elif how == "query":
        path += "?token=" + quote(token)
    answer = client.request(method, path, headers=headers, json={"type": "pause"})
    assert answer.status_code in (403, 404, 405), (path, answer.status_code)
    assert hosted.room.code not in answer.text and hosted.token not in answer.text
    assert not hosted.room.status(2.0).paused


def test_the_token_check_never_waits_for_the_rooms_lock(hosted):
    """A bot planning its move holds the room for a second or more; meanwhile a request
    without the token is still refused at once (the check reads no state under the lock)."""
    import threading
    answers = []
    with hosted.host.lock:       # held by this thread, as a slow room call would hold it
        asker = threading.Thread(target=lambda: answers.append(
            hosted.client.get("/facilitator/status", headers={
                "Authorization": "Bearer not-the-token"}).status_code), daemon=True)
        asker.start()
        asker.join(timeout=5)
        answered_while_held = list(answers)
    asker.join(timeout=5)
    assert answered_while_held == [403]


def test_a_room_ended_before_anyone_played_has_an_empty_debrief(tmp_path):
    hosted = hosted_room(tmp_path, people=0)
    hosted.facilitator()
    _all_ended(hosted)
    debrief = hosted.client.get("/projector/debrief").json()
    assert debrief["tables"] == [] and debrief["slides"] == []
    assert "No played table has ended yet" in hosted.client.get("/results").text
    assert hosted.client.get("/results/goodhart-results.zip").status_code == 409


def test_projector_qr_code_is_dark_on_white() -> None:
    """The projector's page is dark: a QR code with see-through light modules shows black on
    near-black there, which phone cameras do not read. Its light modules must be white."""
    from urllib.parse import unquote

    from game.server.facilitator_routes import qr_uri
    svg = unquote(qr_uri("http://192.168.1.20:8765/?code=ABCD"))
    assert "fill='#fff'" in svg and "stroke='#000'" in svg
