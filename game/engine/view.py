"""What one seat may see: the only door out of the engine for screens and bots.

During play a seat sees metrics through its role's visibility rules (live, lagged, noisy,
hidden), its own stats except those hidden from itself, other seats' stats only while they are
public, the published leaderboards (the reviews' and the scenario's own: see
`game.engine.boards`), the news and the active policies; never a bookkeeping stat. Nobody sees another
seat's choices. When the game has ended everything is revealed for the debrief. The metric
readings are built in `game.engine.readings`, the other seats as seen from outside in
`game.engine.others`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from game.engine.actions import construct_from, to_act
from game.engine.boards import Board, leaderboards
from game.engine.env import global_env_for, per_rules
from game.engine.others import OtherSeat, exported_others, outside
from game.engine.past import Past, nothing, past_of
from game.engine.policy_news import PolicyChange, policy_changes
from game.engine.readings import MetricReading, exported_readings, sights_of
from game.engine.relations import links
from game.engine.state import Choice, GameState, Headline, ReviewRow
from game.scenario.rules import Rules


class LeaderRow(BaseModel):
    """One row of a published leaderboard (frozen: shared by every view of the turn)."""

    model_config = ConfigDict(frozen=True)

    rank: int
    seat: int
    name: str
    score: float


class OwnTurn(BaseModel):
    """A past turn from the seat's own point of view (frozen: built once per turn and seat,
    then shared by that seat's later views)."""

    model_config = ConfigDict(frozen=True)

    turn: int
    choice: Choice
    """Effort points per behaviour id, and the seat's number per decision id."""
    stats: dict[str, float]
    score: float | None
    rank: int | None
    consequences: list[str]


class Incoming(BaseModel):
    """What is in transit to the seat on a flow whose rules let the receiver see it."""

    model_config = ConfigDict(frozen=True)

    flow: str
    due: int
    amount: float


class SeatView(BaseModel):
    """Everything `seat` may see now."""

    seat: int
    name: str
    role: str
    employed: bool
    turn: int
    turns: int
    turn_name: str
    phase: str
    revealed: bool = Field(description="True at the end: nothing is hidden any more.")
    metrics: list[MetricReading]
    policies: dict[str, int]
    own_stats: dict[str, float]
    own_choice: Choice | None
    own_history: list[OwnTurn]
    score: float
    rank: int
    score_total: float
    others: list[OtherSeat]
    leaderboards: dict[str, list[LeaderRow]]
    boards: list[Board] = Field(
        default_factory=list, exclude_if=lambda boards: not boards,
        description="The scenario's own leaderboards shown now (`leaderboards:` in the "
        "file), beside the reviews' own (`leaderboards`); left out of a dump when there are "
        "none, so the views of a scenario without them dump as before.")
    news: list[Headline]
    policy_changes: list[PolicyChange] = Field(
        default_factory=list, description="Every policy change so far, oldest first; this "
        "turn's once its policy phase is over.")
    waiting_for: list[int]
    upstream: int | None = Field(None, description="The seat upstream of this one in the "
                                 "scenario's order (the table order is public).")
    downstream: int | None = Field(None, description="The seat downstream of this one.")
    incoming: list[Incoming] = Field(
        default_factory=list, description="What is in transit to this seat, on the flows "
        "whose rules show it to the receiver (`visible: true`); everything at the end.")

    @model_serializer(mode="wrap")
    def _without_unused_relations(self, handler: Any) -> Any:
        """The dump, without the relations a scenario without an order has (so views of
        older scenarios dump as they always did)."""
        data = handler(self)
        if isinstance(data, dict):
            for key in _RELATIONS:
                if not data.get(key) and data.get(key) != 0:
                    data.pop(key, None)
        return data


_RELATIONS = ("upstream", "downstream", "incoming")


def _own_stats(rules: Rules, stats: dict[str, float], revealed: bool) -> dict:
    """A seat's stats as it sees them itself (copied): never a bookkeeping stat, and a stat
    hidden from itself only once the game has ended."""
    own = dict(stats)
    for sid in _unseen(rules)[revealed]:
        own.pop(sid, None)
    return own


def _unseen_stats(rules: Rules) -> tuple[frozenset[str], frozenset[str]]:
    """The stats a seat does not see of itself during the game (its bookkeeping stats and
    those hidden from itself) and once it has ended (its bookkeeping stats)."""
    bookkeeping = _bookkeeping(rules)
    return bookkeeping | rules.hidden_from_self, bookkeeping


