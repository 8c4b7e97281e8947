"""A room of simulated participants playing a whole workshop through the real server.

    python bench/room.py [--tables 8] [--seats 5] [--workshop FILE] [--scenario NAME]
                         [--think SECONDS] [--timeout SECONDS]

Starts `goodhart host` as a subprocess on 127.0.0.1 (a free port, a fresh room file), with a
workshop of TABLES tables of SEATS human seats on SCENARIO (default the flagship, tokenmaxxing;
timers off), or the tables of `--workshop`. Then one participant per human seat joins through
`POST /join` and plays over its own socket (asyncio + `websockets`), as a person would: it reads
its state, waits a moment (uniform 0..THINK seconds), picks a legal choice like a simple bot and
sends it, until its table's game is over. Each action's round trip is timed from sending it to
its `ack`. At the end the host is stopped and every acknowledged action is looked up in the
room's file: one acknowledged but not stored there, or one never acknowledged, is lost.

It prints the p50/p90/p99/max round trip, and its last line is exactly
`p99 <ms> ms over <n> actions, <k> lost`. Target at 8 x 5: p99 < 150 ms, 0 lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from game.server.setup import room_source  # noqa: E402
from tests.server.hosting import HostedServer, start_host  # noqa: E402

SEAT_COOKIE = "goodhart_seat"
QUIET = 15.0
"""Seconds a participant waits for a message before it pings for its state again."""


@dataclass
class Sent:
    """One action a participant sent: what, when, and when (if ever) it was acknowledged."""

    table: str
    seat: int
    kind: str  # "policies" or "allocate"
    turn: int
    choice: dict[str, int]
    at: float
    acked: float | None = None
    refused: str | None = None

    @property
    def ms(self) -> float:
        """The round trip in milliseconds (only for an acknowledged action)."""
        assert self.acked is not None
        return (self.acked - self.at) * 1000


@dataclass
class Participant:
    """One simulated person: their seat's cookie and what they sent."""

    name: str
    secret: str
    rng: random.Random
    sent: list[Sent] = field(default_factory=list)
    finished: bool = False


# --- the room ---------------------------------------------------------------------------------

def seat_plan(scenario_ref: str, seats: int) -> list[str]:
    """SEATS roles for one table: every role's minimum, the rest to the role that allows most."""
    scenario = room_source(scenario_ref).loaded.scenario
    plan = [r.id for r in scenario.roles for _ in range(r.seats.min)]
    widest = max(scenario.roles, key=lambda r: r.seats.max)
    if not len(plan) <= seats <= len(plan) + widest.seats.max - widest.seats.min:
        raise SystemExit(f"--seats {seats}: this scenario's table takes {len(plan)} to "
                         f"{len(plan) + widest.seats.max - widest.seats.min} seats")
    return plan + [widest.id] * (seats - len(plan))


def write_workshop(folder: Path, scenario: str, tables: int, seats: int) -> Path:
    """A workshop file of `tables` tables of `seats` human seats, timers off."""
    plan = seat_plan(scenario, seats)
    lines = ["title: Room bench", f"scenario: {json.dumps(scenario)}",
             "timers: {policy: 0, work: 0}", "tables:"]
    for n in range(tables):
        lines += [f"  - id: T{n + 1}", f"    seed: {100 + n}", "    seats:"]
        lines += [f"      - {{role: {role}}}" for role in plan]
    path = folder / "bench-workshop.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def human_seats(workshop: Path) -> int:
    """How many people the workshop's tables seat."""
    loaded = room_source(str(workshop)).loaded
    per_default = sum(loaded.scenario.default_count(r.id) for r in loaded.scenario.roles)
    return sum(per_default if t.seats is None else sum(1 for s in t.seats if not s.is_bot)
               for t in loaded.workshop.tables)


# --- a participant ------------------------------------------------------------------------------

def choose(state: dict, rng: random.Random) -> tuple[str, dict]:
    """A legal choice for the seat's phase, like a simple bot: ("policies", levels) keeping the
    current levels with one unlocked policy perhaps moved, or ("allocate", effort) spread at
    random over the available behaviours."""
    legal = state["legal"]
    if legal["phase"] == "policy":
        return "policies", _policies(legal, rng)
    effort = {b["id"]: 0 for b in legal["behaviours"] if b["available"]}
    room = {b["id"]: b["max_effort"] for b in legal["behaviours"] if b["available"]}
    for _ in range(legal["effort"]):
        open_ids = [bid for bid in effort if effort[bid] < room[bid]]
        if not open_ids:
            break
        effort[rng.choice(open_ids)] += 1
    return "allocate", {bid: n for bid, n in effort.items() if n}


