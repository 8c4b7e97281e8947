"""The facilitator's pages in a real browser (Debian's headless Chromium through Playwright):
the dashboard drops the token from the address bar, shows every table and pauses one; the
projector shows the countdown and no names, then the debrief's slides when every table ends.
The server runs in this process on 127.0.0.1 and a free port, and always stops."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from game.server.app import create_app
from game.server.facilitator_routes import facilitator_routes
from game.server.room_host import RoomHost
from game.server.serve import Serving, listen
from tests.server.facilitator_helpers import hosted_room

CHROMIUM = Path("/usr/bin/chromium")
BROWSER = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and BROWSER is None,
    reason="no chromium on this computer (Debian: apt-get install chromium); in CI, where "
           ".ci/run installs it, this test never skips")


@pytest.fixture
def served(tmp_path):
    """The tiny workshop's room (two people joined) served on a free port; stopped after."""
    hosted = hosted_room(tmp_path)
    host = RoomHost(hosted.room, clock=hosted.clock)   # time stands still: no timer runs out
    sock = listen("127.0.0.1", 0)
    serving = Serving(create_app(host, facilitator_routes()), sock, stop_after=120)
    thread = threading.Thread(target=serving.run, daemon=True)
    thread.start()
    assert serving.started.wait(20)
    hosted.host = host           # the served room's host: its lock guards every call
    yield hosted, f"http://127.0.0.1:{sock.getsockname()[1]}"
    serving.stop()
    thread.join(15)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        yield chrome.new_context(viewport={"width": 1280, "height": 800})
        chrome.close()


def test_the_dashboard_shows_every_table_and_pauses_one(served, browser):
    from playwright.sync_api import expect
    hosted, url = served
    page = browser.new_page()
    page.goto(f"{url}/facilitator?token={hosted.token}")
    page.wait_for_selector(".table-card")
    assert page.url == f"{url}/facilitator"                   # the token left the address
    assert page.locator(".table-card").count() == 4
    assert "Person 1" in page.locator("#tables").inner_text()
    button = page.locator(".table-card").first.locator(".seat button").first.element_handle()
    for _ in range(3):           # polls while the clock moves on: the seats' rows stay put
        hosted.clock.now += 1
        page.wait_for_timeout(1100)
    assert button.evaluate("el => el.isConnected")
    page.locator(".table-card").first.get_by_role("button", name="Pause").click()
    expect(page.locator(".table-card .timer").first).to_have_text("paused")
    assert hosted.host.call_now("status").table("A").paused


def test_the_projector_shows_progress_then_the_debrief(served, browser):
    from playwright.sync_api import expect
    hosted, url = served
    page = browser.new_page()
    page.goto(f"{url}/projector?token={hosted.token}")
    page.wait_for_selector(".progress-card")
    shown = page.inner_text("body")
    assert "Table A" in shown and "Person 1" not in shown and hosted.room.code in shown
    for table in hosted.host.call_now("status").tables:
        hosted.host.call_now("end_table", table.id)
    page.wait_for_selector("#debrief:not([hidden])", timeout=30000)
    expect(page.locator("#slide")).to_have_attribute("src", "/projector/slides/comparison.png")
    assert page.evaluate("() => fetch('/projector/slides/comparison.png')"
                         ".then(r => r.headers.get('content-type'))") == "image/png"
    page.keyboard.press("ArrowRight")
    expect(page.locator("#slide-name")).to_contain_text("2 of")
    expect(page.locator("#words")).to_contain_text("Table A")
