"""The stand-in limit of issue 20: games per second of a scenario's formula load alone, with
each formula evaluated for a whole batch of games at once (game.engine.batch).

    python bench/formula_batch.py [--scenario NAME] [--batch N ...] [--seconds S]

The formula load of one game is what resolution, review and news can evaluate in it: every
turn, each behaviour's `available` and effect formulas (value, chance, when) for every seat of
its role; each policy and dynamics effect (every policy active), each event's `when` and
`chance` and its effects, each stat's `public`; each review's score and terms and each
consequence's `when` and effects for every seat of the role; and once a game, each seat's
contribution and each lesson. A stat effect is evaluated for every seat of the roles that have
the stat. Formulas that are constants ("1", "0") are left out, as the engine folds them. Seats
are the scenario's default table. Names hold random values: per-game ones shaped (batch, 1),
a seat's own (batch, seats). Not counted: bots, draws, ranks, clamping, state updates.

`stand_in_rate` is what bench/simulate.py can call to print the limit beside its own figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine.batch import BatchFormula, compile_batch  # noqa: E402
from game.scenario.compiled import CEffect, Rules  # noqa: E402
from game.scenario.formula import CompiledFormula, compile_formula  # noqa: E402
from game.scenario.load import load_scenario, resolve_scenario  # noqa: E402
from game.scenario.rules import rules_for  # noqa: E402

Load = list[tuple[BatchFormula, str | None]]
"""(formula, the role whose seats it is evaluated for, or None for once per game)."""
ScalarEnvs = dict[str | None, list[dict[str, float]]]
"""Per role (None: once per game), one scalar env per seat."""


def _effect_formulas(effect: CEffect) -> tuple[CompiledFormula, ...]:
    """An effect's value, chance and condition."""
    return (effect.value, effect.chance, effect.when)


def _stat_roles(rules: Rules, effect: CEffect) -> Iterable[str | None]:
    """The roles an effect is evaluated for: None for a metric, else the roles with its stat."""
    if not effect.on_seat:
        return (None,)
    return [role for role, stats in rules.role_stats.items()
            if effect.target in stats and (effect.roles is None or role in effect.roles)]


def _effects(rules: Rules, effects: Iterable[CEffect], role: str | None = None) -> Load:
    """Every formula of `effects`: for `role`'s seats if given, else where each applies."""
    return [(f, where) for e in effects for where in ((role,) if role else _stat_roles(rules, e))
            for f in _effect_formulas(e)]


def turn_load(rules: Rules) -> Load:
    """Every formula one turn can evaluate, with where it is evaluated (module docstring)."""
    load: Load = []
    for b in rules.behaviours:
        load += [(b.available, b.role)] + _effects(rules, b.effects, b.role)
    for p in rules.policies:
        load += _effects(rules, p.effects)
    load += _effects(rules, rules.dynamics)
    for ev in rules.events:
        load += [(ev.when, None), (ev.chance, None)] + _effects(rules, ev.effects)
    load += [(f, None) for f in rules.stat_public.values()]
    for role, rv in rules.reviews.items():
        load += [(rv.score, role)] + [(t, role) for _, t in rv.terms]
        for c in rv.consequences:
            load += [(c.when, role)] + _effects(rules, c.effects, role)
    return _compiled(load)


def game_load(rules: Rules) -> Load:
    """The formulas evaluated once a game: contributions (the seats of every role that has
    the names it reads) and lessons."""
    readers = [role for role, own in rules.seat_names.items()
               if rules.contribution.names <= rules.global_names | own]
    return _compiled([(rules.contribution, role) for role in readers]
                     + [(f, None) for _, f in rules.lessons])


def _compiled(load: list[tuple[CompiledFormula, str | None]]) -> Load:
    """The load without constant formulas, each compiled for batches."""
    return [(compile_batch(f), where) for f, where in load if f.constant is None]


def envs(rules: Rules, load: Load, batch: int, seed: int = 0
         ) -> dict[str | None, dict[str, np.ndarray]]:
    """Random values for every name `load` reads, per role and for None (once per game):
    global names shaped (batch, 1), the others (a seat's own, `effort`) (batch, seats)."""
    rng = np.random.default_rng(seed)
    seats = {r.id: r.seats.default for r in rules.scenario.roles}
    glob: dict[str, np.ndarray] = {}
    local: dict[str | None, dict[str, np.ndarray]] = {None: {}}
    for formula, where in load:
        local.setdefault(where, {})
        for name in sorted(formula.names):
            if where is None or name in rules.global_names:
                glob.setdefault(name, rng.uniform(0, 100, (batch, 1)))
            else:
                local[where].setdefault(
                    name, rng.uniform(0, 100, (batch, seats[where])))
    return {where: {**glob, **own} for where, own in local.items()}


