"""The flagship's lesson, policy by policy: with the manager's policies locked, the same
self-interested (gamer) engineers farm tokens under leaderboard policies and do genuine work
under outcome metrics with counter-goals. Nothing here scripts the choice: the bots maximise
the review formula in force."""

from __future__ import annotations

import pytest

from game.analysis.indices import health_series
from game.bots import make_bot
from game.engine import Game
from game.engine.rng import stream
from game.engine.state import SeatSetup
from game.scenario.load import load_scenario

GENUINE = {"handwork", "ai_bottleneck", "audit", "mentoring"}
FARMING = {"busywork", "agent_unattended"}
SEEDS = range(12)


def _play(policies: dict[str, int]) -> tuple[dict[str, float], float]:
    """Effort shares of gamer engineers and the mean end health, with policies locked."""
    scenario = load_scenario("tokenmaxxing")
    game = Game(scenario)
    locked = {p.id: 0 for p in scenario.policies} | policies
    seats = [SeatSetup(role="manager", name="M", controller="bot:random")] + [
        SeatSetup(role="employee", name=f"E{i}", controller="bot:gamer") for i in range(4)]
    effort: dict[str, int] = {}
    health = 0.0
    for seed in SEEDS:
        state = game.new_state(seed, seats, locked)
        bots = [make_bot(s.strategy, scenario, i, stream(seed, "bot", i))
                for i, s in enumerate(seats)]
        while not game.is_terminal(state):
            seat = game.to_act(state)[0]
            action = bots[seat].act(game.view(state, seat), game.legal_actions(state, seat))
            game.apply_inplace(state, action)
        for record in state.history:
            for alloc in record.allocations.values():
                for behaviour, points in alloc.items():
                    effort[behaviour] = effort.get(behaviour, 0) + points
        health += health_series(scenario, state)[-1]
    total = sum(effort.values())
    return {b: p / total for b, p in effort.items()}, health / len(SEEDS)


def _share(shares: dict[str, float], kinds: set[str]) -> float:
    return sum(v for k, v in shares.items() if k in kinds)


@pytest.mark.parametrize("policies", [
    {"token_leaderboard": 1},
    {"usage_in_reviews": 2, "usage_target": 2},
])
def test_leaderboard_policies_make_gamers_farm_tokens_and_health_fall(policies):
    shares, health = _play(policies)
    assert _share(shares, FARMING) >= 0.75, shares
    assert health < 60


def test_outcome_metrics_with_counter_goals_make_the_same_gamers_do_genuine_work():
    shares, health = _play({"outcome_metrics": 1, "counter_goals": 1})
    assert _share(shares, GENUINE) >= 0.95, shares
    farming_health = _play({"token_leaderboard": 1})[1]
    assert health > farming_health + 15
