"""Resolution, review and news: the rules of docs/rules.md, applied to a state in place.

Callers own the state they pass (see `Game.apply`, which copies first). Every step reads the
snapshot taken at the start of resolution, so seats act simultaneously.
"""

from __future__ import annotations

import random
from collections import defaultdict

from game.engine.actions import construct
from game.engine.env import draws, global_env, seat_env
from game.engine.rng import stream
from game.engine.state import GameState, Headline, Pending, ReviewRow, SeatState, TurnRecord
from game.scenario.rules import CEffect, CEvent, Rules


def _holds(formula, env: dict[str, float]) -> bool:
    """True when a condition formula is non-zero."""
    value = formula.constant
    return bool(formula(env) if value is None else value)


def _fires(effect: CEffect, env: dict[str, float], rng: random.Random) -> bool:
    """Whether an effect applies: its `when` holds and a draw falls under its `chance`."""
    if not _holds(effect.when, env):
        return False
    chance = effect.chance.constant
    if chance is None:
        chance = effect.chance(env)
    if chance >= 1.0:
        return True
    return chance > 0.0 and rng.random() < chance


class Changes:
    """Changes collected during one step, applied together at its end."""

    def __init__(self) -> None:
        self.metric_add: dict[str, float] = defaultdict(float)
        self.metric_set: dict[str, float] = {}
        self.stat_add: dict[tuple[int, str], float] = defaultdict(float)
        self.stat_set: dict[tuple[int, str], float] = {}
        self.pending: list[Pending] = []

    def add(self, rules: Rules, state: GameState, effect: CEffect, amount: float,
            seat: int | None, direct: bool) -> None:
        """Record `effect` with `amount` for `seat` (None: a metric), honouring delays."""
        delay = effect.delay
        if not effect.on_seat and not direct:
            delay += rules.metric_specs[effect.target].delay
        if delay > 0:
            self.pending.append(construct(Pending, due=state.turn + delay, target=effect.target,
                                          seat=seat if effect.on_seat else None,
                                          amount=amount, mode=effect.mode, direct=direct))
        elif effect.on_seat:
            key = (seat, effect.target)
            if effect.mode == "set":
                self.stat_set[key] = amount
            else:
                self.stat_add[key] += amount
        elif effect.mode == "set":
            self.metric_set[effect.target] = amount
        else:
            self.metric_add[effect.target] += amount


def apply_effects(rules: Rules, state: GameState, effects: tuple[CEffect, ...],
                  genv: dict[str, float], changes: Changes, rng: random.Random,
                  direct: bool = False,
                  seat_envs: dict[int, dict[str, float]] | None = None) -> None:
    """Apply effects outside a seat: metric targets once, stat targets once per seat.
    `seat_envs` keeps seat names built from `genv`, for callers that apply several lists of
    effects to the same snapshot."""
    if seat_envs is None:
        seat_envs = {}
    for effect in effects:
        if not effect.on_seat:
            if _fires(effect, genv, rng):
                changes.add(rules, state, effect, effect.value(genv), None, direct)
            continue
        for seat in state.seats:
            if not _targets(rules, effect, seat):
                continue
            env = seat_envs.get(seat.index)
            if env is None:
                env = seat_envs[seat.index] = seat_env(rules, genv, state, seat)
            if _fires(effect, env, rng):
                changes.add(rules, state, effect, effect.value(env), seat.index, direct)


def _targets(rules: Rules, effect: CEffect, seat: SeatState) -> bool:
    """Whether a stat effect outside a behaviour applies to this seat."""
    return (seat.employed and effect.target in seat.stats
            and (effect.roles is None or seat.role in effect.roles))


def _behaviour_effects(rules: Rules, state: GameState, genv: dict[str, float],
                       changes: Changes) -> None:
    """Every employed seat's effort, seat by seat, behaviour by behaviour."""
    for seat in state.seats:
        alloc = state.allocations.get(seat.index)
        if not seat.employed or not alloc:
            continue
        rng = stream(state.seed, state.turn, "work", seat.index)
        env = seat_env(rules, genv, state, seat, rng)
        for behaviour in rules.behaviours_of(seat.role):
            points = alloc.get(behaviour.id, 0)
            if points <= 0:
                continue
            env["effort"] = float(points)
            for effect in behaviour.effects:
                if _fires(effect, env, rng):
                    amount = effect.value(env) * points
                    changes.add(rules, state, effect, amount, seat.index, False)


