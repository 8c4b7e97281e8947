"""Game state as pydantic models that round-trip through JSON.

The state holds everything, secrets included; `game.engine.view.view` is the only way a seat
sees it. The engine mutates a private copy while resolving (see `game.engine.game`), so the
models do not validate on assignment.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Phase = Literal["policy", "work", "ended"]

Choice = dict[str, int | float]
"""A seat's choice in a phase: a level per policy id, or effort points per behaviour id and,
for a role with decisions, a number (a float) per decision id."""


class SeatSetup(BaseModel):
    """Who sits in a seat: a role, a display name, and a human or a bot strategy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str
    name: str
    controller: str = Field("human", description="`human` or `bot:<strategy>`.")

    @property
    def is_bot(self) -> bool:
        return self.controller.startswith("bot:")

    @property
    def strategy(self) -> str | None:
        return self.controller[4:] if self.is_bot else None


class SeatState(BaseModel):
    """One seat during play."""

    index: int
    role: str
    name: str
    employed: bool = True
    stats: dict[str, float]
    score: float = 0.0
    rank: int = 0
    score_total: float = 0.0
    laid_off_turn: int | None = None


class Pending(BaseModel):
    """A delayed change waiting for turn `due`; `seat` is None for a metric."""

    due: int
    target: str
    seat: int | None
    amount: float
    mode: Literal["add", "set"] = "add"
    direct: bool = False


class Transit(BaseModel):
    """An amount of flow `flow` on its way to seat `seat`, arriving in turn `due`."""

    flow: str
    due: int
    seat: int
    amount: float


class Headline(BaseModel):
    """An event that fired, as every seat sees it. Frozen: the games of a batch where an
    event fired at the same turn share one headline (game.engine.batch.news)."""

    model_config = ConfigDict(frozen=True)

    turn: int
    event: str
    headline: str
    text: str = ""
    injected: bool = False


class ReviewRow(BaseModel):
    """One seat's review in one turn."""

    seat: int
    score: float
    rank: int
    consequences: list[str] = Field(default_factory=list)


class TurnRecord(BaseModel):
    """What happened in a resolved turn (secrets included; views filter it)."""

    turn: int
    metrics: dict[str, float]
    policies: dict[str, int]
    allocations: dict[int, Choice]
    stats: dict[int, dict[str, float]]
    reviews: dict[str, list[ReviewRow]]
    news: list[Headline]


class GameState(BaseModel):
    """The whole game at a moment between actions."""

    scenario_id: str
    scenario_version: str
    seed: int
    turn: int = 1
    phase: Phase = "policy"
    metrics: dict[str, float]
    carry: dict[str, float]
    pending: list[Pending] = Field(default_factory=list)
    transit: list[Transit] = Field(
        default_factory=list, description="What the flows have shipped and not yet delivered.")
    policies: dict[str, int]
    locked: dict[str, int] = Field(default_factory=dict)
    seats: list[SeatState]
    submitted: dict[int, Choice] = Field(
        default_factory=dict, description="This phase's hidden choices, by seat.")
    allocations: dict[int, Choice] = Field(
        default_factory=dict, description="This turn's effort split and numbers, by seat "
                                          "(hidden).")
    fired: list[str] = Field(default_factory=list)
    news: list[Headline] = Field(default_factory=list)
    history: list[TurnRecord] = Field(default_factory=list)
    secret: str = Field("", repr=False, description=(
        "What the noise on readings is drawn from (see `noise_key`); never in a view."))

    def state_hash(self) -> str:
        """A digest of the whole state but its secret (which changes no outcome, only what
        the noisy readings show); equal states have equal hashes, bit for bit."""
        exclude = _NOT_HASHED if self.transit else _NOT_HASHED_NOR_TRANSIT
        return hashlib.sha256(self.model_dump_json(exclude=exclude).encode()).hexdigest()

    @property
    def noise_key(self) -> str | int:
        """What the noise on this game's readings is drawn from: its secret, or its seed
        when it has none (simulations and tests, reproducible from the seed alone)."""
        return self.secret or self.seed

    def clone(self) -> GameState:
        """A deep copy, cheaper than `model_copy(deep=True)` and just as independent."""
        return _clone(self)


_NOT_HASHED = frozenset({"secret"})
_NOT_HASHED_NOR_TRANSIT = _NOT_HASHED | {"transit"}
"""A state with nothing in transit hashes as before flows existed (saves keep the hash)."""


def assign(model: BaseModel, values: dict) -> None:
    """Set fields of a model, as `setattr` does for each (these models do not validate on
    assignment: the value is stored and the field counted as set)."""
    for name, value in values.items():
        setattr(model, name, value)


def _clone(state: GameState) -> GameState:
    """Copy the mutable parts the engine writes to; history records are never mutated."""
    c = state.model_copy()
    c.metrics = dict(state.metrics)
    c.carry = dict(state.carry)
    c.pending = list(state.pending)
    c.transit = list(state.transit)
    c.policies = dict(state.policies)
    c.seats = [s.model_copy(update={"stats": dict(s.stats)}) for s in state.seats]
    c.submitted = {k: dict(v) for k, v in state.submitted.items()}
    c.allocations = {k: dict(v) for k, v in state.allocations.items()}
    c.fired = list(state.fired)
    c.news = list(state.news)
    c.history = list(state.history)
    return c
