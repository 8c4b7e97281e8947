"""`goodhart explain` for seats in relation, flows and random draws: the plain words for an
`order:`, each flow and each draw (game.scenario.explain puts them in its text)."""

from __future__ import annotations

from game.scenario.model import Draw, Flow, Scenario
from game.scenario.rules import order_roles

SCOPE_WORDS = {"seat": "a new value for every seat each {turn}",
               "turn": "one value each {turn}, the same for every seat",
               "game": "one value for the whole game"}


def neighbour_meanings(s: Scenario) -> dict[str, str]:
    """What `upstream.x` and `downstream.x` mean, for glossaries."""
    out = {}
    for role in order_roles(s):
        for st in s.stats_of(role):
            for side in ("upstream", "downstream"):
                out[f"{side}.{st.id}"] = (f"the {st.name} of the seat {side} of it (0 if "
                                          "there is none)")
    return out


def order_lines(s: Scenario) -> list[str]:
    """A paragraph on the order of the seats, then a line per flow (none without an order)."""
    if s.order is None:
        return []
    names = {r.id: r.name for r in s.roles}
    line = " -> ".join(names[r] for r in order_roles(s))
    kind = ("a ring: the last passes on to the first" if s.order.kind == "ring"
            else "a chain: the first seat has nobody upstream, the last nobody downstream")
    out = [f"The seats stand in {kind}. Upstream first: {line} (seats of one role in table "
           "order). Formulas can read a neighbour's numbers (`upstream.x`, `downstream.x`)."]
    out += [flow_words(s, f) for f in s.flows]
    return out


def flow_words(s: Scenario, f: Flow) -> str:
    """One flow in words: who sends what to whom, how long it takes, who sees it."""
    names = {r.id: r.name for r in s.roles}
    stats = {st.id: st.name for st in s.stats}
    senders = f.roles or list(order_roles(s))
    title = f.name or f.id
    delay = ("arrives the same turn" if f.delay == 0 else
             f"arrives after {f.delay} {s.turn_name}{'s' if f.delay != 1 else ''}")
    text = (f"{title}: every {' and '.join(names[r] for r in senders)} seat sends "
            f"`{' '.join(f.source.split())}` each {s.turn_name} to the seat {f.direction} of "
            f"it, where it is added to {stats.get(f.to, f.to)}; it {delay}")
    if f.initial and f.delay:
        text += f"; {f.initial:g} a {s.turn_name} are already on the way at the start"
    seen = ("the receiver sees what is on its way" if f.visible
            else "nobody sees what is on its way until it arrives")
    return f"{text}; {seen}."


def draw_words(name: str, d: Draw, turn_name: str) -> str:
    """One random draw in words: its distribution and how often it is drawn."""
    kind = d.kind
    if kind == "uniform":
        what = f"any number from {d.uniform[0]:g} to {d.uniform[1]:g}"
    elif kind == "normal":
        what = f"around {d.normal[0]:g}, give or take {abs(d.normal[1]):g}"
    elif kind == "binomial":
        what = f"successes in {d.binomial[0]:g} tries at {d.binomial[1]:.0%} each"
    elif kind == "poisson":
        what = f"a count that averages {d.poisson:g}"
    else:
        chances = d.choice.chances()
        what = "one of " + ", ".join(f"{v:g} ({c:.0%})" for v, c in
                                    zip(d.choice.values, chances))
    if d.keyed:
        how = SCOPE_WORDS[d.scope or "seat"].format(turn=turn_name)
    else:
        how = (f"a new value for every seat each {turn_name} in behaviours, one a "
               f"{turn_name} elsewhere")
    return f"{name}: {what}; {how}."
