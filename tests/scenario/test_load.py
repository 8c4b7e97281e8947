"""Loading scenario files: every mistake is one `file:line:col: message` at the right line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.scenario import load as load_module
from game.scenario import rules as rules_module
from game.scenario.load import (list_bundled, load_checked, load_scenario, scenario_hash,
                                source_of)
from game.scenario.model import Scenario
from game.scenario.rules import rules_for
from game.scenario.source import position, read_text
from tests.scenario.fixtures.variants import MINIMAL, line_of, variant


def load_error(path: Path) -> ScenarioError:
    """The ScenarioError that loading `path` raises."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert "\n" not in str(err)
    assert err.file == str(path)
    return err


def test_minimal_scenario_loads_with_its_rules_compiled_once(monkeypatch):
    scenario = load_scenario(MINIMAL)
    assert isinstance(scenario, Scenario)
    assert scenario.id == "minimal"
    monkeypatch.setattr(rules_module, "compile_rules", lambda s: pytest.fail("compiled twice"))
    assert rules_for(scenario) is rules_for(scenario)


def test_source_of_gives_path_and_file_hash():
    scenario = load_scenario(MINIMAL)
    source = source_of(scenario)
    assert source is not None and source.path == MINIMAL
    assert source.sha256 == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert source.sha256 == scenario_hash(MINIMAL)


def test_scenario_hash_of_text_and_bytes_agree():
    text = MINIMAL.read_text(encoding="utf-8")
    assert scenario_hash(text) == scenario_hash(text.encode("utf-8")) == scenario_hash(MINIMAL)


def test_source_of_an_unloaded_scenario_is_none():
    scenario = Scenario.model_validate(load_checked(MINIMAL)[1].data)
    assert source_of(scenario) is None


def test_bundled_name_resolves_in_bundled_folders(tmp_path, monkeypatch):
    (tmp_path / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "minimal_workshop.yaml").write_text("x: 1\n")
    monkeypatch.setattr(load_module, "bundled_dirs", lambda: [tmp_path])
    assert load_scenario("minimal").id == "minimal"
    assert list_bundled() == [tmp_path / "minimal.yaml"]


