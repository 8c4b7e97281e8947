"""Resolution, review and news: the rules of docs/rules.md, applied to a state in place.

Callers own the state they pass (see `Game.apply`, which copies first). Every step reads the
snapshot taken at the start of resolution, so seats act simultaneously.

This is the simulator's hot path, so what depends only on the rules is worked out once per
Rules (`Plan`, in game.engine.resolve_plan): every list of effects, every review score and
every condition becomes generated code (game.engine.resolve_code) with formulas inlined,
constants folded and a seat's names read where they live, so no seat env is built; the plan
is looked up once per turn and passed down, with the env lookups it holds; environments
carry only the aggregates some formula reads (`run_env`, without the constants); and a
random stream whose numbers nothing can observe is not seeded. What must never change is
the arithmetic: every float is summed, and every random number drawn, in the same order as
docs/rules.md implies (tests/engine/test_golden.py checks results bit for bit).
"""

from __future__ import annotations

import random

from game.engine.actions import construct_from
from game.engine.env import draws_of, run_env, skip_draws
from game.engine.resolve_code import NO_EFFORT
from game.engine.resolve_plan import Plan, plan_for
from game.engine.rng import stream
from game.engine.state import (
    GameState,
    Headline,
    Pending,
    ReviewRow,
    TurnRecord,
    assign,
)
from game.scenario.rules import CEffect, CEvent, Rules


class Changes:
    """Changes collected during one step, applied together at its end. Stat changes are
    keyed by (seat index, stat id); adding to a missing key starts from 0.0."""

    __slots__ = ("metric_add", "metric_set", "pending", "stat_add", "stat_set")

    def __init__(self) -> None:
        self.metric_add: dict[str, float] = {}
        self.metric_set: dict[str, float] = {}
        self.stat_add: dict[tuple[int, str], float] = {}
        self.stat_set: dict[tuple[int, str], float] = {}
        self.pending: list[Pending] = []

    def empty(self) -> bool:
        """Whether no change was collected."""
        return not (self.stat_add or self.stat_set or self.metric_add or self.metric_set
                    or self.pending)


def apply_effects(plan: Plan, rules: Rules, state: GameState, effects: tuple[CEffect, ...],
                  genv: dict[str, float], changes: Changes, rng: random.Random,
                  direct: bool = False) -> None:
    """Apply effects outside a seat, in order: metric targets once, stat targets once per
    employed seat that has the stat (and is of one of the effect's `roles`), in seat order
    (`Plan.effect_list`). A stat effect reads the seat's names from the state itself:
    nothing changes it until the step's changes are applied."""
    plan.effect_list(rules, effects, direct)(genv, rng, changes, state.turn, state.seats,
                                             state.allocations)


def _behaviour_effects(plan: Plan, state: GameState, genv: dict[str, float],
                       changes: Changes) -> None:
    """Every employed seat's effort, seat by seat, behaviour by behaviour (`Plan.work`, which
    seeds the seat's "work" stream only when its effort can observe it)."""
    work, allocations, seed, turn = plan.work, state.allocations, state.seed, state.turn
    for seat in state.seats:
        alloc = allocations.get(seat.index)
        if alloc and seat.employed:
            work[seat.role](genv, stream, seed, turn, seat.index, changes, seat.stats, alloc,
                            seat)


def _due(state: GameState, changes: Changes) -> None:
    """Move pending changes that fall due this turn into `changes`."""
    keep: list[Pending] = []
    stat_add, metric_add = changes.stat_add, changes.metric_add
    for p in state.pending:
        if p.due != state.turn:
            keep.append(p)
        elif p.seat is not None:
            key = (p.seat, p.target)
            if p.mode == "set":
                changes.stat_set[key] = p.amount
            else:
                stat_add[key] = stat_add.get(key, 0.0) + p.amount
        elif p.mode == "set":
            changes.metric_set[p.target] = p.amount
        elif p.direct:
            state.metrics[p.target] += p.amount
        else:
            metric_add[p.target] = metric_add.get(p.target, 0.0) + p.amount
    assign(state, {"pending": keep})


def apply_stats(plan: Plan, state: GameState, changes: Changes) -> None:
    """Apply collected stat changes and clamp every touched stat to its bounds. Each
    (seat, stat) is written once, from its own old value, so the order does not matter."""
    bounds = plan.bounds
    stat_add, stat_set, seats = changes.stat_add, changes.stat_set, state.seats
    pairs = (stat_add.items() if not stat_set  # (key, what is added to it)
             else [(key, stat_add.get(key, 0.0)) for key in stat_set.keys() | stat_add.keys()])
    for key, add in pairs:
        seat_index, stat_id = key
        stats = seats[seat_index].stats
        if stat_id not in stats:
            continue
        value = (stat_set[key] if key in stat_set else stats[stat_id]) + add
        low, high = bounds[stat_id]
        # min(high, max(low, value)), spelt out: the same result (NaN included), no calls
        value = value if value > low else low
        stats[stat_id] = value if value < high else high


