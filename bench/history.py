"""What a History of a chunk's batch costs against the scatter it replaces (issue 20).

    python bench/history.py [--runs N] [--repeat R] [--scenario NAME]

Plays N games (500: a chunk) of the flagship, hype manager and gamer employees, with
today's `play_games` after a few warm-up games, keeping a History of the batch after each
turn (`resolve_together` wrapped). Reports, in microseconds: `History.keep` per turn (the
whole chunk, and per game), the loop's `scatter` per game and turn beside it,
`export_states` of the whole chunk per game (best of R), `record_of` per game on the
exported states and on the loop's own, and `records_from` the History (best of R). The collector is paused while timing, as
the simulator pauses it (`batch_collection`).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import game.analysis.simulate as sim
from game.analysis.batch_records import records_from
from game.engine.batch.history import History, export_states
from game.engine.game import Game
from game.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def play(game: Game, seeds: list[int], table, chosen) -> tuple[list, object, History, dict]:
    """The ended states, the batch, its History and the timings (seconds) of keep and
    scatter calls."""
    history = History()
    timings: dict[str, list[float]] = {"keep": [], "scatter": []}
    kept: dict = {}
    resolve, scatter = sim.resolve_together, sim.scatter

    def timed_scatter(*args, **kwargs):
        start = time.perf_counter()
        scatter(*args, **kwargs)
        timings["scatter"].append(time.perf_counter() - start)

    def wrapped(rules, states, batch):
        batch = resolve(rules, states, batch)
        kept["batch"] = batch
        start = time.perf_counter()
        history.keep(batch)
        timings["keep"].append(time.perf_counter() - start)
        return batch

    sim.resolve_together, sim.scatter = wrapped, timed_scatter
    try:
        with sim.batch_collection():
            states = sim.play_games(game, seeds, table, chosen, None)
    finally:
        sim.resolve_together, sim.scatter = resolve, scatter
    return states, kept["batch"], history, timings


def best(repeat: int, fn) -> tuple[float, object]:
    """The least wall time of `repeat` calls of `fn` (collector paused), and its result."""
    times, result = [], None
    for _ in range(repeat):
        gc.disable()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scenario", default="tokenmaxxing")
    args = parser.parse_args()
    scenario = load_scenario(ROOT / "scenarios" / f"{args.scenario}.yaml")
    game = Game(scenario)
    table, chosen = sim.table_for(game, {"manager": "hype", "employee": "gamer"}, None)
    sim.play_games(game, [sim.run_seed(99, i) for i in range(16)], table, chosen)  # warm up
    seeds = [sim.run_seed(1, i) for i in range(args.runs)]
    states, batch, history, timings = play(game, seeds, table, chosen)
    n, turns = len(states), len(history.turns)
    keep, scatter = timings["keep"], timings["scatter"]
    print(f"{args.scenario}: {n} games, {turns} turns, {batch.layout.seats} seats")
    print(f"History.keep: {1e6 * sum(keep) / len(keep):.1f} us a turn for the chunk "
          f"(max {1e6 * max(keep):.1f}), {1e6 * sum(keep) / (n * turns):.3f} us a game a turn")
    print(f"scatter (replaced): {1e6 * sum(scatter) / (n * len(scatter)):.1f} us a game a turn, "
          f"{1e6 * sum(scatter) / n:.0f} us a game")
    rules = game.rules
    seconds, exported = best(args.repeat, lambda: export_states(
        rules, batch, history, table, None, range(n)))
    assert exported == states, "the exported states differ from the loop's"
    print(f"export_states: {1e6 * seconds / n:.1f} us a game (the chunk at once)")
    seconds, _ = best(args.repeat, lambda: export_states(rules, batch, history, table, None,
                                                          [0]))
    print(f"export_states of one game: {1e6 * seconds:.1f} us")
    for label, those in (("exported", exported), ("loop's", states)):
        seconds, _ = best(args.repeat, lambda those=those: [
            sim.record_of(scenario, st, table, chosen) for st in those])
        print(f"record_of on the {label} states: {1e6 * seconds / n:.1f} us a game")
    seconds, records = best(args.repeat, lambda: records_from(
        scenario, batch, history, table, chosen, None, range(n)))
    assert records == [sim.record_of(scenario, st, table, chosen) for st in states]
    print(f"records_from the history: {1e6 * seconds / n:.1f} us a game (the chunk at once)")


if __name__ == "__main__":
    main()
