"""Lint scenario files: every load error, plus semantic checks that the schema cannot make.

A diagnostic prints as `file:line:col: error|warning: message`. Errors make a scenario
unplayable (or unloadable); warnings point at something that probably is not what the
author meant (an event that can never fire, a metric nothing changes). Conditions are
checked by evaluating the compiled formula over a sample of states within the bounds.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from game.errors import ScenarioError
from game.scenario.cost import game_cost, over_budget
from game.scenario.formula import CompiledFormula, excerpt
from game.scenario.lint_relations import check_draw_scopes, check_flows
from game.scenario.load import SUFFIXES, load_checked
from game.scenario.model import Scenario
from game.scenario.rules import AGGREGATES, Rules, neighbour_names, rules_for, what_if_locks
from game.scenario.source import Source, position

__all__ = ["Check", "Diagnostic", "Finding", "check_scenario", "collect_files", "lint_file",
           "lint_paths"]

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]
SAMPLES = 2000
SCORE_RANGE = (-1000.0, 1000.0)


@dataclass(frozen=True)
class Diagnostic:
    """One lint finding; `line`/`col` are None when it is about the whole file."""

    file: str
    line: int | None
    col: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.col) if p is not None)
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Finding:
    """A semantic problem at a path in the scenario data (turned into a Diagnostic)."""

    loc: Loc
    severity: Severity
    message: str


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to lint: files as given; in folders, `*.yaml`/`*.yml` except workshop files."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES
                            and p.is_file() and "workshop" not in p.name)
        else:
            files.append(path)
    return files


Check = Callable[[Scenario, Rules], Iterable[Finding]]
"""A semantic check: the findings for a loaded scenario and its compiled rules."""


def lint_paths(paths: Iterable[str | os.PathLike[str]],
               play_checks: Sequence[Check] = ()) -> list[Diagnostic]:
    """Lint every scenario file under `paths`; diagnostics in file order."""
    return [d for path in collect_files(paths) for d in lint_file(path, play_checks)]


def lint_file(path: str | os.PathLike[str],
              play_checks: Sequence[Check] = ()) -> list[Diagnostic]:
    """All load errors of one file, or, if it loads, its semantic findings. `play_checks`
    (checks that play games, e.g. game.analysis.leaks.leak_findings, which this layer cannot
    import) run last, and only when no other check found an error."""
    try:
        scenario, source = load_checked(Path(path))
    except ScenarioError as err:
        errors = getattr(err, "errors", None) or [err]
        return [Diagnostic(e.file or str(path), e.line, e.col, "error", e.message)
                for e in errors]
    rules = rules_for(scenario)
    findings = check_scenario(scenario, rules)
    if not any(f.severity == "error" for f in findings):
        findings += [f for check in play_checks for f in check(scenario, rules)]
    return [_diagnostic(source, f) for f in findings]


def _diagnostic(source: Source, finding: Finding) -> Diagnostic:
    line, col = position(source.tree, finding.loc)
    return Diagnostic(source.name, line, col, finding.severity, finding.message)


def check_scenario(scenario: Scenario, rules: Rules) -> list[Finding]:
    """Semantic findings for a loaded scenario, errors and warnings mixed, in check order."""
    checks: list[Callable[[Scenario, Rules], Iterator[Finding]]] = [
        _check_roles, _check_decisions, _check_exclusions, _check_events, _check_behaviours,
        _check_unchanged, _check_debrief, _check_what_if, _check_cost, check_draw_scopes,
        check_flows]
    return [finding for check in checks for finding in check(scenario, rules)]


# --- Checks ---

def _check_roles(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """Every role with seats can do something; behaviours need effort points."""
    for i, role in enumerate(s.roles):
        policies, behaviours = s.policies_of(role.id), s.behaviours_of(role.id)
        if not policies and not behaviours and not role.decisions:
            seated = role.seats.min > 0 or role.seats.default > 0
            yield Finding(("roles", i), "error" if seated else "warning",
                          f"role '{role.id}' has nothing to choose: give it policies, "
                          "behaviours or decisions")
        if behaviours and role.effort == 0:
            yield Finding(("roles", i), "error",
                          f"role '{role.id}' has behaviours but no effort points to spend "
                          "on them: set 'effort'")


def _check_decisions(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """Every decision is read by some formula (by its id or an aggregate of it)."""
    read = frozenset().union(*(e.names for e in _all_effects(rules)),
                             *(f.names for rv in rules.reviews.values()
                               for f in (rv.score, *(t for _, t in rv.terms),
                                         *(c.when for c in rv.consequences))),
                             *(b.available.names for b in rules.behaviours),
                             *(f.names for f in rules.stat_public.values()),
                             *(e.when.names | e.chance.names for e in rules.events),
                             rules.contribution.names)
    for i, role in enumerate(s.roles):
        for j, d in enumerate(role.decisions):
            if read.isdisjoint({d.id, *(f"{a}_{d.id}" for a in AGGREGATES)}):
                yield Finding(("roles", i, "decisions", j), "warning",
                              f"decision '{d.id}' changes nothing: no formula reads it or "
                              f"its aggregates (e.g. total_{d.id})")


def _check_exclusions(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """Exclusions name other policies, go both ways, and do not clash at the start."""
    by_id = {p.id: p for p in s.policies}
    for i, p in enumerate(s.policies):
        for j, other in enumerate(p.excludes):
            loc = ("policies", i, "excludes", j)
            if other == p.id:
                yield Finding(loc, "error", f"policy '{p.id}' excludes itself")
            elif other not in by_id:
                yield Finding(loc, "error", f"policy '{p.id}' excludes unknown policy '{other}'")
            elif p.id not in by_id[other].excludes:
                yield Finding(loc, "warning", f"policy '{p.id}' excludes '{other}' but "
                                              f"'{other}' does not exclude '{p.id}'; "
                                              "make the exclusion mutual")
            elif p.initial and by_id[other].initial and s.policies.index(by_id[other]) > i:
                yield Finding(loc, "error", f"policies '{p.id}' and '{other}' exclude each "
                                            "other but both start active")


def _check_events(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """Every event can fire: its chance is not 0 and its condition can be true."""
    sampler = _Sampler(s, rules)
    for i, (event, compiled) in enumerate(zip(s.events, rules.events)):
        if compiled.chance.constant is not None and compiled.chance.constant <= 0:
            yield Finding(("events", i, "chance"), "warning",
                          f"event '{event.id}' has chance {compiled.chance.constant:g}, "
                          "so it can never fire")
        elif not sampler.can_be_true(compiled.when, None):
            yield Finding(("events", i, "when"), "warning",
                          f"event '{event.id}' can never fire: `{excerpt(event.when)}` is false "
                          f"for every sampled state (turns 1..{s.turns}, metrics within bounds)")


def _check_behaviours(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """Every behaviour can be available at some point."""
    sampler = _Sampler(s, rules)
    for i, (behaviour, compiled) in enumerate(zip(s.behaviours, rules.behaviours)):
        if not sampler.can_be_true(compiled.available, behaviour.role):
            yield Finding(("behaviours", i, "available"), "warning",
                          f"behaviour '{behaviour.id}' is never available: "
                          f"`{excerpt(behaviour.available)}` is false for every sampled state")


def _check_unchanged(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """Metrics and stats that no effect anywhere targets."""
    targets = {e.target for e in _all_effects(rules)} | {f.to for f in rules.flows}
    for i, metric in enumerate(s.metrics):
        if metric.id not in targets:
            yield Finding(("metrics", i), "warning",
                          f"metric '{metric.id}' never changes: no effect targets it")
    for i, stat in enumerate(s.stats):
        if stat.id not in targets:
            yield Finding(("stats", i), "warning",
                          f"stat '{stat.id}' never changes: no effect targets it")


def _all_effects(rules: Rules) -> Iterator[object]:
    """Every compiled effect of the scenario."""
    for group in (rules.policies, rules.behaviours, rules.events):
        for item in group:
            yield from item.effects
    yield from rules.dynamics
    for review in rules.reviews.values():
        for consequence in review.consequences:
            yield from consequence.effects


def _check_debrief(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """The debrief indices name metrics, and no metric counts as both proxy and health."""
    metrics = {m.id for m in s.metrics}
    for key in ("proxy_index", "health_index"):
        for mid in getattr(s.debrief, key):
            if mid not in metrics:
                yield Finding(("debrief", key, mid), "error", f"unknown metric '{mid}' in {key}")
    for mid in s.debrief.health_index:
        if mid in s.debrief.proxy_index:
            yield Finding(("debrief", "health_index", mid), "warning",
                          f"metric '{mid}' is in both the proxy index and the health index, "
                          "so it hides the gap between them")


def _check_cost(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """One bot game fits the computing budget (see game.scenario.cost)."""
    refusal = over_budget(game_cost(s))
    if refusal is not None:
        yield Finding((), "error", refusal)


def _check_what_if(s: Scenario, rules: Rules) -> Iterator[Finding]:
    """A what-if regime holds every policy of the roles it locks (else the bots may set the
    rest during the replay), and no two regimes hold the same levels."""
    seen: dict[tuple, str] = {}
    for i, regime in enumerate(s.debrief.what_if):
        loc = ("debrief", "what_if", i, "locks")
        roles = {p.role for p in s.policies if p.id in regime.locks}
        free = [p.id for p in s.policies if p.role in roles and p.id not in regime.locks]
        if free:
            yield Finding(loc, "warning", f"what-if '{regime.name}' leaves {', '.join(free)} "
                                          "free, so the replay's bots may set them; lock them "
                                          "(at off if the regime does without them)")
        held = tuple(sorted(what_if_locks(s, regime).items()))
        if held in seen:
            yield Finding(loc, "warning", f"what-if '{regime.name}' holds the same levels as "
                                          f"'{seen[held]}'; the replay would be the same game")
        seen.setdefault(held, regime.name)


# --- Sampling states within bounds ---

class _Sampler:
    """Draws states within the scenario's bounds to test whether a condition can hold."""

    def __init__(self, s: Scenario, rules: Rules) -> None:
        self.s = s
        self.rules = rules
        self.ranges = _global_ranges(s)
        self.seat_ranges = {r.id: _seat_ranges(s, r.id) for r in s.roles}

    def can_be_true(self, formula: CompiledFormula, role: str | None) -> bool:
        """True if the formula is non-zero for some corner or sampled state."""
        if formula.constant is not None:
            return formula.constant != 0
        ranges = dict(self.ranges)
        if role is not None:
            ranges.update(self.seat_ranges[role])
        names = sorted(formula.names)
        rng = random.Random(0)
        for pick in ("low", "high", "initial"):
            env = {n: _corner(ranges.get(n), pick) for n in names}
            if formula(env):
                return True
        for _ in range(SAMPLES):
            env = {n: _draw(rng, ranges.get(n)) for n in names}
            if formula(env):
                return True
        return False


