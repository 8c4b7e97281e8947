"""Batch formulas (game.engine.batch) give what scalar formulas give, element by element.

Random formulas come from a grammar of every construct docs/rules.md allows, random batches
from values that test the rules' edges (0 and -0.0, negatives, the clamps, huge numbers,
infinities, NaN). Bit for bit: with `exact=True` on every formula; by default (numpy's `exp`,
`log` and `**`) on every formula without those three, and within one unit in the last place
for each of them alone. Every formula of every bundled scenario agrees too.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, get_args

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from game.engine.batch import compile_batch
from game.scenario.formula import compile_formula, formula_tree
from game.scenario.load import list_bundled, load_scenario
from game.scenario.model import Formula

NAMES = ("x", "y", "z")
SCENARIOS = list_bundled()
EDGES = (0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 2.675, 0.125, 3.0, 7.0, 10.0,
         -10.0, 10.5, -10.5, 50.0, 50.5, 1e9, 1e12, -1e12, 1e12 + 1, 1e15, -1e15, 2.0 ** 53,
         1e300, -1e300, 5e-324, 1e-300, math.inf, -math.inf, math.nan)
CONSTANTS = ("0", "1", "2", "0.5", "3", "10", "11", "50", "0.125", "1e9", "True", "False")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.one_of(st.sampled_from(EDGES), st.floats(-100, 100), st.floats())


def _formulas(leaf: st.SearchStrategy[str], calls: tuple[str, ...], ops: tuple[str, ...]
              ) -> st.SearchStrategy[str]:
    """Formula text from a grammar: `leaf`, binary `ops`, unary, comparisons (chained),
    and/or, conditionals and the functions in `calls`."""
    def grow(part: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        cmp = st.sampled_from(("<", "<=", ">", ">=", "==", "!="))
        return st.one_of(
            st.builds("({} {} {})".format, part, st.sampled_from(ops), part),
            st.builds("({}{})".format, st.sampled_from(("-", "+", "not ")), part),
            st.builds("({} {} {})".format, part, cmp, part),
            st.builds("({} {} {} {} {})".format, part, cmp, part, cmp, part),
            st.builds("({} {} {})".format, part, st.sampled_from(("and", "or")), part),
            st.builds("({} if {} else {})".format, part, part, part),
            st.builds(_call, st.sampled_from(calls), st.lists(part, min_size=3, max_size=3)))
    return st.recursive(leaf, grow, max_leaves=12)


def _call(name: str, args: list[str]) -> str:
    """A call of `name` with as many of `args` as it takes."""
    count = {"min": 2, "max": 3, "clamp": 3}.get(name, 1)
    if name == "round":
        count = 1 + len(args[0]) % 2  # round(x) and round(x, digits)
    return f"{name}({', '.join(args[:count])})"


LEAF = st.one_of(st.sampled_from(NAMES), st.sampled_from(CONSTANTS))
EVERY = _formulas(LEAF, ("min", "max", "clamp", "abs", "round", "floor", "ceil", "log", "exp",
                         "sqrt"), ("+", "-", "*", "/", "//", "%", "**"))
WITHOUT_NUMPY_MATHS = _formulas(LEAF, ("min", "max", "clamp", "abs", "round", "floor", "ceil",
                                       "sqrt"), ("+", "-", "*", "/", "//", "%"))


@st.composite
def batches(draw: st.DrawFn, names: tuple[str, ...] = NAMES) -> dict[str, list[float]]:
    """A batch of 1 to 6 games: a list of values for each name."""
    size = draw(st.integers(1, 6))
    return {name: draw(st.lists(values, min_size=size, max_size=size)) for name in names}


def scalar_results(source: str, batch: dict[str, list[float]]) -> np.ndarray:
    """The scalar formula's value for each game of `batch` (Python floats in, as the engine
    passes them)."""
    formula = compile_formula(source)
    size = len(next(iter(batch.values())))
    return np.array([formula({n: float(v[i]) for n, v in batch.items()}) for i in range(size)])


def batch_results(source: str, batch: dict[str, list[float]], exact: bool = False) -> np.ndarray:
    """The batch formula's value for the whole batch at once, as an array of its size."""
    env = {name: np.array(vals, dtype=np.float64) for name, vals in batch.items()}
    size = len(next(iter(batch.values())))
    return np.broadcast_to(compile_batch(source, exact=exact)(env), (size,))


