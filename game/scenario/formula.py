"""A small, safe expression language for scenario formulas (see docs/rules.md, "Formulas").

Scenario files are untrusted, so a formula is parsed with `ast.parse`, every node is checked
against a whitelist, and the checked tree is rewritten into a Python function that reads
variables only as `_e["name"]` and does risky arithmetic through the helpers below. The
function is compiled once; evaluating it costs about one Python call (~0.3 us for a typical
formula). A name missing from the env at evaluation raises KeyError (a caller bug). The
engine may also embed a checked formula in code it generates (`inline`, `define`): the same
checks and rewriting, with each name read as the engine says; never from source text.

Decisions (beyond docs/rules.md):
- `min` and `max` take 2 or more arguments; `round` rounds halves to even, like Python.
- `clamp(x, low, high)` returns `high` when `low > high`.
- `**` with a huge result (e.g. `9**9**9`) is not rejected: the exponent is clamped to
  [-10, 10], so it evaluates at once to a finite value (9 ** 10).
- Tabs and newlines count as spaces, so a formula may span lines; `col` counts characters
  from 1 across the whole text.
- Only printable ASCII is accepted (no look-alike Unicode names), and no `#` comments.
- A number literal may have at most 12 digits before the point and be at most 1e9 in size.
- Names that are function names (`min`, `log`, ...) cannot be read as variables.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
import warnings
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from game.errors import FormulaError

__all__ = ["FUNCTIONS", "CompiledFormula", "compile_formula", "define", "inline"]

FUNCTIONS: frozenset[str] = frozenset(
    {"min", "max", "clamp", "abs", "round", "floor", "ceil", "log", "exp", "sqrt"})

NEIGHBOURS: frozenset[str] = frozenset({"upstream", "downstream"})
"""The prefixes of dotted names: `upstream.x` is one name, a neighbour's value of `x`."""

MAX_LENGTH = 2000
MAX_NESTING = 40
MAX_DEPTH = 40
MAX_NODES = 400
MAX_LITERAL = 1e9
MAX_INT_DIGITS = 12
RESULT_LIMIT = 1e12
POW_LIMIT = 10.0
EXP_LIMIT = 50.0
ROUND_DIGITS = 10

_ENV = "_e"
_INF = math.inf
_NAN = math.nan
_EMPTY: Mapping[str, float] = MappingProxyType({})
# (fewest, most) positional arguments; None = no upper bound.
_ARITY: dict[str, tuple[int, int | None]] = {
    "min": (2, None), "max": (2, None), "clamp": (3, 3), "round": (1, 2),
    "abs": (1, 1), "floor": (1, 1), "ceil": (1, 1), "log": (1, 1), "exp": (1, 1),
    "sqrt": (1, 1)}
_LONG_INT = re.compile(r"(?<![\w.])\d[\d_]{%d,}" % MAX_INT_DIGITS)
_WHITESPACE = str.maketrans("\t\n\r", "   ")


# --- Safe arithmetic helpers (called by compiled formulas; never raise on numbers) ---

def _div(a: float, b: float) -> float:
    """`a / b`, or 0 when b is 0."""
    return a / b if b else 0.0


def _floordiv(a: float, b: float) -> float:
    """`a // b`, or 0 when b is 0."""
    return a // b if b else 0.0


def _mod(a: float, b: float) -> float:
    """`a % b`, or 0 when b is 0."""
    return a % b if b else 0.0


def _pow(a: float, b: float) -> float:
    """`a ** b` with b clamped to [-10, 10]; 0 for 0 ** negative and negative ** fraction."""
    a = float(a)
    b = POW_LIMIT if b > POW_LIMIT else -POW_LIMIT if b < -POW_LIMIT else float(b)
    if b != b:
        return _NAN
    if a < 0 and b != int(b):
        return 0.0
    if a == 0 and b < 0:
        return 0.0
    try:
        return a ** b
    except OverflowError:  # huge |a| (or tiny |a| with b < 0); b is an integer if a < 0
        return -_INF if a < 0 and int(b) % 2 else _INF


def _exp(x: float) -> float:
    """`e ** x` with x clamped to at most 50."""
    return math.exp(EXP_LIMIT if x > EXP_LIMIT else x)


def _log(x: float) -> float:
    """Natural log, or 0 when x <= 0."""
    return math.log(x) if x > 0 else 0.0


