"""The other seats as a seat sees them: who they are, and only their stats that are public now.

Inside the engine each is a plain `Other` (a named tuple: glances are built at every decision
of a simulation, where a pydantic model per seat and turn cost more than the rest of the
glance); a view exports them as the pydantic `OtherSeat`s of the same fields
(`exported_others`). Both are kept per past and shared by every view and glance of a state.
"""

from __future__ import annotations

from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from game.engine.actions import construct_from
from game.engine.past import Past
from game.engine.state import SeatState

__all__ = ["Other", "OtherSeat", "exported_others", "outside"]


class OtherSeat(BaseModel):
    """Another seat: who it is, and only the stats that are public right now (frozen: the
    views of one state share it, see `game.engine.view.views`)."""

    model_config = ConfigDict(frozen=True)

    index: int
    name: str
    role: str
    employed: bool
    stats: dict[str, float]


Other = NamedTuple("Other", [(name, field.annotation)
                             for name, field in OtherSeat.model_fields.items()])
Other.__doc__ = """An `OtherSeat` as the engine keeps it: the same fields in the same order
(made from the model's, so they cannot drift apart), plain and frozen (its `stats` are never
changed once built)."""


def outside(past: Past, seats: list[SeatState], public: tuple[str, ...]) -> list[Other]:
    """Every seat as the others see it (see `_as_other`). The previous views of the same
    turn (the other phase) mostly show the same: a seat's `Other` from then is kept while it
    shows the very same name, role, employment and stat values (the same objects, not equal
    ones: 0.0 and -0.0 are equal but dump differently)."""
    key = ("outside", public)
    before = past.memo.get(key)
    if before is None or len(before) != len(seats):
        out = [_as_other(s, public) for s in seats]
    else:
        out = [o if o.index == s.index and o.employed is s.employed and o.name == s.name
               and o.role == s.role and _shows(o.stats, s.stats, public)
               else _as_other(s, public)
               for o, s in zip(before, seats)]
    past.memo[key] = out
    return out


def exported_others(past: Past, others: list[Other]) -> list[OtherSeat]:
    """`others` (as `outside` gave them for this past) as the pydantic `OtherSeat`s a view
    exports: each built once, and kept while `outside` keeps its plain one."""
    before = past.memo.get("exported others", {})
    kept = {}  # id -> (plain, exported): it holds the plain one, so the id stays its own
    for o in others:
        pair = before.get(id(o))
        kept[id(o)] = pair if pair is not None and pair[0] is o \
            else (o, construct_from(OtherSeat, o._asdict()))
    past.memo["exported others"] = kept
    return [model for _, model in kept.values()]


def _shows(shown: dict[str, float], stats: dict[str, float], public: tuple[str, ...]) -> bool:
    """Whether `shown` holds the very objects `stats` has for the `public` stats."""
    n = 0
    for sid in public:  # a loop, not a comprehension: often there is none
        if sid in stats:
            if shown.get(sid) is not stats[sid]:
                return False
            n += 1
    return n == len(shown)


def _as_other(seat: SeatState, public: tuple[str, ...]) -> Other:
    """`seat` as the other seats see it: only its public stats (in the seat's own order,
    which is file order, as `public` is)."""
    stats = seat.stats
    shown = {}
    for sid in public:  # a loop, not a comprehension: often there is none
        if sid in stats:
            shown[sid] = stats[sid]
    return Other(seat.index, seat.name, seat.role, seat.employed, shown)
