"""What is true of one ended game: the end facts, the lessons they allow, and sentences.

`game_facts(scenario, state)` reads an ended game; `facts_from(...)` takes the same inputs as
plain series, so a workshop result file (which has no game state) gives the very same facts.
A lesson is shown only when its condition (see `game.scenario.facts`) holds on these facts;
`fact_sentences` says the facts themselves in words ("the leaderboard's #1 was #4 of 4 in
real contribution").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from game.analysis.indices import (correlation, gap_series, index_series, metric_series,
                                   policies_of, seat_outcomes)
from game.engine.state import GameState
from game.errors import FormulaError
from game.scenario.formula import compile_formula
from game.scenario.model import Scenario
from game.scenario.rules import rules_for

__all__ = ["EndFacts", "fact_sentences", "facts_from", "game_facts", "lessons_that_hold",
           "shown_lessons"]


class Standing(Protocol):
    """A seat's end standing (`SeatOutcome`, or a result file's `SeatResult`)."""

    name: str
    role: str
    employed: bool
    leaderboard_rank: int | None
    contribution_rank: int | None


@dataclass(frozen=True)
class EndFacts:
    """The end facts by name, and the words the sentences need."""

    values: dict[str, float]
    leader: str = ""
    """The name of the leaderboard's #1 in the most-seated reviewed role ("" if none)."""
    turn_name: str = "turn"
    policies: dict[str, str] = field(default_factory=dict)
    """Policy id -> name, for the policies in force at some point."""


def _spearman(a: Sequence[int], b: Sequence[int]) -> float:
    """Spearman correlation of two rankings without ties; 0 for fewer than two seats."""
    n = len(a)
    if n < 2:
        return 0.0
    d2 = sum((x - y) ** 2 for x, y in zip(a, b))
    return 1.0 - 6.0 * d2 / (n * (n * n - 1))


def _main_role(outcomes: Sequence[Standing]) -> list[Standing]:
    """The reviewed seats of the role with the most of them (on a tie, the first seen)."""
    roles: dict[str, list[Standing]] = {}
    for o in outcomes:
        if o.leaderboard_rank is not None and o.contribution_rank is not None:
            roles.setdefault(o.role, []).append(o)
    return max(roles.values(), key=len) if roles else []


def _rank_facts(outcomes: Sequence[Standing]) -> tuple[dict[str, float], str]:
    """The ranking facts, and the name of the leaderboard's #1."""
    seats = _main_role(outcomes)
    leader = min(seats, key=lambda o: o.leaderboard_rank, default=None)
    values = {
        "rank_contribution_corr": _spearman([o.leaderboard_rank for o in seats],
                                            [o.contribution_rank for o in seats]),
        "leader_contribution_rank": float(leader.contribution_rank if leader else 0),
        "ranked_seats": float(len(seats)),
        "laid_off": float(sum(1 for o in outcomes if not o.employed))}
    return values, leader.name if leader else ""


def _policy_facts(policy_ids: Sequence[str],
                  played: Sequence[dict[str, int]]) -> dict[str, float]:
    """`ever_P`, `turns_P` and `most_P` for every policy, over the played turns' levels."""
    out: dict[str, float] = {}
    for pid in policy_ids:
        levels = [turn.get(pid, 0) for turn in played]
        out[f"turns_{pid}"] = float(sum(1 for n in levels if n > 0))
        out[f"most_{pid}"] = float(max(levels, default=0))
        out[f"ever_{pid}"] = 1.0 if out[f"turns_{pid}"] else 0.0
    out["policies_used"] = float(sum(out[f"ever_{pid}"] for pid in policy_ids))
    return out


def facts_from(proxy: Sequence[float], health: Sequence[float],
               metrics: Sequence[dict[str, float]], played: Sequence[dict[str, int]],
               outcomes: Sequence[Standing], policy_names: dict[str, str],
               turn_name: str = "turn") -> EndFacts:
    """The end facts of a game given its index series (start first), its true metrics at the
    start and after each turn, the policy levels of each played turn, the seats' end
    standings and the scenario's policy names (id -> name, in file order)."""
    gap = gap_series(list(proxy), list(health))
    values = {"proxy_start": proxy[0], "proxy_end": proxy[-1],
              "proxy_change": proxy[-1] - proxy[0], "health_start": health[0],
              "health_end": health[-1], "health_change": health[-1] - health[0],
              "gap": gap[-1], "gap_max": max(gap), "turns_played": float(len(proxy) - 1),
              "proxy_health_corr": correlation(list(proxy), list(health))}
    ranks, leader = _rank_facts(outcomes)
    values |= ranks | _policy_facts(list(policy_names), played)
    for mid in metrics[0]:
        values[f"start_{mid}"] = metrics[0][mid]
        values[f"end_{mid}"] = metrics[-1][mid]
    used = {pid: name for pid, name in policy_names.items() if values[f"ever_{pid}"]}
    return EndFacts({k: float(v) for k, v in values.items()}, leader, turn_name, used)


