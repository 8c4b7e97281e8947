"""`goodhart lint | schema | explain`, and the CLI's one-line error handling."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from game import __version__
from game.cli import main as cli_main
from game.cli.main import register_commands, run
from game.errors import GoodhartError
from tests.scenario.fixtures.variants import MINIMAL, variant

ROOT = Path(__file__).resolve().parents[2]


def invoke(capsys, *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_clean_file_prints_summary_and_exits_0(capsys):
    code, out, err = invoke(capsys, "lint", str(MINIMAL))
    assert (code, out, err) == (0, "1 file, 0 errors, 0 warnings\n", "")


def test_lint_reports_diagnostics_and_exits_1_on_error(capsys, tmp_path):
    bad = variant(tmp_path, ("turns: 6", "turns: many"), name="bad.yaml")
    warn = variant(tmp_path, ("    chance: 0.5", "    chance: 0"), name="warn.yaml")
    code, out, _ = invoke(capsys, "lint", str(bad), str(warn), str(MINIMAL))
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith(f"{bad}:5:8: error: 'turns'")
    assert lines[1].startswith(f"{warn}:") and ": warning: " in lines[1]
    assert lines[-1] == "3 files, 1 error, 1 warning"


def test_lint_with_only_warnings_exits_0(capsys, tmp_path):
    warn = variant(tmp_path, ("    chance: 0.5", "    chance: 0"))
    code, out, _ = invoke(capsys, "lint", str(warn))
    assert code == 0 and out.splitlines()[-1] == "1 file, 0 errors, 1 warning"


def test_lint_of_an_empty_folder_is_one_error_line(capsys, tmp_path):
    code, out, err = invoke(capsys, "lint", str(tmp_path))
    assert code == 1 and out == "" and len(err.splitlines()) == 1


def test_schema_is_json_schema_2020_12(capsys):
    code, out, _ = invoke(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Goodhart scenario"
    assert {"metrics", "roles", "debrief"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_schema_to_a_file(capsys, tmp_path):
    target = tmp_path / "scenario.schema.json"
    code, out, _ = invoke(capsys, "schema", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["title"] == "Goodhart scenario"


def test_schema_to_an_unwritable_place_is_one_line(capsys, tmp_path):
    code, out, err = invoke(capsys, "schema", "-o", str(tmp_path / "no" / "such" / "x.json"))
    assert code == 1 and len(err.splitlines()) == 1 and "cannot write" in err


def test_explain_a_file(capsys):
    code, out, _ = invoke(capsys, "explain", str(MINIMAL))
    assert code == 0 and out.startswith("Minimal company\n")


def test_explain_a_broken_file_is_one_line(capsys, tmp_path):
    bad = variant(tmp_path, ("turns: 6", "turns: many"))
    code, out, err = invoke(capsys, "explain", str(bad))
    assert code == 1 and out == ""
    assert err == f"{bad}:5:8: 'turns': expected a whole number, found 'many'\n"


def test_explain_an_unknown_name_is_one_line(capsys):
    code, _, err = invoke(capsys, "explain", "no_such_scenario")
    assert code == 1 and len(err.splitlines()) == 1 and "no bundled scenario" in err


@pytest.mark.parametrize(("args", "hint"), [(["lint", "--bogus"], "goodhart lint --help"),
                                            (["frobnicate"], "goodhart --help"),
                                            (["explain"], "goodhart explain --help"),
                                            (["schema", "extra"], "goodhart schema --help")])
def test_usage_errors_are_one_line_and_exit_2(capsys, args, hint):
    code, out, err = invoke(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("goodhart: error: ") and err.endswith(f"(see {hint})\n")
    assert len(err.splitlines()) == 1


def test_version(capsys):
    assert invoke(capsys, "--version") == (0, f"goodhart {__version__}\n", "")


def test_help_exits_0(capsys):
    code, out, _ = invoke(capsys, "--help")
    assert code == 0 and "lint" in out and "schema" in out and "explain" in out


@pytest.mark.parametrize(("raised", "code", "message"), [
    (KeyboardInterrupt(), 130, "goodhart: interrupted\n"),
    (GoodhartError("bad thing", file="x.yaml", line=3), 1, "x.yaml:3: bad thing\n"),
    (click.ClickException("nope"), 1, "goodhart: error: nope\n"),
])
def test_errors_are_caught_centrally(capsys, monkeypatch, raised, code, message):
    def boom(*_args, **_kwargs):
        raise raised
    monkeypatch.setattr(cli_main.cli, "main", boom)
    assert invoke(capsys, "lint") == (code, "", message)


def test_a_listed_command_module_that_does_not_exist_fails_loudly():
    with pytest.raises(ModuleNotFoundError):
        register_commands(click.Group("test"), ["game.cli.no_such_commands"])


def test_python_dash_m_game_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "game", "lint", str(MINIMAL)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "1 file, 0 errors, 0 warnings\n"


@pytest.mark.parametrize("command", [["lint"], ["play", "--text"], ["explain"]])
def test_a_path_the_system_refuses_is_one_line(command, capsys):
    code = run([*command, "x" * 5000])
    err = capsys.readouterr().err.strip()
    assert code == 1 and "\n" not in err and "Traceback" not in err
    assert "File name too long" in err and len(err) < 200


def test_a_system_error_without_a_path_is_one_line_too(capsys):
    @click.command("full")
    def full() -> None:
        raise OSError(28, "No space left on device")

    cli_main.cli.add_command(full)
    try:
        assert run(["full"]) == 1
    finally:
        cli_main.cli.commands.pop("full")
    assert capsys.readouterr().err.strip() == "goodhart: error: No space left on device"
