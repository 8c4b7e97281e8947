"""Fixtures of the workshop server's tests: the real host as a subprocess (see `hosting`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.server.hosting import QUICK_WORKSHOP, HostedServer, start_host


@pytest.fixture
def host_server(tmp_path) -> Iterator[Callable[..., HostedServer]]:
    """A function starting `goodhart host` (a workshop or scenario, default the two-week quick
    room) on 127.0.0.1 and a free port, its room in a fresh file; every host it started is
    stopped after the test, whatever happened."""
    started: list[HostedServer] = []

    def start(source: str | Path = QUICK_WORKSHOP, **options) -> HostedServer:
        db = options.pop("db", tmp_path / f"room-{len(started)}.sqlite")
        server = start_host(source, db, home=tmp_path / "home", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
