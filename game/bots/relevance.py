"""Which effects can change what an objective reads (`relevant`), and every name they read.

A forecast (game.bots.forecast) plays only these effects: the fixed point of "an effect
matters if it targets something that matters", from the names the objective reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.scenario.rules import AGGREGATES, CEffect, Rules


@dataclass(frozen=True, slots=True)
class Relevant:
    """The effects that can change what an objective reads, and every name they read."""

    behaviours: dict[str, tuple[tuple[str, tuple[CEffect, ...]], ...]]
    """role -> ((behaviour id, effects), ...) in file order."""
    policies: tuple[tuple[str, tuple[CEffect, ...]], ...]
    dynamics: tuple[CEffect, ...]
    reads: frozenset[str]
    post_stats: frozenset[str]
    """Stats whose end-of-turn value matters (directly or through an aggregate)."""
    aggregated: tuple[str, ...]
    """Stats whose aggregates (`total_S`, ...) some relevant formula reads."""


def _stat_of(name: str, stats: set[str]) -> str | None:
    """The stat behind `name`: the stat itself or the stat of an aggregate such as `max_S`."""
    if name in stats:
        return name
    head, _, tail = name.partition("_")
    return tail if head in AGGREGATES and tail in stats else None


def relevant(rules: Rules, objective_reads: frozenset[str], horizon: int) -> Relevant:
    """The fixed point of "an effect matters if it targets something that matters"."""
    stats, metrics = set(rules.stat_specs), set(rules.metric_specs)
    needed: set[str] = set()
    reads: set[str] = set(objective_reads)

    def need(names: frozenset[str] | set[str], post: bool) -> None:
        for name in names:
            reads.add(name)
            stat = _stat_of(name, stats)
            if stat is None and horizon > 1 and "." in name:  # a neighbour's stat
                stat = _stat_of(name.partition(".")[2], stats)
            if stat is not None and post:
                needed.add(stat)
            elif name in metrics and post:
                needed.add(name)

    need(objective_reads, True)
    size = -1
    while size != len(needed) + len(reads):
        size = len(needed) + len(reads)
        for b in rules.behaviours:
            for e in b.effects:
                if e.target in needed:
                    need(e.names, horizon > 1)
        for p in rules.policies:
            for e in p.effects:
                if e.target in needed:
                    need(e.names | {p.id}, horizon > 1)
        for e in rules.dynamics:
            if e.target in needed:
                need({n for n in e.names if n not in metrics}, True)
                need({n for n in e.names if n in metrics}, horizon > 1)
        for flow in rules.flows if horizon > 1 else ():
            if flow.to in needed:
                need(flow.source.names, True)
    for b in rules.behaviours:
        need(b.available.names, False)
    by_role: dict[str, list] = {}
    for b in rules.behaviours:
        effects = tuple(e for e in b.effects if e.target in needed)
        by_role.setdefault(b.role, []).append((b.id, effects))
    policies = tuple((p.id, tuple(e for e in p.effects if e.target in needed))
                     for p in rules.policies)
    dynamics = tuple(e for e in rules.dynamics if e.target in needed)
    aggregated = tuple(sorted({s for n in reads if (s := _stat_of(n, stats)) and n != s}))
    return Relevant({r: tuple(v) for r, v in by_role.items()}, policies, dynamics,
                    frozenset(reads), frozenset(n for n in needed if n in stats), aggregated)
