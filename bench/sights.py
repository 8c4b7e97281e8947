"""What a seat sees over a batch (game.engine.batch.sights): the time of `sights` for every seat
of a batch of bot games, and of `glance_at` for one game and seat, beside `glances` of the
game's state (what the simulator builds today at every decision).

    python bench/sights.py [--scenario NAME] [--games N] [--turns T ...]

The games are bot games (the scenario's first role "hype", its second "gamer") played with the
simulator; the state of each game as a seat of it decides at the start of each phase of the
turns asked for is gathered into one batch per phase. Best of five runs, CPU time of one
process.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.analysis import simulate
from game.engine import Game, GameState
from game.engine.batch.sights import glance_at, sights
from game.engine.batch.state import gather
from game.engine.glance import glances
from game.scenario.load import load_scenario, resolve_scenario
from timing import best  # noqa: E402  (bench/, the script's own folder)


def decision_states(game: Game, games: int, turns: set[int]
                    ) -> tuple[list[str], dict[tuple[int, str], list[GameState]]]:
    """The seat names and, by (turn, phase), each game's state as its seats decide."""
    roles = [r.id for r in game.scenario.roles]
    table, chosen = simulate.table_for(game, dict(zip(roles, ("hype", "gamer"))), None)
    found: dict[tuple[int, str], dict[int, GameState]] = {}
    original = simulate._chooser

    def chooser(rules, state, bots):
        choose = original(rules, state, bots)

        def keeping(acting, legal):
            if state.turn in turns:
                found.setdefault((state.turn, state.phase), {}).setdefault(
                    state.seed, state.clone())
            return choose(acting, legal)
        return keeping

    simulate._chooser = chooser
    try:
        simulate.play_games(game, list(range(games)), table, chosen)
    finally:
        simulate._chooser = original
    return [s.name for s in table], {k: list(v.values()) for k, v in sorted(found.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tokenmaxxing")
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--turns", type=int, nargs="+", default=[1, 3, 6])
    args = parser.parse_args()
    game = Game(load_scenario(resolve_scenario(args.scenario)))
    rules = game.rules
    names, by_phase = decision_states(game, args.games, set(args.turns))
    for (turn, phase), states in by_phase.items():
        batch, state = gather(rules, states), states[0]
        every = best(lambda b=batch: [sights(rules, b, s) for s in range(b.layout.seats)], 20)
        one = best(lambda b=batch: glance_at(rules, b, 0, 1, names), 2000)
        today = best(lambda st=state: glances(rules, st, [1], readings=False), 2000)
        print(f"turn {turn} {phase:6}: {batch.size} games, {batch.layout.seats} seats: sights "
              f"of every seat {every:6.0f} us ({every / batch.size:.2f} us a game); glance_at "
              f"{one:5.1f} us, glances of the state {today:5.1f} us")


if __name__ == "__main__":
    main()
