"""The scenes, one a file, and the two functions that decide which one comes next."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.state import SeatSetup
    from game.ui.app import App
    from game.ui.play import Play
    from game.ui.scenes.base import Scene


def first_scene(app: App, scenario: str | None = None, seed: int | None = None,
                seats: list[SeatSetup] | None = None, resume: Path | None = None) -> Scene:
    """The title screen; the table setup when a scenario is given; the game when resuming.

    An autoplay demo always starts at the title and walks through the picker and the setup
    (choosing `scenario`, or the flagship), so that its screenshots cover every scene."""
    if resume is not None:
        return scene_for_step(app, resume_play(resume))
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 10**6)
    if scenario is None or app.autoplay:
        from game.ui.scenes.title import TitleScene
        return TitleScene(app, scenario=scenario, seed=seed, seats=seats)
    from game.scenario.load import load_scenario
    from game.ui.scenes.setup import SetupScene
    return SetupScene(app, load_scenario(scenario), scenario, seed, seats)


def resume_play(path: Path) -> Play:
    """A saved game, replayed and checked; raises SaveError or ScenarioError with the reason."""
    from game.engine.save import open_save
    from game.ui.play import Play
    return Play(open_save(path)[0])


def scene_for_step(app: App, play: Play) -> Scene:
    """The screen the game needs next (bots act on the way)."""
    step = play.next_step()
    if step.kind == "news":
        from game.ui.scenes.news import NewsScene
        return NewsScene(app, play)
    if step.kind == "end":
        from game.ui.scenes.end import EndScene
        return EndScene(app, play)
    if step.kind == "predict":
        from game.ui.scenes.predict import PredictScene
        return PredictScene(app, play, step.seat)
    if step.kind == "handoff":
        from game.ui.scenes.handoff import HandoffScene
        return HandoffScene(app, play, step.seat)
    return seat_scene(app, play, step.seat)


def seat_scene(app: App, play: Play, seat: int) -> Scene:
    """A seat's own screen, given only its view and its legal actions."""
    view, legal = play.view(seat), play.legal(seat)
    prefill = play.bot_choice(seat) if seat in play.bots else None
    if legal.phase == "policy":
        from game.ui.scenes.manager import ManagerScene
        return ManagerScene(app, play.scenario, view, legal, lambda a: submit(app, play, a),
                            prefill)
    from game.ui.scenes.employee import EmployeeScene
    return EmployeeScene(app, play.scenario, view, legal, lambda a: submit(app, play, a), prefill)


def submit(app: App, play: Play, action) -> None:
    """Apply a seat's choice and move on; an ActionError goes back to the screen to show."""
    play.submit(action)
    app.go(scene_for_step(app, play))