_unseen = per_rules(_unseen_stats)
_bookkeeping = per_rules(lambda rules: frozenset(
    st.id for st in rules.scenario.stats if st.bookkeeping))
"""The ids of the scenario's bookkeeping stats, which no view shows (docs/rules.md)."""


def _own_history(past: Past, seat: int, revealed: bool) -> tuple[OwnTurn, ...]:
    """The seat's past turns, oldest first (each built once, then shared)."""
    key = ("own", seat, revealed)
    own = past.memo.get(key)
    if own is None:
        parent = past.parent  # `past.grown`, inlined for the usual case
        prev = parent.memo.get(key) if parent is not None else None
        own = past.memo[key] = _next_own(prev, past, seat, revealed) if prev is not None \
            else past.grown(key, nothing, _next_own, seat, revealed)
    return own


def _next_own(prev: tuple[OwnTurn, ...], past: Past, seat: int,
              revealed: bool) -> tuple[OwnTurn, ...]:
    """`prev` and the seat's last turn."""
    h = past.records[-1]
    row = _rows_by_seat(past).get(seat)
    return prev + (construct_from(OwnTurn, {
        "turn": h.turn, "choice": dict(h.allocations.get(seat, {})),
        "stats": _own_stats(past.rules, h.stats.get(seat, {}), revealed),
        "score": row.score if row else None, "rank": row.rank if row else None,
        "consequences": list(row.consequences) if row else []}),)


def _rows_by_seat(past: Past) -> dict[int, ReviewRow]:
    """The last turn's review rows by seat."""
    rows = past.memo.get(("rows",))
    if rows is None:
        rows = past.memo[("rows",)] = {}
        for role_rows in past.records[-1].reviews.values():
            for r in role_rows:
                rows.setdefault(r.seat, r)
    return rows


def _past_news(past: Past) -> tuple[Headline, ...]:
    """Every headline of the past turns, oldest first."""
    return past.grown(("news",), nothing, _next_news)


def _next_news(prev: tuple[Headline, ...], past: Past) -> tuple[Headline, ...]:
    return prev + tuple(past.records[-1].news)


def _publicity(rules: Rules) -> tuple[tuple[tuple[str, Callable | None], ...],
                                      frozenset[str], bool]:
    """The public-stat formulas that are not constantly false, in file order, each as its
    compiled function (None when constantly true); the names they read; and whether each of
    those names is a metric, a policy, a constant, `turn` or `turns` (see `_names_env`)."""
    kept = tuple((sid, f.fn if f.constant is None else None)
                 for sid, f in rules.stat_public.items() if f.constant is None or f.constant)
    names = frozenset().union(*(f.names for f in rules.stat_public.values()))
    s = rules.scenario
    plain = {m.id for m in s.metrics} | {p.id for p in s.policies} | set(s.constants)
    return kept, names, names <= plain | {"turn", "turns"} and names.isdisjoint(
        rules.aggregate_names)


_publicity_of = per_rules(_publicity)


def _public_stats(rules: Rules, state: GameState, revealed: bool) -> tuple[str, ...]:
    """The stat ids every seat may see of the others now, in file order (never a
    bookkeeping stat)."""
    if revealed:
        return tuple(sid for sid in rules.stat_public if sid not in _bookkeeping(rules))
    kept, names, plain = _publicity_of(rules)
    if not names:
        genv = {}
    elif plain:
        genv = _names_env(rules, state, names)
    else:
        genv = global_env_for(rules, state, names)
    hidden = _bookkeeping(rules)
    return tuple([sid for sid, fn in kept if (fn is None or fn(genv)) and sid not in hidden])


def _names_env(rules: Rules, state: GameState, names: frozenset[str]) -> dict[str, float]:
    """The values `global_env(rules, state)` gives `names`, which are metrics, policies,
    constants, `turn` or `turns` (not aggregates): for the few formulas that decide what is
    public, much cheaper than copying every constant, metric and policy into a whole env.
    Where a name is in several, the one `global_env` writes last wins, as there."""
    metrics, policies = state.metrics, state.policies
    env = {}
    for name in names:
        if name == "turns":
            env[name] = float(rules.scenario.turns)
        elif name == "turn":
            env[name] = float(state.turn)
        elif name in policies:
            env[name] = policies[name]
        elif name in metrics:
            env[name] = metrics[name]
        else:
            env[name] = rules.scenario.constants[name]
    return env