Range = tuple[float, float, float, bool]
"""(low, high, initial, whole numbers only)."""


def _global_ranges(s: Scenario) -> dict[str, Range]:
    """The range of every name a global formula can read."""
    seats = {r.id: r.seats.max for r in s.roles}
    ranges: dict[str, Range] = {m.id: (m.min, m.max, m.initial, False) for m in s.metrics}
    ranges.update({p.id: (0, len(p.levels) - 1, p.initial, True) for p in s.policies})
    ranges.update({k: (v, v, v, False) for k, v in s.constants.items()})
    ranges["turn"] = (1, s.turns, 1, True)
    ranges["turns"] = (s.turns, s.turns, s.turns, True)
    ranges["headcount"] = (0, sum(seats.values()), sum(seats.values()), True)
    for st in s.stats:
        n = sum(v for r, v in seats.items() if st.roles is None or r in st.roles)
        ranges[f"total_{st.id}"] = (min(0, st.min * n), max(0, st.max * n), st.initial * n, False)
        for agg in ("mean", "max", "min"):
            ranges[f"{agg}_{st.id}"] = (st.min, st.max, st.initial, False)
    for role in s.roles:
        for d in role.decisions:
            n = seats[role.id]
            ranges[f"total_{d.id}"] = (min(0, d.min * n), max(0, d.max * n), d.initial * n, False)
            for agg in ("mean", "max", "min"):
                ranges[f"{agg}_{d.id}"] = (d.min, d.max, d.initial, False)
    for k, draw in s.randoms.items():
        low, high = draw.bounds()
        ranges[k] = (low, high, (low + high) / 2, False)
    return ranges


