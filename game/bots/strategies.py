"""The strategies: generic rules of behaviour that read the scenario's formulas, nothing else.

Employees: `gamer` (its own review), `craft` (the health index), `cautious` (a safe review),
`random`, `adaptive` (a bandit over its own past reviews). Managers: `hype` (the proxy index),
`outcome` (the health index), `random`, `adaptive` (hype until the health it sees falls).
Every bot can play both phases; the strategy decides what it aims at in each.
"""

from __future__ import annotations

import math
import random

from game.bots.base import (PlanningBot, RandomSource, allocation_planner, numbers_of,
                            options_of)
from game.bots.beliefs import Beliefs, aggregate_into, initial_numbers_into
from game.bots.search import candidates, policy_sets
from game.engine.actions import Legal
from game.engine.view import SeatView
from game.scenario.model import Scenario


class GamerBot(PlanningBot):
    """Maximises its own expected review score under the review formula in force."""

    strategy = "gamer"
    work_goal = policy_goal = "review"


class CraftBot(PlanningBot):
    """Maximises the company's health index as the seat perceives it."""

    strategy = "craft"
    work_goal = policy_goal = "health"


class HypeBot(PlanningBot):
    """Chooses the policies it predicts raise the proxy (leaderboard) index most."""

    strategy = "hype"
    work_goal = policy_goal = "proxy"


class OutcomeBot(PlanningBot):
    """Chooses the policies it predicts raise the health index most."""

    strategy = "outcome"
    work_goal = policy_goal = "health"


class RandomBot(PlanningBot):
    """Uniform over legal policy sets; each effort point on a random available behaviour."""

    strategy = "random"

    def choose_policies(self, view: SeatView, legal: Legal) -> dict[str, int]:
        return dict(self.rng.choice(legal_sets(legal)))

    def allocate(self, view: SeatView, legal: Legal) -> dict[str, int]:
        split = random_split(legal, self.rng)
        for n in legal.numbers:  # uniform over the numbers the step allows (11 if any real)
            split[n.id] = self.rng.choice(candidates(n.min, n.max, n.step, RANDOM_NUMBERS))
        return split


RANDOM_NUMBERS = 101
"""The most numbers a random bot chooses among for a decision."""


_SETS: dict[tuple, list[dict[str, int]]] = {}


def legal_sets(legal: Legal) -> list[dict[str, int]]:
    """Every legal policy set for these options (remembered per set of options)."""
    key = (legal.budget, tuple((p.id, p.current if p.locked else -1, len(p.levels), p.cost,
                                tuple(p.excludes)) for p in legal.policies))
    found = _SETS.get(key)
    if found is None:
        if len(_SETS) > 1000:
            _SETS.clear()
        found = _SETS[key] = list(policy_sets(legal.policies, legal.budget))
    return found


def random_split(legal: Legal, rng: random.Random) -> dict[str, int]:
    """Every effort point on a uniformly chosen available behaviour that has room."""
    room = {b.id: b.max_effort for b in legal.behaviours if b.available and b.max_effort > 0}
    effort: dict[str, int] = {}
    for _ in range(legal.effort):
        choices = [bid for bid, cap in room.items() if effort.get(bid, 0) < cap]
        if not choices:
            break
        bid = rng.choice(choices)
        effort[bid] = effort.get(bid, 0) + 1
    return effort


class CautiousBot(PlanningBot):
    """Risk-averse: keeps the policies as they are; at work it spreads its effort (at most
    half on any behaviour) and avoids behaviours with hidden or delayed harm, unless its last
    review fell below the median of the leaderboard it sees. Within that, it seeks a good
    review."""

    strategy = "cautious"

    def choose_policies(self, view: SeatView, legal: Legal) -> dict[str, int]:
        return {p.id: p.current for p in legal.policies}

    def allocate(self, view: SeatView, legal: Legal) -> dict[str, int]:
        return cautious_split(self, view, legal)


def cautious_split(bot: PlanningBot, view: SeatView, legal: Legal) -> dict[str, int]:
    """The cautious allocation (see CautiousBot)."""
    beliefs = bot.beliefs(view)
    planner = allocation_planner(bot.rules, view.role, "review")
    risky = risky_behaviours(bot, beliefs) if not below_median(view) else frozenset()
    cap = max(1, math.ceil(legal.effort / 2))
    options = tuple((bid, ok and bid not in risky, min(most, cap))
                    for bid, ok, most in options_of(legal))
    return planner.allocate(beliefs, options, legal.effort, numbers_of(legal))


def below_median(view: SeatView) -> bool:
    """Whether the seat's last review scored below the median of its published leaderboard."""
    rows = view.leaderboards.get(view.role) or []
    if len(rows) < 2 or not any(r.seat == view.seat for r in rows):
        return False
    scores = sorted(r.score for r in rows)
    mid = len(scores) // 2
    median = scores[mid] if len(scores) % 2 else (scores[mid - 1] + scores[mid]) / 2
    return view.score < median