def _due(state: GameState, changes: Changes) -> None:
    """Move pending changes that fall due this turn into `changes`."""
    keep: list[Pending] = []
    for p in state.pending:
        if p.due != state.turn:
            keep.append(p)
        elif p.seat is not None:
            if p.mode == "set":
                changes.stat_set[(p.seat, p.target)] = p.amount
            else:
                changes.stat_add[(p.seat, p.target)] += p.amount
        elif p.mode == "set":
            changes.metric_set[p.target] = p.amount
        elif p.direct:
            state.metrics[p.target] += p.amount
        else:
            changes.metric_add[p.target] += p.amount
    state.pending = keep


def apply_stats(rules: Rules, state: GameState, changes: Changes) -> None:
    """Apply collected stat changes and clamp every touched stat to its bounds."""
    keys = set(changes.stat_add) | set(changes.stat_set)
    for seat_index, stat_id in sorted(keys):
        seat = state.seats[seat_index]
        if stat_id not in seat.stats:
            continue
        value = changes.stat_set.get((seat_index, stat_id), seat.stats[stat_id])
        value += changes.stat_add.get((seat_index, stat_id), 0.0)
        spec = rules.stat_specs[stat_id]
        seat.stats[stat_id] = min(spec.max, max(spec.min, value))


def apply_metrics(rules: Rules, state: GameState, changes: Changes, smooth: bool) -> None:
    """Move metrics: pushes through inertia when `smooth`, sets directly; clamp to bounds."""
    for metric in rules.scenario.metrics:
        mid = metric.id
        value = state.metrics[mid]
        carry = state.carry[mid]
        if smooth:
            backlog = carry + changes.metric_add.get(mid, 0.0)
            applied = backlog * (1.0 - metric.inertia)
            carry = backlog - applied
            value += applied
        else:
            value += changes.metric_add.get(mid, 0.0)
        if mid in changes.metric_set:
            value, carry = changes.metric_set[mid], 0.0
        if value >= metric.max:
            value, carry = metric.max, min(carry, 0.0)
        elif value <= metric.min:
            value, carry = metric.min, max(carry, 0.0)
        state.metrics[mid] = value
        state.carry[mid] = carry


def finish(rules: Rules, state: GameState, changes: Changes, smooth: bool) -> None:
    """Apply a step's changes: stats, then metrics, then queue what is delayed."""
    apply_stats(rules, state, changes)
    apply_metrics(rules, state, changes, smooth)
    if changes.pending:
        state.pending = state.pending + changes.pending


def resolve_turn(rules: Rules, state: GameState) -> None:
    """Resolution and review of the current turn, then the next turn's news."""
    for seat in state.seats:
        if seat.employed:
            for stat_id in rules.reset_stats:
                if stat_id in seat.stats:
                    seat.stats[stat_id] = rules.stat_specs[stat_id].initial
    rng = stream(state.seed, state.turn, "resolve")
    genv = global_env(rules, state, rng)
    changes = Changes()
    _behaviour_effects(rules, state, genv, changes)
    seat_envs: dict[int, dict[str, float]] = {}  # every policy reads the same snapshot
    for policy in rules.policies:
        if state.policies[policy.id] > 0:
            apply_effects(rules, state, policy.effects, genv, changes, rng, seat_envs=seat_envs)
    _due(state, changes)
    apply_stats(rules, state, changes)
    changes.stat_add.clear()
    changes.stat_set.clear()
    after_work = global_env(rules, state, rng)
    apply_effects(rules, state, rules.dynamics, after_work, changes, rng)
    finish(rules, state, changes, smooth=True)
    reviews = review(rules, state)
    _record(state, reviews)
    state.turn += 1
    state.allocations = {}
    state.news = []
    if state.turn > rules.scenario.turns:
        state.phase = "ended"
        return
    news(rules, state)


def review(rules: Rules, state: GameState) -> dict[str, list[ReviewRow]]:
    """Score, rank and reward or penalise every employed seat of each reviewed role."""
    genv = global_env(rules, state)
    after = genv  # scores and ranks are not global names, so consequences may reuse them
    out: dict[str, list[ReviewRow]] = {}
    rng = stream(state.seed, state.turn, "review")
    for role, rv in rules.reviews.items():
        seats = [s for s in state.seats if s.employed and s.role == role]
        scored = []
        for seat in seats:
            env = seat_env(rules, genv, state, seat)
            score = rv.score(env) + sum(term(env) for pid, term in rv.terms
                                        if state.policies[pid] > 0)
            scored.append((seat, score))
        ranked = sorted(scored, key=lambda pair: (-pair[1], pair[0].index))
        rows = []
        for rank, (seat, score) in enumerate(ranked, start=1):
            seat.score, seat.rank = score, rank
            seat.score_total += score
            rows.append(construct(ReviewRow, seat=seat.index, score=score, rank=rank,
                                  consequences=[]))
        _consequences(rules, state, rv, rows, rng, after)
        after = None  # consequences move stats, metrics and seats: read them afresh
        out[role] = sorted(rows, key=lambda r: r.rank)
    return out


def _consequences(rules: Rules, state: GameState, rv, rows: list[ReviewRow],
                  rng: random.Random, genv: dict[str, float] | None) -> None:
    """Each consequence in file order, for each seat in rank order; layoffs last. `genv` is
    the global names now, or None to compute them."""
    if genv is None:
        genv = global_env(rules, state)
    changes = Changes()
    layoffs: list[SeatState] = []
    for row in rows:
        seat = state.seats[row.seat]
        env = seat_env(rules, genv, state, seat)
        for cons in rv.consequences:
            if not _holds(cons.when, env):
                continue
            row.consequences.append(cons.name)
            for effect in cons.effects:
                if _fires(effect, env, rng):
                    changes.add(rules, state, effect, effect.value(env), seat.index, True)
            if cons.layoff:
                layoffs.append(seat)
    finish(rules, state, changes, smooth=False)
    for seat in layoffs:
        seat.employed = False
        seat.laid_off_turn = state.turn


def _record(state: GameState, reviews: dict[str, list[ReviewRow]]) -> None:
    """Append this turn to the history (secrets included; views filter it)."""
    state.history.append(TurnRecord(
        turn=state.turn, metrics=dict(state.metrics), policies=dict(state.policies),
        allocations={k: dict(v) for k, v in state.allocations.items()},
        stats={s.index: dict(s.stats) for s in state.seats},
        reviews=reviews, news=list(state.news)))


def news(rules: Rules, state: GameState) -> None:
    """Check every event in file order at the start of a turn; fire those that hold."""
    rng = stream(state.seed, state.turn, "news")
    base = None  # the global names without draws; recomputed only after an event fires
    for event in rules.events:
        if event.id in state.fired and not event.repeat:
            continue
        if base is None:
            base = global_env(rules, state)
        genv = base.copy()
        if rules.scenario.randoms:
            genv.update(draws(rules, rng))
        if not _holds(event.when, genv):
            continue
        chance = event.chance.constant if event.chance.constant is not None else event.chance(genv)
        if chance < 1.0 and not (chance > 0.0 and rng.random() < chance):
            continue
        fire_event(rules, state, event, genv, rng)
        base = None


def fire_event(rules: Rules, state: GameState, event: CEvent, genv: dict[str, float],
               rng: random.Random, injected: bool = False) -> None:
    """Apply an event's effects at once and publish its headline."""
    changes = Changes()
    apply_effects(rules, state, event.effects, genv, changes, rng, direct=True)
    finish(rules, state, changes, smooth=False)
    spec = rules.event_specs[event.id]
    state.fired.append(event.id)
    state.news.append(construct(Headline, turn=state.turn, event=event.id,
                                headline=spec.headline, text=spec.text, injected=injected))
