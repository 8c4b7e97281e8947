"""The scenario file format as pydantic models: every concept of DESIGN.md is data.

Formulas are kept here as source text; `game.scenario.rules` compiles them once at load time.
Unknown keys are errors everywhere (`extra="forbid"`), so a typo never passes silently.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StringConstraints,
                      WithJsonSchema, field_validator, model_serializer, model_validator)
from pydantic.types import Strict as StrictTypes

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
"""An identifier: lower case letters, digits and underscores, starting with a letter."""



def _number_as_text(value: object) -> object:
    """Let authors write `value: 2` where a formula is expected."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return value


FORMULA_CHARS = 2000

Formula = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(min_length=1, max_length=FORMULA_CHARS),
    WithJsonSchema({"type": ["string", "number"], "minLength": 1, "maxLength": FORMULA_CHARS,
                    "description": "A formula, e.g. `quality - 0.5 * busywork`, or a number."}),
]
"""Formula source text, e.g. `quality - 0.5 * busywork`. Numbers are accepted and kept as text."""

Text = Annotated[str, StringConstraints(max_length=4000)]

EMPLOYEE_STRATEGIES = ("gamer", "craft", "cautious", "random", "adaptive")
"""Bot strategies for a role that splits effort (game.bots implements each)."""
MANAGER_STRATEGIES = ("hype", "outcome", "random", "adaptive")
"""Bot strategies for a role that chooses policies."""
Strategy = Literal[tuple(dict.fromkeys(EMPLOYEE_STRATEGIES  # type: ignore[misc]
                                       + MANAGER_STRATEGIES))]
"""The name of a generic bot strategy, as a scenario's default table names it (either list's,
each once: `gamer` ... `adaptive`, `hype`, `outcome`)."""


def _integral_float_as_int(value: object) -> object:
    """Let `turns: 10.0` count as 10, as JSON Schema's `integer` does; 2.5 stays an error."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = Annotated[int, BeforeValidator(_integral_float_as_int)]
"""A whole number. Models are strict (no "10" for 10, no true for 1), so a file means what its
YAML types say and the JSON Schema accepts exactly the same values."""

Pair = Annotated[tuple[Annotated[float, StrictTypes()], Annotated[float, StrictTypes()]],
                 StrictTypes(False)]
"""Two numbers, written as a YAML list (strict mode alone would ask for a Python tuple)."""


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    added_later: ClassVar[tuple[str, ...]] = ()
    """Keys added to the format after saves began to keep a scenario's dump (and its
    fingerprint, game.engine.save): a dump leaves each out while it holds its default, so an
    old scenario dumps, and fingerprints, as it always did and its saves still load."""

    @model_serializer(mode="wrap")
    def _without_unused_additions(self, handler: Any) -> Any:
        """The dump, without the `added_later` keys that hold their default."""
        data = handler(self)
        for key in self.added_later:
            field = type(self).model_fields[key]
            if isinstance(data, dict) and getattr(self, key) == field.get_default(
                    call_default_factory=True):
                data.pop(field.alias or key, None)
        return data


VISIBILITY_SHORTHANDS = ("live", "hidden")
VISIBILITY_KEYS = ("hidden", "lag", "noise")


def _visibility_or_shorthand(schema: dict[str, Any]) -> None:
    """Visibility's JSON Schema: the mapping, or one of the words `live` and `hidden`."""
    mapping = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"enum": list(VISIBILITY_SHORTHANDS)}, mapping]


def _visibility_field_schema(schema: dict[str, Any]) -> None:
    """Metric.visibility's JSON Schema: one rule for every role (`live`, `{lag: 1}`), or a
    mapping of role ids to rules. A mapping whose keys are all rule keys is the one rule,
    as the loader reads it."""
    by_role = {key: schema.pop(key) for key in ("type", "additionalProperties")}
    by_role["not"] = {"type": "object", "minProperties": 1,
                      "propertyNames": {"enum": list(VISIBILITY_KEYS)}}
    schema["anyOf"] = [dict(by_role["additionalProperties"]), by_role]


