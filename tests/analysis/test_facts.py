"""No lesson is shown that the game's own data contradicts.

Every bundled scenario is played by bots of varied strategies (hype, outcome and random
managers; gamer and craft employees) over three seeds. For each ended game the
end facts are checked against the data they come from, and every place that shows lessons
(the end screen's debrief, the text game's reveal, a workshop result file read back by the
debrief) shows exactly the lessons whose condition holds on that game's facts, and the
same fact sentences.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import pytest

from game.analysis.facts import fact_sentences, game_facts, shown_lessons
from game.analysis.indices import gap_series, index_series, seat_outcomes
from game.analysis.simulate import play_game, table_for
from game.bots import strategies_for
from game.cli.text_game import render_reveal
from game.engine.game import Game
from game.engine.save import Session
from game.engine.state import SeatSetup
from game.scenario.formula import compile_formula
from game.scenario.load import list_bundled, load_scenario
from game.workshop.debrief import summarise
from game.workshop.result import build_result

MANAGERS = ("hype", "outcome", "random")
EMPLOYEES = ("gamer", "craft")
SEEDS = (1, 2, 3)
SCENARIOS = [p.stem for p in list_bundled()]


@lru_cache(maxsize=None)
def played(name: str) -> list[tuple[str, Game, object, list]]:
    """(label, game, ended state) of every strategy pair and seed for one scenario."""
    scenario = load_scenario(name)
    game = Game(scenario)
    chooser = next(r.id for r in scenario.roles if scenario.policies_of(r.id))
    worker = next(r.id for r in scenario.roles if scenario.behaviours_of(r.id) or r.decisions)
    out = []
    for manager, employee, seed in itertools.product(MANAGERS, EMPLOYEES, SEEDS):
        if manager not in strategies_for(scenario, chooser) \
                or employee not in strategies_for(scenario, worker):
            continue
        table, chosen = table_for(game, {chooser: manager, worker: employee}, None)
        out.append((f"{manager}/{employee}/{seed}", game,
                    play_game(game, seed, table, chosen), table))
    return out


def holding(scenario, facts) -> tuple[list[str], list[str]]:
    """The scenario's lessons split by whether their `when` holds, evaluated here from the
    scenario's own text (not through the code under test)."""
    shown, hidden = [], []
    for lesson in scenario.debrief.lessons:
        text, when = (lesson, "1") if isinstance(lesson, str) else (lesson.text, lesson.when)
        holds = compile_formula(when, frozenset(facts.values))(facts.values)
        (shown if holds else hidden).append(" ".join(text.split()))
    return shown, hidden


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_facts_agree_with_the_game(name):
    for label, game, state, *_ in played(name):
        s = game.scenario
        v = game_facts(s, state).values
        proxy, health = index_series(s, state)
        assert v["gap"] == pytest.approx(gap_series(proxy, health)[-1]), label
        assert v["health_change"] == pytest.approx(health[-1] - health[0]), label
        for p in s.policies:
            on = [h.policies.get(p.id, 0) > 0 for h in state.history]
            assert v[f"ever_{p.id}"] == float(any(on)), (label, p.id)
            assert v[f"turns_{p.id}"] == sum(on), (label, p.id)
        roles = [o.role for o in seat_outcomes(s, state)]
        main = max(dict.fromkeys(roles), key=roles.count)
        mine = [o for o in seat_outcomes(s, state) if o.role == main]
        top = min(mine, key=lambda o: o.leaderboard_rank)
        assert v["leader_contribution_rank"] == top.contribution_rank, label
        assert v["ranked_seats"] == len(mine), label


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_shown_lesson_holds_on_its_game(name):
    for label, game, state, table in played(name):
        s = game.scenario
        facts = game_facts(s, state)
        expected, contradicted = holding(s, facts)
        assert shown_lessons(s, facts) == expected, label
        reveal = " ".join(render_reveal(s, state, {}, table).split())
        for text in expected + fact_sentences(facts):
            assert text in reveal, (label, text)
        for text in contradicted:
            assert text not in reveal, (label, text)


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_result_file_gives_the_debrief_the_same_lessons_and_facts(name):
    for label, game, state, _ in played(name)[::4]:
        seats = [SeatSetup(role=x.role, name=x.name, controller="bot:random")
                 for x in state.seats]
        session = Session(game, state.seed, seats)
        session.state = state  # the ended game, as if its actions had been played here
        summary = summarise(build_result(session))
        facts = game_facts(game.scenario, state)
        assert summary.lessons == shown_lessons(game.scenario, facts), label
        assert summary.facts == fact_sentences(facts), label


def test_conditional_lessons_are_not_always_or_never_shown():
    """Across the varied games, each bundled conditional lesson is shown in some game and
    hidden in another (a condition that never holds, or always does, says nothing)."""
    never, always = [], []
    for name in SCENARIOS:
        games = played(name)
        s = games[0][1].scenario
        seen = [holding(s, game_facts(s, state))[0] for _, _, state, _ in games]
        for lesson in s.debrief.lessons:
            if isinstance(lesson, str):
                continue
            text = " ".join(lesson.text.split())
            count = sum(text in shown for shown in seen)
            if count == 0:
                never.append(f"{name}: {lesson.when}")
            if count == len(seen):
                always.append(f"{name}: {lesson.when}")
    assert never == [] and always == []


def test_how_proxy_and_health_moved_is_told_in_the_scenarios_own_time():
    from game.analysis.facts import facts_from
    facts = facts_from([50, 55, 60], [50, 52, 54], [{}, {}, {}], [{}, {}], [], {}, "hour")
    assert any(line.startswith("Hour by hour, proxy and health moved ")
               for line in fact_sentences(facts))
