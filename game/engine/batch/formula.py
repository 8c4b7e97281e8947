"""Formulas evaluated over numpy arrays: one call computes a formula for a whole batch of games.

`compile_batch` takes a formula that `game.scenario.formula.compile_formula` has checked (the
same whitelist, size and depth limits; source text is never evaluated) and walks its checked
tree once, turning each node into a closure over numpy ufuncs. The resulting `BatchFormula`
reads a mapping of names to float64 arrays and returns one array, broadcast from them: per-game
values as shape (batch, 1) and per-seat values as (batch, seats) give a (batch, seats) result.

It gives exactly what the scalar formula gives, element by element (docs/rules.md,
"Formulas"): `/`, `//` and `%` by zero give 0, `//` and `%` as Python computes them for floats,
the exponent clamped to [-10, 10] (0 for 0 ** negative and negative ** fraction), `exp` of at
most 50, `log` and `sqrt` of a number at or below 0 give 0, `round` half to even with 0 to 10
digits, comparisons and `and`/`or`/`not` as 1 or 0 (NaN counts as true, as in Python), and any
result NaN -> 0, clamped to [-1e12, 1e12]. Intermediate values are not clamped, as in the
scalar version.

One difference is allowed, by choice: numpy's vectorised `exp`, `log` and `**` (on this
machine its AVX-512 versions) may differ from the C library's, which the scalar formulas use,
by one unit in the last place. `compile_batch(..., exact=True)` evaluates these three element
by element with the scalar helpers instead (bit for bit, slower). numpy's results do not depend
on the batch size (tests/engine/test_batch_formula.py checks both claims).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping

import numpy as np

from game.engine.batch import arithmetic
from game.scenario.formula import (
    RESULT_LIMIT,
    CompiledFormula,
    compile_formula,
    formula_tree,
)

__all__ = ["BatchFormula", "compile_batch", "quietly"]

quietly = np.errstate(all="ignore")
"""A decorator for a step that evaluates formula bodies (`BatchFormula.fn`) directly: inf and
NaN on the way are part of the rules, not warnings."""

Env = Mapping[str, np.ndarray]
"""Names to float64 arrays (or numpy scalars) that broadcast together."""
Node = Callable[[Env], np.ndarray]
"""A compiled part of a formula: its value for a whole batch."""


class BatchFormula:
    """A formula compiled to array operations; call it with an `Env` for a whole batch."""

    __slots__ = ("fn", "names", "source")

    def __init__(self, source: str, names: frozenset[str], fn: Node) -> None:
        self.source = source
        self.names = names
        self.fn = fn

    def __call__(self, env: Env) -> np.ndarray:
        """The formula's value for every element of the batch: a float64 array broadcast from
        the arrays it reads (0-dimensional if it reads none)."""
        with np.errstate(all="ignore"):  # inf and NaN on the way are part of the rules
            return self.fn(env)

    def __repr__(self) -> str:
        """`BatchFormula('source')`."""
        return f"BatchFormula({self.source!r})"


def compile_batch(formula: CompiledFormula | str, exact: bool = False) -> BatchFormula:
    """`formula` (checked by `compile_formula` if given as text, raising FormulaError) as a
    BatchFormula. `exact`: evaluate `exp`, `log` and `**` with the scalar helpers, element by
    element, rather than numpy's vectorised versions (see the module's docstring)."""
    checked = compile_formula(formula) if isinstance(formula, str) else formula
    body = _Compiler(exact).node(formula_tree(checked))
    return BatchFormula(checked.source, checked.names, lambda env: _result(body(env)))


def _result(value: np.ndarray) -> np.ndarray:
    """The result rules of every formula: anything beyond the limit becomes the limit, -0.0
    becomes 0.0 (as the scalar version's `+ 0.0`) and NaN becomes 0; in one new array (in
    place: this runs once per formula and batch, on every element)."""
    if value.size == 1:  # (a game alone: every per-game value)
        return _one_result(value)
    out = np.empty(value.shape)  # (an array, or a numpy scalar of shape ())
    np.maximum(value, -RESULT_LIMIT, out=out)  # max then min, as np.clip: NaN stays NaN
    np.minimum(out, RESULT_LIMIT, out=out)
    np.add(out, 0.0, out=out)
    np.copyto(out, 0.0, where=np.isnan(out))
    return out


def _one_result(value: np.ndarray) -> np.ndarray:
    """`_result` of a value of one element, in Python's float arithmetic: the same IEEE
    comparisons and `+ 0.0` on the same float64 (`item`), without numpy's calls."""
    x = value.item()
    if math.isnan(x):
        x = 0.0
    elif x > RESULT_LIMIT:
        x = RESULT_LIMIT
    elif x < -RESULT_LIMIT:
        x = -RESULT_LIMIT
    else:
        x += 0.0  # -0.0 becomes 0.0
    out = np.empty(value.shape)
    out.fill(x)
    return out


def _truth(value: np.ndarray) -> np.ndarray:
    """Python's truth of each value (anything but 0, NaN included), as booleans."""
    return np.not_equal(value, 0.0)


def _number(flags: np.ndarray) -> np.ndarray:
    """Booleans as 1.0 and 0.0."""
    return np.asarray(flags, dtype=np.float64)


