"""Saves: the action log is the source of truth.

A save holds the scenario the game started with (its id, version, fingerprint and, from format
2, its text), the seed and secret, the table and the actions. Loading replays the actions and
checks the result against the hash stored with them. Files are written atomically (a temporary
file, flushed and renamed), so a crash never leaves half a save; the temporary file a crash
leaves is removed later (see `unfinished_saves`). A save is untrusted input: it is read with a
size cap and a parser with depth and number limits, and its scenario text goes through the
scenario loader.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import from_json

from game.engine.actions import Action
from game.engine.game import Game
from game.engine.state import GameState, SeatSetup
from game.errors import ActionError, GoodhartError, SaveError
from game.scenario.load import load_scenario, load_scenario_text, resolve_scenario
from game.scenario.model import Scenario
from game.scenario.source import MAX_BYTES as MAX_SCENARIO_BYTES

Record = TypeVar("Record", bound=BaseModel)
"""A file's record model (a save, a result): see `validated`."""

SAVE_FORMAT = 2
"""2 added `scenario_text` and `secret`; format 1 saves still load (without them)."""
MAX_SAVE_BYTES = 20 * 1024 * 1024
STALE_TMP_SECONDS = 600
"""A temporary file of `write_atomic` older than this was left by a crash (a write takes
milliseconds), so it is removed; a younger one may be another game's write in progress."""


class SaveFile(BaseModel):
    """A game as its seed, table and actions; `state_hash` checks the replay."""

    format: Literal[1, 2] = SAVE_FORMAT
    kind: Literal["goodhart-save"] = "goodhart-save"
    scenario_id: str
    scenario_version: str
    scenario_fingerprint: str
    scenario_path: str | None = None
    scenario_text: str | None = Field(None, description=(
        "The scenario the game started with, as JSON: resumed on whatever its file says now "
        "(absent in format 1 saves, which load the file)."))
    seed: int
    secret: str = Field("", max_length=64, description=(
        "What the noise on readings is drawn from (see `GameState.noise_key`); empty in "
        "format 1 saves, whose noise came from the seed."))
    seats: list[SeatSetup]
    locked: dict[str, int] = Field(default_factory=dict)
    actions: list[Action] = Field(default_factory=list)
    turn: int = 1
    phase: str = "policy"
    state_hash: str
    saved_at: str = ""
    meta: dict[str, str] = Field(default_factory=dict)


def fingerprint(scenario: Scenario) -> str:
    """A digest of the scenario's content (comments and layout do not count)."""
    return _digest(scenario.model_dump_json())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _kept(scenario: Scenario) -> tuple[str, str | None]:
    """The scenario's `fingerprint` and its text as a save keeps it (its JSON, which the
    scenario loader reads back; None in the unlikely case it is over the loader's size limit,
    then resuming loads the file, as for a format 1 save), from one dump of it: a session
    writes both with every autosave."""
    text = scenario.model_dump_json()
    return _digest(text), text if len(text.encode()) <= MAX_SCENARIO_BYTES else None


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that the file is either the old one or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def new_secret() -> str:
    """A fresh 128-bit secret (hex) for a game whose players can see its seed."""
    return secrets.token_hex(16)


