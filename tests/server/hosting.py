"""The real workshop server as a subprocess on 127.0.0.1, for the browser test and the bench.

`start_host(source, db)` runs `python -m game host SOURCE --headless --bind 127.0.0.1 --port 0
--db DB` from the repository root (so this checkout's code runs), reads the address, room code
and facilitator token from its first lines, waits until it answers, and returns a `HostedServer`
whose `stop()` ends it (SIGTERM, then SIGKILL). The host also stops by itself after
`GOODHART_HOST_SECONDS` (a backstop, so a test that dies never leaves a server behind).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUICK_WORKSHOP = FIXTURES / "quick-workshop.yaml"

_JOIN = re.compile(r"^Join at:\s+(http://\S+?)/?\s*$")
_CODE = re.compile(r"^Room code:\s+(\S+)\s*$")
_TOKEN = re.compile(r"^Facilitator:\s+\S*[?&]token=(\S+)\s*$")


class HostFailed(RuntimeError):
    """The host did not start; the message carries what it printed."""


@dataclass
class HostedServer:
    """A running `goodhart host`: where it listens, its room code and facilitator token."""

    process: subprocess.Popen
    url: str
    code: str
    token: str
    db: Path
    lines: list[str] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        """The player socket's address."""
        return self.url.replace("http://", "ws://", 1) + "/ws"

    def output(self) -> str:
        """Everything the host printed so far (stdout and stderr)."""
        return "\n".join(self.lines)

    def stop(self, timeout: float = 10.0, how: int = signal.SIGTERM) -> int | None:
        """End the host (`how`, SIGTERM by default, then SIGKILL after `timeout`); its exit
        code."""
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL the host at once (a crash), and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


def start_host(source: str | Path, db: Path, *, home: Path | None = None,
               resume: bool = False, timeout: float = 30.0, lifetime: float = 900.0,
               profile: Path | None = None) -> HostedServer:
    """A started host for `source` storing its room in `db` (with `resume`: the room already
    in `db`; with `profile`: run under cProfile, its stats written there when it stops);
    HostFailed with its output if it is not answering within `timeout` seconds."""
    args = [sys.executable] + (["-m", "cProfile", "-o", str(profile)] if profile else [])
    args += ["-m", "game", "host"]
    args += ["--resume"] if resume else [str(source)]
    args += ["--headless", "--bind", "127.0.0.1", "--port", "0", "--db", str(db)]
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
           "GOODHART_HOST_SECONDS": str(lifetime), "PYTHONUNBUFFERED": "1"}
    if home is not None:
        env["GOODHART_HOME"] = str(home)
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                               errors="replace")
    lines: list[str] = []
    found: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process, lines, found), daemon=True).start()
    try:
        url, code, token = _announced(process, found, lines, timeout)
        server = HostedServer(process, url, code, token, db, lines)
        _wait_answering(server, timeout)
    except BaseException:
        _end(process)
        raise
    return server


def _read_lines(process: subprocess.Popen, lines: list[str], found: queue.Queue) -> None:
    """Keep every line the host prints (so its pipe never fills); pass each on to `found`."""
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip("\n")
        lines.append(line)
        found.put(line)
    found.put("")  # end of output


def _announced(process: subprocess.Popen, found: queue.Queue, lines: list[str],
               timeout: float) -> tuple[str, str, str]:
    """(join address without the final slash, room code, facilitator token) from the first
    lines; HostFailed if the host exits or stays silent."""
    url = code = token = None
    deadline = time.monotonic() + timeout
    while url is None or code is None or token is None:
        left = deadline - time.monotonic()
        try:
            line = found.get(timeout=max(0.01, left))
        except queue.Empty:
            line = None
        if line is None or left <= 0 or (line == "" and process.poll() is not None):
            time.sleep(0.2)
            raise HostFailed("the host did not announce its address:\n" + "\n".join(lines))
        for pattern in (_JOIN, _CODE, _TOKEN):
            match = pattern.match(line.strip())
            if match and pattern is _JOIN:
                url = match.group(1).rstrip("/")
            elif match and pattern is _CODE:
                code = match.group(1)
            elif match:
                token = match.group(1)
    return url, code, token


def _wait_answering(server: HostedServer, timeout: float) -> None:
    """Return once `GET /` answers; HostFailed if the host exits first or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise HostFailed("the host exited:\n" + server.output())
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise HostFailed("the host never answered GET /:\n" + server.output())


def _end(process: subprocess.Popen) -> None:
    """Kill a host that failed to start."""
    if process.poll() is None:
        process.kill()
    process.wait(10)
