"""Forecasts for one objective (`Forecaster`): which effects are relevant, the inputs they
read, the turn model that plays them forward, and the memo key of a decision read from a
seat's beliefs (`key`) or straight from its view or glance (`view_key`), with what that key
reads (`reads`, for the simulator's groups of games, game.bots.groups). The planners
(game.bots.plan, game.bots.policy_plan) judge their choices by its forecasts.
"""

from __future__ import annotations

from game.bots.beliefs import (PERCEIVED, Beliefs, expected_draws, like_me, metric_belief,
                               neighbour_guesses, own_stat, perceive, read_beliefs)
from game.bots.forecast import END, Actor, Pipeline, TurnModel, relevant
from game.bots.groups import Reads
from game.bots.objectives import Objective
from game.engine.view import SeatView
from game.scenario.rules import AGGREGATES, Rules


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
