"""Play a workshop table headless with bots: for rehearsals, tests and empty tables.

`run_table(loaded, "A", {"employee": "gamer"})` plays table A to the end with bots in every
seat (its human seats get the strategy given for their role, or the role's default) and
returns the result record; with `path` it also writes the result file.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from game.bots import make_bot as default_bot_factory
from game.engine.rng import derive
from game.engine.save import Session
from game.errors import GoodhartError
from game.scenario.model import Scenario
from game.workshop.load import LoadedWorkshop
from game.workshop.result import ResultFile, build_result, session_what_if, write_result
from game.workshop.tables import start_session

__all__ = ["BotFactory", "play_to_end", "run_table"]


class Bot(Protocol):
    def act(self, view: Any, legal: Any) -> Any: ...


BotFactory = Callable[[str, Scenario, int, random.Random], Bot]
"""`(strategy, scenario, seat, rng) -> bot`, as `game.bots.make_bot`."""


def play_to_end(session: Session, make_bot: BotFactory | None = None) -> None:
    """Let bots play every seat of the session until the game ends."""
    factory = make_bot or default_bot_factory
    game = session.game
    bots = {i: factory(seat.strategy or "random", game.scenario, i,
                       random.Random(derive(session.seed, "bot", i)))
            for i, seat in enumerate(session.seats) if seat.is_bot}
    while not game.is_terminal(session.state):
        seat = game.to_act(session.state)[0]
        if seat not in bots:
            raise GoodhartError(f"seat {seat + 1} ({session.seats[seat].name}) is a human "
                                "seat; a headless run needs bots in every seat")
        state = session.state
        session.act(bots[seat].act(game.view(state, seat), game.legal_actions(state, seat)))


def run_table(loaded: LoadedWorkshop, table_id: str, strategies: dict[str, str] | None = None,
              path: Path | None = None, make_bot: BotFactory | None = None) -> ResultFile:
    """Play one table to the end with bots; write its result file to `path` if given. Nobody
    plays it, so its noise is drawn from the seed: the same seed gives the same result."""
    session, _setup = start_session(loaded, table_id, fill=dict(strategies or {}), secret="")
    play_to_end(session, make_bot)
    what_if = session_what_if(session)
    if path is not None:
        return write_result(session, path, what_if=what_if)
    return build_result(session, what_if=what_if)
