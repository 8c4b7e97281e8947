"""The flagship's lesson emerges from generic bots meeting the scenario's numbers.

Hype policies with gamer employees: the proxy index ends well above its start while the
health index ends below its start. Outcome policies with the same gamers: health ends above
the hype case and the gamers put most of their effort into genuine work.
"""

from __future__ import annotations

import pytest

from game.analysis.simulate import simulate
from game.scenario.load import load_scenario

RUNS = 200
GENUINE = ("handwork", "ai_bottleneck", "audit", "mentoring")  # flagship ids, named here only


@pytest.fixture(scope="module")
def flagship():
    return load_scenario("tokenmaxxing")


@pytest.fixture(scope="module")
def hype(flagship):
    return simulate(flagship, RUNS, seed=11, strategies={"manager": "hype", "employee": "gamer"},
                    workers=2, progress=False)


@pytest.fixture(scope="module")
def outcome(flagship):
    return simulate(flagship, RUNS, seed=11,
                    strategies={"manager": "outcome", "employee": "gamer"},
                    workers=2, progress=False)


def test_under_hype_the_proxy_soars_while_health_falls(hype):
    assert hype.proxy_end_mean > hype.proxy_start + 15
    assert hype.health_end_mean < hype.health_start - 5
    assert hype.gap_end_mean > 20


def test_under_outcome_metrics_health_beats_the_hype_case(hype, outcome):
    assert outcome.health_end_mean > hype.health_end_mean + 10
    assert outcome.health_end_range[0] > hype.health_end_range[1]


def test_under_outcome_metrics_gamers_do_genuine_work(outcome):
    shares = outcome.behaviour_share["employee"]
    assert sum(shares.get(b, 0.0) for b in GENUINE) > 0.5
    assert shares.get("busywork", 0.0) < 0.1
