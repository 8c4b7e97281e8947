"""Lint: a formula that can divide 0 by 0.

`a / b` is 0 when `b` is 0 (docs/rules.md, *Formulas*), so `quality / tokens` quietly gives 0
when a seat has neither, and a bot that reads the incentives finds that corner. `zero_by_zero`
tries each formula of a scenario (every formula key, each let on its own) over the corners of
its names' ranges: their bounds, their starting values, 0 where it lies inside them and the
numbers the formula itself holds. It evaluates the whole formula, so a guarded division
(`a / b if b > 0 else 1`) is never caught at 0 / 0; a let read by a formula counts as its
value, and its own divisions are checked once, at the let.
"""

from __future__ import annotations

import ast
import itertools
import random
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from game.errors import FormulaError
from game.scenario import formula as formula_module
from game.scenario.formula import CompiledFormula, compile_formula, define, formula_tree, inline
from game.scenario.lets import LetTable, compile_lets
from game.scenario.model import Scenario
from game.scenario.rules import Rules

__all__ = ["formula_sites", "zero_by_zero"]

Loc = tuple[str | int, ...]
Range = tuple[float, float, float, bool]
"""(low, high, initial, whole numbers only), as lint's sampler has them."""

FORMULA_KEYS = frozenset({"value", "chance", "when", "available", "score", "public",
                          "contribution"})
NAMED_FORMULAS = frozenset({"review", "let"})
"""Keys whose value maps ids to formulas."""
SKIPPED = frozenset({"lessons", "constants", "visibility", "table", "what_if"})
"""Keys holding no game formula (a lesson's `when` reads the end facts)."""
MOST_TRIES = 3000
_HELPERS = ("_div", "_floordiv", "_mod")


def formula_sites(scenario: Scenario) -> Iterator[tuple[Loc, str]]:
    """(path in the file, source) of every game formula of `scenario`, in file order."""
    yield from _walk(scenario.model_dump(), ())


def _walk(node: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, loc + (i,))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in SKIPPED:
            continue
        if key in FORMULA_KEYS and isinstance(value, str):
            yield loc + (key,), value
        elif key in NAMED_FORMULAS and isinstance(value, dict):
            yield from ((loc + (key, k), v) for k, v in value.items() if isinstance(v, str))
        else:
            yield from _walk(value, loc + (key,))


def zero_by_zero(scenario: Scenario, rules: Rules,
                 ranges: Mapping[str, Range]) -> Iterator[tuple[Loc, str]]:
    """(loc, message) for each division of a formula that some corner of `ranges` (every
    name a formula may read) takes to 0 / 0."""
    known = frozenset().union(rules.global_names, *rules.seat_names.values())
    lets = compile_lets(scenario.let, known)  # the scenario loaded, so they compile
    ranges = {**ranges, "headcount": _at_least_one(ranges.get("headcount"))}
    for loc, source in formula_sites(scenario):
        try:
            formula = compile_formula(source, None)
        except FormulaError:
            continue
        for part, witness in _zero_divisions(formula, lets, _site_ranges(scenario, loc, ranges)):
            yield loc, _message(part, witness)


def _site_ranges(scenario: Scenario, loc: Loc, ranges: Mapping[str, Range]
                 ) -> Mapping[str, Range]:
    """The ranges a formula at `loc` reads: a behaviour's effects apply only to the points
    spent on it, so there `effort` and the behaviour's own points are at least 1."""
    if len(loc) > 2 and loc[0] == "behaviours" and loc[2] == "effects":
        own = scenario.behaviours[int(loc[1])].id
        return {**ranges, "effort": _at_least_one(ranges.get("effort")),
                own: _at_least_one(ranges.get(own))}
    return ranges


def _at_least_one(r: Range | None) -> Range:
    """A count's range without 0 (a company with nobody employed has nobody to play)."""
    low, high, initial, _ = r or (1, 1, 1, True)
    return (max(1, low), max(1, high), max(1, initial), True)


