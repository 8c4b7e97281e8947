"""The names a lesson's `when` may read: facts about a whole game, known once it has ended.

`game.analysis.facts` computes them; this module only names them, so loading and linting a
scenario can check a lesson's condition without playing a game. Every fact is a number
(yes/no facts are 1 or 0). The same list is in scenarios/AUTHORING.md, section 2.12.
"""

from __future__ import annotations

from game.scenario.model import Scenario

__all__ = ["GAME_FACTS", "METRIC_FACTS", "POLICY_FACTS", "fact_names"]

GAME_FACTS: dict[str, str] = {
    "proxy_start": "the proxy index at the start (0-100)",
    "proxy_end": "the proxy index at the end",
    "proxy_change": "proxy_end - proxy_start",
    "health_start": "the health index at the start (0-100)",
    "health_end": "the health index at the end",
    "health_change": "health_end - health_start",
    "gap": "the Goodhart gap at the end: proxy_change - health_change",
    "gap_max": "the largest gap at the end of any turn (0 at the start)",
    "proxy_health_corr": "correlation of the turn-to-turn changes of the two indices (-1..1)",
    "rank_contribution_corr": "Spearman correlation of leaderboard rank and real contribution "
                              "rank in the most-seated reviewed role (-1..1; 0 if under 2 seats)",
    "leader_contribution_rank": "the leaderboard's #1 (in that role): its rank in real "
                                "contribution (1 is best; 0 if nobody is reviewed)",
    "ranked_seats": "how many seats that role has",
    "laid_off": "how many seats were laid off",
    "turns_played": "how many turns were resolved",
    "policies_used": "how many policies were in force at some point",
}
"""Facts every game has: name -> meaning."""

POLICY_FACTS: dict[str, str] = {
    "ever_{policy}": "1 if the policy was in force (any level above off) in some turn, else 0",
    "turns_{policy}": "the number of turns the policy was in force",
    "most_{policy}": "the highest level it reached (0 = off)",
}
"""Facts per policy id: pattern -> meaning."""

METRIC_FACTS: dict[str, str] = {
    "start_{metric}": "the metric's true value at the start",
    "end_{metric}": "the metric's true value at the end",
}
"""Facts per metric id: pattern -> meaning."""


def fact_names(scenario: Scenario) -> frozenset[str]:
    """Every fact name a lesson of `scenario` may read."""
    names = set(GAME_FACTS)
    for p in scenario.policies:
        names |= {k.format(policy=p.id) for k in POLICY_FACTS}
    for m in scenario.metrics:
        names |= {k.format(metric=m.id) for k in METRIC_FACTS}
    return frozenset(names)
