"""One hosted table: its game (a `Session` without a file), who plays each seat, its phase
clock, and the bots that cover seats. Plain logic with time passed in; the `Room` logs every
change before it calls `commit` here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from game.bots import make_bot
from game.bots.base import Bot
from game.engine import Allocate, Game, SetPolicies
from game.engine.actions import Action
from game.engine.rng import derive
from game.engine.save import Session
from game.engine.state import GameState, SeatSetup
from game.errors import ActionError
from game.server.store import SeatClaim
from game.workshop.debrief import TableSummary
from game.workshop.facilitator import timeout_action
from game.workshop.result import ResultFile
from game.workshop.room_status import SeatStatus, TableStatus

__all__ = ["ACTION", "LiveTable", "PhaseClock", "TableSpec"]

ACTION: TypeAdapter[Action] = TypeAdapter(Action)
"""Reads an engine action back from the log."""


@dataclass
class TableSpec:
    """A table's set-up as stored: everything needed to start its game again."""

    id: str
    name: str
    condition: str
    seed: int
    secret: str
    seats: list[SeatSetup]
    locked: dict[str, int]
    meta: dict[str, str]
    timers: dict[str, int]
    defaults: list[str | None]
    """The default bot strategy of each seat (the scenario's `table:`), None if no role act."""

    def to_json(self) -> dict[str, Any]:
        """The set-up as a JSON-ready dict (for the store)."""
        data = dict(self.__dict__)
        data["seats"] = [s.model_dump(mode="json") for s in self.seats]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TableSpec:
        """The set-up from its stored dict."""
        seats = [SeatSetup.model_validate(s) for s in data["seats"]]
        return cls(**{**data, "seats": seats})


@dataclass
class PhaseClock:
    """The time a table's current phase has: the phase's timer, plus any extension, started
    when the phase opened; pausing stops it."""

    seconds: int = 0
    started: float = 0.0
    extra: float = 0.0
    paused_at: float | None = None

    def restart(self, seconds: int, now: float) -> None:
        """A new phase opens now with `seconds` (0: no timer); a paused clock stays paused."""
        self.seconds, self.started, self.extra = seconds, now, 0.0
        if self.paused_at is not None:
            self.paused_at = now

    def left(self, now: float) -> float | None:
        """Seconds left (never below 0), or None without a timer."""
        if self.seconds <= 0:
            return None
        at = self.paused_at if self.paused_at is not None else now
        return max(0.0, self.started + self.seconds + self.extra - at)

    def pause(self, now: float) -> None:
        if self.paused_at is None:
            self.paused_at = now

    def resume(self, now: float) -> None:
        if self.paused_at is not None:
            self.started += now - self.paused_at
            self.paused_at = None


