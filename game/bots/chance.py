"""Forecasting chance: the expected value of formulas that read the scenario's random draws.

A bot forecasts a turn on paper (game.bots.forecast) with every draw at its mean. That is
exact for a formula linear in its draws, but `10 * (u < p)` read at the mean of `u` is 0 or
10, never `10 * p`, so a policy that moves `p` would look useless. Each formula that reads a
draw is looked at once (`expected`):

- linear in its draws (sums; products and quotients with parts that share no draw with
  them): the formula at the means is exact, and is what the forecast already computes;
- each draw compared once with a part that reads no draw (`u < p`, `quota >= u`) and read
  nowhere else: the comparison holds with a probability the draw's distribution gives, so
  the formula is worked out with it true and false and the two weighted (exact);
- anything else (`floor(u * 6)`, `min(u, cap)`, `u * u`): the mean over `SAMPLES` fixed
  quasi-random draws (the middles of equally likely slices of the distribution), so the
  forecast stays deterministic and costs a fixed number of evaluations.

`outlook` does the same for a whole effect: how likely it applies (its `when` and `chance`)
and what it adds on average.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable
from itertools import product
from statistics import NormalDist

from game.scenario.formula import CompiledFormula, compile_formula, formula_tree
from game.scenario.rules import CEffect, Rules

SAMPLES = 16
"""Quasi-random points per draw when no exact form is known."""
MAX_COMPARED = 4
"""At most this many compared draws in one formula are worked out exactly (2**n evaluations)."""
_STEPS = (1, 5, 7, 11, 13, 3, 9, 15)
"""Per draw of a joint sample, the step through its points (odd, so each draw's points are
all used once, each draw in its own order)."""

Env = dict[str, float]
Draw = tuple[bool, float, float]
"""(uniform, low or mean, high or standard deviation)."""
Expected = Callable[[Env], float]


def draws_of(rules: Rules) -> dict[str, Draw]:
    """Every declared draw of the rules' scenario, by name; a binomial, Poisson or weighted
    choice draw is weighed as the normal draw of its mean and standard deviation (its mean
    is exact; the chance of a comparison with it is approximate)."""
    return {name: (True, *d.uniform) if d.uniform is not None else
            (False, *(d.normal or d.mean_sd()))
            for name, d in rules.scenario.randoms.items()}


def points(draw: Draw, count: int = SAMPLES) -> tuple[float, ...]:
    """`count` values of the draw, one in the middle of each of `count` equally likely slices
    of its distribution (symmetric about the mean, so a linear formula averages exactly)."""
    uniform, a, b = draw
    if uniform:
        return tuple(a + (b - a) * (i + 0.5) / count for i in range(count))
    unit = NormalDist()
    return tuple(a + abs(b) * unit.inv_cdf((i + 0.5) / count) for i in range(count))


def joint_points(draws: dict[str, Draw], names: Iterable[str]) -> list[tuple[tuple[str, float], ...]]:
    """`SAMPLES` joint values of the named draws ((name, value) pairs each): every draw runs
    through all its `points`, each in its own order (a Latin hypercube with fixed steps)."""
    names = sorted(names)
    columns = [points(draws[n]) for n in names]
    return [tuple((n, column[(i * _STEPS[j % len(_STEPS)] + j) % SAMPLES])
                  for j, (n, column) in enumerate(zip(names, columns)))
            for i in range(SAMPLES)]


def expected(formula: CompiledFormula, draws: dict[str, Draw]) -> tuple[Expected, str]:
    """The formula's expected value over the draws it reads, as a function of an env that
    holds every draw at its mean (left as it was), and how it is found: "plain" (the formula
    itself: it reads no draw, or is linear in them), "exact" (compared draws weighted by
    their probabilities) or "sampled"."""
    read = formula.names & draws.keys()
    if not read:
        return formula.fn, "plain"
    shape = _shape(formula_tree(formula), draws)
    if shape is not None:
        compared = shape
        if not compared:
            return formula.fn, "plain"
        if len(compared) <= MAX_COMPARED:
            return _compared(formula.fn, compared, draws), "exact"
    return _sampled(formula.fn, joint_points(draws, read)), "sampled"


def _reads(node: ast.AST, draws: dict[str, Draw]) -> set[str]:
    """The draws a node reads."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in draws}


