"""Every message between a player's or facilitator's page and the room, as pydantic models.

Incoming messages are untrusted: `parse_player` and `parse_facilitator` check the size first
(`MAX_MESSAGE_BYTES`), then validate against models that forbid unknown keys and bound every
string, number and dict, and turn any problem into one `ProtocolError` line for the page.
Outgoing: `PlayerState` (`type: "state"`), `ErrorMessage`, `AckMessage`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter,
                      ValidationError)

from game.engine.actions import Legal
from game.engine.view import SeatView
from game.errors import GoodhartError
from game.workshop.debrief import TableSummary

__all__ = ["MAX_MESSAGE_BYTES", "AckMessage", "ActMessage", "ErrorMessage", "FacilitatorOp",
           "HelloMessage", "PingMessage", "PlayerMessage", "PlayerState", "ProtocolError",
           "ScenarioTexts", "TextCard", "parse_facilitator", "parse_player"]

MAX_MESSAGE_BYTES = 4096
"""The largest incoming message accepted (the server also caps its sockets at this)."""

Key = Annotated[str, StringConstraints(min_length=1, max_length=64)]
TableRef = Annotated[str, StringConstraints(min_length=1, max_length=20)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class ProtocolError(GoodhartError):
    """A message the room cannot read; its text is one line to show on the page."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- from a player's page ---

class ActMessage(_In):
    """A seat's choice for the phase it names. `turn` and `phase` must be the table's now,
    else the message is stale and refused. The seat comes from the sender's secret, never
    from the message."""

    type: Literal["act"] = "act"
    turn: int = Field(ge=1, le=1000)
    phase: Literal["policy", "work"]
    levels: dict[Key, Annotated[int, Field(ge=0, le=100)]] | None = Field(
        None, max_length=64, description="Policy id -> level, in the policy phase.")
    effort: dict[Key, Annotated[int, Field(ge=0, le=1000)]] | None = Field(
        None, max_length=64, description="Behaviour id -> effort points, in the work phase.")
    numbers: dict[Key, Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False)]] | None \
        = Field(None, max_length=64, description="Numeric decisions, with `effort`.")


class PingMessage(_In):
    """Keeps the socket alive; answered with the seat's state if it changed."""

    type: Literal["ping"] = "ping"
    version: int | None = Field(None, ge=0, description="The version the page shows.")


class HelloMessage(_In):
    """A socket's first message when the page keeps the seat's secret (not in a cookie)."""

    type: Literal["hello"] = "hello"
    secret: Secret


PlayerMessage = Annotated[ActMessage | PingMessage | HelloMessage, Field(discriminator="type")]
_player = TypeAdapter(PlayerMessage)


# --- from the facilitator's page ---

class PauseOp(_In):
    """Pause one table's timers and play, or every table's (`table` absent)."""

    type: Literal["pause"] = "pause"
    table: TableRef | None = None


class ResumeOp(_In):
    """Resume one table, or every table."""

    type: Literal["resume"] = "resume"
    table: TableRef | None = None


class ExtendOp(_In):
    """Give a table's current phase more time."""

    type: Literal["extend"] = "extend"
    table: TableRef
    seconds: int = Field(ge=1, le=3600)


class InjectOp(_In):
    """Fire one of the scenario's events at a table now."""

    type: Literal["inject"] = "inject"
    table: TableRef
    event: Key


class GiveToBotOp(_In):
    """A bot plays the seat from now on (its person's secret stops working)."""

    type: Literal["give_to_bot"] = "give_to_bot"
    table: TableRef
    seat: int = Field(ge=0, le=100)
    strategy: Key | None = None


class GiveToPersonOp(_In):
    """Make a one-time late-arrival code that takes the seat."""

    type: Literal["give_to_person"] = "give_to_person"
    table: TableRef
    seat: int = Field(ge=0, le=100)


class EndTableOp(_In):
    """End a table's game now (its result is kept as it stands)."""

    type: Literal["end_table"] = "end_table"
    table: TableRef


FacilitatorOp = Annotated[PauseOp | ResumeOp | ExtendOp | InjectOp | GiveToBotOp |
                          GiveToPersonOp | EndTableOp, Field(discriminator="type")]
_facilitator = TypeAdapter(FacilitatorOp)


