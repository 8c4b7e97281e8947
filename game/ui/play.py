"""The table in play: which screen comes next, bots taking their turns, humans' choices applied.

No pygame here. Every seat's screen gets `view(state, seat)` and `legal_actions` only; the
ended state goes to the end screen alone. In demo mode (autoplay) every seat is a bot, but its
screens are still shown, with the bot's choice filled in, so a facilitator sees every scene.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from game.analysis.what_if import WhatIfJob
from game.engine import Action, Allocate, Game, SetPolicies
from game.engine.actions import Legal
from game.engine.boards import Board
from game.engine.rng import derive
from game.engine.save import Session, new_save_path
from game.engine.state import SeatSetup
from game.engine.view import LeaderRow, SeatView
from game.errors import ActionError
from game.scenario.model import Scenario
from game.scenario.scoring import change_lines


@dataclass(frozen=True)
class Step:
    """The next screen: `news`, `handoff`, `seat` (a seat's own screen), `predict` (a
    person's private guess of the final health) or `end`."""

    kind: str
    seat: int | None = None


@dataclass
class PublicNews:
    """What the whole table may see between turns: headlines, leaderboards, who left."""

    turn: int
    turns: int
    turn_name: str
    ended: bool
    headlines: list = field(default_factory=list)
    boards: dict[str, list[LeaderRow]] = field(default_factory=dict)
    previous: dict[str, list[LeaderRow]] = field(default_factory=dict)
    laid_off: list[str] = field(default_factory=list)
    own: list[Board] = field(default_factory=list)
    """The scenario's own leaderboards shown now (every seat sees the same ones)."""
    policies: list[list[str]] = field(default_factory=list)
    """This turn's policy changes, once its policy phase is over: each in lines (what changed,
    then what it changes for each role); when there are some, the news is about them."""


def scenario_ref(name: str | Path) -> str:
    """What a save records to find its scenario again: an absolute path, or a bundled name."""
    path = Path(name)
    return str(path.resolve()) if path.suffix in (".yaml", ".yml") or path.exists() else str(name)


class Play:
    """A session with its bots, and the order of screens for the humans at the table."""

    def __init__(self, session: Session, demo: bool = False) -> None:
        import game.bots as bots
        self.session = session
        self.game: Game = session.game
        self.demo = demo
        self.bots = {i: bots.make_bot(s.strategy, self.scenario, i,
                                      random.Random(derive(session.seed, "bot", i)))
                     for i, s in enumerate(session.seats) if s.is_bot}
        self.humans = [i for i, s in enumerate(session.seats) if not s.is_bot]
        self.ready: int | None = None          # the seat that has passed its hand-off
        self.news_key: object = None            # the turn whose news was last shown
        self.boards: dict[str, list[LeaderRow]] = {}
        self.predictions: dict[int, float] = {}
        self.predicted: set[int] = set()        # seats that have guessed in private
        self._what_if: WhatIfJob | None = None

    @classmethod
    def start(cls, scenario: Scenario, scenario_name: str, seed: int, seats: list[SeatSetup],
              demo: bool = False) -> Play:
        """A new game with autosave; raises ActionError for a table the scenario refuses. Its
        readings' noise is drawn from a fresh secret, or in a demo, where nobody plays, from
        the seed (so the same seed gives the same screenshots)."""
        game = Game(scenario)
        session = Session(game, seed, seats, path=new_save_path(scenario.id, seed),
                          scenario_path=scenario_ref(scenario_name), secret="" if demo else None)
        return cls(session, demo)

    @property
    def scenario(self) -> Scenario:
        return self.game.scenario

    @property
    def state(self):
        return self.session.state

    def what_if(self) -> WhatIfJob | None:
        """The ended game's what-if replay, started in another process on the first call
        (None before the end). Its `result` is None until it is ready or when there is no
        contrasting regime to replay."""
        if self._what_if is None and self.game.is_terminal(self.state):
            self._what_if = WhatIfJob(self.scenario, self.state, self.session.seats)
        return self._what_if

    def shown_seats(self) -> list[int]:
        """Seats whose screens are shown: the humans, or every seat in a demo."""
        return list(range(len(self.session.seats))) if self.demo else self.humans

    def next_step(self) -> Step:
        """Let bots act until a screen is needed, and say which one."""
        while True:
            key = self._news_key()
            if key != self.news_key:
                return Step("news")
            if self.game.is_terminal(self.state):
                return self._prediction_step()
            acting = self.game.to_act(self.state)
            shown = [s for s in acting if s in self.shown_seats()]
            hidden = [s for s in acting if s not in shown]
            if hidden:
                self._bot_act(hidden[0])
                continue
            seat = shown[0]
            if self.ready != seat and (len(self.shown_seats()) > 1):
                return Step("handoff", seat)
            return Step("seat", seat)

    def _prediction_step(self) -> Step:
        """After the last turn, with several people at the table: each guesses the company's
        health in private (a hand-off, then their own screen), one at a time; then the end."""
        waiting = [s for s in self.humans if s not in self.predicted]
        if len(self.humans) < 2 or not waiting:
            return Step("end")
        seat = waiting[0]
        return Step("predict", seat) if self.ready == seat else Step("handoff", seat)

    def predict(self, seat: int, health: float) -> None:
        """Record `seat`'s private guess of the final health index."""
        self.predictions[seat] = float(health)
        self.predicted.add(seat)
        self.ready = None

    def _news_key(self) -> object:
        """Which news the table should have seen by now: the turn's (its headlines), then,
        if its policy phase changed any policy, the turn's policy news; at the end, the
        final review."""
        if self.game.is_terminal(self.state):
            return "ended"
        if self.state.phase == "work" and self._changes_now():
            return (self.state.turn, "policies")
        return self.state.turn

    def _changes_now(self) -> list:
        seat = self.humans[0] if self.humans else 0
        return [c for c in self.view(seat).policy_changes if c.turn == self.state.turn]

    def news_seen(self) -> None:
        """The table has read the news of this turn."""
        self.news_key = self._news_key()
        self.boards = self.public_news().boards

    def passed(self, seat: int) -> None:
        """The hand-off to `seat` is done: its screen may be shown."""
        self.ready = seat

    def view(self, seat: int) -> SeatView:
        return self.game.view(self.state, seat)

    def legal(self, seat: int) -> Legal:
        return self.game.legal_actions(self.state, seat)

    def submit(self, action: Action) -> None:
        """Apply a human's choice (autosaved); an ActionError changes nothing."""
        self.session.act(action)
        if self.ready == getattr(action, "seat", None):
            self.ready = None

    def bot_choice(self, seat: int) -> Action:
        """What this seat's bot would choose now (demo screens show it before submitting)."""
        view, legal = self.view(seat), self.legal(seat)
        bot = self.bots.get(seat)
        try:
            action = bot.act(view, legal) if bot else _keep(legal)
            self.game.apply(self.state, action)
            return action
        except ActionError:
            return _keep(legal)

    def _bot_act(self, seat: int) -> None:
        self.session.act(self.bot_choice(seat))

    def public_news(self) -> PublicNews:
        """The table's news from one seat's view, keeping only what every seat sees alike."""
        seat = self.humans[0] if self.humans else 0
        v = self.view(seat)
        ended = v.phase == "ended"
        headlines = [] if ended else [h for h in v.news if h.turn == v.turn]
        gone = [o.name for o in v.others if not o.employed] + ([] if v.employed else [v.name])
        public = {role for role, review in self.scenario.reviews.items() if review.leaderboard}
        boards = {role: rows for role, rows in v.leaderboards.items() if role in public}
        changes = [c for c in v.policy_changes if c.turn == v.turn] if v.phase == "work" else []
        return PublicNews(turn=v.turn, turns=v.turns, turn_name=v.turn_name, ended=ended,
                          headlines=[] if changes else headlines, boards=boards,
                          previous=self.boards, laid_off=gone, own=list(v.boards),
                          policies=[change_lines(self.scenario, c.policy, c.before, c.after)
                                    for c in changes])


def _keep(legal: Legal) -> Action:
    """The do-nothing choice: keep current policy levels, or put no effort anywhere."""
    if legal.phase == "policy":
        return SetPolicies(seat=legal.seat, levels={p.id: p.current for p in legal.policies})
    return Allocate(seat=legal.seat, effort={})
