"""The four-hour-target scenario: seats in a chain (crew -> emergency -> ward) pass patients
with flows, and a four-hour standard makes the department hold ambulances at its door.

At the default table (a hype board that keeps the national standard, gamers in the chain) the
published four-hour figure climbs to 100% while the harm from waiting rises; with the whole
journey timed (the `whole_pathway` regime) the figure looks worse and health falls much less.
Nothing here tunes a bot: if the lesson stops emerging, the scenario's numbers are to fix.
"""

from __future__ import annotations

from functools import lru_cache

from game.analysis.simulate import simulate
from game.scenario.explain import explain
from game.scenario.lint import lint_file
from game.scenario.load import load_scenario
from tests.conftest import SCENARIOS

PATH = SCENARIOS / "four-hour-target.yaml"
RUNS = 200
SEED = 2026


@lru_cache(maxsize=None)
def run(**locked: int):
    """The summary of RUNS seeded games at the default table, with `locked` policies."""
    return simulate(load_scenario(PATH), RUNS, seed=SEED, strategies={},
                    locked=dict(locked) or None,
                    workers=2, progress=False)


def test_lints_clean_and_explains_itself():
    assert [str(d) for d in lint_file(PATH)] == []
    text = explain(load_scenario(PATH))
    assert "Seats in relation" in text and "Review score" in text
    assert max(len(line) for line in text.splitlines()) <= 88


def test_is_a_complete_scenario_with_seats_in_a_chain():
    text = PATH.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../docs/scenario.schema.json\n")
    assert "INCENTIVE ARITHMETIC" in text
    s = load_scenario(PATH)
    assert s.order is not None and list(s.order.roles) == ["crew", "emergency", "ward"]
    assert {f.id for f in s.flows} == {"journey", "admission"}
    assert any(r.decisions for r in s.roles)
    assert len(s.debrief.lessons) >= 3 and len(s.debrief.questions) >= 4
    assert len(s.debrief.what_if) == 2


def test_the_default_table_meets_the_target_while_harm_rises():
    hype = run()
    assert hype.strategies["board"] == "hype"
    assert hype.proxy_end_mean > hype.proxy_start + 30, "the four-hour figure climbs"
    assert hype.proxy_end_range[0] > 95
    assert hype.health_end_mean < hype.health_start - 10, "harm from waiting rises"
    assert hype.gap_end_mean > 40


def test_timing_the_whole_journey_keeps_health_far_better():
    hype, pathway = run(), run(four_hour_target=0, whole_pathway=1)
    assert pathway.health_end_mean > hype.health_end_mean + 6
    assert pathway.health_end_mean > pathway.health_start - 8, "health nearly holds"
    assert pathway.proxy_end_mean < hype.proxy_end_mean - 15, "the figure looks worse"
    assert abs(pathway.gap_end_mean) < abs(hype.gap_end_mean) / 2
