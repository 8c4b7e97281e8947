"""Monte Carlo: all-bot games played headless, and a summary of many of them.

`run_game` plays one game with bots in every seat and returns a plain `GameRecord`.
`simulate` plays many, seeded from (seed, run index), optionally in a process pool; records
come back in run order, so a summary is identical whatever the number of workers.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

import numpy as np

from game.analysis.batch_play import play_columns, recalling_bots
from game.analysis.by_state import play_game, play_games, resolve_together
from game.analysis.columns import Records, Table, event_ids
from game.analysis.record import GameRecord, record_of
from game.analysis.summary import SimulationSummary, summarise
from game.bots import default_strategy, strategies_for
from game.engine.game import Game
from game.engine.rng import derive
from game.engine.state import GameState, SeatSetup
from game.scenario.model import Scenario
from game.scenario.rules import Rules

__all__ = ["GameRecord", "Records", "SimulationSummary", "check_strategies", "play_bot_game",
           "play_game", "play_games", "resolve_together", "run_columns", "run_game",
           "run_games", "run_seed", "simulate"]


def check_strategies(scenario: Scenario, strategies: dict[str, str]) -> None:
    """ValueError unless every key is a role and every value a strategy for that role."""
    roles = [r.id for r in scenario.roles]
    for role, strategy in strategies.items():
        if role not in roles:
            raise ValueError(f"unknown role '{role}' (roles: {', '.join(roles)})")
        choices = strategies_for(scenario, role)
        if strategy not in choices:
            raise ValueError(f"unknown strategy '{strategy}' for role '{role}' "
                             f"(choose from: {', '.join(choices)})")


def table_for(game: Game, strategies: dict[str, str],
              seats: list[SeatSetup] | None) -> tuple[list[SeatSetup], list[str]]:
    """The seats of the game and each seat's strategy (the role's choice, else the seat's
    own bot strategy, else the scenario's default table: a role's seats left without a
    strategy take its listed strategies in order)."""
    table = list(seats) if seats is not None else game.default_seats()
    chosen = []
    empty: dict[str, int] = {}
    for s in table:
        name = strategies.get(s.role) or s.strategy
        if name is None:
            nth = empty[s.role] = empty.get(s.role, -1) + 1
            name = default_strategy(game.scenario, s.role, nth)
        chosen.append(name)
    return table, chosen


def run_game(scenario: Scenario, seed: int, strategies: dict[str, str],
             seats: list[SeatSetup] | None = None,
             locked: dict[str, int] | None = None) -> GameRecord:
    """Play a whole game with a bot in every seat and return its record; `locked` policies
    stay at their level whatever the bots choose."""
    return record_of(scenario, *play_bot_game(scenario, seed, strategies, seats, locked))


def run_games(scenario: Scenario, seeds: list[int], strategies: dict[str, str],
              seats: list[SeatSetup] | None = None,
              locked: dict[str, int] | None = None) -> list[GameRecord]:
    """`run_game` for each seed (see `run_columns`, which plays them): each record is the
    one `run_game` gives for its seed."""
    return run_columns(scenario, seeds, strategies, seats, locked).game_records()


def run_columns(scenario: Scenario, seeds: list[int], strategies: dict[str, str],
                seats: list[SeatSetup] | None = None,
                locked: dict[str, int] | None = None) -> Records:
    """The records of `run_games` as columns (game.analysis.columns), the games played in
    lockstep: over arrays (game.analysis.batch_play) when every seat's bot decides by its
    planners' memos, the games that loop ejects (and all of them otherwise) by
    `play_games`."""
    game = Game(scenario)
    table, chosen = table_for(game, strategies, seats)
    shared, events = Table.of(scenario, table, chosen), event_ids(scenario)
    bots = recalling_bots(game, chosen)
    if bots is None or not seeds:
        return Records.of(shared, events, _records_by_state(game, seeds, table, chosen, locked))
    columns, kept, ejected = play_columns(game, seeds, table, chosen, bots, locked)
    if not ejected:
        return columns
    again = Records.of(shared, events, _records_by_state(
        game, [seeds[n] for n in ejected], table, chosen, locked))
    if columns is None:
        return again
    return Records.concat([columns, again]).take(np.argsort(kept + ejected))


STATE_CHUNK = 500
"""Games played game by game (`play_games`) in one lockstep batch at most: each keeps its
whole `GameState` (~0.45 MB a flagship game), where a game over arrays keeps ~35 KB."""


def _records_by_state(game: Game, seeds: list[int], table: list[SeatSetup],
                      chosen: list[str], locked: dict[str, int] | None) -> list[GameRecord]:
    """The records of games played game by game, in lockstep batches of `STATE_CHUNK`."""
    out = []
    for i in range(0, len(seeds), STATE_CHUNK):
        out += [record_of(game.scenario, state, table, chosen)
                for state in play_games(game, seeds[i:i + STATE_CHUNK], table, chosen, locked)]
    return out


def play_bot_game(scenario: Scenario, seed: int, strategies: dict[str, str],
                  seats: list[SeatSetup] | None = None, locked: dict[str, int] | None = None
                  ) -> tuple[GameState, list[SeatSetup], list[str]]:
    """Play a whole game with a bot in every seat; return the final state (its history holds
    every turn), the seats and each seat's strategy."""
    game = Game(scenario)
    table, chosen = table_for(game, strategies, seats)
    return play_game(game, seed, table, chosen, locked), table, chosen


