"""Setting a room's tables up: what `goodhart host` was given (a workshop file or a bare
scenario), a new table as the one-laptop workshop builds it, a stored table rebuilt from its
log, and the seat a newcomer takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from game.engine import Game
from game.engine.save import Session, new_secret
from game.errors import ActionError
from game.scenario.load import load_scenario, resolve_scenario
from game.scenario.source import read_source
from game.server.store import LogEntry, SeatClaim, Store, StoreError, TableRecord
from game.server.table import ACTION, LiveTable, TableSpec
from game.workshop.load import LoadedWorkshop, load_workshop
from game.workshop.model import Table, Timers, Workshop
from game.workshop.tables import table_setup

__all__ = ["SCENARIO_TIMERS", "RoomSource", "free_seat", "new_table", "rebuild_table",
           "room_source", "scenario_workshop"]

SCENARIO_TIMERS = Timers(policy=120, work=150)
"""A bare scenario's room has these timers (a workshop file sets its own): a seat nobody
answers for is then played by a bot rather than stalling its table."""
MAX_TABLES = 40


@dataclass(frozen=True)
class RoomSource:
    """What a room is made from: a workshop (its tables), or a bare scenario as a workshop of
    one table that `grows` a table of the scenario's default size whenever it is full."""

    loaded: LoadedWorkshop
    grows: bool


def room_source(ref: str) -> RoomSource:
    """A workshop file (it has `tables:`) or a scenario file or bundled name, loaded and
    checked; a ScenarioError (one line) for anything wrong."""
    path = resolve_scenario(ref)
    source = read_source(path)
    if isinstance(source.data, dict) and "tables" in source.data:
        return RoomSource(load_workshop(path), grows=False)
    scenario = load_scenario(path)
    bundled = not Path(ref).exists() and not Path(ref).suffix
    return RoomSource(scenario_workshop(scenario, ref if bundled else str(path.resolve()),
                                        path.resolve()), grows=True)


def scenario_workshop(scenario, ref: str, path: Path) -> LoadedWorkshop:
    """A bare scenario as a workshop with one table `1` of its default seats, all people."""
    workshop = Workshop(title=scenario.title, scenario=ref, timers=SCENARIO_TIMERS,
                        tables=[Table(id="1")])
    return LoadedWorkshop(workshop, scenario, path, ref)


def _with_tables(loaded: LoadedWorkshop, count: int) -> LoadedWorkshop:
    """A growing room's workshop with tables `1` to `count`."""
    tables = list(loaded.workshop.tables)
    tables += [Table(id=str(n)) for n in range(len(tables) + 1, count + 1)]
    return replace(loaded, workshop=loaded.workshop.model_copy(update={"tables": tables}))


def new_table(loaded: LoadedWorkshop, game: Game, store: Store, position: int,
              now: float) -> LiveTable:
    """The room's table at `position` (a growing room's next one), stored, with a fresh
    noise secret; bot seats are the file's, other seats open."""
    if position >= len(loaded.workshop.tables):
        loaded = _with_tables(loaded, position + 1)
    table_id = loaded.workshop.tables[position].id
    setup = table_setup(loaded, table_id)
    defaults = [s.strategy for s in table_setup(loaded, table_id, fill={}).seats]
    spec = TableSpec(id=table_id, name=setup.table.label, condition=setup.condition,
                     seed=setup.seed, secret=new_secret(), seats=setup.seats,
                     locked=setup.locked, meta=setup.meta,
                     timers={"policy": setup.timers.policy, "work": setup.timers.work},
                     defaults=defaults)
    claims = [SeatClaim(table_id, i, "bot", strategy=s.strategy) if s.is_bot
              else SeatClaim(table_id, i) for i, s in enumerate(spec.seats)]
    store.add_table(table_id, position, spec.to_json(), claims)
    table = LiveTable(spec, position, _session(game, spec, loaded.scenario_ref), claims)
    if not any(c.player != "bot" for c in claims):
        table.started = True  # nobody will sit down: its bots play at once
    table.clock.restart(table.phase_seconds(), now)
    return table


def _session(game: Game, spec: TableSpec, ref: str | None) -> Session:
    """The table's game at its start (no file: the room's store keeps it)."""
    return Session(game, spec.seed, spec.seats, locked=spec.locked, path=None,
                   scenario_path=ref, meta=spec.meta, secret=spec.secret)


def rebuild_table(game: Game, values: dict, record: TableRecord, claims: list[SeatClaim],
                  log: list[LogEntry], now: float) -> LiveTable:
    """A stored table as it was: its game replayed from its log, its flags set again, its
    phase timer started again in full at `now`."""
    spec = TableSpec.from_json(record.setup)
    own = sorted((c for c in claims if c.table_id == spec.id), key=lambda c: c.seat)
    table = LiveTable(spec, record.position, _session(game, spec, values.get("scenario_ref")),
                      own, version=record.version)
    table.started = not any(c.player != "bot" for c in own)
    for entry in log:
        _replay(table, entry)
    table.clock.restart(table.phase_seconds(), now)
    if table.paused:
        table.clock.pause(now)
    return table


def _replay(table: LiveTable, entry: LogEntry) -> None:
    """Take one logged change on again (claims are stored as they stand, not replayed)."""
    kind = entry.kind
    if kind == "action":
        try:
            table.replay(ACTION.validate_python(entry.payload["action"]))
        except ActionError as err:
            raise StoreError(f"table {table.id}: logged change {entry.n} no longer replays "
                             f"({err.message})") from None
    elif kind == "start":
        table.started = True
    elif kind in ("pause", "resume"):
        table.paused = kind == "pause"
    elif kind == "end":
        table.ended_early = True


def free_seat(tables: list[LiveTable], grows: bool) -> tuple[str, int] | None:
    """The seat the next person takes: an open seat (no person, no bot, no pending
    late-arrival code, still employed) at an unfinished table. A growing room fills its
    tables in order; a workshop spreads people over its tables (the table with the fewest
    people first), seats in file order (so managers first). None if there is none."""
    best: tuple[tuple[int, int], tuple[str, int]] | None = None
    for table in tables:
        if table.ended:
            continue
        seats = [c.seat for c in table.claims if c.player == "open" and c.code_hash is None
                 and table.state.seats[c.seat].employed]
        if not seats:
            continue
        if grows:
            return table.id, seats[0]
        people = sum(c.player == "person" for c in table.claims)
        key = (people, table.position)
        if best is None or key < best[0]:
            best = (key, (table.id, seats[0]))
    return best[1] if best else None
