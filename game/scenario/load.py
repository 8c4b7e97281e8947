"""Load a scenario: read the file, validate it, compile its rules, report errors by line.

`load_scenario(path_or_name)` returns a validated `Scenario` whose compiled rules are already
cached (get them with `game.scenario.rules.rules_for`). Every mistake is a `ScenarioError`
printed as `file:line:col: message`; when validation finds several, the first (in file
order) is raised and all of them are in its `errors` attribute.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import types
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from game.errors import ScenarioError
from game.scenario.model import Scenario
from game.scenario.source import Source, parse_bytes, position, read_bytes

try:  # the lead's rules module; guarded so pure YAML checks work without it
    from game.scenario.rules import RuleError, rules_for
except ImportError:  # pragma: no cover - only while rules.py is being written
    RuleError = None  # type: ignore[assignment,misc]
    rules_for = None  # type: ignore[assignment]

__all__ = ["ScenarioSource", "bundled_dirs", "is_local", "list_bundled", "load_checked",
           "load_scenario", "load_scenario_text", "resolve_scenario", "scenario_hash",
           "source_of"]

CACHE_SIZE = 16
_CACHE: OrderedDict[tuple[str, str, str], tuple[Scenario, Source]] = OrderedDict()
REPO_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ScenarioSource:
    """Where a loaded scenario came from: its path (None for text) and the file's sha256."""

    name: str
    path: Path | None
    sha256: str


_SOURCES: dict[int, tuple[weakref.ref[Scenario], ScenarioSource]] = {}


def source_of(scenario: Scenario) -> ScenarioSource | None:
    """The file a scenario was loaded from, or None if it was not loaded by this module."""
    entry = _SOURCES.get(id(scenario))
    if entry is None or entry[0]() is not scenario:
        return None
    return entry[1]


def _remember(scenario: Scenario, source: ScenarioSource) -> None:
    key = id(scenario)
    _SOURCES[key] = (weakref.ref(scenario, lambda _ref: _SOURCES.pop(key, None)), source)


def scenario_hash(path_or_text: str | bytes | os.PathLike[str]) -> str:
    """sha256 hex digest of a file's bytes (for a path) or of the given text or bytes."""
    if isinstance(path_or_text, os.PathLike):
        return hashlib.sha256(Path(path_or_text).read_bytes()).hexdigest()
    data = path_or_text.encode("utf-8") if isinstance(path_or_text, str) else path_or_text
    return hashlib.sha256(data).hexdigest()


# --- Bundled scenarios ---

def bundled_dirs() -> list[Path]:
    """Folders whose scenarios are found by name, the first match winning: `scenarios/` in the
    current folder (a designer's own files, as AUTHORING.md says), then the ones installed
    with the game. Each folder once, and only those that exist."""
    unique: dict[Path, Path] = {}
    for folder in (_local_scenarios(), *_installed_dirs()):
        if folder is not None and folder.is_dir():
            unique.setdefault(folder.resolve(), folder)
    return list(unique.values())


def _installed_dirs() -> list[Path]:
    """The scenarios that come with the game: the repository's (in a checkout), the package's."""
    dirs = [REPO_SCENARIOS] if (REPO_SCENARIOS.parent / "pyproject.toml").is_file() else []
    try:
        dirs.append(Path(str(resources.files("game") / "data" / "scenarios")))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - odd installs
        pass
    return dirs


def _local_scenarios() -> Path | None:
    """`scenarios/` in the current folder (None when the current folder has gone)."""
    try:
        return Path.cwd() / "scenarios"
    except OSError:
        return None


