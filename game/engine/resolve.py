"""Resolution, review and news: the rules of docs/rules.md, applied to a state in place.

Callers own the state they pass (see `Game.apply`, which copies first). Every step reads the
snapshot taken at the start of resolution, so seats act simultaneously.

This is the simulator's hot path, so what depends only on the rules is worked out once per
Rules (`Plan`, in game.engine.resolve_plan): every list of effects, every review score and
every condition becomes generated code (game.engine.resolve_code) with formulas inlined,
constants folded and a seat's names read where they live, so no seat env is built; the plan
is looked up once per turn and passed down, with the env lookups it holds; environments
carry only the aggregates some formula reads (`run_env`, without the constants); the seats
are read once a turn (`game.engine.env.Roster`: outside a simulator batch a pydantic model's
every attribute read goes through a slow hook), the state's fields through its `__dict__`;
and a random stream whose numbers nothing can observe is not seeded. What must never change
is the arithmetic: every float is summed, and every random number drawn, in the same order
as docs/rules.md implies (tests/engine/test_golden.py checks results bit for bit).
"""

from __future__ import annotations

import random
from collections import defaultdict
from operator import itemgetter

from game.engine.actions import construct_from
from game.engine.env import Roster, draws_of, run_env, skip_draws
from game.engine.flows import ship_and_deliver
from game.engine.ranking import settle_ties
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
    kept per seat (seat index -> stat id -> amount; a seat's dict is made at its first
    change); adding to a missing stat starts from 0.0."""

    __slots__ = ("metric_add", "metric_set", "pending", "stat_add", "stat_set")

    def __init__(self) -> None:
        self.metric_add: dict[str, float] = {}
        self.metric_set: dict[str, float] = {}
        self.stat_add: defaultdict[int, dict[str, float]] = defaultdict(dict)
        self.stat_set: defaultdict[int, dict[str, float]] = defaultdict(dict)
        self.pending: list[Pending] = []

    def empty(self) -> bool:
        """Whether no change was collected."""
        return not (self.stat_add or self.stat_set or self.metric_add or self.metric_set
                    or self.pending)


def apply_effects(plan: Plan, rules: Rules, state: GameState, effects: tuple[CEffect, ...],
                  genv: dict[str, float], changes: Changes, rng: random.Random,
                  direct: bool = False, roster: Roster | None = None) -> None:
    """Apply effects outside a seat, in order: metric targets once, stat targets once per
    employed seat that has the stat (and is of one of the effect's `roles`), in seat order
    (`Plan.effect_list`), over `roster` if given (the state's own, still valid). A stat
    effect reads the seat's names from the state itself: nothing changes it until the
    step's changes are applied."""
    fields = state.__dict__  # (see `Roster`)
    if roster is None:
        roster = Roster(plan.lk, fields["seats"])
    plan.effect_list(rules, effects, direct)(genv, rng, changes, fields["turn"], roster.rows,
                                             fields["allocations"])


def _behaviour_effects(plan: Plan, state: GameState, genv: dict[str, float],
                       changes: Changes, roster: Roster | None = None) -> None:
    """Every employed seat's effort, seat by seat, behaviour by behaviour (`Plan.work`, which
    seeds the seat's "work" stream only when its effort can observe it)."""
    fields = state.__dict__
    if roster is None:
        roster = Roster(plan.lk, fields["seats"])
    work, allocations, seed, turn = plan.work, fields["allocations"], fields["seed"], fields["turn"]
    for index, role, stats, _, values in roster.rows:
        alloc = allocations.get(index)
        if alloc:
            work[role](genv, stream, seed, turn, index, changes, stats, alloc, values)


def _due(state: GameState, changes: Changes) -> None:
    """Move pending changes that fall due this turn into `changes`."""
    fields = state.__dict__
    turn, metrics = fields["turn"], fields["metrics"]
    keep: list[Pending] = []
    stat_add, metric_add = changes.stat_add, changes.metric_add
    for p in fields["pending"]:
        v = p.__dict__
        if v["due"] != turn:
            keep.append(p)
        elif v["seat"] is not None:
            if v["mode"] == "set":
                changes.stat_set[v["seat"]][v["target"]] = v["amount"]
            else:
                adds = stat_add[v["seat"]]
                adds[v["target"]] = adds.get(v["target"], 0.0) + v["amount"]
        elif v["mode"] == "set":
            changes.metric_set[v["target"]] = v["amount"]
        elif v["direct"]:
            metrics[v["target"]] += v["amount"]
        else:
            metric_add[v["target"]] = metric_add.get(v["target"], 0.0) + v["amount"]
    assign(state, {"pending": keep})


def apply_stats(plan: Plan, state: GameState, changes: Changes,
                roster: Roster | None = None) -> None:
    """Apply collected stat changes and clamp every touched stat to its bounds. Each
    (seat, stat) is written once, from its own old value, so the order does not matter. A
    set value is where the stat's additions start: it is written first, with an addition of
    0.0 if it has none, so every stat is then added to and clamped alike (the step's
    changes are spent: callers clear or drop them)."""
    bounds = plan.bounds
    stat_add = changes.stat_add
    stats_of = (roster if roster is not None else Roster(plan.lk, state.seats)).stats_of
    for seat_index, sets in changes.stat_set.items():
        stats, adds = stats_of[seat_index], stat_add[seat_index]
        for stat_id, value in sets.items():
            if stat_id in stats:
                stats[stat_id] = value
                adds.setdefault(stat_id, 0.0)
    for seat_index, adds in stat_add.items():
        stats = stats_of[seat_index]
        for stat_id, add in adds.items():
            if stat_id in stats:
                value = stats[stat_id] + add
                low, high = bounds[stat_id]
                # min(high, max(low, value)), spelt out: the same result (NaN included)
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
        changed = (changes.metric_add.keys() | changes.metric_set.keys() if changes.metric_set
                   else changes.metric_add)
        _move_metrics([rows[mid] for mid in changed], state, changes, smooth)


def _move_metrics(rows, state: GameState, changes: Changes, smooth: bool) -> None:
    """`apply_metrics` for the metrics of `rows` (from `Plan.metrics`), in any order: each
    metric is moved on its own."""
    fields = state.__dict__  # (see `Roster`)
    metrics, carries = fields["metrics"], fields["carry"]
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


def finish(plan: Plan, state: GameState, changes: Changes, smooth: bool,
           roster: Roster | None = None) -> None:
    """Apply a step's changes: stats, then metrics, then queue what is delayed."""
    apply_stats(plan, state, changes, roster)
    apply_metrics(plan, state, changes, smooth)
    if changes.pending:
        assign(state, {"pending": state.pending + changes.pending})


def resolve_turn(rules: Rules, state: GameState) -> None:
    """Resolution and review of the current turn, then the next turn's news. The seats are
    read once (`Roster`), and again only after a layoff."""
    plan = plan_for(rules)
    fields = state.__dict__  # (see `Roster`)
    seed, turn, policies, allocations = (fields["seed"], fields["turn"], fields["policies"],
                                         fields["allocations"])
    roster = Roster(plan.lk, fields["seats"])
    rows = roster.rows
    if plan.reset:
        for _, _, stats, _, _ in rows:
            for stat_id, initial in plan.reset:
                if stat_id in stats:
                    stats[stat_id] = initial
    rng = stream(seed, turn, "resolve") if plan.resolve_draws else None
    genv = run_env(plan.lk, state, plan.work_keys, rng, roster)
    changes = Changes()
    _behaviour_effects(plan, state, genv, changes, roster)
    policy_lists, dynamics = plan.turn_lists(rules)
    for policy_id, apply in policy_lists:
        if policies[policy_id] > 0:
            apply(genv, rng, changes, turn, rows, allocations)
    _due(state, changes)
    apply_stats(plan, state, changes, roster)
    changes.stat_add.clear()
    changes.stat_set.clear()
    after_work = run_env(plan.lk, state, plan.dynamics_keys, rng, roster)
    dynamics(after_work, rng, changes, turn, rows, allocations)
    finish(plan, state, changes, True, roster)
    if rules.flows:
        ship_and_deliver(rules, state)
    reviews, roster = review(plan, rules, state, roster)
    _record(state, reviews, roster)
    assign(state, {"turn": turn + 1, "allocations": {}, "news": []})
    if turn + 1 > rules.scenario.turns:
        assign(state, {"phase": "ended"})
        return
    _news(plan, rules, state, roster)


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


_first = itemgetter(0)

_REVIEWED = ("score", "rank", "score_total")
"""The fields of a seat that its review writes."""


def review(plan: Plan, rules: Rules, state: GameState, roster: Roster | None = None
           ) -> tuple[dict[str, list[ReviewRow]], Roster]:
    """Score, rank and reward or penalise every employed seat of each reviewed role, and
    give the seats as they are after it (`roster`, if given, as they were before it: a
    layoff changes them). Scores and consequences read a seat's names where they live (see
    `Plan.scores`)."""
    fields = state.__dict__  # (see `Roster`)
    if roster is None:
        roster = Roster(plan.lk, fields["seats"])
    genv = run_env(plan.lk, state, plan.review_keys, roster=roster)
    after = genv  # scores and ranks are not global names, so consequences may reuse them
    out: dict[str, list[ReviewRow]] = {}
    rng = _LazyStream(fields["seed"], fields["turn"], "review") if plan.review_draws else None
    policies, allocations = fields["policies"], fields["allocations"]
    for role in rules.reviews:
        score = plan.scores[role]
        # only seats of another role are laid off before a role is reviewed, so the roster
        # still has this role's seats right, in seat order (the order of `state.seats`)
        if role in plan.global_scores:  # one score for all, with no seat's names to read
            same = score(genv, None, None, None, policies)
            ranked = [(same, row) for row in roster.rows if row[1] == role]
        else:  # by score, highest first
            ranked = sorted([
                (score(genv, row[2], allocations.get(row[0]) or NO_EFFORT, row[4], policies), row)
                for row in roster.rows if row[1] == role], key=_first, reverse=True)
        # equal scores: a seeded draw orders them, or they share a rank (`settle_ties`)
        ranks = settle_ties(ranked, rules.reviews[role].ties, fields["seed"], fields["turn"],
                            "ties", role)
        rows, reviewed = [], []
        for rank, (total, row) in zip(ranks, ranked):
            index, _, _, seat, values = row
            # what `assign` does, with the seat's fields already at hand
            values["score"] = total
            values["rank"] = rank
            values["score_total"] = values["score_total"] + total
            seat.__pydantic_fields_set__.update(_REVIEWED)
            names: list[str] = []
            rows.append(construct_from(ReviewRow, {"seat": index, "score": total, "rank": rank,
                                                   "consequences": names}))
            reviewed.append((row, names))
        if _consequences(plan, state, role, reviewed, rng, after, roster):
            roster = Roster(plan.lk, fields["seats"])
        after = None  # consequences move stats, metrics and seats: read them afresh
        out[role] = rows  # in rank order
    return out, roster


def _consequences(plan: Plan, state: GameState, role: str, reviewed: list[tuple], rng,
                  genv: dict[str, float] | None, roster: Roster) -> bool:
    """Each consequence in file order, for each seat in rank order (`reviewed`: its roster
    row and the list its consequences' names go to); layoffs last. `genv` is the global
    names now, or None to compute them. Every metric has been through `apply_metrics` since
    anything else wrote to it (resolution's last step, or an earlier role's consequences),
    so when nothing changed, applying the changes is skipped: a pass with nothing to add
    leaves clamped metrics as they are (see `Plan.settled`). Returns whether a seat was
    laid off (then `roster` is out of date)."""
    consequences = plan.consequences[role]
    if consequences is None and plan.settled:
        return False  # no change: nothing to apply
    changes = Changes()
    layoffs = []
    fields = state.__dict__
    if consequences is not None:
        if genv is None:
            genv = run_env(plan.lk, state, plan.review_keys, roster=roster)
        turn, allocations = fields["turn"], fields["allocations"]
        for (index, _, stats, seat, values), names in reviewed:
            if consequences(genv, rng, changes, turn, index, values, stats,
                            allocations.get(index) or NO_EFFORT, names):
                layoffs.append(seat)
    if not changes.empty() or not plan.settled:
        finish(plan, state, changes, False, roster)
    for seat in layoffs:
        assign(seat, {"employed": False, "laid_off_turn": fields["turn"]})
    return bool(layoffs)


def _record(state: GameState, reviews: dict[str, list[ReviewRow]], roster: Roster) -> None:
    """Append this turn to the history (secrets included; views filter it). Built without
    validation: every value already has its field's type (validation would copy the same
    dicts and keep the same rows and headlines)."""
    fields = state.__dict__  # (see `Roster`)
    fields["history"].append(construct_from(TurnRecord, {
        "turn": fields["turn"], "metrics": dict(fields["metrics"]),
        "policies": dict(fields["policies"]),
        "allocations": {k: dict(v) for k, v in fields["allocations"].items()},
        "stats": {index: dict(stats) for index, stats in roster.indexed},
        "reviews": reviews, "news": list(fields["news"])}))


def news(rules: Rules, state: GameState) -> None:
    """Check every event in file order at the start of a turn; fire those that hold. The
    random names are drawn for every event checked, in order; an event that reads none of
    them is checked on the global names themselves (the draws still move the stream on)."""
    plan = plan_for(rules)
    _news(plan, rules, state, Roster(plan.lk, state.seats))


def _news(plan: Plan, rules: Rules, state: GameState, roster: Roster) -> None:
    """`news`, given the plan and the seats. An event that fires changes only metrics and
    stats, so the global names are not read afresh after it: the metrics are copied over
    them, and those read again only when the next event checked reads an aggregate of a
    stat it may have changed (a formula sees nothing but the names it reads). The global
    names are those events read (`Plan.news_keys`), the constants folded into their
    generated code. The stream is seeded, and moved on past the draws of the events checked
    so far, only when a number is read from it: the numbers are those it would give anyway,
    and those it would give after the last one read are never read."""
    lk, fields = plan.lk, state.__dict__
    fired = fields["fired"]
    rng = None
    skipped = 0  # the events checked whose draws `rng` has not been moved past yet
    base = None  # the global names without draws
    stale: frozenset[str] = frozenset()  # the aggregates in `base` that fired events moved
    randoms = rules.scenario.randoms
    for event, when, chance_fn, names, reads_randoms, once, moves in plan.events:
        if once and event.id in fired:
            continue
        if base is None or (stale and not stale.isdisjoint(names)):
            base, stale = run_env(lk, state, plan.news_keys, roster=roster), frozenset()
        if reads_randoms:
            if rng is None or skipped:
                rng, skipped = _caught_up(lk, rng, skipped, fields), 0
            genv = base.copy()
            genv.update(draws_of(lk, rng))
        else:
            genv = base  # nothing writes to an env it is given
            if randoms:
                skipped += 1
        if not when(genv):
            continue
        chance = chance_fn(genv)
        if chance < 1.0:
            if not chance > 0.0:
                continue
            if rng is None or skipped:
                rng, skipped = _caught_up(lk, rng, skipped, fields), 0
            if not rng.random() < chance:
                continue
        if rng is None or skipped:
            rng, skipped = _caught_up(lk, rng, skipped, fields), 0
        _fire_event(plan, rules, state, event, genv, rng, roster=roster)
        base.update(fields["metrics"])
        stale |= moves


def _caught_up(lk, rng: random.Random | None, skipped: int, fields: dict) -> random.Random:
    """The news stream of the state whose fields are `fields` (`rng`, or seeded now if None),
    moved on past the draws of `skipped` events (see `_news`)."""
    if rng is None:
        rng = stream(fields["seed"], fields["turn"], "news")
    for _ in range(skipped):
        skip_draws(lk, rng)
    return rng


def fire_event(rules: Rules, state: GameState, event: CEvent, genv: dict[str, float],
               rng: random.Random, injected: bool = False) -> None:
    """Apply an event's effects at once and publish its headline."""
    _fire_event(plan_for(rules), rules, state, event, genv, rng, injected)


def _fire_event(plan: Plan, rules: Rules, state: GameState, event: CEvent,
                genv: dict[str, float], rng: random.Random, injected: bool = False,
                roster: Roster | None = None) -> None:
    """`fire_event`, given the plan (and the seats, if at hand)."""
    if roster is None:
        roster = Roster(plan.lk, state.seats)
    changes = Changes()
    apply_effects(plan, rules, state, event.effects, genv, changes, rng, True, roster)
    finish(plan, state, changes, False, roster)
    fields = state.__dict__
    spec = rules.event_specs[event.id]
    fields["fired"].append(event.id)
    fields["news"].append(construct_from(Headline, {
        "turn": fields["turn"], "event": event.id, "headline": spec.headline,
        "text": spec.text, "injected": injected}))
