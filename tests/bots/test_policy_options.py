"""What a policy planner's imagined worker may do (`PolicyPlanner.options`) is what the rules
say with every stat's aggregates written in.

`options` writes only the aggregates the availability formulas read (the others are never
read): checked against the straightforward env, with every stat aggregated, for beliefs of
every worker role under random policies and stats, in every bundled scenario and in one
whose availability reads aggregates (tokenmaxxing's unattended agent, gated on the team's
mean wellbeing and total tokens).
"""

from __future__ import annotations

import random

import pytest

from game.bots.beliefs import Beliefs
from game.bots.objectives import index_objective
from game.bots.plan import AllocationPlanner
from game.bots.policy_plan import PolicyPlanner
from game.scenario.load import load_scenario, load_scenario_text
from game.scenario.rules import rules_for
from tests.conftest import SCENARIOS, bundled_scenarios

GATED = ("available: agent_autonomy > 0",
         "available: agent_autonomy > 0 or mean_wellbeing > 60 and total_tokens < 400")


def _every_stat_options(pp: PolicyPlanner, b: Beliefs, planner: AllocationPlanner) -> tuple:
    """`pp.options(b, planner)` with every stat's aggregates written in (as it was first)."""
    mine = pp.available_aggregated[b.role]
    pp.available_aggregated[b.role] = tuple(pp.rules.stat_specs)
    try:
        return pp.options(b, planner)
    finally:
        pp.available_aggregated[b.role] = mine


def _gated():
    text = (SCENARIOS / "tokenmaxxing.yaml").read_text()
    assert GATED[0] in text
    return load_scenario_text(text.replace(GATED[0], GATED[1]), "gated.yaml")


def _stats(rules, role: str, rng: random.Random) -> dict[str, float]:
    return {sid: rng.uniform(rules.stat_specs[sid].min, rules.stat_specs[sid].max)
            for sid in rules.role_stats[role]}


@pytest.mark.parametrize("source", [*bundled_scenarios(), "gated"],
                         ids=lambda p: getattr(p, "stem", p))
def test_options_are_those_of_every_stat_aggregated(source):
    scenario = _gated() if source == "gated" else load_scenario(source)
    rules, rng = rules_for(scenario), random.Random(str(source))
    pp = PolicyPlanner(rules, index_objective(rules, scenario.roles[0].id, "health"))
    seen = set()
    for _ in range(40):
        if not pp.workers:
            break
        role = rng.choice(pp.workers)
        policies = {p.id: rng.randrange(p.level_count) for p in rules.policies}
        others = [(r.id, _stats(rules, r.id, rng)) for r in scenario.roles
                  for _ in range(rng.randint(0, 2))]
        b = Beliefs(role, pp.reference, policies, _stats(rules, role, rng), others,
                    rng.randint(1, scenario.turns), 0.0, 0)
        found = pp.options(b, pp.gamers[role])
        assert found == _every_stat_options(pp, b, pp.gamers[role])
        seen.add(found)
    if source == "gated":
        assert pp.available_aggregated["employee"] == ("tokens", "wellbeing")
        assert len({opts for opts, _ in seen}) > 1  # (the gate both opens and stays shut)