def _sqrt(x: float) -> float:
    """Square root, or 0 when x <= 0."""
    return math.sqrt(x) if x > 0 else 0.0


def _floor(x: float) -> float:
    """Floor; infinities and NaN pass through."""
    return float(math.floor(x)) if math.isfinite(x) else float(x)


def _ceil(x: float) -> float:
    """Ceiling; infinities and NaN pass through."""
    return float(math.ceil(x)) if math.isfinite(x) else float(x)


def _round(x: float, n: float = 0.0) -> float:
    """Python's round, with the digits clamped to [0, 10]; infinities and NaN pass through."""
    if not math.isfinite(x):
        return float(x)
    digits = int(n) if 0 <= n <= ROUND_DIGITS else (ROUND_DIGITS if n > ROUND_DIGITS else 0)
    return float(round(float(x), digits))


def _clamp(x: float, low: float, high: float) -> float:
    """x limited to [low, high]; `high` wins when low > high."""
    x = low if x < low else x
    return high if x > high else x


_HELPERS: dict[str, Any] = {
    "_div": _div, "_floordiv": _floordiv, "_mod": _mod, "_pow": _pow,
    "_f_min": min, "_f_max": max, "_f_abs": abs, "_f_clamp": _clamp, "_f_round": _round,
    "_f_floor": _floor, "_f_ceil": _ceil, "_f_log": _log, "_f_exp": _exp, "_f_sqrt": _sqrt,
}
_BINOP_HELPERS: dict[type[ast.operator], str] = {
    ast.Div: "_div", ast.FloorDiv: "_floordiv", ast.Mod: "_mod", ast.Pow: "_pow"}

# The compiled function: `__EXPR__` is replaced by the rewritten formula with its result rules
# applied (`_result`).
_TEMPLATE = f"""
def _formula({_ENV}):
    return __EXPR__
"""

# What each rejected node type is called in error messages.
_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access ('x.name')", ast.Subscript: "indexing ('x[...]')",
    ast.Slice: "a slice ('a:b')", ast.Lambda: "a lambda function",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.GeneratorExp: "a generator expression",
    ast.NamedExpr: "assignment (':=')", ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string", ast.Starred: "'*' unpacking",
    ast.Dict: "a dict literal ('{...}')", ast.Set: "a set literal ('{...}')",
    ast.List: "a list ('[...]')", ast.Tuple: "a tuple ('a, b' or '()')",
    ast.Await: "'await'", ast.Yield: "'yield'", ast.YieldFrom: "'yield'",
}
_OP_SYMBOLS: dict[type[ast.AST], str] = {
    ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^",
    ast.BitAnd: "&", ast.Invert: "~", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
    ast.NotIn: "not in"}
_NOT_COUNTED = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


class CompiledFormula:
    """A checked, compiled formula; call it with a mapping of names to numbers.

    `fn` is the compiled function itself: `f.fn(env) == f(env)`, without the cost of
    `__call__` (for the engine's hot loops). `constant` is the value of a formula that reads
    no names (None otherwise); `fn` returns it too."""

    __slots__ = ("source", "names", "constant", "fn")

    def __init__(self, source: str, names: frozenset[str], constant: float | None,
                 fn: Callable[[Mapping[str, float]], float]) -> None:
        self.source = source
        self.names = names
        self.constant = constant
        self.fn = fn

    def __call__(self, env: Mapping[str, float] = _EMPTY) -> float:
        """The formula's value for `env` (a finite float; KeyError if a name is missing)."""
        return self.fn(env)

    def __repr__(self) -> str:
        """`CompiledFormula('source')`."""
        return f"CompiledFormula({self.source!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickle as the source text; it is compiled again when unpickled."""
        return (compile_formula, (self.source,))


def compile_formula(source: str, allowed: Collection[str] | None = None) -> CompiledFormula:
    """Parse, check and compile a formula once; raise FormulaError for anything not allowed."""
    text, lead = _precheck(source)
    tree = _parse(text, lead)
    _check_size(tree, lead)
    rewriter = _Rewriter(text, lead, None if allowed is None else frozenset(allowed))
    body = _result(rewriter.visit(tree.body))
    fn = _build(body)
    names = frozenset(rewriter.names)
    if names:
        return CompiledFormula(source, names, None, fn)
    value = fn(_EMPTY)
    return CompiledFormula(source, names, value, lambda _env, _value=value: _value)