def _shape(tree: ast.expr, draws: dict[str, Draw]) -> list[tuple] | None:
    """The compared draws ((name, comparison, the other side compiled, draw on the left)) if
    every draw the formula reads is either linear wherever it occurs or compared once and
    read nowhere else; None otherwise."""
    linear: list[str] = []
    compared: list[tuple] = []
    other: list[str] = []
    _walk(tree, True, draws, linear, compared, other)
    if other or len({c[0] for c in compared}) < len(compared):
        return None
    if {c[0] for c in compared} & set(linear):
        return None
    return [(name, op, compile_formula(ast.unparse(side)), left)
            for name, op, side, left in compared]


def _walk(node: ast.AST, linear: bool, draws: dict[str, Draw], lin: list, cmp: list,
          other: list) -> None:
    """Sort every occurrence of a draw under `node` into `lin` (in a linear position), `cmp`
    (one side of a comparison whose other side reads no draw) or `other`."""
    if isinstance(node, ast.Name):
        if node.id in draws:
            (lin if linear else other).append(node.id)
        return
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        sides = (node.left, node.comparators[0])
        for side, rest, left in ((sides[0], sides[1], True), (sides[1], sides[0], False)):
            if isinstance(side, ast.Name) and side.id in draws and not _reads(rest, draws):
                cmp.append((side.id, type(node.ops[0]), rest, left))
                return
    children: list[tuple[ast.AST, bool]]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        children = [(node.left, linear), (node.right, linear)]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        apart = not (_reads(node.left, draws) & _reads(node.right, draws))
        children = [(node.left, linear and apart), (node.right, linear and apart)]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        children = [(node.left, linear and not _reads(node.right, draws)), (node.right, False)]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        children = [(node.operand, linear)]
    elif isinstance(node, ast.IfExp):
        children = [(node.test, False), (node.body, linear), (node.orelse, linear)]
    else:
        children = [(child, False) for child in ast.iter_child_nodes(node)]
    for child, child_linear in children:
        _walk(child, child_linear, draws, lin, cmp, other)


_MIRROR = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE,
           ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
_HOLDS = {ast.Lt: float.__lt__, ast.LtE: float.__le__, ast.Gt: float.__gt__,
          ast.GtE: float.__ge__, ast.Eq: float.__eq__, ast.NotEq: float.__ne__}


def chance_of(draw: Draw, op: type, x: float) -> float:
    """The probability that `draw OP x` holds (`op` an ast comparison type)."""
    uniform, a, b = draw
    if x != x:
        return 1.0 if op is ast.NotEq else 0.0
    if uniform and a != b:
        below = min(1.0, max(0.0, (x - min(a, b)) / abs(b - a)))
    elif not uniform and b != 0.0:
        below = 0.5 * (1.0 + math.erf((x - a) / (abs(b) * math.sqrt(2.0))))
    else:  # one value only
        return 1.0 if _HOLDS[op](float(a), float(x)) else 0.0
    if op in (ast.Lt, ast.LtE):
        return below
    if op in (ast.Gt, ast.GtE):
        return 1.0 - below
    return 0.0 if op is ast.Eq else 1.0


def _forcing(op: type, x: float, holds: bool) -> float:
    """A value of the draw that makes `draw OP x` hold (or fail, if not `holds`)."""
    if op in (ast.Lt, ast.LtE):
        return -math.inf if holds else math.inf
    if op in (ast.Gt, ast.GtE):
        return math.inf if holds else -math.inf
    equal = (op is ast.Eq) == holds
    return x if equal else (math.inf if x != math.inf else -math.inf)


