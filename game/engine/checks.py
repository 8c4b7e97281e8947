"""Checking a seat's chosen action against what it may choose now. An illegal action
raises ActionError with a reason a player can read, and the state is left unchanged."""

from __future__ import annotations

import math

from game.engine.actions import Action, Allocate, SetPolicies, acts_in
from game.engine.legal import (BehaviourChoice, Choice, PolicyChoice, behaviour_choice,
                               policy_choice, seat_at)
from game.engine.state import GameState
from game.errors import ActionError
from game.scenario.model import on_step
from game.scenario.rules import Rules


def _must_act(rules: Rules, state: GameState, seat: int, phase: str) -> None:
    s = seat_at(state, seat)
    if state.phase == "ended":
        raise ActionError("the game is over")
    if state.phase != phase:
        raise ActionError(f"it is the {state.phase} phase, not the {phase} phase")
    if not s.employed:
        raise ActionError(f"{s.name} has been laid off and no longer plays")
    if not acts_in(rules, s.role, phase):
        raise ActionError(f"a {s.role} has nothing to choose in the {phase} phase")
    if seat in state.submitted:
        raise ActionError(f"{s.name} has already chosen this phase")


def check_policies(rules: Rules, state: GameState, action: SetPolicies) -> dict[str, int]:
    """The full levels of the seat's role's policies after `action`, or ActionError."""
    _must_act(rules, state, action.seat, "policy")
    choice = policy_choice(rules, state, state.seats[action.seat].role)
    return check_chosen(rules, state, action.seat, choice, action)


def _check_policies(rules: Rules, state: GameState, role: str,
                    action: SetPolicies) -> dict[str, int]:
    """`check_policies` without the memo."""
    own = {p.id: p for p in rules.policies_of(role)}
    levels = {pid: state.policies[pid] for pid in own}
    for pid, level in action.levels.items():
        if pid not in own:
            raise ActionError(f"unknown policy '{pid}' for a {role}")
        if not 0 <= level < own[pid].level_count:
            raise ActionError(f"policy '{pid}' has no level {level} "
                              f"(0..{own[pid].level_count - 1})")
        if pid in state.locked and level != state.locked[pid]:
            raise ActionError(f"policy '{pid}' is locked by the facilitator")
        levels[pid] = level
    active = {pid for pid, lv in levels.items() if lv > 0}
    for pid in sorted(active):
        clash = sorted(own[pid].excludes & active)
        if clash:
            raise ActionError(f"policy '{pid}' cannot be active together with '{clash[0]}'")
    cost = sum(own[pid].cost * lv for pid, lv in levels.items())
    budget = rules.role_specs[role].policy_budget
    if cost > budget + 1e-9:
        raise ActionError(f"these policies cost {cost:g} points; the budget is {budget:g}")
    return levels


def check_allocation(rules: Rules, state: GameState, action: Allocate) -> dict[str, int]:
    """The seat's effort split, with every behaviour of its role present, or ActionError."""
    _must_act(rules, state, action.seat, "work")
    choice = behaviour_choice(rules, state, state.seats[action.seat])
    return check_chosen(rules, state, action.seat, choice, action)


def _check_allocation(choice: BehaviourChoice, action: Allocate) -> dict[str, int]:
    """`check_allocation` against the seat's options, without the memo."""
    effort, options = choice.effort, choice.limits
    for bid, points in action.effort.items():
        if bid not in options:
            raise ActionError(f"unknown behaviour '{bid}' for this seat")
        available, most = options[bid]
        if points < 0:
            raise ActionError(f"effort on '{bid}' cannot be negative")
        if points > 0 and not available:
            raise ActionError(f"'{bid}' is not available now")
        if points > most:
            raise ActionError(f"at most {most} points on '{bid}'")
    total = sum(action.effort.values())
    if total > effort:
        raise ActionError(f"{total} effort points allocated; only {effort} are available")
    chosen: dict[str, int | float] = {bid: int(action.effort.get(bid, 0)) for bid in options}
    if choice.decisions or action.numbers:
        chosen.update(_check_numbers(choice.decisions, action.numbers))
    return chosen


def _check_numbers(decisions: tuple, numbers: dict[str, float]) -> dict[str, float]:
    """Every decision's number (its initial one where `numbers` leaves it out), each
    checked: a finite number of the role's decisions, within its range, on its step."""
    own = {d.id: d for d in decisions}
    for did, value in numbers.items():
        d = own.get(did)
        if d is None:
            raise ActionError(f"unknown decision '{did}' for this seat")
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value):
            raise ActionError(f"'{d.name}' must be a number, not {value!r}")
        if not d.min <= value <= d.max:
            raise ActionError(f"'{d.name}' must lie between {d.min:g} and {d.max:g}")
        if not on_step(value, d.min, d.step):
            raise ActionError(f"'{d.name}' moves in steps of {d.step:g} from {d.min:g}")
    return {did: float(numbers.get(did, d.initial)) for did, d in own.items()}


def check_chosen(rules: Rules, state: GameState, seat: int, choice: Choice | None,
                 action: Action) -> dict[str, int]:
    """What `seat` submits with `action`, chosen from `choice` (`legal_choice`'s memo entry
    for the seat in this state), or ActionError: `check_policies` or `check_allocation`
    without finding again the seat's right to act and its options."""
    if not isinstance(action, (SetPolicies, Allocate)) or action.seat != seat:
        raise ActionError(f"{action!r} is not a choice of seat {seat}")
    if isinstance(choice, PolicyChoice) and isinstance(action, SetPolicies):
        return choice.check(action.levels, _check_policies, rules, state,
                            state.seats[seat].role, action)
    if isinstance(choice, BehaviourChoice) and isinstance(action, Allocate):
        return choice.check(action.effort, _check_allocation, choice, action,
                            numbers=action.numbers)
    raise ActionError(f"seat {seat} has no {action.kind} choice to make in the "
                      f"{state.phase} phase")
