"""Games per second of the flagship with gamer bots, on 1 and on 2 workers, and a profile.

    python bench/simulate.py [--runs N] [--repeat R] [--scenario NAME] [--manager STRATEGY]

Each rate is measured cold and warm. Cold: on a fresh copy of the scenario, whose planners
have decided nothing yet, as `goodhart simulate` and every `goodhart sweep` cell with new
constants start (a bot's memoised decisions are kept per process and per scenario; a pool
forks its workers after the parent played the first few runs). Warm: after warm-up games in this
process, the steady state of a long simulation. Each rate is measured R times (3 by
default) and reported as the best, with the median and every
run beside it: on a shared machine other work only ever slows a run down. Then,
for single-process games after the warm-up, played in lockstep chunks as `simulate` plays
them: where the time goes (opening the batch, the bots' decisions over arrays, resolving
the turns, the records, and the games ejected from the loop over arrays and played again
game by game), and a profile (cProfile, top 15 by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import game.analysis.batch_play as batch_play  # noqa: E402
import game.analysis.simulate as sim  # noqa: E402
import game.engine.batch.news as batch_news  # noqa: E402
import game.engine.batch.review as batch_review  # noqa: E402
import game.engine.batch.turn as batch_turn  # noqa: E402
from game.analysis.simulate import run_game, simulate  # noqa: E402
from game.engine.game import Game  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from formula_batch import stand_in_rate  # noqa: E402  (bench/, the script's own folder)

RUNS = 2000
"""Games a rate is measured over by default: a simulation of a few hundred runs is mostly the
pool's fixed costs (forking, each worker's first chunk and its page faults); at 2,000 runs on
2 workers they still weigh about a third (end of session 13: 6,789 games/s, against
10,451-10,639 with `--runs 10000`, the games' own rate, which a long simulation runs at)."""
WARM_UP_GAMES = 300
"""Games played before a warm rate is measured: the flagship's planners meet nearly all
their decisions in the first game, and the rest over the next few hundred (3.5 ms a game
after 160 games, 2.9 after 320)."""
STAND_IN_GAMES = 10_000
"""Games the stand-in plays at once: the issue's target, 10,000 games a second."""
STAND_IN_CHUNK = 2_048
"""...in numpy batches of this many games (as docs/batch-engine.md found best: one block of
10,000 runs slower)."""


def games_per_second(scenario, strategies: dict[str, str], runs: int, workers: int,
                     repeat: int = 1, warm: bool = True) -> list[tuple[float, float]]:
    """(wall-clock games per second, games per CPU-second of this process and its workers)
    of `simulate`, once per repeat, each on other seeds (so no repeat meets only the games,
    and so the decisions, of the one before). Warm: on `scenario` itself,
    after the caller's warm-up in this process (`warm_up`), whose planners' memos a pool's
    workers inherit when forked. Cold: on a
    fresh copy of the scenario each time, so its rules are compiled and its planners plan
    from nothing, as in a new `goodhart simulate` or a `goodhart sweep` cell with new
    constants (imports and the memos of values, not of decisions, stay warm)."""
    rates = []
    for seed in range(1, repeat + 1):
        played = scenario if warm else scenario.model_copy(deep=True)
        cpu, start = cpu_seconds(), time.perf_counter()
        simulate(played, runs, seed, strategies, workers=workers, progress=False)
        rates.append((runs / (time.perf_counter() - start), runs / (cpu_seconds() - cpu)))
    return rates


def warm_up(scenario, strategies: dict[str, str]) -> None:
    """Fill this process's planners' memos for `scenario` (`WARM_UP_GAMES` games)."""
    simulate(scenario, WARM_UP_GAMES, 999, strategies, workers=1, progress=False)


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished child processes."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                         resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stages(scenario, strategies: dict[str, str], runs: int) -> dict[str, float]:
    """Milliseconds per game spent in each stage of `run_games` over chunks of
    `simulate.CHUNK` games (timing wrappers around the functions it calls; the rest is the
    loop itself). Warm games are played over arrays (game.analysis.batch_play): opening the
    chunk's batch, the bots' decisions (`_Loop.phase`: grouping, glances, recalls, applying
    the choices), resolving the turns (of which the resolution's steps, the review and the
    next turn's news) and the records; the games that loop ejects are played again game by
    game (`play_games`, records by `record_of`). Times are this process's CPU time
    (`time.process_time`): on the shared machine, wall time also counts the other work
    that preempts this process, which moved the figures by 10-50% from run to run."""
    spent: dict[str, float] = defaultdict(float)
    clock = time.process_time

    def timed(stage, fn):
        def wrapper(*args, **kwargs):
            start = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += clock() - start
        return wrapper

    patches = [(batch_play, "open_batch", "opening the batch"),
               (batch_play, "gather", "opening the batch"),
               (Game, "new_states", "opening the batch"),
               (batch_play._Loop, "phase", "decisions"),
               (batch_play, "resolve_turn", "resolving turns"),
               (batch_turn, "resolve_body", "  resolution steps"),
               (batch_review, "review_turn", "  review"),
               (batch_news, "open_turn", "  next turn's news"),
               (batch_play, "columns_from", "records"),
               (sim, "play_games", "ejected games (replayed)"),
               (sim, "record_of", "ejected games (replayed)")]
    patches = [(owner, name, stage) for owner, name, stage in patches if hasattr(owner, name)]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, stage in patches:
        setattr(owner, name, timed(stage, getattr(owner, name)))
    try:
        start = clock()
        for first in range(0, runs, sim.CHUNK):
            with sim.batch_collection():
                sim.run_games(scenario, list(range(first, min(runs, first + sim.CHUNK))),
                              strategies)
        total = clock() - start
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
    out = {stage: 1000.0 * s / runs for stage, s in spent.items()}
    out["whole game"] = 1000.0 * total / runs
    return out


def profile(scenario, strategies: dict[str, str], runs: int) -> str:
    """The top 15 functions by own time over `runs` single-process games."""
    for seed in range(3):
        run_game(scenario, 10_000 + seed, strategies)
    prof = cProfile.Profile()
    with sim.batch_collection():  # as `simulate` plays them: a chunk in lockstep
        prof.enable()
        sim.run_games(scenario, list(range(runs)), strategies)
        prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


def stand_in_lines(scenario_name: str, engine: dict[int, float]) -> list[str]:
    """Two lines: the stand-in limit's games per second (its best over about two seconds),
    and the engine's best rate per worker count (`engine`) as a share of it."""
    limit = stand_in_rate(scenario_name, STAND_IN_GAMES, 2.0, STAND_IN_CHUNK)
    shares = ", ".join(f"{rate / limit:.2%} on {workers} worker{'s' if workers > 1 else ''}"
                       for workers, rate in engine.items())
    return [f"  stand-in limit (formula load alone, numpy batches of {STAND_IN_CHUNK:,}): "
            f"{limit:,.0f} games/s",
            f"  engine / stand-in limit: {shares}"]


def uptime() -> str:
    """The load averages over 1, 5 and 15 minutes (other work on a shared machine)."""
    return ", ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scenario", default="tokenmaxxing")
    parser.add_argument("--manager", default="hype")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    strategies = {"manager": args.manager, "employee": "gamer"}
    print(f"{scenario.id}, {args.runs} runs, bots {strategies}")
    print(f"  load before: {uptime()}")
    best: dict[int, float] = {}
    for warm in (False, True):
        if warm:
            warm_up(scenario, strategies)
        print("  " + ("warm: after a warm-up in this process (pools fork from it)" if warm
                      else "cold: a fresh copy of the scenario each run (planners plan "
                           "again, as a new process or sweep cell does)"))
        for workers in (1, 2):
            rates = games_per_second(scenario, strategies, args.runs, workers,
                                     max(1, args.repeat), warm)
            walls = [wall for wall, _ in rates]
            if warm:
                best[workers] = max(walls)
            print(f"    {workers} worker{'s' if workers > 1 else ' '}: {max(walls):7.1f} "
                  f"games/s best, {statistics.median(walls):.1f} median "
                  f"({', '.join(f'{r:.1f}' for r in walls)}); games per CPU-second "
                  f"{', '.join(f'{cpu:.0f}' for _, cpu in rates)}")
    print(f"  load after: {uptime()}")
    print("\n".join(stand_in_lines(args.scenario, best)))
    print("  ms per game, one process:")
    for stage, ms in stages(scenario, strategies, max(50, args.runs // 4)).items():
        print(f"    {stage:<24} {ms:6.2f}")
    print(profile(scenario, strategies, max(20, args.runs // 10)))


if __name__ == "__main__":
    main()
