"""A real browser plays a hosted room: headless Chromium (Debian's, at /usr/bin/chromium,
driven by Playwright) joins two seats of the two-week quick room from two devices (a phone
and a laptop), plays both weeks (the manager's policies, the engineer's effort split),
reloads a page in the middle of a phase and finds the same seat and choice, and sees the
reveal. Screenshots of the player's page (phone 390x844, laptop 1280x800), the facilitator's
dashboard and the projector go to $GOODHART_SCREENSHOTS (default: the test's temporary
folder)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import playwright.sync_api as playwright

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
WAIT_MS = 15_000

pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not CHROMIUM.exists() and not shutil.which("chromium"),
    reason="no chromium on this computer (Debian: apt-get install chromium); in CI, where "
           ".ci/run installs it from .ci/browser-deps, this test never skips")


@pytest.fixture
def browser():
    """Headless Chromium, closed after the test."""
    with playwright.sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists()
                                                       else shutil.which("chromium")),
                                   headless=True)
        try:
            yield chrome
        finally:
            chrome.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    """The folder the screenshots go to."""
    folder = Path(os.environ.get("GOODHART_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def join(browser, url: str, code: str, name: str, viewport: dict):
    """A new device (browser context) that joined as `name`; its page, on /play."""
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url + "/")
    page.fill("#name", name)
    page.fill("#code", code)
    page.click("button[type=submit]")
    page.wait_for_url(url + "/play")
    expect_title(page, r"of 2")
    return page


def expect_title(page, pattern: str) -> None:
    """Wait until the phase title matches `pattern`."""
    playwright.expect(page.locator("#phase-title")).to_have_text(re.compile(pattern),
                                                                   timeout=WAIT_MS)


def confirm_policies(page, week: int) -> None:
    """The manager's policy phase: turn the first policy card's top level on (the tiny
    scenario's budget takes any one policy), then confirm."""
    expect_title(page, rf"Week {week} of 2: choose policies")
    page.locator(".card").first.locator("button.level").last.click()
    page.get_by_role("button", name="Confirm policies").click()
    expect_title(page, rf"Week {week} of 2: (policies are being chosen|the others are choosing)")


def confirm_effort(page, week: int) -> None:
    """The engineer's work phase: every point spent with the + buttons, then confirmed."""
    expect_title(page, rf"Week {week} of 2: split your time")
    for card in page.locator(".card").all():
        more = card.get_by_role("button", name=re.compile("One point more"))
        while more.count() and more.is_enabled():
            more.click()
    playwright.expect(page.locator(".confirm-row .left").first).to_have_text("0 points left")
    page.get_by_role("button", name="Confirm my week").click()
    expect_title(page, rf"(Week {week} of 2: the others are choosing|Week {week + 1} of 2|"
                       "What really happened)")


def test_two_people_play_a_whole_game_in_the_browser(host_server, browser, shots):
    server = host_server()
    manager = join(browser, server.url, server.code, "Ann", PHONE)
    engineer = join(browser, server.url, server.code, "Bo <b>", LAPTOP)
    playwright.expect(manager.locator("#who")).to_contain_text("Ann")
    playwright.expect(engineer.locator("#who")).to_contain_text("Bo <b>")  # shown as text

    # week 1, the policy phase: the manager picks a level, then reloads before confirming
    expect_title(manager, r"Week 1 of 2: choose policies")
    expect_title(engineer, r"Week 1 of 2: policies are being chosen")
    manager.screenshot(path=shots / "player-phone-policy.png", full_page=True)
    engineer.screenshot(path=shots / "player-laptop-waiting.png")
    first_card = manager.locator(".card").first
    first_card.locator("button.level").last.click()
    playwright.expect(first_card.locator("button.level").last).to_have_attribute(
        "aria-pressed", "true")
    manager.reload()
    expect_title(manager, r"Week 1 of 2: choose policies")
    playwright.expect(manager.locator("#who")).to_contain_text("Ann")
    playwright.expect(manager.locator(".card").first.locator("button.level").last) \
        .to_have_attribute("aria-pressed", "true")  # the choice being made survived
    manager.get_by_role("button", name="Confirm policies").click()

    # week 1, the work phase: the engineer reloads mid-phase, then splits the time
    expect_title(engineer, r"Week 1 of 2: split your time")
    dashboard(browser, server, shots / "facilitator-laptop-playing.png")
    engineer.reload()
    playwright.expect(engineer.locator("#who")).to_contain_text("Bo <b>")
    engineer.screenshot(path=shots / "player-laptop-work.png")
    confirm_effort(engineer, 1)
    engineer_phone = engineer.context.new_page()  # the same device, a phone-sized tab
    engineer_phone.set_viewport_size(PHONE)

    # week 2
    confirm_policies(manager, 2)
    engineer_phone.goto(server.url + "/play")
    expect_title(engineer_phone, r"Week 2 of 2: split your time")
    engineer_phone.screenshot(path=shots / "player-phone-work.png", full_page=True)
    engineer_phone.close()
    confirm_effort(engineer, 2)

    # the reveal, on both devices
    for page in (manager, engineer):
        expect_title(page, r"What really happened")
        playwright.expect(page.locator(".reveal-figures")).to_be_visible()
    manager.screenshot(path=shots / "player-phone-reveal.png", full_page=True)
    engineer.screenshot(path=shots / "player-laptop-reveal.png", full_page=True)
    assert "<b>" not in engineer.locator("#who").inner_html().replace("&lt;b&gt;", "")

    facilitator_screens(browser, server, shots)


def dashboard(browser, server, path: Path):
    """The facilitator's dashboard at laptop size, screenshot to `path`; its page."""
    page = browser.new_context(viewport=LAPTOP).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{server.url}/facilitator?token={server.token}")
    playwright.expect(page).not_to_have_url(re.compile("token="))  # dropped from the bar
    playwright.expect(page.locator("body")).to_contain_text("Table A")
    page.screenshot(path=path, full_page=True)
    return page


def facilitator_screens(browser, server, shots: Path) -> None:
    """The facilitator's dashboard and the projector, after the game, at laptop size."""
    page = dashboard(browser, server, shots / "facilitator-laptop.png")
    page.goto(f"{server.url}/projector")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shots / "projector-laptop.png")
    assert server.token not in page.content()