class Session:
    """A game in play: its state, its log, and where it autosaves after every action.

    `secret` is what the noise on readings is drawn from: a fresh one when None (a game people
    play, who see its seed); `""` draws it from the seed (reproducible bot runs and tests)."""

    def __init__(self, game: Game, seed: int, seats: list[SeatSetup],
                 locked: dict[str, int] | None = None, path: Path | None = None,
                 scenario_path: str | None = None, meta: dict[str, str] | None = None,
                 secret: str | None = None) -> None:
        self.game = game
        self.seed = seed
        self.secret = new_secret() if secret is None else secret
        self.seats = list(seats)
        self.locked = dict(locked or {})
        self.path = path
        self.scenario_path = scenario_path
        self.meta = dict(meta or {})
        self.fingerprint, self.scenario_text = _kept(game.scenario)
        self.actions: list = []
        self.state: GameState = game.new_state(seed, self.seats, self.locked, self.secret)
        self.save()

    def act(self, action) -> GameState:
        """Apply an action, log it and autosave; an ActionError changes nothing."""
        self.state = self.game.apply(self.state, action)
        self.actions.append(action)
        self.save()
        return self.state

    def to_save(self) -> SaveFile:
        """The save record of this session as it stands."""
        s = self.game.scenario
        return SaveFile(scenario_id=s.id, scenario_version=s.version,
                        scenario_fingerprint=self.fingerprint, scenario_path=self.scenario_path,
                        scenario_text=self.scenario_text, seed=self.seed, secret=self.secret,
                        seats=self.seats, locked=self.locked,
                        actions=list(self.actions), turn=self.state.turn, phase=self.state.phase,
                        state_hash=self.state.state_hash(),
                        saved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        meta=self.meta)

    def save(self) -> None:
        """Write the autosave, if this session has a path."""
        if self.path is not None:
            write_atomic(self.path, self.to_save().model_dump_json(indent=1))

    @classmethod
    def resume(cls, game: Game, save: SaveFile, path: Path | None) -> Session:
        """A session that continues a save, after replaying and checking it."""
        session = cls.__new__(cls)
        session.game, session.seed, session.seats = game, save.seed, list(save.seats)
        session.secret = save.secret
        session.locked, session.path, session.meta = dict(save.locked), path, dict(save.meta)
        session.scenario_path = save.scenario_path
        session.fingerprint, session.scenario_text = _kept(game.scenario)
        session.actions = list(save.actions)
        session.state = replay(game, save)
        return session


def open_save(path: Path) -> tuple[Session, str | None]:
    """The session a save file continues (read, its scenario found, replayed and checked),
    and a line to tell the player about its scenario, if any (see `scenario_of`)."""
    record = read_save(path)
    scenario, note = scenario_of(record, path)
    return Session.resume(Game(scenario), record, path), note


def scenario_of(save: SaveFile, path: Path | None = None) -> tuple[Scenario, str | None]:
    """The scenario a save's game is played under, and a line for the player if its file has
    changed since (None if not). A save that keeps its scenario's text resumes on that text,
    loaded as untrusted input; an older one loads the file (`replay` checks the fingerprint)."""
    where = str(path) if path is not None else None
    if save.scenario_text is None:
        return _load_file(save.scenario_path or save.scenario_id, where), None
    try:
        started = load_scenario_text(save.scenario_text, f"{where or 'the save'} (its scenario)")
    except GoodhartError as err:
        raise SaveError(f"damaged save: its scenario does not load ({err.message})",
                        where) from None
    if fingerprint(started) != save.scenario_fingerprint:
        raise SaveError("damaged save: its scenario does not match its fingerprint", where)
    return started, _changed_note(save)


def _changed_note(save: SaveFile) -> str | None:
    """A line saying the scenario file differs from the rules the game started with, if so."""
    ref = save.scenario_path or save.scenario_id
    try:
        name = resolve_scenario(ref).name
        now = _load_file(ref, None)
    except (GoodhartError, OSError):
        return (f"the scenario {ref[:200]} cannot be loaded any more; resuming with the rules "
                "this game started with")
    if fingerprint(now) == save.scenario_fingerprint:
        return None
    return f"{name} has changed since this game started; resuming with the rules it started with"


def _load_file(ref: str, where: str | None) -> Scenario:
    """The scenario file or bundled scenario a save names; a name the file system refuses
    (e.g. too long) is a SaveError naming the save."""
    try:
        return load_scenario(ref)
    except OSError as err:
        raise SaveError(f"damaged save: its scenario path cannot be read "
                        f"({err.strerror or err})", where) from None


def read_save(path: Path) -> SaveFile:
    """Read and validate a save file; any problem is one SaveError naming the file. The file
    is size-capped before it is read, and parsed by pydantic's JSON parser, which refuses
    nesting deeper than 200 levels and numbers too long for Python, at their line."""
    name = str(path)
    try:
        if path.is_dir():
            raise SaveError("this is a folder, not a save file", name)
        with path.open("rb") as handle:
            raw = handle.read(MAX_SAVE_BYTES + 1)
    except FileNotFoundError:
        raise SaveError("no such save file", name) from None
    except OSError as err:
        raise SaveError(f"cannot read the save: {err.strerror or err}", name) from None
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"save files are limited to {MAX_SAVE_BYTES // 2**20} MB", name)
    try:
        data = from_json(raw.removeprefix(b"\xef\xbb\xbf"), allow_inf_nan=False)
    except ValueError as err:
        found = _JSON_PLACE.search(str(err))
        raise SaveError(f"not a readable save (the file is damaged or truncated: "
                        f"{_JSON_PLACE.sub('', str(err))}); start a new game or pick another save",
                        name, int(found.group(1)) if found else None) from None
    if not isinstance(data, dict) or data.get("kind") != "goodhart-save":
        raise SaveError("not a Goodhart save file", name)
    return validated(SaveFile, data, "save", name)


