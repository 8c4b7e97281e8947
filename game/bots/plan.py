"""Planners: the effort split or policy set a forecast says is best for an objective.

Every decision is a pure function of the (rounded) beliefs it reads, so it is memoised on
exactly those inputs: a repeated situation costs a dictionary look-up. Memos are per process
and never change a result, so runs give the same games whatever the number of workers.

Nearly every decision is a memo hit, so a look-up reads its key straight from the view
(`view_key`: only what the key needs) and full beliefs are read only on a miss. Plans are
stored under keys read from beliefs (`key`); tests check that the two keys agree.
"""

from __future__ import annotations

from game.bots.beliefs import (PERCEIVED, Beliefs, expected_draws, like_me, metric_belief,
                               neighbour_guesses, own_stat, perceive, read_beliefs)
from game.bots.forecast import END, Actor, Pipeline, TurnModel, relevant
from game.bots.groups import Reads, merged
from game.bots.objectives import Objective, review_objective, term_policies
from game.bots.search import NumberSpec, Option, choose_numbers, greedy
from game.engine.view import SeatView
from game.scenario.rules import AGGREGATES, Rules

MEMO_LIMIT = 200_000


def number_specs(rules: Rules, role: str) -> tuple[NumberSpec, ...]:
    """The role's decisions as `NumberSpec`s, in file order (what a seat's Legal lists)."""
    return tuple((d.id, d.min, d.max, d.step) for d in rules.role_specs[role].decisions)


def own_slots(rules: Rules, role: str,
              sids: tuple[str, ...]) -> tuple[tuple[str, bool, float], ...]:
    """For each stat in `sids`, what `own_stat` needs besides the view: (stat id, whether a
    seat of `role` lacks it, its perceived initial value)."""
    held = rules.role_stats[role]
    return tuple((sid, sid not in held, perceive(rules.stat_specs[sid].initial)) for sid in sids)