def _leaderboards(past: Past, state: GameState,
                  revealed: bool) -> dict[str, tuple[LeaderRow, ...]]:
    """The last review's published leaderboards (rows built once per turn, then shared)."""
    if not past.records:
        return {}
    names = tuple([s.name for s in state.seats])
    key = ("boards", revealed, names)
    boards = past.memo.get(key)
    if boards is None:
        reviews = past.rules.reviews
        boards = past.memo[key] = {
            role: tuple([construct_from(LeaderRow, {"rank": r.rank, "seat": r.seat,
                                                    "name": names[r.seat], "score": r.score})
                         for r in rows])
            for role, rows in past.records[-1].reviews.items()
            if revealed or reviews[role].leaderboard}
    return boards


def view(rules: Rules, state: GameState, seat: int) -> SeatView:
    """Exactly what `seat` may see of `state`."""
    return views(rules, state, (seat,))[0]


def views(rules: Rules, state: GameState, seats: Sequence[int]) -> list[SeatView]:
    """`[view(rules, state, s) for s in seats]`, with what the seats have in common built
    once: the others as seen from outside, the readings of each role, the leaderboards and
    the news. Parts that depend only on past turns (and the others, on the values they
    show) are frozen objects built once per turn and shared between views (see `Past`);
    every list and dict of a view is built afresh for each call, so a caller may change
    them."""
    revealed = state.phase == "ended"
    past = past_of(rules, state.noise_key, state.history)
    public = _public_stats(rules, state, revealed)
    others = exported_others(past, outside(past, state.seats, public))
    boards = _leaderboards(past, state, revealed)
    own_boards = leaderboards(rules, state, revealed)
    news = [*_past_news(past), *state.news]
    changes = policy_changes(past, state)
    waiting = to_act(rules, state)
    scenario = rules.scenario
    turn, turns, turn_name, phase = state.turn, scenario.turns, scenario.turn_name, state.phase
    policies, submitted = state.policies, state.submitted
    sights = sights_of(rules)
    near = neighbours(rules, state)
    out = []
    for seat in seats:
        me = state.seats[seat]
        choice = submitted.get(seat)
        out.append(construct_from(SeatView, {
            "seat": seat, "name": me.name, "role": me.role, "employed": me.employed,
            "turn": turn, "turns": turns, "turn_name": turn_name, "phase": phase,
            "revealed": revealed,
            "metrics": list(exported_readings(past, sights[me.role, revealed])),
            "policies": dict(policies),
            "own_stats": _own_stats(rules, me.stats, revealed),
            "own_choice": dict(choice) if choice is not None else None,
            "own_history": list(_own_history(past, seat, revealed)),
            "score": me.score, "rank": me.rank, "score_total": me.score_total,
            "others": [o for o in others if o.index != seat],
            "leaderboards": {role: list(rows) for role, rows in boards.items()},
            "boards": list(own_boards),
            "news": list(news), "policy_changes": list(changes),
            "waiting_for": list(waiting),
            "upstream": near.get(seat, (None, None))[0],
            "downstream": near.get(seat, (None, None))[1],
            "incoming": incoming(rules, state, seat, revealed)}))
    return out


def neighbours(rules: Rules, state: GameState) -> dict[int, tuple[int | None, int | None]]:
    """Each employed seat of the scenario's order: (its upstream seat, its downstream one),
    None at the ends of a chain; no seat without an order (the table order is public)."""
    if not rules.order:
        return {}
    return links(rules.order, [(s.index, s.role) for s in state.seats if s.employed])


def incoming(rules: Rules, state: GameState, seat: int, revealed: bool) -> list[Incoming]:
    """What is in transit to `seat` on flows it may see (all of them once revealed),
    soonest first."""
    if not state.transit:
        return []
    shown = {f.id for f in rules.flows if f.visible or revealed}
    return [Incoming(flow=t.flow, due=t.due, amount=t.amount)
            for t in sorted(state.transit, key=lambda t: (t.due, t.flow))
            if t.seat == seat and t.flow in shown]