def _policies(legal: dict, rng: random.Random) -> dict[str, int]:
    """The current levels of the unlocked policies, one of them moved if that stays legal."""
    options = [p for p in legal["policies"] if not p["locked"]]
    levels = {p["id"]: p["current"] for p in options}
    if options:
        p = rng.choice(options)
        trial = {**levels, p["id"]: rng.randrange(len(p["levels"]))}
        if _affordable(legal, trial):
            levels = trial
    return levels


def _affordable(legal: dict, levels: dict[str, int]) -> bool:
    """Whether `levels` (with the locked ones) fits the budget and has no clash."""
    full = {p["id"]: levels.get(p["id"], p["current"]) for p in legal["policies"]}
    cost = sum(p["cost"] * full[p["id"]] for p in legal["policies"])
    active = {pid for pid, lv in full.items() if lv}
    clash = any(set(p["excludes"]) & active for p in legal["policies"] if p["id"] in active)
    return cost <= legal["budget"] + 1e-9 and not clash


async def join(client: httpx.AsyncClient, code: str, name: str) -> str:
    """The seat secret `POST /join` keeps in its cookie."""
    response = await client.post("/join", data={"name": name, "code": code})
    secret = response.cookies.get(SEAT_COOKIE)
    if response.status_code != 303 or not secret:
        raise SystemExit(f"{name} could not join ({response.status_code}): "
                         f"{response.text[:300]}")
    return secret


async def play(server: HostedServer, person: Participant, think: float) -> None:
    """Play the seat until its table's game is over (the caller bounds the time)."""
    async with connect(server.ws_url, additional_headers={"Cookie": f"{SEAT_COOKIE}="
                                                          f"{person.secret}"},
                       proxy=None, max_size=2**22, open_timeout=30) as ws:
        waiting: Sent | None = None
        done: set[tuple[int, str]] = set()
        while True:
            try:
                raw = await asyncio.wait_for(ws.recv(), QUIET)
            except TimeoutError:
                await ws.send('{"type": "ping"}')
                continue
            msg = json.loads(raw)
            if msg["type"] == "ack" and waiting is not None:
                waiting.acked, waiting = time.perf_counter(), None
            elif msg["type"] == "error" and waiting is not None:
                waiting.refused, waiting = msg["message"], None
            elif msg["type"] == "state":
                if msg["ended"]:
                    person.finished = True
                    return
                view, legal = msg["view"], msg["legal"]
                step = (view["turn"], view["phase"])
                if waiting is None and legal["must_act"] and step not in done:
                    if think:
                        await asyncio.sleep(person.rng.uniform(0, think))
                    kind, choice = choose(msg, person.rng)
                    key = "levels" if kind == "policies" else "effort"
                    waiting = Sent(msg["table_id"], msg["seat"], kind, view["turn"], choice,
                                   time.perf_counter())
                    person.sent.append(waiting)
                    done.add(step)
                    await ws.send(json.dumps({"type": "act", "turn": view["turn"],
                                              "phase": view["phase"], key: choice}))


# --- the run ------------------------------------------------------------------------------------

async def run_room(server: HostedServer, people: int, think: float, timeout: float,
                   seed: int) -> list[Participant]:
    """Join `people` participants, then let them all play at once (at most `timeout` s)."""
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=server.url, follow_redirects=False,
                                 trust_env=False, timeout=30) as client:
        crowd = []
        for n in range(people):
            name = f"Person {n + 1}"
            crowd.append(Participant(name, await join(client, server.code, name),
                                     random.Random(rng.random())))
    tasks = [asyncio.create_task(play(server, p, think)) for p in crowd]
    finished, late = await asyncio.wait(tasks, timeout=timeout)
    for task in late:
        task.cancel()
    for task in finished:
        if task.exception() is not None:
            print(f"a participant failed: {task.exception()!r}", file=sys.stderr)
    return crowd


def stored_actions(db: Path) -> dict[tuple[str, int, str], list[dict]]:
    """The people's actions in the room's file: (table, seat, kind) -> choices, in order."""
    from game.server.store import Store
    store = Store(db)
    try:
        found: dict[tuple[str, int, str], list[dict]] = defaultdict(list)
        for record in store.tables():
            for entry in store.log(record.id):
                action = entry.payload.get("action") if entry.kind == "action" else None
                if action and entry.payload.get("by") == "person":
                    choice = action.get("levels", action.get("effort", {}))
                    found[(record.id, action["seat"], action["kind"])].append(choice)
        return found
    finally:
        store.close()


