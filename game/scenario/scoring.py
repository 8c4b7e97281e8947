"""How a role is scored under the policies in force, in plain words, for the players' screens.

A review score is the role's base formula plus the review term of each active policy. Each
part is described by its *drivers*: the seat's own stats, its effort on behaviours, the
numbers it chooses (its role's decisions) and the company's metrics that the formula reads,
each probed from the bottom of its range to the top (everything else at a middle value) to
see whether more of it earns or costs points.
So `lb_weight * min(lb_cap, tokens / token_par)` reads "points for Tokens used (up to a
cap)". Only rules are described (policies and formulas are public), never a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from game.scenario.explain import IDENTIFIER, and_list
from game.scenario.formula import CompiledFormula
from game.scenario.model import Policy, Scenario
from game.scenario.rules import AGGREGATES, Rules, neighbour_names, rules_for

__all__ = ["change_lines", "scoring_lines", "term_words"]

Range = tuple[float, float]


def _ranges(s: Scenario, role: str) -> dict[str, Range]:
    """Every name a driver can be: (lowest, highest) of the role's stats, behaviours and the
    company's metrics."""
    effort = s.role(role).effort
    out: dict[str, Range] = {m.id: (m.min, m.max) for m in s.metrics}
    out |= {st.id: (st.min, st.max) for st in s.stats_of(role)}
    out |= {b.id: (0.0, float(effort if b.max_effort is None else min(effort, b.max_effort)))
            for b in s.behaviours_of(role)}
    out |= {d.id: (d.min, d.max) for d in s.role(role).decisions}
    return out


def _middle_env(rules: Rules, role: str, levels: dict[str, int]) -> dict[str, float]:
    """A seat of `role` in the middle of everything: drivers and aggregates at mid-range,
    the policies at `levels`, the first turn, rank 1 of a full role."""
    s = rules.scenario
    env = {name: (low + high) / 2 for name, (low, high) in _ranges(s, role).items()}
    env |= dict(s.constants)
    env |= {p.id: float(levels.get(p.id, 0)) for p in s.policies}
    for k, draw in s.randoms.items():
        env[k] = draw.mean_sd()[0]
    seats = s.default_count(role) or 1
    for st in s.stats:
        mid = (st.min + st.max) / 2
        env |= {f"mean_{st.id}": mid, f"max_{st.id}": mid, f"min_{st.id}": mid,
                f"total_{st.id}": mid * seats}
    for r in s.roles:
        for d in r.decisions:
            mid = (d.min + d.max) / 2
            env |= {f"mean_{d.id}": mid, f"max_{d.id}": mid, f"min_{d.id}": mid,
                    f"total_{d.id}": mid * (s.default_count(r.id) or 1)}
            env.setdefault(d.id, mid)
    env |= {f"headcount_{r.id}": float(s.default_count(r.id)) for r in s.roles}
    specs = {d.id: d for r in s.roles for d in r.decisions} | {st.id: st for st in s.stats}
    for name in neighbour_names(s):  # a neighbour's stat or decision, mid-range
        spec = specs[name.partition(".")[2]]
        env[name] = (spec.min + spec.max) / 2
    env |= {"turn": 1.0, "turns": float(s.turns), "headcount": float(sum(
        s.default_count(r.id) for r in s.roles)), "seats": float(seats), "score": 0.0, "rank": 1.0,
        "effort": float(s.role(role).effort)}
    return env


_NAME = re.compile(rf"{IDENTIFIER.pattern}(?:\.{IDENTIFIER.pattern})?")


def _in_order(source: str, names: frozenset[str]) -> list[str]:
    """`names` (a neighbour's `downstream.x` whole) in the order they first appear in
    `source`."""
    seen = [m.group() for m in _NAME.finditer(source) if m.group() in names]
    return list(dict.fromkeys(seen))


def _neighbour_ranges(s: Scenario) -> dict[str, Range]:
    """(lowest, highest) of each `upstream.x` / `downstream.x` a formula may read."""
    specs = {d.id: d for r in s.roles for d in r.decisions} | {st.id: st for st in s.stats}
    return {name: (specs[name.partition(".")[2]].min, specs[name.partition(".")[2]].max)
            for name in neighbour_names(s)}


