"""Does a scenario's lesson hold in a batch of simulated games? Judged by its own lessons.

A scenario's debrief declares contrasting regimes (`what_if`: e.g. a token leaderboard, and
outcome metrics with counter-goals) and conditional lessons (`{text, when}` over the end
facts). A batch of games followed one regime most (`followed_regime`); the lessons *of* that
regime are the conditional lessons that read a policy (`ever_P`, `turns_P`, `most_P`) and can
hold under the regime's locked levels but not under every other regime (`lessons_by_regime`,
checked on sampled end facts, as lint checks conditions); a regime without such lessons is
judged by the conditional lessons that belong to no regime. The lesson holds in the batch when each of them holds in more than
half of its games (`judge`). No threshold is invented here: the scenario's `when`s carry them
(e.g. `gap > 15 and health_change < -3` under the leaderboard, `health_change >= 0 and
proxy_health_corr > 0.3` under outcome metrics).
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from types import SimpleNamespace

from game.analysis.facts import facts_from
from game.analysis.record import GameRecord
from game.analysis.what_if import followed_share
from game.scenario.facts import POLICY_FACTS
from game.scenario.formula import CompiledFormula
from game.scenario.model import Scenario, WhatIf
from game.scenario.rules import rules_for, what_if_locks

__all__ = ["Verdict", "followed_regime", "judge", "lessons_by_regime", "record_facts"]

SAMPLES = 400
"""Sampled end facts per (lesson, regime) when deciding whether a lesson can hold there."""
MOST = 0.5
"""A lesson holds in a batch when it holds in more than this share of its games."""


@dataclass(frozen=True)
class Verdict:
    """Whether the lesson held in a batch of games, and on which evidence."""

    regime: str | None
    """The what-if regime the games followed most (None: no regime, see `why`)."""
    lessons: tuple[tuple[str, float], ...]
    """(lesson text, share of games in which its `when` held) for each lesson of the regime."""
    why: str = ""
    """Why nothing was judged, when nothing was: `no regime declared`, `no regime followed
    more than another`, `no lesson for this regime`."""

    @property
    def holds(self) -> bool | None:
        """True when every lesson of the regime held in most games; None when none applies."""
        if not self.lessons:
            return None
        return all(share > MOST for _, share in self.lessons)

    @property
    def weakest(self) -> tuple[str, float] | None:
        """The lesson that held in the fewest games, and its share (None without lessons)."""
        return min(self.lessons, key=lambda item: item[1]) if self.lessons else None


def record_facts(scenario: Scenario, record: GameRecord) -> dict[str, float]:
    """The end facts (the names a lesson's `when` reads) of one simulated game."""
    start = {m.id: m.initial for m in scenario.metrics}
    outcomes = [SimpleNamespace(**row) for row in record.outcomes]
    names = {p.id: p.name for p in scenario.policies}
    return facts_from(record.proxy, record.health, [start, record.end_metrics or start],
                      record.policies, outcomes, names, scenario.turn_name).values


def followed_regime(scenario: Scenario, records: list[GameRecord]) -> WhatIf | None:
    """The declared regime the games followed most, over every turn and locked policy; None
    when the scenario declares none, there are no games, or two regimes were followed as much
    (e.g. a board switched off while its opposite is not switched on: neither regime)."""
    shares = [(statistics.fmean(followed_share(what_if_locks(scenario, r), g.policies)
                                for g in records), r)
              for r in scenario.debrief.what_if] if records else []
    shares.sort(key=lambda pair: -pair[0])
    if not shares or (len(shares) > 1 and shares[1][0] >= shares[0][0] - 1e-9):
        return None
    return shares[0][1]


def _policy_fact_names(scenario: Scenario) -> dict[str, str]:
    """Every policy fact name -> its policy id."""
    return {pattern.format(policy=p.id): p.id for p in scenario.policies for pattern in POLICY_FACTS}


def _sample_facts(scenario: Scenario, locks: dict[str, int], rng: random.Random,
                  names: frozenset[str]) -> dict[str, float]:
    """One plausible set of end facts with the regime's policies at their locked levels (the
    others, and every outcome fact, drawn within their ranges)."""
    turns = scenario.turns
    facts: dict[str, float] = {}
    for p in scenario.policies:
        level = locks.get(p.id, rng.randrange(len(p.levels)))
        played = turns if level else 0
        if p.id not in locks and level:
            played = rng.randint(1, turns)
        facts |= {f"ever_{p.id}": float(bool(level)), f"turns_{p.id}": float(played),
                  f"most_{p.id}": float(level)}
    for index in ("proxy", "health"):
        a, b = rng.uniform(0, 100), rng.uniform(0, 100)
        facts |= {f"{index}_start": a, f"{index}_end": b, f"{index}_change": b - a}
    facts["gap"] = facts["proxy_change"] - facts["health_change"]
    facts["gap_max"] = max(0.0, facts["gap"], rng.uniform(0, 100))
    seats = float(sum(r.seats.max for r in scenario.roles))
    facts |= {"proxy_health_corr": rng.uniform(-1, 1),
              "rank_contribution_corr": rng.uniform(-1, 1),
              "leader_contribution_rank": float(rng.randint(0, int(seats))),
              "ranked_seats": seats, "laid_off": float(rng.randint(0, int(seats))),
              "turns_played": float(turns),
              "policies_used": sum(facts[f"ever_{p.id}"] for p in scenario.policies)}
    for m in scenario.metrics:
        facts[f"start_{m.id}"] = m.initial
        facts[f"end_{m.id}"] = rng.uniform(m.min, m.max)
    return {k: v for k, v in facts.items() if k in names}


def _can_hold(scenario: Scenario, when: CompiledFormula, locks: dict[str, int]) -> bool:
    """Whether `when` holds on some sampled end facts of a game run under `locks`."""
    rng = random.Random(f"{scenario.id}:{when.source}")
    return any(when(_sample_facts(scenario, locks, rng, when.names)) for _ in range(SAMPLES))


def lessons_by_regime(scenario: Scenario) -> dict[str, list[tuple[str, CompiledFormula]]]:
    """Regime name -> the lessons that judge it, in file order: the conditional lessons *of*
    the regime (they read a policy fact, can hold under its locked levels and cannot under
    some other regime); for a regime with none, the conditional lessons of no regime that can
    hold under it (e.g. `gap > 10`)."""
    regimes = {r.name: what_if_locks(scenario, r) for r in scenario.debrief.what_if}
    policy_facts = _policy_fact_names(scenario).keys()
    conditional = [(" ".join(text.split()), when) for text, when in rules_for(scenario).lessons
                   if when.constant is None]
    possible = {(i, name): _can_hold(scenario, when, locks)
                for i, (_, when) in enumerate(conditional) for name, locks in regimes.items()}

    def specific(i: int, name: str) -> bool:
        elsewhere = [possible[i, other] for other in regimes if other != name]
        return (possible[i, name] and bool(conditional[i][1].names & policy_facts)
                and not all(elsewhere or [False]))

    own = {name: [i for i in range(len(conditional)) if specific(i, name)] for name in regimes}
    claimed = {i for ids in own.values() for i in ids}
    return {name: [conditional[i] for i in (own[name] or [
        i for i in range(len(conditional)) if i not in claimed and possible[i, name]])]
        for name in regimes}


def judge(scenario: Scenario, records: list[GameRecord]) -> Verdict:
    """The verdict on a batch of games of `scenario` (see the module docstring)."""
    if not scenario.debrief.what_if:
        return Verdict(None, (), "no regime declared")
    regime = followed_regime(scenario, records)
    if regime is None:
        return Verdict(None, (), "no regime followed more than another")
    facts = [record_facts(scenario, r) for r in records]
    lessons = tuple((text, sum(1 for f in facts if when(f)) / len(facts))
                    for text, when in lessons_by_regime(scenario)[regime.name])
    return Verdict(regime.name, lessons, "" if lessons else "no lesson for this regime")