def test_unknown_bundled_name_lists_the_bundled_ones(tmp_path, monkeypatch):
    (tmp_path / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    monkeypatch.setattr(load_module, "bundled_dirs", lambda: [tmp_path])
    with pytest.raises(ScenarioError, match=r"no bundled scenario of that name \(bundled: "
                                            r"minimal\)"):
        load_scenario("nonesuch")


def test_every_bundled_scenario_loads():
    for path in list_bundled():
        assert load_scenario(path).id


# (edits to minimal.yaml, text on the expected line, expected column or None, message part)
BROKEN = [
    pytest.param([("turns: 6", "turns: [6")], "turn_name: week", None, "YAML syntax error",
                 id="yaml-syntax"),
    pytest.param([("turns: 6", "\tturns: 6")], "turns: 6", 1, "tab character", id="tab-indent"),
    pytest.param([("turns: 6\n", "turns: 6\nturns: 7\n")], "turns: 7", 1,
                 "duplicate key 'turns'", id="duplicate-key"),
    pytest.param([("    inertia: 0.5", "    inertai: 0.5")], "inertai", 5,
                 "unknown key 'inertai' in metric 'quality' (did you mean 'inertia'?)",
                 id="unknown-key"),
    pytest.param([("        value: 2 * review_gate\n",
                   "        value: 2 * review_gate\n        delya: 1\n")], "delya", 9,
                 "unknown key 'delya' in effect 1 of policy 'review_gate' "
                 "(did you mean 'delay'?)", id="unknown-key-deep-in-a-list"),
    pytest.param([("    max: 100\n", "")], "- id: quality", 5,
                 "missing key 'max' in metric 'quality'", id="missing-key"),
    pytest.param([("    min: 0\n    max: 100", "    min: lots\n    max: 100")], "min: lots", 10,
                 "'min' in metric 'quality': expected a number, found 'lots'", id="bad-type"),
    pytest.param([("turns: 6", "turns: 2.5")], "turns: 2.5", 8,
                 "'turns': expected a whole number, found 2.5", id="not-whole"),
    pytest.param([("  - id: quality", "  - id: Quality")], "id: Quality", 9,
                 "'Quality' is not a valid id", id="bad-id-pattern"),
    pytest.param([("    min: 0\n    max: 100", "    min: 200\n    max: 100")], "- id: quality", 5,
                 "metric 'quality': min (200.0) must be below max (100.0)", id="min-above-max"),
    pytest.param([("      manager: {lag: 1}", "      manager: {lag: -1}")], "lag: -1", 22,
                 "'lag' in visibility for 'manager' of metric 'quality': must be at least 0",
                 id="below-minimum"),
    pytest.param([("      manager: {lag: 1}", "      manager: sometimes")], "sometimes", 16,
                 "expected live, hidden, {lag: k} or {noise: s}", id="bad-visibility"),
    pytest.param([("    kind: proxy", "    kind: prxy")], "kind: prxy", 11,
                 "expected one of 'proxy', 'health' or 'plain', found 'prxy'", id="bad-choice"),
    pytest.param([("      employee: 0.1 * tokens", "      Employee: 0.1 * tokens")], "Employee",
                 7, "review term for 'Employee' of policy 'leaderboard': 'Employee' is not a "
                    "valid id", id="bad-key-id"),
    pytest.param([("        value: 2 * review_gate", "        value: 2 * reveiw_gate")],
                 "reveiw_gate", 20, "unknown name 'reveiw_gate'; did you mean 'review_gate'?",
                 id="unknown-formula-name"),
    pytest.param([("        value: 2 * review_gate", '        value: "2 * reveiw_gate"')],
                 "reveiw_gate", 21, "unknown name 'reveiw_gate'", id="unknown-name-quoted"),
    pytest.param([("    role: manager", "    role: boss")], "role: boss", 11,
                 "unknown role 'boss'", id="unknown-role"),
    pytest.param([("    excludes: [review_gate]", "    excludes: [nope]")], "excludes: [nope]",
                 16, "unknown policy 'nope'", id="unknown-exclusion"),
    pytest.param([("  - id: busywork", "  - id: real_work")], ("id: real_work", 2), 9,
                 "id 'real_work' is already used", id="duplicate-id"),
    pytest.param([("        value: 1\n", "        value: true\n")], "value: true", 16,
                 "expected text (or a formula), found true", id="bool-formula"),
    pytest.param([("    min: 0\n    max: 100", "    min: -.inf\n    max: 100")], "-.inf", 10,
                 "numbers must be finite", id="infinite-number"),
    pytest.param([("  proxy_index: {token_spend: 1}", "  proxy_index: {tokens_spend: 1}")],
                 "tokens_spend", None, "unknown metric 'tokens_spend' in proxy_index",
                 id="unknown-debrief-metric"),
]


@pytest.mark.parametrize(("edits", "needle", "col", "message"), BROKEN)
def test_broken_file_reports_line_and_message(tmp_path, edits, needle, col, message):
    path = variant(tmp_path, *edits)
    err = load_error(path)
    text, nth = needle if isinstance(needle, tuple) else (needle, 1)
    assert err.line == line_of(path, text, nth), str(err)
    if col is not None:
        assert err.col == col, str(err)
    assert message in err.message
    assert str(err).startswith(f"{path}:{err.line}:{err.col}: ")


def test_top_level_list_is_refused_at_line_one(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- id: a\n- id: b\n")
    assert str(load_error(path)) == (f"{path}:1:1: a scenario file must be a mapping of keys "
                                      "(found a list)")


def test_every_validation_error_is_kept_in_file_order(tmp_path):
    path = variant(tmp_path, ("turns: 6", "turns: many"), ("    max: 100\n", ""))
    err = load_error(path)
    errors = err.errors  # type: ignore[attr-defined]
    assert [e.line for e in errors] == sorted(e.line for e in errors)
    assert len(errors) == 2 and errors[0] is err
    assert {e.line for e in errors} == {line_of(path, "turns: many"),
                                        line_of(path, "- id: quality")}


def test_position_falls_back_to_the_nearest_parent():
    source = read_text("a:\n  - x: 1\n  - y: [1, 2]\n")
    assert position(source.tree, ("a", 1, "y", 1)) == (3, 12)
    assert position(source.tree, ("a", 0, "x")) == (2, 8)
    assert position(source.tree, ("a", 0, "x"), key=True) == (2, 5)
    assert position(source.tree, ("a", 0, "missing")) == (2, 5)
    assert position(source.tree, ("a", 7)) == (1, 1)
    assert position(source.tree, ("nope", "deeper")) == (1, 1)


def test_plain_data_has_python_types():
    data = read_text("a: 1.5\nb: 2\nc: yes\nd: true\ne: 2024-01-01\nf: [x]\n").data
    assert data == {"a": 1.5, "b": 2, "c": "yes", "d": True, "e": "2024-01-01", "f": ["x"]}
    assert type(data["a"]) is float and type(data["b"]) is int and type(data) is dict


def test_missing_file_is_one_line(tmp_path):
    err = load_error(tmp_path / "absent.yaml")
    assert err.message == "no such file"


def test_folder_is_not_a_scenario(tmp_path):
    assert "folder" in load_error(tmp_path).message