def apply_metrics(plan: Plan, state: GameState, changes: Changes, smooth: bool) -> None:
    """Move metrics: pushes through inertia when `smooth`, sets directly; clamp to bounds.
    A pass that is not `smooth` moves only the metrics it changes when the plan is
    `settled`: every metric has been through a pass since anything else wrote to it (or
    still holds its initial value, inside its bounds, with nothing carried), so one with
    nothing to add would leave it as it is (see `Plan.settled`)."""
    if smooth or not plan.settled:
        _move_metrics(plan.metrics, state, changes, smooth)
    elif changes.metric_add or changes.metric_set:
        rows = plan.metric_rows
        _move_metrics([rows[mid] for mid in changes.metric_add.keys() | changes.metric_set.keys()],
                      state, changes, smooth)


def _move_metrics(rows, state: GameState, changes: Changes, smooth: bool) -> None:
    """`apply_metrics` for the metrics of `rows` (from `Plan.metrics`), in any order: each
    metric is moved on its own."""
    metrics, carries = state.metrics, state.carry
    metric_add, metric_set = changes.metric_add, changes.metric_set
    for mid, arrives, low, high in rows:
        value = metrics[mid]
        carry = carries[mid]
        if smooth:
            backlog = carry + metric_add.get(mid, 0.0)
            applied = backlog * arrives
            carry = backlog - applied
            value += applied
        else:
            value += metric_add.get(mid, 0.0)
        if mid in metric_set:
            value, carry = metric_set[mid], 0.0
        if value >= high:
            value, carry = high, min(carry, 0.0)
        elif value <= low:
            value, carry = low, max(carry, 0.0)
        metrics[mid] = value
        carries[mid] = carry


def finish(plan: Plan, state: GameState, changes: Changes, smooth: bool) -> None:
    """Apply a step's changes: stats, then metrics, then queue what is delayed."""
    apply_stats(plan, state, changes)
    apply_metrics(plan, state, changes, smooth)
    if changes.pending:
        assign(state, {"pending": state.pending + changes.pending})


def resolve_turn(rules: Rules, state: GameState) -> None:
    """Resolution and review of the current turn, then the next turn's news."""
    plan = plan_for(rules)
    for seat in state.seats:
        if seat.employed:
            stats = seat.stats
            for stat_id, initial in plan.reset:
                if stat_id in stats:
                    stats[stat_id] = initial
    rng = stream(state.seed, state.turn, "resolve") if plan.resolve_draws else None
    genv = run_env(plan.lk, state, plan.work_keys, rng)
    changes = Changes()
    _behaviour_effects(plan, state, genv, changes)
    for policy in rules.policies:
        if state.policies[policy.id] > 0:
            apply_effects(plan, rules, state, policy.effects, genv, changes, rng)
    _due(state, changes)
    apply_stats(plan, state, changes)
    changes.stat_add.clear()
    changes.stat_set.clear()
    after_work = run_env(plan.lk, state, plan.dynamics_keys, rng)
    apply_effects(plan, rules, state, rules.dynamics, after_work, changes, rng)
    finish(plan, state, changes, smooth=True)
    reviews = review(plan, rules, state)
    _record(state, reviews)
    assign(state, {"turn": state.turn + 1, "allocations": {}, "news": []})
    if state.turn > rules.scenario.turns:
        assign(state, {"phase": "ended"})
        return
    _news(plan, rules, state)


class _LazyStream:
    """`stream(*parts)`, seeded at its first draw. Seeding a generator costs more than most
    reviews do (their consequences draw only for a chance strictly between 0 and 1); the
    numbers drawn are those of the stream itself."""

    __slots__ = ("parts", "rng")

    def __init__(self, *parts: object) -> None:
        self.parts = parts
        self.rng: random.Random | None = None

    def random(self) -> float:
        if self.rng is None:
            self.rng = stream(*self.parts)
        return self.rng.random()


def review(plan: Plan, rules: Rules, state: GameState) -> dict[str, list[ReviewRow]]:
    """Score, rank and reward or penalise every employed seat of each reviewed role. Scores
    and consequences read a seat's names where they live (see `Plan.scores`)."""
    genv = run_env(plan.lk, state, plan.review_keys)
    after = genv  # scores and ranks are not global names, so consequences may reuse them
    out: dict[str, list[ReviewRow]] = {}
    rng = _LazyStream(state.seed, state.turn, "review")
    policies, allocations = state.policies, state.allocations
    for role in rules.reviews:
        score = plan.scores[role]
        if role in plan.global_scores:  # one score for all, with no seat's names to read
            same = score(genv, None, None, None, policies)
            # equal scores rank in seat order, the order of `state.seats`
            ranked = [(same, seat) for seat in state.seats if seat.employed and seat.role == role]
        else:  # by score, highest first, then by seat (indices are unique: seats never compared)
            ranked = [(total, seat) for _, _, total, seat in sorted([
                (-total, seat.index, total, seat) for seat in state.seats
                if seat.employed and seat.role == role
                for total in [score(genv, seat.stats, allocations.get(seat.index) or NO_EFFORT,
                                    seat, policies)]])]
        rows = []
        for rank, (total, seat) in enumerate(ranked, start=1):
            assign(seat, {"score": total, "rank": rank, "score_total": seat.score_total + total})
            rows.append(construct_from(ReviewRow, {"seat": seat.index, "score": total,
                                                   "rank": rank, "consequences": []}))
        _consequences(plan, state, role, rows, rng, after)
        after = None  # consequences move stats, metrics and seats: read them afresh
        out[role] = rows  # in rank order
    return out