def run_seed(seed: int, index: int) -> int:
    """The seed of run `index` of a simulation seeded with `seed`."""
    return derive(seed, "run", index)


_WORKER: dict = {}


def _init_worker(scenario: Scenario, strategies: dict[str, str],
                 seats: list[SeatSetup] | None, locked: dict[str, int] | None) -> None:
    """Keep the scenario, the table and the locked policies in the worker process."""
    _WORKER.update(scenario=scenario, strategies=strategies, seats=seats, locked=locked)


def _run_chunk(start: int, seeds: list[int]) -> tuple[int, Records]:
    """Play a chunk of runs in a worker; returns (first run index, records as columns,
    which reach the parent as a few arrays)."""
    w = _WORKER
    with batch_collection():
        return start, run_columns(w["scenario"], seeds, w["strategies"], w["seats"],
                                  w["locked"])


CHUNK = 2500
"""Games between two garbage collections (see `batch_collection`), and at most in a chunk:
the games of a chunk are played over arrays as one batch, whose numpy calls and bots'
recalls cost about as much for 2,500 games as for 500 (measured, flagship, hype manager and
gamer engineers, warm: 0.34 ms a game in chunks of 500, 0.29 of 1,000, 0.27 of 2,000, 0.25
of 4,000; a chunk of 2,500 holds ~90 MB). 2,500 rather than 2,000: 10,000 runs on two
workers are two chunks a worker, not three of 1,667 (7,600-10,400 games/s against
7,000-10,000, alternating runs; chunks of 5,000 were slower, 7,200-8,900). Games played
game by game go in smaller batches (`STATE_CHUNK`)."""