def inline(formula: CompiledFormula, read: Callable[[str], ast.expr]) -> ast.expr:
    """A compiled formula as one expression for code generated from checked formulas (see
    `define`; the lint's zero-division check, game.scenario.zero_division), checked again as `compile_formula` checks it, and reading only the names it
    read then: it reads each name as the node `read(name)` returns and gives what the
    compiled formula returns. `read` decides where names come from: a constant's value, or
    one of the generated function's own variables."""
    text, lead = _precheck(formula.source)
    tree = _parse(text, lead)
    _check_size(tree, lead)
    rewriter = _Rewriter(text, lead, formula.names, read)
    return _result(rewriter.visit(tree.body))


def formula_tree(formula: CompiledFormula) -> ast.expr:
    """The parse tree of a compiled formula's own text (before any rewriting), for code that
    reads a formula's shape, such as the bots' forecast of chance; `ast.unparse` of any of
    its nodes is a formula that `compile_formula` accepts."""
    text, lead = _precheck(formula.source)
    return _parse(text, lead).body


def define(module: ast.Module, name: str, names: Mapping[str, Any]) -> Callable[..., Any]:
    """The function `name` defined by generated code that embeds `inline` formulas. It runs
    with the formulas' helpers and `names` as its globals and no builtins, as formulas do."""
    ast.fix_missing_locations(module)
    namespace: dict[str, Any] = {"__builtins__": {}, **_HELPERS, **names}
    exec(compile(module, "<formulas>", "exec"), namespace)  # noqa: S102 - checked ASTs only
    return namespace[name]


def _result(body: ast.expr) -> ast.expr:
    """`body` with the result rules of every formula: NaN becomes 0, a result beyond
    RESULT_LIMIT the limit, and any other result a float (`+ 0.0`, which also turns -0.0 into
    0.0). One expression, so that generated code can embed it anywhere."""
    limit = repr(RESULT_LIMIT)
    rules = ast.parse(f"0.0 if (_v := _x) != _v else {limit} if _v > {limit} "
                      f"else -{limit} if _v < -{limit} else _v + 0.0", mode="eval").body
    rules.test.left.value = body  # type: ignore[attr-defined]  # replaces _x
    return rules


def _fail(message: str, col: int | None = None) -> NoReturn:
    """Raise a FormulaError."""
    raise FormulaError(message, col=col)


def _precheck(source: str) -> tuple[str, int]:
    """Check the raw text before parsing; return it with whitespace flattened, and its indent."""
    if not isinstance(source, str):
        _fail(f"a formula must be text, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        _fail(f"formula is {len(source)} characters long; the limit is {MAX_LENGTH}",
              MAX_LENGTH + 1)
    text = source.translate(_WHITESPACE)
    if not text.strip():
        _fail("empty formula")
    depth = 0
    for i, ch in enumerate(text):
        if not " " <= ch <= "~":
            _fail(f"character {ch!r} (U+{ord(ch):04X}) is not allowed; "
                  "formulas use plain ASCII letters, digits and operators", i + 1)
        if ch == "#":
            _fail("comments ('#') are not allowed in formulas", i + 1)
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                _fail(f"too many nested brackets (more than {MAX_NESTING})", i + 1)
        elif ch in ")]}":
            depth -= 1
    for match in _LONG_INT.finditer(text):
        if len(match.group().replace("_", "")) > MAX_INT_DIGITS:
            _fail(f"number {_short(match.group())} has more than {MAX_INT_DIGITS} digits; "
                  "numbers are limited to 1e9", match.start() + 1)
    lead = len(text) - len(text.lstrip(" "))
    return text[lead:], lead


def _parse(text: str, lead: int) -> ast.Expression:
    """`ast.parse` in eval mode, with every parser failure turned into a FormulaError."""
    try:
        with warnings.catch_warnings():  # e.g. "1if x else 2" warns; make it a syntax error
            warnings.simplefilter("error")
            return ast.parse(text, mode="eval")
    except SyntaxError as exc:
        col = None if exc.offset is None or exc.lineno != 1 else exc.offset + lead
        _fail(f"syntax error: {exc.msg}", col)
    except (RecursionError, MemoryError):
        _fail("formula is too deeply nested to parse")
    except (ValueError, Warning) as exc:
        _fail(f"formula cannot be parsed: {exc}")


