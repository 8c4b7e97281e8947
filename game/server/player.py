"""What one seat's page receives: its own view and legal choices, the scenario's words its
screens need, its timer, and the table's debrief at the end. Never anything of another seat
beyond what the engine's `view()` of this seat gives."""

from __future__ import annotations

from game.engine.view import SeatView
from game.scenario.model import Scenario
from game.scenario.scoring import scoring_lines
from game.server.protocol import PlayerState, ScenarioTexts, TextCard
from game.server.table import LiveTable

__all__ = ["player_state", "scenario_texts"]


def player_state(table: LiveTable, seat: int, now: float) -> PlayerState:
    """The state of `seat`'s page at `table` now."""
    game, state = table.game, table.state
    view = game.view(state, seat)
    claim = table.claims[seat]
    return PlayerState(
        table_id=table.id, table_name=table.spec.name, seat=seat, person=claim.person,
        version=table.version, view=view, legal=game.legal_actions(state, seat),
        texts=scenario_texts(game.scenario, state.seats[seat].role,
                             tuple(m.id for m in view.metrics), view),
        seconds_left=None if table.ended or not table.started else table.clock.left(now),
        paused=table.paused, ended=table.ended, covered_by_bot=claim.covered,
        summary=table.summary if table.ended else None,
        summary_pending=table.ended and table.summary is None)


def scenario_texts(scenario: Scenario, role: str, metric_ids: tuple[str, ...],
                   view: SeatView | None = None) -> ScenarioTexts:
    """The scenario's words for a seat of `role` that sees `metric_ids`: its role, those
    metrics, every policy (their cards name what is in force), its role's behaviours, every
    role's and stat's name, and (given its `view`) what earns it points under the policies
    in force."""
    r = scenario.role(role)
    return ScenarioTexts(
        title=scenario.title, summary=scenario.summary, turn_name=scenario.turn_name,
        role=TextCard(id=role, name=r.name if r else role, description=r.description if r else ""),
        metrics=[TextCard(id=m.id, name=m.name, description=m.description)
                 for m in scenario.metrics if m.id in metric_ids],
        policies=[TextCard(id=p.id, name=p.name, description=p.description,
                           levels=list(p.levels)) for p in scenario.policies],
        behaviours=[TextCard(id=b.id, name=b.name, description=b.description)
                    for b in scenario.behaviours if b.role == role],
        roles=[TextCard(id=x.id, name=x.name) for x in scenario.roles],
        stats=[TextCard(id=x.id, name=x.name, unit=x.unit) for x in scenario.stats
               if not x.bookkeeping],
        scoring=scoring_now(scenario, view) if view is not None else [],
        sets_policies=bool(r and r.policy_budget > 0),
        decisions=[TextCard(id=d.id, name=d.name, description=d.description, unit=d.unit)
                   for d in (r.decisions if r else [])],
        flows=[TextCard(id=f.id, name=f.name or f.id, description=f.description)
               for f in scenario.flows if view is not None
               and f.id in {i.flow for i in view.incoming}])


def scoring_now(scenario: Scenario, view: SeatView) -> list[str]:
    """What earns the seat's role points under the policies in force, this turn's changes
    marked (as the pygame side panel says it)."""
    new = frozenset(c.policy for c in view.policy_changes if c.turn == view.turn and c.after)
    return scoring_lines(scenario, view.role, view.policies, new)
