"""`goodhart host` as a facilitator types it: its first lines (where it listens, the join
address, the room code, a QR code, the facilitator's address), stopping by itself with
GOODHART_HOST_SECONDS, and one line (never a traceback) for every mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import host_command
from game.server import serve

ROOT = Path(__file__).resolve().parents[2]


def host(tmp_path: Path, *args: str, seconds: str = "0.5") -> subprocess.CompletedProcess:
    env = dict(os.environ, GOODHART_HOME=str(tmp_path / "home"), GOODHART_HOST_SECONDS=seconds,
               PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "game", "host", *args], cwd=ROOT, env=env,
                          text=True, capture_output=True, timeout=60)


def test_the_host_prints_where_to_join_and_stops_by_itself(tmp_path):
    done = host(tmp_path, "tokenmaxxing", "--headless", "--bind", "127.0.0.1", "--port", "0")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Listening on 127.0.0.1 (this computer only)" in out
    assert "Join at:      http://127.0.0.1:" in out and "Room code:" in out
    assert "█" in out or "▀" in out                      # the QR code
    assert "/facilitator?token=" in out
    assert "rooms" in out and "--resume" in out


def test_resume_reopens_the_room_with_the_same_code_and_a_new_token(tmp_path):
    db = str(tmp_path / "room.sqlite")
    first = host(tmp_path, "tokenmaxxing", "--headless", "--bind", "127.0.0.1", "--port", "0",
                 "--db", db)
    again = host(tmp_path, "--resume", "--headless", "--bind", "127.0.0.1", "--port", "0",
                 "--db", db)
    assert again.returncode == 0, again.stderr
    code = [line for line in first.stdout.splitlines() if line.startswith("Room code")]
    assert code and code[0] in again.stdout and "(resumed)" in again.stdout
    token = [line for line in first.stdout.splitlines() if "token=" in line][0]
    assert token not in again.stdout


@pytest.mark.parametrize("args, words", [
    (("nosuch",), "no such file"),
    (("tokenmaxxing", "--bind", "nonsense"), "not an IP address"),
    (("--resume",), "no room to resume"),
    ((), "name a workshop file or a scenario"),
])
def test_a_mistake_is_one_line(tmp_path, args, words):
    done = host(tmp_path, *args, "--headless")
    assert done.returncode in (1, 2) and words in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_room_file_in_use_is_not_overwritten(tmp_path):
    db = tmp_path / "room.sqlite"
    assert host(tmp_path, "tokenmaxxing", "--headless", "--bind", "127.0.0.1", "--port", "0",
                "--db", str(db)).returncode == 0
    done = host(tmp_path, "tokenmaxxing", "--headless", "--bind", "127.0.0.1", "--port", "0",
                "--db", str(db))
    assert done.returncode == 1 and "already holds a room" in done.stderr


def test_a_refused_address_leaves_no_room_behind(tmp_path):
    done = host(tmp_path, "tokenmaxxing", "--headless", "--bind", "nonsense")
    assert done.returncode == 1
    assert not list((tmp_path / "home").glob("rooms/*.sqlite"))


def test_without_a_network_it_says_only_this_computer_can_join(monkeypatch):
    monkeypatch.setattr(serve, "lan_address", lambda: None)
    address, note = host_command._bind_address(None)
    assert address == "127.0.0.1" and "only this computer" in note


def test_by_default_it_listens_on_the_local_network_and_says_so(monkeypatch):
    monkeypatch.setattr(serve, "lan_address", lambda: "192.168.1.20")
    address, note = host_command._bind_address(None)
    assert address == "192.168.1.20" and "local network at 192.168.1.20" in note


def test_the_lan_address_is_never_loopback():
    address = serve.lan_address()
    assert address is None or not address.startswith("127.")


def test_a_taken_port_is_one_line():
    sock = serve.listen("127.0.0.1", 0)
    try:
        with pytest.raises(Exception, match="already in use"):
            serve.listen("127.0.0.1", sock.getsockname()[1])
    finally:
        sock.close()
