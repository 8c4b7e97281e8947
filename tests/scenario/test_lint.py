"""Lint finds load errors and real semantic problems, each at its line, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.lint import Diagnostic, collect_files, lint_file, lint_paths
from game.scenario.load import list_bundled
from tests.scenario.fixtures.variants import FIXTURES, MINIMAL, line_of, variant

OBSERVER = """  - id: observer
    name: Observer
    seats: {min: 1, max: 1, default: 1}
"""
MORALE = """  - id: morale
    name: Morale
    min: 0
    max: 10
    initial: 5
stats:
"""


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    return diagnostics[0]


def test_minimal_scenario_lints_clean():
    assert lint_file(MINIMAL) == []


@pytest.mark.parametrize("path", list_bundled(), ids=lambda p: p.stem)
def test_every_bundled_scenario_lints_clean(path):
    assert [str(d) for d in lint_file(path) if d.severity == "error"] == []
    assert [str(d) for d in lint_file(path)] == []


def test_diagnostic_prints_file_line_col_severity_message():
    assert str(Diagnostic("a.yaml", 3, 5, "warning", "hm")) == "a.yaml:3:5: warning: hm"
    assert str(Diagnostic("a.yaml", None, None, "error", "big")) == "a.yaml: error: big"


# (edits to minimal.yaml, text on the expected line, severity, message part)
FINDINGS = [
    pytest.param([("policies:\n", f"{OBSERVER}policies:\n")], "- id: observer", "error",
                 "role 'observer' has nothing to choose", id="role-without-actions"),
    pytest.param([("policies:\n", OBSERVER.replace("min: 1, max: 1, default: 1",
                                                   "min: 0, max: 1, default: 0") + "policies:\n")],
                 "- id: observer", "warning", "role 'observer' has nothing to choose",
                 id="optional-role-without-actions"),
    pytest.param([("    effort: 5\n", "")], "- id: employee", "error",
                 "role 'employee' has behaviours but no effort points", id="no-effort"),
    pytest.param([("    excludes: [leaderboard]\n", "")], "excludes: [review_gate]", "warning",
                 "policy 'leaderboard' excludes 'review_gate' but 'review_gate' does not "
                 "exclude 'leaderboard'", id="exclusion-not-mutual"),
    pytest.param([("    cost: 1\n    excludes: [review_gate]",
                   "    cost: 1\n    initial: 1\n    excludes: [review_gate]"),
                  ("    excludes: [leaderboard]", "    initial: 1\n    excludes: [leaderboard]")],
                 "excludes: [review_gate]", "error", "both start active", id="exclusive-both-on"),
    pytest.param([("    when: turn >= 3", "    when: turn > 6")], "when: turn > 6", "warning",
                 "event 'price_hike' can never fire", id="event-after-the-end"),
    pytest.param([("    when: turn >= 3", "    when: quality > 100")], "when: quality > 100",
                 "warning", "event 'price_hike' can never fire", id="event-beyond-bounds"),
    pytest.param([("    chance: 0.5", "    chance: 0")], "chance: 0", "warning",
                 "event 'price_hike' has chance 0", id="event-chance-zero"),
    pytest.param([("stats:\n", MORALE)], "- id: morale", "warning",
                 "metric 'morale' never changes", id="metric-never-changes"),
    pytest.param([("roles:\n", "  - id: pride\n    name: Pride\n    min: 0\n    max: 1\n"
                               "    initial: 0\nroles:\n")],
                 "- id: pride", "warning", "stat 'pride' never changes", id="stat-never-changes"),
    pytest.param([("  health_index: {quality: 1}", "  health_index: {quality: 1, token_spend: 1}")],
                 "health_index", "warning", "metric 'token_spend' is in both", id="both-indices"),
    pytest.param([("    name: Real work\n", "    name: Real work\n    available: turn > 9\n")],
                 "available: turn > 9", "warning", "behaviour 'real_work' is never available",
                 id="behaviour-never-available"),
    pytest.param([("    excludes: [review_gate]", "    excludes: [leaderboard]")],
                 "excludes: [leaderboard]", "error", "excludes itself", id="self-exclusion"),
    pytest.param([("    excludes: [review_gate]", "    excludes: [review_gates]")],
                 "excludes: [review_gates]", "error", "unknown policy 'review_gates'",
                 id="unknown-exclusion"),
    pytest.param([("  proxy_index: {token_spend: 1}", "  proxy_index: {spend: 1}")],
                 "proxy_index", "error", "unknown metric 'spend'", id="debrief-unknown-metric"),
    pytest.param([("    - The leaderboard rewards tokens, not quality.",
                   "    - text: The leaderboard rewards tokens, not quality.\n"
                   "      when: ever_leaderbord and gap > 5")],
                 "when: ever_leaderbord", "error",
                 "unknown name 'ever_leaderbord'; did you mean 'ever_leaderboard'?",
                 id="lesson-unknown-fact"),
    pytest.param([("    - The leaderboard rewards tokens, not quality.",
                   "    - text: The leaderboard rewards tokens, not quality.\n"
                   "      when: real_work > 2")],
                 "when: real_work > 2", "error", "end-of-game facts", id="lesson-reads-a-stat"),
    pytest.param([("    - What would you measure instead?\n",
                   "    - What would you measure instead?\n  what_if:\n    - name: Gate\n"
                   "      locks: {review_gate: strict}\n")],
                 "locks: {review_gate: strict}", "warning",
                 "what-if 'Gate' leaves leaderboard free", id="what-if-policy-left-free"),
    pytest.param([("    - What would you measure instead?\n",
                   "    - What would you measure instead?\n  what_if:\n    - name: Gate\n"
                   "      locks: {review_gate: 2, leaderboard: 0}\n    - name: Again\n"
                   "      locks: {leaderboard: off, review_gate: strict}\n")],
                 "locks: {leaderboard: off", "warning",
                 "what-if 'Again' holds the same levels as 'Gate'", id="what-if-twice"),
    pytest.param([("    - What would you measure instead?\n",
                   "    - What would you measure instead?\n  what_if:\n    - name: Gate\n"
                   "      locks: {review_gate: strictest, leaderboard: 0}\n")],
                 "strictest", "error", "policy 'review_gate' has no level 'strictest'",
                 id="what-if-unknown-level"),
]


def test_a_lesson_condition_over_end_facts_lints_clean(tmp_path):
    path = variant(tmp_path, ("    - The leaderboard rewards tokens, not quality.",
                              "    - text: The leaderboard rewards tokens, not quality.\n"
                              "      when: ever_leaderboard and gap > 5 and end_quality < "
                              "start_quality and leader_contribution_rank > 1"))
    assert lint_file(path) == []


@pytest.mark.parametrize(("edits", "needle", "severity", "message"), FINDINGS)
def test_lint_finding(tmp_path, edits, needle, severity, message):
    path = variant(tmp_path, *edits)
    found = only(lint_file(path))
    assert found.severity == severity
    assert message in found.message
    assert found.line == line_of(path, needle), str(found)
    assert str(found).startswith(f"{path}:{found.line}:{found.col}: {severity}: ")


def test_event_that_is_rare_but_possible_is_not_flagged(tmp_path):
    path = variant(tmp_path, ("    when: turn >= 3", "    when: quality > 99 and turn == 6"))
    assert lint_file(path) == []


def test_behaviour_available_on_a_policy_level_is_not_flagged(tmp_path):
    path = variant(tmp_path, ("    name: Real work\n",
                              "    name: Real work\n    available: review_gate == 2\n"))
    assert lint_file(path) == []


def test_every_load_error_becomes_a_diagnostic(tmp_path):
    path = variant(tmp_path, ("turns: 6", "turns: many"), ("    max: 100\n", ""))
    found = lint_file(path)
    assert [d.severity for d in found] == ["error", "error"]
    assert [d.line for d in found] == sorted([line_of(path, "turns: many"),
                                              line_of(path, "- id: quality")])


def test_unreadable_file_is_one_error_without_position(tmp_path):
    found = only(lint_file(tmp_path / "missing.yaml"))
    assert (found.severity, found.line, found.message) == ("error", None, "no such file")


def test_folders_are_searched_for_yaml_but_not_workshop_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "sub" / "b.yml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "table_workshop.yaml").write_text("not: a scenario\n")
    (tmp_path / "notes.txt").write_text("ignored\n")
    assert collect_files([tmp_path]) == [tmp_path / "a.yaml", tmp_path / "sub" / "b.yml"]
    assert lint_paths([tmp_path]) == []


def test_fixture_folder_lints_clean():
    assert lint_paths([FIXTURES]) == []


def test_files_are_kept_in_the_order_given(tmp_path):
    a, b = tmp_path / "z.yaml", Path(tmp_path / "a.yaml")
    assert collect_files([a, b]) == [a, b]


def test_a_long_formula_is_cut_to_60_characters_around_the_fault_in_the_message(tmp_path):
    long = " + ".join(["0.001 * review_gate"] * 30) + " + nosuch"
    path = variant(tmp_path, ("value: 2 * review_gate", f"value: {long}"))
    found = only(lint_file(path))
    assert found.severity == "error" and "unknown name 'nosuch'" in found.message
    quoted = found.message.split("`")[1]
    assert len(quoted) <= 60 and quoted.startswith("...") and "nosuch" in quoted
    assert long.endswith(quoted[3:])
    assert found.col == len(f"        value: {long}") - len("nosuch") + 1
