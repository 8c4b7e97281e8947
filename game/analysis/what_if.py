""""What if": the same company under the other regime.

A scenario's debrief may declare contrasting regimes (`debrief.what_if`), each a set of
policies held at a level for a whole game. At the reveal, the regime the game followed least
is replayed: the same scenario, seed and seats, every seat a bot (a human seat takes the
default table's strategy that the bots left over, see `replay_seats`; a bot keeps its own),
the regime's policies locked. Events and draws come from the same seeded streams, so they
match wherever the rules let them.

`contrast_regime` picks the regime; `replay_what_if` plays it and returns a plain
`WhatIfResult`; `comparison_rows` sets it beside the real game for every reader (end screen,
text game, workshop debrief and exports).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor

from pydantic import BaseModel, Field

from game.analysis.indices import gap_series, policies_of, seat_outcome_rows
from game.analysis.simulate import run_game
from game.analysis.summary import rank_agreement
from game.bots import default_strategy
from game.engine.state import GameState, SeatSetup
from game.scenario.model import Scenario, WhatIf
from game.scenario.rules import what_if_locks

__all__ = ["WhatIfJob", "WhatIfResult", "comparison_rows", "comparison_text", "contrast_regime",
           "game_rank_agreement", "policies_of", "rank_agreement",
           "replay_what_if", "what_if_for_state"]


class WhatIfResult(BaseModel):
    """The replay of a game under a contrasting regime, as plain data."""

    regime: str
    text: str = ""
    locks: dict[str, int] = Field(description="Policy id -> level held all game.")
    held: list[str] = Field(default_factory=list,
                            description="The locks above off in words, e.g. `Token "
                                        "leaderboard: on` (the rest are held at off).")
    seed: int
    strategies: list[str] = Field(default_factory=list, description="Each seat's bot strategy.")
    proxy: list[float]
    health: list[float]
    gap: list[float]
    rank_agreement: float = Field(
        description="Spearman correlation of leaderboard rank with contribution rank.")
    outcomes: list[dict] = Field(default_factory=list)


def followed_share(regime_locks: dict[str, int], policies: list[dict[str, int]]) -> float:
    """The share of (turn, locked policy) pairs in which the game ran the regime's level."""
    pairs = [(turn.get(pid, 0) == level) for turn in policies
             for pid, level in regime_locks.items()]
    return sum(pairs) / len(pairs) if pairs else 0.0


def contrast_regime(scenario: Scenario, policies: list[dict[str, int]]) -> WhatIf | None:
    """The declared regime the game followed least (`policies`: the levels in force each
    turn); the first listed on a tie; None when there is none, or the game followed every
    one of them all the way (a replay would only show the same regime again)."""
    best: tuple[float, WhatIf] | None = None
    for regime in scenario.debrief.what_if:
        share = followed_share(what_if_locks(scenario, regime), policies)
        if best is None or share < best[0]:
            best = (share, regime)
    if best is None or best[0] >= 1.0:
        return None
    return best[1]


def replay_what_if(scenario: Scenario, seed: int, seats: list[SeatSetup],
                   regime: WhatIf) -> WhatIfResult:
    """Play the scenario again with the same seed and seats, all bots, the regime's policies
    locked; deterministic for the same arguments."""
    locks = what_if_locks(scenario, regime)
    record = run_game(scenario, seed, {}, replay_seats(scenario, seats), locks)
    specs = {p.id: p for p in scenario.policies}
    return WhatIfResult(
        regime=regime.name, text=" ".join(regime.text.split()), locks=locks,
        held=[f"{specs[pid].name}: {specs[pid].levels[n]}" for pid, n in locks.items() if n],
        seed=seed, strategies=record.strategies, proxy=record.proxy, health=record.health,
        gap=record.gap, rank_agreement=rank_agreement(record.outcomes),
        outcomes=record.outcomes)


