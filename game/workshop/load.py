"""Load a workshop file: read it like a scenario, validate it, check it against its scenario.

`load_workshop(path)` returns a `LoadedWorkshop`: the validated file, the scenario it names
(loaded and compiled), and where both came from. Every mistake is one `ScenarioError` printed
as `file:line:col: message`; when several are found, the first in file order is raised and
all of them are in its `errors` attribute. The YAML reader and the position mapping are the
scenario loader's (`game.scenario.source`), so the same limits and line numbers apply.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.bots import strategies_for
from game.errors import ScenarioError
from game.scenario.load import (SUFFIXES, _problem, bundled_dirs, list_bundled, load_scenario,
                                raise_first)
from game.scenario.model import Scenario
from game.scenario.source import Source, position, read_source
from game.workshop.model import Condition, SeatSpec, Table, Timers, Workshop

__all__ = ["LoadedWorkshop", "load_workshop", "validate_workshop"]

Loc = tuple[str | int, ...]
_MODELS: dict[str, type[BaseModel]] = {"": Workshop, "tables": Table, "condition": Condition,
                                       "seats": SeatSpec, "timers": Timers}


@dataclass(frozen=True)
class LoadedWorkshop:
    """A validated workshop file with its scenario."""

    workshop: Workshop
    scenario: Scenario
    path: Path
    scenario_ref: str
    """What a save records to find the scenario again: an absolute path or a bundled name."""

    @property
    def title(self) -> str:
        return self.workshop.title

    def results_dir(self) -> Path | None:
        """The folder the workshop file names for result files, or None for the default."""
        if self.workshop.results is None:
            return None
        return (self.path.parent / self.workshop.results).resolve()


# --- Loading ---

def load_workshop(path: str | os.PathLike[str]) -> LoadedWorkshop:
    """Read, validate and check a workshop file; raise ScenarioError (one line) if it is wrong."""
    path = Path(path)
    source = _read(path)
    workshop = validate_workshop(source)
    scenario, ref = _load_scenario(source, workshop, path)
    errors = check_against(source, workshop, scenario)
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.col or 0))
        errors[0].errors = errors  # type: ignore[attr-defined]
        raise errors[0]
    return LoadedWorkshop(workshop, scenario, path.resolve(), ref)


def _read(path: Path) -> Source:
    """The parsed file; the reader's messages speak of workshop files, not scenario files."""
    try:
        return read_source(path)
    except ScenarioError as err:
        err.message = err.message.replace("scenario file", "workshop file")
        err.args = (err.message,)
        raise


def validate_workshop(source: Source) -> Workshop:
    """The validated Workshop; pydantic errors become ScenarioErrors at their line."""
    try:
        return Workshop.model_validate(source.data)
    except ValidationError as exc:
        raise_first([_from_pydantic(source, e) for e in exc.errors(include_url=False)])


def _load_scenario(source: Source, workshop: Workshop, path: Path) -> tuple[Scenario, str]:
    """The scenario the workshop names: a path relative to the workshop file, or bundled."""
    given = workshop.scenario
    local = path.parent / given
    if local.is_file():
        return load_scenario(local), str(local.resolve())
    line, col = position(source.tree, ("scenario",))
    if Path(given).suffix or len(Path(given).parts) > 1:
        raise ScenarioError(f"scenario '{given}': no such file (paths are relative to the "
                            f"workshop file, here {local.parent.resolve()})",
                            source.name, line, col)
    for folder in bundled_dirs():
        for suffix in SUFFIXES:
            if (folder / f"{given}{suffix}").is_file():
                return load_scenario(folder / f"{given}{suffix}"), given
    names = ", ".join(p.stem for p in list_bundled()) or "none"
    raise ScenarioError(f"scenario '{given}': no bundled scenario of that name and no such file "
                        f"next to the workshop file (bundled: {names})", source.name, line, col)


# --- Checks against the scenario ---

def check_against(source: Source, workshop: Workshop, scenario: Scenario) -> list[ScenarioError]:
    """Every reference of the workshop that the scenario does not allow, with its position."""
    errors: list[ScenarioError] = []

    def fail(loc: Loc, message: str, key: bool = False) -> None:
        line, col = position(source.tree, loc, key=key)
        errors.append(ScenarioError(message, source.name, line, col))

    seen: dict[str, str] = {}
    for i, table in enumerate(workshop.tables):
        where = ("tables", i)
        if table.id.lower() in seen:
            fail(where + ("id",), f"table id '{table.id}' is used twice (also by table "
                                  f"'{seen[table.id.lower()]}'); each table needs its own")
        seen.setdefault(table.id.lower(), table.id)
        _check_condition(scenario, table, where + ("condition", "policies"), fail)
        if table.seats is not None:
            _check_seats(scenario, table, where + ("seats",), fail)
    return errors


def _check_condition(scenario: Scenario, table: Table, loc: Loc, fail: Any) -> None:
    """Locked policies exist, their levels exist, they fit together and within the budget."""
    specs = {p.id: p for p in scenario.policies}
    levels: dict[str, int] = {}
    for pid, level in table.condition.policies.items():
        if pid not in specs:
            fail(loc + (pid,), f"unknown policy '{pid}' in the condition of table '{table.id}'"
                               f"{_did_you_mean(pid, list(specs))}", key=True)
            continue
        number = level_number(specs[pid].levels, level)
        if number is None:
            names = ", ".join(f"{n} ({k})" for k, n in enumerate(specs[pid].levels))
            fail(loc + (pid,), f"policy '{pid}' has no level {_show(level)} "
                               f"(levels: {names})")
            continue
        levels[pid] = number
    active = sorted(pid for pid, n in levels.items() if n > 0)
    for pid in active:
        clash = sorted(set(specs[pid].excludes) & set(active))
        if clash:
            fail(loc + (pid,), f"policies '{pid}' and '{clash[0]}' exclude each other; "
                               f"a table cannot have both on", key=True)
            return
    for role in scenario.roles:
        cost = sum(specs[pid].cost * n for pid, n in levels.items() if specs[pid].role == role.id)
        if cost > role.policy_budget + 1e-9:
            fail(loc, f"the locked policies cost {cost:g} points of the {role.name}'s budget of "
                      f"{role.policy_budget:g}; lock fewer or lower levels", key=True)


