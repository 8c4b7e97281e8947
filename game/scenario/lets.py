"""Named values: a scenario's `let:` block (docs/rules.md, *Named values*).

A let names a formula, e.g. `per_head: output / max(seats, 1)`. Lets are read in file order,
and each may read the lets above it. A formula that reads a let reads its formula, written
out in its place (`expand`), worked out from the values of the moment wherever it is read;
so the engine, the bots and the views never see a let name, and a scenario without lets
compiles exactly as before. A let may be read by every formula that may read every name
its own formula reads in the end: a let over metrics anywhere, a let over a seat's stats
only in that seat's formulas (a *seat let*).

`compile_lets` checks the block and `in_force` makes it the one that `readable` and
`expand` use while `game.scenario.rules` compiles the scenario's formulas.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from game.errors import FormulaError
from game.scenario.compiled import Loc, RuleError
from game.scenario.formula import CompiledFormula, compile_formula, excerpt, formula_tree

__all__ = ["Let", "LetTable", "compile_lets", "expand", "expand_text", "in_force", "readable",
           "unreadable"]


@dataclass(frozen=True)
class Let:
    """One checked let: its name, its formula as written, and the formula with every let it
    reads written out (`formula.names` are then the scenario's own names)."""

    name: str
    source: str
    formula: CompiledFormula


LetTable = Mapping[str, Let]
"""The checked lets by name, in file order."""

_ACTIVE: ContextVar[LetTable | None] = ContextVar("lets", default=None)


def compile_lets(lets: Mapping[str, str], known: frozenset[str]) -> dict[str, Let]:
    """Each let checked and written out, in file order; a RuleError at `("let", name)` for
    a let that reads itself, a later let, or a name that is neither in `known` (every name
    some formula may read) nor an earlier let."""
    out: dict[str, Let] = {}
    order = list(lets)
    for n, (name, source) in enumerate(lets.items()):
        loc: Loc = ("let", name)
        ahead = set(order[n:])
        try:
            raw = compile_formula(source, None)
            forward = sorted(raw.names & ahead)
            if forward:
                raise RuleError(loc, _forward_message(name, forward[0], lets),
                                _column(source, forward[0]))
            raw = compile_formula(source, known | set(out))
        except FormulaError as err:
            raise RuleError(loc, f"let '{name}' = `{excerpt(source, col=err.col)}`: "
                                 f"{err.message}", err.col) from None
        out[name] = Let(name, source, _written_out(raw, out, loc))
    return out


def _forward_message(name: str, read: str, lets: Mapping[str, str]) -> str:
    """Why a let may not read `read`: itself, a cycle through later lets, or a later let."""
    if read == name:
        return f"let '{name}' reads itself; a let may read only the lets above it"
    cycle = _cycle(read, name, lets)
    if cycle:
        return (f"lets '{name}' and '{read}' read each other ({' -> '.join(cycle)}); "
                "a let may read only the lets above it")
    return (f"let '{name}' reads '{read}', which is defined below it; move '{read}' above "
            f"'{name}' (a let may read only the lets above it)")


def _cycle(start: str, goal: str, lets: Mapping[str, str]) -> list[str] | None:
    """A path of let names from `goal` through `start` back to `goal`, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [goal, start])]
    seen: set[str] = set()
    while stack:
        name, path = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reads = compile_formula(lets[name], None).names
        except FormulaError:
            continue
        if goal in reads:
            return path + [goal]
        stack += [(n, path + [n]) for n in sorted(reads & set(lets))]
    return None


def _column(source: str, name: str) -> int | None:
    """The 1-based column of the first use of `name` in a formula's text, if found."""
    match = re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", " ".join(source.split("\n")))
    return match.start() + 1 if match else None


def _written_out(formula: CompiledFormula, lets: LetTable, loc: Loc) -> CompiledFormula:
    """`formula` with each let it reads replaced by that let's formula (in brackets where
    needed); a RuleError at `loc` if the result is over the formula limits."""
    if formula.names.isdisjoint(lets):
        return formula
    text = expand_text(formula, lets)
    try:
        return compile_formula(text, None)
    except FormulaError as err:
        raise RuleError(loc, f"formula `{excerpt(formula.source)}` is too long once the lets "
                             f"it reads are written out ({err.message}); read fewer lets, "
                             "or make them shorter") from None


def expand_text(formula: CompiledFormula, lets: LetTable) -> str:
    """The text of `formula` with the lets it reads written out."""
    tree = _Substitute(lets).visit(formula_tree(formula))
    return ast.unparse(ast.fix_missing_locations(tree))


class _Substitute(ast.NodeTransformer):
    """Replaces each name of a let by the parse tree of its written-out formula."""

    def __init__(self, lets: LetTable) -> None:
        self.lets = lets

    def visit_Name(self, node: ast.Name) -> ast.expr:
        let = self.lets.get(node.id)
        return node if let is None else formula_tree(let.formula)


@contextmanager
def in_force(lets: LetTable) -> Iterator[None]:
    """Make `lets` the ones `readable` and `expand` use, for the block."""
    token = _ACTIVE.set(lets)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def readable(allowed: frozenset[str]) -> frozenset[str]:
    """The names of the lets in force that a formula allowed to read `allowed` may read."""
    lets = _ACTIVE.get()
    if not lets:
        return frozenset()
    return frozenset(name for name, let in lets.items() if let.formula.names <= allowed)


def unreadable(source: str, allowed: frozenset[str]) -> tuple[str, int | None] | None:
    """(message, column) when a formula reads a let in force that it may not read (one
    over names `allowed` lacks, such as a seat's stats in a company-wide formula), or None."""
    lets = _ACTIVE.get()
    if not lets:
        return None
    try:
        names = compile_formula(source, None).names
    except FormulaError:
        return None
    for name in sorted(names & set(lets)):
        missing = sorted(lets[name].formula.names - allowed)
        if missing:
            return (f"let '{name}' reads '{missing[0]}', which this formula cannot read "
                    "(a let over a seat's names is for that seat's formulas only)",
                    _column(source, name))
    return None


def expand(formula: CompiledFormula, loc: Loc) -> CompiledFormula:
    """`formula` with the lets in force that it reads written out (itself when it reads
    none); a RuleError at `loc` if the result is over the formula limits."""
    lets = _ACTIVE.get()
    if not lets or formula.names.isdisjoint(lets):
        return formula
    return _written_out(formula, lets, loc)
