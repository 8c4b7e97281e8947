"""Bots: automatic players that see only their seat's view and act only through legal actions.

    bot = make_bot("gamer", scenario, seat, random.Random(seed))
    action = bot.act(view, legal)

Strategies are generic: they read the scenario's formulas and nothing scenario-specific.
"""

from __future__ import annotations

from game.bots.base import Bot, RandomSource
from game.bots.strategies import (AdaptiveBot, CautiousBot, CraftBot, GamerBot, HypeBot,
                                  OutcomeBot, RandomBot)
from game.scenario.model import EMPLOYEE_STRATEGIES, MANAGER_STRATEGIES, Scenario
from game.scenario.rules import rules_for
from game.scenario.seating import default_seat_strategy, describe_strategy, role_strategies

__all__ = ["Bot", "EMPLOYEE_STRATEGIES", "MANAGER_STRATEGIES", "STRATEGIES", "default_strategy",
           "describe_strategy", "make_bot", "strategies_for"]

STRATEGIES: dict[str, type[Bot]] = {
    "gamer": GamerBot, "craft": CraftBot, "cautious": CautiousBot, "random": RandomBot,
    "adaptive": AdaptiveBot, "hype": HypeBot, "outcome": OutcomeBot}


def make_bot(strategy: str, scenario: Scenario, seat: int, rng: RandomSource) -> Bot:
    """A bot playing `strategy` in `seat`, drawing from `rng` (a generator, or a function that
    makes one at the first draw); an unknown strategy is a ValueError naming the choices."""
    cls = STRATEGIES.get(strategy)
    if cls is None:
        raise ValueError(f"unknown bot strategy '{strategy}' "
                         f"(choose from: {', '.join(STRATEGIES)})")
    return cls(scenario, seat, rng)


def strategies_for(scenario: Scenario, role: str) -> tuple[str, ...]:
    """The strategies that make sense for `role`: manager ones if it sets policies, employee
    ones if it splits effort, both if both (employee ones first)."""
    if role not in {r.id for r in scenario.roles}:
        raise ValueError(f"unknown role '{role}' (roles: {', '.join(r.id for r in scenario.roles)})")
    return role_strategies(rules_for(scenario), role)


def default_strategy(scenario: Scenario, role: str, nth: int = 0) -> str:
    """The strategy of the bot in the role's `nth` empty seat (from 0; a seat nobody chose a
    strategy for): the scenario's default table says, else `adaptive` for any role that acts."""
    strategies_for(scenario, role)  # a ValueError for an unknown role
    return default_seat_strategy(scenario, role, nth)
