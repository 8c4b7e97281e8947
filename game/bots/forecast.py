"""A bot's one-turn forecast: the scenario's public rules applied to its beliefs, without dice.

A forecast plays a turn on paper for a few *actors*: seats (or groups of identical seats) whose
effort split is given, and fixed seats whose end-of-turn stats are only estimated. Effects are
taken at their expected value: `chance` multiplies the value, and random draws are at their
mean where that is exact (a formula linear in them), else weighed by their distribution
(game.bots.chance: `u < p` counts as the chance `p`). Only the effects that can change what
the objective reads are evaluated (see `relevant`).

Metric pushes arrive either `immediate`ly, as the engine would move the metric this turn
(nothing that is delayed, and only `1 - inertia` of the rest), or `eventual`ly (the whole push,
as if delay and inertia had played out), which is how a seat that cares about the company
counts latent harm.

A forecast over several turns (a planning horizon, see game.scenario.horizon) plays them with a
`Pipeline`: a delayed change arrives in the turn it falls due, a metric's push goes through its
delay and inertia as in the engine (what has not arrived is carried), and the turns are played
one after the other from the same actors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.bots.beliefs import aggregate_into
from game.bots.chance import Outlook, draws_of, outlook
from game.bots.relevance import Relevant, relevant
from game.scenario.rules import CEffect, Rules

__all__ = ["END", "Actor", "Pipeline", "Relevant", "TurnModel", "relevant"]


@dataclass(slots=True)
class Actor:
    """Seats that act alike in a forecast: `count` seats of `role` with the same stats."""

    role: str
    stats: dict[str, float]
    alloc: dict[str, int] = field(default_factory=dict)
    count: int = 1
    fixed: bool = False
    """A fixed actor's stats are already its end-of-turn estimate; it takes no effects."""
    seats: float = 1.0
    score: float = 0.0
    rank: float = 0.0
    start: dict[str, float] | None = None
    """A fixed actor's stats after the turn's reset (filled on first use)."""
    up: Actor | None = None
    """Its upstream neighbour in a forecast that plays the flows between seats (`END`:
    nobody; None: not in the forecast, so `upstream.x` is guessed)."""
    down: Actor | None = None
    """Its downstream neighbour, as `up`."""


END = Actor("", {}, fixed=True)
"""The neighbour of a seat at the end of a chain: every value it shows is 0."""


@dataclass(slots=True)
class Pipeline:
    """What a forecast of several turns carries from one turn to the next."""

    turn: int = 0
    """The forecast's turns played so far."""
    stats: dict[int, list[tuple[int, str, float, str]]] = field(default_factory=dict)
    """Due turn -> (id of the actor, stat, amount, mode) of each delayed stat change."""
    metrics: dict[int, list[tuple[str, float, str]]] = field(default_factory=dict)
    """Due turn -> (metric, amount, mode) of each delayed push."""
    carry: dict[str, float] = field(default_factory=dict)
    """Per metric, the pushes that inertia still holds back."""
    flows: dict[int, list[tuple[Actor, str, float]]] = field(default_factory=dict)
    """Due turn -> (receiving actor, stat, amount) of each shipment on a flow."""

    def due_stats(self, actor: Actor) -> list[tuple[int, str, float, str]]:
        """The delayed changes to `actor`'s stats that arrive this turn."""
        return [row for row in self.stats.get(self.turn, ()) if row[0] == id(actor)]


