"""Planners: the effort split or policy set a forecast says is best for an objective.

Every decision is a pure function of the (rounded) beliefs it reads, so it is memoised on
exactly those inputs: a repeated situation costs a dictionary look-up. Memos are per process
and never change a result, so runs give the same games whatever the number of workers.

Nearly every decision is a memo hit, so a look-up reads its key straight from the view
(`view_key`: only what the key needs) and full beliefs are read only on a miss. Plans are
stored under keys read from beliefs (`key`); tests check that the two keys agree.
"""

from __future__ import annotations

from collections.abc import Callable

from game.bots.beliefs import Beliefs, read_beliefs
from game.bots.forecast import Actor
from game.bots.forecaster import Forecaster
from game.bots.groups import Reads, merged
from game.bots.objectives import Objective, review_objective, term_policies
from game.bots.search import NumberSpec, Option, choose_numbers, greedy
from game.bots.split_forecast import SplitForecast, covers
from game.engine.view import SeatView
from game.scenario.rules import Rules

MEMO_LIMIT = 200_000
Judge = Callable[[dict], float]
"""The objective of a split (points by behaviour, and numbers by decision)."""


def number_specs(rules: Rules, role: str) -> tuple[NumberSpec, ...]:
    """The role's decisions as `NumberSpec`s, in file order (what a seat's Legal lists)."""
    return tuple((d.id, d.min, d.max, d.step) for d in rules.role_specs[role].decisions)


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

    def turn_read(self, policies: dict[str, int], turn: int) -> tuple:
        """What the memo key of `recalled` reads of `turn` for a glance whose policies are
        `policies` (beside what `reads` names): with a horizon, the turns a split is judged
        over (the one-turn planner's key where that is one), and the turn itself where the
        forecast reads it. Equal turn reads of two turns give equal memo keys for equal
        glances otherwise."""
        if self.myopic is not None:
            ahead = self.turns_ahead(turn)
            if ahead <= 1:
                return self.myopic.turn_read(policies, turn)
        else:
            ahead = None
        return ahead, turn if "turn" in self.forecaster(policies).extra else None

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

    def judge(self, f: Forecaster, b: Beliefs, options: tuple[Option, ...], effort: int,
              numbers: tuple[NumberSpec, ...] = (), quick: bool = True) -> Judge:
        """The function a plan for `b` maximises: the objective of a split (points by
        behaviour and a number for each decision of `numbers`, in one dict) by `f`'s
        forecast. With a horizon, a split is judged over the turns ahead, the seat playing
        afterwards what the one-turn planner chooses (`later`). Without one, and where `quick`
        and `covers(f)`, a `SplitForecast`: the same values, each found at a fraction of the
        cost."""
        genv = f.genv(b.metrics, b.policies, b.turn)
        seats = 1.0 + sum(1 for role, _ in b.others if role == b.role)
        own = dict(b.own)
        others = [Actor(r, dict(s), fixed=True) for r, s in b.others]  # never changed
        later = (self.myopic.allocate(b, options, effort, numbers)
                 if self.myopic is not None else None)
        if later is None and quick and covers(f):
            return SplitForecast(f, genv, b.role, own, seats, b.score, float(b.rank), others)
        turns = self.turns_ahead(b.turn)

        def evaluate(split: dict) -> float:
            me = Actor(b.role, dict(own), split, 1, False, seats, b.score, float(b.rank))
            if later is None:
                return f.run(genv, [me, *others])
            if not f.chain:
                return f.run_ahead(genv, [me, *others], turns, later)
            return f.run_ahead(genv, f.line(me, b), turns, later, f.arriving(b))
        return evaluate

    def _plan(self, f: Forecaster, b: Beliefs, options: tuple[Option, ...],
              effort: int, numbers: tuple[NumberSpec, ...] = (),
              judge: Judge | None = None) -> dict[str, int]:
        """The greedy split (`greedy`) with every number at its initial value; with
        decisions, the best numbers for that split (`choose_numbers`), then the split again
        for those numbers; each judged by `judge` (by default `self.judge(f, b, ...)`)."""
        judged = judge if judge is not None else self.judge(f, b, options, effort, numbers)
        chosen = {did: self.rules.decision_specs[did].initial for did, *_ in numbers}

        def evaluate(alloc: dict) -> float:
            return judged({**alloc, **chosen} if chosen else alloc)

        if not numbers:  # (then `evaluate` is `judged`: no numbers to write in)
            return greedy(judged, self.behaviours, options, effort)
        alloc = greedy(evaluate, self.behaviours, options, effort)
        both = {**alloc, **chosen}
        chosen = {}  # `evaluate` now reads the numbers from `both`
        choose_numbers(evaluate, both, numbers)
        chosen = {did: both[did] for did, *_ in numbers}
        if effort and any(ok for _, ok, _ in options):
            alloc = greedy(evaluate, self.behaviours, options, effort)
        return {**alloc, **chosen}