def parse_player(raw: str | bytes) -> ActMessage | PingMessage | HelloMessage:
    """A player's message, or a ProtocolError with one line saying what is wrong."""
    return _parse(_player, raw)


def parse_facilitator(raw: str | bytes | dict) -> BaseModel:
    """A facilitator's operation (JSON text, or a dict from a form), or a ProtocolError."""
    if isinstance(raw, dict):
        try:
            return _facilitator.validate_python(raw)
        except ValidationError as err:
            raise ProtocolError(_first_problem(err)) from None
    return _parse(_facilitator, raw)


def _parse(adapter: TypeAdapter, raw: str | bytes):
    """`raw` validated by `adapter`, after the size check."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message too long ({size} bytes; at most {MAX_MESSAGE_BYTES})")
    try:
        return adapter.validate_json(raw)
    except ValidationError as err:
        raise ProtocolError(_first_problem(err)) from None


_TAGS = {"act", "ping", "hello", "pause", "resume", "extend", "inject", "give_to_bot",
         "give_to_person", "end_table"}
"""The message types, which pydantic puts first in a problem's place."""


def _first_problem(err: ValidationError) -> str:
    """The first validation problem in words: `effort.b1: Input should be ...`."""
    first = err.errors(include_url=False)[0]
    loc = first["loc"][1:] if first["loc"] and first["loc"][0] in _TAGS else first["loc"]
    where = ".".join(str(p) for p in loc)
    if first["type"] == "json_invalid":
        return "not a readable message (invalid JSON)"
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return "unknown message type"
    if first["type"] in ("model_attributes_type", "dict_type", "model_type") and not loc:
        return "a message is a JSON object with a 'type'"
    return f"{where}: {first['msg']}" if where else str(first["msg"])


# --- to a player's page ---

class TextCard(BaseModel):
    """A name and its description from the scenario, for a card on the page."""

    id: str
    name: str
    description: str = ""
    levels: list[str] = Field(default_factory=list, description="A policy's level names.")
    unit: str = Field("", description="A stat's unit.")


class ScenarioTexts(BaseModel):
    """The scenario's words a seat's screens need; only things the seat's view or legal
    actions name (the scenario file itself is public; no value is in here)."""

    title: str
    summary: str
    turn_name: str
    role: TextCard
    metrics: list[TextCard] = Field(default_factory=list)
    policies: list[TextCard] = Field(default_factory=list)
    behaviours: list[TextCard] = Field(default_factory=list)
    roles: list[TextCard] = Field(default_factory=list, description="Every role's name (the "
                                  "leaderboards are by role).")
    stats: list[TextCard] = Field(default_factory=list, description="The stats' names and "
                                  "units (the seat's own are in its view).")
    scoring: list[str] = Field(default_factory=list, description="What earns the seat's role "
                               "review points under the policies in force, in sentences.")
    decisions: list[TextCard] = Field(default_factory=list, description="The numbers the "
                                      "seat's role chooses (their names and units), to name "
                                      "its past choices.")
    sets_policies: bool = Field(False, description="The seat's role chooses the policies "
                                "(a manager: its past weeks name them).")
    flows: list[TextCard] = Field(default_factory=list, description="The names of the flows "
                                  "that reach the seat (what its `incoming` counts).")


class PlayerState(BaseModel):
    """Everything one seat's page shows: its own view and choices, never another seat's."""

    type: Literal["state"] = "state"
    table_id: str
    table_name: str
    seat: int
    person: str = Field(description="The name the person joined with.")
    version: int = Field(description="Grows with every change at the table.")
    view: SeatView
    legal: Legal
    texts: ScenarioTexts = Field(description="On a socket, left out of a state while they "
                                             "are what that page was last sent.")
    seconds_left: float | None = Field(description="Until the phase's timer runs out.")
    paused: bool
    ended: bool
    covered_by_bot: bool = Field(False, description="A bot played for this seat while its "
                                                    "person was away.")
    summary: TableSummary | None = Field(None, description="The table's debrief, at the end.")
    summary_pending: bool = Field(False, description="The game is over and its debrief is "
                                                     "being prepared (a new state follows).")


class ErrorMessage(BaseModel):
    """Something refused: one line to show."""

    type: Literal["error"] = "error"
    message: str


class AckMessage(BaseModel):
    """An action accepted and stored; the table's new version."""

    type: Literal["ack"] = "ack"
    version: int
