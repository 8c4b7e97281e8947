"""Key groups on warm flagship games: how many recalls a turn needs when games are grouped by
what each seat's memo key reads (game.bots.groups), and what grouping costs.

    python bench/key_groups.py [--games N] [--warm N] [--scenario S] [--manager S] [--employee S]

Plays `--warm` games to fill the planners' memos, then N games in lockstep (as `simulate`
plays them), keeping every game's state at each decision. Then, for each turn, phase and
seat: the games are split by their shared Legal (`legal_choice`, the loop's business) and
grouped by `seat_groups` on the seat's `sights` of the gathered batch. It reports the
decisions, the groups (total, and per seat and turn: least, median, most), the groups whose
games recall more than one action (0 if the groups are right), and the time `sights` and the
grouping take per seat and turn; then `perceived` against `perceive` (us per 1,000 values).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.analysis import by_state, simulate  # noqa: E402
from game.analysis.simulate import run_games, run_seed  # noqa: E402
from game.bots import make_bot  # noqa: E402
from game.bots.beliefs import PERCEIVED, perceive  # noqa: E402
from game.bots.groups import perceived, seat_groups  # noqa: E402
from game.engine.batch.sights import sights  # noqa: E402
from game.engine.batch.state import gather  # noqa: E402
from game.engine.glance import glances  # noqa: E402
from game.engine.legal import legal_choice  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def decision_points(scenario, seeds: list[int], strategies: dict[str, str]) -> dict:
    """(turn, phase) -> (the seats glanced, the state of each game then), from the games of
    `seeds` played in lockstep."""
    points: dict[tuple, tuple[set, dict]] = defaultdict(lambda: (set(), {}))
    real = by_state.glances

    def glancing(rules, state, seats, readings=True):
        acting, states = points[state.turn, state.phase]
        acting.update(seats)
        if state.seed not in states:
            states[state.seed] = state.clone()
        return real(rules, state, seats, readings)

    by_state.glances = glancing
    try:
        run_games(scenario, seeds, strategies)
    finally:
        by_state.glances = real
    return points


def group_point(rules, scenario, chosen, states, seat, timing) -> tuple[int, int, int, int]:
    """(decisions, groups, groups of one game because its key reads the whole view or
    metrics, groups whose games recall different actions) of `seat` in the games of
    `states` (one decision point)."""
    states = [st for st in states if st.seats[seat].employed]
    if not states:
        return 0, 0, 0, 0
    bot = make_bot(chosen[seat], scenario, seat, lambda: None)
    role = states[0].seats[seat].role
    batch = gather(rules, states)
    t = time.perf_counter()
    seen = sights(rules, batch, seat)
    timing["sights"].append(time.perf_counter() - t)
    legal = [legal_choice(rules, st, seat)[0] for st in states]
    by_legal = defaultdict(list)
    for g, shared in enumerate(legal):
        by_legal[id(shared)].append(g)
    groups = mixed = alone = 0
    t = time.perf_counter()
    found = []
    for rows in by_legal.values():
        shared = legal[rows[0]]
        reads = lambda p, legal=shared: bot.reads(role, legal, p, batch.turn)  # noqa: E731
        found.append((rows, seat_groups(reads, seen, np.array(rows), batch.layout)))
    timing["groups"].append(time.perf_counter() - t)
    for rows, (group, first, whole) in found:
        groups += len(first)
        alone += int(whole.sum())
        actions = defaultdict(list)
        for g, n in zip(rows, group.tolist()):
            glance = glances(rules, states[g], [seat])[0]
            actions[n].append(bot.recall(glance, legal[g]))
        mixed += sum(1 for acts in actions.values()
                     if acts[0] is None or any(a != acts[0] for a in acts))
    return len(states), groups, alone, mixed


def perceive_rates(n: int = 100_000) -> None:
    """us per 1,000 values: `perceived`, `perceive` with a cold memo, and the memo look-up
    the keys use when the values are already in it."""
    rng = np.random.default_rng(0)
    values = rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(-3, 5, n)
    for size in (500, n):
        part = values[:size]
        listed = part.tolist()
        vec = min(_timed(lambda: perceived(part)) for _ in range(5))
        PERCEIVED.clear()
        cold = _timed(lambda: [perceive(v) for v in listed])
        memo = PERCEIVED
        warm = min(_timed(lambda: [memo[v] if v in memo else perceive(v) for v in listed])
                   for _ in range(5))
        print(f"perceive, {size} values: perceived {vec / size * 1e9:.0f} us/1,000; perceive "
              f"cold {cold / size * 1e9:.0f}; memo hits {warm / size * 1e9:.0f}")


def _timed(call) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--warm", type=int, default=100)
    parser.add_argument("--scenario", default="tokenmaxxing")
    parser.add_argument("--manager", default="hype")
    parser.add_argument("--employee", default="gamer")
    args = parser.parse_args()
    scenario = load_scenario(ROOT / "scenarios" / f"{args.scenario}.yaml")
    strategies = {scenario.roles[0].id: args.manager, scenario.roles[1].id: args.employee}
    game = simulate.Game(scenario)
    chosen = simulate.table_for(game, strategies, None)[1]
    run_games(scenario, [run_seed(7, i) for i in range(args.warm)], strategies)
    points = decision_points(scenario, [run_seed(1, i) for i in range(args.games)], strategies)
    per: list[int] = []
    by_phase: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    timing: dict[str, list[float]] = defaultdict(list)
    decisions = mixed = alone = 0
    for (turn, phase), (acting, states) in sorted(points.items()):
        for seat in sorted(acting):
            n, k, one, bad = group_point(game.rules, scenario, chosen, list(states.values()),
                                         seat, timing)
            decisions, alone, mixed = decisions + n, alone + one, mixed + bad
            if n:
                per.append(k)
                tally = by_phase[f"{phase}, {chosen[seat]} seats"]
                tally[0], tally[1], tally[2] = tally[0] + n, tally[1] + k, max(tally[2], k)
    print(f"{args.scenario}, {args.manager}/{args.employee}, {args.games} warm games: "
          f"{decisions} decisions, {sum(per)} groups (per seat and turn: {min(per)}-{max(per)},"
          f" median {statistics.median(per)}), of which {alone} of one game whose key reads "
          f"the whole view or metrics; {mixed} groups recalling other than one action")
    for name, (n, k, most) in by_phase.items():
        print(f"  {name}: {n} decisions, {k} groups (at most {most} a seat and turn)")
    for name, times in timing.items():
        print(f"{name}: {statistics.median(times) * 1e6:.0f} us median per seat and turn "
              f"({sum(times) / decisions * 1e6:.1f} us a decision)")
    perceive_rates()


if __name__ == "__main__":
    main()
