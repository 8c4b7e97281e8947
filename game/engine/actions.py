"""Actions and what makes them legal. An illegal action raises ActionError with a reason a
player can read, and the state is left unchanged."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from game.engine.env import global_env_for, seat_env
from game.engine.state import GameState, SeatState
from game.errors import ActionError
from game.scenario.rules import Rules


class SetPolicies(BaseModel):
    """A seat's choice of levels for its role's policies (missing ones keep their level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["policies"] = "policies"
    seat: int
    levels: dict[str, int] = Field(default_factory=dict)


class Allocate(BaseModel):
    """A seat's split of its effort points over its role's behaviours."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["allocate"] = "allocate"
    seat: int
    effort: dict[str, int] = Field(default_factory=dict)


class InjectEvent(BaseModel):
    """The facilitator fires one of the scenario's events now."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["inject"] = "inject"
    event: str


Action = Annotated[SetPolicies | Allocate | InjectEvent, Field(discriminator="kind")]


class PolicyOption(BaseModel):
    """A policy as its role sees it when choosing (frozen: options are memoised and shared
    between calls, see `_option`)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    levels: tuple[str, ...]
    current: int
    cost: float
    excludes: tuple[str, ...]
    locked: bool


class BehaviourOption(BaseModel):
    """A behaviour as its role sees it when choosing (frozen and shared, like PolicyOption)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    available: bool
    max_effort: int


class Legal(BaseModel):
    """What a seat may do now: `must_act` is false when it has nothing to submit."""

    seat: int
    phase: str
    must_act: bool
    policies: list[PolicyOption] = Field(default_factory=list)
    budget: float = 0.0
    behaviours: list[BehaviourOption] = Field(default_factory=list)
    effort: int = 0


def acts_in(rules: Rules, role: str, phase: str) -> bool:
    """Whether seats of `role` submit something in `phase`."""
    return (role, phase) in rules.acting


def to_act(rules: Rules, state: GameState) -> list[int]:
    """Seats that still have to submit in the current phase, in seat order."""
    phase, acting, submitted = state.phase, rules.acting, state.submitted
    return [s.index for s in state.seats
            if s.employed and (s.role, phase) in acting and s.index not in submitted]


def construct(cls, **values):
    """`cls(**values)` for values already of the right types and every field given, without
    validation or `model_construct`'s overhead (legal actions, views and turn results are
    built many times in every turn)."""
    obj = _new(cls)  # pydantic models do not override __new__
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_new = object.__new__
_set = object.__setattr__


def legal_actions(rules: Rules, state: GameState, seat: int) -> Legal:
    """What `seat` may choose now, with current levels, costs, availability and effort."""
    s = _seat(state, seat)
    must = s.employed and acts_in(rules, s.role, state.phase) and seat not in state.submitted
    policies: list[PolicyOption] = []
    behaviours: list[BehaviourOption] = []
    budget, effort = 0.0, 0
    if state.phase == "policy" and must:
        budget = rules.role_specs[s.role].policy_budget
        locked = state.locked
        policies = [_option(rules, PolicyOption, p.id, state.policies[p.id], p.id in locked)
                    for p in rules.policies_of(s.role)]
    elif state.phase == "work" and must:
        effort, options = _behaviour_options(rules, state, s)
        behaviours = [_option(rules, BehaviourOption, *option) for option in options]
    return construct(Legal, seat=seat, phase=state.phase, must_act=must, policies=policies,
                      budget=budget, behaviours=behaviours, effort=effort)


_OPTIONS: dict[tuple, tuple[Rules, PolicyOption | BehaviourOption]] = {}


def _option(rules: Rules, kind: type, oid: str, a: int | bool, b: bool | int):
    """The frozen option `kind` for (policy id, current level, locked) or (behaviour id,
    available, most points), built once per rules and shared: a game asks for the same few
    options every turn."""
    key = (id(rules), kind, oid, a, b)
    entry = _OPTIONS.get(key)
    if entry is not None and entry[0] is rules:
        return entry[1]
    if kind is PolicyOption:
        p, spec = next(p for p in rules.policies if p.id == oid), rules.policy_specs[oid]
        option = construct(PolicyOption, id=oid, name=spec.name, levels=tuple(spec.levels),
                           current=a, cost=p.cost, excludes=tuple(sorted(p.excludes)), locked=b)
    else:
        option = construct(BehaviourOption, id=oid, name=rules.behaviour_specs[oid].name,
                           available=a, max_effort=b)
    if len(_OPTIONS) > 65536:
        _OPTIONS.clear()
    _OPTIONS[key] = (rules, option)
    return option


def _behaviour_options(rules: Rules, state: GameState,
                       s: SeatState) -> tuple[int, list[tuple[str, bool, int]]]:
    """The seat's effort points and (behaviour id, available, most points) for each
    behaviour of its role, in file order."""
    effort = rules.role_specs[s.role].effort
    own = rules.behaviours_of(s.role)
    env = None
    if any(b.available.constant is None for b in own):
        names = frozenset().union(*(b.available.names for b in own))
        env = global_env_for(rules, state, names)
        if not names <= rules.global_names:  # a seat's own names are read: add them
            env = seat_env(rules, env, state, s)
    return effort, [(b.id, bool(b.available(env) if env is not None else b.available.constant),
                     min(effort, b.max_effort if b.max_effort is not None else effort))
                    for b in own]


def _seat(state: GameState, seat: int):
    if not 0 <= seat < len(state.seats):
        raise ActionError(f"there is no seat {seat} (seats 0..{len(state.seats) - 1})")
    return state.seats[seat]


def _must_act(rules: Rules, state: GameState, seat: int, phase: str) -> None:
    s = _seat(state, seat)
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
    role = state.seats[action.seat].role
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
    effort, listed = _behaviour_options(rules, state, state.seats[action.seat])
    options = {bid: (available, most) for bid, available, most in listed}
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
    return {bid: int(action.effort.get(bid, 0)) for bid in options}
