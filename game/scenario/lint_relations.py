"""Lint checks for random draws by scope and for flows between seats (game.scenario.lint
runs them with its other checks).

A draw's scope decides how many values there are: a `uniform` or `normal` draw without
`scope` gives each seat its own value only in behaviours, and a `seat` draw has no seat to
be drawn for in a company formula. Where a formula reads a draw in the other way than its
scope gives, the author most likely meant the other scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from game.scenario.compiled import CEffect, Loc, Rules
from game.scenario.model import Scenario


@dataclass(frozen=True)
class Finding:
    """As game.scenario.lint.Finding (kept apart so lint can import this module)."""

    loc: Loc
    severity: str
    message: str


def _outside_seats(rules: Rules) -> Iterator[tuple[Loc, CEffect]]:
    """Every effect outside behaviours and consequences, with its place in the file."""
    for i, p in enumerate(rules.policies):
        for j, e in enumerate(p.effects):
            yield ("policies", i, "effects", j), e
    for i, ev in enumerate(rules.events):
        for j, e in enumerate(ev.effects):
            yield ("events", i, "effects", j), e
    for j, e in enumerate(rules.dynamics):
        yield ("dynamics", j), e


def check_draw_scopes(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """A draw read where its scope gives a different number of values than the formula is
    worked out for: an old-style draw in a per-seat effect outside behaviours (one value
    shared by every seat), or a per-seat draw in a company formula (one per turn)."""
    legacy = set(rules.legacy_draws)
    per_seat = {k for k, d in rules.keyed_draws if d.per_seat}
    for loc, e in _outside_seats(rules):
        read = sorted(e.names & legacy) if e.on_seat else []
        if read:
            yield Finding(loc, "warning", f"draw '{read[0]}' has one value per turn for every "
                          f"seat here (a uniform or normal draw without `scope` is drawn per "
                          f"seat only in behaviours): add `scope: seat` to it for a value per "
                          f"seat, or `scope: turn` if one shared value is what you mean")
        read = sorted(e.names & per_seat) if not e.on_seat else []
        if read:
            yield Finding(loc, "warning", _company(read[0]))
    for i, ev in enumerate(rules.events):
        read = sorted((ev.when.names | ev.chance.names) & per_seat)
        if read:
            yield Finding(("events", i), "warning", _company(read[0]))


def _company(name: str) -> str:
    """The warning for a per-seat draw read in a formula worked out once for the company."""
    return (f"draw '{name}' has a value per seat, but this formula is worked out once for the "
            f"company, so it reads one value per turn: write `scope: turn` on the draw to say "
            f"so, or read it into a stat in a seat's effect")


def _receivers(rules: Rules, senders: frozenset[str], upstream: bool) -> list[str]:
    """The roles whose seats can be the neighbour a flow's sending roles ship to: the same
    role (when it may have several seats) and the next role on the flow's side (in a ring,
    round the end too)."""
    roles, ring = rules.order.roles, rules.order.kind == "ring"
    step = -1 if upstream else 1
    out = []
    for n, role in enumerate(roles):
        if role not in senders:
            continue
        if rules.role_specs[role].seats.max > 1:
            out.append(role)
        nxt = n + step
        if 0 <= nxt < len(roles) or ring:
            out.append(roles[nxt % len(roles)])
    return list(dict.fromkeys(out))


def check_flows(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """A flow whose receiving roles may lack its `to` stat (what it ships to them is lost), and
    an order with room for one seat only (nobody is ever upstream or downstream)."""
    if rules.order is None:
        return
    roles = rules.order.roles
    for i, flow in enumerate(rules.flows):
        lacking = [r for r in _receivers(rules, flow.roles, flow.upstream)
                   if flow.to not in rules.role_stats[r]]
        if lacking:
            yield Finding(("flows", i, "to"), "warning",
                          f"role '{lacking[0]}' is in the order but has no stat '{flow.to}': "
                          f"what flow '{flow.id}' ships to its seats leaves the game")
    if sum(rules.role_specs[r].seats.max for r in roles) < 2:
        yield Finding(("order",), "warning", "the order has room for one seat only, so "
                                              "`upstream.x` and `downstream.x` are always 0")
