"""The setup screen's default table: the scenario's bots, said in plain words."""

from __future__ import annotations

from game.scenario.load import load_scenario
from game.ui.scenes.setup import HUMAN, SeatRow, controller_words, default_rows
from tests.conftest import SCENARIOS


def test_one_person_plays_an_engineer_beside_the_declared_bots():
    flagship = load_scenario(SCENARIOS / "tokenmaxxing.yaml")
    rows = default_rows(flagship, all_bots=False)
    assert [(r.role, r.controller) for r in rows] == [
        ("manager", "bot:hype"), ("employee", HUMAN), ("employee", "bot:craft"),
        ("employee", "bot:gamer"), ("employee", "bot:gamer")]
    assert [r.controller for r in default_rows(flagship, all_bots=True)] == [
        "bot:hype", "bot:craft", "bot:gamer", "bot:gamer", "bot:gamer"]


def test_each_seat_says_who_plays_it_in_plain_words():
    flagship = load_scenario(SCENARIOS / "tokenmaxxing.yaml")
    assert controller_words(flagship, SeatRow("employee", "", HUMAN)) == "Person"
    assert controller_words(flagship, SeatRow("employee", "", "bot:gamer")) == \
        "Bot: plays to its own review"
    assert "health falls" in controller_words(flagship, SeatRow("manager", "", "bot:adaptive"))


def test_a_seat_added_on_screen_takes_the_next_bot_of_the_table(app):
    from game.ui.scenes.setup import SetupScene
    scene = SetupScene(app, load_scenario(SCENARIOS / "tokenmaxxing.yaml"), "tokenmaxxing", 1)
    app.go(scene)
    scene.change_count("employee", -1)
    scene.change_count("employee", -1)
    assert [r.controller for r in scene.rows if r.role == "employee"] == [HUMAN, "bot:craft"]
    scene.change_count("employee", 1)
    assert [r.controller for r in scene.rows if r.role == "employee"][-1] == "bot:gamer"


def test_a_roles_heading_stands_above_its_seats_in_the_same_column(app):
    """Four roles of one seat each at 1280×720: the last heading used to end the first column
    while its seat was drawn at the top of the next, far from its name."""
    from game.ui.scenes.setup import SetupScene
    from tests.ui.driver import focus_rect, frames
    scene = SetupScene(app, load_scenario(SCENARIOS / "four-hour-target.yaml"),
                       "four-hour-target", 7)
    app.go(scene)
    frames(app, 2)
    for index, row in enumerate(scene.rows):
        heading, seat = scene.role_rects[row.role], focus_rect(app, f"who:{index}")
        assert heading.x <= seat.x < heading.right and seat.y > heading.y, row.role