class Forecaster:
    """Forecasts for one objective: relevant effects, the inputs they read, the turn model."""

    def __init__(self, rules: Rules, objective: Objective) -> None:
        self.rules = rules
        self.objective = objective
        self.rel = rel = relevant(rules, objective.reads, objective.horizon)
        self.model = TurnModel(rules, rel, objective.eventual,
                               delays=objective.horizon > 1 and not objective.eventual)
        self.chain = bool(self.model.flows)
        """Whether a forecast plays the flows between the seat and its neighbours."""
        order = rules.order.roles if rules.order is not None else ()
        self.in_order = {role: True for role in order}
        stats = set(rules.stat_specs)
        read_stats = {n.partition("_")[2] if n.partition("_")[0] in AGGREGATES else n
                      for n in rel.reads}
        resets = set(rules.reset_stats)
        self.own_stats = tuple(sorted(((read_stats & stats) | rel.post_stats) - resets))
        self.other_stats = rel.aggregated
        self.metrics = tuple(sorted(rel.reads & set(rules.metric_specs)))
        self.policies = tuple(p.id for p in rules.policies if p.id in rel.reads)
        self.base = dict(rules.scenario.constants)
        self.base.update(expected_draws(rules))
        self.base.update(neighbour_guesses(rules))
        self.base["turns"] = float(rules.scenario.turns)
        self.extra = tuple(n for n in ("turn", "score", "rank") if n in rel.reads)
        order = {m.id: i for i, m in enumerate(rules.scenario.metrics)}
        self.metric_slots = tuple((order[m], m, rules.metric_specs[m].initial)
                                  for m in self.metrics)
        self.own_slots: dict[str, tuple[tuple[str, bool, float], ...]] = {}
        """Per role of the seat: `own_slots` of `own_stats` (`view_key` reads them)."""

    def key(self, b: Beliefs) -> tuple:
        """Everything a forecast for `b` can depend on (a reset stat starts at its initial
        value, so only the others' values of stats whose aggregates are read count), in one
        flat tuple: the role, the metrics, policies, own stats and extra names the forecast
        reads, then each other seat's role and read stats. Every part but the last has a
        length fixed by the forecaster, so the key is unambiguous for it."""
        key = [b.role, *map(b.metrics.__getitem__, self.metrics),
               *map(b.policies.__getitem__, self.policies), *map(b.own.get, self.own_stats),
               *[getattr(b, n) for n in self.extra]]
        st = self.other_stats
        for role, stats in b.others:
            key.append(role)
            key += map(stats.get, st)
        if self.chain:  # the neighbours it plays: where they are, all they hold, its numbers
            key += [b.near, b.last, b.transit, *(tuple(sorted(b.others[i][1].items()))
                                                 for i in b.near if i is not None)]
        return tuple(key)

    def sent_numbers(self, b: Beliefs) -> dict[str, dict[str, float]]:
        """Per side (`up`, `down`), the numbers the neighbour there was last seen to send:
        a flow whose `from` is one of its decisions shows the number, once it is on its way
        to the seat (the latest sent, the last to arrive)."""
        out: dict[str, dict[str, float]] = {"up": {}, "down": {}}
        decisions = self.rules.decision_specs
        for flow in self.model.flows:
            name = flow.source.source.strip()
            if name not in decisions:
                continue
            amounts = [amount for fid, _, amount in b.transit if fid == flow.id]
            if amounts:
                out["down" if flow.upstream else "up"][name] = amounts[-1]
        return out

    def arriving(self, b: Beliefs) -> list[tuple[int, str, float]]:
        """What the seat sees on its way to it, as (turn of the forecast, stat, amount)."""
        to = {flow.id: flow.to for flow in self.model.flows}
        return [(due, to[fid], amount) for fid, due, amount in b.transit if fid in to]

    def line(self, me: Actor, b: Beliefs) -> list[Actor]:
        """The actors of a forecast that plays the flows between seats: `me`, its neighbours
        acting (the rules move their stats; nothing shows what they choose, so they are
        guessed to choose the numbers the seat chose last turn, "like me", where they have
        the same decisions, else their initial ones), then the other seats, fixed."""
        up, down = b.near
        near = []
        sent = self.sent_numbers(b)
        guess = dict(b.last)
        if self.in_order.get(b.role):
            for place, side in ((up, "up"), (down, "down")):
                if place is None:
                    setattr(me, side, END)
                    continue
                role, stats = b.others[place]
                numbers = {d: guess[d] for d, _ in self.model.decisions[role] if d in guess}
                numbers.update(sent[side])
                other = Actor(role, dict(stats), numbers)
                setattr(me, side, other)
                setattr(other, "down" if side == "up" else "up", me)
                near.append(other)
        return [me, *near, *(Actor(r, dict(s), fixed=True) for i, (r, s) in enumerate(b.others)
                             if i not in b.near)]

    def view_key(self, view: SeatView) -> tuple:
        """`key(read_beliefs(rules, view))`, reading only the parts of the view it needs, so
        that a memo hit costs no beliefs (the tests compare the two on every bundled
        scenario). Built in one list: most forecasts read few parts, and a decision that
        the memo answers costs little more than this."""
        rules = self.rules
        if self.chain:
            return self.key(read_beliefs(rules, view))
        key = [view.role]
        if self.metric_slots:
            readings = tuple(view.metrics)  # (a glance's are built here, at the first read)
            for i, mid, initial in self.metric_slots:
                if i >= len(readings) or readings[i].id != mid:  # views list them in file order
                    i = next(j for j, r in enumerate(readings) if r.id == mid)
                key.append(metric_belief(readings[i], initial))
        key += map(view.policies.__getitem__, self.policies)
        if self.own_stats:
            slots = self.own_slots.get(view.role)
            if slots is None:
                slots = self.own_slots[view.role] = own_slots(rules, view.role, self.own_stats)
            seen, memo = view.own_stats, PERCEIVED
            for sid, unheld, initial in slots:
                if unheld:
                    key.append(None)
                elif sid in seen:
                    v = seen[sid]
                    key.append(memo[v] if v in memo else perceive(v))
                else:
                    key.append(initial)
        for n in self.extra:
            key.append(view.turn if n == "turn" else perceive(view.score) if n == "score"
                       else view.rank)
        self._others_key(view, key)
        return tuple(key)

    def reads(self, role: str) -> Reads | None:
        """What `view_key` reads of a seat of `role`'s glance (None where it reads the whole
        view: a forecast that plays the flows): the policies, own stats, extra names and
        metrics the forecast reads, and the others' stats whose aggregates it reads; where
        the seat holds one of those and does not read it otherwise, its own value as the
        "like me" guess at another seat that does not show it (`Reads.like_me`)."""
        if self.chain:
            return None
        held = self.rules.role_stats[role]
        own = tuple(sid for sid in self.own_stats if sid in held)
        like = tuple(sid for sid in self.other_stats if sid in held and sid not in own)
        extra = self.extra
        return Reads(self.policies, own, self.other_stats, "score" in extra, "rank" in extra,
                     "turn" in extra, self.metrics, like)

    def _others_key(self, view: SeatView, key: list) -> None:
        """Append to `key` each employed other seat's role and, for each stat whose
        aggregates the forecast reads, what `read_others` believes of it: None where the
        seat lacks it, else its shown value perceived, else "like me" (`like_me` of the
        seat's own perceived value), the same guess for every other seat, so found once."""
        rules, st, memo = self.rules, self.other_stats, PERCEIVED
        role_stats = rules.role_stats
        like: dict[str, float] = {}
        for o in view.others:
            if not o.employed:
                continue
            key.append(o.role)
            held, shown = role_stats[o.role], o.stats
            for sid in st:
                if sid not in held:
                    key.append(None)
                elif sid in shown:
                    v = shown[sid]
                    key.append(memo[v] if v in memo else perceive(v))
                else:
                    guess = like.get(sid)
                    if guess is None:
                        guess = like[sid] = like_me(own_stat(rules, view, sid),
                                                    rules.stat_specs[sid].initial)
                    key.append(guess)

    def genv(self, metrics: dict[str, float], policies: dict[str, int], turn: int) -> dict:
        """The global names before a turn (aggregates are added by the turn model)."""
        env = self.base.copy()
        env.update(metrics)
        env.update(policies)
        env["turn"] = float(turn)
        return env

    def run(self, genv: dict, actors: list[Actor]) -> float:
        """Play `horizon` turns on paper and measure the objective for actors[0]."""
        model = self.model
        after = genv
        for step in range(self.objective.horizon):
            if step:
                after = {**after, "turn": after["turn"] + 1.0}
            after = model.step(after, actors)
        seat = model.seat_env(after, actors[0]) if self.objective.kind == "review" else None
        return self.objective.value(after, seat)

    def run_ahead(self, genv: dict, actors: list[Actor], turns: int,
                  later: dict[str, int], arriving: list[tuple[int, str, float]] = ()) -> float:
        """Play `turns` turns on paper, actors[0] playing its own split in the first and
        `later` in the others, with delayed effects arriving when due (a `Pipeline`, which
        starts with what the seat sees `arriving` on flows); returns the review objective
        for actors[0] summed over the turns."""
        model, objective, me = self.model, self.objective, actors[0]
        pipe = Pipeline()
        for due, stat, amount in arriving:
            pipe.flows.setdefault(due, []).append((me, stat, amount))
        first = me.alloc
        after = genv
        total = 0.0
        for step in range(turns):
            if step:
                after = {**after, "turn": after["turn"] + 1.0}
                me.alloc = later
            after = model.step(after, actors, pipe)
            total += objective.value(after, model.seat_env(after, me))
        me.alloc = first
        return total


