"""Generated effect runs (game.engine.resolve_code) against the rules applied one effect at a
time: each formula called on the seat's env, as docs/rules.md describes resolution."""

from __future__ import annotations

import ast
import math
import random

import pytest

from game.engine import resolve
from game.engine.actions import construct
from game.engine.env import global_env, run_env, seat_env
from game.engine.resolve_code import compile_consequences, seat_reader
from game.engine.resolve_plan import plan_for
from game.engine.state import GameState, Pending
from game.errors import FormulaError
from game.scenario.formula import CompiledFormula, compile_formula, define, inline
from game.scenario.rules import CEffect, Rules
from tests.engine.conftest import CONTRACT_SCENARIOS, load, play_random


def _slow_run(rules: Rules, effects, env, rng, seats, points, changes, turn, direct) -> None:
    """Effects applied one by one, each formula called on `env` (the reference)."""
    for e in effects:
        if not e.when(env):
            continue
        chance = e.chance(env)
        if chance < 1.0 and not (chance > 0.0 and rng.random() < chance):
            continue
        amount = e.value(env) * points
        delay = e.delay + (0 if e.on_seat or direct else rules.metric_specs[e.target].delay)
        for seat in seats:
            if delay > 0:
                changes.pending.append(construct(
                    Pending, due=turn + delay, target=e.target, seat=seat if e.on_seat else None,
                    amount=amount, mode=e.mode, direct=direct))
            elif e.on_seat:
                if e.mode == "set":
                    changes.stat_set[seat][e.target] = amount
                else:
                    adds = changes.stat_add[seat]
                    adds[e.target] = adds.get(e.target, 0.0) + amount
            elif e.mode == "set":
                changes.metric_set[e.target] = amount
            else:
                changes.metric_add[e.target] = changes.metric_add.get(e.target, 0.0) + amount


def _slow_step(rules: Rules, state: GameState, genv) -> resolve.Changes:
    """Behaviours, policies and dynamics on one snapshot, on seat envs (the reference)."""
    changes = resolve.Changes()
    for seat in state.seats:
        alloc = state.allocations.get(seat.index)
        if not seat.employed or not alloc:
            continue
        rng = random.Random(seat.index)
        env = seat_env(rules, genv, state, seat, rng)
        for b in rules.behaviours_of(seat.role):
            if alloc.get(b.id, 0) > 0:
                env["effort"] = float(alloc[b.id])
                _slow_run(rules, b.effects, env, rng, (seat.index,), alloc[b.id], changes,
                          state.turn, False)
    rng = random.Random(-1)
    lists = [p.effects for p in rules.policies if state.policies[p.id] > 0] + [rules.dynamics]
    for effects in lists:
        for e in effects:
            if not e.on_seat:
                _slow_run(rules, [e], genv, rng, (None,), 1, changes, state.turn, False)
                continue
            for seat in state.seats:
                if seat.employed and e.target in seat.stats and (
                        e.roles is None or seat.role in e.roles):
                    _slow_run(rules, [e], seat_env(rules, genv, state, seat), rng,
                              (seat.index,), 1, changes, state.turn, False)
    return changes


def _fast_step(rules: Rules, state: GameState, draws: int) -> resolve.Changes:
    """The same step through the plan's generated runs and the envs resolution gives them
    (with the draws of `random.Random(draws)`), with the same streams."""
    plan = plan_for(rules)
    changes = resolve.Changes()
    original = resolve.stream
    resolve.stream = lambda seed, turn, purpose, seat: random.Random(seat)
    genv = run_env(plan.lk, state, plan.work_keys, random.Random(draws))
    try:
        resolve._behaviour_effects(plan, state, genv, changes)
    finally:
        resolve.stream = original
    rng = random.Random(-1)
    for policy in rules.policies:
        if state.policies[policy.id] > 0:
            resolve.apply_effects(plan, rules, state, policy.effects, genv, changes, rng)
    after = run_env(plan.lk, state, plan.dynamics_keys, random.Random(draws))
    resolve.apply_effects(plan, rules, state, rules.dynamics, after, changes, rng)
    return changes


def _key(changes: resolve.Changes) -> tuple:
    """Every change, floats by their exact text (so 0.0 and -0.0 differ): stat changes by
    seat and stat id, a seat with none left out (the order they are applied in does not
    matter, and a seat's work sums them before adding them), the rest in order."""
    return tuple(repr([(seat, sorted(stats.items())) for seat, stats in sorted(d.items())
                       if stats])
                 for d in (changes.stat_add, changes.stat_set)) + tuple(
        repr(list(d.items())) for d in (changes.metric_add, changes.metric_set)) + (
        repr([(p.due, p.target, p.seat, p.amount, p.mode) for p in changes.pending]),)


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_generated_runs_change_what_the_effects_one_by_one_change(path):
    game = load(path)
    rules = game.rules
    checked = []

    def compare(state: GameState) -> None:
        if state.phase != "work" or len(state.submitted) < len(game.to_act(state)) - 1:
            return
        if not any(state.submitted.values()):
            return
        probe = state.model_copy(deep=True)
        probe.allocations = dict(probe.submitted)
        genv = global_env(rules, probe, random.Random(7))
        slow = _slow_step(rules, probe, genv)
        assert _key(_fast_step(rules, probe, 7)) == _key(slow)
        checked.append(slow)

    for seed in (1, 2):
        play_random(game, seed, compare)
    assert checked


