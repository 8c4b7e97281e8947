"""Legal actions over a batch (game.engine.batch.choose): the time of `legal_groups` for every
acting seat of a batch of warm bot games, beside `legal_choice` for each game and seat (what
the simulator asks today at every decision), and the groups found.

    python bench/legal_groups.py [--scenario NAME] [--games N] [--turns T ...]

The games are bot games (the scenario's first role "hype", its second "gamer") played with the
simulator, which fills the memos; the states of each phase of the turns asked for are gathered
into one batch per phase. Best of five runs, CPU time of one process.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.analysis import simulate
from game.engine import Game, GameState
from game.engine.batch.choose import acting, last_numbers_of, legal_groups
from game.engine.batch.state import gather
from game.engine.legal import legal_choice
from game.scenario.load import load_scenario, resolve_scenario
from timing import best  # noqa: E402  (bench/, the script's own folder)


def decision_states(game: Game, games: int, turns: set[int]
                    ) -> dict[tuple[int, str], list[GameState]]:
    """By (turn, phase), each game's state as its seats decide."""
    roles = [r.id for r in game.scenario.roles]
    table, chosen = simulate.table_for(game, dict(zip(roles, ("hype", "gamer"))), None)
    found: dict[tuple[int, str], dict[int, GameState]] = {}
    original = Game._submit

    def submit(self, state, choose):
        if state.turn in turns:
            found.setdefault((state.turn, state.phase), {}).setdefault(
                state.seed, state.clone())
        original(self, state, choose)

    Game._submit = submit
    try:
        simulate.play_games(game, list(range(games)), table, chosen)
    finally:
        Game._submit = original
    return {k: list(v.values()) for k, v in sorted(found.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tokenmaxxing")
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--turns", type=int, nargs="+", default=[1, 3, 8])
    args = parser.parse_args()
    game = Game(load_scenario(resolve_scenario(args.scenario)))
    rules = game.rules
    for (turn, phase), states in decision_states(game, args.games, set(args.turns)).items():
        batch = gather(rules, states)
        last = last_numbers_of(batch, states)
        must = acting(rules, batch, phase)
        seats = [s for s in range(batch.layout.seats) if must[:, s].any()]
        rows = {s: np.flatnonzero(must[:, s]) for s in seats}
        answers = {s: legal_groups(rules, batch, s, phase, rows[s], last)[1] for s in seats}
        groups = sum(len(a) for a in answers.values())
        unanswered = sum(a is None for found in answers.values() for a in found)
        grouped = best(lambda: [legal_groups(rules, batch, s, phase, rows[s], last)
                                for s in seats], 50)
        today = best(lambda: [legal_choice(rules, states[g], s) for s in seats
                              for g in rows[s].tolist()], 5)
        print(f"turn {turn:2} {phase:6}: {batch.size} games, {len(seats)} seats acting: "
              f"legal_groups {grouped:6.0f} us ({grouped / batch.size:.2f} us a game), "
              f"{groups} groups, {unanswered} unanswered; legal_choice per game "
              f"{today:6.0f} us ({today / batch.size:.2f} us a game)")


if __name__ == "__main__":
    main()
