"""The policy set a seat predicts is best for an objective, assuming the workers game it.

For each legal set of levels the planner asks how every working role would respond if its
seats were gamers (each maximising its own review under those policies), then plays the
company forward on paper for the objective's horizon from a reference state and measures.

The reference state is the scenario's starting company (initial metrics) with the seat's
current picture of the workers: a policy is judged by what it does to a company like this
one, not by this week's noise. That keeps the choice a pure function of a few inputs, so it
is memoised (a planner costs one look-up once it has seen a situation).
"""

from __future__ import annotations

from operator import attrgetter

from game.bots.beliefs import (PERCEIVED, Beliefs, aggregate_into, initial_numbers_into, like_me,
                               perceive, read_beliefs, read_others, read_own)
from game.bots.forecast import Actor, relevant
from game.bots.groups import Reads
from game.scenario.horizon import planning_horizon
from game.bots.objectives import Objective, review_objective
from game.bots.forecaster import Forecaster
from game.bots.plan import MEMO_LIMIT, AllocationPlanner, number_specs
from game.bots.search import Option, policy_sets
from game.engine.actions import Legal, acts_in
from game.engine.view import SeatView
from game.scenario.rules import AGGREGATES, Rules


SHOWN_LIMIT = 4096
"""Shown keys kept before `PolicyPlanner.shown` starts over: where the values shown vary
continuously, that memo only misses, and it should not grow as large as the main one."""

_SIGNATURE = attrgetter("id", "current", "locked")
"""What a policy option adds to a memo key (its other fields are fixed by the rules)."""