def _seat_ranges(s: Scenario, role_id: str) -> dict[str, Range]:
    """The extra names a seat formula of `role_id` can read."""
    role = s.role(role_id)
    ranges: dict[str, Range] = {st.id: (st.min, st.max, st.initial, False)
                                for st in s.stats_of(role_id)}
    for b in s.behaviours_of(role_id):
        most = role.effort if b.max_effort is None else min(role.effort, b.max_effort)
        ranges[b.id] = (0, most, 0, True)
    for d in role.decisions:
        ranges[d.id] = (d.min, d.max, d.initial, False)
    ranges["seats"] = (1, role.seats.max, role.seats.default, True)
    ranges["rank"] = (0, role.seats.max, 0, True)
    ranges["score"] = (*SCORE_RANGE, 0.0, False)
    ranges["effort"] = (0, role.effort, 0, True)
    specs = {d.id: d for r in s.roles for d in r.decisions} | {st.id: st for st in s.stats}
    for name in neighbour_names(s):
        st = specs[name.partition(".")[2]]
        ranges[name] = (min(0.0, st.min), st.max, st.initial, False)  # 0 with nobody there
    return ranges


def _corner(r: Range | None, pick: str) -> float:
    if r is None:
        return 0.0
    return {"low": r[0], "high": r[1], "initial": r[2]}[pick]


def _draw(rng: random.Random, r: Range | None) -> float:
    """A value in the range: whole numbers where the name counts things."""
    if r is None:
        return 0.0
    low, high, _initial, whole = r
    if whole:
        return float(rng.randint(int(low), int(high)))
    return rng.uniform(low, high)
