"""Searches a planner runs over one forecast: the best effort split by adding points one at a
time (`greedy`), the best number for each decision over a grid and then between the best
one's neighbours (`choose_numbers`, `candidates`), and every legal set of policy levels
(`policy_sets`). Each takes the objective to maximise as a function and knows nothing of
the game (game.bots.plan builds the functions from forecasts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

Option = tuple[str, bool, int]
"""(behaviour id, available, most points)."""
NumberSpec = tuple[str, float, float, float]
"""(decision id, min, max, step): a number a seat chooses (see `choose_numbers`)."""
GRID = 11
"""How many evenly spaced numbers a decision's first search tries (then as many again
between the best one's neighbours)."""
EPS = 1e-9
"""How much better a choice must do than the one it replaces."""


def greedy(evaluate: Callable[[dict[str, int]], float], behaviours: tuple[str, ...],
           options: tuple[Option, ...], effort: int) -> dict[str, int]:
    """Add points one at a time where they raise the objective most; stop when none does.
    The result is then compared with putting everything on a single behaviour."""
    alloc = {bid: 0 for bid in behaviours}
    usable = [(bid, cap) for bid, ok, cap in options if ok and cap > 0]
    current = evaluate(alloc)
    for _ in range(effort):
        best_bid, best_value = None, current + EPS
        for bid, cap in usable:
            if alloc[bid] >= cap:
                continue
            alloc[bid] += 1
            value = evaluate(alloc)
            alloc[bid] -= 1
            if value > best_value:
                best_bid, best_value = bid, value
        if best_bid is None:
            break
        alloc[best_bid] += 1
        current = best_value
    for bid, cap in usable:
        single = {b: 0 for b in behaviours}
        single[bid] = min(cap, effort)
        value = evaluate(single)
        if value > current + EPS:
            alloc, current = single, value
    return {bid: n for bid, n in alloc.items() if n}


def candidates(low: float, high: float, step: float, count: int = GRID) -> list[float]:
    """Up to `count` evenly spaced numbers from `low` to `high`, both included, each put on
    the decision's step (counted from `low`, where `step` > 0), in increasing order."""
    out: list[float] = []
    for i in range(count):
        value = low + (high - low) * i / (count - 1)
        if step > 0:
            value = low + round((value - low) / step) * step
        value = min(max(value, low), high)
        if not out or value > out[-1] + EPS:
            out.append(value)
    return out


def choose_numbers(evaluate: Callable[[dict], float], chosen: dict,
                   specs: tuple[NumberSpec, ...]) -> None:
    """Set each decision of `specs` in `chosen` (which holds every decision's number, and
    the effort split) to the number that raises `evaluate(chosen)` most, one decision after
    the other: first among `candidates` over its whole range, then among as many between
    the best one's neighbours. A number replaces the one in `chosen` only if it does
    strictly better, so a decision the objective ignores keeps its number."""
    for did, low, high, step in specs:
        best, best_value = chosen[did], evaluate(chosen)
        coarse = candidates(low, high, step)
        for values in (coarse, None):
            if values is None:  # refine between the neighbours of the best so far
                i = min(range(len(coarse)), key=lambda j: abs(coarse[j] - best))
                values = candidates(coarse[max(i - 1, 0)], coarse[min(i + 1, len(coarse) - 1)],
                                    step)  # (the neighbours are on the step, so these are)
            for value in values:
                chosen[did] = value
                found = evaluate(chosen)
                if found > best_value + EPS:
                    best, best_value = value, found
        chosen[did] = best


def policy_sets(options: list, budget: float, limit: int = 4096) -> Iterator[dict[str, int]]:
    """Every legal combination of levels: locked ones fixed, no exclusions, within budget."""
    ids = [p.id for p in options]
    active_excl = {p.id: set(p.excludes) for p in options}
    choice: dict[str, int] = {}
    count = 0

    def walk(i: int, cost: float) -> Iterator[dict[str, int]]:
        nonlocal count
        if count >= limit:
            return
        if i == len(options):
            count += 1
            yield dict(choice)
            return
        p = options[i]
        levels = [p.current] if p.locked else range(len(p.levels))
        for level in levels:
            spend = cost + p.cost * level
            if spend > budget + 1e-9:
                continue
            if level > 0 and any(choice.get(x, 0) > 0 for x in active_excl[p.id]):
                continue
            if level > 0 and any(choice.get(q, 0) > 0 and p.id in active_excl[q] for q in ids[:i]):
                continue
            choice[p.id] = level
            yield from walk(i + 1, spend)
            del choice[p.id]

    yield from walk(0, 0.0)
