"""Tests for game.scenario.formula: results, defined arithmetic, hostile input, limits, speed."""

from __future__ import annotations

import math
import pickle
import random
import time

import pytest

from game.errors import FormulaError
from game.scenario.formula import FUNCTIONS, CompiledFormula, compile_formula

BIG = 1e12


def _short_id(value: object) -> str | None:
    """Readable, short test ids for long generated formulas."""
    if not isinstance(value, str):
        return None
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}...({len(value)} chars)"

RESULTS = [
    # arithmetic and precedence
    ("1 + 2 * 3", {}, 7.0),
    ("(1 + 2) * 3", {}, 9.0),
    ("10 - 4 - 3", {}, 3.0),
    ("2 ** 3 ** 2", {}, 512.0),
    ("-2 ** 2", {}, -4.0),
    ("(-2) ** 2", {}, 4.0),
    ("7 / 2", {}, 3.5),
    ("7 // 2", {}, 3.0),
    ("-7 // 2", {}, -4.0),
    ("7 % 3", {}, 1.0),
    ("-7 % 3", {}, 2.0),
    ("2 * -x", {"x": 3.0}, -6.0),
    ("+x - -x", {"x": 2.0}, 4.0),
    ("x / y", {"x": 1.0, "y": 4.0}, 0.25),
    ("1_000 + 0.5e1", {}, 1005.0),
    # comparisons, including chained ones
    ("x > 1", {"x": 2.0}, 1.0),
    ("x > 1", {"x": 1.0}, 0.0),
    ("x >= 1", {"x": 1.0}, 1.0),
    ("x < 1", {"x": 1.0}, 0.0),
    ("x <= 1", {"x": 1.0}, 1.0),
    ("x == 2", {"x": 2.0}, 1.0),
    ("x != 2", {"x": 2.0}, 0.0),
    ("0 < x < 1", {"x": 0.5}, 1.0),
    ("0 < x < 1", {"x": 1.0}, 0.0),
    ("0 < x < 1", {"x": -1.0}, 0.0),
    ("1 < 2 > 0 == 0", {}, 1.0),
    # and / or / not give 1 or 0
    ("x and y", {"x": 2.0, "y": 3.0}, 1.0),
    ("x and y", {"x": 2.0, "y": 0.0}, 0.0),
    ("x or y", {"x": 0.0, "y": 5.0}, 1.0),
    ("x or y", {"x": 0.0, "y": 0.0}, 0.0),
    ("x > 0 and y > 0 or z", {"x": 1.0, "y": -1.0, "z": 0.0}, 0.0),
    ("not x", {"x": 0.0}, 1.0),
    ("not x", {"x": 3.0}, 0.0),
    ("not not x", {"x": 3.0}, 1.0),
    ("not x + 1", {"x": -1.0}, 1.0),
    ("-(not x)", {"x": 0.0}, -1.0),
    # conditionals
    ("a if c else b", {"a": 1.0, "b": 2.0, "c": 1.0}, 1.0),
    ("a if c else b", {"a": 1.0, "b": 2.0, "c": 0.0}, 2.0),
    ("1 if x < 0 else 2 if x == 0 else 3", {"x": 0.0}, 2.0),
    ("1 if x < 0 else 2 if x == 0 else 3", {"x": 5.0}, 3.0),
    ("(1 if x else 2) * 10", {"x": 0.0}, 20.0),
    # booleans are 1 and 0
    ("True", {}, 1.0),
    ("False", {}, 0.0),
    ("True + True", {}, 2.0),
    ("x * (x > 0)", {"x": -3.0}, 0.0),
    ("(x > 0) + (y > 0)", {"x": 1.0, "y": 1.0}, 2.0),
    # functions
    ("min(3, 1, 2)", {}, 1.0),
    ("max(x, y)", {"x": -1.0, "y": -2.0}, -1.0),
    ("clamp(5, 0, 3)", {}, 3.0),
    ("clamp(-1, 0, 3)", {}, 0.0),
    ("clamp(2, 0, 3)", {}, 2.0),
    ("clamp(2, 3, 0)", {}, 0.0),  # low > high: high wins
    ("abs(-2.5)", {}, 2.5),
    ("abs(x > 0)", {"x": 1.0}, 1.0),
    ("round(2.567, 2)", {}, 2.57),
    ("round(2.5)", {}, 2.0),  # halves to even, like Python
    ("round(3.5)", {}, 4.0),
    ("round(-1.4)", {}, -1.0),
    ("floor(-1.5)", {}, -2.0),
    ("floor(2)", {}, 2.0),
    ("ceil(1.2)", {}, 2.0),
    ("ceil(-1.2)", {}, -1.0),
    ("log(exp(2))", {}, 2.0),
    ("exp(0)", {}, 1.0),
    ("exp(1)", {}, math.e),
    ("log(1)", {}, 0.0),
    ("sqrt(16)", {}, 4.0),
    ("sqrt(x) + max(min(x, 3), 1)", {"x": 4.0}, 5.0),
    # a typical formula, spread over lines
    ("0.6 * effort * (1 + ai_skill / 100) - 2 * (policy_x > 0)",
     {"effort": 3.0, "ai_skill": 50.0, "policy_x": 1.0}, 0.6 * 3 * 1.5 - 2),
    ("  quality\n  - 0.5 * busywork\t", {"quality": 3.0, "busywork": 2.0}, 2.0),
]


