"""The scenario's own leaderboards, ranked from the state (docs/rules.md, *Leaderboards*).

A board ranks the employed seats of its roles by its score formula, worked out on each seat's
names as they are now; or their teams or roles, by the total or mean of their seats' scores.
Equal scores share a rank (1, 2, 2, 4), so ranking draws nothing and changes no game. Teams:
a role's seats are dealt to its `teams` in turn, in seat order (laid-off seats keep their
place, so nobody changes team), and teams of the same name in several roles are one team.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from game.engine.env import global_env, seat_env
from game.engine.state import GameState, SeatState
from game.scenario.boards import CBoard
from game.scenario.rules import Rules

__all__ = ["Board", "BoardRow", "leaderboards", "teams_of"]


class BoardRow(BaseModel):
    """One row of a board: a seat, a team or a role (frozen: shared by the views of a state)."""

    model_config = ConfigDict(frozen=True)

    rank: int
    name: str
    score: float
    seats: tuple[int, ...]
    """The seats the row stands for (one, for a board of seats)."""


class Board(BaseModel):
    """A ranked board, best first."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    by: str
    rows: tuple[BoardRow, ...]


def teams_of(rules: Rules, seats: list[SeatState]) -> dict[int, str]:
    """Each seat's team, by seat index, for the seats of roles with teams."""
    dealt: dict[str, int] = {}
    out: dict[int, str] = {}
    for seat in seats:
        teams = rules.role_specs[seat.role].teams
        if teams:
            nth = dealt.get(seat.role, 0)
            dealt[seat.role] = nth + 1
            out[seat.index] = teams[nth % len(teams)]
    return out


def leaderboards(rules: Rules, state: GameState, revealed: bool = False) -> list[Board]:
    """The boards shown now, in file order: none before the first review (as the reviews'
    own), then those whose `when` holds (all, once revealed)."""
    if not rules.boards or not (state.history or revealed):
        return []
    genv = global_env(rules, state)
    shown = [b for b in rules.boards if revealed or b.when(genv)]
    envs: dict[int, dict[str, float]] = {}
    return [_ranked(b, _rows(rules, state, b, genv, envs)) for b in shown]


def _rows(rules: Rules, state: GameState, board: CBoard, genv: dict[str, float],
          envs: dict[int, dict[str, float]]) -> list[tuple[float, str, tuple[int, ...]]]:
    """(score, name, seats) of each seat, team or role the board ranks, in seat order."""
    groups: dict[tuple[int, str], list[tuple[int, float]]] = {}
    teams = teams_of(rules, state.seats) if board.by == "team" else {}
    for seat in state.seats:
        if not seat.employed or seat.role not in board.roles:
            continue
        env = envs.get(seat.index)
        if env is None:
            env = envs[seat.index] = seat_env(rules, genv, state, seat)
        key = {"seat": (seat.index, seat.name), "team": (-1, teams.get(seat.index, "")),
               "role": (-1, rules.role_specs[seat.role].name)}[board.by]
        groups.setdefault(key, []).append((seat.index, board.score(env)))
    out = []
    for (_, name), members in groups.items():
        total = sum(score for _, score in members)
        value = total / len(members) if board.combine == "mean" and board.by != "seat" \
            else total
        out.append((value, name, tuple(index for index, _ in members)))
    return out


def _ranked(board: CBoard, rows: list[tuple[float, str, tuple[int, ...]]]) -> Board:
    """The board with its rows best first, equal scores sharing the best of their ranks."""
    sign = 1.0 if board.higher_is_better else -1.0
    ordered = sorted(rows, key=lambda row: -sign * row[0])  # stable: seat order breaks ties
    out: list[BoardRow] = []
    for place, (score, name, seats) in enumerate(ordered, start=1):
        rank = out[-1].rank if out and out[-1].score == score else place
        out.append(BoardRow(rank=rank, name=name, score=score, seats=seats))
    return Board(id=board.id, name=board.name, by=board.by, rows=tuple(out))
