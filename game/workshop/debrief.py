"""The debrief's data: many tables' result files, loaded leniently and compared side by side.

`collect(paths)` reads every result file it is given (folders are searched for `*.json`). A
file that is missing, damaged or not a result gives one line in `problems` and the others still
load. Tables of more than one scenario cannot be compared: the scenario with the most tables is
kept (on a tie, the one named first) and each file left out gets one line saying why. Every
number the debrief shows, prints or exports comes from `TableSummary` and `ConditionSummary`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from game.analysis.facts import EndFacts, fact_sentences, facts_from, lessons_that_hold
from game.analysis.indices import correlation
from game.analysis.what_if import WhatIfResult, rank_agreement
from game.errors import SaveError
from game.workshop.result import ResultFile, ScenarioInfo, read_result

__all__ = ["ConditionSummary", "Debrief", "TableSummary", "collect", "compare", "expand_paths"]


@dataclass(frozen=True)
class TableSummary:
    """One table's headline numbers, as the debrief shows them."""

    label: str
    table_id: str
    condition: str
    seed: int
    finished: bool
    turns: int
    proxy_start: float
    proxy_end: float
    health_start: float
    health_end: float
    gap_end: float
    gap_max: float
    correlation: float
    leader: str
    leader_contribution_rank: int | None
    policies: list[str]
    """The policies in force at some point, in words: `Token leaderboard: on (turns 1-6)`."""
    prediction_error: float | None
    """Mean of |predicted - actual| final health over the human seats that predicted."""
    facts: list[str] = field(default_factory=list)
    """What is true of this table's game, in sentences."""
    lessons: list[str] = field(default_factory=list)
    """The scenario's lessons whose condition holds on this table's game."""
    rank_agreement: float = 0.0
    """How well the leaderboard ranked real contribution (1 = same order, -1 = reversed)."""
    what_if: WhatIfResult | None = None
    """The same game replayed by bots under the scenario's contrasting regime, if any."""


@dataclass(frozen=True)
class ConditionSummary:
    """The tables that played one condition, averaged."""

    condition: str
    tables: list[str]
    mean_proxy_end: float
    mean_health_end: float
    mean_health_change: float
    mean_gap_end: float


