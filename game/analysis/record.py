"""A finished all-bot game as plain data (`GameRecord`), and the record of a game's ended
state (`record_of`): what a simulation keeps of each game and summarises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from game.analysis.indices import (correlation, gap_series, index_series, metric_series,
                                   policies_of, seat_outcome_rows)
from game.engine.state import GameState, SeatSetup
from game.scenario.model import Scenario
from game.scenario.rules import rules_for


@dataclass
class GameRecord:
    """One finished all-bot game, as plain data."""

    seed: int
    roles: list[str]
    strategies: list[str]
    proxy: list[float]
    health: list[float]
    gap: list[float]
    correlation: float
    effort: list[dict[str, int]]
    """Per seat: points put into each behaviour over the whole game."""
    events: list[tuple[int, str]]
    """(turn, event id) of every event that fired, in order."""
    policies: list[dict[str, int]]
    """Active policy levels in each resolved turn."""
    outcomes: list[dict] = field(default_factory=list)
    """Per reviewed seat: total score and rank against real contribution and its rank."""
    end_metrics: dict[str, float] = field(default_factory=dict)
    """Every metric's true value at the end (lessons read them as `end_M`)."""

    def to_dict(self) -> dict:
        """The record as JSON-ready data."""
        return asdict(self)


def record_of(scenario: Scenario, state: GameState, table: list[SeatSetup],
              chosen: list[str]) -> GameRecord:
    """The plain record of a finished game."""
    proxy, health = index_series(scenario, state)
    effort: list[dict[str, int]] = [{} for _ in table]
    numbers = rules_for(scenario).decision_specs  # (chosen numbers are not effort)
    for turn in state.history:
        for seat, alloc in turn.allocations.items():
            row = effort[seat]
            for bid, points in alloc.items():
                if points and bid not in numbers:
                    row[bid] = row.get(bid, 0) + points
    events = [(h.turn, h.event) for turn in state.history for h in turn.news]
    events += [(h.turn, h.event) for h in state.news]
    return GameRecord(
        seed=state.seed, roles=[s.role for s in table], strategies=list(chosen),
        proxy=proxy, health=health, gap=gap_series(proxy, health),
        correlation=correlation(proxy, health), effort=effort, events=events,
        policies=policies_of(state),
        outcomes=seat_outcome_rows(scenario, state),
        end_metrics=dict(metric_series(scenario, state)[-1]))
