"""The room's durable store: one SQLite file (WAL, `synchronous=FULL`).

It keeps the room's set-up (the workshop and scenario as JSON, the room code, the sha256 of
the facilitator token), each table's set-up (seed, noise secret, seats, locked policies,
timers, labels), each seat's claim (who plays it; the sha256 of its person's secret or of an
unused late-arrival code, never the secret itself), and an append-only log of everything that
changes a table: engine actions (a person's, or a bot's when it covers a seat), facilitator
operations. Every write is one transaction, committed (and synced) before the method returns,
so whatever the caller acknowledges afterwards survives a crash.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.errors import GoodhartError

__all__ = ["LogEntry", "SeatClaim", "Store", "StoreError", "TableRecord", "digest"]

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS room (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tables (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, setup TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS seats (
    table_id TEXT NOT NULL, seat INTEGER NOT NULL, player TEXT NOT NULL, person TEXT NOT NULL,
    secret_hash TEXT, code_hash TEXT, strategy TEXT, covered INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (table_id, seat));
CREATE TABLE IF NOT EXISTS log (
    n INTEGER PRIMARY KEY AUTOINCREMENT, table_id TEXT NOT NULL, kind TEXT NOT NULL,
    payload TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS log_by_table ON log (table_id, n);
"""


class StoreError(GoodhartError):
    """The room's file cannot be opened, or is not a room."""


def digest(secret: str) -> str:
    """The sha256 of a secret, as stored (hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class SeatClaim:
    """Who plays one seat: `player` is `person`, `bot` or `open`; `covered` is true while a
    bot plays for an absent person."""

    table_id: str
    seat: int
    player: str = "open"
    person: str = ""
    secret_hash: str | None = None
    code_hash: str | None = None
    strategy: str | None = None
    covered: bool = False


@dataclass(frozen=True)
class TableRecord:
    """A table's set-up as stored (`setup` is a JSON-ready dict) and its version."""

    id: str
    position: int
    setup: dict[str, Any]
    version: int


@dataclass(frozen=True)
class LogEntry:
    """One logged change at a table, in order."""

    n: int
    table_id: str
    kind: str
    payload: dict[str, Any]
    at: float


class Store:
    """A room's SQLite file; every write method commits before it returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            with self._db:
                self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open the room's file: {err}", str(self.path)) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (and synced) on leaving, rolled back on an error; a
        database error is a StoreError (e.g. another host holds the file)."""
        try:
            with self._db:
                yield self._db
        except sqlite3.Error as err:
            raise StoreError(f"cannot write the room's file: {err}", str(self.path)) from None

    def close(self) -> None:
        """Close the file (everything written is already committed)."""
        self._db.close()

    # --- the room ---

    def is_empty(self) -> bool:
        """True if no room was ever created in this file."""
        return self._db.execute("SELECT COUNT(*) FROM room").fetchone()[0] == 0

    def put_room(self, values: dict[str, Any]) -> None:
        """Set room-wide values (JSON-ready), in one transaction."""
        with self._write():
            self._db.executemany("INSERT OR REPLACE INTO room (key, value) VALUES (?, ?)",
                                 [(k, json.dumps(v)) for k, v in values.items()])

    def room(self) -> dict[str, Any]:
        """Every room-wide value."""
        return {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM room")}

    # --- tables and seats ---

    def add_table(self, table_id: str, position: int, setup: dict[str, Any],
                  claims: list[SeatClaim]) -> None:
        """Store a new table and its seats' claims, in one transaction."""
        with self._write():
            self._db.execute("INSERT INTO tables (id, position, setup) VALUES (?, ?, ?)",
                             (table_id, position, json.dumps(setup)))
            self._put_claims(claims)

    def tables(self) -> list[TableRecord]:
        """Every table, in position order."""
        rows = self._db.execute("SELECT id, position, setup, version FROM tables "
                                "ORDER BY position")
        return [TableRecord(i, p, json.loads(s), v) for i, p, s, v in rows]

    def claims(self) -> list[SeatClaim]:
        """Every seat's claim, by table and seat."""
        rows = self._db.execute(
            "SELECT table_id, seat, player, person, secret_hash, code_hash, strategy, covered "
            "FROM seats ORDER BY table_id, seat")
        return [SeatClaim(t, s, p, n, sh, ch, st, bool(c)) for t, s, p, n, sh, ch, st, c in rows]

    def put_claims(self, claims: list[SeatClaim]) -> None:
        """Store seats' claims (replacing them), in one transaction."""
        with self._write():
            self._put_claims(claims)

    def _put_claims(self, claims: list[SeatClaim]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO seats (table_id, seat, player, person, secret_hash, "
            "code_hash, strategy, covered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.table_id, c.seat, c.player, c.person, c.secret_hash, c.code_hash, c.strategy,
              int(c.covered)) for c in claims])

    # --- the log ---

    def append(self, table_id: str, entries: list[tuple[str, dict[str, Any]]], at: float,
               claims: list[SeatClaim] | None = None) -> int:
        """Log `entries` (kind, payload) at a table, update `claims`, and bump the table's
        version, in one committed transaction; returns the new version."""
        with self._write():
            row = self._db.execute("SELECT version FROM tables WHERE id = ?",
                                   (table_id,)).fetchone()
            if row is None:
                raise StoreError(f"no table '{table_id}' in the room's file", str(self.path))
            self._db.executemany(
                "INSERT INTO log (table_id, kind, payload, at) VALUES (?, ?, ?, ?)",
                [(table_id, kind, json.dumps(payload), at) for kind, payload in entries])
            if claims:
                self._put_claims(claims)
            self._db.execute("UPDATE tables SET version = ? WHERE id = ?",
                             (row[0] + 1, table_id))
        return int(row[0]) + 1

    def log(self, table_id: str) -> list[LogEntry]:
        """A table's log, oldest first."""
        rows = self._db.execute("SELECT n, table_id, kind, payload, at FROM log "
                                "WHERE table_id = ? ORDER BY n", (table_id,))
        return [LogEntry(n, t, k, json.loads(p), at) for n, t, k, p, at in rows]