def _check_size(tree: ast.Expression, lead: int) -> None:
    """Reject trees deeper than MAX_DEPTH or larger than MAX_NODES (iteratively, no recursion)."""
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if isinstance(node, _NOT_COUNTED):
            continue
        count += 1
        if count > MAX_NODES:
            _fail(f"formula has more than {MAX_NODES} parts; split it into constants "
                  "or simplify it", _col(node, lead))
        if depth > MAX_DEPTH:
            _fail(f"formula is nested more than {MAX_DEPTH} levels deep (each operator, call "
                  "or condition inside another counts as a level)", _col(node, lead))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _col(node: ast.AST, lead: int) -> int | None:
    """The 1-based column of a node in the original text, if known."""
    offset = getattr(node, "col_offset", None)
    if offset is None or getattr(node, "lineno", 1) != 1:
        return None
    return offset + lead + 1


def excerpt(source: str, limit: int = 60, col: int | None = None) -> str:
    """A formula for a message, on one line and at most `limit` characters: a longer one is
    cut with an ellipsis, keeping the part around column `col` (counted from 1 in `source`,
    as a FormulaError's `col` is) when given, else its start."""
    flat = " ".join(source.split())
    if col is None or len(flat) <= limit:
        return _short(flat, limit)
    at = len(" ".join((source[:max(col - 1, 0)] + "x").split())) - 1  # col in `flat`
    if at < limit - 10:
        return _short(flat, limit)
    if at > len(flat) - (limit - 10):
        return "..." + flat[len(flat) - (limit - 3):]
    width = limit - 6
    begin = at - width // 2
    return "..." + flat[begin:begin + width] + "..."


