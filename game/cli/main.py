"""The `goodhart` command: one click group, commands registered from a list of modules.

To add commands, write a module with `register(group: click.Group) -> None` and add its
name to `COMMAND_MODULES`. A listed module that cannot be imported fails loudly.

Every error a user can cause is printed as one line on stderr, never a traceback:
`GoodhartError` as `file:line:col: message` (exit 1), usage mistakes as
`goodhart: error: ... (see goodhart COMMAND --help)` (exit 2), a path the system refuses
(`OSError`) as one line naming it (exit 1), Ctrl-C as one line (exit 130).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from game import __version__
from game.errors import GoodhartError

COMMAND_MODULES = [
    "game.cli.scenario_commands",
    "game.cli.play",
    "game.cli.workshop_commands",
    "game.cli.simulate_command",
    "game.cli.sweep_command",
    "game.cli.host_command",
]

PROG = "goodhart"


@click.group(name=PROG, context_settings={"help_option_names": ["-h", "--help"],
                                          "max_content_width": 88})
@click.version_option(__version__, "--version", prog_name=PROG, message="%(prog)s %(version)s")
def cli() -> None:
    """Goodhart: an incentive-design tabletop game.

    When a measure becomes a target, it ceases to be a good measure.
    """


def register_commands(group: click.Group, modules: Sequence[str] = tuple(COMMAND_MODULES)) -> None:
    """Import each command module and let it add its commands to `group`."""
    for name in modules:
        module = importlib.import_module(name)
        module.register(group)


register_commands(cli)


def _say(text: str) -> None:
    """Write one line to stderr."""
    click.echo(" ".join(text.split()) if "\n" in text else text, err=True)


def _short(name: object, most: int = 80) -> str:
    """A file name for one line of output: cut in the middle past `most` characters."""
    text = str(name)
    return text if len(text) <= most else f"{text[:most // 2]}...{text[-most // 2:]}"


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code, turning every user error into one line."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name=PROG,
                          standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as err:
        click.echo(err.ctx.get_help() if err.ctx else "")
        return 0
    except click.UsageError as err:
        where = err.ctx.command_path if err.ctx else PROG
        _say(f"{PROG}: error: {err.format_message().rstrip('.')} (see {where} --help)")
        return 2
    except click.exceptions.Exit as err:
        return err.exit_code
    except click.Abort:
        _say(f"{PROG}: interrupted")
        return 130
    except click.ClickException as err:
        _say(f"{PROG}: error: {err.format_message()}")
        return err.exit_code
    except GoodhartError as err:
        _say(str(err))
        return 1
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return 130
    except OSError as err:    # a path the system refuses: too long, unreadable, a device...
        if err.filename is None:
            _say(f"{PROG}: error: {err.strerror or err}")
        else:
            _say(f"{PROG}: error: {_short(err.filename)}: {err.strerror or err}; check the path")
        return 1
    return result if isinstance(result, int) and not isinstance(result, bool) else 0


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `goodhart` script and of `python -m game`."""
    sys.exit(run(argv))


if __name__ == "__main__":
    main()
