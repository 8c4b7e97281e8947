"""Loading, linting and fingerprinting seats in relation, flows and draws by scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.save import fingerprint
from game.errors import ScenarioError
from game.scenario.lint import lint_file
from game.scenario.load import load_scenario
from tests.conftest import ROOT

CHAIN = ROOT / "tests" / "engine" / "fixtures" / "chain.yaml"
DICE = ROOT / "tests" / "engine" / "fixtures" / "dice.yaml"


def _variant(tmp_path: Path, old: str, new: str, base: Path = CHAIN) -> Path:
    text = base.read_text()
    assert text.count(old) == 1, old
    path = tmp_path / base.name
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize("old, new, message", [
    ("upstream.stock}", "upstream.stok}", "unknown name 'upstream.stok'; did you mean "
                                          "'upstream.stock'"),
    ("upstream.stock}", "sideways.stock}", "attribute access"),
    ("to: received,", "to: nothing,", "no role in the order has a stat 'nothing'"),
    ("{poisson: 4}", "{poisson: 4, uniform: [0, 1]}", "give exactly one of"),
    ("{binomial: [10, 0.5], scope: turn}", "{binomial: [10.5, 0.5]}", "binomial n must be"),
    ("weights: [1, 1, 2]", "weights: [1, 2]", "one weight per value"),
    ("order: chain", "order: {kind: chain, roles: [stage, boss]}", "unknown role 'boss'"),
    ("{id: goods, from: shipped,", "{id: goods, from: demand,", "random draw 'demand' cannot"),
])
def test_a_mistake_is_one_line_with_file_and_line(tmp_path, old, new, message):
    path = _variant(tmp_path, old, new)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}:")


def test_a_neighbour_name_outside_the_order_is_unknown(tmp_path):
    path = _variant(tmp_path, "    score: roll\n", "    score: upstream.roll\n", DICE)
    with pytest.raises(ScenarioError, match="unknown name 'upstream.roll'.*add `order: chain`"):
        load_scenario(path)


BEFORE_FLOWS = {"airdrop": "08c98eb0795fdca3", "bounty": "1b7330cdc198f20f",
                "example": "79ab3a7e719dc9b4", "sales-quotas": "c766ec73ef4b1b63",
                "small-team": "b9a3c91b2c55d588", "tokenmaxxing": "ccb2e0eab4ce7482",
                "velocity": "d25b18c7310aa35b"}
"""The bundled scenarios' fingerprints before the format had flows (a233eed)."""


@pytest.mark.parametrize("name", sorted(BEFORE_FLOWS))
def test_old_scenarios_keep_their_fingerprint_so_their_saves_still_load(name):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    assert fingerprint(scenario) == BEFORE_FLOWS[name]


def test_a_scenario_with_flows_dumps_to_text_that_loads_back():
    scenario = load_scenario(CHAIN)
    from game.scenario.load import load_scenario_text
    again = load_scenario_text(scenario.model_dump_json(), "chain")
    assert again.model_dump() == scenario.model_dump()
    assert again.flows[0].source == "shipped"


def test_a_flow_without_an_order_is_a_load_error(tmp_path):
    path = _variant(tmp_path, "order: chain\n", "")
    path.write_text(path.read_text().replace("value: upstream.stock", "value: stock"))
    with pytest.raises(ScenarioError, match="flow 'goods' needs seats in an order") as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}:")


def _warnings(path: Path) -> list[str]:
    return [d.message for d in lint_file(path) if d.severity == "warning"]


def test_lint_warns_where_a_draw_is_read_other_than_its_scope_gives(tmp_path):
    # an old-style draw in a per-seat dynamics effect: one value for every seat
    path = _variant(tmp_path, "dynamics:\n", "dynamics:\n  - {target: luck, mode: set, "
                    "value: wobble}\n")
    text = path.read_text().replace("randoms:\n", "randoms:\n  wobble: {uniform: [0, 1]}\n")
    path.write_text(text)
    assert any("draw 'wobble' has one value per turn for every seat" in w
               for w in _warnings(path))
    # a per-seat draw in a company formula: one value per turn
    path = _variant(tmp_path, "dynamics:\n", "dynamics:\n  - {target: calm, value: demand}\n")
    assert any("draw 'demand' has a value per seat" in w for w in _warnings(path))
    # as declared: no warning about scopes
    assert not any("draw '" in w for w in _warnings(CHAIN))


def test_lint_warns_when_a_role_a_flow_ships_to_lacks_its_stat(tmp_path):
    path = _variant(tmp_path, "  - {id: received, name: Received, min: 0, max: 100, initial: 0}",
                    "  - {id: received, name: Received, min: 0, max: 100, initial: 0, "
                    "roles: [stage]}\n  - {id: idle, name: Idle, min: 0, max: 1, initial: 0, "
                    "roles: [boss]}")
    text = path.read_text().replace(
        "default: 3}}\n", "default: 3}}\n  - {id: boss, name: Boss, seats: {min: 0, max: 1, "
        "default: 0}}\n")
    path.write_text(text)
    assert any("role 'boss' is in the order but has no stat 'received'" in w
               for w in _warnings(path))
