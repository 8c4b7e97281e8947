"""The JSON Schema that bundled scenarios point editors at stays in step with the format."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, bundled_scenarios

SCHEMA = ROOT / "docs" / "scenario.schema.json"


def test_the_committed_schema_is_what_goodhart_schema_prints():
    printed = subprocess.run([sys.executable, "-m", "game", "schema"], capture_output=True,
                             text=True, cwd=ROOT, check=True).stdout
    assert json.loads(SCHEMA.read_text()) == json.loads(printed), \
        "docs/scenario.schema.json is stale: run `goodhart schema -o docs/scenario.schema.json`"


def test_every_bundled_scenario_points_its_editor_at_the_schema():
    for path in bundled_scenarios():
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/scenario.schema.json", path.name