def is_local(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is in the current folder's `scenarios/` and not one that comes with the
    game (a save then records its full path, to find it again from another folder)."""
    local = _local_scenarios()
    folder = Path(path).resolve().parent
    return (local is not None and folder == local.resolve()
            and folder not in {d.resolve() for d in _installed_dirs()})


def list_bundled() -> list[Path]:
    """The bundled scenario files, one per name (workshop files are not scenarios)."""
    found: dict[str, Path] = {}
    for folder in bundled_dirs():
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES and "workshop" not in path.name:
                found.setdefault(path.stem, path)
    return [found[k] for k in sorted(found)]


def resolve_scenario(name_or_path: str | os.PathLike[str]) -> Path:
    """A file path as given, or the bundled scenario of that name (e.g. `tokenmaxxing`)."""
    path = Path(name_or_path)
    if path.exists() or path.suffix or len(path.parts) > 1:
        return path
    for folder in bundled_dirs():
        for suffix in SUFFIXES:
            if (folder / f"{path.name}{suffix}").is_file():
                return folder / f"{path.name}{suffix}"
    names = ", ".join(p.stem for p in list_bundled()) or "none"
    raise ScenarioError(f"no such file, and no bundled scenario of that name "
                        f"(bundled: {names})", file=str(name_or_path))


# --- Loading ---

def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, validate and compile a scenario file or bundled scenario; raise ScenarioError."""
    return load_checked(path)[0]


def load_checked(path: str | os.PathLike[str]) -> tuple[Scenario, Source]:
    """Like `load_scenario`, but also return the parsed source (for lint and positions).

    Scenarios are immutable, so a file loaded again with the same bytes returns the same
    objects from a small in-process cache instead of being parsed again.
    """
    resolved = resolve_scenario(path)
    name = str(resolved)
    raw = read_bytes(resolved, name)
    key = (name, str(resolved.resolve()), hashlib.sha256(raw).hexdigest())
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    source = parse_bytes(raw, name, resolved)
    scenario = validate(source)
    _compile(scenario, source)
    _remember(scenario, ScenarioSource(source.name, source.path, key[2]))
    _CACHE[key] = (scenario, source)
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return scenario, source


def load_scenario_text(text: str, name: str) -> Scenario:
    """Validate and compile a scenario given as text (e.g. the one a save keeps), with every
    limit and check a file gets; raise ScenarioError naming `name`."""
    source = parse_bytes(text.encode("utf-8"), name)
    scenario = validate(source)
    _compile(scenario, source)
    return scenario


def validate(source: Source) -> Scenario:
    """The validated Scenario; every pydantic error becomes a ScenarioError with its line."""
    try:
        return Scenario.model_validate(source.data)
    except ValidationError as exc:
        raise_first([_from_pydantic(source, err) for err in exc.errors(include_url=False)])


def raise_first(errors: list[ScenarioError]) -> NoReturn:
    """Raise the first error in file order, carrying all of them (duplicates dropped) in its
    `errors` attribute, so lint can print every one."""
    unique = {str(e): e for e in errors}
    ordered = sorted(unique.values(), key=lambda e: (e.line or 0, e.col or 0))
    ordered[0].errors = ordered  # type: ignore[attr-defined]
    raise ordered[0]


def _compile(scenario: Scenario, source: Source) -> None:
    """Compile the rules once (cached on the scenario); a RuleError becomes a ScenarioError."""
    if rules_for is None:  # pragma: no cover - rules.py not there yet
        return
    try:
        rules_for(scenario)
    except RuleError as err:
        line, col = rule_position(source, err.loc, err.col)
        error = ScenarioError(err.message, file=source.name, line=line, col=col)
        error.errors = [error]  # type: ignore[attr-defined]
        raise error from None


def rule_position(source: Source, loc: tuple[str | int, ...],
                  formula_col: int | None) -> tuple[int, int]:
    """Line and column of `loc`; inside a one-line formula, of the formula's column too."""
    line, col = position(source.tree, loc)
    if formula_col is None or not _points_at_value(source, loc, line, col):
        return line, col
    lines = source.text.splitlines()
    text_line = lines[line - 1] if line <= len(lines) else ""
    opener = text_line[col - 1:col]
    if not opener or opener in "|>":
        return line, col
    target = col + formula_col - 1 + (1 if opener in ("'", '"') else 0)
    return (line, target) if target <= len(text_line) else (line, col)


def _points_at_value(source: Source, loc: tuple[str | int, ...], line: int, col: int) -> bool:
    """True when `position` found the scalar value of `loc` itself (not a parent)."""
    return position(source.tree, loc, key=True) != (line, col)


# --- Pydantic errors in plain words ---

SINGULAR = {"metrics": "metric", "stats": "stat", "roles": "role", "policies": "policy",
            "behaviours": "behaviour", "events": "event", "effects": "effect",
            "consequences": "consequence", "dynamics": "dynamics effect", "levels": "level",
            "excludes": "excluded policy", "goals": "goal", "lessons": "lesson",
            "questions": "question", "uniform": "uniform value", "normal": "normal value",
            "leaderboards": "leaderboard", "teams": "team"}
KEYED = {"reviews": "review for role '{}'", "randoms": "random '{}'",
         "constants": "constant '{}'", "let": "let '{}'", "visibility": "visibility for '{}'",
         "review": "review term for '{}'", "proxy_index": "proxy_index entry '{}'",
         "health_index": "health_index entry '{}'", "table": "table row of role '{}'"}
ID_RULE = ("use lower case letters, digits and underscores, starting with a letter "
           "(at most 40 characters)")


def _from_pydantic(source: Source, err: dict[str, Any]) -> ScenarioError:
    """One pydantic error as a ScenarioError at its position."""
    loc = tuple(err["loc"])
    on_key = "[key]" in loc
    loc = tuple(p for p in loc if p != "[key]")
    kind = err["type"]
    line, col = position(source.tree, loc, key=on_key or kind == "extra_forbidden")
    return ScenarioError(_message(loc, err, source.data), file=source.name, line=line, col=col)


def _message(loc: tuple[str | int, ...], err: dict[str, Any], data: Any) -> str:
    """A plain-words message, e.g. `missing key 'max' in metric 'quality'`."""
    things, field = _describe(loc, data)
    where = " of ".join(reversed(things)) if things else ""
    kind, value = err["type"], err.get("input")
    if kind == "missing":
        item = f"item {field + 1}" if isinstance(field, int) else f"key '{field}'"
        return f"missing {item} in {where}" if where else f"missing {item} at the top level"
    if kind == "extra_forbidden":
        inside = f" in {where}" if where else " at the top level"
        return f"unknown key '{field}'{inside}{_suggest(loc, field)}"
    if isinstance(field, str):
        subject = f"'{field}' in {where}" if where else f"'{field}'"
    else:
        subject = where or "the file"
    return f"{subject}: {_problem(kind, err, value, loc)}"


def _describe(loc: tuple[str | int, ...], data: Any) -> tuple[list[str], str | int | None]:
    """The named things along `loc` (innermost last) and the final key, if any."""
    things: list[str] = []
    field: str | int | None = None
    node = data
    for i, part in enumerate(loc):
        prev = loc[i - 1] if i else None
        last = i == len(loc) - 1
        child = _child(node, part)
        if isinstance(part, int) and prev in SINGULAR:
            things.append(_item_name(str(SINGULAR[prev]), part, child))
        elif prev in KEYED and isinstance(prev, str) and isinstance(node, dict):
            things.append(KEYED[prev].format(part))
        elif last:
            field = part
        elif not (part in SINGULAR or part in KEYED):
            things.append(str(part))
        node = child
    return things, field


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _item_name(singular: str, index: int, item: Any) -> str:
    """`metric 'quality'` when the item has an id or name, else `effect 2` (counting from 1)."""
    if isinstance(item, dict):
        for key in ("id", "name"):
            if isinstance(item.get(key), str) and item[key]:
                return f"{singular} '{item[key]}'"
    return f"{singular} {index + 1}"


def _problem(kind: str, err: dict[str, Any], value: Any, loc: tuple[str | int, ...]) -> str:
    """What is wrong with a value, in plain words."""
    ctx = err.get("ctx") or {}
    found = f"found {_show(value)}"
    simple = {
        "string_pattern_mismatch": f"{_show(value)} is not a valid id: {ID_RULE}",
        "float_parsing": f"expected a number, {found}", "float_type": f"expected a number, {found}",
        "int_parsing": f"expected a whole number, {found}",
        "int_type": f"expected a whole number, {found}",
        "int_from_float": f"expected a whole number, {found}",
        "bool_parsing": f"expected true or false, {found}",
        "bool_type": f"expected true or false, {found}",
        "list_type": f"expected a list, {found}", "tuple_type": f"expected a list, {found}",
        "dict_type": f"expected a mapping of keys, {found}",
        "literal_error": f"expected one of {ctx.get('expected')}, {found}",
        "greater_than_equal": f"must be at least {ctx.get('ge')} ({found})",
        "less_than_equal": f"must be at most {ctx.get('le')} ({found})",
        "greater_than": f"must be more than {ctx.get('gt')} ({found})",
        "less_than": f"must be less than {ctx.get('lt')} ({found})",
        "string_too_short": "must not be empty",
        "string_too_long": f"is too long (the limit is {ctx.get('max_length')} characters)",
        "too_short": f"needs at least {ctx.get('min_length')} item(s), {found}",
        "too_long": f"allows at most {ctx.get('max_length')} item(s), {found}",
    }
    if kind == "too_long" and isinstance(value, str):
        return (f"is too long ({len(value)} characters; the limit is "
                f"{ctx.get('max_length')})")
    if kind in simple:
        return simple[kind]
    if kind == "string_type":
        return f"expected text (or a formula), {found}"
    if kind in ("model_type", "model_attributes_type"):
        if "visibility" in loc:
            return f"expected live, hidden, {{lag: k}} or {{noise: s}}, {found}"
        return f"expected a mapping of keys, {found}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return str(err["msg"])


def _show(value: Any) -> str:
    """A short description of a value for messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return f"'{value[:40]}...'" if len(value) > 40 else f"'{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _suggest(loc: tuple[str | int, ...], field: str | int | None) -> str:
    """` (did you mean 'inertia'?)` for a near miss of a known key, else ``."""
    model = _type_at(loc[:-1])
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return ""
    known = list(model.model_fields)
    close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known keys: {', '.join(known)})"


def _type_at(loc: tuple[str | int, ...]) -> Any:
    """The type the schema expects at `loc`, walking Scenario's annotations."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) in (list, tuple):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    return _unwrap(tp)


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and `X | None` down to the type that matters."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = (models or args)[0]
        else:
            return tp