def _label(s: Scenario, name: str) -> str:
    """A driver's name as a player reads it (`downstream.x`: "your downstream neighbour's
    X")."""
    side, dot, own = name.partition(".")
    if dot:
        for d in (d for r in s.roles for d in r.decisions):
            if d.id == own:
                return f"the {d.name.lower()} your {side} neighbour chooses"
        return f"your {side} neighbour's {next(st.name for st in s.stats if st.id == own)}"
    for b in s.behaviours:
        if b.id == name:
            return f"time on {b.name}"
    for st in s.stats:
        if st.id == name:
            return st.name
    for d in (d for r in s.roles for d in r.decisions):
        if d.id == name:
            return f"the {d.name.lower()} you choose"
    return f"the company's {s.metric(name).name}"


def term_words(scenario: Scenario, role: str, source: str, formula: CompiledFormula,
               levels: dict[str, int]) -> str:
    """What earns and what costs points in one review term, e.g. `points for Output; points
    off for Defects found (up to a cap, compared with the others)`. The compiled formula's
    own text is read, in which the named values (`let:`) are written out."""
    source = formula.source
    ranges = _ranges(scenario, role) | _neighbour_ranges(scenario)
    env = _middle_env(rules_for(scenario), role, levels)
    up, down = [], []
    shown = set(ranges) - {st.id for st in scenario.stats if st.bookkeeping}
    for name in _in_order(source, formula.names & shown):
        low, high = ranges[name]
        change = formula(env | {name: high}) - formula(env | {name: low})
        if abs(change) > 1e-9:
            (up if change > 0 else down).append(name)
    parts = ([_points("points for", scenario, up)] if up else []) + \
        ([_points("points off for", scenario, down)] if down else [])
    notes = (["up to a cap"] if re.search(r"\b(min|clamp)\s*\(", source) else []) + \
        (["compared with the others"] if any(n.split("_", 1)[0] in AGGREGATES
                                             for n in formula.names) else [])
    text = "; ".join(parts) or "points that do not depend on what you do"
    return text + (f" ({', '.join(notes)})" if notes else "")


def _points(lead: str, scenario: Scenario, names: list[str]) -> str:
    """`points for A and B`, a neighbour's part named apart: `points for Received and for
    your downstream neighbour's Received`."""
    own = [_label(scenario, n) for n in names if "." not in n]
    near = [_label(scenario, n) for n in names if "." in n]
    if not own:
        return f"{lead} {and_list(near)}"
    return f"{lead} {and_list(own)}" + (f" and {lead.split()[-1]} {and_list(near)}"
                                         if near else "")


def scoring_lines(scenario: Scenario, role: str, levels: dict[str, int],
                  new: frozenset[str] = frozenset()) -> list[str]:
    """What earns `role` review points under the policy `levels` in force: the base review,
    then each active policy with a review term for the role (those in `new` marked as new
    this turn); one line each."""
    rules = rules_for(scenario)
    review = rules.reviews.get(role)
    if review is None:
        return ["Your role is not reviewed."]
    base = scenario.reviews[role].score if role in scenario.reviews else "0"
    lines = [f"Base review: {term_words(scenario, role, base, review.score, levels)}."]
    sources = {p.id: p.review.get(role, "0") for p in scenario.policies}
    for pid, term in review.terms:
        level = levels.get(pid, 0)
        if level > 0:
            policy = rules.policy_specs[pid]
            mark = "New: " if pid in new else ""
            lines.append(f"{mark}{_level_name(policy, level)}: "
                         f"{term_words(scenario, role, sources[pid], term, levels)}.")
    return lines


def _level_name(p: Policy, level: int) -> str:
    """`Public token leaderboard`, or `Weekly AI-usage target (80%)` for a multi-level one."""
    return p.name if len(p.levels) == 2 else f"{p.name} ({p.levels[level]})"


def change_lines(scenario: Scenario, pid: str, before: int, after: int) -> list[str]:
    """A policy change as news: what changed, then what it changes for each role it scores
    (or what the policy does, when it scores nobody)."""
    p = rules_for(scenario).policy_specs[pid]
    lines = [f"{p.name}: now {p.levels[after]} (was {p.levels[before]})."]
    levels = {p.id: after}
    lines += list(_role_effects(scenario, p, before, after, levels))
    if len(lines) == 1 and p.description:
        lines.append(" ".join(p.description.split()))
    return lines


def _role_effects(s: Scenario, p: Policy, before: int, after: int,
                  levels: dict[str, int]) -> Iterator[str]:
    """One line per role whose review the policy has a term in."""
    rules = rules_for(s)
    for role, source in p.review.items():
        term = dict(rules.reviews[role].terms)[p.id]
        name = s.role(role).name
        if after == 0:
            words = term_words(s, role, source, term, {p.id: before})
            yield f"{name}: {words.replace('points ', 'no more points ')}."
        else:
            yield f"{name}: {term_words(s, role, source, term, levels)}."