def _short(text: str, limit: int = 24) -> str:
    """Text cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _build(body: ast.expr) -> Callable[[Mapping[str, float]], float]:
    """Put the rewritten expression into the function template, compile it and return it."""
    module = ast.parse(_TEMPLATE)
    module.body[0].body[0].value = body  # type: ignore[attr-defined]
    return define(module, "_formula", {})


class _Rewriter:
    """Checks each node against the whitelist and returns the rewritten, safe node."""

    def __init__(self, text: str, lead: int, allowed: frozenset[str] | None,
                 read: Callable[[str], ast.expr] | None = None) -> None:
        self.text = text  # the flattened text that was parsed
        self.lead = lead
        self.allowed = allowed
        self.read = read or _read_env
        self.names: set[str] = set()

    def fail(self, message: str, node: ast.AST) -> NoReturn:
        """Raise a FormulaError pointing at `node`."""
        _fail(message, _col(node, self.lead))

    def visit(self, node: ast.AST) -> ast.expr:
        """Dispatch on the node type; anything without a visitor is rejected."""
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            what = _FORBIDDEN.get(type(node), f"'{type(node).__name__}'")
            self.fail(f"{what} is not allowed in formulas", node)
        return method(node)

    def segment(self, node: ast.AST) -> str:
        """The source text of a node, shortened."""
        text = ast.get_source_segment(self.text, node) or "?"
        return _short(text)

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        """Numbers become floats; True/False become 1.0/0.0; anything else is rejected."""
        value = node.value
        if isinstance(value, bool):
            return ast.Constant(1.0 if value else 0.0)
        if isinstance(value, (str, bytes)):
            self.fail("text (strings) is not allowed in formulas", node)
        if isinstance(value, complex):
            self.fail(f"complex number {self.segment(node)} is not allowed", node)
        if not isinstance(value, (int, float)):
            self.fail(f"{self.segment(node)} is not allowed in formulas", node)
        if not abs(value) <= MAX_LITERAL:
            self.fail(f"number {self.segment(node)} is too large; number literals are "
                      "limited to 1e9", node)
        return ast.Constant(float(value))

    def visit_Name(self, node: ast.Name) -> ast.expr:
        """A variable: checked against `allowed` and read as `read` says (`_e["name"]`)."""
        name = node.id
        if name.startswith("_"):
            self.fail(f"names starting with '_' are not allowed: '{name}'", node)
        if name in FUNCTIONS:
            self.fail(f"'{name}' is a function; call it, e.g. {name}(...)", node)
        if self.allowed is not None and name not in self.allowed:
            self.fail(f"unknown name '{name}'{_suggest(name, self.allowed)}", node)
        self.names.add(name)
        return self.read(name)

    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        """A dotted name, `upstream.x` or `downstream.x`, read as the one name it spells;
        any other attribute access is refused."""
        base = node.value
        if not (isinstance(base, ast.Name) and base.id in NEIGHBOURS) \
                or node.attr.startswith("_"):
            self.fail(f"{_FORBIDDEN[ast.Attribute]} is not allowed in formulas (only "
                      "`upstream.x` and `downstream.x`)", node)
        return self.visit_Name(ast.copy_location(ast.Name(f"{base.id}.{node.attr}",
                                                          ast.Load()), node))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        """`+x`, `-x` and `not x`."""
        if not isinstance(node.op, (ast.UAdd, ast.USub, ast.Not)):
            self.fail(f"operator '{_OP_SYMBOLS.get(type(node.op), '?')}' is not allowed", node)
        return ast.UnaryOp(node.op, self.visit(node.operand))

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        """`+ - *` stay as they are; `/ // % **` go through the safe helpers."""
        op = node.op
        if not isinstance(op, (ast.Add, ast.Sub, ast.Mult, *_BINOP_HELPERS)):
            self.fail(f"operator '{_OP_SYMBOLS.get(type(op), '?')}' is not allowed", node)
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(op, (ast.Add, ast.Sub, ast.Mult)):
            return ast.BinOp(left, op, right)
        if isinstance(op, ast.Div) and isinstance(right, ast.Constant) and right.value:
            return ast.BinOp(left, op, right)  # dividing by a nonzero number is safe
        return _call(_BINOP_HELPERS[type(op)], [left, right])

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.expr:
        """`and` / `or`, short-circuiting, giving 1.0 or 0.0."""
        values = [self.visit(value) for value in node.values]
        return ast.IfExp(ast.BoolOp(node.op, values), ast.Constant(1.0), ast.Constant(0.0))

    def visit_Compare(self, node: ast.Compare) -> ast.expr:
        """`< <= > >= == !=`, chained as in Python."""
        for op in node.ops:
            if not isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)):
                self.fail(f"operator '{_OP_SYMBOLS.get(type(op), '?')}' is not allowed", node)
        return ast.Compare(self.visit(node.left), node.ops,
                           [self.visit(c) for c in node.comparators])

    def visit_IfExp(self, node: ast.IfExp) -> ast.expr:
        """`a if condition else b`."""
        return ast.IfExp(self.visit(node.test), self.visit(node.body), self.visit(node.orelse))

    def visit_Call(self, node: ast.Call) -> ast.expr:
        """A call of an allowed function by plain name, with the right number of arguments."""
        func = node.func
        if not isinstance(func, ast.Name):
            what = _FORBIDDEN.get(type(func), self.segment(func))
            self.fail(f"only the functions {_function_list()} can be called, by plain name; "
                      f"this calls {what}", node)
        name = func.id
        if name not in FUNCTIONS:
            hint = _suggest(name, FUNCTIONS)
            self.fail(f"function '{_short(name)}' is not allowed{hint}; "
                      f"the functions are {_function_list()}", node)
        if node.keywords:
            self.fail(f"{name}() takes no keyword arguments", node)
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            self.fail("'*' unpacking is not allowed in formulas", node)
        _check_arity(name, len(node.args), node, self)
        return _call("_f_" + name, [self.visit(arg) for arg in node.args])


def _check_arity(name: str, count: int, node: ast.AST, rewriter: _Rewriter) -> None:
    """Reject a call with the wrong number of arguments."""
    low, high = _ARITY[name]
    if low <= count and (high is None or count <= high):
        return
    if high is None:
        wanted = f"at least {low} arguments"
    elif low == high:
        wanted = f"exactly {low} argument{'s' if low > 1 else ''}"
    else:
        wanted = f"{low} or {high} arguments"
    usage = {"clamp": " (x, low, high)", "round": " (x or x, digits)"}.get(name, "")
    rewriter.fail(f"{name}() takes {wanted}{usage}, got {count}", node)


def _read_env(name: str) -> ast.expr:
    """How a compiled formula reads a name: `_e["name"]`."""
    return ast.Subscript(ast.Name(_ENV, ast.Load()), ast.Constant(name), ast.Load())


def _call(helper: str, args: list[ast.expr]) -> ast.expr:
    """A call of one of the module's helpers."""
    return ast.Call(ast.Name(helper, ast.Load()), args, [])


def _function_list() -> str:
    """The allowed function names, for messages."""
    return ", ".join(sorted(FUNCTIONS))


def _suggest(name: str, candidates: Collection[str]) -> str:
    """`; did you mean 'x'?` for the closest candidate, or nothing."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