def play_load(load: Load, once: Load, env: dict, turns: int) -> float:
    """Evaluate the turn load `turns` times and the game load once; return a checksum (so no
    evaluation can be skipped)."""
    total = 0.0
    for _ in range(turns):
        for formula, where in load:
            total += float(formula(env[where]).flat[0])
    for formula, where in once:
        total += float(formula(env[where]).flat[0])
    return total


def best_rate(run: Callable[[], object], games: int, seconds: float) -> float:
    """Games per second of `run` (which plays `games` games): the best of repeated runs for
    about `seconds`, after one warm-up run (other work on the machine only slows a run)."""
    run()
    best, spent = float("inf"), 0.0
    while spent < seconds:
        start = time.perf_counter()
        run()
        took = time.perf_counter() - start
        best, spent = min(best, took), spent + took
    return games / best


def stand_in_rate(scenario_name: str, batch: int, seconds: float = 1.0,
                  chunk: int | None = None) -> float:
    """Games per second of the scenario's formula load for `batch` games evaluated together,
    or, with `chunk`, `chunk` games at a time (games are independent, so a batch can run in
    chunks whose arrays stay small: see docs/batch-engine.md)."""
    rules = rules_for(load_scenario(resolve_scenario(scenario_name)))
    load, once = turn_load(rules), game_load(rules)
    sizes = [min(chunk or batch, batch - start) for start in range(0, batch, chunk or batch)]
    chunks = [envs(rules, load + once, size, seed) for seed, size in enumerate(sizes)]
    turns = rules.scenario.turns
    return best_rate(lambda: [play_load(load, once, env, turns) for env in chunks], batch,
                     seconds)


def scalar_envs(env: dict[str | None, dict[str, np.ndarray]]) -> ScalarEnvs:
    """The first game of a batch's envs as scalar ones: per role, one dict per seat."""
    out: ScalarEnvs = {}
    for where, names in env.items():
        seats = max((a.shape[1] for a in names.values()), default=1)
        out[where] = [{n: float(a[0, min(k, a.shape[1] - 1)]) for n, a in names.items()}
                      for k in range(seats if where is not None else 1)]
    return out


ScalarLoad = list[tuple[Callable[[dict[str, float]], float], list[dict[str, float]]]]
"""(scalar formula, the envs of the seats it is evaluated for)."""


def scalar_load(load: Load, envs_: ScalarEnvs) -> ScalarLoad:
    """`load` with the scalar formulas (game.scenario.formula), each with its seats' envs."""
    return [(compile_formula(f.source).fn, envs_[where]) for f, where in load]


def play_scalar(load: ScalarLoad, once: ScalarLoad, turns: int) -> float:
    """`play_load` for one game, formula by formula and seat by seat; return a checksum."""
    total = 0.0
    for _ in range(turns):
        for fn, seat_envs in load:
            for env in seat_envs:
                total += fn(env)
    for fn, seat_envs in once:
        for env in seat_envs:
            total += fn(env)
    return total


def scalar_rate(scenario_name: str, seconds: float = 1.0) -> float:
    """Games per second of the same formula load with the scalar formulas, game by game
    (the best the engine's per-game design can do for its formulas)."""
    rules = rules_for(load_scenario(resolve_scenario(scenario_name)))
    load, once = turn_load(rules), game_load(rules)
    envs_ = scalar_envs(envs(rules, load + once, 1))
    loads = scalar_load(load, envs_), scalar_load(once, envs_)
    return best_rate(lambda: play_scalar(*loads, rules.scenario.turns), 1, seconds)


def describe(scenario_name: str) -> str:
    """How many formulas one game of the scenario evaluates, and how many values."""
    rules = rules_for(load_scenario(resolve_scenario(scenario_name)))
    seats = {r.id: r.seats.default for r in rules.scenario.roles}
    load, once = turn_load(rules), game_load(rules)
    calls = rules.scenario.turns * len(load) + len(once)
    values = (rules.scenario.turns * sum(seats.get(w, 1) for _, w in load)
              + sum(seats.get(w, 1) for _, w in once))
    return (f"{scenario_name}: {len(load)} formulas a turn, {rules.scenario.turns} turns: "
            f"{calls} batch calls and {values} values a game")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tokenmaxxing")
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 100, 10_000])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--chunk", type=int, default=2048,
                        help="also run each batch in chunks of this many games (0: never)")
    args = parser.parse_args()
    print(describe(args.scenario))
    rate = scalar_rate(args.scenario, args.seconds)
    print(f"scalar formulas, game by game: {rate:,.0f} games/s (formula load of {args.scenario})")
    for batch in args.batch:
        rate = stand_in_rate(args.scenario, batch, args.seconds)
        print(f"stand-in: {rate:,.0f} games/s (formula load of {args.scenario}, batch {batch})")
        if 0 < args.chunk < batch:
            rate = stand_in_rate(args.scenario, batch, args.seconds, args.chunk)
            print(f"stand-in: {rate:,.0f} games/s (formula load of {args.scenario}, "
                  f"batch {batch} in chunks of {args.chunk})")


if __name__ == "__main__":
    main()
