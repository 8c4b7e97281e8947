"""Actions and what makes them legal. An illegal action raises ActionError with a reason a
player can read, and the state is left unchanged."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from game.engine.env import global_env_for, per_rules, seat_env
from game.engine.state import GameState, SeatState
from game.errors import ActionError
from game.scenario.model import on_step
from game.scenario.rules import Rules


class SetPolicies(BaseModel):
    """A seat's choice of levels for its role's policies (missing ones keep their level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["policies"] = "policies"
    seat: int
    levels: dict[str, int] = Field(default_factory=dict)


class Allocate(BaseModel):
    """A seat's split of its effort points over its role's behaviours, and the numbers it
    chooses for its role's decisions (one left out is the decision's initial number)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["allocate"] = "allocate"
    seat: int
    effort: dict[str, int] = Field(default_factory=dict)
    numbers: dict[str, float] = Field(default_factory=dict)


def allocation_from(seat: int, choice: dict, legal: Legal) -> Allocate:
    """The Allocate that submits `choice` (a seat's choice as the engine keeps it: points
    per behaviour id, a number per decision id) for the options `legal` lists: points
    above 0 on its behaviours, and a number for each of its decisions in `choice`."""
    behaviours = {b.id for b in legal.behaviours}
    return construct_from(Allocate, {
        "kind": "allocate", "seat": seat,
        "effort": {k: int(v) for k, v in choice.items() if k in behaviours and v},
        "numbers": {n.id: float(choice[n.id]) for n in legal.numbers if n.id in choice}})


class InjectEvent(BaseModel):
    """The facilitator fires one of the scenario's events now."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["inject"] = "inject"
    event: str


Action = Annotated[SetPolicies | Allocate | InjectEvent, Field(discriminator="kind")]


class PolicyOption(BaseModel):
    """A policy as its role sees it when choosing (frozen: options are memoised and shared
    between calls, see `_Choices`)."""

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


class NumberOption(BaseModel):
    """A decision as its role sees it when choosing: the range, the step (0: any number)
    and `current`, the seat's number last turn (the decision's initial one before that)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    min: float
    max: float
    step: float
    current: float


class Legal(BaseModel):
    """What a seat may do now: `must_act` is false when it has nothing to submit."""

    seat: int
    phase: str
    must_act: bool
    policies: list[PolicyOption] = Field(default_factory=list)
    budget: float = 0.0
    behaviours: list[BehaviourOption] = Field(default_factory=list)
    effort: int = 0
    numbers: list[NumberOption] = Field(default_factory=list)


def acts_in(rules: Rules, role: str, phase: str) -> bool:
    """Whether seats of `role` submit something in `phase`."""
    return (role, phase) in rules.acting


def to_act(rules: Rules, state: GameState) -> list[int]:
    """Seats that still have to submit in the current phase, in seat order."""
    phase, acting, submitted = state.phase, rules.acting, state.submitted
    if not submitted:  # as a phase opens (nearly every call): no seat to skip
        return [s.index for s in state.seats if s.employed and (s.role, phase) in acting]
    return [s.index for s in state.seats
            if s.employed and (s.role, phase) in acting and s.index not in submitted]


def construct(cls, **values):
    """`cls(**values)` for values already of the right types and every field given, without
    validation or `model_construct`'s overhead (legal actions, views and turn results are
    built many times in every turn)."""
    return construct_from(cls, values)


def construct_from(cls, values: dict):
    """`construct(cls, **values)` keeping the dict `values`, which must list the fields in
    their order (a model dumps them in the order of its `__dict__`): for the models built
    most often, as unpacking keywords costs more than the rest. As every field is given,
    the instances of a class share one set of the fields set (pydantic only ever adds a
    field's name to it, on assignment), which saves building and freeing one each time.
    The four slots every pydantic model has are written through their descriptors, which
    skips `object.__setattr__`'s lookup of each name (about 40% of the cost)."""
    obj = _new(cls)  # pydantic models do not override __new__
    _set_dict(obj, values)
    fields = _every_field.get(cls)
    if fields is None:
        fields = _every_field[cls] = set(cls.model_fields)
    assert len(values) == len(fields), f"{cls.__name__}: every field must be given"
    _set_fields_set(obj, fields)
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


_new = object.__new__
_slots = BaseModel.__dict__  # the slots of every model, declared once on BaseModel
_set_dict = _slots["__dict__"].__set__
_set_fields_set = _slots["__pydantic_fields_set__"].__set__
_set_extra = _slots["__pydantic_extra__"].__set__
_set_private = _slots["__pydantic_private__"].__set__
_every_field: dict[type, set[str]] = {}
"""Per model class: the names of all its fields (see `construct_from`)."""


def legal_actions(rules: Rules, state: GameState, seat: int) -> Legal:
    """What `seat` may choose now, with current levels, costs, availability and effort."""
    return legal_choice(rules, state, seat)[0]


def legal_choice(rules: Rules, state: GameState, seat: int) -> tuple[Legal, _Choice | None]:
    """`legal_actions`, and the memo entry its options come from (None when the seat has
    nothing to submit): `check_chosen` checks the seat's choice against it."""
    s = _seat(state, seat)
    phase = state.phase
    must = s.employed and acts_in(rules, s.role, phase) and seat not in state.submitted
    choice: _Choice | None = None
    policies: list[PolicyOption] = []
    behaviours: list[BehaviourOption] = []
    budget, effort = 0.0, 0
    numbers: list[NumberOption] = []
    if phase == "policy" and must:
        budget = rules.role_specs[s.role].policy_budget
        choice = _policy_choice(rules, state, s.role)
        policies = list(choice.options)
    elif phase == "work" and must:
        choice = _behaviour_choice(rules, state, s)
        effort, behaviours = choice.effort, list(choice.options)
        if rules.role_specs[s.role].decisions:
            numbers = number_options(rules, state, s)
    # built field by field in order (see `construct_from`), as `Legal` is built often
    return construct_from(Legal, {"seat": seat, "phase": phase, "must_act": must,
                                  "policies": policies, "budget": budget,
                                  "behaviours": behaviours, "effort": effort,
                                  "numbers": numbers}), choice


def number_options(rules: Rules, state: GameState, s: SeatState) -> list[NumberOption]:
    """The seat's decisions, in file order, each with the seat's number last turn."""
    last = state.history[-1].allocations.get(s.index, {}) if state.history else {}
    return [construct(NumberOption, id=d.id, name=d.name, min=d.min, max=d.max, step=d.step,
                      current=float(last.get(d.id, d.initial)))
            for d in rules.role_specs[s.role].decisions]


class _Choice:
    """A seat's options in one situation (a memo entry, see `_Choices`) and the choices
    already found legal in it: whether a choice is legal, and what it submits, depend only
    on the situation and the choice, so checking a choice again costs a look-up."""

    __slots__ = ("checked",)

    LIMIT = 64
    """Checked choices kept before starting over (a game's bots make a handful)."""

    def __init__(self) -> None:
        self.checked: dict[tuple, dict[str, int]] = {}  # tuple(choice.items()) -> submitted

    def check(self, made: dict, full_check: Callable[..., dict[str, int]],
              *args: object, numbers: dict | None = None) -> dict[str, int]:
        """What the choice `made` (and `numbers`, if any) submits: `full_check(*args)` (which
        may raise ActionError) the first time, remembered after that. Refusals are not
        remembered, nor choices that cannot be keyed (an action built without validation
        may hold anything)."""
        key = tuple(made.items())
        if numbers:
            key = (key, tuple(numbers.items()))
        try:
            found = self.checked.get(key)
        except TypeError:  # an unhashable value: check it, and let the check refuse it
            return full_check(*args)
        if found is None:
            found = full_check(*args)
            if len(self.checked) >= self.LIMIT:
                self.checked.clear()
            self.checked[key] = found
        return dict(found)


class _PolicyChoice(_Choice):
    """A role's policy options at some levels and locks."""

    __slots__ = ("options",)

    def __init__(self, options: tuple[PolicyOption, ...]) -> None:
        super().__init__()
        self.options = options  # frozen, in file order


class _BehaviourChoice(_Choice):
    """A seat's effort points and its behaviours' options, as `legal_actions` lists them and
    `check_allocation` checks them (shared: both ask for the same state in turn)."""

    __slots__ = ("decisions", "effort", "limits", "options")

    def __init__(self, effort: int, listed: list[tuple[str, bool, int]], rules: Rules,
                 role: str) -> None:
        super().__init__()
        self.effort = effort
        self.decisions = tuple(rules.role_specs[role].decisions)
        """The role's decisions (their specs), in file order."""
        self.options = tuple(
            construct(BehaviourOption, id=bid, name=rules.behaviour_specs[bid].name,
                      available=available, max_effort=most)
            for bid, available, most in listed)
        """The frozen options, in file order."""
        self.limits = {bid: (available, most) for bid, available, most in listed}
        """Each behaviour id's (available, most points)."""


class _Choices:
    """What the choice of each role reads from a state, computed once per Rules (see
    `_choices`), and the choices already made, memoised by the values they depend on.

    A role's policy options depend only on its policies' levels and locks; its behaviour
    options on the names their availability formulas read. When those names are all read
    straight from the state (metrics, policy levels, constants, the turn, the seat's own
    stats, effort, score and rank), the values read are the memo key: equal values give
    equal formula results. Otherwise (aggregates, `seats`) the key is None and nothing is
    memoised. It must not refer to the Rules object itself (see `per_rules`)."""

    LIMIT = 4096
    """Entries kept before the memo starts over (a game needs a handful)."""

    def __init__(self, rules: Rules) -> None:
        self.policy_ids = {role: tuple(p.id for p in rules.policies_of(role))
                           for role in rules.role_specs}
        self.reads = {role: _reads(rules, role) for role in rules.role_specs}
        """Per role: (metric, policy, stat, behaviour names, reads turn, score, rank), or
        None when the availability formulas read a name the key cannot hold."""
        self.memo: dict[tuple, object] = {}

    def remember(self, key: tuple, value: object) -> None:
        """Memoise `value` under `key`, starting over when the memo is full."""
        if len(self.memo) >= self.LIMIT:
            self.memo.clear()
        self.memo[key] = value


def _reads(rules: Rules, role: str) -> tuple | None:
    """The names the role's availability formulas read, by where a state keeps them (see
    `_Choices.reads`); None if one of them is kept elsewhere."""
    names = frozenset().union(*(b.available.names for b in rules.behaviours_of(role)
                                if b.available.constant is None))
    s = rules.scenario
    groups: tuple[list[str], ...] = ([], [], [], [])
    sources = ({m.id for m in s.metrics}, {p.id for p in s.policies},
               set(rules.role_stats[role]), {b.id for b in rules.behaviours_of(role)})
    for name in sorted(names - set(s.constants) - {"turn", "turns", "score", "rank"}):
        group = next((g for g, source in zip(groups, sources) if name in source), None)
        if group is None:
            return None
        group.append(name)
    return (*(tuple(g) for g in groups), "turn" in names, "score" in names, "rank" in names)


_choices = per_rules(_Choices)


def _policy_choice(rules: Rules, state: GameState, role: str) -> _PolicyChoice:
    """The role's policy options at the state's levels and locks, in file order. The key
    holds the locked levels, not only which policies are locked: checking a choice reads
    them."""
    choices = _choices(rules)
    ids, policies, locked = choices.policy_ids[role], state.policies, state.locked
    key = ("policy", role, *map(policies.__getitem__, ids), *map(locked.get, ids))
    choice = choices.memo.get(key)
    if choice is None:
        choice = _PolicyChoice(tuple(
            construct(PolicyOption, id=p.id, name=spec.name, levels=tuple(spec.levels),
                      current=state.policies[p.id], cost=p.cost,
                      excludes=tuple(sorted(p.excludes)), locked=p.id in locked)
            for p in rules.policies_of(role) for spec in (rules.policy_specs[p.id],)))
        choices.remember(key, choice)
    return choice


def _behaviour_choice(rules: Rules, state: GameState, s: SeatState) -> _BehaviourChoice:
    """The seat's effort points and behaviour options now."""
    choices = _choices(rules)
    reads = choices.reads[s.role]
    key = None
    if reads is not None:
        metrics, policies, stats, behaviours, turn, score, rank = reads
        key = ["work", s.role, state.turn if turn else None, s.score if score else None,
               s.rank if rank else None]
        # (maps rather than comprehensions, which are calls of their own in Python 3.11)
        if metrics:
            key += map(state.metrics.__getitem__, metrics)
        if policies:
            key += map(state.policies.__getitem__, policies)
        if stats:
            key += map(s.stats.__getitem__, stats)
        if behaviours:
            alloc = state.allocations.get(s.index) or {}
            key += [alloc.get(n, 0) for n in behaviours]
        key = tuple(key)
        choice = choices.memo.get(key)
        if choice is not None:
            return choice
    choice = _BehaviourChoice(*_behaviour_options(rules, state, s), rules, s.role)
    if key is not None:
        choices.remember(key, choice)
    return choice


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
    choice = _policy_choice(rules, state, state.seats[action.seat].role)
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
    choice = _behaviour_choice(rules, state, state.seats[action.seat])
    return check_chosen(rules, state, action.seat, choice, action)


def _check_allocation(choice: _BehaviourChoice, action: Allocate) -> dict[str, int]:
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


def check_chosen(rules: Rules, state: GameState, seat: int, choice: _Choice | None,
                 action: Action) -> dict[str, int]:
    """What `seat` submits with `action`, chosen from `choice` (`legal_choice`'s memo entry
    for the seat in this state), or ActionError: `check_policies` or `check_allocation`
    without finding again the seat's right to act and its options."""
    if not isinstance(action, (SetPolicies, Allocate)) or action.seat != seat:
        raise ActionError(f"{action!r} is not a choice of seat {seat}")
    if isinstance(choice, _PolicyChoice) and isinstance(action, SetPolicies):
        return choice.check(action.levels, _check_policies, rules, state,
                            state.seats[seat].role, action)
    if isinstance(choice, _BehaviourChoice) and isinstance(action, Allocate):
        return choice.check(action.effort, _check_allocation, choice, action,
                            numbers=action.numbers)
    raise ActionError(f"seat {seat} has no {action.kind} choice to make in the "
                      f"{state.phase} phase")