def _compared(fn: Expected, compared: list[tuple], draws: dict[str, Draw]) -> Expected:
    """The exact expectation of `fn` over its compared draws (see `expected`): the draws are
    independent, and each enters only through its comparison, so the formula is the sum,
    over every way the comparisons can come out, of its value that way times the chance."""
    atoms = [(name, op if left else _MIRROR[op], side.fn, draws[name])
             for name, op, side, left in compared]

    def mean(env: Env) -> float:
        saved = [env.get(name) for name, *_ in atoms]
        cases = []
        for name, op, side, draw in atoms:
            x = side(env)
            p = chance_of(draw, op, x)
            cases.append(((p, _forcing(op, x, True)), (1.0 - p, _forcing(op, x, False))))
        total = 0.0
        try:
            for outcome in product(*cases):
                weight = 1.0
                for (name, *_), (p, value) in zip(atoms, outcome):
                    weight *= p
                    env[name] = value
                if weight > 0.0:
                    total += weight * fn(env)
        finally:
            for (name, *_), value in zip(atoms, saved):
                env[name] = value
        return total
    return mean


def _sampled(fn: Expected, joint: list[tuple[tuple[str, float], ...]]) -> Expected:
    """The mean of `fn` over the joint values (see `joint_points`)."""
    names = [name for name, _ in joint[0]]

    def mean(env: Env) -> float:
        saved = [env.get(name) for name in names]
        total = 0.0
        try:
            for values in joint:
                env.update(values)
                total += fn(env)
        finally:
            env.update(zip(names, saved))
        return total / len(joint)
    return mean


Outlook = Callable[[Env], tuple[float, float]]
"""env -> (the chance an effect applies, the mean of its value when it applies times that
chance)."""


def outlook(effect: CEffect, draws: dict[str, Draw]) -> Outlook | None:
    """How likely `effect` applies and what it brings on average, for an effect whose
    forecast at the draws' means would be wrong; None when it would be right (it reads no
    draw, or only reads draws linearly in its value)."""
    when, chance, value = effect.when, effect.chance, effect.value
    gated = (when.names | chance.names) & draws.keys()
    mean_value, how = expected(value, draws)
    if not gated:
        if how == "plain":
            return None
        return lambda env: _plain_gate(when, chance, mean_value, env)
    parts = [f.names & draws.keys() for f in (when, chance, value)]
    apart = all(not (parts[i] & parts[j]) for i, j in ((0, 1), (0, 2), (1, 2)))
    if apart and all(not part or _zero_one(f) for part, f in zip(parts, (when, chance))):
        mean_when, mean_chance = expected(when, draws)[0], expected(chance, draws)[0]

        def independent(env: Env) -> tuple[float, float]:
            p = _clamp01(mean_when(env) if parts[0] else float(bool(when.fn(env))))
            p *= _clamp01(mean_chance(env))
            return p, (p * mean_value(env) if p > 0.0 else 0.0)
        return independent
    return _joint(when, chance, value, joint_points(draws, set().union(*parts)))


def _zero_one(formula: CompiledFormula) -> bool:
    """Whether the formula is always 0 or 1 (a comparison, `and`/`or`, `not`): then its mean
    is the chance that it holds."""
    top = formula_tree(formula)
    return isinstance(top, (ast.Compare, ast.BoolOp)) or (
        isinstance(top, ast.UnaryOp) and isinstance(top.op, ast.Not))


def _clamp01(x: float) -> float:
    return 0.0 if not x > 0.0 else 1.0 if x > 1.0 else x


def _plain_gate(when: CompiledFormula, chance: CompiledFormula, mean_value: Expected,
                env: Env) -> tuple[float, float]:
    """An outlook whose `when` and `chance` read no draw."""
    if not when.fn(env):
        return 0.0, 0.0
    p = _clamp01(chance.fn(env))
    return p, (p * mean_value(env) if p > 0.0 else 0.0)


def _joint(when: CompiledFormula, chance: CompiledFormula, value: CompiledFormula,
           joint: list[tuple[tuple[str, float], ...]]) -> Outlook:
    """The outlook as a mean over joint values of every draw the effect reads."""
    names = [name for name, _ in joint[0]]

    def mean(env: Env) -> tuple[float, float]:
        saved = [env.get(name) for name in names]
        p_total = v_total = 0.0
        try:
            for values in joint:
                env.update(values)
                if when.fn(env):
                    p = _clamp01(chance.fn(env))
                    if p > 0.0:
                        p_total += p
                        v_total += p * value.fn(env)
        finally:
            env.update(zip(names, saved))
        return p_total / len(joint), v_total / len(joint)
    return mean
