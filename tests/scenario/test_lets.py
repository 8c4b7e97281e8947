"""Named values (`let:`): read in order, written out where they are read, checked at load."""

from __future__ import annotations

import pytest

from game.analysis.simulate import play_bot_game
from game.errors import ScenarioError
from game.scenario.load import load_scenario
from game.scenario.rules import rules_for
from tests.scenario.fixtures.variants import line_of, variant

LETS = ("constants:\n  token_price: 0.5\n",
        "constants:\n  token_price: 0.5\nlet:\n"
        "  price_per_ten: token_price * 10\n"
        "  spend_cost: 2 * price_per_ten\n"
        "  own_tokens: tokens / 10\n")


def load_error(path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "\n" not in str(info.value)
    return info.value


def test_a_let_reads_earlier_lets_and_is_written_out_where_it_is_read(tmp_path):
    path = variant(tmp_path, LETS, ("value: 20 * token_price", "value: spend_cost"),
                   ("employee: 0.1 * tokens", "employee: own_tokens"))
    rules = rules_for(load_scenario(path))
    busy = next(b for b in rules.behaviours if b.id == "busywork")
    spend = busy.effects[1]
    assert spend.value.names == {"token_price"}
    assert spend.value({"token_price": 0.5}) == 10.0
    term = rules.policies[0].review["employee"]
    assert term.names == {"tokens"}
    assert term({"tokens": 30.0}) == 3.0


def test_a_scenario_with_lets_plays_as_the_same_rules_written_out(tmp_path):
    with_lets = variant(tmp_path, LETS, ("value: 20 * token_price", "value: spend_cost"),
                        ("employee: 0.1 * tokens", "employee: own_tokens"), name="a.yaml")
    written = variant(tmp_path, ("value: 20 * token_price", "value: 2 * (0.5 * 10)"),
                      ("employee: 0.1 * tokens", "employee: tokens / 10"), name="b.yaml")
    results = []
    for path in (with_lets, written):
        state = play_bot_game(load_scenario(path), 7, {})[0]
        results.append((state.history, state.metrics, [s.stats for s in state.seats]))
    assert results[0] == results[1]


def test_a_seat_let_in_a_company_formula_is_a_load_error_at_its_line(tmp_path):
    path = variant(tmp_path, LETS, ("when: turn >= 3", "when: own_tokens >= 3"))
    err = load_error(path)
    assert err.line == line_of(path, "when: own_tokens")
    assert "let 'own_tokens' reads 'tokens'" in err.message


@pytest.mark.parametrize("lets, says", [
    ("  a: b + 1\n  b: 2\n", "let 'a' reads 'b', which is defined below it"),
    ("  a: a + 1\n", "let 'a' reads itself"),
    ("  a: b + 1\n  b: a * 2\n", "lets 'a' and 'b' read each other (a -> b -> a)"),
    ("  a: qualty + 1\n", "unknown name 'qualty'; did you mean 'quality'?"),
])
def test_cycles_forward_reads_and_unknown_names_are_load_errors_at_the_let(tmp_path, lets, says):
    path = variant(tmp_path, ("constants:\n", "let:\n" + lets + "constants:\n"))
    err = load_error(path)
    assert says in err.message
    assert err.line == line_of(path, "  a: ")


def test_a_let_clashing_with_another_id_is_a_load_error(tmp_path):
    path = variant(tmp_path, ("constants:\n", "let:\n  quality: 1\nconstants:\n"))
    assert "already used" in load_error(path).message


def test_lets_that_grow_past_the_formula_limits_when_written_out_are_refused(tmp_path):
    chain = "".join(f"  l{i}: l{i - 1} * l{i - 1} + l{i - 1}\n" for i in range(1, 12))
    path = variant(tmp_path, ("constants:\n", "let:\n  l0: quality\n" + chain + "constants:\n"))
    assert "too long once the lets it reads are written out" in load_error(path).message


def test_explain_lists_the_lets_in_order_with_their_formulas(tmp_path):
    from game.scenario.explain import explain
    path = variant(tmp_path, LETS, ("employee: 0.1 * tokens", "employee: own_tokens"))
    text = " ".join(explain(load_scenario(path)).split())
    assert "Named values" in text
    first, second = text.index("price_per_ten = `0.5 * 10`"), text.index("spend_cost = `2 * ")
    assert first < second < text.index("own_tokens = `tokens / 10`, where tokens is")
    assert "plus `own_tokens` while 'Public token leaderboard' is active" in text


def test_the_scoring_lines_read_a_term_through_its_lets(tmp_path):
    from game.scenario.scoring import scoring_lines
    path = variant(tmp_path, LETS, ("employee: 0.1 * tokens", "employee: own_tokens"))
    lines = scoring_lines(load_scenario(path), "employee", {"leaderboard": 1})
    assert any("Public token leaderboard: points for Tokens used" in line for line in lines)