def replay_seats(scenario: Scenario, seats: list[SeatSetup]) -> list[SeatSetup]:
    """The seats with every person replaced by a bot: the strategies of the role's default
    table that the game's bots left over, in order (a solo engineer beside craft, gamer and
    gamer bots is replayed as the table's fourth seat, a gamer). A role's table lists one
    strategy per seat and its bots take at most one each, so every person finds one."""
    left: dict[str, list[str]] = {}
    for role in dict.fromkeys(s.role for s in seats):
        mine = [s for s in seats if s.role == role]
        left[role] = [default_strategy(scenario, role, k) for k in range(len(mine))]
        for s in mine:
            if s.is_bot and s.strategy in left[role]:
                left[role].remove(s.strategy)
    return [s if s.is_bot else SeatSetup(role=s.role, name=s.name,
                                         controller=f"bot:{left[s.role].pop(0)}")
            for s in seats]


def what_if_for_state(scenario: Scenario, state: GameState,
                      seats: list[SeatSetup]) -> WhatIfResult | None:
    """The what-if of an ended game: its contrasting regime replayed, or None."""
    regime = contrast_regime(scenario, policies_of(state))
    if regime is None:
        return None
    return replay_what_if(scenario, state.seed, seats, regime)


def game_rank_agreement(scenario: Scenario, state: GameState) -> float:
    """The ended game's `rank_agreement`."""
    return rank_agreement(seat_outcome_rows(scenario, state))


def comparison_rows(proxy: list[float], health: list[float], ranks: float,
                    other: WhatIfResult) -> list[tuple[str, float, float]]:
    """(measure, this game, the what-if) for the end of both games: proxy index, health
    index, Goodhart gap and the leaderboard's rank agreement with real contribution."""
    return [("Proxy index at the end", proxy[-1], other.proxy[-1]),
            ("Health index at the end", health[-1], other.health[-1]),
            ("Goodhart gap", gap_series(proxy, health)[-1], other.gap[-1]),
            ("Leaderboard vs real contribution", ranks, other.rank_agreement)]


def held_sentence(other: WhatIfResult) -> str:
    """How the replay was played, in one sentence."""
    held = "; ".join(other.held) or "every policy off"
    rest = ", every other policy off" if other.held and len(other.held) < len(other.locks) else ""
    return f"Bots in every seat, the same seed; held all game: {held}{rest}."


def comparison_text(proxy: list[float], health: list[float], ranks: float,
                    other: WhatIfResult) -> list[str]:
    """The comparison as lines of plain text (the text game and the workshop report)."""
    lines = [f"What if: the same company under \"{other.regime}\"",
             f"  {other.text} {held_sentence(other)}".replace("   ", "  ")]
    lines.append(f"  {'':<34}{'this game':>10}{'what if':>10}")
    for label, mine, theirs in comparison_rows(proxy, health, ranks, other):
        fmt = "{:+10.2f}" if label.startswith("Leaderboard") else "{:10.1f}"
        lines.append(f"  {label:<34}{fmt.format(mine)}{fmt.format(theirs)}")
    lines.append("  (leaderboard vs contribution: 1 = the leaderboard ranked people in the "
                 "order of their real contribution, -1 = in reverse)")
    return lines


Replay = Callable[[Scenario, int, list[SeatSetup], WhatIf], WhatIfResult]


class WhatIfJob:
    """The what-if of an ended game, worked out in another process so a window keeps
    drawing: `poll()` never waits. `regime` is None when there is nothing to replay."""

    def __init__(self, scenario: Scenario, state: GameState, seats: list[SeatSetup],
                 replay: Replay = replay_what_if) -> None:
        self.regime = contrast_regime(scenario, policies_of(state))
        self.result: WhatIfResult | None = None
        self.failed = ""
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future | None = None
        if self.regime is not None:
            # spawn: a fresh interpreter, not a fork of one that holds a window
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._future = self._pool.submit(replay, scenario, state.seed, list(seats),
                                             self.regime)

    @property
    def working(self) -> bool:
        """True while the replay is still running."""
        return self.poll() is None and self._future is not None

    def poll(self) -> WhatIfResult | None:
        """The replay's result once it has finished (None before, or if it failed)."""
        future = self._future
        if future is not None and future.done():
            self._future = None
            try:
                self.result = future.result()
            except Exception as err:   # a crashed worker must not take the reveal with it
                self.failed = f"{type(err).__name__}: {err}"
            self.close()
        return self.result

    def close(self) -> None:
        """Stop the worker process (at once if the replay is still running)."""
        if self._pool is not None:
            if self._future is not None:
                self._future.cancel()
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    process.terminate()   # only this job's own worker
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
