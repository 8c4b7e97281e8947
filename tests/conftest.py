"""Shared fixtures: every test runs headless, with its own save folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
TINY = ROOT / "tests" / "engine" / "tiny.yaml"


def bundled_scenarios() -> list[Path]:
    """Every bundled scenario file (workshop files are not scenarios)."""
    return sorted(p for p in SCENARIOS.glob("*.yaml") if "workshop" not in p.name)


@pytest.fixture(autouse=True)
def _goodhart_home(tmp_path, monkeypatch):
    """Keep saves and exports of every test in its own temporary folder."""
    monkeypatch.setenv("GOODHART_HOME", str(tmp_path / "home"))