class AllocationPlanner:
    """The effort split that maximises an objective for a seat, given its beliefs.

    A review objective only counts the terms of active policies, so there is one forecaster
    per set of active policies with a term: each reads no more than it needs.

    A review objective with a horizon of several turns judges a split by what it adds to the
    seat's reviews over that many turns (no more than the game has left): the seat plays the
    split this turn and afterwards what a one-turn planner would choose now (`myopic`), so a
    cost paid now and a payoff that arrives later are each counted once."""

    def __init__(self, rules: Rules, objective: Objective) -> None:
        self.rules = rules
        self.objective = objective
        self.behaviours = tuple(b.id for b in rules.behaviours_of(objective.role))
        self.terms = term_policies(rules, objective.role) if objective.kind == "review" else ()
        self.forecasters: dict[tuple[str, ...], Forecaster] = {}
        self.by_levels: dict[tuple, Forecaster] = {}
        self.memo: dict[tuple, dict[str, int]] = {}
        self.reads_memo: dict[tuple, Reads | None] = {}
        """`reads` by the review terms' levels (which pick the forecasters) and the planners
        it asks (its few values: one per set of forecasters)."""
        self.myopic: AllocationPlanner | None = None
        if objective.kind == "review" and objective.horizon > 1:
            self.myopic = AllocationPlanner(rules, review_objective(rules, objective.role))

    def turns_ahead(self, turn: int) -> int:
        """How many turns, this one included, a split made in `turn` is judged over."""
        return min(self.objective.horizon, self.rules.scenario.turns - turn + 1)

    def forecaster(self, policies: dict[str, int]) -> Forecaster:
        """The forecaster for the review terms active under `policies` (found by the terms'
        levels, a cheaper key than the active set: many sets of levels share a forecaster)."""
        levels = tuple(map(policies.get, self.terms))
        f = self.by_levels.get(levels)
        if f is None:
            active = tuple(pid for pid in self.terms if policies.get(pid, 0) > 0)
            f = self.forecasters.get(active)
            if f is None:
                objective = self.objective
                if objective.kind == "review":
                    objective = review_objective(self.rules, objective.role, frozenset(active),
                                                 objective.horizon)
                f = self.forecasters[active] = Forecaster(self.rules, objective)
            self.by_levels[levels] = f
        return f

    def allocate(self, b: Beliefs, options: tuple[Option, ...], effort: int,
                 numbers: tuple[NumberSpec, ...] = ()) -> dict[str, int]:
        """The best split of `effort` points over `options`, and a number for each decision
        of `numbers` (in the same dict, by decision id; memoised)."""
        if self.myopic is not None and self.turns_ahead(b.turn) <= 1:
            return self.myopic.allocate(b, options, effort, numbers)
        f = self.forecaster(b.policies)
        key = self._key(f, f.key(b), options, effort, numbers, b.turn)
        found = self.memo.get(key)
        return dict(found if found is not None else self._remember(key, f, b, options, effort,
                                                                   numbers))

    def allocate_seen(self, view: SeatView, options: tuple[Option, ...], effort: int,
                      numbers: tuple[NumberSpec, ...] = ()) -> dict[str, int]:
        """`allocate(read_beliefs(rules, view), options, effort, numbers)`, with beliefs read
        only when the memo has no answer."""
        if self.myopic is not None and self.turns_ahead(view.turn) <= 1:
            return self.myopic.allocate_seen(view, options, effort, numbers)
        f = self.forecaster(view.policies)
        key = self._key(f, f.view_key(view), options, effort, numbers, view.turn)
        found = self.memo.get(key)
        if found is None:
            found = self._remember(key, f, read_beliefs(self.rules, view), options, effort,
                                   numbers)
        return dict(found)

    def recalled(self, view: SeatView, options: tuple[Option, ...], effort: int,
                 numbers: tuple[NumberSpec, ...] = ()) -> dict[str, int] | None:
        """The memo's own entry for `allocate_seen(view, ...)` when the memo holds it, else
        None: this never plans, and gives up on forecasts that play the flows, whose key
        reads the whole view. It reads only what the key reads (a `game.engine.glance.Glance`
        will do). The same object for the same entry, never to be changed (game.bots.base
        keeps the action it makes of an entry)."""
        if self.myopic is not None and self.turns_ahead(view.turn) <= 1:
            return self.myopic.recalled(view, options, effort, numbers)
        f = self.forecaster(view.policies)
        if f.chain:
            return None
        return self.memo.get(self._key(f, f.view_key(view), options, effort, numbers,
                                       view.turn))

    def reads(self, policies: dict[str, int], turn: int | None = None) -> Reads | None:
        """What the memo key of `recalled` reads of a glance whose policies are `policies`
        (beside its Legal): the forecaster's reads (`Forecaster.reads`), the levels of the
        review terms that pick the forecaster, and the turn with a horizon; in `turn` if
        given, else in any turn (with a horizon, the one-turn planner's reads too). None
        where a key reads the whole view. It holds for every glance whose levels of
        `Reads.policies` are those of `policies` (they pick the same forecasters)."""
        planners = [self]
        if self.myopic is not None:
            if turn is None:
                planners.append(self.myopic)
            elif self.turns_ahead(turn) <= 1:
                planners = [self.myopic]
        key = (tuple(map(policies.get, self.terms)), len(planners), planners[0] is self)
        if key in self.reads_memo:
            return self.reads_memo[key]
        parts = [Reads(self.terms, (), (), False, False, self.myopic is not None, ())]
        for planner in planners:
            found = planner.forecaster(policies).reads(self.objective.role)
            if found is None:
                break
            parts.append(found)
        else:
            found = merged(parts, [p.id for p in self.rules.policies])
        self.reads_memo[key] = found
        return found

    def _key(self, f: Forecaster, seen: tuple, options: tuple[Option, ...], effort: int,
             numbers: tuple[NumberSpec, ...], turn: int) -> tuple:
        """The memo key of a decision (`seen`: the forecaster's key of the beliefs or the
        view, which agree): with a horizon, the turns it is judged over count too."""
        key = (id(f), seen, options, effort, numbers) if numbers else (
            id(f), seen, options, effort)
        return key if self.myopic is None else (*key, self.turns_ahead(turn))

    def _remember(self, key: tuple, f: Forecaster, b: Beliefs, options: tuple[Option, ...],
                  effort: int, numbers: tuple[NumberSpec, ...]) -> dict[str, int]:
        """Plan, and keep the plan in the memo under `key` (`f.key(b)` and `f.view_key`
        agree, so either finds it)."""
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        found = self.memo[key] = self._plan(f, b, options, effort, numbers)
        return found

    def _plan(self, f: Forecaster, b: Beliefs, options: tuple[Option, ...],
              effort: int, numbers: tuple[NumberSpec, ...] = ()) -> dict[str, int]:
        """The greedy split (`greedy`) with every number at its initial value; with
        decisions, the best numbers for that split (`choose_numbers`), then the split again
        for those numbers. With a horizon, each is judged over the turns ahead, the seat
        playing afterwards what the one-turn planner chooses (`later`)."""
        genv = f.genv(b.metrics, b.policies, b.turn)
        seats = 1.0 + sum(1 for role, _ in b.others if role == b.role)
        own = dict(b.own)
        others = [Actor(r, dict(s), fixed=True) for r, s in b.others]  # never changed
        chosen = {did: self.rules.decision_specs[did].initial for did, *_ in numbers}

        later = (self.myopic.allocate(b, options, effort, numbers)
                 if self.myopic is not None else None)
        turns = self.turns_ahead(b.turn)

        def evaluate(alloc: dict) -> float:
            me = Actor(b.role, dict(own), {**alloc, **chosen} if chosen else alloc, 1, False,
                       seats, b.score, float(b.rank))
            if later is None:
                return f.run(genv, [me, *others])
            if not f.chain:
                return f.run_ahead(genv, [me, *others], turns, later)
            return f.run_ahead(genv, f.line(me, b), turns, later, f.arriving(b))

        alloc = greedy(evaluate, self.behaviours, options, effort)
        if not numbers:
            return alloc
        both = {**alloc, **chosen}
        chosen = {}  # `evaluate` now reads the numbers from `both`
        choose_numbers(evaluate, both, numbers)
        chosen = {did: both[did] for did, *_ in numbers}
        if effort and any(ok for _, ok, _ in options):
            alloc = greedy(evaluate, self.behaviours, options, effort)
        return {**alloc, **chosen}