class _Compiler:
    """Turns each node of a checked formula tree into a `Node` closure."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact

    def node(self, tree: ast.AST) -> Node:
        """The closure for `tree`; a node the scalar checker would reject is a programming
        error here (the tree comes from a compiled formula)."""
        method = getattr(self, "_" + type(tree).__name__, None)
        if method is None:
            raise NotImplementedError(f"batch formulas do not handle {type(tree).__name__}")
        return method(tree)

    def _Constant(self, tree: ast.Constant) -> Node:
        """A number (or True/False) as a float64."""
        value = np.float64(float(tree.value))  # True/False become 1.0/0.0
        return lambda env: value

    def _Name(self, tree: ast.Name) -> Node:
        """A name read from the env as float64: integers (policy levels) and booleans (a seat
        mask) as the numbers they are, never numpy's integer or boolean arithmetic."""
        name = tree.id
        return lambda env: np.asarray(env[name], dtype=np.float64)

    def _Attribute(self, tree: ast.Attribute) -> Node:
        """A dotted name such as `upstream.x` (a neighbour's value, issue 19), which the
        scalar checker accepts as the one name it spells, read as that name."""
        base = tree.value
        if not isinstance(base, ast.Name):
            raise NotImplementedError("batch formulas read only dotted names like upstream.x")
        name = f"{base.id}.{tree.attr}"
        return lambda env: np.asarray(env[name], dtype=np.float64)

    def _UnaryOp(self, tree: ast.UnaryOp) -> Node:
        """`-x`, `+x`, and `not x` (1 where x is 0)."""
        operand = self.node(tree.operand)
        if isinstance(tree.op, ast.USub):
            return lambda env: np.negative(operand(env))
        if isinstance(tree.op, ast.Not):
            return lambda env: _number(np.equal(operand(env), 0.0))
        return operand  # unary plus

    def _BinOp(self, tree: ast.BinOp) -> Node:
        """`+ - * / // % **`, the risky ones as game.engine.batch.arithmetic says."""
        left, right = self.node(tree.left), self.node(tree.right)
        op = _arithmetic(tree.op, self.exact)
        if isinstance(tree.right, ast.Constant):  # the same value, one call less
            value = right(None)
            return lambda env: op(left(env), value)
        if isinstance(tree.left, ast.Constant):
            value = left(None)
            return lambda env: op(value, right(env))
        return lambda env: op(left(env), right(env))

    def _BoolOp(self, tree: ast.BoolOp) -> Node:
        """`and`/`or` of the values' truth, as 1 or 0 (what the scalar version returns)."""
        values = [self.node(value) for value in tree.values]
        combine = np.logical_and if isinstance(tree.op, ast.And) else np.logical_or

        def evaluate(env: Env) -> np.ndarray:
            truth = _truth(values[0](env))
            for value in values[1:]:
                truth = combine(truth, _truth(value(env)))
            return _number(truth)
        return evaluate

    def _Compare(self, tree: ast.Compare) -> Node:
        """A comparison, chained as in Python (`a < b < c` is `a < b and b < c`), as 1 or 0."""
        parts = [self.node(tree.left), *(self.node(c) for c in tree.comparators)]
        ops = [_COMPARISONS[type(op)] for op in tree.ops]
        if len(ops) == 1:  # the usual `a < b`: no list to build
            left, right, op = parts[0], parts[1], ops[0]
            return lambda env: _number(op(left(env), right(env)))

        def evaluate(env: Env) -> np.ndarray:
            values = [part(env) for part in parts]
            holds = ops[0](values[0], values[1])
            for i in range(1, len(ops)):
                holds = np.logical_and(holds, ops[i](values[i], values[i + 1]))
            return _number(holds)
        return evaluate

    def _IfExp(self, tree: ast.IfExp) -> Node:
        """`a if condition else b`, element by element (both sides are computed)."""
        test, body, orelse = self.node(tree.test), self.node(tree.body), self.node(tree.orelse)
        return lambda env: np.where(_truth(test(env)), body(env), orelse(env))

    def _Call(self, tree: ast.Call) -> Node:
        """A call of a formula function by its plain name."""
        name = tree.func.id  # type: ignore[attr-defined]  # checked: a plain name
        args = [self.node(arg) for arg in tree.args]
        function = _function(name, self.exact)
        return lambda env: function(*(arg(env) for arg in args))


_COMPARISONS: dict[type[ast.cmpop], Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ast.Lt: np.less, ast.LtE: np.less_equal, ast.Gt: np.greater, ast.GtE: np.greater_equal,
    ast.Eq: np.equal, ast.NotEq: np.not_equal}


def _arithmetic(op: ast.operator, exact: bool) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The array version of a binary operator (see game.engine.batch.arithmetic)."""
    if isinstance(op, ast.Pow):
        return arithmetic.power_exact if exact else arithmetic.power
    return arithmetic.OPERATORS[type(op)]


def _function(name: str, exact: bool) -> Callable[..., np.ndarray]:
    """The array version of a formula function (see game.engine.batch.arithmetic)."""
    if exact and name in arithmetic.EXACT_FUNCTIONS:
        return arithmetic.EXACT_FUNCTIONS[name]
    return arithmetic.FUNCTIONS[name]
