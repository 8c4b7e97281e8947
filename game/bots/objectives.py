"""What a bot wants, as a number computed from a forecast: its review, or a debrief index."""

from __future__ import annotations

from dataclasses import dataclass

from game.scenario.formula import compile_formula
from game.scenario.rules import Rules

_ZERO = compile_formula("0")


@dataclass(frozen=True)
class Objective:
    """A quantity to maximise: `review` of a role, or a debrief index (`proxy`, `health`).

    `eventual` counts delayed and smoothed pushes in full; `horizon` is how many turns the
    forecast plays before measuring.
    """

    kind: str
    role: str
    reads: frozenset[str]
    eventual: bool
    horizon: int
    terms: tuple = ()
    weights: tuple[tuple[str, float, float, float, bool], ...] = ()

    def value(self, env: dict[str, float], seat_env: dict[str, float] | None) -> float:
        """The objective, from the env after the forecast (and the seat's own env)."""
        if self.kind == "review":
            score, terms = self.terms
            total = score.fn(seat_env)  # (`fn`: the formula's own function, its value)
            for pid, term in terms:
                if seat_env[pid] > 0:
                    total += term.fn(seat_env)
            return total
        acc = 0.0
        for row in self.weights:
            acc += index_term(row, env[row[0]])
        return acc


def index_term(row: tuple[str, float, float, float, bool], value: float) -> float:
    """A metric's part of an index, for a row (metric, weight, min, span, higher is better)
    of `Objective.weights` and the metric's `value`."""
    _, weight, low, span, higher = row
    share = (value - low) / span
    if not higher:
        share = 1.0 - share
    return abs(weight) * (share if weight >= 0 else 1.0 - share)


def review_objective(rules: Rules, role: str, active: frozenset[str] | None = None,
                     horizon: int = 1) -> Objective:
    """The seat's own review score: the role's score plus the terms of active policies (all
    policies with a term when `active` is None), this turn, or summed over `horizon` turns
    (see `AllocationPlanner`)."""
    rv = rules.reviews.get(role)
    if rv is None:
        return Objective("review", role, frozenset(), False, horizon, terms=(_ZERO, ()))
    terms = tuple((pid, t) for pid, t in rv.terms if active is None or pid in active)
    reads = set(rv.score.names)
    for pid, term in terms:
        reads |= term.names | {pid}
    return Objective("review", role, frozenset(reads), False, horizon,
                     terms=(rv.score, terms))


def term_policies(rules: Rules, role: str) -> tuple[str, ...]:
    """The policies whose review terms apply to `role`."""
    rv = rules.reviews.get(role)
    return tuple(pid for pid, _ in rv.terms) if rv else ()


def index_objective(rules: Rules, role: str, which: str, horizon: int = 1) -> Objective:
    """A debrief index (`proxy` or `health`) with every push counted in full."""
    weights = getattr(rules.scenario.debrief, f"{which}_index")
    total = sum(abs(w) for w in weights.values()) or 1.0
    rows = []
    for mid, weight in weights.items():
        m = rules.metric_specs[mid]
        rows.append((mid, 100.0 * weight / total, m.min, m.max - m.min, m.higher_is_better))
    return Objective(which, role, frozenset(weights), True, horizon, weights=tuple(rows))
