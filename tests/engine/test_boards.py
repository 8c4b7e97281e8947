"""The scenario's own leaderboards: of seats, teams or roles, shown in every seat's view."""

from __future__ import annotations

import pytest

from game.analysis.simulate import play_bot_game
from game.engine.boards import leaderboards, teams_of
from game.engine.view import views
from game.errors import ScenarioError
from game.scenario.load import load_scenario
from game.scenario.rules import rules_for
from tests.scenario.fixtures.variants import line_of, variant

TEAMS = ("    seats: {min: 1, max: 4, default: 2}\n",
         "    seats: {min: 1, max: 4, default: 4}\n    teams: [Red, Blue]\n")
BOARDS = ("debrief:\n", """leaderboards:
  - id: busiest
    name: Most tokens
    score: tokens
    roles: [employee]
  - id: team_tokens
    name: Tokens by team
    score: tokens
    roles: [employee]
    by: team
  - id: roles
    name: Review score by role
    score: score
    by: role
    combine: mean
  - id: quiet
    name: Fewest tokens, while the leaderboard is on
    score: tokens
    roles: [employee]
    higher_is_better: false
    when: leaderboard
debrief:
""")


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    scenario = load_scenario(variant(tmp_path_factory.mktemp("boards"), TEAMS, BOARDS))
    return scenario, play_bot_game(scenario, 5, {"employee": "gamer"})[0]


def test_seats_are_dealt_to_their_roles_teams_in_turn(played):
    scenario, state = played
    teams = teams_of(rules_for(scenario), state.seats)
    engineers = [s.index for s in state.seats if s.role == "employee"]
    assert [teams[i] for i in engineers] == ["Red", "Blue", "Red", "Blue"]
    assert all(s.index not in teams for s in state.seats if s.role == "manager")


def test_boards_rank_seats_teams_and_roles_by_their_formula(played):
    scenario, state = played
    boards = {b.id: b for b in leaderboards(rules_for(scenario), state, revealed=True)}
    tokens = {s.index: s.stats["tokens"] for s in state.seats if s.role == "employee"}
    busiest = boards["busiest"].rows
    assert [r.score for r in busiest] == sorted(tokens.values(), reverse=True)
    assert all(tokens[r.seats[0]] == r.score for r in busiest)
    assert [r.rank for r in busiest] == [1 + sum(v > r.score for v in tokens.values())
                                         for r in busiest]
    teams = {r.name: r.score for r in boards["team_tokens"].rows}
    engineers = [s.index for s in state.seats if s.role == "employee"]
    assert teams == {"Red": tokens[engineers[0]] + tokens[engineers[2]],
                     "Blue": tokens[engineers[1]] + tokens[engineers[3]]}
    roles = {r.name: r.score for r in boards["roles"].rows}
    assert roles["Engineer"] == pytest.approx(
        sum(s.score for s in state.seats if s.role == "employee") / 4)
    assert [r.score for r in boards["quiet"].rows] == sorted(tokens.values())


def test_a_board_shows_only_while_its_condition_holds_and_always_at_the_end(played):
    scenario, state = played
    rules = rules_for(scenario)
    during = state.clone()
    during.phase = "work"
    for on in (0, 1):
        during.policies["leaderboard"] = on
        shown = [b.id for b in views(rules, during, [0])[0].boards]
        assert ("quiet" in shown) == bool(on)
        assert shown[:3] == ["busiest", "team_tokens", "roles"]
    assert [b.id for b in views(rules, state, [1])[0].boards][-1] == "quiet"


def test_old_scenarios_show_no_boards_of_their_own(played):
    state = play_bot_game(load_scenario("small-team"), 1, {})[0]
    assert views(rules_for(load_scenario("small-team")), state, [0])[0].boards == []


@pytest.mark.parametrize("board, says, at", [
    ("  - id: b\n    name: B\n    score: tokens\n    roles: [intern]\n",
     "unknown role 'intern'", "roles: [intern]"),
    ("  - id: b\n    name: B\n    score: tokens\n    roles: [manager]\n    by: team\n",
     "role 'manager' has none: give it `teams:`", "by: team"),
    ("  - id: b\n    name: B\n    score: tokens\n",
     "it ranks every role's seats: list the roles", "score: tokens"),
])
def test_a_board_that_cannot_be_ranked_is_a_load_error_at_its_line(tmp_path, board, says, at):
    path = variant(tmp_path, TEAMS, ("debrief:\n", "leaderboards:\n" + board + "debrief:\n"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert says in info.value.message
    assert info.value.line == line_of(path, at)


def test_no_board_is_shown_before_the_first_review(played):
    scenario, _ = played
    from game.engine import Game
    game = Game(scenario)
    state = game.new_state(1)
    assert views(game.rules, state, [1])[0].boards == []


@pytest.mark.parametrize("score, warned", [
    ("tokens", False),
    ("tokens + quality", True),      # quality is hidden from the manager here
    ("hidden_tokens", True),
])
def test_lint_warns_on_a_board_that_shows_a_hidden_number(tmp_path, score, warned):
    from game.scenario.lint import lint_file
    hidden = ("    public: leaderboard\n", "    public: leaderboard\n  - id: hidden_tokens\n"
              "    name: Hidden tokens\n    min: 0\n    max: 10\n    initial: 0\n"
              "    roles: [employee]\n    hidden_from_self: true\n")
    quality = ("      manager: {lag: 1}\n", "      manager: hidden\n")
    board = ("debrief:\n", f"leaderboards:\n  - id: b\n    name: B\n    score: {score}\n"
                           "    roles: [employee]\ndebrief:\n")
    path = variant(tmp_path, hidden, quality, board)
    found = [d for d in lint_file(path) if "leaderboard 'b'" in d.message]
    assert bool(found) == warned
    if warned:
        assert found[0].line == line_of(path, f"score: {score}")


def test_lint_warns_on_a_board_over_a_choice_that_is_gone_when_it_is_shown(tmp_path):
    from game.scenario.lint import lint_file
    path = variant(tmp_path, ("debrief:\n", "leaderboards:\n  - id: b\n    name: B\n"
                                            "    score: real_work\n    roles: [employee]\n"
                                            "debrief:\n"))
    [found] = [d for d in lint_file(path) if "leaderboard 'b'" in d.message]
    assert "reads 'real_work', a choice of the turn" in found.message
    assert found.line == line_of(path, "score: real_work", 2)
