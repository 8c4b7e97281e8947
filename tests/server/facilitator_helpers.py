"""A hosted room of the tiny workshop behind the real app, with a clock the test moves, and
the facilitator's token; for tests/server/test_facilitator*.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.testclient import TestClient

from game.server.app import create_app
from game.server.facilitator_routes import facilitator_routes
from game.server.room import Room
from game.server.room_host import RoomHost
from game.server.setup import room_source
from game.server.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "workshop" / "fixtures"
TINY_WORKSHOP = FIXTURES / "tiny-workshop.yaml"


@dataclass
class Clock:
    """Seconds the test sets by hand."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Hosted:
    room: Room
    host: RoomHost
    client: TestClient
    token: str
    clock: Clock
    secrets: list[str] = field(default_factory=list)

    def facilitator(self) -> TestClient:
        """The client, holding the facilitator's cookie (from the token in the address)."""
        answer = self.client.get(f"/facilitator?token={self.token}")
        assert answer.status_code == 200, answer.text
        return self.client

    def status(self) -> dict:
        return self.client.get("/facilitator/status").json()

    def table(self, table_id: str) -> dict:
        return next(t for t in self.status()["tables"] if t["id"] == table_id)

    def op(self, **body) -> dict:
        return self.client.post("/facilitator/op", json=body).json()


def hosted_room(folder: Path, people: int = 2) -> Hosted:
    """The tiny workshop's room at t=0 with `people` joined (their secrets kept), served by
    the real app; no background tick (the test moves the clock)."""
    source = room_source(str(TINY_WORKSHOP))
    room = Room.create(source.loaded, Store(folder / "room.db"), 0.0, grows=source.grows)
    clock = Clock(1.0)
    host = RoomHost(room, clock=clock)
    app = create_app(host, facilitator_routes(), tick_every=None)
    client = TestClient(app)
    hosted = Hosted(room, host, client, room.facilitator_token, clock)
    for n in range(people):
        hosted.secrets.append(room.join(f"Person {n + 1}", room.code, 1.0).secret)
    return hosted