@pytest.mark.parametrize(("source", "env", "expected"), RESULTS, ids=_short_id)
def test_results(source: str, env: dict[str, float], expected: float) -> None:
    result = compile_formula(source)(env)
    assert type(result) is float
    assert result == pytest.approx(expected, rel=1e-12, abs=1e-12)


DEFINED = [
    # division and modulo by zero
    ("1 / 0", {}, 0.0),
    ("x / y", {"x": 5.0, "y": 0.0}, 0.0),
    ("x / (y - y)", {"x": 5.0, "y": 3.0}, 0.0),
    ("x // 0", {"x": 5.0}, 0.0),
    ("x % 0", {"x": 5.0}, 0.0),
    ("x % y", {"x": 5.0, "y": 0.0}, 0.0),
    ("(x > 0) / (x < 0)", {"x": 1.0}, 0.0),
    # pow
    ("0 ** -1", {}, 0.0),
    ("x ** y", {"x": 0.0, "y": -2.0}, 0.0),
    ("0 ** 0", {}, 1.0),
    ("(-8) ** (1 / 3)", {}, 0.0),
    ("x ** 0.5", {"x": -4.0}, 0.0),
    ("(-2) ** 3", {}, -8.0),
    ("(-2) ** 2.0", {}, 4.0),
    ("2 ** 100", {}, 1024.0),
    ("2 ** -100", {}, 2.0 ** -10),
    ("9 ** 9 ** 9", {}, 9.0 ** 10),  # accepted: exponent clamped to 10, instant and finite
    ("10 ** 100", {}, 1e10),
    ("1e-40 ** -10", {}, BIG),
    ("(-1e-40) ** -9", {}, -BIG),
    ("(-(exp(50) ** 10)) ** 9", {}, -BIG),
    # exp, log, sqrt, round
    ("exp(1000) / exp(50)", {}, 1.0),
    ("exp(1000) - exp(50)", {}, 0.0),
    ("exp(1000)", {}, BIG),
    ("exp(-1000)", {}, 0.0),
    ("exp(50) ** 10", {}, BIG),
    ("(exp(50) ** 10) ** 10", {}, BIG),
    ("-((exp(50) ** 10) ** 10)", {}, -BIG),
    ("log(0)", {}, 0.0),
    ("log(-5)", {}, 0.0),
    ("sqrt(-4)", {}, 0.0),
    ("sqrt(0)", {}, 0.0),
    ("round(1.23456789123456, 99)", {}, round(1.23456789123456, 10)),
    ("round(1.5, -3)", {}, 2.0),
    ("round(x, y)", {"x": 1.26, "y": 1.0}, 1.3),
    # huge intermediates end finite; inf - inf (NaN) becomes 0
    ("*".join(["1e9"] * 38), {}, BIG),
    ("max(" + ", ".join(["1e9 * 1e9"] * 100) + ") ** 10", {}, BIG),
    ("-1e9 * 1e9 * 1e9", {}, -BIG),
    ("(exp(50) ** 10) ** 10 - (exp(50) ** 10) ** 10", {}, 0.0),
    ("floor((exp(50) ** 10) ** 10)", {}, BIG),
    ("ceil(-(exp(50) ** 10) ** 10)", {}, -BIG),
    ("round((exp(50) ** 10) ** 10, 2)", {}, BIG),
    ("round((exp(50) ** 10) ** 10 * 0)", {}, 0.0),
    ("log((exp(50) ** 10) ** 10)", {}, BIG),
    ("sqrt((exp(50) ** 10) ** 10)", {}, BIG),
    ("exp((exp(50) ** 10) ** 10 * 0)", {}, 0.0),
    ("clamp((exp(50) ** 10) ** 10 * 0, 1, 2)", {}, 0.0),
    ("((exp(50) ** 10) ** 10) // 3 % 7", {}, 0.0),
    ("x", {"x": math.nan}, 0.0),
    ("x", {"x": math.inf}, BIG),
    ("x * 2", {"x": -math.inf}, -BIG),
    ("1e9 * 1e9 / (1e9 * 1e9)", {}, 1.0),
]