def game_facts(scenario: Scenario, state: GameState) -> EndFacts:
    """The end facts of a game (normally ended; an unfinished one gives its facts so far)."""
    proxy, health = index_series(scenario, state)
    return facts_from(proxy, health, metric_series(scenario, state),
                      policies_of(state), seat_outcomes(scenario, state),
                      {p.id: p.name for p in scenario.policies}, scenario.turn_name)


def shown_lessons(scenario: Scenario, facts: EndFacts) -> list[str]:
    """The scenario's lessons whose condition holds on `facts`, in file order, each on one
    line (runs of spaces and line breaks made single spaces)."""
    return [" ".join(text.split()) for text, when in rules_for(scenario).lessons
            if when(facts.values)]


def lessons_that_hold(lessons: Sequence[tuple[str, str]], facts: EndFacts,
                      allowed: frozenset[str] | None = None) -> list[str]:
    """Of (text, condition source) pairs, the texts whose condition holds on `facts`; a
    condition that does not compile, or reads a fact `facts` lacks, is not shown (for
    lessons read back from a result file, not from a checked scenario)."""
    out = []
    for text, when in lessons:
        try:
            formula = compile_formula(when, allowed or frozenset(facts.values))
            holds = bool(formula(facts.values))
        except (FormulaError, KeyError):
            continue
        if holds:
            out.append(" ".join(text.split()))
    return out


def _index_number(x: float) -> str:
    """An index as the screens show it (the reveal's figures too): whole numbers plain,
    others to one decimal, so "0 to 0.5" is never said as "0 to 0"."""
    return f"{round(x):,.0f}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def _points(x: float) -> str:
    n = _index_number(abs(x))
    return f"{n} point{'' if n == '1' else 's'}"


def _index_sentence(v: dict[str, float]) -> str:
    n = _index_number
    return (f"The proxy index went from {n(v['proxy_start'])} to {n(v['proxy_end'])}; the "
            f"health index from {n(v['health_start'])} to {n(v['health_end'])}.")


def _gap_sentence(v: dict[str, float]) -> str:
    gap = v["gap"]
    if abs(gap) < 1:
        return "Proxy and health moved by about the same: no gap opened."
    if gap > 0:
        return f"The proxy rose {_points(gap)} more than health (the Goodhart gap)."
    return f"Health did {_points(gap)} better than the proxy: no Goodhart gap."


def _together_sentence(v: dict[str, float], turn_name: str = "turn") -> str:
    """How proxy and health moved from one turn to the next, in the scenario's own time
    ("Hour by hour, ...")."""
    r = v["proxy_health_corr"]
    how = ("together" if r > 0.3 else "in opposite directions" if r < -0.3
           else "with little to do with each other")
    return (f"{turn_name.capitalize()} by {turn_name}, proxy and health moved {how} "
            f"(correlation {r:+.2f}).")


def _leader_sentence(f: EndFacts) -> str | None:
    v = f.values
    n, rank = int(v["ranked_seats"]), int(v["leader_contribution_rank"])
    if n < 2 or not f.leader:
        return None
    also = "also " if rank == 1 else ""
    return (f"The leaderboard's #1, {f.leader}, was {also}#{rank} of {n} in real "
            "contribution.")


def _policy_sentence(f: EndFacts) -> str:
    if not f.policies:
        return "No policy was ever switched on."
    turns = int(f.values["turns_played"])
    parts = [f"{name} ({int(f.values[f'turns_{pid}'])} of {turns} {f.turn_name}s)"
             for pid, name in f.policies.items()]
    return "In force at some point: " + "; ".join(parts) + "."


def fact_sentences(facts: EndFacts) -> list[str]:
    """The end facts in words, one sentence each: indices, gap, how they moved, the
    leaderboard's #1 against real contribution, the policies used, the layoffs."""
    v = facts.values
    out = [_index_sentence(v), _gap_sentence(v), _together_sentence(v, facts.turn_name)]
    leader = _leader_sentence(facts)
    if leader:
        out.append(leader)
    out.append(_policy_sentence(facts))
    if v["laid_off"]:
        n = int(v["laid_off"])
        out.append(f"{n} {'person was' if n == 1 else 'people were'} laid off.")
    return out
