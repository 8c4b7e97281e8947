"""Hostile scenario files are refused fast, in one line, and never with a traceback."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.errors import ScenarioError
from game.scenario.load import load_scenario
from game.scenario.rules import rules_for
from tests.scenario.fixtures.variants import variant

ROOT = Path(__file__).resolve().parents[2]
FAST = 1.0

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]"
       for i in range(9)]) + "\n"


def refused(path: Path) -> ScenarioError:
    """Load `path`, expect a one-line ScenarioError within a second, and return it."""
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert time.perf_counter() - start < FAST
    err = info.value
    assert "\n" not in str(err) and str(err).startswith(str(path))
    return err


def write(tmp_path: Path, content: str | bytes, name: str = "hostile.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_billion_laughs_is_refused_at_the_first_alias(tmp_path):
    err = refused(write(tmp_path, BILLION_LAUGHS))
    assert (err.line, err.col) == (2, 8)
    assert "aliases" in err.message


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        chunk = b"key: value that goes on and on\n" * 32768
        for _ in range(50_000_000 // len(chunk) + 1):
            handle.write(chunk)
    size = os.path.getsize(path) / 1_000_000
    err = refused(path)
    assert str(err) == f"{path}: scenario files are limited to 1 MB (this one is {size:.1f} MB)"


def test_binary_garbage_is_not_a_text_file(tmp_path):
    err = refused(write(tmp_path, bytes(range(256)) * 64))
    assert "not a text file" in err.message and err.line is None


def test_bad_utf8_reports_its_line(tmp_path):
    err = refused(write(tmp_path, b"id: x\ntitle: caf\xe9\n"))
    assert (err.line, err.col) == (2, 11) and "not UTF-8" in err.message


@pytest.mark.parametrize("content", ["", "   \n\n", "# nothing but a comment\n"])
def test_empty_file_is_refused(tmp_path, content):
    err = refused(write(tmp_path, content))
    assert "empty" in err.message or "no content" in err.message


@pytest.mark.parametrize(("content", "found"), [("- a\n- b\n", "a list"), ("hello\n", "text"),
                                                ("42\n", "a number")])
def test_wrong_top_level_type(tmp_path, content, found):
    err = refused(write(tmp_path, content))
    assert str(err) == f"{err.file}:1:1: a scenario file must be a mapping of keys (found {found})"


@pytest.mark.parametrize("content", ["[" * 10_000, "{" * 10_000, "a: " + "[" * 100_000 + "1",
                                     "".join(f"{'  ' * i}k{i}:\n" for i in range(200))],
                         ids=["brackets", "braces", "after-key", "indented"])
def test_deep_nesting_is_refused(tmp_path, content):
    err = refused(write(tmp_path, content))
    assert "nested more than 50 levels" in err.message and err.line is not None


def test_custom_tags_are_refused(tmp_path):
    err = refused(write(tmp_path, "id: !!python/object:os.system echo\n"))
    assert "tags" in err.message and err.line == 1


@pytest.mark.parametrize("formula", [
    "__import__('os').system('echo pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: 1)()",
    "open('/etc/passwd')",
    "[x for x in (1, 2)]",
    "quality.real",
], ids=["import", "subclasses", "lambda", "open", "comprehension", "attribute"])
def test_formula_code_execution_is_refused(tmp_path, formula):
    path = variant(tmp_path, ("        value: 1\n", f'        value: "{formula}"\n'))
    err = refused(path)
    assert err.line is not None and "formula" in err.message


def test_huge_power_is_bounded_not_slow(tmp_path):
    path = variant(tmp_path, ("        value: 1\n", "        value: 9**9**9\n"))
    start = time.perf_counter()
    scenario = load_scenario(path)
    value = rules_for(scenario).behaviours[0].effects[0].value({})
    assert time.perf_counter() - start < FAST and math.isfinite(value)


@pytest.mark.parametrize(("value", "message"), [
    ("1e999", "numbers must be finite"),
    ("9" * 5000, "5000 characters long"),
    ('"' + "9" * 1000 + '"', "digits"),
    ('"' + "1" * 3000 + '"', "too long"),
    ('"1e300"', "1e9"),
], ids=["inf", "long-number", "long-formula-number", "long-formula", "big-formula-literal"])
def test_huge_literals_are_refused(tmp_path, value, message):
    path = variant(tmp_path, ("        value: 1\n", f"        value: {value}\n"))
    err = refused(path)
    assert message in err.message and err.line is not None


@pytest.mark.parametrize("content", [BILLION_LAUGHS, "[" * 10_000, "- a\n"],
                         ids=["billion-laughs", "deep", "list"])
def test_cli_lint_prints_one_diagnostic_and_no_traceback(tmp_path, content):
    path = write(tmp_path, content)
    result = subprocess.run([sys.executable, "-m", "game", "lint", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    diagnostics = [line for line in output.splitlines() if line.startswith(str(path))]
    assert len(diagnostics) == 1 and ": error: " in diagnostics[0]
    assert result.returncode == 1
