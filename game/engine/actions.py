"""Actions a seat or the facilitator submits, and `Legal`: the options a seat may choose
from now (game.engine.legal lists them, game.engine.checks checks a choice against them)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from game.engine.state import GameState
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
    between calls, see game.engine.legal)."""

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
    """What a seat may do now: `must_act` is false when it has nothing to submit. Frozen:
    the engine shares one Legal between the seats and games in the same situation (see
    game.engine.legal.legal_choice); `legal_actions` gives a caller lists of its own."""

    model_config = ConfigDict(frozen=True)

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
    validation (legal actions, views and turn results are built many times in every turn)."""
    return construct_from(cls, values)


def construct_from(cls, values: dict):
    """`construct(cls, **values)` for a dict of values: the instance pydantic's
    `model_construct(**values)` gives (every field given and counted as set, in the order of
    the model's fields: a model dumps its fields in the order it holds them, and state hashes
    are digests of those dumps), made as a copy of a blank instance of the class with every
    field replaced (`model_copy(update=values)`, a third cheaper: the simulator constructs
    some 300 models a game). A model with a `model_post_init` (or private attributes) is
    constructed by `model_construct` itself, which calls it."""
    blank = _BLANK.get(cls)
    if blank is None:
        blank = _blank_of(cls)
    assert values.keys() == _FIELD_NAMES[cls], \
        f"{cls.__name__}: every field must be given, by its name"
    return blank.model_copy(update=values) if blank is not _CONSTRUCT else \
        cls.model_construct(**values)


_BLANK: dict[type, object] = {}
"""Each model class's blank instance (every field None; never handed out), or `_CONSTRUCT`."""
_FIELD_NAMES: dict[type, frozenset[str]] = {}
"""Each model class's field names (reading `model_fields` costs a quarter of a microsecond
each time)."""
_CONSTRUCT = object()


def _blank_of(cls):
    """`cls`'s blank instance, every field None, remembered with its field names
    (`_CONSTRUCT` for a model whose construction runs `model_post_init`). It holds nothing
    of any caller's, so an instance copied from it shares no value it was not given."""
    _FIELD_NAMES[cls] = frozenset(cls.model_fields)
    plain = cls.model_post_init is BaseModel.model_post_init
    blank = _BLANK[cls] = cls.model_construct(**dict.fromkeys(cls.model_fields)) if plain \
        else _CONSTRUCT
    return blank