class Visibility(Strict):
    """What a role sees of a metric: live, lagged by `lag` turns, with noise, or hidden."""

    model_config = ConfigDict(json_schema_extra=_visibility_or_shorthand)

    hidden: bool = Field(False, description="Hidden until the end screen.")
    lag: Whole = Field(0, ge=0, le=20, description="Shows the value from this many turns ago.")
    noise: float = Field(0.0, ge=0.0, le=1.0,
                         description="Standard deviation of the noise, as a share of the range.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if value == "live":
            return {}
        if value == "hidden":
            return {"hidden": True}
        return value


VisibilitySpec = Visibility | Literal["live", "hidden"]


class Bounded(Strict):
    """Checks a subclass's `min`, `max` and `initial`: bounds in order, the start inside them.
    (The fields stay in each subclass so `id` and `name` come first in files and schema.)"""

    @model_validator(mode="after")
    def _bounds(self) -> Bounded:
        if not self.min < self.max:  # type: ignore[attr-defined]
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        if not self.min <= self.initial <= self.max:
            raise ValueError(f"initial ({self.initial}) must lie between min and max")
        return self


class Metric(Bounded):
    """A company-level number."""

    id: Id
    name: str
    description: Text = ""
    kind: Literal["proxy", "health", "plain"] = "plain"
    unit: str = ""
    min: float
    max: float
    initial: float
    higher_is_better: bool = True
    inertia: float = Field(0.0, ge=0.0, le=0.95,
                           description="Share of each push that carries over to later turns.")
    delay: Whole = Field(0, ge=0, le=20, description="Turns before a push starts to arrive.")
    visibility: dict[str, Visibility] = Field(
        default_factory=dict, json_schema_extra=_visibility_field_schema,
        description="Per role id (or `default`): live, hidden, {lag: k}, {noise: s}.")

    @field_validator("visibility", mode="before")
    @classmethod
    def _visibility_shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            return {"default": value}
        if isinstance(value, dict) and value and set(value) <= set(VISIBILITY_KEYS):
            return {"default": value}
        return value

    def visibility_for(self, role: str) -> Visibility:
        """The visibility rule that applies to `role`."""
        return self.visibility.get(role) or self.visibility.get("default") or Visibility()


class Stat(Bounded):
    """A per-seat number such as tokens used, output delivered or morale."""

    added_later: ClassVar[tuple[str, ...]] = ("bookkeeping",)

    id: Id
    name: str
    description: Text = ""
    unit: str = ""
    min: float
    max: float
    initial: float
    roles: list[Id] | None = Field(None, description="Roles whose seats have this stat; all if absent.")
    reset_each_turn: bool = Field(False, description="Back to `initial` at the start of each turn.")
    hidden_from_self: bool = Field(False, description="Even the seat itself sees it only at the end.")
    bookkeeping: bool = Field(False, description="The engine's own tally: formulas read it, "
                                                 "but no player's view or screen shows it, nor "
                                                 "does `explain` (the debrief may).")
    public: Formula = Field("0", description="While this formula is true, every seat sees every "
                                             "seat's value (e.g. a public leaderboard policy).")


class SeatCount(Strict):
    min: Whole = Field(1, ge=0, le=40)
    max: Whole = Field(1, ge=1, le=40)
    default: Whole = Field(1, ge=0, le=40)

    @model_validator(mode="after")
    def _order(self) -> SeatCount:
        if not self.min <= self.default <= self.max:
            raise ValueError("seat counts need min <= default <= max")
        return self


class Decision(Bounded):
    """A number a seat of a role chooses each turn in the work phase (a catch, an order), read
    by name in the seat's formulas; only its own seat sees it unless a rule shows it."""

    id: Id
    name: str
    description: Text = ""
    unit: str = ""
    min: float
    max: float
    step: float = Field(1.0, ge=0.0, description="The number moves in steps of this size "
                                                 "from `min`; 0 lets it be any real number.")
    initial: float = Field(description="The number before the first choice, and what a "
                                       "seat that leaves it out chooses.")

    @model_validator(mode="after")
    def _on_step(self) -> Decision:
        if not (math.isfinite(self.min) and math.isfinite(self.max) and math.isfinite(self.step)):
            raise ValueError("min, max and step must be finite numbers")
        if not on_step(self.initial, self.min, self.step):
            raise ValueError(f"initial ({self.initial}) must be min plus a whole number of "
                             f"steps of {self.step}")
        return self


def on_step(value: float, low: float, step: float) -> bool:
    """Whether `value` is `low` plus a whole number of `step`s (any value when `step` is 0),
    to a millionth of a step."""
    if step <= 0:
        return True
    steps = (value - low) / step
    return abs(steps - round(steps)) < 1e-6


class Role(Strict):
    """A kind of seat at the table: what it may choose and how many of it may play."""

    added_later: ClassVar[tuple[str, ...]] = ("decisions", "teams")

    id: Id
    name: str
    description: Text = ""
    seats: SeatCount = SeatCount()
    effort: Whole = Field(0, ge=0, le=100, description="Effort points to split each turn.")
    policy_budget: float = Field(0.0, ge=0.0, description="Most total cost of active policies.")
    decisions: list[Decision] = Field(
        default_factory=list, max_length=8,
        description="Numbers each seat chooses in the work phase, beside or instead of effort.")
    teams: list[Annotated[str, StringConstraints(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=20,
        description="Team names: the role's seats are dealt to them in turn, in seat order "
                    "(a team of the same name in another role is the same team). Leaderboards "
                    "with `by: team` rank them.")


ORDER_KINDS = ("chain", "ring")


class Order(Strict):
    """Seats in relation: the seats of `roles` (all roles if absent), in the order of `roles`
    and then in seat order, form a chain (the first has nobody upstream, the last nobody
    downstream) or a ring (the last passes on to the first)."""

    model_config = ConfigDict(json_schema_extra=lambda schema: _or_word(schema, ORDER_KINDS))

    kind: Literal["chain", "ring"] = "chain"
    roles: list[Id] | None = Field(None, description="The roles in the order, upstream first; "
                                   "every role in file order if absent.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, str):
            return {"kind": value}
        return value


def _or_word(schema: dict[str, Any], words: tuple[str, ...]) -> None:
    """A model's JSON Schema as the mapping or one of `words` (its short form)."""
    mapping = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"enum": list(words)}, mapping]


class Flow(Strict):
    """A quantity one seat passes to its neighbour in the order: each turn every sending seat
    ships the value of `from`; it spends `delay` turns in transit, then is added to the
    neighbour's stat `to`."""

    model_config = ConfigDict(serialize_by_alias=True)

    id: Id
    name: str = ""
    description: Text = ""
    source: Formula = Field(alias="from", description="A formula for the sending seat, "
                            "usually a stat or a decision: how much it ships this turn.")
    to: Id = Field(description="The receiving seat's stat that the shipment is added to.")
    direction: Literal["downstream", "upstream"] = "downstream"
    delay: Whole = Field(1, ge=0, le=20, description="Turns in transit (0: arrives this turn).")
    initial: float = Field(0.0, ge=0.0, description="Already in transit at the start, for "
                           "each of the first `delay` turns.")
    roles: list[Id] | None = Field(None, description="Roles whose seats send; every role in "
                                   "the order if absent.")
    visible: bool = Field(False, description="The receiver sees what is in transit to it.")


class Effect(Strict):
    """A change to a metric or a stat: `target += value` (or `= value`), maybe later, maybe not."""

    target: Id
    value: Formula
    mode: Literal["add", "set"] = "add"
    delay: Whole = Field(0, ge=0, le=20)
    chance: Formula = "1"
    when: Formula = "1"
    roles: list[Id] | None = Field(
        None, description="For a stat target outside a behaviour: only seats of these roles.")


class Policy(Strict):
    """A persistent choice of a role, such as a public token leaderboard."""

    id: Id
    name: str
    description: Text = ""
    role: Id
    levels: list[str] = Field(default_factory=lambda: ["off", "on"], min_length=2, max_length=6,
                              description="Level names; level 0 means the policy is off.")
    initial: Whole = Field(0, ge=0)
    cost: float = Field(0.0, ge=0.0, description="Budget points per level while active.")
    excludes: list[Id] = Field(default_factory=list)
    effects: list[Effect] = Field(default_factory=list,
                                  description="Applied every turn while active.")
    review: dict[Id, Formula] = Field(default_factory=dict,
                                      description="Per role: a term added to its review score.")

    @model_validator(mode="after")
    def _initial_level(self) -> Policy:
        if self.initial >= len(self.levels):
            raise ValueError(f"initial level {self.initial} does not exist "
                             f"(levels 0..{len(self.levels) - 1})")
        return self


class Behaviour(Strict):
    """Something a seat can spend effort points on; effects are per point."""

    id: Id
    name: str
    description: Text = ""
    role: Id
    available: Formula = "1"
    max_effort: Whole | None = Field(None, ge=0)
    effects: list[Effect] = Field(default_factory=list)


class Event(Strict):
    """News: fires at the start of a turn when `when` holds and a draw falls under `chance`."""

    id: Id
    headline: str
    text: Text = ""
    when: Formula = "1"
    chance: Formula = "1"
    repeat: bool = Field(False, description="May fire again on later turns.")
    effects: list[Effect] = Field(default_factory=list)


class Consequence(Strict):
    """A reward or penalty that follows a review."""

    name: str
    text: Text = ""
    when: Formula
    effects: list[Effect] = Field(default_factory=list)
    layoff: bool = False


class Review(Strict):
    """How a role is scored each turn, and what follows."""

    score: Formula = "0"
    leaderboard: bool = Field(True, description="Publish the ranking of this role's seats.")
    ties: Literal["draw", "share"] = Field(
        "draw", description="Seats with equal scores: `draw` ranks them by a seeded draw, "
                            "`share` gives them all the best of their ranks (1, 2, 2, 4).")
    consequences: list[Consequence] = Field(default_factory=list)


class Leaderboard(Strict):
    """A ranking every seat sees, beside the reviews' own leaderboards: of seats, of teams or
    of roles, by a seat formula (summed or averaged over a team's or role's seats)."""

    id: Id
    name: str = Field(min_length=1, max_length=60)
    description: Text = ""
    score: Formula = Field(description="A seat formula, e.g. `output` or `catch - quota`.")
    roles: list[Id] | None = Field(None, description="Roles whose seats it ranks; all if absent.")
    by: Literal["seat", "team", "role"] = Field(
        "seat", description="Rank seats, teams (see a role's `teams`) or roles.")
    combine: Literal["total", "mean"] = Field(
        "total", description="A team's or role's score: the total or the mean of its seats'.")
    higher_is_better: bool = Field(True, description="False ranks the lowest score first.")
    when: Formula = Field("1", description="A company-wide formula: shown while it is true "
                                           "(e.g. while a policy is active); always at the end.")


DRAW_KINDS = ("uniform", "normal", "binomial", "poisson", "choice")
"""The kinds of random draw; a draw gives exactly one of them."""
BINOMIAL_TRIALS = 1000
POISSON_MEAN = 1000.0


class WeightedChoice(Strict):
    """One of `values`, each with the chance of its weight (equal chances without weights)."""

    values: list[float] = Field(min_length=1, max_length=50)
    weights: list[Annotated[float, Field(ge=0.0)]] | None = Field(
        None, description="One weight per value (any scale); equal when absent.")

    @model_validator(mode="after")
    def _weights(self) -> WeightedChoice:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(f"give one weight per value ({len(self.values)} values, "
                                 f"{len(self.weights)} weights)")
            if not sum(self.weights) > 0:
                raise ValueError("at least one weight must be above 0")
        return self

    def chances(self) -> list[float]:
        """The chance of each value, in order (they add up to 1)."""
        weights = self.weights or [1.0] * len(self.values)
        total = sum(weights)
        return [w / total for w in weights]


class Draw(Strict):
    """A random draw a formula may use. `scope` says how often it is drawn: `seat` (one
    value per seat and turn), `turn` (one per turn for everyone) or `game` (one per game).
    A `uniform` or `normal` draw without `scope` keeps the rule it always had: fresh for
    every seat and turn in behaviours, one per turn in policies and dynamics, its own for
    each event checked."""

    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": [key], "properties": {key: {"type": kind}}}
        for key, kind in zip(DRAW_KINDS, ("array", "array", "array", "number", "object"))]})

    uniform: Pair | None = None
    normal: Pair | None = None
    binomial: Pair | None = Field(None, description="`[n, p]`: successes in n trials "
                                  f"(a whole number up to {BINOMIAL_TRIALS}) of chance p.")
    poisson: Annotated[float, Field(ge=0.0, le=POISSON_MEAN)] | None = Field(
        None, description="The mean: how many, on average, of something that comes at random.")
    choice: WeightedChoice | None = None
    added_later: ClassVar[tuple[str, ...]] = ("binomial", "poisson", "choice", "scope")

    scope: Literal["seat", "turn", "game"] | None = Field(
        None, description="`seat` (one value per seat and turn; the default for binomial, "
        "poisson and choice), `turn` (one per turn, shared) or `game` (one per game).")

    @model_validator(mode="after")
    def _exactly_one(self) -> Draw:
        given = [k for k in DRAW_KINDS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `uniform: [low, high]`, `normal: [mean, sd]`, "
                             "`binomial: [n, p]`, `poisson: mean` or "
                             "`choice: {values: [...], weights: [...]}`")
        if self.binomial is not None:
            n, p = self.binomial
            if not (float(n).is_integer() and 0 <= n <= BINOMIAL_TRIALS):
                raise ValueError(f"binomial n must be a whole number from 0 to {BINOMIAL_TRIALS}")
            if not 0.0 <= p <= 1.0:
                raise ValueError("binomial p is a chance, from 0 to 1")
        return self

    @property
    def kind(self) -> str:
        """Which kind of draw it is: one of DRAW_KINDS."""
        return next(k for k in DRAW_KINDS if getattr(self, k) is not None)

    @property
    def keyed(self) -> bool:
        """Whether each value is drawn from (seed, turn, name, seat) by its scope: every draw
        but a `uniform` or `normal` one without `scope` (which keeps the old streams)."""
        return self.scope is not None or self.kind not in ("uniform", "normal")

    @property
    def per_seat(self) -> bool:
        """Whether a keyed draw gives each seat its own value (scope `seat`, the default)."""
        return self.keyed and (self.scope or "seat") == "seat"

    def mean_sd(self) -> tuple[float, float]:
        """The draw's mean and standard deviation."""
        kind = self.kind
        if kind == "uniform":
            low, high = self.uniform
            return (low + high) / 2, abs(high - low) / 12 ** 0.5
        if kind == "normal":
            return self.normal[0], abs(self.normal[1])
        if kind == "binomial":
            n, p = self.binomial
            return n * p, (n * p * (1 - p)) ** 0.5
        if kind == "poisson":
            return self.poisson, self.poisson ** 0.5
        chances = self.choice.chances()
        mean = sum(c * v for c, v in zip(chances, self.choice.values))
        var = sum(c * (v - mean) ** 2 for c, v in zip(chances, self.choice.values))
        return mean, var ** 0.5

    def bounds(self) -> tuple[float, float]:
        """The values the draw gives in practice (a normal one within 3 sd of its mean)."""
        kind = self.kind
        if kind == "uniform":
            return min(self.uniform), max(self.uniform)
        if kind == "binomial":
            return 0.0, float(self.binomial[0])
        if kind == "choice":
            return min(self.choice.values), max(self.choice.values)
        mean, sd = self.mean_sd()
        low = mean - 3 * sd
        return (max(0.0, low) if kind == "poisson" else low), mean + 3 * sd


