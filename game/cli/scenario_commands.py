"""Commands for scenario authors: `lint`, `schema` and `explain`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from game.analysis.leaks import leak_findings
from game.errors import GoodhartError
from game.scenario.explain import explain as explain_scenario
from game.scenario.lint import collect_files, lint_file
from game.scenario.load import list_bundled, load_scenario
from game.scenario.schema import scenario_json_schema


def register(group: click.Group) -> None:
    """Add the scenario commands to the `goodhart` group."""
    group.add_command(lint)
    group.add_command(schema)
    group.add_command(explain)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-play", is_flag=True,
              help="Skip the checks that play seeded bot games (faster, e.g. in an editor).")
def lint(paths: tuple[Path, ...], no_play: bool) -> int:
    """Check scenario files or folders (all bundled scenarios if none are given).

    Prints one `file:line:col: error|warning: message` line per problem and a summary;
    exits with 1 if any file has an error. Files without errors are also played (a few
    seeded bot games) to find a visible number that gives a hidden one away.
    """
    files = collect_files(paths or list_bundled())
    if not files:
        raise GoodhartError("no scenario files found (looked for *.yaml and *.yml)")
    errors = warnings = 0
    for path in files:
        for diagnostic in lint_file(path, play_checks=() if no_play else (leak_findings,)):
            click.echo(str(diagnostic))
            errors += diagnostic.severity == "error"
            warnings += diagnostic.severity == "warning"
    click.echo(f"{_plural(len(files), 'file')}, {_plural(errors, 'error')}, "
               f"{_plural(warnings, 'warning')}")
    return 1 if errors else 0


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of the screen.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    text = json.dumps(scenario_json_schema(), indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise GoodhartError(f"cannot write the schema: {err.strerror or err}",
                            file=str(output)) from None
    click.echo(f"wrote {output}", err=True)


@click.command()
@click.argument("scenario")
def explain(scenario: str) -> None:
    """Explain a scenario's rules in plain English (a file, or a bundled name)."""
    click.echo(explain_scenario(load_scenario(scenario)), nl=False)
