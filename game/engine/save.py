"""Saves: the action log is the source of truth.

A save holds the scenario's id, version and fingerprint, the seed, the table and the actions.
Loading replays the actions and checks the result against the hash stored with them. Files are
written atomically (a temporary file, flushed and renamed), so a crash never leaves half a save.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from game.engine.actions import Action
from game.engine.game import Game
from game.engine.state import GameState, SeatSetup
from game.errors import ActionError, SaveError
from game.scenario.model import Scenario

SAVE_FORMAT = 1
MAX_SAVE_BYTES = 20 * 1024 * 1024


class SaveFile(BaseModel):
    """A game as its seed, table and actions; `state_hash` checks the replay."""

    format: Literal[1] = SAVE_FORMAT
    kind: Literal["goodhart-save"] = "goodhart-save"
    scenario_id: str
    scenario_version: str
    scenario_fingerprint: str
    scenario_path: str | None = None
    seed: int
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
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()[:16]


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


class Session:
    """A game in play: its state, its log, and where it autosaves after every action."""

    def __init__(self, game: Game, seed: int, seats: list[SeatSetup],
                 locked: dict[str, int] | None = None, path: Path | None = None,
                 scenario_path: str | None = None, meta: dict[str, str] | None = None) -> None:
        self.game = game
        self.seed = seed
        self.seats = list(seats)
        self.locked = dict(locked or {})
        self.path = path
        self.scenario_path = scenario_path
        self.meta = dict(meta or {})
        self.actions: list = []
        self.state: GameState = game.new_state(seed, self.seats, self.locked)
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
                        scenario_fingerprint=fingerprint(s), scenario_path=self.scenario_path,
                        seed=self.seed, seats=self.seats, locked=self.locked,
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
        session.locked, session.path, session.meta = dict(save.locked), path, dict(save.meta)
        session.scenario_path = save.scenario_path
        session.actions = list(save.actions)
        session.state = replay(game, save)
        return session


def read_save(path: Path) -> SaveFile:
    """Read and validate a save file; any problem is one SaveError naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(f"save files are limited to {MAX_SAVE_BYTES // 2**20} MB", str(path))
        raw = path.read_bytes()
    except OSError as err:
        raise SaveError(f"cannot read the save: {err.strerror}", str(path)) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise SaveError("not a readable save (the file is damaged or truncated); "
                        "start a new game or pick another save", str(path), line) from None
    if not isinstance(data, dict) or data.get("kind") != "goodhart-save":
        raise SaveError("not a Goodhart save file", str(path))
    try:
        return SaveFile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SaveError(f"damaged save: {where}: {first['msg']}", str(path)) from None


def replay(game: Game, save: SaveFile, path: str | None = None) -> GameState:
    """Replay a save's actions and check the result against its stored hash."""
    changed = save.scenario_fingerprint != fingerprint(game.scenario)
    why = (f"the scenario '{save.scenario_id}' has changed since this save was made "
           f"(saved with version {save.scenario_version}, now {game.scenario.version})")
    try:
        state = game.new_state(save.seed, save.seats, save.locked)
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
    """A fresh autosave path for a new game."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = save_dir() / f"{scenario_id}-{stamp}-seed{seed}.json"
    n = 2
    while path.exists():
        path = save_dir() / f"{scenario_id}-{stamp}-seed{seed}-{n}.json"
        n += 1
    return path


def latest_save() -> Path | None:
    """The most recently written save of an unfinished game, if any."""
    folder = save_dir()
    if not folder.is_dir():
        return None
    saves = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in saves:
        try:
            if read_save(path).phase != "ended":
                return path
        except SaveError:
            continue
    return None