class Lesson(Strict):
    """A lesson shown at the end only when `when` holds over the game's end facts (see
    `game.scenario.facts`), e.g. `gap > 10 and ever_token_leaderboard`."""

    text: Text
    when: Formula = Field("1", description="A formula over end-of-game facts; the lesson "
                                           "is shown only when it is true.")


class WhatIf(Strict):
    """A contrasting regime: the same company replayed by bots with these policies held."""

    name: str = Field(min_length=1, max_length=80, description="e.g. `Outcome metrics`.")
    text: Text = Field("", description="One or two sentences on what this regime does.")
    locks: dict[Id, Whole | str] = Field(
        min_length=1, description="Policy id -> level (a name or a number) held all game.")


class Debrief(Strict):
    """What the end screen reveals, and the facilitator's material."""

    proxy_index: dict[Id, float] = Field(min_length=1,
                                         description="Metric id -> weight in the proxy index.")
    health_index: dict[Id, float] = Field(min_length=1,
                                          description="Metric id -> weight in the health index.")
    contribution: Formula = Field("0", description="A seat's real contribution, over its stats.")
    lessons: list[Text | Lesson] = Field(
        default_factory=list, description="A plain text is shown after every game, so it must "
        "be true of any game; `{text, when}` is shown only when `when` holds.")
    questions: list[Text] = Field(default_factory=list)
    what_if: list[WhatIf] = Field(
        default_factory=list, max_length=6,
        description="Contrasting regimes; the reveal replays the game under the one it "
                    "followed least.")


