"""The risky arithmetic of formulas over arrays: game.scenario.formula's safe helpers, each
rewritten to act on whole numpy arrays with the same result, element by element.

numpy's ufuncs already follow Python's float rules for `//`, `%`, `min`-style comparisons and
IEEE arithmetic; what differs is written out: `round` with digits (see `round_`), Python's
`min`/`max` with NaN, `floor`/`ceil` of -0.0. The `*_exact` versions call the scalar helpers
element by element (see game.engine.batch.formula).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

from game.scenario import formula as scalar

Array = np.ndarray

_POWERS_OF_TEN = np.array([10.0 ** k for k in range(scalar.ROUND_DIGITS + 1)])
"""10 ** digits for every allowed number of digits (each exactly representable)."""
_ROUND_SURE_BELOW = 2.0 ** 40
"""Below this, `x * 10 ** digits` is within 2 ** -13 of its exact product (see `round_`)."""
_ROUND_SURE_MARGIN = 1e-3
"""How far from a half the scaled value must be for numpy's rounding to be sure."""


def divide(a: Array, b: Array) -> Array:
    """`a / b`, or 0 where b is 0."""
    return np.where(b != 0.0, np.true_divide(a, b), 0.0)


def remainder(a: Array, b: Array) -> Array:
    """`a % b`, or 0 where b is 0 (numpy's `remainder` is Python's `%` for floats: the sign
    of b, a zero signed as b)."""
    return np.where(b != 0.0, np.remainder(a, b), 0.0)


def floor_divide(a: Array, b: Array) -> Array:
    """`a // b`, or 0 where b is 0 (numpy's `floor_divide` is Python's `//` for floats,
    CPython's `_float_div_mod`, infinities and NaN included)."""
    return np.where(b != 0.0, np.floor_divide(a, b), 0.0)


def power(base: Array, exponent: Array) -> Array:
    """`base ** exponent` with the exponent clamped to [-10, 10]; 0 for 0 ** negative and
    negative ** fraction; NaN for a NaN exponent (numpy's `power`: see `power_exact`)."""
    exponent = np.minimum(np.maximum(exponent, -scalar.POW_LIMIT), scalar.POW_LIMIT)  # np.clip's
    # max then min without its Python wrappers: NaN stays NaN
    undefined = (((base < 0.0) & (exponent != np.floor(exponent)))
                 | ((base == 0.0) & (exponent < 0.0)))
    value = np.where(undefined, 0.0, np.power(base, exponent))
    return np.where(np.isnan(exponent), np.nan, value)


def exp(x: Array) -> Array:
    """`e ** x` with x clamped to at most 50 (numpy's `exp`: see `exp_exact`)."""
    return np.exp(np.minimum(x, scalar.EXP_LIMIT))


def log(x: Array) -> Array:
    """Natural log, or 0 where x <= 0 (numpy's `log`: see `log_exact`)."""
    return np.where(x > 0.0, np.log(x), 0.0)


def _elementwise(helper: Callable[..., float], arity: int) -> Callable[..., Array]:
    """A scalar helper applied to every element (broadcast), as float64."""
    ufunc = np.frompyfunc(helper, arity, 1)

    def apply(*args: Array) -> Array:
        return np.asarray(ufunc(*args), dtype=np.float64)
    apply.__doc__ = f"{helper.__doc__} (the scalar helper, element by element)"
    return apply


power_exact = _elementwise(scalar._pow, 2)
exp_exact = _elementwise(scalar._exp, 1)
log_exact = _elementwise(scalar._log, 1)


def sqrt(x: Array) -> Array:
    """Square root, or 0 where x <= 0."""
    return np.where(x > 0.0, np.sqrt(x), 0.0)


def floor(x: Array) -> Array:
    """Floor (never -0.0, as Python's `float(math.floor(x))`)."""
    return np.floor(x) + 0.0


def ceil(x: Array) -> Array:
    """Ceiling (never -0.0, as Python's `float(math.ceil(x))`)."""
    return np.ceil(x) + 0.0


def smallest(first: Array, *rest: Array) -> Array:
    """Python's `min(first, *rest)`: the first value that no later one is less than (so a NaN
    is kept only if it comes first)."""
    value = first
    for other in rest:
        value = np.where(other < value, other, value)
    return value


def largest(first: Array, *rest: Array) -> Array:
    """Python's `max(first, *rest)`: the first value that no later one is greater than."""
    value = first
    for other in rest:
        value = np.where(other > value, other, value)
    return value


def clamp(x: Array, low: Array, high: Array) -> Array:
    """x limited to [low, high]; `high` wins where low > high."""
    x = np.where(x < low, low, x)
    return np.where(x > high, high, x)


def round_(x: Array, digits: Array | float = 0.0) -> Array:
    """Python's `round(x, digits)` (half to even, of the exact binary value), the digits cut
    to a whole number in [0, 10] (0 for NaN); infinities and NaN pass through.

    numpy rounds `x * 10 ** digits` to a whole number n and divides it by `10 ** digits`;
    Python rounds the exact x and converts the decimal back. Both end with the nearest float
    to n / 10 ** digits, so they agree whenever they pick the same n: sure when the scaled
    value is below 2 ** 40 (then within 2 ** -13 of the exact product) and at least 1e-3
    from a half. The few other elements are rounded by Python itself."""
    x, digits = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(digits))
    whole = np.where((digits >= 0.0) & (digits <= scalar.ROUND_DIGITS), np.trunc(digits),
                     np.where(digits > scalar.ROUND_DIGITS, scalar.ROUND_DIGITS, 0.0))
    places = whole.astype(np.intp)
    scale = _POWERS_OF_TEN[places]
    scaled = x * scale
    value = np.array(np.rint(scaled) / scale, dtype=np.float64)
    off_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5)
    sure = (np.abs(scaled) < _ROUND_SURE_BELOW) & (off_half > _ROUND_SURE_MARGIN)
    unsure = (places > 0) & np.isfinite(x) & ~sure
    if unsure.any():
        value[unsure] = [round(float(v), int(p)) for v, p in zip(x[unsure], places[unsure])]
    return value


OPERATORS: dict[type[ast.operator], Callable[[Array, Array], Array]] = {
    ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: divide,
    ast.FloorDiv: floor_divide, ast.Mod: remainder, ast.Pow: power}
"""Each binary operator of formulas (with numpy's `power`)."""

FUNCTIONS: dict[str, Callable[..., Array]] = {
    "min": smallest, "max": largest, "clamp": clamp, "abs": np.abs, "round": round_,
    "floor": floor, "ceil": ceil, "log": log, "exp": exp, "sqrt": sqrt}
"""Each function of formulas (game.scenario.formula.FUNCTIONS), with numpy's `exp`, `log`."""

EXACT_FUNCTIONS: dict[str, Callable[..., Array]] = {"exp": exp_exact, "log": log_exact}
"""The functions whose numpy versions may differ from the scalar ones in the last place."""
