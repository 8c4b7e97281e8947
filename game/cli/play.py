"""`goodhart play` and `goodhart resume`: a game in a window, or in the terminal with --text."""

from __future__ import annotations

import random
from pathlib import Path

import click

from game.cli.table import build_table, parse_bots, parse_humans
from game.engine import Game
from game.engine.save import Session, new_save_path, open_save
from game.scenario.load import is_local, load_scenario, resolve_scenario

FLAGSHIP = "tokenmaxxing"


@click.command()
@click.argument("scenario", required=False)
@click.option("--text", is_flag=True, help="Play in the terminal instead of a window.")
@click.option("--seed", type=int, help="Seed for a reproducible game (random if absent).")
@click.option("--human", "humans", multiple=True, metavar="ROLE:NAME",
              help="A human seat, e.g. employee:Ana (repeat for hot-seat play).")
@click.option("--bot", "bots", multiple=True, metavar="ROLE=STRATEGY",
              help="The strategy of the bots in a role, e.g. employee=gamer.")
@click.option("--autoplay", is_flag=True, help="Bots in every seat; the window plays itself.")
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path),
              help="With --autoplay: save a PNG of every scene here.")
@click.option("--size", default="1280x720", show_default=True, help="Window size, WIDTHxHEIGHT.")
@click.option("--workshop", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A workshop file; with --table, start that table's game.")
@click.option("--table", metavar="ID", help="The workshop table to play, e.g. B.")
def play(scenario: str | None, text: bool, seed: int | None, humans: tuple[str, ...],
         bots: tuple[str, ...], autoplay: bool, screenshots: Path | None, size: str,
         workshop: Path | None = None, table: str | None = None) -> None:
    """Play SCENARIO (a bundled name or a .yaml file); the window opens on the title screen."""
    if workshop is not None or table is not None:
        from game.cli.workshop_commands import play_table
        raise SystemExit(play_table(workshop, table, text=text, seed=seed, size=_size(size)))
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10**6)
    if text:
        loaded = load_scenario(scenario or FLAGSHIP)
        people = parse_humans(loaded, humans) or [(_player_role(loaded), "You")]
        seats = build_table(loaded, people, parse_bots(loaded, bots))
        game = Game(loaded)
        session = Session(game, seed, seats, path=new_save_path(loaded.id, seed),
                          scenario_path=_scenario_ref(scenario or FLAGSHIP))
        from game.cli.text_game import TextGame
        raise SystemExit(TextGame(session).run())
    width, height = _size(size)
    from game.ui.app import require_screen
    require_screen()
    seats = None
    if scenario is not None and (humans or bots or autoplay):
        loaded = load_scenario(scenario)
        people = [] if autoplay else parse_humans(loaded, humans)
        seats = build_table(loaded, people, parse_bots(loaded, bots))
    from game.ui.app import run
    raise SystemExit(run(scenario=scenario, seed=seed, seats=seats, autoplay=autoplay,
                         screenshots=screenshots, size=(width, height)))


@click.command()
@click.argument("save", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--text", is_flag=True, help="Continue in the terminal instead of a window.")
def resume(save: Path | None, text: bool) -> None:
    """Continue an unfinished game: the SAVE file given, or the one you choose."""
    from game.cli.saves_menu import choose_save
    path = choose_save(save)
    session, note = open_save(path)
    if note:
        click.echo(note)
    if session.meta.get("workshop"):
        from game.cli.workshop_commands import resume_table
        raise SystemExit(resume_table(session, text=text))
    if not text:
        from game.ui.app import run
        raise SystemExit(run(resume=path))
    from game.cli.text_game import TextGame
    scenario = session.game.scenario
    click.echo(f"Resuming {scenario.title}, {scenario.turn_name} {session.state.turn}, "
               f"from {path}")
    raise SystemExit(TextGame(session).run())


def _player_role(scenario) -> str:
    """The role a lone player takes: the most numerous one (the employees, usually)."""
    return max(scenario.roles, key=lambda r: scenario.default_count(r.id)).id


def _scenario_ref(name: str) -> str:
    """What a save records to find its scenario again: an absolute path, or the name of a
    scenario that comes with the game (the current folder's `scenarios/` is not always there)."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return str(path.resolve())
    found = resolve_scenario(name)
    return str(found.resolve()) if is_local(found) else name


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"'{text}' should look like 1280x720", param_hint="--size")
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        raise click.BadParameter("the window must be between 640x480 and 7680x4320",
                                 param_hint="--size")
    return width, height


def register(group: click.Group) -> None:
    """Add `play` and `resume` to the CLI."""
    group.add_command(play)
    group.add_command(resume)