MAX_HORIZON = 12
"""The most turns a scenario may ask its planning bots to look ahead."""


class Bots(Strict):
    """How the scenario's planning bots think (`bots:`)."""

    horizon: Whole | None = Field(
        None, ge=1, le=MAX_HORIZON,
        description="Turns a planning bot looks ahead when it weighs its own review: this "
                    "turn's choice counts by what it adds to its reviews over this many turns, "
                    "so a payoff that arrives later counts. Default: 1 without flows; with "
                    "flows, long enough to reach a neighbour and back, at most 6 (see "
                    "AUTHORING.md, *Bots that plan ahead*).")


class Scenario(Strict):
    """A whole scenario file."""

    added_later: ClassVar[tuple[str, ...]] = ("order", "flows", "let", "leaderboards", "bots",
                                              "constant_bounds")

    id: Id
    title: str
    version: str = "1"
    summary: Text
    goals: list[Text] = Field(default_factory=list)
    turns: Whole = Field(ge=1, le=100)
    turn_name: str = "turn"
    minutes: Whole = Field(60, ge=5, le=600, description="Rough length of a session.")
    constants: dict[Id, float] = Field(default_factory=dict)
    constant_bounds: dict[Id, Pair] = Field(
        default_factory=dict,
        description="Constant id -> [low, high]: the values a constant may sensibly take; "
                    "`goodhart sweep` tries no value outside them.")
    randoms: dict[Id, Draw] = Field(default_factory=dict)
    let: dict[Id, Formula] = Field(
        default_factory=dict,
        description="Named values: name -> formula, read in file order; a formula (or a later "
                    "let) may read the name wherever it may read every name the let reads.")
    order: Order | None = Field(None, description="Seats in relation: `chain` or `ring`, or "
                                "`{kind, roles}`; formulas then read `upstream.X` and "
                                "`downstream.X`.")
    flows: list[Flow] = Field(default_factory=list, description="Quantities passed between "
                              "neighbouring seats with a delay (needs `order`).")
    metrics: list[Metric] = Field(min_length=1)
    stats: list[Stat] = Field(default_factory=list)
    roles: list[Role] = Field(min_length=1)
    policies: list[Policy] = Field(default_factory=list)
    behaviours: list[Behaviour] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    dynamics: list[Effect] = Field(default_factory=list,
                                   description="Effects applied every turn, e.g. defects to incidents.")
    reviews: dict[Id, Review] = Field(default_factory=dict)
    leaderboards: list[Leaderboard] = Field(
        default_factory=list, max_length=10,
        description="Rankings every seat sees beside the reviews' own leaderboards.")
    table: dict[Id, list[Strategy]] = Field(
        default_factory=dict,
        description="The default table: per role id, one bot strategy per seat, e.g. "
                    "`employee: [craft, gamer, gamer, gamer]`; the number of seats is the "
                    "role's default. Bots fill a role's empty seats with these strategies, in "
                    "order. A role left out gets `seats.default` seats of `adaptive` bots.")
    debrief: Debrief
    bots: Bots = Field(default_factory=Bots)
    _rules: Any = PrivateAttr(default=None)  # compiled formulas, see game.scenario.rules.rules_for

    def metric(self, metric_id: str) -> Metric:
        return next(m for m in self.metrics if m.id == metric_id)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def policies_of(self, role_id: str) -> list[Policy]:
        return [p for p in self.policies if p.role == role_id]

    def behaviours_of(self, role_id: str) -> list[Behaviour]:
        return [b for b in self.behaviours if b.role == role_id]

    def stats_of(self, role_id: str) -> list[Stat]:
        return [s for s in self.stats if s.roles is None or role_id in s.roles]

    def default_count(self, role_id: str) -> int:
        """How many seats of `role_id` the default table has (its table entry, if any)."""
        listed = self.table.get(role_id)
        return len(listed) if listed is not None else self.role(role_id).seats.default

    def table_strategy(self, role_id: str, nth: int) -> str | None:
        """The declared strategy of the role's `nth` empty seat (from 0; seats past the list
        get its last strategy), or None when the table does not list the role."""
        listed = self.table.get(role_id)
        if not listed:
            return None
        return listed[min(nth, len(listed) - 1)]