class TurnModel:
    """One turn of the public rules for a set of actors, restricted to relevant effects.

    With `delays`, the turn is one of several (`step` is given a `Pipeline`): delayed effects
    wait for their turn instead of counting at once (stats) or not at all (metrics)."""

    def __init__(self, rules: Rules, rel: Relevant, eventual: bool, delays: bool = False) -> None:
        self.rules = rules
        self.rel = rel
        self.pipe: Pipeline | None = None
        """The pipeline of the forecast being played (`delays` only)."""
        self.delays = delays
        self.flows = tuple(f for f in rules.flows if f.to in rel.post_stats) if delays else ()
        """The flows that carry something the forecast needs (`delays` only)."""
        self.near_names = tuple((n, n.startswith("upstream."), n.partition(".")[2])
                                for n in sorted(rel.reads) if "." in n) if delays else ()
        """(name, whether upstream, stat or decision) of each neighbour name read."""
        self.metric_delay = {m.id: m.delay for m in rules.scenario.metrics}
        self.arrives = {m.id: 1.0 - m.inertia for m in rules.scenario.metrics}
        self.all_roles = tuple(r.id for r in rules.scenario.roles)
        self.stat_bounds = {s.id: (s.min, s.max) for s in rules.scenario.stats}
        self.metric_bounds = {m.id: (m.min, m.max) for m in rules.scenario.metrics}
        self.reset = {sid: rules.stat_specs[sid].initial for sid in rules.reset_stats}
        inertia = {m.id: (1.0 - m.inertia, m.delay) for m in rules.scenario.metrics}
        self.weight = (lambda mid, delay: 1.0) if eventual or delays else (
            lambda mid, delay: inertia[mid][0] if delay + inertia[mid][1] == 0 else 0.0)
        self.chancy: dict[int, Outlook] = {}
        """By effect id: the outlook of each relevant effect that reading its draws at their
        means would get wrong (see game.bots.chance.outlook)."""
        self.decisions = {role: tuple((d.id, d.initial) for d in spec.decisions)
                          for role, spec in rules.role_specs.items()}
        """Per role: (decision id, initial number) of each of its decisions."""
        self.decision_keys = tuple(key for key in rules.decision_keys
                                   if not rel.reads.isdisjoint(key[2]))
        """(decision id, initial, aggregate names) of the decisions whose aggregates the
        relevant formulas read."""
        draws = draws_of(rules)
        if draws:
            effects = (*(e for row in rel.behaviours.values() for _, es in row for e in es),
                       *(e for _, es in rel.policies for e in es), *rel.dynamics)
            for e in effects:
                found = outlook(e, draws)
                if found is not None:
                    self.chancy[id(e)] = found

    def seat_env(self, genv: dict[str, float], actor: Actor) -> dict[str, float]:
        """The names a seat formula reads for `actor`."""
        env = genv.copy()
        env.update(actor.stats)
        for bid, _ in self.rel.behaviours.get(actor.role, ()):
            env[bid] = float(actor.alloc.get(bid, 0))
        for did, initial in self.decisions[actor.role]:
            env[did] = float(actor.alloc.get(did, initial))
        env["seats"] = actor.seats
        env["score"] = actor.score
        env["rank"] = actor.rank
        if self.near_names and (actor.up is not None or actor.down is not None):
            self._neighbours(env, actor)
        return env

    def _neighbours(self, env: dict[str, float], actor: Actor) -> None:
        """`upstream.x` and `downstream.x` from the actor's neighbours in the forecast (0 for
        nobody, as in the engine); a neighbour outside the forecast keeps its guess."""
        for name, upstream, x in self.near_names:
            other = actor.up if upstream else actor.down
            if other is None:
                continue
            if x in other.stats:
                env[name] = other.stats[x]
            else:
                initial = dict(self.decisions.get(other.role, ())).get(x, 0.0)
                env[name] = float(other.alloc.get(x, initial)) if other.role else 0.0

    def _ship(self, after: dict[str, float], actors: list[Actor]) -> None:
        """Flows between actors of the forecast, as the engine runs them after the dynamics:
        each acting sender ships its `from` to its neighbour, due `delay` turns on; what falls
        due this turn is added to the receiver's stat (clamped)."""
        pipe = self.pipe
        for flow in self.flows:
            for actor in actors:
                receiver = actor.up if flow.upstream else actor.down
                if receiver is None or receiver is END or actor.fixed or (
                        actor.role not in flow.roles):
                    continue
                amount = flow.source.fn(self.seat_env(after, actor))
                if amount > 0:
                    pipe.flows.setdefault(pipe.turn + flow.delay, []).append(
                        (receiver, flow.to, amount))
        for receiver, stat, amount in pipe.flows.pop(pipe.turn, ()):
            if stat in receiver.stats:
                low, high = self.stat_bounds[stat]
                receiver.stats[stat] = min(high, max(low, receiver.stats[stat] + amount))

    def _effect(self, e: CEffect, env: dict[str, float], points: float, deltas: dict,
                sets: dict, pushes: dict, msets: dict, count: int, actor: Actor | None) -> None:
        """Add one effect's expected change to `deltas`/`sets` (stats) or `pushes`/`msets`:
        a change adds its mean; a set applies, if it is likelier than not, with its value (for
        an effect with an outlook, its mean value when it applies). In a forecast of
        several turns, a delayed change goes into the pipeline instead (`_later`)."""
        if self.chancy and id(e) in self.chancy:
            chance, mean = self.chancy[id(e)](env)
            if chance <= 0.0:
                return
            value, added = mean / chance * points, mean * points
        else:
            when = e.when.constant if e.when.constant is not None else e.when(env)
            if not when:
                return
            chance = e.chance.constant if e.chance.constant is not None else e.chance(env)
            if chance <= 0.0:
                return
            value = e.value(env) * points
            added = value * min(chance, 1.0)
        if self.pipe is not None and self._later(e, actor, value if e.mode == "set" else added,
                                                 chance, count):
            return
        if e.mode == "set":
            if chance >= 0.5:
                (sets if e.on_seat else msets)[e.target] = value
        elif e.on_seat:
            deltas[e.target] = deltas.get(e.target, 0.0) + added
        else:
            w = self.weight(e.target, e.delay)
            if w:
                pushes[e.target] = pushes.get(e.target, 0.0) + added * w * count

    def _later(self, e: CEffect, actor: Actor | None, amount: float, chance: float,
               count: int) -> bool:
        """Queue a delayed change in the pipeline (a set only if likelier than not); returns
        whether the effect was delayed. A metric's own delay adds to the effect's."""
        pipe = self.pipe
        if e.on_seat:
            if not e.delay or actor is None:
                return False
            if e.mode != "set" or chance >= 0.5:
                pipe.stats.setdefault(pipe.turn + e.delay, []).append(
                    (id(actor), e.target, amount, e.mode))
            return True
        delay = e.delay + self.metric_delay[e.target]
        if not delay:
            return False
        if e.mode != "set" or chance >= 0.5:
            pipe.metrics.setdefault(pipe.turn + delay, []).append(
                (e.target, amount * (count if e.mode != "set" else 1), e.mode))
        return True

    def _arrive(self, actor: Actor, deltas: dict, sets: dict) -> None:
        """Add the delayed stat changes that reach `actor` this turn to its changes."""
        for _, sid, amount, mode in self.pipe.due_stats(actor):
            if mode == "set":
                sets[sid] = amount
            else:
                deltas[sid] = deltas.get(sid, 0.0) + amount

    def _settle(self, actor: Actor, deltas: dict, sets: dict) -> None:
        """Apply an actor's stat changes, clamped to the stats' bounds."""
        stats = actor.stats
        for sid in set(deltas) | set(sets):
            if sid not in stats:
                continue
            low, high = self.stat_bounds[sid]
            value = sets.get(sid, stats[sid]) + deltas.get(sid, 0.0)
            stats[sid] = low if value < low else high if value > high else value

    def _work(self, genv: dict, actors: list[Actor], pushes: dict, msets: dict) -> None:
        """Behaviour and policy effects of every acting actor, from the start-of-turn names."""
        active = [(pid, effects) for pid, effects in self.rel.policies if genv[pid] > 0]
        for actor in actors:
            if actor.fixed:
                continue
            env = self.seat_env(genv, actor)
            deltas: dict[str, float] = {}
            sets: dict[str, float] = {}
            for bid, effects in self.rel.behaviours.get(actor.role, ()):
                points = actor.alloc.get(bid, 0)
                if points > 0 and effects:
                    env["effort"] = float(points)
                    for e in effects:
                        self._effect(e, env, points, deltas, sets, pushes, msets, actor.count,
                                     actor)
            for _, effects in active:
                for e in effects:
                    if e.on_seat and e.target in actor.stats and (
                            e.roles is None or actor.role in e.roles):
                        self._effect(e, env, 1.0, deltas, sets, pushes, msets, actor.count,
                                     actor)
            if self.pipe is not None:
                self._arrive(actor, deltas, sets)
            self._settle(actor, deltas, sets)
        for _, effects in active:
            for e in effects:
                if not e.on_seat:
                    self._effect(e, genv, 1.0, {}, {}, pushes, msets, 1, None)

    def _dynamics(self, genv: dict, actors: list[Actor], pushes: dict, msets: dict) -> None:
        """The scenario's dynamics, reading the stats after work and the start metrics."""
        envs = {}
        changes = {id(a): ({}, {}) for a in actors if not a.fixed}
        for e in self.rel.dynamics:
            if not e.on_seat:
                self._effect(e, genv, 1.0, {}, {}, pushes, msets, 1, None)
                continue
            for actor in actors:
                if actor.fixed or e.target not in actor.stats or (
                        e.roles is not None and actor.role not in e.roles):
                    continue
                env = envs.get(id(actor))
                if env is None:
                    env = envs[id(actor)] = self.seat_env(genv, actor)
                deltas, sets = changes[id(actor)]
                self._effect(e, env, 1.0, deltas, sets, {}, {}, 1, actor)
        for actor in actors:
            if not actor.fixed:
                self._settle(actor, *changes[id(actor)])

    def _move_metrics(self, after: dict, pushes: dict, msets: dict) -> None:
        """In a forecast of several turns: add the delayed pushes due this turn, let each
        pushed metric's inertia hold back its share (`pushes` becomes what arrives), and move
        the pipeline on to the next turn. As in the engine, a set clears what is held back,
        and a metric at a bound keeps only what pushes it back inside."""
        pipe = self.pipe
        for mid, amount, mode in pipe.metrics.pop(pipe.turn, ()):
            if mode == "set":
                msets[mid] = amount
            else:
                pushes[mid] = pushes.get(mid, 0.0) + amount
        carry = pipe.carry
        for mid in set(pushes) | set(carry):
            held = carry.get(mid, 0.0) + pushes.get(mid, 0.0)
            arrived = held * self.arrives[mid]
            held -= arrived
            low, high = self.metric_bounds[mid]
            value = after[mid] + arrived
            if mid in msets:
                held = 0.0
            elif value >= high:
                held = min(held, 0.0)
            elif value <= low:
                held = max(held, 0.0)
            pushes[mid] = arrived
            carry[mid] = held
        pipe.stats.pop(pipe.turn, None)
        pipe.turn += 1

    def _decision_aggregates(self, env: dict[str, float], actors: list[Actor]) -> None:
        """Add the aggregates of the decisions read (see `decision_keys`) over the actors that
        choose them: an acting actor's numbers, a fixed one's initial number (its choice is
        unknown), each counted `count` times. The numbers hold all turn, so `step` copies
        them from the start of the turn to the env after it."""
        for did, initial, (total_, mean_, max_, min_) in self.decision_keys:
            found = []
            for a in actors:
                if any(own == did for own, _ in self.decisions[a.role]):
                    value = initial if a.fixed else float(a.alloc.get(did, initial))
                    found += [value] * a.count
            total = sum(found)
            env[total_] = total
            env[mean_] = total / len(found) if found else 0.0
            env[max_] = max(found) if found else 0.0
            env[min_] = min(found) if found else 0.0

    def _start_of(self, actor: Actor) -> dict[str, float]:
        """A fixed actor's stats as they stand after the turn's reset."""
        if not actor.fixed:
            return actor.stats
        if actor.start is None:
            actor.start = {sid: self.reset.get(sid, value) for sid, value in actor.stats.items()}
        return actor.start

    def start_env(self, genv: dict[str, float], actors: list[Actor]) -> dict[str, float]:
        """The names at the start of a turn: `genv` with the aggregates of the actors' stats
        after the reset, and of the decisions read."""
        start = genv.copy()
        aggregate_into(start, self.rel.aggregated, [(self._start_of(a), a.count) for a in actors],
                       [a.role for a in actors], self.all_roles)
        if self.decision_keys:
            self._decision_aggregates(start, actors)
        return start

    def step(self, genv: dict[str, float], actors: list[Actor],
             pipe: Pipeline | None = None) -> dict[str, float]:
        """Play one turn on paper; actors' stats become end-of-turn values. Returns the env
        (metrics and aggregates) after the turn. A forecast of several turns passes its
        `pipe` to every turn (a model made with `delays`)."""
        self.pipe = pipe
        for actor in actors:
            if not actor.fixed:
                for sid, initial in self.reset.items():
                    if sid in actor.stats:
                        actor.stats[sid] = initial
        start = self.start_env(genv, actors)
        pushes: dict[str, float] = {}
        msets: dict[str, float] = {}
        self._work(start, actors, pushes, msets)
        after = start.copy()
        aggregate_into(after, self.rel.aggregated, [(a.stats, a.count) for a in actors],
                       [a.role for a in actors], self.all_roles)
        self._dynamics(after, actors, pushes, msets)
        if self.pipe is not None:
            if self.flows:
                self._ship(after, actors)
            self._move_metrics(after, pushes, msets)
        for mid in set(pushes) | set(msets):
            low, high = self.metric_bounds[mid]
            value = msets[mid] if mid in msets else after[mid] + pushes.get(mid, 0.0)
            after[mid] = low if value < low else high if value > high else value
        aggregate_into(after, self.rel.aggregated, [(a.stats, a.count) for a in actors],
                       [a.role for a in actors], self.all_roles)
        return after