def chunk_size(runs: int, workers: int) -> int:
    """The games of a chunk when `runs` games are played by `workers` processes: chunks of
    at most `CHUNK`, as few as that allows but as many for each worker, of even sizes (3,000
    runs on one worker are two chunks of 1,500, not 2,500 and a slower 500; 6,000 on two
    workers four of 1,500)."""
    per_worker = -(-runs // (CHUNK * workers))
    return max(1, -(-runs // (per_worker * workers)))


@contextmanager
def batch_collection() -> Iterator[None]:
    """Run a batch of games with Python's cyclic garbage collector paused, then collect once.

    A game allocates a few hundred thousand short-lived objects while the bots' memos keep
    hundreds of thousands of long-lived ones; the collector, triggered every 700 allocations,
    rescans survivors again and again and costs about a quarter of the run time. Reference
    counting still frees everything a game drops at once; the rare reference cycles wait for
    the collection at the end of the batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(1)


def simulate(scenario: Scenario, runs: int, seed: int, strategies: dict[str, str],
             workers: int = 1, progress: bool = True,
             seats: list[SeatSetup] | None = None,
             locked: dict[str, int] | None = None) -> SimulationSummary:
    """Play `runs` seeded games and summarise them; identical for any number of workers."""
    if runs <= 0:
        raise ValueError("runs must be at least 1")
    if workers <= 0:
        raise ValueError("workers must be at least 1")
    check_strategies(scenario, strategies)
    seeds = [run_seed(seed, i) for i in range(runs)]
    bar = _progress(runs, progress)
    game = Game(scenario)
    table, chosen = table_for(game, strategies, seats)
    warm, played = _warm_tables(game.rules, table, chosen, locked)
    try:
        if workers == 1:
            chunks = []
            size = chunk_size(runs, 1)
            for i in range(0, len(seeds), size):
                with batch_collection():
                    chunks.append(run_columns(scenario, seeds[i:i + size], strategies, seats,
                                              locked))
                bar.update(len(chunks[-1]))
        else:
            first = 0 if played in warm else warm_up_size(runs, workers)
            chunks = _warm_pool(scenario, strategies, seats, locked, seeds, first, workers, bar)
        warm.add(played)
    finally:
        bar.close()
    records = Records.concat(chunks)
    summary = summarise(scenario, records, seed, strategies_by_role(table, chosen))
    summary.locked = dict(locked or {})
    summary._records = records
    return summary


def strategies_by_role(table: list[SeatSetup], chosen: list[str]) -> dict[str, str]:
    """Role -> strategy; several strategies of one role are joined with '+', each with its
    number of seats when it plays more than one (`gamer x3+craft`)."""
    out: dict[str, dict[str, int]] = {}
    for seat, name in zip(table, chosen):
        counts = out.setdefault(seat.role, {})
        counts[name] = counts.get(name, 0) + 1
    return {role: "+".join(name if len(counts) == 1 or n == 1 else f"{name} x{n}"
                           for name, n in counts.items())
            for role, counts in out.items()}


WARM_UP = 16
"""Runs a pool's parent plays itself before it starts the workers, at most (see
`warm_up_size`). The bots' planners plan a decision once per process and remember it
(game/bots: per-process memos), and most of a simulation's planning happens in its first
games: flagship, hype manager and gamer engineers, the first game costs ~1.8 s of CPU, the
next ones ~3 ms; with the leaderboard regime locked the memos fill over the first ~50 games.
Workers forked after the warm-up start with the parent's memos instead of each planning it
all again (measured, 200 runs on 2 workers, leaderboard regime locked: 2.5-2.7 s of CPU
with one warm-up game, 2.2 with 16). The parent keeps its memos, so a sweep's later cells on
the same scenario start warmer."""


def warm_up_size(runs: int, workers: int) -> int:
    """The runs the parent plays before it forks `workers` processes: `WARM_UP`, but at most
    a quarter of a worker's share (what the workers could have played meanwhile when the
    memos are warm already), and at least one."""
    return max(1, min(WARM_UP, runs // (4 * workers)))


def _warm_pool(scenario: Scenario, strategies: dict[str, str],
               seats: list[SeatSetup] | None, locked: dict[str, int] | None,
               seeds: list[int], first: int, workers: int, bar) -> list[Records]:
    """The runs' records in run order, chunk by chunk: the `first` played here, which fills
    this process's planners' memos (`warm_up_size`; none once this process has played the
    table), then the rest in a pool of workers forked from it."""
    chunks = []
    if first:
        with batch_collection():
            chunks.append(run_columns(scenario, seeds[:first], strategies, seats, locked))
        bar.update(first)
    rest = seeds[first:]
    if rest:
        chunks += _pool(scenario, strategies, seats, locked, rest, workers, bar)
    return chunks


_WARMED: dict[int, tuple[Rules, set[tuple]]] = {}
"""id(rules) -> (the rules, the tables this process has simulated on them)."""


def _warm_tables(rules: Rules, table: list[SeatSetup], chosen: list[str],
                 locked: dict[str, int] | None) -> tuple[set[tuple], tuple]:
    """(the tables this process has simulated on `rules`, this table: its seats, their
    strategies and the locked policies): after one simulation the planners' memos hold the
    first games' decisions, so a pool needs no warm-up for a sweep's later cells or a
    simulation run again."""
    entry = _WARMED.get(id(rules))
    if entry is None or entry[0] is not rules:
        entry = _WARMED[id(rules)] = (rules, set())
    return entry[1], (tuple((s.role, s.name) for s in table), tuple(chosen),
                      tuple(sorted((locked or {}).items())))


def _pool(scenario: Scenario, strategies: dict[str, str], seats: list[SeatSetup] | None,
          locked: dict[str, int] | None, seeds: list[int], workers: int,
          bar) -> list[Records]:
    """Play the runs in a process pool, in chunks; the chunks' records in run order. The
    pool waits for its workers to exit (5-20 ms a worker, flagship, 2,000 runs): returning
    without waiting (`shutdown(wait=False)`) races at the interpreter's exit on Python 3.11
    (concurrent.futures wakes the pool's manager thread through a pipe that thread may be
    closing: "OSError: Bad file descriptor" printed as the command ends)."""
    size = chunk_size(len(seeds), workers)
    chunks: dict[int, Records] = {}
    release_free_memory()
    with ProcessPoolExecutor(workers, mp_context=_start_context(), initializer=_init_worker,
                             initargs=(scenario, strategies, seats, locked)) as pool:
        futures = [pool.submit(_run_chunk, i, seeds[i:i + size])
                   for i in range(0, len(seeds), size)]
        for future in as_completed(futures):
            start, records = future.result()
            chunks[start] = records
            bar.update(len(records))
    return [chunks[start] for start in sorted(chunks)]


def release_free_memory() -> None:
    """Give the memory the C allocator holds free back to the system (glibc's `malloc_trim`;
    elsewhere nothing), as a pool forks its workers. A worker's first chunk reuses the free
    memory it inherits, and each 4 KB page it writes there is copied first (~4 us a page on
    this machine); released memory comes fresh instead, numpy's large arrays as huge pages.
    Measured, flagship, hype manager and gamer engineers, a worker's first chunk of 1,000
    games after 300 warm-up games: page faults 13,700 -> 7,900, system CPU 34 -> 18 ms
    (medians of 8 alternating runs); the trim itself takes ~2 ms."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # another C library than glibc (musl): nothing held
        pass


def _start_context():
    """How the pool starts its workers: forked on Linux, so that they inherit the memos the
    parent filled (`_warm_pool`) whatever the default start method (Python 3.14 makes it
    forkserver there); elsewhere the platform's default (fork is unsafe on macOS)."""
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool):
    """A tqdm progress bar on stderr, or nothing."""
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="game", file=sys.stderr, dynamic_ncols=True,
                disable=os.environ.get("GOODHART_NO_PROGRESS") == "1")
