"""Result files: one versioned JSON file per finished table, with all the debrief needs.

A result carries the scenario's identity and the names the debrief shows, the table and its
condition, the seed and seats, every turn's true metrics with the proxy index, the health index
and the gap, the policies in force each turn, the events, the seats' review rank against their
real contribution, the human seats' predictions and the final scores. It also keeps the action
log, so `replay_result` can rebuild the game and check it against the stored hash. The debrief
reads result files only; it never needs the scenario file, which may be on another laptop.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from game.analysis.indices import gap_series, index_series, metric_series, seat_outcomes
from game.analysis.what_if import WhatIfResult, what_if_for_state
from game.engine.actions import Action
from game.engine.game import Game
from game.engine.save import SaveFile, Session, fingerprint, replay, validated, write_atomic
from game.engine.state import GameState, Headline, SeatSetup
from game.errors import SaveError

__all__ = ["RESULT_FORMAT", "ResultFile", "build_result", "read_result", "replay_result",
           "session_what_if", "write_result"]

RESULT_FORMAT = 1
MAX_RESULT_BYTES = 20 * 1024 * 1024


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LessonInfo(_Record):
    """A debrief lesson and its condition over the end facts (`1`: always shown)."""

    text: str
    when: str = "1"


class ScenarioInfo(_Record):
    """Which scenario was played, and the names the debrief shows without loading it."""

    id: str
    version: str
    fingerprint: str
    title: str
    ref: str | None = Field(None, description="A bundled name or a path, to load it again.")
    turn_name: str = "turn"
    turns: int
    metrics: dict[str, str] = Field(description="Metric id -> name.")
    policies: dict[str, str] = Field(description="Policy id -> name.")
    policy_levels: dict[str, list[str]] = Field(description="Policy id -> level names.")
    proxy_index: dict[str, float]
    health_index: dict[str, float]
    lessons: list[LessonInfo] = Field(
        default_factory=list, description="Every lesson; the debrief shows those that hold.")


class TableInfo(_Record):
    id: str = ""
    name: str = ""


class ConditionInfo(_Record):
    """The policies the facilitator locked at this table, and the condition's label."""

    name: str
    locked: dict[str, int] = Field(default_factory=dict)


class TurnRow(_Record):
    """One turn's true state after resolution; turn 0 is the start of the game."""

    turn: int
    metrics: dict[str, float]
    proxy_index: float
    health_index: float
    gap: float
    policies: dict[str, int]


class SeatResult(_Record):
    """A seat's final standing: review score and rank against its real contribution (both
    ranks among the seats of its own role; None for a role nobody reviews)."""

    seat: int
    name: str
    role: str
    controller: str
    employed: bool
    score_total: float
    leaderboard_rank: int | None = None
    contribution: float | None = None
    contribution_rank: int | None = None


class Prediction(_Record):
    """A human seat's guess of the final health index, made before the reveal."""

    seat: int
    name: str
    predicted_health: float
    actual_health: float


class ResultFile(_Record):
    """A finished (or abandoned) table's game, as the debrief reads it."""

    format: Literal[1] = RESULT_FORMAT
    kind: Literal["goodhart-result"] = "goodhart-result"
    scenario: ScenarioInfo
    workshop: str = ""
    table: TableInfo = TableInfo()
    condition: ConditionInfo
    seed: int
    finished: bool
    seats: list[SeatSetup]
    turns: list[TurnRow] = Field(min_length=1)
    outcomes: list[SeatResult]
    events: list[Headline] = Field(default_factory=list)
    predictions: list[Prediction] = Field(default_factory=list)
    final_scores: dict[int, float] = Field(default_factory=dict)
    actions: list[Action] = Field(default_factory=list)
    state_hash: str
    written_at: str = ""
    what_if: WhatIfResult | None = Field(
        None, description="The same game replayed by bots under the scenario's contrasting "
                          "regime (absent when the scenario declares none).")

    @property
    def label(self) -> str:
        """How the debrief names this table: its name, or its id, or its seed."""
        return self.table.name or (f"Table {self.table.id}" if self.table.id
                                   else f"seed {self.seed}")


def build_result(session: Session, predictions: dict[int, float] | None = None,
                 what_if: WhatIfResult | None = None) -> ResultFile:
    """The result record of a session as it stands (normally after the last turn), with
    `what_if` (see `session_what_if`) if given."""
    game, state = session.game, session.state
    scenario = game.scenario
    meta = session.meta
    proxy, health = index_series(scenario, state)
    gap = gap_series(proxy, health)
    start_policies = {p.id: p.initial for p in scenario.policies} | dict(session.locked)
    policies = [start_policies] + [dict(h.policies) for h in state.history]
    turns = [TurnRow(turn=t, metrics=dict(m), proxy_index=proxy[t], health_index=health[t],
                     gap=gap[t], policies=policies[t])
             for t, m in enumerate(metric_series(scenario, state))]
    return ResultFile(
        scenario=_scenario_info(game, session.scenario_path),
        workshop=meta.get("workshop_title", ""),
        table=TableInfo(id=meta.get("table", ""), name=meta.get("table_name", "")),
        condition=ConditionInfo(name=meta.get("condition", "") or _locked_words(game, session),
                                locked=dict(session.locked)),
        seed=session.seed, finished=game.is_terminal(state), seats=list(session.seats),
        turns=turns, outcomes=_outcomes(game, state, session.seats),
        events=[h for rec in state.history for h in rec.news] + list(state.news),
        predictions=[Prediction(seat=i, name=session.seats[i].name, predicted_health=float(v),
                                actual_health=health[-1])
                     for i, v in sorted((predictions or {}).items())],
        final_scores={s.index: s.score_total for s in state.seats},
        actions=list(session.actions), state_hash=state.state_hash(),
        written_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), what_if=what_if)


