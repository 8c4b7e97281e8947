"""A designer's own `scenarios/` folder, in the folder where they run `goodhart`, is found by
name before the scenarios that come with the game (AUTHORING.md: "Files in `scenarios/` are
bundled: `goodhart play example` finds `scenarios/example.yaml` by name")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.scenario.load import list_bundled
from tests.conftest import ROOT, SCENARIOS


def _goodhart(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOODHART_HOME": str(folder / "home")}
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=folder, env=env, text=True,
                          input=stdin, capture_output=True, timeout=120)


@pytest.fixture
def designer(tmp_path: Path) -> Path:
    """A folder with scenarios/my-company.yaml (a copy of the example with its own id and
    title) and scenarios/example.yaml (the example, retitled)."""
    own = tmp_path / "scenarios"
    own.mkdir()
    text = (SCENARIOS / "example.yaml").read_text(encoding="utf-8")
    assert "\nid: example\n" in text
    (own / "my-company.yaml").write_text(
        text.replace("\nid: example\n", "\nid: my_company\n")
            .replace('\ntitle: "', '\ntitle: "My company: '), encoding="utf-8")
    (own / "example.yaml").write_text(text.replace('\ntitle: "', '\ntitle: "Our own: '),
                                      encoding="utf-8")
    return tmp_path


def test_a_new_scenario_in_the_current_folder_plays_by_name(designer: Path):
    result = _goodhart(designer, "play", "my-company", "--text", "--seed", "4",
                       stdin="\n" * 200)
    assert result.returncode == 0, result.stderr
    assert "My company: " in result.stdout and "What really happened" in result.stdout
    save = json.loads(next((designer / "home" / "saves").glob("*.json")).read_text())
    assert save["scenario_path"] == str((designer / "scenarios" / "my-company.yaml").resolve())


def test_the_current_folders_file_comes_before_the_one_of_the_same_name_in_the_game(designer):
    result = _goodhart(designer, "explain", "example")
    assert result.returncode == 0, result.stderr
    assert "Our own: " in result.stdout


def test_a_bare_lint_checks_the_current_folders_scenarios_too(designer: Path):
    (designer / "scenarios" / "my-company.yaml").write_text(
        (designer / "scenarios" / "my-company.yaml").read_text().replace("turns: 6",
                                                                          "turns: many"))
    result = _goodhart(designer, "lint")
    assert result.returncode == 1
    names = {p.stem for p in list_bundled()} | {"my-company"}
    assert result.stdout.splitlines()[-1].startswith(f"{len(names)} files, 1 error")
    assert f"{Path('scenarios') / 'my-company.yaml'}:" in result.stdout
