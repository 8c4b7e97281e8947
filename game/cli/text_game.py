"""The whole game in a terminal: hot-seat humans, bots in the other seats, the reveal at the end.

Every screen is drawn from `game.view(state, seat)` only. Between two human seats a hand-off
screen clears the terminal, so the next player never sees the previous player's screen.
`?` or `help` at any prompt explains it. A workshop table's phase timers apply as in its
window: each prompt shows the time left, and when it runs out the seat's previous choice (or a
default, see `game.workshop.facilitator.timeout_action`) is submitted for it. The screens
themselves, and the parsing of answers, are in `game.cli.text_screens`.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

from game.analysis.what_if import WhatIfResult
from game.bots import make_bot
from game.cli.text_clock import Lines, TimeUp, deadline_label
from game.cli.text_help import (HANDOFF_HELP, PREDICTION_HELP, effort_help, in_words,
                                is_help, names_of, policy_help)
from game.cli.text_screens import (RULE, describe_choice, parse_effort, parse_policies,
                                   render_effort_menu, render_policy_menu, render_reveal,
                                   render_view, wrap)
from game.engine.actions import Action, Legal
from game.engine.rng import derive
from game.engine.save import Session
from game.engine.view import SeatView
from game.errors import ActionError
from game.scenario.scoring import change_lines
from game.workshop.facilitator import timeout_action
from game.workshop.result import session_what_if

if TYPE_CHECKING:
    from game.workshop.model import Timers

class InputEnded(Exception):
    """Standard input ran out; the game is saved and can be resumed."""


class TextGame:
    """Runs a session in the terminal until the game ends or input runs out."""

    def __init__(self, session: Session, out: TextIO | None = None,
                 read: Callable[[float | None], str | None] | None = None,
                 timers: Timers | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`read(timeout)` gives the next input line (None when input has ended) or raises
        TimeUp; `out` is standard output unless given; `timers` are a workshop table's seconds
        per phase (none if absent)."""
        self.session = session
        self.game = session.game
        self.out = out if out is not None else sys.stdout
        self._read = read or Lines().read
        self.timers = timers
        self.clock = clock
        self.names = names_of(self.game.scenario)
        self.bots = {i: make_bot(s.strategy, self.game.scenario, i,
                                 random.Random(derive(session.seed, "bot", i)))
                     for i, s in enumerate(session.seats) if s.is_bot}
        self.humans = [i for i, s in enumerate(session.seats) if not s.is_bot]
        self.last_human: int | None = None
        self.reported_turn = session.state.turn
        self.predictions: dict[int, float] = {}
        """Each human seat's guess of the final health, once every guess is in."""

    @cached_property
    def what_if(self) -> WhatIfResult | None:
        """The ended game's what-if replay (None when the scenario declares no contrasting
        regime), played once for both the reveal and a workshop table's result file."""
        return session_what_if(self.session)

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def ask(self, prompt: str, help_text: str = "", deadline: float | None = None) -> str:
        """The player's answer; `?` or `help` shows `help_text` and asks again. With a
        `deadline` (a `clock` time) the prompt shows the time left, and TimeUp is raised
        when it passes."""
        while True:
            left = None if deadline is None else deadline - self.clock()
            shown = prompt if left is None else f"[{deadline_label(left)} left] {prompt}"
            self.out.write(shown)
            self.out.flush()
            line = self._read(left)
            if line is None:
                raise InputEnded
            if help_text and is_help(line):
                self.say(help_text)
                continue
            return line.strip()

    def run(self) -> int:
        """Play to the end; returns an exit code."""
        try:
            self._intro()
            while not self.game.is_terminal(self.session.state):
                self._step()
            self._ending()
        except InputEnded:
            self.say("\nInput ended. The game is saved; continue it with `goodhart resume --text`.")
        return 0

    def _intro(self) -> None:
        s = self.game.scenario
        self.say(RULE)
        self.say(f"{s.title}")
        self.say(RULE)
        self.say(wrap(s.summary))
        self.say(f"\n{s.turns} {s.turn_name}s. At the table:")
        for i, seat in enumerate(self.session.seats):
            who = "human" if not seat.is_bot else f"bot ({seat.strategy})"
            role = self.game.scenario.role(seat.role).name
            self.say(f"  {i + 1}. {seat.name:<24} {role:<22} {who}")
        self.say()

    def _step(self) -> None:
        """Let the next seat act: a bot at once, a human after the hand-off."""
        state = self.session.state
        seat = self.game.to_act(state)[0]
        view, legal = self.game.view(state, seat), self.game.legal_actions(state, seat)
        if seat in self.bots:
            action = self.bots[seat].act(view, legal)
        else:
            self._handoff(seat)
            action = self._ask_action(view, legal)
        before = self.session.state.phase
        self.session.act(action)
        if before == "policy" and self.session.state.phase == "work":
            self._policy_report()
        if self.session.state.turn != self.reported_turn:
            self._turn_report()

    def _policy_report(self) -> None:
        """Public news after the policy phase: each policy changed, and what it changes for
        each role."""
        state = self.session.state
        view = self.game.view(state, self.humans[0] if self.humans else 0)
        changes = [c for c in view.policy_changes if c.turn == state.turn]
        name = self.game.scenario.turn_name
        for c in changes:
            first, *rest = change_lines(self.game.scenario, c.policy, c.before, c.after)
            self.say(wrap(first, f"  POLICY ({name} {state.turn}): "))
            for line in rest:
                self.say(wrap(line, "      "))

    def _handoff(self, seat: int) -> None:
        """Clear the previous human's screen before the next one sees theirs."""
        if len(self.humans) > 1 and self.last_human not in (None, seat):
            _clear(self.out)
            name = self.session.seats[seat].name
            self.ask(f"Pass the keyboard to {name}. {name}: press Enter when ready. ",
                     HANDOFF_HELP)
            _clear(self.out)
        self.last_human = seat

    def _ask_action(self, view: SeatView, legal: Legal) -> Action:
        """Show the seat its screen and read a legal choice, asking again after a mistake;
        when the seat's time runs out, its previous choice or a default."""
        self.say(render_view(self.game.scenario, view))
        deadline = self._deadline(legal)
        try:
            while True:
                action = self._read_action(view, legal, deadline)
                if isinstance(action, str):
                    self.say(f"  ! {in_words(action, self.names)}")
                    continue
                try:
                    self.game.apply(self.session.state, action)
                    return action
                except ActionError as err:
                    self.say(f"  ! {in_words(err.message, self.names)}")
        except TimeUp:
            return self._time_up(legal)

    def _read_action(self, view: SeatView, legal: Legal, deadline: float | None):
        """One try at the seat's choice: an action, or a message saying what is wrong."""
        scenario = self.game.scenario
        if legal.phase == "policy":
            self.say(render_policy_menu(legal, self.names))
            return parse_policies(legal, self.ask("policies> ", policy_help(scenario, legal),
                                                  deadline))
        self.say(render_effort_menu(legal))
        last = view.own_history[-1].choice if view.own_history else {}
        prompt = "effort> " if legal.effort else "numbers> "
        return parse_effort(legal, self.ask(prompt, effort_help(scenario, legal), deadline),
                            last)

    def _deadline(self, legal: Legal) -> float | None:
        """When this seat's time for this phase runs out (None without a timer)."""
        if self.timers is None:
            return None
        seconds = self.timers.policy if legal.phase == "policy" else self.timers.work
        return self.clock() + seconds if seconds > 0 else None

    def _time_up(self, legal: Legal) -> Action:
        """The choice submitted for a seat whose time ran out, said in words."""
        action = timeout_action(self.game, self.session.state, legal.seat)
        name = self.session.seats[legal.seat].name
        self.say(f"\n  Time is up: {name}'s choice was submitted: "
                 f"{describe_choice(self.game.scenario, action)}.")
        return action

    def _turn_report(self) -> None:
        """The public news of a resolved turn: the leaderboards and the new headlines."""
        state = self.session.state
        record = state.history[-1]
        self.reported_turn = state.turn
        name = self.game.scenario.turn_name
        self.say(f"\n{RULE}\nEnd of {name} {record.turn}: reviews\n{RULE}")
        view = self.game.view(state, self.humans[0] if self.humans else 0)
        for role, rows in view.leaderboards.items():
            self.say(f"  {self.game.scenario.role(role).name} leaderboard:")
            for row in rows:
                self.say(f"    {row.rank}. {row.name:<28} {row.score:8.1f}")
        for h in state.news:
            self.say(f"  NEWS ({name} {h.turn}): {h.headline}")
        self.say()

    def _ending(self) -> None:
        """Predictions first, then the reveal, layer by layer."""
        predictions: dict[int, float] = {}
        self.say(f"\n{RULE}\nThe game is over. Before the reveal...\n{RULE}")
        for seat in self.humans:
            name = self.session.seats[seat].name
            while True:
                answer = self.ask(f"{name}: how healthy is the company now, 0-100? [50] ",
                                  PREDICTION_HELP) or "50"
                try:
                    predictions[seat] = max(0.0, min(100.0, float(answer)))
                    break
                except ValueError:
                    self.say("  ! a number from 0 to 100, please")
        self.predictions = predictions
        self.say(render_reveal(self.game.scenario, self.session.state, predictions,
                               self.session.seats, self.what_if))


def _clear(out: TextIO) -> None:
    if out.isatty():
        out.write("\033[H\033[2J\033[3J")
    else:
        out.write("\n" * 3 + "-" * 72 + "\n(screen cleared)\n")
    out.flush()
