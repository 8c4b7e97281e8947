"""The whole game in a terminal: hot-seat humans, bots in the other seats, the reveal at the end.

Every screen is drawn from `game.view(state, seat)` only. Between two human seats a hand-off
screen clears the terminal, so the next player never sees the previous player's screen.
`?` or `help` at any prompt explains it. A workshop table's phase timers apply as in its
window: each prompt shows the time left, and when it runs out the seat's previous choice (or a
default, see `game.workshop.facilitator.timeout_action`) is submitted for it.
"""

from __future__ import annotations

import random
import sys
import textwrap
import time
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

from game.analysis.facts import fact_sentences, game_facts, shown_lessons
from game.analysis.indices import gap_series, index_series, seat_outcomes
from game.analysis.what_if import (WhatIfResult, comparison_text, game_rank_agreement,
                                   what_if_for_state)
from game.bots import make_bot
from game.cli.text_clock import Lines, TimeUp, deadline_label
from game.cli.text_help import (HANDOFF_HELP, HINT, PREDICTION_HELP, effort_help, in_words,
                                is_help, names_of, policy_help)
from game.engine import Allocate, SetPolicies
from game.engine.actions import Action, Legal
from game.engine.rng import derive
from game.engine.save import Session
from game.engine.view import SeatView
from game.errors import ActionError
from game.scenario.scoring import change_lines, scoring_lines
from game.workshop.facilitator import timeout_action
from game.workshop.result import session_what_if

if TYPE_CHECKING:
    from game.workshop.model import Timers

