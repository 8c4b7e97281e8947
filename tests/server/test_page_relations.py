"""The player's page for the scenarios of issue 19: a seat's state carries the scenario's own
leaderboards, its neighbours and what is on its way to it (and nothing of another seat's private
numbers), and the page draws them: the real play.html and player.js in headless Chromium, fed
the in-process room's state through a stand-in socket. Also the counts the pages say ("1
table") and the reveal's index sentence rounded as its figures are."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from game.analysis.facts import _index_sentence, _points
from game.server.app import render
from game.server.protocol import ActMessage, PlayerState
from game.server.room import Room
from game.server.setup import room_source
from game.server.store import Store

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
STATIC = ROOT / "game" / "server" / "static"
CHROMIUM = Path("/usr/bin/chromium")
BOARD = """leaderboards:
  - id: quay
    name: Landings board on the quay
    score: landed
    roles: [boat]

debrief:
"""


def fishery_with_board(folder: Path) -> Path:
    """The bundled fishery with a board of the boats' landings added (no bundled scenario
    has one of its own yet)."""
    text = (SCENARIOS / "fishery.yaml").read_text(encoding="utf-8")
    path = folder / "fishery-board.yaml"
    path.write_text(text.replace("\ndebrief:\n", "\n" + BOARD, 1), encoding="utf-8")
    return path


def seated(folder: Path, source: Path, people: int) -> tuple[Room, list]:
    """A room of `source` with `people` joined at its one table, every other seat a bot."""
    src = room_source(str(source))
    room = Room.create(src.loaded, Store(folder / "room.db"), 0.0, grows=src.grows)
    tickets = [room.join(f"Person {n + 1}", room.code, 0.0) for n in range(people)]
    table = room.tables[tickets[0].table_id]
    for claim in list(table.claims):
        if claim.player == "open":
            room.give_to_bot(table.id, claim.seat, 0.0)
    return room, tickets


def play_until(room: Room, tickets: list, turn: int) -> None:
    """Everyone keeps their current choices until the table reaches `turn`."""
    for _ in range(200):
        room.tick(1.0)
        states = [(t, room.player_state(t.secret, 1.0)) for t in tickets]
        if states[0][1].view.turn >= turn:
            return
        for ticket, st in states:
            if st.legal.must_act and st.view.own_choice is None:
                room.act(ticket.secret, ActMessage(
                    turn=st.view.turn, phase=st.view.phase, levels={} if st.view.phase
                    == "policy" else None, effort={} if st.view.phase == "work" else None,
                    numbers={n.id: n.current for n in st.legal.numbers} or None), 1.0)
    raise AssertionError(f"the table never reached turn {turn}")


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> tuple[Room, list]:
    """four-hour-target at hour 3: the board, the ambulance crew and the emergency
    department played by people, the ward by a bot."""
    room, tickets = seated(tmp_path_factory.mktemp("chain"), SCENARIOS / "four-hour-target.yaml", 3)
    play_until(room, tickets, 3)
    return room, tickets


@pytest.fixture(scope="module")
def fishery(tmp_path_factory) -> tuple[Room, list]:
    """The fishery with a landings board at season 2: the chair and a skipper played by
    people, four skippers by bots."""
    folder = tmp_path_factory.mktemp("fishery")
    room, tickets = seated(folder, fishery_with_board(folder), 2)
    play_until(room, tickets, 2)
    return room, tickets


def test_a_seat_in_the_chain_has_its_neighbours_and_what_is_on_its_way(chain):
    room, tickets = chain
    state = room.player_state(tickets[2].secret, 1.0)
    view = state.view
    assert view.role == "emergency"
    others = {o.index: o for o in view.others}
    assert others[view.upstream].role == "crew" and others[view.downstream].role == "ward"
    assert view.incoming and {i.flow for i in view.incoming} <= {f.id for f in state.texts.flows}
    assert "Patients on the way in" in [f.name for f in state.texts.flows]
    assert [d.id for d in state.texts.decisions] == ["accept", "admit"]
    sent = json.loads(state.model_dump_json())
    assert {"upstream", "downstream", "incoming"} <= set(sent["view"])


def test_no_other_seat_s_numbers_reach_a_page(chain, fishery):
    for room, tickets in (chain, fishery):
        for ticket in tickets:
            state = room.player_state(ticket.secret, 1.0)
            scenario = room.tables[ticket.table_id].game.scenario
            foreign = {d.id for r in scenario.roles if r.id != state.view.role
                       for d in r.decisions}
            mine = {d.id for d in state.texts.decisions}
            sent = state.model_dump_json()
            for other in state.view.others:
                assert not set(other.stats) & {d.id for r in scenario.roles for d in r.decisions}
            assert not any(f'"{d}"' in sent for d in foreign - mine), state.view.role
            for past in state.view.own_history:
                assert set(past.choice) <= mine | {b.id for b in scenario.behaviours}


def test_a_skipper_s_page_has_the_scenario_s_board_with_its_row(fishery):
    room, tickets = fishery
    state = room.player_state(tickets[1].secret, 1.0)
    assert state.view.role == "boat"
    (board,) = state.view.boards
    assert board.name == "Landings board on the quay" and board.by == "seat"
    assert [r for r in board.rows if state.view.seat in r.seats]
    assert "boards" in json.loads(state.model_dump_json())["view"]


def test_the_index_sentence_rounds_as_the_reveal_s_figures_do():
    said = _index_sentence({"proxy_start": 0.0, "proxy_end": 0.5, "health_start": 60.0,
                            "health_end": 44.62})
    assert said == "The proxy index went from 0 to 0.5; the health index from 60 to 44.6."
    assert _points(42.93) == "42.9 points" and _points(1.0) == "1 point"


def test_the_dashboard_counts_say_one_table_not_one_tables():
    script = (STATIC / "facilitator.js").read_text(encoding="utf-8")
    assert '" tables"' not in script and '" open seats' not in script
    assert 'count(status.tables.length, "table")' in script


# --- the page itself, in a real browser -------------------------------------------------------

FAKE_SOCKET = """
window.__states = [];
window.WebSocket = class {
  constructor() { this.readyState = 0; setTimeout(() => { this.readyState = 1;
    this.onopen && this.onopen(); for (const s of window.__states)
      this.onmessage({ data: JSON.stringify(s) }); }, 0); }
  send() {} close() {}
};
window.WebSocket.OPEN = 1; window.WebSocket.CLOSED = 3;
"""


def page_text(states: list[PlayerState]) -> tuple[str, str]:
    """The text of the player's page (its main column with the phase's title, its side
    panel) once it has drawn
    `states`, in headless Chromium."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if chromium is None:
        pytest.skip("no chromium on this computer (Debian: apt-get install chromium)")
    html = render("play.html").body
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            page.route("http://goodhart.test/play", lambda r: r.fulfill(
                body=html, content_type="text/html"))
            page.route(re.compile(r"http://goodhart\.test/static/.*"), lambda r: r.fulfill(
                path=str(STATIC / r.request.url.rsplit("/", 1)[1])))
            sent = json.dumps([json.loads(s.model_dump_json()) for s in states])
            init = f"{FAKE_SOCKET}window.__states = {sent};"
            page.add_init_script(init)
            page.goto("http://goodhart.test/play")
            page.wait_for_function("document.getElementById('side').children.length > 0")
            return page.locator("#phase").inner_text(), page.locator("#side").inner_text()
        finally:
            browser.close()


