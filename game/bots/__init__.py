"""Bots: automatic players that see only their seat's view and act only through legal actions.

    bot = make_bot("gamer", scenario, seat, random.Random(seed))
    action = bot.act(view, legal)

Strategies are generic: they read the scenario's formulas and nothing scenario-specific.
"""

from __future__ import annotations

from game.bots.base import Bot, RandomSource
from game.bots.strategies import (AdaptiveBot, CautiousBot, CraftBot, GamerBot, HypeBot,
                                  OutcomeBot, RandomBot)
from game.engine.actions import acts_in
from game.scenario.model import Scenario
from game.scenario.rules import rules_for

__all__ = ["Bot", "EMPLOYEE_STRATEGIES", "MANAGER_STRATEGIES", "STRATEGIES", "default_strategy",
           "make_bot", "strategies_for"]

EMPLOYEE_STRATEGIES = ("gamer", "craft", "cautious", "random", "adaptive")
MANAGER_STRATEGIES = ("hype", "outcome", "random", "adaptive")

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
    rules = rules_for(scenario)
    if role not in {r.id for r in scenario.roles}:
        raise ValueError(f"unknown role '{role}' (roles: {', '.join(r.id for r in scenario.roles)})")
    out: list[str] = []
    if acts_in(rules, role, "work"):
        out += EMPLOYEE_STRATEGIES
    if acts_in(rules, role, "policy"):
        out += [s for s in MANAGER_STRATEGIES if s not in out]
    return tuple(out) or ("random",)


def default_strategy(scenario: Scenario, role: str) -> str:
    """The strategy a bot plays when nobody chose one: `adaptive` for any role that acts."""
    choices = strategies_for(scenario, role)
    return "adaptive" if "adaptive" in choices else choices[0]
