"""SIGKILL `goodhart host` at a random moment while a person plays over the socket, start it
again with --resume, and find every acknowledged action in the resumed game.

The host runs as a real subprocess (`python -m game host ... --headless --bind 127.0.0.1
--port 0 --db FILE`); the person joins over HTTP and plays with the `websockets` client. The
kill comes right after an action is sent, a random few milliseconds later, so it lands before,
during or after that action's commit; any `ack` the client received before the connection
died counts as acknowledged."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import websockets

ROOT = Path(__file__).resolve().parents[2]
WORKSHOP = """\
title: Kill test room
scenario: tokenmaxxing
tables:
  - id: A
    name: Table A
    seed: 11
    seats:
      - {role: manager, player: "bot:random"}
      - {role: employee, name: Eve}
      - {role: employee, player: "bot:random"}
"""
# Bots that choose at once (the planning bots take a second a move), so a run takes seconds.
BEHAVIOURS = ("handwork", "ai_bottleneck", "busywork", "audit", "mentoring")


class Host:
    """A `goodhart host` subprocess; `url` and `code` read from its first lines."""

    def __init__(self, tmp: Path, db: Path, resume: bool) -> None:
        args = [sys.executable, "-m", "game", "host", "--headless", "--bind", "127.0.0.1",
                "--port", "0", "--db", str(db)]
        args += ["--resume"] if resume else [str(tmp / "room.yaml")]
        env = dict(os.environ, GOODHART_HOME=str(tmp / "home"), PYTHONUNBUFFERED="1",
                   GOODHART_HOST_SECONDS="60", PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lines = []
        while not any(line.startswith("Room file") for line in lines):
            line = self.proc.stdout.readline()
            assert line, "the host ended before it was ready:\n" + "".join(lines)
            lines.append(line)
        text = "".join(lines)
        self.url = re.search(r"Join at:\s+(\S+)", text).group(1)
        self.code = re.search(r"Room code:\s+(\S+)", text).group(1)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc.stdout.close()


def join(host: Host, name: str) -> str:
    """The seat cookie of a person who joins `host`'s room."""
    reply = httpx.post(host.url + "join", data={"name": name, "code": host.code},
                       headers={"Origin": host.url.rstrip("/")}, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return reply.cookies["goodhart_seat"]


def connect(host: Host, cookie: str):
    return websockets.connect(host.url.replace("http://", "ws://") + "ws", open_timeout=10,
                              additional_headers={"Cookie": f"goodhart_seat={cookie}",
                                                  "Origin": host.url.rstrip("/")})


def split(rng: random.Random) -> dict[str, int]:
    """A random split of 10 effort points over a few behaviours."""
    effort: dict[str, int] = {}
    for _ in range(10):
        b = rng.choice(BEHAVIOURS)
        effort[b] = effort.get(b, 0) + 1
    return effort


async def play_until_killed(host: Host, cookie: str, rng: random.Random,
                            kill_after: int) -> tuple[dict[int, dict], int]:
    """Play work phases; after `kill_after` acks, send one more action and SIGKILL the host a
    random moment later. The acknowledged choices by turn, and the last acked version."""
    acked: dict[int, dict] = {}
    sent: dict[int, dict] = {}
    version = 0
    async with connect(host, cookie) as ws:
        try:
            while True:
                msg = json.loads(await ws.recv())
                if msg["type"] == "ack":
                    turn = max(sent)
                    acked[turn], version = sent[turn], msg["version"]
                    continue
                assert msg["type"] == "state", msg
                view = msg["view"]
                if not (msg["legal"]["must_act"] and view["own_choice"] is None) \
                        or view["turn"] in sent:
                    continue
                sent[view["turn"]] = split(rng)
                await ws.send(json.dumps({"type": "act", "turn": view["turn"],
                                          "phase": view["phase"],
                                          "effort": sent[view["turn"]]}))
                if len(acked) >= kill_after:
                    await asyncio.sleep(rng.uniform(0, 0.015))
                    host.kill()
        except websockets.ConnectionClosed:
            pass
    return acked, version


async def resumed_state(host: Host, cookie: str) -> dict:
    async with connect(host, cookie) as ws:
        while True:
            msg = json.loads(await ws.recv())
            if msg["type"] == "state":
                return msg


@pytest.mark.parametrize("run", range(3))
def test_every_acknowledged_action_survives_a_sigkill(tmp_path: Path, run: int):
    seed = random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    (tmp_path / "room.yaml").write_text(WORKSHOP, encoding="utf-8")
    db = tmp_path / "room.sqlite"
    host = Host(tmp_path, db, resume=False)
    try:
        cookie = join(host, "Eve")
        acked, version = asyncio.run(play_until_killed(host, cookie, rng, rng.randrange(0, 8)))
    finally:
        host.stop()
    again = Host(tmp_path, db, resume=True)
    try:
        state = asyncio.run(resumed_state(again, cookie))
    finally:
        again.stop()
    view = state["view"]
    assert state["person"] == "Eve" and state["version"] >= version, f"seed {seed}"
    chosen = {h["turn"]: {k: v for k, v in h["choice"].items() if v}
              for h in view["own_history"]}
    if view["own_choice"] is not None:
        chosen[view["turn"]] = {k: v for k, v in view["own_choice"].items() if v}
    for turn, effort in acked.items():
        assert chosen.get(turn) == effort, f"seed {seed}: turn {turn} lost or changed"