def test_the_page_shows_neighbours_what_is_coming_and_the_board(chain, fishery):
    room, tickets = chain
    main, side = page_text([room.player_state(tickets[2].secret, 1.0)])
    assert "Next to you" in main and "On its way to you" in main
    assert re.search(r"Upstream\s+Ambulance crew", main) and re.search(r"Downstream\s+Ward", main)
    due = room.player_state(tickets[2].secret, 1.0).view.incoming[0].due
    assert ("this hour" in main) == (due == 3)   # the table is at hour 3
    assert re.search(r"Patients on the way in\s+arrives (this hour|next hour|in hour \d+)\s+\d+",
                     main)
    room, tickets = fishery
    main, side = page_text([room.player_state(tickets[1].secret, 1.0)])
    assert re.search(r"Landings board on the quay\s+1\. ", side)
    assert re.search(r"\d\. Skipper \d \(you\)", side.split("Landings board")[1])


def test_the_reveal_lists_each_week_s_choices(tmp_path):
    room, tickets = seated(tmp_path, SCENARIOS / "four-hour-target.yaml", 3)
    play_until(room, tickets, 3)
    room.end_table(tickets[0].table_id, 2.0)
    board, crew = (room.player_state(t.secret, 2.0) for t in tickets[:2])
    assert not crew.view.revealed   # ended by the facilitator before its last hour
    main, side = page_text([crew])
    assert "The company, as you see it" in side and "ended the game early" in main
    assert re.search(r"Hour 1\s+Patients to drive in: 6 patients\.\s+score ", main)
    main, _ = page_text([board])
    assert re.search(r"Hour 1\s+(All policies off|Policies: \w)", main)


def test_a_bookkeeping_stat_is_not_named_to_a_page():
    from game.scenario.load import load_scenario
    from game.server.player import scenario_texts
    scenario = load_scenario(SCENARIOS / "fishery.yaml")
    kept = scenario.stats[0]
    tally = scenario.model_copy(update={"stats": [
        kept.model_copy(update={"bookkeeping": True}), *scenario.stats[1:]]})
    assert kept.id in [s.id for s in scenario_texts(scenario, "boat", ()).stats]
    assert kept.id not in [s.id for s in scenario_texts(tally, "boat", ()).stats]
