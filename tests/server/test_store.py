"""The room's SQLite store: durable before it returns, secrets only as hashes, and a room
that comes back whole after its process is killed."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from game.server.room import Room
from game.server.setup import room_source
from game.server.store import SeatClaim, Store, StoreError, digest

ROOT = Path(__file__).resolve().parents[2]
TINY_WORKSHOP = ROOT / "tests" / "workshop" / "fixtures" / "tiny-workshop.yaml"


def make_room(path: Path) -> Room:
    src = room_source(str(TINY_WORKSHOP))
    return Room.create(src.loaded, Store(path), 0.0, grows=src.grows)


def test_the_file_is_in_wal_mode_with_full_sync(tmp_path):
    store = Store(tmp_path / "room.db")
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_an_append_is_committed_when_it_returns(tmp_path):
    store = Store(tmp_path / "room.db")
    store.add_table("A", 0, {"x": 1}, [SeatClaim("A", 0)])
    version = store.append("A", [("pause", {}), ("resume", {})], 5.0)
    other = sqlite3.connect(tmp_path / "room.db")  # another reader sees it at once
    assert other.execute("SELECT COUNT(*) FROM log").fetchone()[0] == 2
    assert other.execute("SELECT version FROM tables").fetchone()[0] == version == 1
    with pytest.raises(StoreError, match="no table 'Z'"):
        store.append("Z", [("pause", {})], 6.0)
    assert other.execute("SELECT COUNT(*) FROM log").fetchone()[0] == 2  # rolled back


def test_secrets_and_codes_are_stored_only_as_sha256(tmp_path):
    room = make_room(tmp_path / "room.db")
    ann = room.join("Ann", room.code, 1.0)
    code = room.give_to_person("B", 0, 2.0)
    room.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())  # the file and its WAL
    for secret in (ann.secret, code, room.facilitator_token):
        assert secret.encode() not in raw
    claims = Store(tmp_path / "room.db").claims()
    assert digest(ann.secret) in {c.secret_hash for c in claims}
    assert digest(code) in {c.code_hash for c in claims}


def test_a_file_another_writer_holds_is_one_clear_error(tmp_path):
    store = Store(tmp_path / "room.db")
    store.add_table("A", 0, {}, [])
    store._db.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(tmp_path / "room.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    with pytest.raises(StoreError, match="cannot write the room's file: database is locked"):
        store.append("A", [("pause", {})], 1.0)
    other.execute("ROLLBACK")
    assert store.append("A", [("pause", {})], 2.0) == 1


def test_a_file_that_is_not_a_room_is_one_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open the room's file"):
        Store(junk)
    with pytest.raises(StoreError, match="no room in this file"):
        Room.open(Store(tmp_path / "empty.db"), 0.0)
    make_room(tmp_path / "room.db").store.close()
    with pytest.raises(StoreError, match="already holds a room"):
        make_room(tmp_path / "room.db")


CHILD = textwrap.dedent("""
    import sys
    from game.server.protocol import ActMessage
    from game.server.room import Room
    from game.server.setup import room_source
    from game.server.store import Store
    src = room_source(sys.argv[2])
    room = Room.create(src.loaded, Store(sys.argv[1]), 0.0, grows=src.grows)
    ann = room.join("Ann", room.code, 1.0)
    print(ann.secret, flush=True)
    now = 1.0
    while True:  # Ann plays table A, printing each acknowledged version, until killed
        state = room.player_state(ann.secret, now)
        if state.ended:
            room.end_table("A", now); break
        now += 1.0
        msg = ActMessage(turn=state.view.turn, phase="work", effort={"work": 10})
        print(room.act(ann.secret, msg, now), flush=True)
    import time; time.sleep(60)
""")


def test_nothing_acknowledged_is_lost_when_the_process_is_killed(tmp_path):
    path = tmp_path / "room.db"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(TINY_WORKSHOP)],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        secret = child.stdout.readline().strip()
        acked = [int(child.stdout.readline()) for _ in range(3)]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    room = Room.open(Store(path), 100.0)
    table = room.tables["A"]
    assert table.version >= acked[-1]
    people = [e for e in room.store.log("A") if e.kind == "action"
              and e.payload["action"]["kind"] == "allocate" and e.payload["action"]["seat"] == 1]
    assert len(people) >= len(acked) == 3
    assert room.rejoin(secret, 101.0).seat == 1