RULE = "=" * 72


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
        self.say(_wrap(s.summary))
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
            self.say(_wrap(first, f"  POLICY ({name} {state.turn}): "))
            for line in rest:
                self.say(_wrap(line, "      "))

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
        return parse_effort(legal, self.ask("effort> ", effort_help(scenario, legal), deadline),
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
        predictions = {}
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


def _wrap(text: str, indent: str = "") -> str:
    """Text wrapped to 72 columns; continuation lines line up under the first word."""
    return textwrap.fill(" ".join(text.split()), width=72, initial_indent=indent,
                         subsequent_indent=" " * len(indent))


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "?"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return f"{text}{' ' + unit if unit else ''}"


def render_view(scenario, view: SeatView) -> str:
    """One seat's screen as text."""
    role = scenario.role(view.role).name
    lines = [RULE, f"{scenario.turn_name.capitalize()} {view.turn} of {view.turns} · "
                   f"{view.name} ({role})", RULE]
    news = [h for h in view.news if h.turn == view.turn]
    if news:
        lines.append("News")
        for h in news:
            lines.append(f"  * {h.headline}")
            if h.text:
                lines.append(_wrap(h.text, "    "))
    lines.append("The company, as you see it")
    width = max(len(m.name) for m in view.metrics)
    for m in view.metrics:
        lines.append(f"  {m.name:<{width}}  {_fmt(m.value, m.unit):>16}   ({m.note})")
    active = [f"{p.name}" + (f": {p.levels[view.policies[p.id]]}" if len(p.levels) > 2 else "")
              for p in scenario.policies if view.policies.get(p.id, 0) > 0]
    lines.append("Policies in force: " + (", ".join(active) if active else "none"))
    new = frozenset(c.policy for c in view.policy_changes if c.turn == view.turn and c.after)
    lines.append("How you earn review points")
    lines += [_wrap(text, "  - ") for text in scoring_lines(scenario, view.role, view.policies,
                                                             new)]
    stats = {s.id: s for s in scenario.stats}
    if view.own_stats:
        lines.append("You")
        width = max(len(stats[k].name) for k in view.own_stats)
        lines += [f"  {stats[k].name:<{width}}  {_fmt(v, stats[k].unit):>16}"
                  for k, v in view.own_stats.items()]
    if view.rank:
        lines.append(f"Your last review: score {view.score:.1f}, rank {view.rank}")
    for role_id, rows in view.leaderboards.items():
        lines.append(f"Leaderboard ({scenario.role(role_id).name}): " +
                     "  ".join(f"{r.rank}. {r.name} {r.score:.1f}" for r in rows))
    public = [(o.name, o.stats) for o in view.others if o.stats]
    for name, values in public:
        lines.append(f"  {name}: " + ", ".join(f"{stats[k].name.lower()} {_fmt(v)}"
                                              for k, v in values.items()))
    return "\n".join(lines)


def render_policy_menu(legal: Legal, names: dict[str, str] | None = None) -> str:
    """The policy choices, numbered; `names` shows excluded policies by name, not id."""
    names = names or {}
    lines = [f"Your policies (budget {legal.budget:g} points):"]
    for i, p in enumerate(legal.policies, start=1):
        excluded = ", ".join(names.get(x, x) for x in p.excludes)
        extra = f"  excludes {excluded}" if p.excludes else ""
        lock = "  [locked]" if p.locked else ""
        lines.append(f"  {i:>2}. {p.name:<34} now {p.levels[p.current]:<8} cost {p.cost:g}/level"
                     f"  levels: {'/'.join(p.levels)}{extra}{lock}")
    lines.append('Type changes like "1=1 3=0" (number=level), or press Enter to keep them. '
                 + HINT)
    return "\n".join(lines)


def render_effort_menu(legal: Legal) -> str:
    lines = [f"Split your {legal.effort} effort points:"]
    for i, b in enumerate(legal.behaviours, start=1):
        note = "" if b.available else "  (not available now)"
        lines.append(f"  {i:>2}. {b.name}{note}")
    lines.append('Type points like "1=4 2=6" (number=points), or press Enter to repeat last '
                 'turn. ' + HINT)
    return "\n".join(lines)


def describe_choice(scenario, action: Action) -> str:
    """A choice in the scenario's words: `Hand-written work 5, AI on a bottleneck 5`."""
    if isinstance(action, SetPolicies):
        specs = {p.id: p for p in scenario.policies}
        on = [f"{specs[pid].name} {specs[pid].levels[level]}"
              for pid, level in action.levels.items() if level > 0 and pid in specs]
        return "policies " + (", ".join(on) if on else "all off")
    names = {b.id: b.name for b in scenario.behaviours}
    spent = [f"{names.get(bid, bid)} {points}" for bid, points in action.effort.items() if points]
    return "effort " + (", ".join(spent) if spent else "none placed")


def _pairs(text: str, ids: list[str]) -> dict[str, int] | str:
    """Parse `a=1 b=2` (numbers or ids) into {id: int}, or a message saying what is wrong."""
    out: dict[str, int] = {}
    for word in text.replace(",", " ").split():
        key, sep, value = word.partition("=")
        if not sep:
            return f"'{word}' should look like number=value"
        if key.isdigit() and 1 <= int(key) <= len(ids):
            key = ids[int(key) - 1]
        if key not in ids:
            return f"'{key}' is not on the list"
        try:
            out[key] = int(value)
        except ValueError:
            return f"'{value}' is not a whole number"
    return out


def parse_policies(legal: Legal, text: str) -> SetPolicies | str:
    levels = {p.id: p.current for p in legal.policies}
    changes = _pairs(text, [p.id for p in legal.policies])
    if isinstance(changes, str):
        return changes
    levels.update(changes)
    return SetPolicies(seat=legal.seat, levels=levels)


def parse_effort(legal: Legal, text: str, last: dict[str, int]) -> Allocate | str:
    if not text:
        return Allocate(seat=legal.seat, effort={k: v for k, v in last.items() if v})
    effort = _pairs(text, [b.id for b in legal.behaviours])
    if isinstance(effort, str):
        return effort
    return Allocate(seat=legal.seat, effort=effort)


PLAY_WHAT_IF = "play"


def render_reveal(scenario, state, predictions: dict[int, float], seats,
                  what_if: WhatIfResult | None | str = PLAY_WHAT_IF) -> str:
    """The end screen in text: indices, gap, ranks against contributions, events, lessons.
    `what_if` is the game's what-if replay if it has been played (None: there is none);
    by default it is played here."""
    proxy, health = index_series(scenario, state)
    gap = gap_series(proxy, health)
    lines = [RULE, "What really happened", RULE]
    for seat, guess in predictions.items():
        lines.append(f"  {seats[seat].name} predicted health {guess:.0f}; "
                     f"it ended at {health[-1]:.0f}.")
    lines.append(f"\n  {'':<10}{'proxy index':>14}{'health index':>14}{'gap':>8}")
    for t, (p, h, g) in enumerate(zip(proxy, health, gap)):
        label = "start" if t == 0 else f"{scenario.turn_name} {t}"
        lines.append(f"  {label:<10}{p:>14.1f}{h:>14.1f}{g:>+8.1f}  "
                     f"{'P' * int(p / 5):<20}|{'H' * int(h / 5)}")
    outcomes = seat_outcomes(scenario, state)
    for role in scenario.roles:
        rows = sorted((o for o in outcomes if o.role == role.id), key=lambda o: o.leaderboard_rank)
        if len(rows) < 2:
            continue
        lines.append(f"\n{role.name}s: leaderboard rank against real contribution")
        for o in rows:
            gone = "" if o.employed else "  (laid off)"
            lines.append(f"  {o.name:<24} rank {o.leaderboard_rank}  score {o.score_total:8.1f}"
                         f"   contribution {o.contribution:8.1f} (rank {o.contribution_rank}){gone}")
    events = [h for rec in state.history for h in rec.news]
    if events:
        lines.append("\nEvents")
        lines += [f"  {scenario.turn_name} {h.turn}: {h.headline}" for h in events]
    facts = game_facts(scenario, state)
    lines.append("\nThis game in numbers")
    lines += [_wrap(text, "  - ") for text in fact_sentences(facts)]
    if what_if == PLAY_WHAT_IF:
        what_if = what_if_for_state(scenario, state, list(seats))
    lines += what_if_lines(scenario, state, what_if, proxy, health)
    lessons = shown_lessons(scenario, facts)
    if lessons:
        lines.append("\nLessons")
        lines += [_wrap(text, "  - ") for text in lessons]
    if scenario.debrief.questions:
        lines.append("\nTo discuss")
        lines += [_wrap(text, "  ? ") for text in scenario.debrief.questions]
    return "\n".join(lines)


def what_if_lines(scenario, state, other: WhatIfResult | None, proxy: list[float],
                  health: list[float]) -> list[str]:
    """The what-if comparison (the same company replayed under the regime the game followed
    least); no lines when the scenario declares no such regime."""
    if other is None:
        return []
    ranks = game_rank_agreement(scenario, state)
    return [""] + [_wrap(line, "  " * line.startswith("  ")) if len(line) > 72 else line
                   for line in comparison_text(proxy, health, ranks, other)]