def assert_same_bits(got: np.ndarray, want: np.ndarray, source: str) -> None:
    """Equal bit for bit (so 0.0 and -0.0 differ), with the formula in the message."""
    assert got.dtype == np.float64
    assert got.view(np.int64).tolist() == want.view(np.int64).tolist(), (source, got, want)


@FAST
@given(EVERY, batches())
def test_exact_batch_formula_equals_scalar_bit_for_bit(source: str, batch) -> None:
    assert_same_bits(batch_results(source, batch, exact=True), scalar_results(source, batch),
                     source)


@FAST
@given(WITHOUT_NUMPY_MATHS, batches())
def test_batch_formula_without_exp_log_pow_equals_scalar_bit_for_bit(source: str, batch) -> None:
    assert_same_bits(batch_results(source, batch), scalar_results(source, batch), source)


@FAST
@given(EVERY, batches())
def test_batch_result_does_not_depend_on_the_batch(source: str, batch) -> None:
    whole = batch_results(source, batch)
    size = len(whole)
    alone = np.array([batch_results(source, {n: v[i:i + 1] for n, v in batch.items()})[0]
                      for i in range(size)])
    assert_same_bits(whole, alone, source)


@pytest.mark.parametrize("source", ["exp(x)", "log(x)", "x ** y", "sqrt(x)"])
@FAST
@given(batch=batches(("x", "y")))
def test_numpy_exp_log_pow_within_one_unit_in_the_last_place(source: str, batch) -> None:
    got, want = batch_results(source, batch), scalar_results(source, batch)
    assert np.all(np.abs(got - want) <= np.spacing(np.abs(want))), (source, got, want)


@pytest.mark.parametrize("source, x, want", [
    ("x / 0", 5.0, 0.0), ("x // 0", 5.0, 0.0), ("x % 0", 5.0, 0.0), ("x % -3", 5.0, -1.0),
    ("x // -3", 5.0, -2.0), ("x ** 100", 2.0, 1024.0), ("0 ** -x", 1.0, 0.0),
    ("x ** 0.5", -4.0, 0.0), ("exp(x) == exp(50)", 60.0, 1.0), ("log(x)", -1.0, 0.0),
    ("sqrt(x)", 0.0, 0.0), ("x * 1e9", 1e9, 1e12), ("-x * 1e9", 1e9, -1e12), ("x * 0", math.inf, 0.0),
    ("round(x, 2)", 2.675, 2.67), ("round(x)", 2.5, 2.0), ("round(x, 20)", 1.23456789012345, 1.2345678901),
    ("x and 0", 1.0, 0.0), ("x or 0", math.nan, 1.0), ("not x", -0.0, 1.0),
    ("clamp(x, 3, 1)", 2.0, 1.0), ("min(x, 1)", math.nan, 0.0), ("min(1, x)", math.nan, 1.0),
    ("1 if x else 2", math.nan, 1.0), ("1 ** x", math.nan, 0.0), ("x // 0.5", math.inf, 0.0),
    ("-1 // x", math.inf, -1.0), ("-1 % x", math.inf, 1e12), ("round(x, 9)", -38.626271459499996,
    -38.626271459), ("1 < x < 3", 2.0, 1.0), ("3 > x > 1", 0.0, 0.0),
])
def test_rules_of_docs_formulas(source: str, x: float, want: float) -> None:
    got = batch_results(source, {"x": [x]})
    assert got.tolist() == [want] == scalar_results(source, {"x": [x]}).tolist()


@st.composite
def near_halves(draw: st.DrawFn) -> tuple[float, float]:
    """(x, digits): x often a decimal half at the digits' place (where a float's exact value
    decides the rounding), digits sometimes outside [0, 10] or not whole."""
    digits = draw(st.one_of(st.integers(0, 10).map(float), st.sampled_from(EDGES)))
    places = int(digits) if 0 <= digits <= 10 else 10 if digits > 10 else 0
    base = draw(st.floats(-1e6, 1e6))
    half = round(base, places) + 5 * 10.0 ** -(places + 1)
    return draw(st.sampled_from((half, -half, base))) if math.isfinite(half) else base, digits


@FAST
@given(st.lists(near_halves(), min_size=1, max_size=8))
def test_round_with_digits_equals_python_round(pairs: list[tuple[float, float]]) -> None:
    batch = {"x": [x for x, _ in pairs], "y": [d for _, d in pairs]}
    assert_same_bits(batch_results("round(x, y)", batch), scalar_results("round(x, y)", batch),
                     "round(x, y)")