@dataclass
class Debrief:
    """The tables being compared (path, result, summary) and every problem met on the way."""

    scenario: ScenarioInfo | None
    tables: list[tuple[Path, ResultFile, TableSummary]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def results(self) -> list[ResultFile]:
        return [r for _, r, _ in self.tables]

    @property
    def summaries(self) -> list[TableSummary]:
        return [s for _, _, s in self.tables]

    def conditions(self) -> list[ConditionSummary]:
        """One summary per condition, in the order the conditions first appear."""
        groups: dict[str, list[TableSummary]] = {}
        for s in self.summaries:
            groups.setdefault(s.condition, []).append(s)
        return [ConditionSummary(condition=name, tables=[s.label for s in rows],
                                 mean_proxy_end=_mean(s.proxy_end for s in rows),
                                 mean_health_end=_mean(s.health_end for s in rows),
                                 mean_health_change=_mean(s.health_end - s.health_start
                                                          for s in rows),
                                 mean_gap_end=_mean(s.gap_end for s in rows))
                for name, rows in groups.items()]


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders replaced by the `*.json` files in them (sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        out += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return out


def collect(paths: Iterable[str | os.PathLike[str]]) -> Debrief:
    """Read every result file leniently and compare the tables of one scenario."""
    loaded: list[tuple[Path, ResultFile]] = []
    problems: list[str] = []
    seen: dict[tuple[str, str, int], Path] = {}
    for path in expand_paths(paths):
        try:
            result = read_result(path)
        except SaveError as err:
            problems.append(str(err))
            continue
        key = (result.state_hash, result.table.id, result.seed)
        if key in seen:
            problems.append(f"{path}: the same game as {seen[key]}; counted once")
            continue
        seen[key] = path
        loaded.append((path, result))
    if not loaded and not problems:
        problems.append("no result files found (give .json files or folders that hold them)")
    debrief = compare(loaded)
    debrief.problems[:0] = problems
    return debrief


def compare(loaded: list[tuple[Path, ResultFile]]) -> Debrief:
    """Keep the tables of the most common scenario; summarise each, naming them uniquely."""
    if not loaded:
        return Debrief(scenario=None)
    counts: dict[str, int] = {}
    for _, r in loaded:
        counts[r.scenario.id] = counts.get(r.scenario.id, 0) + 1
    keep = max(counts, key=lambda sid: (counts[sid], -_first(loaded, sid)))
    kept = [(p, r) for p, r in loaded if r.scenario.id == keep]
    first = kept[0][1].scenario
    debrief = Debrief(scenario=first)
    for p, r in loaded:
        if r.scenario.id != keep:
            debrief.problems.append(
                f"{p}: a table of scenario '{r.scenario.id}', not '{keep}' like the other "
                f"{counts[keep]} table(s); left out of the comparison (debrief it on its own)")
    if len({r.scenario.fingerprint for _, r in kept}) > 1:
        debrief.problems.append(f"the tables played different versions of '{keep}'; they are "
                                "compared anyway, but the rules were not quite the same")
    labels = _unique_labels([r for _, r in kept])
    debrief.tables = [(p, r, summarise(r, label)) for (p, r), label in zip(kept, labels)]
    return debrief


def _first(loaded: list[tuple[Path, ResultFile]], scenario_id: str) -> int:
    return next(i for i, (_, r) in enumerate(loaded) if r.scenario.id == scenario_id)


def _unique_labels(results: list[ResultFile]) -> list[str]:
    """Each table's label; a label used twice gets its seed added (`Table A (seed 11)`)."""
    labels = [r.label for r in results]
    out = []
    for r, label in zip(results, labels):
        out.append(f"{label} (seed {r.seed})" if labels.count(label) > 1 else label)
    return [f"{label} #{i + 1}" if out.count(label) > 1 else label for i, label in enumerate(out)]


def summarise(result: ResultFile, label: str | None = None) -> TableSummary:
    """The headline numbers of one table."""
    turns = result.turns
    proxy = [t.proxy_index for t in turns]
    health = [t.health_index for t in turns]
    leader = _leader(result)
    errors = [abs(p.predicted_health - p.actual_health) for p in result.predictions]
    facts = end_facts(result)
    return TableSummary(
        label=label or result.label, table_id=result.table.id, condition=result.condition.name,
        seed=result.seed, finished=result.finished, turns=turns[-1].turn,
        proxy_start=proxy[0], proxy_end=proxy[-1], health_start=health[0],
        health_end=health[-1], gap_end=turns[-1].gap, gap_max=max(t.gap for t in turns),
        correlation=correlation(proxy, health),
        leader=leader.name if leader else "",
        leader_contribution_rank=leader.contribution_rank if leader else None,
        policies=policy_spans(result),
        prediction_error=_mean(errors) if errors else None,
        facts=fact_sentences(facts), lessons=lessons_that_hold(
            [(x.text, x.when) for x in result.scenario.lessons], facts),
        rank_agreement=rank_agreement([o.model_dump() for o in result.outcomes
                                       if o.leaderboard_rank is not None]),
        what_if=result.what_if)


def end_facts(result: ResultFile) -> EndFacts:
    """The end facts of a table's game, from its result file alone (the same facts the end
    screen computed from the game)."""
    info = result.scenario
    return facts_from([t.proxy_index for t in result.turns],
                      [t.health_index for t in result.turns],
                      [t.metrics for t in result.turns],
                      [t.policies for t in result.turns if t.turn > 0], result.outcomes,
                      dict(info.policies), info.turn_name)


def _leader(result: ResultFile):
    """Rank 1 of the players' leaderboard: the reviewed role with the most seats."""
    reviewed = [o for o in result.outcomes if o.leaderboard_rank is not None]
    if not reviewed:
        return None
    roles = [o.role for o in reviewed]
    main = max(dict.fromkeys(roles), key=roles.count)
    return next(o for o in reviewed if o.role == main and o.leaderboard_rank == 1)


def policy_spans(result: ResultFile) -> list[str]:
    """The policies in force during play, each with the turns it was on at each level."""
    info = result.scenario
    played = [t for t in result.turns if t.turn > 0]
    out = []
    for pid, name in info.policies.items():
        spans: list[tuple[int, int, int]] = []
        for t in played:
            level = t.policies.get(pid, 0)
            if level and spans and spans[-1][2] == level and spans[-1][1] == t.turn - 1:
                spans[-1] = (spans[-1][0], t.turn, level)
            elif level:
                spans.append((t.turn, t.turn, level))
        locked = " (locked)" if pid in result.condition.locked else ""
        for start, end, level in spans:
            levels = info.policy_levels.get(pid, [])
            word = levels[level] if level < len(levels) else str(level)
            when = f"{info.turn_name} {start}" if start == end else \
                f"{info.turn_name}s {start}-{end}"
            out.append(f"{name}: {word}, {when}{locked}")
    return out