def _check_seats(scenario: Scenario, table: Table, loc: Loc, fail: Any) -> None:
    """Roles exist, bot strategies exist, and every role's seat count is within its limits."""
    roles = {r.id: r for r in scenario.roles}
    counts = {r: 0 for r in roles}
    unknown = False
    for k, seat in enumerate(table.seats or []):
        if seat.role not in roles:
            fail(loc + (k, "role"), f"unknown role '{seat.role}' in table '{table.id}'"
                                    f"{_did_you_mean(seat.role, list(roles))}")
            unknown = True
            continue
        counts[seat.role] += 1
        role = roles[seat.role]
        if counts[seat.role] == role.seats.max + 1:
            fail(loc + (k,), f"too many {role.name} seats at table '{table.id}': this scenario "
                             f"allows at most {role.seats.max}")
        problem = player_problem(scenario, seat)
        if problem:
            fail(loc + (k, "player"), problem)
    for rid, role in roles.items():
        if counts[rid] < role.seats.min and not unknown:
            fail(loc, f"table '{table.id}' has {counts[rid]} {role.name} seat(s); this scenario "
                      f"needs at least {role.seats.min}", key=True)


def player_problem(scenario: Scenario, seat: SeatSpec) -> str | None:
    """Why a seat's `player` is not `human`, `bot` or a known `bot:STRATEGY`, or None."""
    if seat.player == "human" or seat.player == "bot":
        return None
    if not seat.player.startswith("bot:") or not seat.strategy:
        return (f"player {_show(seat.player)}: write `human`, `bot`, or `bot:STRATEGY` "
                f"(e.g. bot:random)")
    allowed = strategies_for(scenario, seat.role)
    if seat.strategy not in allowed:
        return (f"unknown bot strategy '{seat.strategy}' for a {seat.role} "
                f"(choose from {', '.join(allowed)})")
    return None


def level_number(names: list[str], level: int | str) -> int | None:
    """A level given as a number or a name, as its number; None if it does not exist."""
    if isinstance(level, int):
        return level if 0 <= level < len(names) else None
    lowered = [n.lower() for n in names]
    if level.lower() in lowered:
        return lowered.index(level.lower())
    return int(level) if level.isdigit() and int(level) < len(names) else None


# --- Pydantic errors in plain words ---

def _from_pydantic(source: Source, err: dict[str, Any]) -> ScenarioError:
    loc = tuple(p for p in err["loc"] if p != "[key]")
    # a union (level: number or name) adds the member type to the path; drop it
    members = ("int", "str", "constrained-str")
    loc = tuple(p for p in loc if not (isinstance(p, str) and p in members))
    kind = err["type"]
    line, col = position(source.tree, loc, key=kind == "extra_forbidden" or "[key]" in err["loc"])
    return ScenarioError(_message(loc, err, source.data), source.name, line, col)


def _message(loc: Loc, err: dict[str, Any], data: Any) -> str:
    """A plain-words message, e.g. `unknown key 'conditon' in table 'B' (did you mean ...)`."""
    things, field, model = _describe(loc, data)
    where = " of ".join(reversed(things))
    kind = err["type"]
    if kind == "missing":
        return f"missing key '{field}' in {where}" if where else \
            f"missing key '{field}' at the top level of the workshop file"
    if kind == "extra_forbidden":
        known = list(model.model_fields) if model else []
        inside = f" in {where}" if where else " at the top level"
        return f"unknown key '{field}'{inside}{_did_you_mean(str(field), known, show_all=True)}"
    subject = f"'{field}' in {where}" if where and isinstance(field, str) else \
        f"'{field}'" if isinstance(field, str) else where or "the file"
    if kind == "string_pattern_mismatch" and field == "id":
        return f"{subject}: {_show(err.get('input'))} is not a valid table id: use letters, " \
               f"digits, '-' and '_' (at most 20 characters)"
    return f"{subject}: {_problem(kind, err, err.get('input'), loc)}"


def _describe(loc: Loc, data: Any) -> tuple[list[str], str | int | None, type[BaseModel] | None]:
    """Named things along `loc` (`table 'B'`, `seat 3`), the last key, and its model."""
    things: list[str] = []
    node, model = data, _MODELS[""]
    field: str | int | None = None
    for i, part in enumerate(loc):
        prev = loc[i - 1] if i else None
        child = node.get(part) if isinstance(node, dict) else \
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) \
            else None
        last = i == len(loc) - 1
        if isinstance(part, int) and prev == "tables":
            name = child.get("id") if isinstance(child, dict) else None
            things.append(f"table '{name}'" if isinstance(name, (str, int))
                          else f"table {part + 1}")
            model = Table
        elif isinstance(part, int) and prev == "seats":
            things.append(f"seat {part + 1}")
            model = SeatSpec
        elif prev == "policies" and isinstance(part, str):
            things.append(f"locked policy '{part}'")
        elif last:
            field = part
        elif isinstance(part, str):
            if part in ("condition", "timers"):
                things.append(part)
            model = _MODELS.get(part, model)
        node = child
    return things, field, model


def _did_you_mean(word: str, known: list[str], show_all: bool = False) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if known and (show_all or len(known) <= 12):
        return f" (known: {', '.join(known)})"
    return ""


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)
