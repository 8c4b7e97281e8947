"""A glance: the few parts of a seat's view that a planning bot's memo key reads.

A planning bot decides by a pure function of what it perceives, memoised on a key read from
its view (game.bots.forecaster `Forecaster.view_key`, game.bots.policy_plan
`PolicyPlanner.shown_key` and `view_key`); in a simulation nearly every decision is a memo
hit. A `Glance` holds only
the parts those keys read (role, turn, metric readings, policies, own stats, score, rank, the
others as seen from outside), each built by the very code `view()` builds it with, so a key
read from a glance is the key read from the view (tests/bots/test_recall.py checks it for
every seat of every bundled scenario). The view door stays the rule: a glance is a subset of
the seat's view, and reading any other part of it is an AttributeError. When the memo has no
answer, the bot plans from a `Look`: a glance with the few further parts of the view it
reads to plan (its own history, its neighbours, what is in transit to it); the rest of the
view (the news, the leaderboards...) is never built for it.
A glance holds values only, never the game's past (which holds what the seat may not see): its
readings are built as its view builds them, once per past and role.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import NamedTuple

from game.engine.others import Other, outside
from game.engine.past import past_of
from game.engine.readings import Reading, seat_readings, sights_of
from game.engine.state import GameState
from game.engine.view import (Incoming, OwnTurn, _own_history, _own_stats, _public_stats,
                              incoming, neighbours)
from game.scenario.rules import Rules


class Glance(NamedTuple):
    """The parts of `view(rules, state, seat)` that the planners' keys read, equal to the
    view's fields of the same names (the metrics and others as the engine's plain `Reading`s and
    `Other`s, field for field the view's `MetricReading`s and `OtherSeat`s). A named tuple:
    a simulation builds one for nearly every decision."""

    seat: int
    role: str
    employed: bool
    turn: int
    metrics: tuple[Reading, ...] | Unread
    """The seat's readings, or `UNREAD` when they were not asked for (see `glances`)."""
    policies: dict[str, int]
    own_stats: dict[str, float]
    score: float
    rank: int
    others: list[Other]


FIELDS = Glance._fields
"""The fields of a seat's view that its glance shows, under the same names."""


class Look(NamedTuple):
    """A glance with its readings, and the further parts of the view that a planning bot
    reads when its memo has no answer and it plans (game.bots.beliefs `read_beliefs`): its
    own past turns, its neighbours in the order and what is in transit to it. Equal to the
    view's fields of the same names, like a glance's; the rest of the view (the news, the
    leaderboards, the policy changes...) is not built, and reading it is an AttributeError."""

    seat: int
    role: str
    employed: bool
    turn: int
    metrics: tuple[Reading, ...]
    policies: dict[str, int]
    own_stats: dict[str, float]
    score: float
    rank: int
    others: list[Other]
    own_history: list[OwnTurn]
    upstream: int | None
    downstream: int | None
    incoming: list[Incoming]


LOOKED = Look._fields
"""The fields of a seat's view that its look shows, under the same names."""


class NotGlanced(LookupError):
    """A glance's metric readings were read, but the glance was built without them."""


class Unread:
    """In place of readings a glance was built without: any read of it raises `NotGlanced`
    (never a guess such as an empty tuple, which would give a wrong key without a word)."""

    __slots__ = ()

    def _refuse(self, *_args):
        raise NotGlanced("this glance was built without its metric readings")

    __getitem__ = __len__ = __iter__ = __contains__ = __bool__ = _refuse


UNREAD = Unread()


def glances(rules: Rules, state: GameState, seats: Sequence[int],
            readings: bool | Sequence[bool] = True) -> list[Glance]:
    """The glance of each of `seats` at `state` (see the module): the fields `views(rules,
    state, seats)` would give them, built the same way; without `readings` (one flag for all
    the seats, or one per seat), the metrics are `UNREAD` (many planners' keys read none, and
    the readings cost most of a glance: a caller glances again with them when a key raises
    `NotGlanced`)."""
    revealed = state.phase == "ended"
    past = past_of(rules, state.noise_key, state.history)
    shown = outside(past, state.seats, _public_stats(rules, state, revealed))
    sights = sights_of(rules)
    out = []
    for seat, read in zip(seats, repeat(readings) if isinstance(readings, bool) else readings,
                          strict=not isinstance(readings, bool)):
        me = state.seats[seat]
        out.append(Glance(
            seat, me.role, me.employed, state.turn,
            seat_readings(past, sights[me.role, revealed]) if read else UNREAD,
            dict(state.policies), _own_stats(rules, me.stats, revealed), me.score, me.rank,
            [o for o in shown if o.index != seat]))
    return out


def looks(rules: Rules, state: GameState, glanced: Sequence[Glance]) -> list[Look]:
    """The look at `state` of each seat `glanced` at it (see `Look`): its glance (its
    readings built if it was glanced without them), and the parts `views(rules, state,
    seats)` gives the seat beside, built by the same code. The look holds the glance's own
    dicts and lists (a glance is read, never changed)."""
    revealed = state.phase == "ended"
    past = past_of(rules, state.noise_key, state.history)
    near = neighbours(rules, state)
    sights = sights_of(rules)
    out = []
    for glance in glanced:
        seat = glance.seat
        if glance.metrics is UNREAD:
            glance = glance._replace(metrics=seat_readings(past, sights[glance.role, revealed]))
        out.append(Look(*glance, list(_own_history(past, seat, revealed)),
                        *near.get(seat, (None, None)), incoming(rules, state, seat, revealed)))
    return out
