"""What a hosted room looks like to the facilitator and the projector: tables, seats, timers.

Built by `game.server.room.Room.status` and drawn by the facilitator's pages and the pygame
host window (which never imports `game.server`, hence this module lives in the workshop layer).
Public by construction: no seat secrets, no late-arrival codes, no hidden values, no seat's
choices (only whether it has submitted this phase).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PlayerKind", "RoomStatus", "SeatStatus", "TableStatus"]

PlayerKind = Literal["person", "bot", "open"]
"""Who plays a seat: a person who joined, a bot the facilitator or the file put there, or
nobody yet (an open seat waits for a person; past its timer a bot covers it)."""


class _Status(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeatStatus(_Status):
    """One seat as the facilitator sees it."""

    index: int = Field(description="The seat's index at its table, from 0.")
    seat_name: str = Field(description="The seat's name in the game, e.g. `Engineer 2`.")
    role: str = Field(description="The role's id.")
    role_name: str
    player: PlayerKind
    person: str = Field("", description="The name the person joined with ('' if none).")
    strategy: str | None = Field(None, description="The bot's strategy, for a bot seat or a "
                                                   "seat a bot is covering.")
    covered_by_bot: bool = Field(False, description="A bot plays it until its person returns.")
    must_act: bool = Field(False, description="It still has to choose in this phase.")
    submitted: bool = Field(False, description="It has chosen in this phase.")
    employed: bool = True
    seen_seconds_ago: float | None = Field(
        None, description="Seconds since its person last asked for their state or acted.")
    code_pending: bool = Field(False, description="A late-arrival code for it is unused.")


class TableStatus(_Status):
    """One table: where its game is, its timer, and its seats."""

    id: str
    name: str
    condition: str
    turn: int
    turns: int
    turn_name: str
    phase: str = Field(description="`policy`, `work` or `ended` (the engine's phase).")
    paused: bool
    ended: bool = Field(description="The game is over, or the facilitator ended the table.")
    ended_early: bool = Field(False, description="The facilitator ended it before its last "
                                                 "turn.")
    seconds_left: float | None = Field(description="Until the phase's timer runs out; None "
                                                   "without a timer (or once ended).")
    phase_seconds: int = Field(0, description="The phase's full timer (0: none).")
    version: int = Field(description="Grows with every change at the table.")
    seats: list[SeatStatus]
    headlines: list[str] = Field(default_factory=list, description="This turn's news.")
    events: list[tuple[str, str]] = Field(
        default_factory=list, description="(id, headline) of the events the facilitator may "
                                          "inject.")

    @property
    def waiting_for(self) -> list[SeatStatus]:
        """The seats that still have to choose in this phase."""
        return [s for s in self.seats if s.must_act]


class RoomStatus(_Status):
    """The whole room: every table, a room-wide countdown, and whether all is over."""

    code: str = Field(description="The room code people type to join (shown on the "
                                  "projector).")
    title: str
    scenario_title: str
    tables: list[TableStatus]
    people: int = Field(description="Seats held by a person.")
    open_seats: int = Field(description="Seats waiting for a person.")
    paused: bool = Field(description="Every unfinished table is paused.")
    ended: bool = Field(description="Every table has ended: time for the debrief.")
    seconds_left: float | None = Field(
        description="The room-wide countdown: the longest time left on a running table's "
                    "phase timer (None if no table has a running timer).")
    grows: bool = Field(False, description="A room from a bare scenario: tables are added as "
                                           "people join.")

    def table(self, table_id: str) -> TableStatus | None:
        """The table with this id, or None."""
        return next((t for t in self.tables if t.id == table_id), None)
