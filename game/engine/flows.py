"""Flows between neighbouring seats (docs/rules.md, "Flows"): what is in transit at the start
of a game. What the seats ship at the end of a turn's resolution, and what arrives, is
resolution's (game.engine.batch.flows).

A shipment is fixed when it is sent: its amount (the sender's `from`, after this turn's work
and dynamics) and its receiver (the sender's neighbour then). It is added to the receiver's
stat `to` in the turn it falls due, clamped to the stat's bounds; an amount sent past the
end of a chain, or to a seat without the stat, leaves the game.
"""

from __future__ import annotations

from game.engine.relations import links
from game.engine.state import GameState, Transit
from game.scenario.rules import CFlow, Rules


def _rows(state: GameState) -> list[tuple]:
    """(index, role) of every employed seat, in seat order: what `links` reads."""
    return [(s.index, s.role) for s in state.seats if s.employed]


def _receiver(flow: CFlow, near: tuple[int | None, int | None]) -> int | None:
    """The seat a sender with neighbours `near` (upstream, downstream) ships to."""
    return near[0] if flow.upstream else near[1]


def initial_transit(rules: Rules, state: GameState) -> list[Transit]:
    """What is in transit as the game starts: for every flow with an `initial` amount, that
    much on its way from each sending seat to its neighbour, arriving in each of turns 1 to
    `delay` (as if shipped in the turns before the first)."""
    out = []
    near = links(rules.order, _rows(state))
    for flow in rules.flows:
        if flow.initial <= 0:
            continue
        for index, pair in near.items():
            receiver = _receiver(flow, pair)
            if receiver is None or state.seats[index].role not in flow.roles:
                continue
            out += [Transit(flow=flow.id, due=due, seat=receiver, amount=flow.initial)
                    for due in range(1, flow.delay + 1)]
    return out