@pytest.mark.parametrize(("source", "env", "expected"), DEFINED, ids=_short_id)
def test_defined_results(source: str, env: dict[str, float], expected: float) -> None:
    start = time.perf_counter()
    result = compile_formula(source)(env)
    assert time.perf_counter() - start < 0.5
    assert type(result) is float and math.isfinite(result)
    assert result == pytest.approx(expected, rel=1e-12, abs=1e-12)


HOSTILE = [
    ("__import__('os').system('x')", r"only the functions .* can be called"),
    ("__import__('os')", r"function '__import__' is not allowed"),
    ("().__class__.__bases__", r"attribute access"),
    ("x.y", r"attribute access"),
    ("x[0]", r"indexing"),
    ("open('f')", r"function 'open' is not allowed"),
    ("eval('1')", r"function 'eval' is not allowed"),
    ("lambda: 1", r"lambda"),
    ("(lambda: 1)()", r"lambda"),
    ("[x for x in y]", r"comprehension"),
    ("{x: 1 for x in y}", r"comprehension"),
    ("sum(x for x in y)", r"function 'sum'"),
    ("'a' * 10 ** 9", r"strings"),
    ("b'a'", r"strings"),
    ("(" * 1000 + "1" + ")" * 999, r"nested brackets"),
    ("(" * 41 + "1" + ")" * 41, r"nested brackets"),
    ("-" * 5000 + "1", r"characters long; the limit is 2000"),
    ("-" * 1999 + "1", r"nested more than 40 levels"),
    ("not " * 499 + "1", r"nested more than 40 levels"),
    ("1+" * 10000 + "1", r"characters long; the limit is 2000"),
    ("1+" * 999 + "1", r"nested more than 40 levels"),
    ("1" + "0" * 100, r"more than 12 digits"),
    ("1" * 100_000, r"characters long"),
    ("x * " + "9" * 1990, r"more than 12 digits"),
    ("1234567890123.5", r"more than 12 digits"),
    ("1e10", r"too large"),
    ("-1e300", r"too large"),
    ("0x7fffffffffff", r"too large"),
    ("1e999", r"too large"),
    ("1j", r"complex"),
    ("f'{x}'", r"f-string"),
    ("x:=1", r"syntax error"),
    ("(x:=1)", r"assignment"),
    ("{}", r"dict"),
    ("{1}", r"set"),
    ("[1, 2]", r"list"),
    ("(1, 2)", r"tuple"),
    ("()", r"tuple"),
    ("*x", r"syntax error"),
    ("min(*x)", r"unpacking"),
    ("_secret", r"names starting with '_'"),
    ("__builtins__", r"names starting with '_'"),
    ("min()", r"min\(\) takes at least 2 arguments, got 0"),
    ("max(1)", r"max\(\) takes at least 2 arguments, got 1"),
    ("clamp(1,2)", r"clamp\(\) takes exactly 3 arguments"),
    ("round(x, y, z)", r"round\(\) takes 1 or 2 arguments"),
    ("sqrt(1, 2)", r"sqrt\(\) takes exactly 1 argument,"),
    ("min(x, y, key=z)", r"keyword"),
    ("getattr(x,'y')", r"function 'getattr' is not allowed"),
    ("import os", r"syntax error"),
    ("x; y", r"syntax error"),
    ("x = 1", r"syntax error"),
    ("x if y", r"syntax error"),
    ("1 +", r"syntax error"),
    ("f\u043e\u043ed", r"U\+043E"),  # Cyrillic o, looks like "food"
    ("\U0001d41e\U0001d431\U0001d429(1)", r"U\+1D41E"),  # bold "exp", NFKC-equal to exp
    ("\uff58", r"U\+FF58"),  # fullwidth x
    ("x\x00", r"U\+0000"),
    ("x\x0b + 1", r"U\+000B"),
    ("", r"empty formula"),
    ("  \n\t", r"empty formula"),
    ("x # y", r"comments"),
    ("x & y", r"operator '&'"),
    ("x << 2", r"operator '<<'"),
    ("~x", r"operator '~'"),
    ("x in y", r"operator 'in'"),
    ("x is y", r"operator 'is'"),
    ("x @ y", r"operator '@'"),
    ("None", r"None is not allowed"),
    ("...", r"\.\.\. is not allowed"),
    ("log", r"'log' is a function"),
    ("x(1)", r"function 'x' is not allowed"),
    ("min(1, 2)(3)", r"only the functions"),
    ("await x", r"syntax error|await"),
    ("(yield)", r"syntax error|yield"),
    ("x[1:2]", r"indexing"),
    ("`x`", r"syntax error"),
    ("\\", r"syntax error"),
    ("1if x else 2", r"syntax error: invalid decimal literal"),
    ("x and 1or y", r"syntax error"),
]