def _consequences(plan: Plan, state: GameState, role: str, rows: list[ReviewRow],
                  rng, genv: dict[str, float] | None) -> None:
    """Each consequence in file order, for each seat in rank order; layoffs last. `genv` is
    the global names now, or None to compute them. Every metric has been through
    `apply_metrics` since anything else wrote to it (resolution's last step, or an earlier
    role's consequences), so when nothing changed, applying the changes is skipped: a pass
    with nothing to add leaves clamped metrics as they are (see `Plan.settled`)."""
    consequences = plan.consequences[role]
    changes = Changes()
    layoffs = []
    if consequences is not None:
        if genv is None:
            genv = run_env(plan.lk, state, plan.review_keys)
        turn, allocations, seats = state.turn, state.allocations, state.seats
        for row in rows:
            seat = seats[row.seat]
            if consequences(genv, rng, changes, turn, seat, seat.stats,
                            allocations.get(seat.index) or NO_EFFORT, row.consequences):
                layoffs.append(seat)
    if not changes.empty() or not plan.settled:
        finish(plan, state, changes, smooth=False)
    for seat in layoffs:
        assign(seat, {"employed": False, "laid_off_turn": state.turn})


def _record(state: GameState, reviews: dict[str, list[ReviewRow]]) -> None:
    """Append this turn to the history (secrets included; views filter it). Built without
    validation: every value already has its field's type (validation would copy the same
    dicts and keep the same rows and headlines)."""
    state.history.append(construct_from(TurnRecord, {
        "turn": state.turn, "metrics": dict(state.metrics), "policies": dict(state.policies),
        "allocations": {k: dict(v) for k, v in state.allocations.items()},
        "stats": {s.index: dict(s.stats) for s in state.seats},
        "reviews": reviews, "news": list(state.news)}))


def news(rules: Rules, state: GameState) -> None:
    """Check every event in file order at the start of a turn; fire those that hold. The
    random names are drawn for every event checked, in order; an event that reads none of
    them is checked on the global names themselves (the draws still move the stream on)."""
    _news(plan_for(rules), rules, state)


def _news(plan: Plan, rules: Rules, state: GameState) -> None:
    """`news`, given the plan. An event that fires changes only metrics and stats, so the
    global names are not read afresh after it: the metrics are copied over them, and those
    read again only when the next event checked reads an aggregate of a stat it may have
    changed (a formula sees nothing but the names it reads). The global names are those events
    read (`Plan.news_keys`), the constants folded into their generated code."""
    lk, fired = plan.lk, state.fired
    rng = None  # seeded for the first event checked: seeding alone changes nothing
    base = None  # the global names without draws
    stale: frozenset[str] = frozenset()  # the aggregates in `base` that fired events moved
    randoms = rules.scenario.randoms
    for event, when, chance_fn, names, reads_randoms, once, moves in plan.events:
        if once and event.id in fired:
            continue
        if rng is None:
            rng = stream(state.seed, state.turn, "news")
        if base is None or not stale.isdisjoint(names):
            base, stale = run_env(lk, state, plan.news_keys), frozenset()
        if reads_randoms:
            genv = base.copy()
            genv.update(draws_of(lk, rng))
        else:
            genv = base  # nothing writes to an env it is given
            if randoms:
                skip_draws(lk, rng)
        if not when(genv):
            continue
        chance = chance_fn(genv)
        if chance < 1.0 and not (chance > 0.0 and rng.random() < chance):
            continue
        _fire_event(plan, rules, state, event, genv, rng)
        base.update(state.metrics)
        stale |= moves


def fire_event(rules: Rules, state: GameState, event: CEvent, genv: dict[str, float],
               rng: random.Random, injected: bool = False) -> None:
    """Apply an event's effects at once and publish its headline."""
    _fire_event(plan_for(rules), rules, state, event, genv, rng, injected)


def _fire_event(plan: Plan, rules: Rules, state: GameState, event: CEvent,
                genv: dict[str, float], rng: random.Random, injected: bool = False) -> None:
    """`fire_event`, given the plan."""
    changes = Changes()
    apply_effects(plan, rules, state, event.effects, genv, changes, rng, direct=True)
    finish(plan, state, changes, smooth=False)
    spec = rules.event_specs[event.id]
    state.fired.append(event.id)
    state.news.append(construct_from(Headline, {
        "turn": state.turn, "event": event.id, "headline": spec.headline, "text": spec.text,
        "injected": injected}))