def lost_actions(crowd: list[Participant], stored: dict) -> int:
    """Actions never acknowledged, or acknowledged but not in the store as sent."""
    lost = 0
    for person in crowd:
        by_kind: dict[tuple[str, int, str], list[Sent]] = defaultdict(list)
        for sent in person.sent:
            if sent.acked is None:
                lost += 1
            else:
                by_kind[(sent.table, sent.seat, sent.kind)].append(sent)
        for key, acked in by_kind.items():
            kept = stored.get(key, [])
            lost += sum(1 for i, s in enumerate(acked)
                        if i >= len(kept) or kept[i] != s.choice)
    return lost


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def report(crowd: list[Participant], lost: int, seconds: float) -> None:
    """The figures; the last line is `p99 <ms> ms over <n> actions, <k> lost`."""
    times = [s.ms for p in crowd for s in p.sent if s.acked is not None]
    refused = [s.refused for p in crowd for s in p.sent if s.refused]
    unfinished = sum(1 for p in crowd if not p.finished)
    print(f"{len(crowd)} participants, {sum(len(p.sent) for p in crowd)} actions sent in "
          f"{seconds:.1f} s; {len(refused)} refused; {unfinished} did not see their game end")
    for text in sorted(set(refused))[:5]:
        print(f"  refused: {text}")
    if times:
        print(f"round trip (send -> ack): p50 {percentile(times, 50):.1f} ms, "
              f"p90 {percentile(times, 90):.1f} ms, p99 {percentile(times, 99):.1f} ms, "
              f"max {max(times):.1f} ms, mean {statistics.fmean(times):.1f} ms")
        slow = sorted((s for p in crowd for s in p.sent if s.acked is not None),
                      key=lambda s: s.ms)[-max(1, len(times) // 100):]
        turns = sorted({s.turn for s in slow})
        print(f"the slowest 1% were in turn(s) {', '.join(map(str, turns))} "
              f"({sum(s.kind == 'policies' for s in slow)} policy, "
              f"{sum(s.kind == 'allocate' for s in slow)} work actions)")
    p99 = percentile(times, 99) if times else float("nan")
    print(f"p99 {p99:.1f} ms over {len(times)} actions, {lost} lost")


def show_profile(path: Path) -> None:
    """The host's top functions by cumulative and by own time."""
    import pstats
    if not path.exists():
        print(f"no profile was written to {path}")
        return
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(r"game/", 25)
    stats.sort_stats("tottime").print_stats(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=8)
    parser.add_argument("--seats", type=int, default=5, help="human seats per table")
    parser.add_argument("--workshop", help="play this workshop's tables instead")
    parser.add_argument("--scenario", default="tokenmaxxing")
    parser.add_argument("--think", type=float, default=0.5,
                        help="each choice waits 0..THINK seconds (0: at once)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="stop the participants after this many seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="run the host under cProfile; print where its time went, and "
                             "keep the stats in FILE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="goodhart-bench-") as tmp:
        folder = Path(tmp)
        workshop = Path(args.workshop).resolve() if args.workshop else \
            write_workshop(folder, args.scenario, args.tables, args.seats)
        people = human_seats(workshop)
        server = start_host(workshop, folder / "room.sqlite", home=folder / "home",
                            lifetime=args.timeout + 120, profile=args.profile)
        print(f"host at {server.url}, room {server.code}; {people} participants")
        try:
            started = time.perf_counter()
            crowd = asyncio.run(run_room(server, people, args.think, args.timeout, args.seed))
            seconds = time.perf_counter() - started
        finally:
            code = server.stop(how=signal.SIGINT if args.profile else signal.SIGTERM)
        if args.profile:
            show_profile(args.profile)
        if code not in (0, None, -signal.SIGTERM, -signal.SIGINT, 130):
            print(f"the host exited with {code}:\n{server.output()[-2000:]}", file=sys.stderr)
        lost = lost_actions(crowd, stored_actions(folder / "room.sqlite"))
        report(crowd, lost, seconds)
    return 1 if lost or not all(p.finished for p in crowd) else 0


if __name__ == "__main__":
    sys.exit(main())
