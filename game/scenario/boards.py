"""A scenario's own leaderboards (`leaderboards:`), checked and compiled at load.

Each board ranks the employed seats of some roles by a seat formula, or their teams or roles
by the total or mean of it (docs/rules.md, *Leaderboards*); `game.engine.boards` ranks
them. A board reads no random draw: it is worked out from the state whenever a seat looks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from game.scenario.compiled import Loc, RuleError
from game.scenario.formula import CompiledFormula
from game.scenario.model import Scenario

__all__ = ["CBoard", "compile_boards", "read_choices", "shown_secrets"]

Compile = Callable[[str, frozenset[str], Loc], CompiledFormula]


@dataclass(frozen=True, slots=True)
class CBoard:
    """A compiled leaderboard: `roles` are the roles whose seats it ranks, in file order."""

    id: str
    name: str
    score: CompiledFormula
    roles: tuple[str, ...]
    by: str
    combine: str
    higher_is_better: bool
    when: CompiledFormula


def compile_boards(s: Scenario, glob: frozenset[str], seat: dict[str, frozenset[str]],
                   randoms: frozenset[str], compile_: Compile) -> tuple[CBoard, ...]:
    """Every leaderboard of `s` checked and compiled with `compile_` (the rules' formula
    compiler): RuleError for an unknown role, a repeated id, teams where a ranked role has
    none, or a formula that reads what it may not."""
    roles = [r.id for r in s.roles]
    out: list[CBoard] = []
    for i, board in enumerate(s.leaderboards):
        loc: Loc = ("leaderboards", i)
        if board.id in [b.id for b in s.leaderboards[:i]]:
            raise RuleError(loc + ("id",), f"leaderboard id '{board.id}' is already used")
        for j, role in enumerate(board.roles or []):
            if role not in roles:
                raise RuleError(loc + ("roles", j),
                                f"unknown role '{role}' (roles: {', '.join(roles)})")
        ranked = tuple(r for r in roles if board.roles is None or r in board.roles)
        if board.by == "team":
            bare = [r for r in ranked if not s.role(r).teams]
            if bare:
                raise RuleError(loc + ("by",), f"leaderboard '{board.id}' ranks teams, but "
                                               f"role '{bare[0]}' has none: give it `teams:` "
                                               "or list only roles with teams in `roles`")
        score = _score(board.id, board.score, ranked, seat, compile_, loc, board.roles is None)
        when = compile_(board.when, glob, loc + ("when",))
        drawn = sorted((score.names | when.names) & randoms)
        if drawn:
            raise RuleError(loc + ("score",), f"leaderboard '{board.id}' reads the random "
                                              f"draw '{drawn[0]}'; a leaderboard is worked out "
                                              "whenever a seat looks, so it reads no draw")
        out.append(CBoard(board.id, board.name, score, ranked, board.by, board.combine,
                          board.higher_is_better, when))
    return tuple(out)


def _score(board: str, source: str, ranked: tuple[str, ...], seat: dict[str, frozenset[str]],
           compile_: Compile, loc: Loc, every_role: bool) -> CompiledFormula:
    """The board's score, a seat formula of every ranked role (the names they all have)."""
    allowed = frozenset.intersection(*(seat[r] for r in ranked))
    try:
        return compile_(source, allowed, loc + ("score",))
    except RuleError as err:
        if not every_role:
            raise
        raise RuleError(err.loc, err.message + f" (leaderboard '{board}' has no `roles`, so "
                                               "it ranks every role's seats: list the roles "
                                               "whose seats have every name it reads)",
                        err.col) from None


def shown_secrets(s: Scenario, boards: tuple[CBoard, ...]) -> Iterator[tuple[Loc, str]]:
    """(loc, message) for each board whose score reads something hidden from the seats that
    see the board: a stat hidden from the seat itself or kept for bookkeeping, or a metric
    hidden from some role. Every seat sees the board, so it shows that number."""
    stats = {st.id: st for st in s.stats}
    metrics = {m.id: m for m in s.metrics}
    for i, board in enumerate(boards):
        for name in sorted(board.score.names):
            stat, metric = stats.get(name), metrics.get(name)
            if stat is not None and (stat.hidden_from_self or stat.bookkeeping):
                why = "a bookkeeping stat" if stat.bookkeeping else "hidden from the seat itself"
            elif metric is not None and any(metric.visibility_for(r.id).hidden for r in s.roles):
                why = "a metric hidden from some roles"
            else:
                continue
            yield (("leaderboards", i, "score"),
                   f"leaderboard '{board.id}' reads '{name}' ({why}), and every seat sees the "
                   "board: it shows that number; rank by what the seats may see, or make it "
                   "visible on purpose")


def read_choices(s: Scenario, boards: tuple[CBoard, ...]) -> Iterator[tuple[Loc, str]]:
    """(loc, message) for each board whose score reads a seat's choice of the turn (its
    points on a behaviour, or a number it decides): choices are cleared when the turn
    resolves, so between turns, when the board is shown, they read 0 or their start."""
    choices = {b.id for b in s.behaviours}
    choices |= {d.id for r in s.roles for d in getattr(r, "decisions", ())}
    for i, board in enumerate(boards):
        read = sorted(board.score.names & choices)
        if read:
            yield (("leaderboards", i, "score"),
                   f"leaderboard '{board.id}' reads '{read[0]}', a choice of the turn: it is "
                   "cleared when the turn resolves, so the board (shown between turns) never "
                   f"sees it; keep it in a stat (an effect that adds `{read[0]}` to it) and "
                   "rank by the stat")