def risky_behaviours(bot: PlanningBot, beliefs: Beliefs) -> frozenset[str]:
    """Behaviours with an effect that harms the health index later or out of sight, or that
    piles up a stat the seat cannot see."""
    rules = bot.rules
    planner = allocation_planner(rules, beliefs.role, "review")
    env = planner.forecaster(beliefs.policies).genv(beliefs.metrics, beliefs.policies, beliefs.turn)
    env.update(beliefs.own)
    env.update({bid: 1.0 for bid in planner.behaviours})
    env.update({d.id: d.initial for d in rules.role_specs[beliefs.role].decisions})
    env.update(seats=1.0 + len(beliefs.others), score=beliefs.score, rank=float(beliefs.rank),
               effort=1.0)
    aggregate_into(env, tuple(rules.stat_specs), [(beliefs.own, 1)] + [(s, 1) for _, s in beliefs.others],
                   [beliefs.role] + [r for r, _ in beliefs.others], [r.id for r in rules.scenario.roles])
    if rules.decision_keys:
        initial_numbers_into(env, rules, [beliefs.role] + [r for r, _ in beliefs.others])
    health = rules.scenario.debrief.health_index
    out = set()
    for b in rules.behaviours_of(beliefs.role):
        for e in b.effects:
            value = e.value(env)
            if e.on_seat:
                if rules.stat_specs[e.target].hidden_from_self and value > 0:
                    out.add(b.id)
                continue
            m = rules.metric_specs[e.target]
            unseen = m.visibility_for(beliefs.role).hidden or e.delay + m.delay > 0
            sign = (1 if m.higher_is_better else -1) * (1 if health.get(m.id, 0) >= 0 else -1)
            if unseen and m.id in health and value * sign < 0:
                out.add(b.id)
    return frozenset(out)


class AdaptiveBot(PlanningBot):
    """Learns from what it sees. At work: an epsilon-greedy bandit over three ways of working
    (gamer, craft, cautious), rewarded by its own past review scores. Setting policies: it
    starts like `hype` and switches to `outcome` for good once the health it can see has
    fallen below where it started."""

    strategy = "adaptive"
    ARMS = ("review", "health", "cautious")
    EPSILON = 0.15
    ALPHA = 0.5
    HEALTH_DROP = 1.0

    def __init__(self, scenario: Scenario, seat: int, rng: RandomSource) -> None:
        super().__init__(scenario, seat, rng)
        self.values: dict[str, float] = {}
        self.last_arm: str | None = None
        self.last_turn = 0
        self.policy_goal = "proxy"

    def choose_policies(self, view: SeatView, legal: Legal) -> dict[str, int]:
        if self.policy_goal == "proxy" and visible_health_fell(self, view, self.HEALTH_DROP):
            self.policy_goal = "health"
        return super().choose_policies(view, legal)

    def allocate(self, view: SeatView, legal: Legal) -> dict[str, int]:
        self._learn(view)
        arm = self._pick()
        self.last_arm, self.last_turn = arm, view.turn
        if arm == "cautious":
            return cautious_split(self, view, legal)
        planner = allocation_planner(self.rules, view.role, arm)
        return planner.allocate_seen(view, options_of(legal), legal.effort, numbers_of(legal))

    def _learn(self, view: SeatView) -> None:
        """Credit last turn's arm with the review it earned."""
        if self.last_arm is None:
            return
        past = next((h for h in view.own_history if h.turn == self.last_turn), None)
        if past is None or past.score is None:
            return
        old = self.values.get(self.last_arm)
        self.values[self.last_arm] = past.score if old is None else (
            old + self.ALPHA * (past.score - old))

    def _pick(self) -> str:
        """An untried arm first, else mostly the best so far, sometimes a random one."""
        for arm in self.ARMS:
            if arm not in self.values:
                return arm
        if self.rng.random() < self.EPSILON:
            return self.rng.choice(self.ARMS)
        return max(self.ARMS, key=lambda a: self.values[a])


def visible_health_fell(bot: PlanningBot, view: SeatView, drop: float) -> bool:
    """Whether the health index over the metrics the seat can see is `drop` below its start."""
    rules = bot.rules
    weights = rules.scenario.debrief.health_index
    now = start = total = 0.0
    for r in view.metrics:
        w = weights.get(r.id)
        first = next((v for v in r.history if v is not None), None)
        if w is None or r.value is None or first is None:
            continue
        m = rules.metric_specs[r.id]
        sign = (1.0 if m.higher_is_better else -1.0) * (1.0 if w >= 0 else -1.0)
        now += abs(w) * sign * r.value / (m.max - m.min)
        start += abs(w) * sign * first / (m.max - m.min)
        total += abs(w)
    return total > 0 and 100.0 * (start - now) / total > drop