def test_per_game_and_per_seat_names_broadcast() -> None:
    formula = compile_batch("effort * (1 + skill / 100) - penalty")
    env = {"effort": np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]),
           "skill": np.array([[50.0, 0.0, 100.0], [10.0, 10.0, 10.0]]),
           "penalty": np.array([[0.5], [2.0]])}
    assert formula(env).tolist() == [[1.0, 1.5, 5.5], [-2.0, -0.8999999999999999, -2.0]]


def test_whole_numbers_and_flags_read_as_floats() -> None:
    formula = compile_batch("-flag + (flag - level) * 2 + level ** -shift + level // shift")
    given_as = {"flag": np.array([True, False, True, False]), "level": np.array([0, 1, 2, 3]),
                "shift": np.array([2, 1, 0, -2])}
    floats = {name: values.astype(np.float64) for name, values in given_as.items()}
    scalar = compile_formula(formula.source)
    assert formula(given_as).tolist() == formula(floats).tolist() == [
        scalar({name: float(values[i]) for name, values in given_as.items()}) for i in range(4)]


def formula_texts(value: Any, is_formula: bool = False) -> Iterator[str]:
    """Every formula text in a loaded scenario (or any part of one): the strings held by
    fields typed `Formula`, found by walking the models, so new formula fields count too."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            annotation = Annotated[(field.annotation, *field.metadata)] if field.metadata \
                else field.annotation
            yield from formula_texts(getattr(value, name), _mentions_formula(annotation))
    elif isinstance(value, dict):
        for item in value.values():
            yield from formula_texts(item, is_formula)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from formula_texts(item, is_formula)
    elif isinstance(value, str) and is_formula:
        yield value


def _mentions_formula(annotation: Any) -> bool:
    """Whether a field's type is `Formula` or holds formulas (e.g. `dict[Id, Formula]`)."""
    return annotation == Formula or any(_mentions_formula(a) for a in get_args(annotation))


def _uses_numpy_maths(source: str) -> bool:
    """Whether a formula calls `exp` or `log` or uses `**` (see the module's docstring)."""
    return any(isinstance(node, ast.Pow) or (isinstance(node, ast.Call) and getattr(
        node.func, "id", "") in ("exp", "log")) for node in ast.walk(formula_tree(
            compile_formula(source))))


def test_every_bundled_scenario_has_formulas_found() -> None:
    assert SCENARIOS
    for path in SCENARIOS:
        texts = list(formula_texts(load_scenario(path)))
        assert len(texts) > 5, path


def random_batch(names: tuple[str, ...], size: int, seed: int) -> dict[str, list[float]]:
    """`size` games with a value for each name: a third from EDGES, a third in [-100, 100],
    a third spread over many magnitudes."""
    rng = np.random.default_rng(seed)
    spread = rng.choice([-1.0, 1.0], size) * 10.0 ** rng.uniform(-12, 15, size)
    columns = (rng.choice(np.array(EDGES), size), rng.uniform(-100, 100, size), spread)
    return {name: np.choose(rng.integers(0, 3, size), columns).tolist() for name in names}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_formula_agrees_with_scalar(path: Path) -> None:
    for seed, source in enumerate(sorted(set(formula_texts(load_scenario(path))))):
        names = tuple(sorted(compile_formula(source).names))
        batch = random_batch((*names, "_size"), 200, seed)  # no formula reads `_size`
        got = batch_results(source, batch, exact=_uses_numpy_maths(source))
        assert_same_bits(got, scalar_results(source, batch), source)


def test_a_result_of_one_element_follows_the_rules_of_an_array_bit_for_bit() -> None:
    """`_result` of a single value (a game alone, in Python's floats) gives the bits the
    array path gives that value among others: NaN, infinities, -0.0, the limit and beyond,
    subnormals, for (1, 1), (1,) and 0-d values."""
    from game.engine.batch.formula import _result
    from game.scenario.formula import RESULT_LIMIT

    special = [math.nan, math.inf, -math.inf, 0.0, -0.0, RESULT_LIMIT, -RESULT_LIMIT,
               math.nextafter(RESULT_LIMIT, math.inf), -math.nextafter(RESULT_LIMIT, math.inf),
               5e-324, -5e-324, 1.5, -2.25, 1e300]
    many = _result(np.array(special + [7.0]))  # (more than one element: the array path)
    for n, value in enumerate(special):
        for one in (np.array([[value]]), np.array([value]), np.float64(value)):
            got = _result(one)
            assert got.shape == np.shape(one) and got.dtype == np.float64
            assert got.reshape(-1).view(np.int64)[0] == many[n:n + 1].view(np.int64)[0], value