@dataclass
class LiveTable:
    """A table in play. `claims[i]` says who plays seat i; `version` grows with each change."""

    spec: TableSpec
    position: int
    session: Session
    claims: list[SeatClaim]
    version: int = 0
    started: bool = False
    paused: bool = False
    ended_early: bool = False
    clock: PhaseClock = field(default_factory=PhaseClock)
    seen: dict[int, float] = field(default_factory=dict)
    bots: dict[tuple[int, str], Bot] = field(default_factory=dict)
    summary: TableSummary | None = None
    """The table's debrief summary, once built at the end (see `Room`)."""
    result: ResultFile | None = None
    """The table's result record, once built at the end (see `Room`)."""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def game(self) -> Game:
        return self.session.game

    @property
    def state(self) -> GameState:
        return self.session.state

    @property
    def ended(self) -> bool:
        """The game is over, or the facilitator ended the table."""
        return self.ended_early or self.state.phase == "ended"

    @property
    def running(self) -> bool:
        """Its clock runs and its bots play: started, not paused, not ended."""
        return self.started and not self.paused and not self.ended

    def phase_seconds(self) -> int:
        """The current phase's timer (0: none)."""
        return int(self.spec.timers.get(self.state.phase, 0))

    # --- changing the game (after the Room has logged the change) ---

    def commit(self, actions: list[Action], state: GameState, now: float) -> None:
        """Take on `state`, reached by `actions`; a new phase restarts the clock."""
        before = (self.state.turn, self.state.phase)
        self.session.state = state
        self.session.actions.extend(actions)
        if (state.turn, state.phase) != before:
            self.clock.restart(self.phase_seconds(), now)

    def replay(self, action: Action) -> None:
        """Apply a logged action while the table is rebuilt (ActionError if it is illegal)."""
        self.game.apply_inplace(self.session.state, action)
        self.session.actions.append(action)

    def trial(self, actions: list[Action]) -> GameState:
        """The state after `actions`, leaving the table as it is (ActionError if one is
        illegal)."""
        state = self.state
        for action in actions:
            state = self.game.apply(state, action)
        return state

    # --- bots ---

    def bot_strategy(self, seat: int) -> str | None:
        """The strategy that plays `seat` now: its bot's, or its default bot's while it is
        covered; None when a person plays it (or nobody yet)."""
        claim = self.claims[seat]
        if claim.player == "bot" or claim.covered:
            return claim.strategy or self.spec.defaults[seat] or "random"
        return None

    def someone_here(self) -> bool:
        """A person holds a seat at the table and no bot is covering for them."""
        return any(c.player == "person" and not c.covered for c in self.claims)

    def bot_moves(self, overdue: frozenset[int] = frozenset()) -> tuple[list[Action], GameState]:
        """Every move the table's bots make now, phase after phase, and the state they lead
        to (nothing while the table is not running). Bot seats play as soon as their phase
        opens; covered seats too while someone is at the table (else each waits for its
        timer, so a table of absent people does not race to the end); `overdue` seats play
        in the current phase only."""
        actions: list[Action] = []
        state, now_phase = self.state, (self.state.turn, self.state.phase)
        covered_play = self.someone_here()
        while self.running and state.phase != "ended":
            current = (state.turn, state.phase) == now_phase
            seats = [s for s in self.game.to_act(state)
                     if self.claims[s].player == "bot"
                     or (self.claims[s].covered and covered_play)
                     or (s in overdue and current)]
            if not seats:
                break
            for seat in seats:
                action = self._bot_move(state, seat)
                state = self.game.apply(state, action)
                actions.append(action)
        return actions, state

    def _bot_move(self, state: GameState, seat: int) -> Action:
        """The seat's bot's move on `state`; if the bot errs, the time-out choice."""
        strategy = self.bot_strategy(seat) or "random"
        bot = self.bots.get((seat, strategy))
        if bot is None:
            rng = random.Random(derive(self.spec.seed, "room-bot", seat, strategy))
            bot = self.bots[(seat, strategy)] = make_bot(strategy, self.game.scenario, seat, rng)
        try:
            action = bot.act(self.game.view(state, seat), self.game.legal_actions(state, seat))
            self.game.apply(state, action)
            return action
        except (ActionError, ValueError):
            return timeout_action(self.game, state, seat)

    def overdue(self, now: float) -> list[int]:
        """The seats still to act past the phase timer (none while the table is not
        running); a bot plays each of them."""
        left = self.clock.left(now)
        if not self.running or left is None or left > 0:
            return []
        return self.game.to_act(self.state)

    # --- what others see ---

    def status(self, now: float) -> TableStatus:
        """The table as the facilitator sees it (nothing hidden, no secrets)."""
        state = self.state
        to_act = set(self.game.to_act(state)) if not self.ended else set()
        return TableStatus(
            id=self.id, name=self.spec.name, condition=self.spec.condition,
            turn=min(state.turn, self.game.scenario.turns), turns=self.game.scenario.turns,
            turn_name=self.game.scenario.turn_name, phase=state.phase, paused=self.paused,
            ended=self.ended, ended_early=self.ended_early,
            seconds_left=None if self.ended or not self.started else self.clock.left(now),
            phase_seconds=self.phase_seconds(), version=self.version,
            seats=[self._seat_status(i, i in to_act, now) for i in range(len(self.claims))],
            headlines=[h.headline for h in state.news],
            events=[(e.id, e.headline) for e in self.game.scenario.events])

    def _seat_status(self, seat: int, must_act: bool, now: float) -> SeatStatus:
        claim, s = self.claims[seat], self.state.seats[seat]
        role = self.game.scenario.role(s.role)
        seen = self.seen.get(seat)
        return SeatStatus(
            index=seat, seat_name=s.name, role=s.role, role_name=role.name if role else s.role,
            player=claim.player, person=claim.person, strategy=self.bot_strategy(seat),
            covered_by_bot=claim.covered, must_act=must_act,
            submitted=seat in self.state.submitted, employed=s.employed,
            seen_seconds_ago=None if seen is None else max(0.0, now - seen),
            code_pending=claim.code_hash is not None)


def engine_action(seat: int, phase: str, levels: dict[str, int] | None,
                  effort: dict[str, int] | None, numbers: dict[str, float] | None) -> Action:
    """The engine action for `seat`'s choice in `phase` (numbers only where the engine takes
    them: an engine without numeric decisions refuses them with a clear line)."""
    if phase == "policy":
        if effort or numbers:
            raise ActionError("the policy phase takes policy levels, not effort")
        return SetPolicies(seat=seat, levels=dict(levels or {}))
    if levels:
        raise ActionError("the work phase takes effort, not policy levels")
    if numbers:
        if "numbers" not in Allocate.model_fields:
            raise ActionError("this game has no number choices")
        return Allocate(seat=seat, effort=dict(effort or {}), numbers=dict(numbers))
    return Allocate(seat=seat, effort=dict(effort or {}))
