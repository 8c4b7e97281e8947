"""Policy changes as public news: which policy changed, in which turn, from and to which level.

Policies are public once a policy phase is over, so every seat's view lists every change so
far (`SeatView.policy_changes`); screens announce them and mark what is new this turn.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from game.engine.actions import construct_from
from game.engine.past import Past, nothing
from game.engine.state import GameState
from game.scenario.rules import Rules

__all__ = ["PolicyChange", "policy_changes"]


class PolicyChange(BaseModel):
    """A policy whose level was changed in the policy phase of `turn` (policies are public;
    frozen: shared by every view of the game once made)."""

    model_config = ConfigDict(frozen=True)

    turn: int
    policy: str
    before: int
    after: int


def _changes(before: dict[str, int], after: dict[str, int], turn: int) -> tuple:
    """The policy changes from levels `before` to `after`, made in `turn`, in key order."""
    return tuple(construct_from(PolicyChange, {"turn": turn, "policy": pid,
                                               "before": before.get(pid, 0), "after": level})
                 for pid, level in after.items() if level != before.get(pid, 0))


def _start_levels(rules: Rules, state: GameState) -> dict[str, int]:
    """The policy levels before the first turn: each policy's initial level, or its lock."""
    return {p.id: state.locked.get(p.id, p.initial) for p in rules.scenario.policies}


def _past_changes(past: Past, start: dict[str, int]) -> tuple[PolicyChange, ...]:
    """The policy changes of the past turns, oldest first."""
    return past.grown(("policy changes",), nothing, _next_changes, start)


def _next_changes(prev: tuple, past: Past, start: dict[str, int]) -> tuple:
    records = past.records
    before = records[-2].policies if len(records) > 1 else start
    return prev + _changes(before, records[-1].policies, records[-1].turn)


def policy_changes(past: Past, state: GameState) -> list[PolicyChange]:
    """Every policy change so far: the past turns', then this turn's (none before its policy
    phase is over, as the levels are still last turn's)."""
    start = _start_levels(past.rules, state)
    last = state.history[-1].policies if state.history else start
    now = _changes(last, state.policies, state.turn) if state.phase != "ended" else ()
    return [*_past_changes(past, start), *now]