@pytest.mark.parametrize(("source", "reason"), HOSTILE, ids=_short_id)
def test_hostile_input_is_rejected_fast(source: str, reason: str) -> None:
    start = time.perf_counter()
    with pytest.raises(FormulaError, match=reason) as info:
        compile_formula(source, allowed={"x", "y", "z", "food"})
    assert time.perf_counter() - start < 1.0
    assert "\n" not in info.value.message


def test_non_text_is_rejected() -> None:
    with pytest.raises(FormulaError, match="must be text"):
        compile_formula(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(("source", "col"), [
    ("x + foo", 5), ("  x + foo", 7), ("x +\n foo", 6), ("x.y", 1), ("1 + )", 5),
    ("min(1)", 1), ("x + 1e10", 5), ("x + \u00e9", 5), ("1 + 1234567890123", 5),
    ("(" * 41 + "1", 41), ("", None),
])
def test_error_columns(source: str, col: int | None) -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula(source, allowed={"x"})
    assert info.value.col == col


def test_unknown_name_with_suggestion() -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula("fod * 2", allowed=["food", "wood_stock", "x"])
    assert info.value.message == "unknown name 'fod'; did you mean 'food'?"
    assert info.value.col == 1
    assert str(info.value) == "1: unknown name 'fod'; did you mean 'food'?"


def test_unknown_name_without_suggestion() -> None:
    with pytest.raises(FormulaError) as info:
        compile_formula("1 + zzz", allowed=["food"])
    assert info.value.message == "unknown name 'zzz'"
    assert info.value.col == 5


def test_unknown_function_suggestion() -> None:
    with pytest.raises(FormulaError, match="did you mean 'sqrt'"):
        compile_formula("sqr(x)")


def test_function_names_and_allowed() -> None:
    assert FUNCTIONS == frozenset(
        {"min", "max", "clamp", "abs", "round", "floor", "ceil", "log", "exp", "sqrt"})
    assert compile_formula("anything_goes * 2", allowed=None)({"anything_goes": 2.0}) == 4.0
    assert compile_formula("x", allowed=iter(["x"])).names == {"x"}


@pytest.mark.parametrize(("source", "names", "constant"), [
    ("1 + 2", frozenset(), 3.0),
    ("min(4, 2) * 2 if True else 0", frozenset(), 4.0),
    ("1 / 0", frozenset(), 0.0),
    ("a + b * max(a, c) + log(d)", frozenset({"a", "b", "c", "d"}), None),
    ("x if x > 0 else 0", frozenset({"x"}), None),
    ("x * 0", frozenset({"x"}), None),
])
def test_names_and_constant(source: str, names: frozenset[str],
                            constant: float | None) -> None:
    formula = compile_formula(source)
    assert formula.source == source
    assert formula.names == names
    assert formula.constant == constant
    if constant is not None:
        assert formula({}) == constant
        assert formula() == constant
        assert formula({"unrelated": 1.0}) == constant


def test_missing_name_at_evaluation_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        compile_formula("x + 1")({})


def test_repr_and_pickle() -> None:
    formula = compile_formula("x * 2")
    assert repr(formula) == "CompiledFormula('x * 2')"
    again = pickle.loads(pickle.dumps(formula))
    assert isinstance(again, CompiledFormula)
    assert again({"x": 4.0}) == 8.0 and again.names == formula.names


def _parts(count: int) -> str:
    """A shallow formula of exactly `count` parts (expression nodes), count >= 10."""
    # max(...) is 2 parts; each "x * 7" argument is 3; "+ 1" adds 2.
    args, rest = divmod(count - 2, 3)
    if rest % 2:
        args, rest = args - 1, rest + 3
    return "max(" + ", ".join(["x * 7"] * args) + ")" + " + 1" * (rest // 2)


def test_node_limit() -> None:
    source = _parts(400)
    formula = compile_formula(source, allowed={"x"})
    assert formula({"x": 2.0}) == 14.0 + source.count("+ 1")
    with pytest.raises(FormulaError, match="more than 400 parts"):
        compile_formula(_parts(401))


def test_depth_limit() -> None:
    assert compile_formula("-" * 39 + "x")({"x": 1.0}) == -1.0
    with pytest.raises(FormulaError, match="40 levels"):
        compile_formula("-" * 40 + "x")
    assert compile_formula("(" * 40 + "1" + ")" * 40).constant == 1.0


def test_length_limit() -> None:
    assert compile_formula("x" + " " * 1999).names == {"x"}
    with pytest.raises(FormulaError, match="2001 characters"):
        compile_formula("x" + " " * 2000)


def test_literal_limit() -> None:
    assert compile_formula("1e9 + 1_000_000_000").constant == 2e9
    assert compile_formula("x * 0.00000000000000001").names == {"x"}
    assert compile_formula("-1e9").constant == -1e9


_OPS = ["+", "-", "*", "/", "//", "%", "**", "<", "<=", "==", "!=", "and", "or"]
_ATOMS = ["0", "1", "-1", "0.5", "1e9", "1e-9", "x", "y", "z", "True"]


def _random_formula(rng: random.Random, depth: int) -> str:
    """A random formula from the whole grammar, up to `depth` levels."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(_ATOMS)
    kind = rng.randrange(4)
    sub = [_random_formula(rng, depth - 1) for _ in range(3)]
    if kind == 0:
        return f"({sub[0]} {rng.choice(_OPS)} {sub[1]})"
    if kind == 1:
        return f"({rng.choice(['-', '+', 'not '])}{sub[0]})"
    if kind == 2:
        return f"({sub[0]} if {sub[1]} else {sub[2]})"
    name = rng.choice(sorted(FUNCTIONS))
    count = {"min": 3, "max": 2, "clamp": 3, "round": rng.choice([1, 2])}.get(name, 1)
    return f"{name}({', '.join(sub[:count])})"


def test_random_formulas_are_always_finite() -> None:
    rng = random.Random(20240601)
    envs = [{"x": 0.0, "y": -0.0, "z": 1e9}, {"x": -1e9, "y": 1e-9, "z": -2.5},
            {"x": math.inf, "y": math.nan, "z": -math.inf}]
    for _ in range(1500):
        formula = compile_formula(_random_formula(rng, 5), allowed={"x", "y", "z"})
        for env in envs:
            result = formula(env)
            assert type(result) is float and math.isfinite(result), formula
            assert -BIG <= result <= BIG