def session_what_if(session: Session) -> WhatIfResult | None:
    """The what-if of an ended session (None before the end, or when the scenario declares no
    contrasting regime); plays a whole game, so a window runs it in the background."""
    if not session.game.is_terminal(session.state):
        return None
    return what_if_for_state(session.game.scenario, session.state, session.seats)


def _scenario_info(game: Game, ref: str | None) -> ScenarioInfo:
    s = game.scenario
    return ScenarioInfo(id=s.id, version=s.version, fingerprint=fingerprint(s), title=s.title,
                        ref=ref, turn_name=s.turn_name, turns=s.turns,
                        metrics={m.id: m.name for m in s.metrics},
                        policies={p.id: p.name for p in s.policies},
                        policy_levels={p.id: list(p.levels) for p in s.policies},
                        proxy_index=dict(s.debrief.proxy_index),
                        health_index=dict(s.debrief.health_index),
                        lessons=[LessonInfo(text=x) if isinstance(x, str)
                                 else LessonInfo(text=x.text, when=x.when)
                                 for x in s.debrief.lessons])


def _locked_words(game: Game, session: Session) -> str:
    specs = {p.id: p for p in game.scenario.policies}
    words = [f"{specs[pid].name}: {specs[pid].levels[n]}" for pid, n in session.locked.items()]
    return ", ".join(words) or "no locked policies"


def _outcomes(game: Game, state: GameState, seats: list[SeatSetup]) -> list[SeatResult]:
    """Every seat; reviewed seats also get their rank by review score and by real
    contribution, each among the seats of their own role (as the leaderboards are, ties
    settled as `seat_outcomes` settles them)."""
    reviewed = {o.seat: o for o in seat_outcomes(game.scenario, state)}
    out = []
    for s in state.seats:
        o = reviewed.get(s.index)
        out.append(SeatResult(seat=s.index, name=s.name, role=s.role,
                              controller=seats[s.index].controller, employed=s.employed,
                              score_total=s.score_total,
                              leaderboard_rank=o.leaderboard_rank if o else None,
                              contribution=o.contribution if o else None,
                              contribution_rank=o.contribution_rank if o else None))
    return out


def write_result(session: Session, path: Path, predictions: dict[int, float] | None = None,
                 what_if: WhatIfResult | None = None) -> ResultFile:
    """Write the session's result file atomically; returns the record written."""
    result = build_result(session, predictions, what_if)
    try:
        write_atomic(Path(path), result.model_dump_json(indent=1))
    except OSError as err:
        raise SaveError(f"cannot write the result file: {err.strerror or err}",
                        str(path)) from None
    return result


def read_result(path: str | Path) -> ResultFile:
    """Read and validate a result file; any problem is one SaveError naming the file."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise SaveError("this is a folder, not a result file", name)
        if path.stat().st_size > MAX_RESULT_BYTES:
            raise SaveError(f"result files are limited to {MAX_RESULT_BYTES // 2**20} MB", name)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SaveError("no such result file", name) from None
    except OSError as err:
        raise SaveError(f"cannot read the result file: {err.strerror or err}", name) from None
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.lstrip().startswith(b"{"):
        raise SaveError("not a Goodhart result file (result files are the .json files a "
                        "table writes when its game ends)", name)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as err:  # bad JSON or UTF-8, a number too long
        line = getattr(err, "lineno", None)
        raise SaveError("not a readable result file (it is damaged or truncated); copy it "
                        "again from the table's laptop", name, line) from None
    return _validate(data, name)


def _validate(data: object, name: str) -> ResultFile:
    if not isinstance(data, dict) or data.get("kind") != "goodhart-result":
        what = "a Goodhart save, not a result file (results are written when a table's game " \
               "ends)" if isinstance(data, dict) and data.get("kind") == "goodhart-save" \
            else "not a Goodhart result file"
        raise SaveError(what, name)
    if isinstance(data.get("format"), int) and data["format"] > RESULT_FORMAT:
        raise SaveError(f"this result file has format {data['format']}, newer than this "
                        f"version of Goodhart reads ({RESULT_FORMAT}); update Goodhart", name)
    return validated(ResultFile, data, "result file", name)


def to_save(result: ResultFile) -> SaveFile:
    """The result's game as a save record (seed, table and actions), to replay or resume."""
    s = result.scenario
    return SaveFile(scenario_id=s.id, scenario_version=s.version,
                    scenario_fingerprint=s.fingerprint, scenario_path=s.ref, seed=result.seed,
                    seats=result.seats, locked=result.condition.locked,
                    actions=list(result.actions), turn=result.turns[-1].turn,
                    phase="ended" if result.finished else "policy",
                    state_hash=result.state_hash)


def replay_result(game: Game, result: ResultFile, path: str | None = None) -> GameState:
    """Replay the result's action log and check it gives the recorded game (SaveError if not)."""
    return replay(game, to_save(result), path)
