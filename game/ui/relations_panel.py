"""The side-panel section that shows a seat in an order its neighbours and what is on its way
to it, drawn from its view alone (`upstream`, `downstream`, `incoming`)."""

from __future__ import annotations

from game.engine.view import Incoming, SeatView
from game.scenario.model import Scenario
from game.ui import theme
from game.ui.draw import format_number


def has_relations(view: SeatView) -> bool:
    """Whether the view shows the seat any neighbour or anything in transit."""
    return view.upstream is not None or view.downstream is not None or bool(view.incoming)


def relations_page(view: SeatView, scenario: Scenario) -> list[tuple[str, list]]:
    """The side panel's page for the seat's place in the order (its tab named after the
    order, `Chain` or `Ring`: short, so four tabs fit at 1280 wide), or none."""
    if not has_relations(view):
        return []
    title = scenario.order.kind.capitalize() if scenario.order else "Next to you"
    return [(title, [relations_section(view, scenario)])]


def neighbour_lines(view: SeatView, scenario: Scenario) -> list[str]:
    """`Upstream: Crew 1 (Ambulance crew)`, then downstream; `nobody` at a chain's end."""
    seats = {o.index: o for o in view.others}
    lines = []
    for side, index in (("Upstream", view.upstream), ("Downstream", view.downstream)):
        other = seats.get(index) if index is not None else None
        if other is None:
            lines.append(f"{side}: nobody, you are at the end of the line"
                         if index is None else f"{side}: you")
        else:
            lines.append(f"{side}: {other.name} ({scenario.role(other.role).name})")
    return lines


def arrival_text(view: SeatView, item: Incoming) -> str:
    """When a shipment arrives: at the end of the turn it falls due (after that turn's work,
    docs/rules.md "Flows"), e.g. `Arrives at the end of this hour`, `... of next hour`,
    `... of hour 7`."""
    name, ahead = view.turn_name, item.due - view.turn
    when = "this" if ahead <= 0 else "next" if ahead == 1 else None
    return f"Arrives at the end of {when} {name}" if when else \
        f"Arrives at the end of {name} {item.due}"


def _specs(scenario: Scenario) -> dict:
    return {st.id: st for st in scenario.stats} | {
        d.id: d for r in scenario.roles for d in r.decisions}


def amount_text(scenario: Scenario, flow_id: str, amount: float) -> str:
    """The amount with the unit of the stat it is added to (or of what is sent), if any."""
    flow = next((f for f in scenario.flows if f.id == flow_id), None)
    specs, unit = _specs(scenario), ""
    for name in (flow.to, flow.source.strip()) if flow is not None else ():
        if name in specs and specs[name].unit:
            unit = specs[name].unit
            break
    return format_number(amount) + (f" {unit}" if unit else "")


def destination_text(scenario: Scenario, flow_id: str) -> str:
    """`Adds to your Ambulances waiting at the door`: which of the seat's stats a flow's
    arrivals are added to (public rules), or "" for a flow the file does not name."""
    flow = next((f for f in scenario.flows if f.id == flow_id), None)
    stat = _specs(scenario).get(flow.to) if flow is not None else None
    return f"Adds to your {stat.name}" if stat is not None else ""


def relations_section(view: SeatView, scenario: Scenario):
    """Who is upstream and downstream of the seat and what is in transit to it, soonest
    first, grouped by flow; draws nothing for a seat outside any order."""
    flows = {f.id: f.name or f.id for f in scenario.flows}

    def draw(c) -> None:
        if not has_relations(view):
            return
        c.heading("Next to you")
        for line in neighbour_lines(view, scenario):
            for part in c.p.wrap(line, c.rect.width - c.p.px(12), "small"):
                c.row(part, size="small")
        for flow_id in dict.fromkeys(i.flow for i in view.incoming):
            c.heading(f"On the way to you: {flows.get(flow_id, flow_id)}")
            if where := destination_text(scenario, flow_id):
                c.row(where, color=theme.MUTED, size="small")
            for item in sorted((i for i in view.incoming if i.flow == flow_id),
                               key=lambda i: i.due):
                c.row(arrival_text(view, item), amount_text(scenario, flow_id, item.amount),
                      right_color=theme.FOCUS)
    return draw