def validated(model: type[Record], data: dict, what: str, name: str) -> Record:
    """`model` validated from `data` (a file's parsed JSON), or SaveError naming the file
    `name` and its first problem: "damaged {what}: {where in the file}: {what is wrong}"."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise SaveError(f"damaged {what}: {where}: {first['msg']}", name) from None


_JSON_PLACE = re.compile(r" at line (\d+) column \d+$")
"""Where pydantic's JSON parser says it stopped, at the end of its message."""


def replay(game: Game, save: SaveFile, path: str | None = None) -> GameState:
    """Replay a save's actions and check the result against its stored hash."""
    changed = save.scenario_fingerprint != fingerprint(game.scenario)
    why = (f"the scenario '{save.scenario_id}' has changed since this save was made "
           f"(saved with version {save.scenario_version}, now {game.scenario.version})")
    try:
        state = game.new_state(save.seed, save.seats, save.locked, save.secret)
        for n, action in enumerate(save.actions, start=1):
            try:
                game.apply_inplace(state, action)
            except ActionError as err:
                raise SaveError(f"{why if changed else 'damaged save'}: action {n} is no longer "
                                f"legal ({err.message})", path) from None
    except ActionError as err:
        raise SaveError(f"{why if changed else 'damaged save'}: {err.message}", path) from None
    if state.state_hash() != save.state_hash:
        raise SaveError(f"{why}; replaying it gives a different game" if changed else
                        "damaged save: replaying it does not give the saved game", path)
    return state


def save_dir() -> Path:
    """Where autosaves go: `$GOODHART_HOME/saves`, else the user's data folder."""
    home = os.environ.get("GOODHART_HOME")
    if home:
        return Path(home) / "saves"
    import platformdirs
    return Path(platformdirs.user_data_dir("goodhart", appauthor=False)) / "saves"


def new_save_path(scenario_id: str, seed: int) -> Path:
    """A fresh autosave path for a new game (temporary files a crash left in the folder are
    removed on the way). The seed in the name says which run it is; it does not give away
    the noise on readings, which comes from the game's secret."""
    if save_dir().is_dir():
        remove_stale_temporaries(save_dir())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = save_dir() / f"{scenario_id}-{stamp}-seed{seed}.json"
    n = 2
    while path.exists():
        path = save_dir() / f"{scenario_id}-{stamp}-seed{seed}-{n}.json"
        n += 1
    return path


def latest_save() -> Path | None:
    """The most recently written save of an unfinished game, if any (the title screen asks at
    start-up, so the saves older than it are not read)."""
    for path, record in _saves_newest_first():
        if isinstance(record, SaveFile) and record.phase != "ended":
            return path
    return None


def unfinished_saves() -> tuple[list[tuple[Path, SaveFile]], list[SaveError]]:
    """The saves of unfinished games in the save folder, newest first, and why each file
    that could not be read was skipped. Temporary files left by a crash are removed."""
    found, skipped = [], []
    for path, record in _saves_newest_first():
        if isinstance(record, SaveError):
            skipped.append(record)
        elif record.phase != "ended":
            found.append((path, record))
    return found, skipped


def _saves_newest_first() -> Iterator[tuple[Path, SaveFile | SaveError]]:
    """Each save file in the save folder, newest first, read as it is reached (or why it
    cannot be); temporary files left by a crash are removed first."""
    folder = save_dir()
    if not folder.is_dir():
        return
    remove_stale_temporaries(folder)
    dated = []
    for path in folder.glob("*.json"):
        try:
            dated.append((path.stat().st_mtime, path))
        except OSError:
            continue  # removed since the listing
    for _mtime, path in sorted(dated, reverse=True):
        try:
            record: SaveFile | SaveError = read_save(path)
        except SaveError as err:
            record = err
        yield path, record


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files `write_atomic` left in `folder` when a crash stopped a write
    (those older than STALE_TMP_SECONDS); returns those removed."""
    removed = []
    now = time.time()
    for tmp in folder.glob(".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed
