"""Effects over a batch (docs/rules.md, "Effects"):
each effect's `when`, then a draw only for a chance strictly between 0 and 1, then its value
(times the effort points in a seat's work) goes into the step's changes, or waits `delay`
turns as a push. Formulas are evaluated once per effect for every game (and every seat); the
draws and the additions run in the scalar order: effect by effect, seat by seat.

- `apply_list`: effects outside a seat (policies, dynamics, events): a metric effect once per
  game, a stat effect for every employed seat that has the stat (of the effect's `roles`).
- `passes` and `land`: an effect's test and where its amount goes, for callers that apply
  effects of one acting seat (a review's consequences, game.engine.batch.review).
- `apply_work`: every seat's effort, seat by seat, behaviour by behaviour, with the random
  names drawn from the seat's "work" stream (`Lanes`) only where it can observe them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from game.engine.batch.changes import Changes
from game.engine.batch.env import Env, per_game, seat_env
from game.engine.batch.masks import anywhere
from game.engine.batch.state import Batch
from game.engine.batch.streams import Lanes, draws, lanes_of, observes
from game.engine.env import per_rules
from game.scenario.rules import CEffect, Rules


def _observing(rules: Rules) -> frozenset[str]:
    """The behaviours whose effects can observe a seat's "work" stream (see `observes`)."""
    return frozenset(b.id for b in rules.behaviours if observes(rules, b.effects))


observing_behaviours = per_rules(_observing)


def _drawn_stats(rules: Rules) -> frozenset[str]:
    """The stats some work effect changes now after a draw: their work effects all land
    seat by seat (`apply_work`), so that each seat's additions keep the scalar order."""
    return frozenset(e.target for b in rules.behaviours for e in b.effects
                     if e.on_seat and e.delay == 0 and draws(e))


drawn_stats = per_rules(_drawn_stats)


def delay_of(batch: Batch, effect: CEffect, direct: bool) -> int:
    """The effect's delay, with its metric's own unless `direct` (events, consequences)."""
    return effect_delay(effect, batch.layout.metric_delay, direct)


def effect_delay(effect: CEffect, metric_delay: dict[str, int], direct: bool) -> int:
    """`delay_of` with each metric's own delay given (`Layout.metric_delay`)."""
    if effect.on_seat or direct:
        return effect.delay
    return effect.delay + metric_delay[effect.target]


def passes(when: np.ndarray, chance: np.ndarray, mask: np.ndarray, lanes: Lanes | None
           ) -> np.ndarray:
    """(G,) where an effect applies: in `mask`, its `when` true, and its chance at least 1 or
    above 0 and above a draw from `lanes`, drawn only where the chance is strictly between.
    `when` and `chance` are (G,) or 0-d (the same in every game)."""
    holds = mask & (when != 0.0)
    if chance.ndim == 0 and (chance >= 1.0 or chance <= 0.0):  # nothing to draw
        return holds if chance >= 1.0 else holds & False
    sure = chance >= 1.0
    drawn = holds & ~sure & (chance > 0.0)
    if not anywhere(drawn):
        return holds & sure
    return (holds & sure) | (drawn & (lanes.random(drawn) < chance))


def certain(effect: CEffect) -> bool:
    """Whether `effect` applies wherever it is offered: its `when` a constant other than 0
    and its chance a constant at or above 1, as the scalar formulas compute them (nothing to
    test, nothing to draw; `applies` checks the values over arrays agree)."""
    when, chance = effect.when.constant, effect.chance.constant
    return when is not None and when != 0.0 and chance is not None and chance >= 1.0


def applies(effect: CEffect, when: np.ndarray, chance: np.ndarray, mask: np.ndarray,
            lanes: Lanes | None) -> np.ndarray:
    """`passes` for `effect`: `mask` itself (the callers only read it) where the effect is
    `certain` and its values over arrays (0-d) say so too: numpy's `exp` and `**` may put a
    constant chance that Python rounds to 1 a hair below 1, and `passes` then draws."""
    if certain(effect) and float(when) != 0.0 and float(chance) >= 1.0:
        return mask
    return passes(when, chance, mask, lanes)


def land(batch: Batch, changes: Changes, effect: CEffect, delay: int, direct: bool,
         amount: np.ndarray, mask: np.ndarray, seat: int | None) -> None:
    """Put `amount` (G,) into `changes` where `mask`: a push when delayed, else an addition
    or a set of the metric, or of stat `effect.target` of `seat`."""
    if delay > 0:
        changes.push(batch.turn + delay, effect.target, seat if effect.on_seat else None,
                     effect.mode, direct, amount, mask)
    elif not effect.on_seat:
        m = batch.layout.metric(effect.target)
        if effect.mode == "set":
            changes.set_metric(m, amount, mask)
        else:
            changes.add_metric(m, amount, mask)
    elif effect.mode == "set":
        changes.set_stat(seat, batch.layout.stat(effect.target), amount, mask)
    else:
        changes.add_stat(seat, batch.layout.stat(effect.target), amount, mask)


def seatwise(effect: CEffect, delay: int) -> bool:
    """Whether a stat effect may land for every seat at once: it changes a stat now (no
    push: the pending list keeps pushes in seat order) and never draws (draws are taken in
    seat order). Each seat's stat is its own sum, so its additions keep their order."""
    return effect.on_seat and delay == 0 and not draws(effect)


def land_seats(batch: Batch, changes: Changes, effect: CEffect, amount: np.ndarray,
               mask: np.ndarray) -> None:
    """Add or set `amount` (broadcast to (G, S)) to stat `effect.target` of every seat where
    `mask` (G, S): `land` for a `seatwise` effect, all seats in one call."""
    t = batch.layout.stat(effect.target)
    if effect.mode == "set":
        changes.set_stats(t, amount, mask)
    else:
        changes.add_stats(t, amount, mask)


def _evaluate(batch: Batch, effect: CEffect, env: Env, memo: dict[str, np.ndarray],
              own: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, ...]:
    """(when, chance, value) of `effect` on `env`, each as its formula gives it (0-d, (G, 1)
    or (G, S)); `at_seat` takes one seat's values. A formula whose text is in `memo` (the
    same text, evaluated on the same names) is not evaluated again: its values are shared,
    never changed in place. With `own`, a formula that reads `effort` is kept there (a
    behaviour's own memo: the effort is the one name that differs between behaviours)."""
    out = []
    for source, formula, reads_effort in batch.layout.parts(effect):
        kept = own if own is not None and reads_effort else memo
        found = kept.get(source)
        if found is None:
            found = kept[source] = formula(env)
        out.append(found)
    return tuple(out)


def at_seat(values: np.ndarray, k: int) -> np.ndarray:
    """Seat k's values (G,) of a formula's result on a seat env (0-d stays 0-d: the same for
    every game and seat; (G, 1) is every seat's)."""
    if values.ndim == 0:
        return values
    return values[:, k if values.shape[1] > 1 else 0]


def _eligible(batch: Batch, effect: CEffect) -> np.ndarray:
    """(G, S) the seats a stat effect outside a seat applies to: employed, with the stat,
    of one of the effect's roles if it names any."""
    return batch.employed & batch.layout.holders(effect.target, effect.roles)


def apply_list(batch: Batch, effects: Iterable[CEffect], genv: Env, changes: Changes,
               lanes: Lanes | None, mask: np.ndarray, direct: bool = False,
               senv: Env | None = None) -> None:
    """Apply effects outside a seat, in order, in the games of `mask` (G,): metric effects
    once on the global names `genv`, stat effects for each eligible seat in seat order on
    the seat names (`senv`, built from `genv` if not given); chance draws from `lanes`."""
    g, on_games, on_seats = batch.size, {}, {}
    for effect in effects:
        delay = delay_of(batch, effect, direct)
        if not effect.on_seat:
            when, chance, value = _evaluate(batch, effect, genv, on_games)
            land(batch, changes, effect, delay, direct, per_game(value, g),
                 applies(effect, per_game(when, g), per_game(chance, g), mask, lanes), None)
            continue
        if senv is None:
            senv = seat_env(batch, genv)
        when, chance, value = _evaluate(batch, effect, senv, on_seats)
        eligible = _eligible(batch, effect) & mask[:, None]
        if seatwise(effect, delay):
            land_seats(batch, changes, effect, value, applies(effect, when, chance, eligible, None))
            continue
        for k in eligible.any(axis=0).nonzero()[0].tolist():
            land(batch, changes, effect, delay, direct, at_seat(value, k),
                 applies(effect, at_seat(when, k), at_seat(chance, k), eligible[:, k], lanes), k)


def apply_work(batch: Batch, genv: Env, changes: Changes) -> None:
    """Every employed seat's effort (docs/rules.md, resolution step 3): seat by seat in seat
    order, behaviour by behaviour in file order, each effect's value times the points where
    the points are above 0, on the snapshot `genv` and the seat's own names, its random
    names from its "work" stream (`work_draws`); chances drawn from that stream too. The
    `seatwise` effects land for every seat at once (`_work_together`), the rest seat by
    seat (each seat's changes keep that order: see `drawn_stats`)."""
    rules, layout = batch.rules, batch.layout
    active = batch.employed & batch.allocated
    lanes = [lanes_of(batch, batch.turn, "work", k) for k in range(layout.seats)]
    senv = seat_env(batch, genv, work_draws(batch, lanes, active))
    evaluated = _work_together(batch, senv, changes, active)
    for k, role in enumerate(layout.roles):
        for behaviour in rules.behaviours_of(role):
            found = evaluated.get(behaviour.id)
            if found is None or not found[2][k]:
                continue  # seat k does not work on it, or its effects have all landed
            points, working, _, rest = found
            for effect, delay, (when, chance, value) in rest:
                land(batch, changes, effect, delay, False, at_seat(value, k) * points[:, k],
                     applies(effect, at_seat(when, k), at_seat(chance, k), working[:, k],
                             lanes[k]), k)


def _work_effects(rules: Rules) -> list[tuple[tuple[CEffect, int, bool], ...]]:
    """Per behaviour (file order): each of its effects with its delay (`delay_of`: its
    metric's own added) and whether it lands for every seat at once (`seatwise`, on a stat
    that no work effect draws for: see `drawn_stats`)."""
    drawn, delays = drawn_stats(rules), {m.id: m.delay for m in rules.scenario.metrics}
    out = []
    for behaviour in rules.behaviours:
        planned = []
        for effect in behaviour.effects:
            delay = effect_delay(effect, delays, False)
            planned.append((effect, delay,
                            seatwise(effect, delay) and effect.target not in drawn))
        out.append(tuple(planned))
    return out


work_effects = per_rules(_work_effects)


def _work_together(batch: Batch, senv: Env, changes: Changes, active: np.ndarray) -> dict:
    """Evaluate the effects of every behaviour some active seat works on (`senv` with its
    `effort`) and land the `seatwise` ones for every seat; returns, per behaviour with
    effects left to land seat by seat, (points (G, S), working (G, S), whether each seat
    works on it anywhere, [(effect, delay, (when, chance, value))] of those effects)."""
    rules, layout = batch.rules, batch.layout
    evaluated, shared, planned = {}, {}, work_effects(rules)
    works = (batch.effort > 0) & active[:, :, None]  # (G, S, B)
    for b in works.any(axis=(0, 1)).nonzero()[0].tolist():  # nobody works on the others
        behaviour = rules.behaviours[b]
        points = senv["effort"] = np.ascontiguousarray(batch.effort[:, :, b])
        working = works[:, :, b]
        own: dict[str, np.ndarray] = {}
        effects = [(e, delay, together, _evaluate(batch, e, senv, shared, own))
                   for e, delay, together in planned[b]]
        working = working & layout.role_of_seat[behaviour.role]
        rest = []
        for effect, delay, together, (when, chance, value) in effects:
            if together:
                land_seats(batch, changes, effect, value * points,
                           applies(effect, when, chance, working, None))
            else:
                rest.append((effect, delay, (when, chance, value)))
        if rest:
            evaluated[behaviour.id] = (points, working, working.any(axis=0).tolist(), rest)
    return evaluated


def work_draws(batch: Batch, lanes: list[Lanes], active: np.ndarray) -> dict[str, np.ndarray]:
    """Each seat's random names for its work (name -> (G, S), NaN where not drawn): drawn
    from the seat's "work" stream (`lanes[k]`), in declaration order, only in the games where
    the seat is `active` (G, S) and spends effort on a behaviour that can observe the stream
    (otherwise no number it would give is read)."""
    rules, layout = batch.rules, batch.layout
    out = {name: np.full(active.shape, np.nan) for name, _, _ in layout.randoms}
    if not layout.randoms:
        return out
    watching = observing_behaviours(rules)
    for k, role in enumerate(layout.roles):
        watched = [b for b, behaviour in enumerate(rules.behaviours)
                   if behaviour.role == role and behaviour.id in watching]
        if not watched:
            continue
        observing = (batch.effort[:, k, watched] > 0).any(axis=1) & active[:, k]
        if anywhere(observing):
            for name, values in lanes[k].draws(layout.randoms, observing).items():
                out[name][:, k] = values
    return out
