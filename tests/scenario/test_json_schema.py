"""The published JSON Schema accepts exactly what the loader accepts.

An editor set up as scenarios/AUTHORING.md says validates files against
docs/scenario.schema.json, so a false error there sends authors chasing mistakes that are not
there, and a missed one lets a broken file look fine. Rules the schema cannot express (bounds in
order, seat counts in order, a policy's start level existing, formulas) are left to the loader.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from game.scenario.model import Scenario
from game.scenario.schema import scenario_json_schema
from game.scenario.source import read_source
from tests.conftest import ROOT, SCENARIOS
from tests.scenario.fixtures.variants import MINIMAL

VALIDATOR = jsonschema.Draft202012Validator(scenario_json_schema())
SEMANTIC = ("min (", "initial (", "seat counts need", "initial level")
"""Starts of the loader's messages for rules JSON Schema cannot state."""
REPLACEMENTS: list[Any] = ["x", "live", "", "10", 10, 2.5, 2.0, -1, True, None, [], {},
                           [1, 2], {"lag": 1}]


def _files() -> list[Any]:
    """Every scenario file in the repository: bundled ones and test fixtures (good or bad)."""
    found = sorted(SCENARIOS.glob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))
    return [p for p in found if "workshop" not in p.name]


def _loader_verdict(data: Any) -> str:
    """'ok', 'semantic' (only rules the schema leaves to the loader failed) or 'invalid'."""
    try:
        Scenario.model_validate(data)
    except ValidationError as exc:
        messages = [str((e.get("ctx") or {}).get("error", "")) for e in exc.errors()]
        if all(e["type"] == "value_error" for e in exc.errors()) and \
                all(m.startswith(SEMANTIC) for m in messages):
            return "semantic"
        return "invalid"
    return "ok"


def _agree(data: Any) -> tuple[bool, str, list[str]]:
    """Whether schema and loader agree on `data`, with both verdicts for the message."""
    schema_errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                     for e in VALIDATOR.iter_errors(data)]
    loader = _loader_verdict(data)
    agree = (not schema_errors) == (loader != "invalid")
    return agree, loader, schema_errors[:3]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_schema_and_loader_agree_on_every_file_in_the_repository(path):
    data = read_source(path).data
    agree, loader, schema_errors = _agree(data)
    assert agree, f"loader says {loader}, schema says {schema_errors or 'valid'}"


def test_every_bundled_scenario_is_valid_under_the_schema():
    bundled = [p for p in SCENARIOS.glob("*.yaml") if "workshop" not in p.name]
    assert len(bundled) >= 7
    for path in bundled:
        errors = [e.message for e in VALIDATOR.iter_errors(read_source(path).data)]
        assert not errors, f"{path.name}: {errors[:3]}"


def _seed() -> dict[str, Any]:
    """minimal.yaml plus the parts it lacks (random draws, a metric-wide visibility word)."""
    data = read_source(MINIMAL).data
    data["randoms"] = {"luck": {"uniform": [0, 1]}, "mood": {"normal": [0, 0.1]}}
    data["metrics"][1]["visibility"] = "hidden"
    return data


def _paths(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into `node`, containers before their children."""
    yield loc
    items = node.items() if isinstance(node, dict) else \
        enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from _paths(child, loc + (key,))


def _mutations(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(description, changed copy): each value replaced, each key dropped, a key added."""
    for loc in list(_paths(data))[1:]:
        *parent_loc, last = loc
        for replacement in REPLACEMENTS:
            changed = copy.deepcopy(data)
            parent = _at(changed, parent_loc)
            parent[last] = replacement
            yield f"{'/'.join(map(str, loc))} = {replacement!r}", changed
        if isinstance(last, str):
            changed = copy.deepcopy(data)
            del _at(changed, parent_loc)[last]
            yield f"without {'/'.join(map(str, loc))}", changed
    for loc in _paths(data):
        if isinstance(_at(data, loc), dict):
            changed = copy.deepcopy(data)
            _at(changed, loc)["surprise"] = 1
            yield f"{'/'.join(map(str, loc))} + surprise", changed


def _at(node: Any, loc: Any) -> Any:
    for key in loc:
        node = node[key]
    return node


def test_schema_and_loader_agree_on_every_broken_variant_of_the_minimal_scenario():
    disagreements = []
    verdicts = {"ok": 0, "semantic": 0, "invalid": 0}
    for description, data in _mutations(_seed()):
        agree, loader, schema_errors = _agree(data)
        verdicts[loader] += 1
        if not agree:
            disagreements.append(f"{description}: loader {loader}, schema "
                                 f"{schema_errors or 'valid'}")
    assert verdicts["invalid"] > 1000 and verdicts["ok"] > 100, verdicts
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + \
        "\n".join(disagreements[:25])
