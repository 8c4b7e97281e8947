"""The workshop file format as pydantic models: one scenario, several tables, their conditions.

A workshop file says which scenario the room plays, and for each table: its condition (the
policies the facilitator locks, e.g. a public token leaderboard at table A and outcome metrics
at table B), who sits where (a person or a bot strategy), the seed, and the phase timers.
Unknown keys are errors everywhere, as in scenario files. References to the scenario (policy
ids, levels, roles, seat counts) are checked by `game.workshop.load` once the scenario is known.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from game.scenario.model import Id

TableId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")]
"""A table's id as typed after `--table`: letters, digits, `-` and `_`, e.g. `A` or `table-2`."""

Name = Annotated[str, StringConstraints(max_length=60)]
PIN = re.compile(r"[0-9]{4,8}")
Level = int | Annotated[str, StringConstraints(min_length=1, max_length=40)]
"""A policy level: its number (0 is off) or its name from the scenario (`off`, `on`, `strong`)."""

class Strict(BaseModel):
    """Base for every workshop model: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Timers(Strict):
    """Seconds each seat has per phase; 0 means no timer. When time runs out the seat's
    last choice (or a default) is submitted for it."""

    policy: int = Field(0, ge=0, le=3600, description="Seconds for the policy phase.")
    work: int = Field(0, ge=0, le=3600, description="Seconds for the work phase.")


class SeatSpec(Strict):
    """One seat at a table: its role, the name shown, and who plays it."""

    role: Id
    name: Name = ""
    player: str = Field("human", description="`human`, `bot` (the next strategy of the "
                                             "scenario's default table for the role) or "
                                             "`bot:STRATEGY`, e.g. `bot:gamer`.")

    @property
    def is_bot(self) -> bool:
        return self.player == "bot" or self.player.startswith("bot:")

    @property
    def strategy(self) -> str | None:
        """The bot strategy named, or None (a human, or `bot` for the role's default)."""
        return self.player[4:] if self.player.startswith("bot:") else None


class Condition(Strict):
    """What the facilitator fixes at a table: policies locked at a level for the whole game."""

    name: Name = Field("", description="A short label for the debrief, e.g. `Leaderboard`.")
    policies: dict[Id, Level] = Field(
        default_factory=dict,
        description="Policy id -> level (a number, or the level's name) locked for the game.")


class Table(Strict):
    """One table of the workshop."""

    id: TableId
    name: Name = ""
    condition: Condition = Condition()
    seats: list[SeatSpec] | None = Field(
        None, min_length=1, max_length=40,
        description="Who sits where; the scenario's default table, all human, if absent.")
    seed: int | None = Field(None, ge=0, le=2**31 - 1,
                             description="The table's seed; 1000 + its position if absent.")
    timers: Timers | None = Field(None, description="This table's timers, instead of the "
                                                    "workshop's.")

    @property
    def label(self) -> str:
        return self.name or f"Table {self.id}"


class Workshop(Strict):
    """A whole workshop file."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    scenario: Annotated[str, StringConstraints(min_length=1, max_length=400)] = Field(
        description="A bundled scenario's name, or a path relative to this file.")
    timers: Timers = Timers()
    results: str | None = Field(None, description="Folder for the result files, relative to "
                                                  "this file; the user's data folder if absent.")
    notes: Annotated[str, StringConstraints(max_length=4000)] = ""
    facilitator_pin: str | None = Field(
        None, description="4 to 8 digits asked before F9 opens the facilitator panel at a table; "
                    "a random PIN is printed in the terminal at start if absent.")
    tables: list[Table] = Field(min_length=1, max_length=40)

    @field_validator("facilitator_pin", mode="before")
    @classmethod
    def _pin_as_text(cls, value: object) -> object:
        """`facilitator_pin: 4711` (a YAML number) is read as the text "4711"; a PIN that is
        not 4 to 8 digits is a ValueError that says so (a number has lost any leading 0)."""
        number = isinstance(value, int) and not isinstance(value, bool)
        text = str(value) if number else value
        if isinstance(text, str) and not PIN.fullmatch(text):
            hint = '; one that starts with 0 goes in quotes, e.g. "0472"' if number else ""
            raise ValueError(f"a PIN is 4 to 8 digits (found {text[:20]}){hint}")
        return text

    def table(self, table_id: str) -> Table | None:
        """The table with this id (letter case does not matter), or None."""
        return next((t for t in self.tables if t.id.lower() == table_id.lower()), None)
