"""The facilitator's controls as plain logic (no pygame): timers, time-out choices, events to
inject, and the projector view.

- `Countdown`: one seat's time for one phase; it can be paused, and says once when it runs out.
- `timeout_action`: what is submitted for a seat whose time ran out: the choice on its screen
  if that is legal, else the same as its previous turn, else a default (policies kept as they
  are; effort split evenly over the available behaviours).
- `injectable_events` and `inject`: fire one of the scenario's events now, through the session,
  so the injection is in the action log and replays.
- `projector_view`: only what everyone at the table may see, built from the seats' own views:
  the turn, the news, the published leaderboards, the active policies, who still has to
  choose, and the metrics every role at the table sees alike. Never a seat's private view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.engine import Allocate, Game, GameState, InjectEvent, SetPolicies
from game.engine.actions import allocation_from
from game.engine.actions import Action, Legal
from game.engine.save import Session
from game.engine.state import Headline
from game.engine.view import LeaderRow, MetricReading
from game.errors import ActionError
from game.scenario.model import Scenario

__all__ = ["Countdown", "ProjectorView", "even_split", "inject", "injectable_events",
           "projector_view", "timeout_action"]


class Countdown:
    """Seconds left for one seat's phase; `tick` returns True once, when time runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.remaining = float(seconds)
        self.paused = False
        self.fired = False

    @property
    def enabled(self) -> bool:
        return self.seconds > 0

    def tick(self, dt: float) -> bool:
        """Let `dt` seconds pass (unless paused); True the first time the time is up."""
        if not self.enabled or self.paused or self.fired:
            return False
        self.remaining = max(0.0, self.remaining - dt)
        if self.remaining <= 0.0:
            self.fired = True
            return True
        return False

    def label(self) -> str:
        """`1:05`, as shown on screen."""
        whole = int(self.remaining + 0.999)
        return f"{whole // 60}:{whole % 60:02d}"


# --- time-out choices ---

def even_split(legal: Legal) -> Allocate:
    """The effort spread as evenly as the behaviours' limits allow, in file order."""
    effort = {b.id: 0 for b in legal.behaviours if b.available and b.max_effort > 0}
    left = legal.effort
    while left > 0:
        open_ = [bid for bid, n in effort.items()
                 if n < next(b.max_effort for b in legal.behaviours if b.id == bid)]
        if not open_:
            break
        for bid in open_:
            if left == 0:
                break
            effort[bid] += 1
            left -= 1
    return Allocate(seat=legal.seat, effort={k: v for k, v in effort.items() if v})


def _previous(game: Game, state: GameState, seat: int, legal: Legal) -> Action | None:
    """The seat's choice from its previous turn, if it had one."""
    if legal.phase == "policy":
        return SetPolicies(seat=seat, levels={p.id: p.current for p in legal.policies})
    if state.history and seat in state.history[-1].allocations:
        return allocation_from(seat, state.history[-1].allocations[seat], legal)
    return None


def timeout_action(game: Game, state: GameState, seat: int,
                   draft: Action | None = None) -> Action:
    """The choice submitted when a seat's time is up: its draft, its last turn's, or a default."""
    legal = game.legal_actions(state, seat)
    if not legal.must_act:
        raise ActionError(f"seat {seat + 1} has nothing to choose now")
    default = even_split(legal) if legal.phase == "work" else SetPolicies(
        seat=seat, levels={p.id: (p.current if p.locked else 0) for p in legal.policies})
    for candidate in (draft, _previous(game, state, seat, legal), default):
        if candidate is None:
            continue
        try:
            game.apply(state, candidate)
            return candidate
        except ActionError:
            continue
    return Allocate(seat=seat, effort={}) if legal.phase == "work" else default


# --- events ---

def injectable_events(scenario: Scenario) -> list[tuple[str, str]]:
    """Every event of the scenario as (id, headline), in file order."""
    return [(e.id, e.headline) for e in scenario.events]


def inject(session: Session, event_id: str) -> Headline:
    """Fire an event now through the session (logged and autosaved); the new headline."""
    before = len(session.state.news)
    session.act(InjectEvent(event=event_id))
    news = session.state.news
    return news[-1] if len(news) > before else Headline(
        turn=session.state.turn, event=event_id, headline=event_id, injected=True)


# --- the projector ---

@dataclass
class ProjectorView:
    """What the projector may show: public by construction."""

    title: str
    turn: int
    turns: int
    turn_name: str
    phase: str
    ended: bool
    news: list[Headline] = field(default_factory=list)
    leaderboards: dict[str, list[LeaderRow]] = field(default_factory=dict)
    policies: list[str] = field(default_factory=list)
    waiting_for: list[str] = field(default_factory=list)
    metrics: list[MetricReading] = field(default_factory=list)


def projector_view(game: Game, state: GameState) -> ProjectorView:
    """The table's public information, from the seats' views, keeping what all see alike."""
    s = game.scenario
    roles = sorted({seat.role for seat in state.seats})
    views = [game.view(state, next(x.index for x in state.seats if x.role == r)) for r in roles]
    first = views[0]
    published = {role for role, review in s.reviews.items() if review.leaderboard}
    specs = {p.id: p for p in s.policies}
    policies = [specs[pid].name + (f": {specs[pid].levels[lv]}" if len(specs[pid].levels) > 2
                                   else "") + (" (locked)" if pid in state.locked else "")
                for pid, lv in first.policies.items() if lv > 0 and pid in specs]
    return ProjectorView(
        title=s.title, turn=min(first.turn, s.turns), turns=first.turns,
        turn_name=first.turn_name, phase=first.phase, ended=first.phase == "ended",
        news=list(first.news), policies=policies,
        leaderboards={r: rows for r, rows in first.leaderboards.items() if r in published},
        waiting_for=[state.seats[i].name for i in first.waiting_for],
        metrics=_shared_metrics(views))


def _shared_metrics(views: list) -> list[MetricReading]:
    """Metrics that every role sees live and identically (no noise, nothing hidden)."""
    out = []
    for k, reading in enumerate(views[0].metrics):
        same = all(v.metrics[k].history == reading.history and v.metrics[k].note == reading.note
                   for v in views[1:])
        if same and reading.value is not None and "estimate" not in reading.note:
            out.append(reading)
    return out
