"""Which save `goodhart resume` continues: the one given, the only unfinished game, or the
player's choice from a numbered list (in a terminal; otherwise they are told to pass one).

Save files that cannot be read are skipped with one warning line each on stderr.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from game.engine.save import SaveFile, unfinished_saves
from game.errors import SaveError


def choose_save(given: Path | None) -> Path:
    """The save to continue: `given`, else the one unfinished game, else the one the player
    picks from a numbered list; SaveError when there is none, or several and no terminal."""
    if given is not None:
        return given
    found, skipped = unfinished_saves()
    for err in skipped:
        click.echo(f"skipped {err}", err=True)
    if not found:
        raise SaveError("no unfinished game to resume; start one with `goodhart play`")
    if len(found) == 1:
        return found[0][0]
    click.echo(f"{len(found)} unfinished games:")
    for n, (path, record) in enumerate(found, start=1):
        click.echo(f"  {n}. {describe(record, path)}\n     {path}")
    if not interactive():
        raise SaveError("several unfinished games; pass the one to continue: "
                        "`goodhart resume SAVE` (one of the files above)")
    number = click.prompt("Which game? (number)", type=click.IntRange(1, len(found)))
    return found[number - 1][0]


def describe(record: SaveFile, path: Path) -> str:
    """One line about a saved game: scenario, seats, turn and when it was last saved."""
    humans = [s.name for s in record.seats if not s.is_bot]
    bots = len(record.seats) - len(humans)
    seats = ", ".join(humans) or "bots only"
    if humans and bots:
        seats += f" + {bots} bot{'s' if bots != 1 else ''}"
    return f"{record.scenario_id}, turn {record.turn}, {seats}, saved {_when(path)}"


def _when(path: Path) -> str:
    """When the file was last written (the order of the list), in local time."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        return "at an unknown time"


def interactive() -> bool:
    """True when someone at a terminal can answer a prompt."""
    return sys.stdin is not None and sys.stdin.isatty()