def test_a_repeated_value_is_read_once_when_the_first_effect_always_applies():
    rules = load(CONTRACT_SCENARIOS[0]).rules
    stat = next(iter(rules.stat_specs))
    reads = []

    class Stats(dict):
        def __getitem__(self, name):
            reads.append(name)
            return super().__getitem__(name)

    def effect(when: str = "1") -> CEffect:
        return CEffect(stat, True, compile_formula(f"{stat} * 2"), "add", 0,
                       compile_formula("1"), compile_formula(when), None)

    # (first `when`, second `when`, reads of the stat): a `when` that is not constant reads
    # it too, and a value evaluated under a condition is evaluated again by the next effect
    for first, second, expected in (("1", "1", 1), ("1", f"{stat} > 0", 2),
                                    (f"{stat} > 0", "1", 3)):
        reads.clear()  # (a consequence's effects are one run, as a behaviour's are)
        apply = compile_consequences(rules, next(iter(rules.role_specs)), [
            ("twice", None, [(effect(first), 0), (effect(second), 0)], False)])
        changes = resolve.Changes()
        apply({}, None, changes, 1, 0, {}, Stats({stat: 3.0}), {}, [])
        assert changes.stat_add == {0: {stat: 12.0}}
        assert len(reads) == expected


@pytest.mark.parametrize("source", ["a * b", "a / b", "a ** b", "-(a * 0)", "exp(a) * b",
                                    "a - b if a > b else log(b)", "a == b or not b"])
def test_an_inlined_formula_returns_what_the_compiled_one_returns(source):
    compiled = compile_formula(source)
    read = lambda name: ast.Subscript(ast.Name("_e", ast.Load()), ast.Constant(name), ast.Load())
    module = ast.parse("def f(_e):\n    return X")
    module.body[0].body[0].value = inline(compiled, read)
    fn = define(module, "f", {})
    values = [0.0, -0.0, 1.0, -2.5, 1e9, -1e9, 1e300, math.inf, -math.inf, math.nan]
    for a in values:
        for b in values:
            env = {"a": a, "b": b}
            assert repr(fn(env)) == repr(compiled(env))


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_generated_scores_and_consequences_give_what_the_formulas_give_on_the_seat_env(path):
    game = load(path)
    rules = game.rules
    plan = plan_for(rules)
    checked = []

    def compare(state: GameState) -> None:
        genv = run_env(plan.lk, state, plan.review_keys)  # what review gives them
        full = global_env(rules, state)
        for role, rv in rules.reviews.items():
            for seat in state.seats:
                if not seat.employed or seat.role != role:
                    continue
                env = seat_env(rules, full, state, seat)
                alloc = state.allocations.get(seat.index) or {}
                slow = rv.score(env) + sum(term(env) for pid, term in rv.terms
                                           if state.policies[pid] > 0)
                fast = plan.scores[role](genv, seat.stats, alloc, seat.__dict__,
                                         state.policies)
                assert repr(fast) == repr(slow)
                given = [c.name for c in rv.consequences if c.when(env)]
                names: list[str] = []
                consequences = plan.consequences[role]
                if consequences is not None:  # on copies: it applies their effects too
                    probe = seat.model_copy(update={"stats": dict(seat.stats)})
                    consequences(genv, random.Random(1), resolve.Changes(), state.turn,
                                 probe.index, probe.__dict__, probe.stats, alloc, names)
                assert names == given
                checked.append(seat)

    play_random(game, 3, compare)
    assert checked


@pytest.mark.parametrize("path", CONTRACT_SCENARIOS, ids=lambda p: p.stem)
def test_generated_event_conditions_and_chances_give_what_the_formulas_give(path):
    game = load(path)
    rules = game.rules
    plan = plan_for(rules)
    checked = []

    def compare(state: GameState) -> None:
        draws = random.Random(state.turn)
        genv = run_env(plan.lk, state, plan.news_keys, draws)  # what news gives them
        full = global_env(rules, state, random.Random(state.turn))
        for event, when, chance, *_ in plan.events:
            assert repr(when(genv)) == repr(event.when(full))
            assert repr(chance(genv)) == repr(event.chance(full))
            checked.append(event)

    play_random(game, 4, compare)
    assert checked


def test_an_inlined_formula_reads_only_the_names_it_was_compiled_with():
    forged = CompiledFormula("a + b", frozenset({"a"}), None, lambda env: 0.0)
    with pytest.raises(FormulaError, match="unknown name 'b'"):
        inline(forged, lambda name: ast.Constant(1.0))


def test_only_a_behaviours_run_reads_effort():
    rules = load(CONTRACT_SCENARIOS[0]).rules
    assert isinstance(seat_reader(rules, None, True)("effort"), ast.expr)
    with pytest.raises(ValueError, match="effort"):
        seat_reader(rules, None, False)("effort")