def _message(part: str, witness: dict[str, float]) -> str:
    """The warning for a division `part` that is 0 / 0 at `witness`."""
    when = " and ".join(f"{name} = {value:g}" for name, value in witness.items())
    tree = ast.parse(part, mode="eval").body
    guard = ""
    if isinstance(tree, ast.BinOp):
        guarded = ast.BinOp(tree.left, tree.op, ast.Call(ast.Name("max", ast.Load()),
                                                         [tree.right, ast.Constant(1)], []))
        guard = f", e.g. `{_cut(ast.unparse(guarded))}`"
    return (f"`{_cut(part)}` can divide 0 by 0 (when {when or 'its names are at their bounds'}); "
            "0 / 0 gives 0 without a sign, and bots will steer for it: keep the divisor above "
            "0" + guard)


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _zero_divisions(formula: CompiledFormula, lets: LetTable, ranges: Mapping[str, Range]
                    ) -> Iterator[tuple[str, dict[str, float]]]:
    """(division text, names it reads at a corner where it is 0 / 0) of each division of
    `formula` (lets read as values) that some corner takes to 0 / 0, in formula order."""
    parts = _divisions(formula_tree(formula))
    if not parts:
        return
    constants = {n for n, r in ranges.items() if r[0] == r[1]}
    hits: dict[int, dict[str, float]] = {}
    check = _instrumented(formula, hits)
    used = [lets[n] for n in lets if n in formula.names]
    base = sorted((formula.names - set(lets)).union(*(let.formula.names for let in used)))
    numbers = _numbers(formula, *(let.formula for let in used))
    for env in _corners(base, ranges, numbers):
        for let in used:
            env[let.name] = let.formula(env)
        check(env)
        if len(hits) == len(parts):
            break
    for k, env in sorted(hits.items()):
        text = ast.unparse(parts[k])
        read = compile_formula(text, None).names  # as the formula reads them (lets included)
        yield text, {n: env[n] for n in sorted(read - constants) if n in env}


def _divisions(tree: ast.expr) -> list[ast.BinOp]:
    """The divisions (`/`, `//`, `%`) of a parse tree in pre-order, leaving out those by a
    nonzero number (which the compiled formula does not guard either)."""
    out = []
    for node in _preorder(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            right = node.right
            if not (isinstance(node.op, ast.Div) and isinstance(right, ast.Constant)
                    and right.value):
                out.append(node)
    return out


def _preorder(node: ast.AST) -> Iterator[ast.AST]:
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _instrumented(formula: CompiledFormula, hits: dict[int, dict[str, float]]
                  ) -> Callable[[dict[str, float]], float]:
    """`formula` as a function of an env that records, for the k-th division in pre-order,
    the first env under which it divides 0 by 0, in `hits[k]`."""
    expr = inline(formula, lambda name: ast.Subscript(ast.Name("_e", ast.Load()),
                                                      ast.Constant(name), ast.Load()))
    current: list[dict[str, float]] = [{}]
    helpers: dict[str, Callable[[float, float], float]] = {}
    calls = [n for n in _preorder(expr) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id in _HELPERS]
    for k, call in enumerate(calls):
        helpers[f"_z{k}"] = _recorder(k, getattr(formula_module, call.func.id), hits, current)
        call.func = ast.Name(f"_z{k}", ast.Load())
    module = ast.parse("def _check(_e):\n    return 0.0")
    module.body[0].body[0].value = expr  # type: ignore[attr-defined]
    fn = define(module, "_check", helpers)

    def check(env: dict[str, float]) -> float:
        current[0] = env
        return fn(env)
    return check


def _recorder(k: int, helper: Callable[[float, float], float],
              hits: dict[int, dict[str, float]],
              current: list[dict[str, float]]) -> Callable[[float, float], float]:
    """`helper` (the formula's safe division), noting in `hits[k]` the env it first saw
    divide 0 by 0."""
    def divide(a: float, b: float) -> float:
        if a == 0 and b == 0 and k not in hits:
            hits[k] = dict(current[0])
        return helper(a, b)
    return divide


def _numbers(*formulas: CompiledFormula) -> set[float]:
    """The numbers written in the formulas."""
    return {float(n.value) for f in formulas for n in ast.walk(formula_tree(f))
            if isinstance(n, ast.Constant) and isinstance(n.value, (int, float))}


def _corners(names: list[str], ranges: Mapping[str, Range],
             numbers: set[float]) -> Iterator[dict[str, float]]:
    """Envs over `names`: every combination of each name's candidate values when there are
    few, else the all-low and all-zero ones and then seeded random combinations."""
    options = [_candidates(ranges.get(n), numbers) for n in names]
    count = 1
    for values in options:
        count *= len(values)
    if count <= MOST_TRIES:
        for combo in itertools.product(*options):
            yield dict(zip(names, combo))
        return
    yield dict(zip(names, (values[0] for values in options)))
    rng = random.Random(0)
    for _ in range(MOST_TRIES):
        yield dict(zip(names, (rng.choice(values) for values in options)))


def _candidates(r: Range | None, numbers: set[float]) -> list[float]:
    """A name's values worth trying, 0 first when it can be 0: its bounds, its start, and
    the formula's own numbers that lie within its bounds. A name without a known range (a
    name this check does not know) is tried at 1 only, so it never makes a warning."""
    if r is None:
        return [1.0]
    low, high, initial, whole = r
    inside = {float(x) for x in (low, high, initial) if low <= x <= high}
    inside |= {x for x in numbers if low <= x <= high and (not whole or x == int(x))}
    if low <= 0 <= high:
        inside.add(0.0)
    return sorted(inside, key=lambda x: (x != 0, x))
