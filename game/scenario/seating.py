"""The default table a scenario declares: which bot strategy plays each seat nobody takes.

`role_strategies` says which generic strategies can play a role (the names only; `game.bots`
implements them), and `check_table` checks the file's `table:` against the roles.
"""

from __future__ import annotations

from game.scenario.model import EMPLOYEE_STRATEGIES, MANAGER_STRATEGIES, Scenario
from game.scenario.rules import RuleError, Rules, rules_for

__all__ = ["check_table", "default_seat_strategy", "describe_strategy", "role_strategies",
           "sets_policies_only"]


def role_strategies(rules: Rules, role: str) -> tuple[str, ...]:
    """The strategies that can play `role`: the employee ones if it splits effort, the
    manager ones if it chooses policies, both if both (employee ones first), else `random`."""
    out: list[str] = []
    if (role, "work") in rules.acting:
        out += EMPLOYEE_STRATEGIES
    if (role, "policy") in rules.acting:
        out += [s for s in MANAGER_STRATEGIES if s not in out]
    return tuple(out) or ("random",)


def default_seat_strategy(scenario: Scenario, role: str, nth: int = 0) -> str:
    """The strategy of the bot in the role's `nth` empty seat (from 0; a seat nobody chose a
    strategy for): the scenario's table says, else `adaptive` for a role that acts, else
    `random`."""
    declared = scenario.table_strategy(role, nth)
    if declared is not None:
        return declared
    choices = role_strategies(rules_for(scenario), role)
    return "adaptive" if "adaptive" in choices else choices[0]


def check_table(rules: Rules) -> None:
    """Raise a RuleError at the first table entry that names no role, seats too few or too
    many, disagrees with the role's own `seats.default`, or names a strategy the role cannot
    play."""
    roles = {r.id: r for r in rules.scenario.roles}
    for role_id, listed in rules.scenario.table.items():
        loc = ("table", role_id)
        role = roles.get(role_id)
        if role is None:
            raise RuleError(loc, f"the table names an unknown role '{role_id}' "
                                 f"(roles: {', '.join(roles)})")
        seats, n = role.seats, len(listed)
        if not seats.min <= n <= seats.max:
            raise RuleError(loc, f"the table seats {n} of role '{role_id}'; the role allows "
                                 f"{seats.min} to {seats.max} (its `seats`)")
        if "default" in seats.model_fields_set and seats.default != n:
            raise RuleError(loc, f"the table seats {n} of role '{role_id}' but its "
                                 f"`seats.default` is {seats.default}: make them agree, or "
                                 f"leave `default` out of the role's seats")
        allowed = role_strategies(rules, role_id)
        for j, strategy in enumerate(listed):
            if strategy not in allowed:
                raise RuleError(loc + (j,), f"strategy '{strategy}' cannot play role "
                                            f"'{role_id}' (choose from: {', '.join(allowed)})")


# What each strategy does, in the words a setup screen or `explain` shows a player.
_WORDS = {
    "gamer": "plays to its own review",
    "craft": "works for the company's health",
    "cautious": "plays it safe",
    "random": "chooses at random",
    "adaptive": "keeps what its reviews reward",
    "hype": "pushes the dashboard numbers",
    "outcome": "manages for real outcomes",
}
_POLICY_WORDS = {
    "random": "picks policies at random",
    "adaptive": "pushes the dashboards until health falls",
}


def describe_strategy(strategy: str, sets_policies: bool = False) -> str:
    """A strategy in plain words, e.g. `plays to its own review`; with `sets_policies`, the
    policy-setting reading of `random` and `adaptive`."""
    if sets_policies and strategy in _POLICY_WORDS:
        return _POLICY_WORDS[strategy]
    return _WORDS.get(strategy, strategy)


def sets_policies_only(scenario: Scenario, role: str) -> bool:
    """Whether the role chooses policies and splits no effort (a manager)."""
    role_spec = scenario.role(role)
    return bool(scenario.policies_of(role)) and not (scenario.behaviours_of(role)
                                                     and role_spec.effort > 0)
