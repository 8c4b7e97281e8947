"""A workshop table as the engine needs it: seats, locked policies, seed, timers, labels.

`table_setup(loaded, "B")` turns one table of a workshop file into the arguments of
`Session(game, seed, seats, locked=..., meta=...)`; `start_session` makes that session. The
session's `meta` carries the workshop and table, so a saved and resumed game still knows which
table it was and where its result file goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from game.bots import default_strategy
from game.engine import Game
from game.engine.save import Session, save_dir
from game.engine.state import SeatSetup
from game.errors import GoodhartError
from game.scenario.model import Scenario
from game.workshop.load import LoadedWorkshop, level_number
from game.workshop.model import Condition, SeatSpec, Table, Timers

__all__ = ["TableSetup", "condition_label", "default_results_dir", "find_table",
           "locked_levels", "result_path", "start_session", "table_setup"]

@dataclass(frozen=True)
class TableSetup:
    """Everything needed to start one table's game."""

    table: Table
    seats: list[SeatSetup]
    locked: dict[str, int]
    seed: int
    timers: Timers
    condition: str
    meta: dict[str, str] = field(default_factory=dict)
    facilitator_pin: str | None = None


def find_table(loaded: LoadedWorkshop, table_id: str) -> Table:
    """The table with this id (any letter case), or a GoodhartError listing the tables."""
    table = loaded.workshop.table(table_id)
    if table is None:
        ids = ", ".join(t.id for t in loaded.workshop.tables)
        raise GoodhartError(f"no table '{table_id}' in this workshop (tables: {ids})",
                            file=str(loaded.path))
    return table


def locked_levels(scenario: Scenario, condition: Condition) -> dict[str, int]:
    """The condition's policies as {policy id: level number} (the file was checked on load)."""
    levels = {p.id: p.levels for p in scenario.policies}
    out = {}
    for pid, level in condition.policies.items():
        number = level_number(levels[pid], level)
        assert number is not None, f"unchecked level {level!r} of {pid}"
        out[pid] = number
    return out


def condition_label(scenario: Scenario, condition: Condition) -> str:
    """The condition's name, or its policies in words: `Token leaderboard: on`."""
    if condition.name:
        return condition.name
    locked = locked_levels(scenario, condition)
    if not locked:
        return "no locked policies"
    specs = {p.id: p for p in scenario.policies}
    return ", ".join(f"{specs[pid].name}: {specs[pid].levels[n]}" for pid, n in locked.items())


def table_setup(loaded: LoadedWorkshop, table_id: str,
                fill: dict[str, str] | None = None) -> TableSetup:
    """The table's setup. `fill` (role -> strategy) puts bots in its human seats, for a
    headless run; without it human seats stay human."""
    table = find_table(loaded, table_id)
    scenario = loaded.scenario
    position = next(i for i, t in enumerate(loaded.workshop.tables) if t is table)
    specs = table.seats if table.seats is not None else _default_specs(scenario)
    seats = _seat_setups(scenario, specs, fill)
    label = condition_label(scenario, table.condition)
    meta = {"workshop": str(loaded.path), "workshop_title": loaded.title, "table": table.id,
            "table_name": table.label, "condition": label}
    return TableSetup(table=table, seats=seats, locked=locked_levels(scenario, table.condition),
                      seed=table.seed if table.seed is not None else 1000 + position,
                      timers=table.timers or loaded.workshop.timers, condition=label, meta=meta,
                      facilitator_pin=loaded.workshop.facilitator_pin)


def _default_specs(scenario: Scenario) -> list[SeatSpec]:
    """The scenario's default table, every seat a human."""
    return [SeatSpec(role=r.id) for r in scenario.roles
            for _ in range(scenario.default_count(r.id))]


def _seat_setups(scenario: Scenario, specs: list[SeatSpec],
                 fill: dict[str, str] | None) -> list[SeatSetup]:
    """Seats in file order, named `Employee 2` (or `... (gamer bot)`) when the file gives none.
    Bot seats without a strategy take the scenario's default table for the role, in order."""
    per_role = {r.id: sum(1 for s in specs if s.role == r.id) for r in scenario.roles}
    counter: dict[str, int] = {}
    empty: dict[str, int] = {}
    seats = []
    for spec in specs:
        counter[spec.role] = counter.get(spec.role, 0) + 1
        role = scenario.role(spec.role)
        base = f"{role.name} {counter[spec.role]}" if per_role[spec.role] > 1 else role.name
        strategy = spec.strategy
        filled = not spec.is_bot and fill is not None
        if filled:
            strategy = fill.get(spec.role)
        if strategy is None and (spec.is_bot or filled):
            empty[spec.role] = empty.get(spec.role, -1) + 1
            strategy = default_strategy(scenario, spec.role, empty[spec.role])
        if strategy is None:
            seats.append(SeatSetup(role=spec.role, name=spec.name or base, controller="human"))
        else:
            name = spec.name if spec.name and not filled else \
                f"{spec.name or base} ({strategy} bot)"
            seats.append(SeatSetup(role=spec.role, name=name, controller=f"bot:{strategy}"))
    return seats


def start_session(loaded: LoadedWorkshop, table_id: str, path: Path | None = None,
                  fill: dict[str, str] | None = None,
                  secret: str | None = None) -> tuple[Session, TableSetup]:
    """A new session for one table, autosaving to `path` if given; its readings' noise is
    drawn from a fresh secret, or from `secret` (`""`: from the seed, see `Session`)."""
    setup = table_setup(loaded, table_id, fill)
    session = Session(Game(loaded.scenario), setup.seed, setup.seats, locked=setup.locked,
                      path=path, scenario_path=loaded.scenario_ref, meta=setup.meta,
                      secret=secret)
    return session, setup


def default_results_dir() -> Path:
    """Where result files go when the workshop file names no folder: next to the saves."""
    return save_dir().parent / "results"


def result_path(folder: Path, meta: dict[str, str], seed: int) -> Path:
    """A fresh result file name: `<workshop>-table-<id>-seed<seed>-<time>.json`."""
    stem = Path(meta.get("workshop", "game")).stem or "game"
    table = meta.get("table", "")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stem}-table-{table}-seed{seed}-{stamp}" if table else f"{stem}-seed{seed}-{stamp}"
    path = folder / f"{base}.json"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.json"
        n += 1
    return path