class PolicyPlanner:
    """Chooses policy levels that maximise `objective` when workers respond as gamers."""

    def __init__(self, rules: Rules, objective: Objective) -> None:
        self.rules = rules
        self.f = Forecaster(rules, objective)
        self.workers = tuple(r.id for r in rules.scenario.roles if acts_in(rules, r.id, "work"))
        ahead = planning_horizon(rules.scenario)
        self.gamers = {r: AllocationPlanner(rules, review_objective(rules, r, horizon=ahead))
                       for r in self.workers}
        self.reference = {m.id: m.initial for m in rules.scenario.metrics}
        self.available_aggregated = {r: _available_aggregated(rules, r) for r in self.workers}
        """Per worker role: the stats whose aggregates its behaviours' availability reads."""
        self.memo: dict[tuple, dict[str, int]] = {}
        self.shown: dict[tuple, dict[str, int]] = {}
        """`shown_key` -> the memo's answer for it (a first look-up, see `choose`)."""
        self.reads_turn = ahead > 1 or "turn" in self.f.rel.reads or any(
            "turn" in relevant(rules, review_objective(rules, r).reads, 1).reads
            for r in self.workers)
        """Whether the choice can depend on the turn: the workers plan ahead (never past the
        game's end), the seat's own forecast reads it, or a worker's review (with every term,
        a superset of any active set) or what it may do."""
        self.columns = []
        """(worker role, its stats sorted, their positions, their initial values)."""
        for role in self.workers:
            sids = tuple(sorted(rules.role_stats[role]))
            self.columns.append((role, sids, {sid: i for i, sid in enumerate(sids)},
                                 tuple(rules.stat_specs[sid].initial for sid in sids)))

    def choose(self, view: SeatView, legal: Legal) -> dict[str, int]:
        """The best legal levels for the seat's role's policies (memoised: beliefs are read
        in full only when the memo has no answer). Looked up first by what the view shows
        as shown (`shown_key`), which costs less than perceiving it (`view_key`): a
        manager sees the same few public stats of its workers again and again."""
        found = self.recall(view, legal)
        if found is not None:
            return found  # (a copy already)
        b = read_beliefs(self.rules, view)
        table = self._table(b)
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        found = self.memo[self.key(b, legal, table)] = self._plan(b, legal, table)
        self._show(self.shown_key(view, legal), found)
        return dict(found)

    def recall(self, view: SeatView, legal: Legal) -> dict[str, int] | None:
        """`choose(view, legal)` when the memo already has the answer, else None (this
        never plans). It reads only what the keys read (a `game.engine.glance.Glance` will
        do)."""
        found = self.recalled(view, legal)
        return dict(found) if found is not None else None

    def recalled(self, view: SeatView, legal: Legal) -> dict[str, int] | None:
        """`recall(view, legal)`, but the memo's own entry, not a copy: the same object for
        the same entry, never to be changed (game.bots.base keeps the action it makes of
        an entry)."""
        shown = self.shown_key(view, legal)
        found = self.shown.get(shown)
        if found is None:
            found = self.memo.get(self.view_key(view, legal))
            if found is not None:
                self._show(shown, found)
        return found

    def reads(self) -> Reads:
        """What `view_key` reads of a glance beside the Legal: every policy level, every own
        stat and every stat of the others (the workers' table and the idle seats), and the
        turn if the choice can depend on it; no metric."""
        return Reads(None, None, None, False, False, self.reads_turn, ())

    def _show(self, shown: tuple, found: dict[str, int]) -> None:
        """Keep the memo's answer `found` under the `shown_key` too."""
        if len(self.shown) >= SHOWN_LIMIT:
            self.shown.clear()
        self.shown[shown] = found

    def shown_key(self, view: SeatView, legal: Legal) -> tuple:
        """Every value of the view and the options that `view_key` reads, before they are
        perceived: equal shown keys give equal view keys (not the other way round: values
        that differ may be perceived alike). The other seats come last, three values each
        (role, employed, shown stats), in one flat run rather than a tuple per seat."""
        key = [tuple(view.policies.values()), tuple(map(_SIGNATURE, legal.policies)),
               legal.budget, view.role, tuple(view.own_stats.items()),
               view.turn if self.reads_turn else 0]
        for o in view.others:
            key += (o.role, o.employed, tuple(o.stats.items()))
        return tuple(key)

    def key(self, b: Beliefs, legal: Legal, table: list) -> tuple:
        """Everything the choice for `b` depends on: the levels and options, the role, the
        workers as `_table` sums them up, the seat's own stats and, if read, the turn."""
        return (tuple(b.policies.values()), tuple(map(_SIGNATURE, legal.policies)),
                legal.budget, b.role, tuple((r, n, tuple(sorted(s.items()))) for r, n, s in table),
                tuple(sorted(b.own.items())), b.turn if self.reads_turn else 0,
                self._idle(b.others))

    def _idle(self, others: list[tuple[str, dict[str, float]]]) -> tuple:
        """The other seats that do not work, as the forecast takes them (fixed actors)."""
        return tuple((r, tuple(sorted(s.items()))) for r, s in others if r not in self.workers)

    def view_key(self, view: SeatView, legal: Legal) -> tuple:
        """`key(b, legal, _table(b))` for `b = read_beliefs(rules, view)`, without reading
        the metrics, and with `_table` computed column by column over tuples (the same
        sums in the same order)."""
        rules = self.rules
        own = read_own(rules, view)
        memo = PERCEIVED
        table = []
        idle = False
        for role, sids, slots, initials in self.columns:
            rows = []
            guess = None
            for other in view.others:
                if other.role != role or not other.employed:
                    continue
                if guess is None:  # as in `read_others`
                    guess = tuple([like_me(own.get(sid), initial)
                                   for sid, initial in zip(sids, initials)]) if own else initials
                shown = other.stats
                if shown:
                    row = list(guess)
                    for sid, value in shown.items():
                        slot = slots.get(sid)
                        if slot is not None:
                            row[slot] = memo[value] if value in memo else perceive(value)
                    rows.append(row)
                else:
                    rows.append(guess)
            if view.role == role:
                rows.append(tuple([own[sid] for sid in sids]))
            if rows:
                n = len(rows)
                table.append((role, n, tuple(zip(sids, [sum(col) / n for col in zip(*rows)]))))
        workers = self.workers
        for other in view.others:
            if other.employed and other.role not in workers:
                idle = True
                break
        return (tuple(view.policies.values()), tuple(map(_SIGNATURE, legal.policies)),
                legal.budget, view.role, tuple(table), tuple(sorted(own.items())),
                view.turn if self.reads_turn else 0,
                self._idle(read_others(rules, view, own)) if idle else ())

    def _table(self, b: Beliefs) -> list[tuple[str, int, dict[str, float]]]:
        """Each working role: its employed seats and a representative seat's stats."""
        out = []
        for role in self.workers:
            rows = [stats for r, stats in b.others if r == role]
            if b.role == role:
                rows.append(b.own)
            if not rows:
                continue
            rep = {sid: sum(s[sid] for s in rows) / len(rows) for sid in rows[0]}
            out.append((role, len(rows), rep))
        return out

    def _plan(self, b: Beliefs, legal: Legal, table: list) -> dict[str, int]:
        """Score every legal policy set; ties go to fewer changes, then to lower cost."""
        costs = {p.id: p.cost for p in legal.policies}
        best, best_key = None, None
        for levels in policy_sets(legal.policies, legal.budget):
            policies = {**b.policies, **levels}
            value = self.evaluate(b, policies, table)
            changes = sum(1 for pid, lv in levels.items() if lv != b.policies.get(pid))
            cost = sum(costs[pid] * lv for pid, lv in levels.items())
            rank = (round(value, 9), -changes, -cost)
            if best_key is None or rank > best_key:
                best, best_key = levels, rank
        return best if best is not None else {p.id: p.current for p in legal.policies}

    def evaluate(self, b: Beliefs, policies: dict[str, int], table: list) -> float:
        """The objective after the workers respond to `policies` as gamers."""
        f = self.f
        actors = []
        for role, n, rep in table:
            alloc = self._response(b, role, n, rep, policies)
            actors.append(Actor(role, dict(rep), alloc, n, False, float(n)))
        if b.role not in self.workers:
            actors.insert(0, Actor(b.role, dict(b.own), fixed=True))
        others = [(r, s) for r, s in b.others if r not in self.workers]
        actors += [Actor(r, dict(s), fixed=True) for r, s in others]
        return f.run(f.genv(self.reference, policies, b.turn), actors)

    def _response(self, b: Beliefs, role: str, n: int, rep: dict[str, float],
                  policies: dict[str, int]) -> dict[str, int]:
        """How a gamer of `role` would split its effort under `policies`."""
        planner = self.gamers[role]
        others = [(role, rep)] * (n - 1) + [(r, s) for r, s in b.others if r != role]
        if b.role != role:
            others.append((b.role, b.own))
        rep_beliefs = Beliefs(role, self.reference, policies, rep, others, b.turn, 0.0, 0)
        options, effort = self.options(rep_beliefs, planner)
        return planner.allocate(rep_beliefs, options, effort, number_specs(self.rules, role))

    def options(self, b: Beliefs, planner: AllocationPlanner) -> tuple[tuple[Option, ...], int]:
        """What a seat described by `b` may choose: availability from the rules."""
        rules = self.rules
        effort = rules.scenario.role(b.role).effort
        env = planner.forecaster(b.policies).genv(b.metrics, b.policies, b.turn)
        env.update(b.own)
        env.update({bid: 0.0 for bid in planner.behaviours})
        env.update({d.id: d.initial for d in rules.role_specs[b.role].decisions})
        env.update(seats=1.0 + sum(1 for r, _ in b.others if r == b.role), score=0.0, rank=0.0)
        aggregate_into(env, self.available_aggregated[b.role],  # (the names `available` reads)
                       [(b.own, 1)] + [(s, 1) for _, s in b.others],
                       [b.role] + [r for r, _ in b.others], [r.id for r in rules.scenario.roles])
        if rules.decision_keys:
            initial_numbers_into(env, rules, [b.role] + [r for r, _ in b.others])
        opts = tuple((cb.id, bool(cb.available(env)),
                      min(effort, cb.max_effort if cb.max_effort is not None else effort))
                     for cb in rules.behaviours_of(b.role))
        return opts, effort


def _available_aggregated(rules: Rules, role: str) -> tuple[str, ...]:
    """The stats (in `rules.stat_specs`' order) any of whose `total_`, `mean_`, `max_` or
    `min_` names the availability of a behaviour of `role` reads (`aggregate_into` of the
    others writes names nothing in `PolicyPlanner.options` reads)."""
    reads = set().union(*(cb.available.names for cb in rules.behaviours_of(role)))
    return tuple(sid for sid in rules.stat_specs
                 if any(f"{head}_{sid}" in reads for head in AGGREGATES))
