"""Commands for facilitators: `debrief`, and `workshop check|rehearse|result`.

`goodhart play --workshop FILE --table ID` (in `game.cli.play`) calls `play_table` here.

`goodhart debrief RESULT...` reads result files (or folders of them). A file that is missing,
damaged or from another scenario gives one line on stderr; the other tables are still compared
(when the files come from several scenarios, the scenario with the most tables is kept). It
exits with 1 only when no table at all could be loaded.
"""

from __future__ import annotations

from pathlib import Path

import click

from game.engine import Game
from game.engine.save import Session, new_save_path, read_save, scenario_of
from game.errors import GoodhartError
from game.workshop.debrief import collect
from game.workshop.load import LoadedWorkshop, load_workshop
from game.workshop.report import render_debrief
from game.workshop.result import session_what_if, write_result
from game.workshop.model import Table, Timers
from game.workshop.tables import (TableSetup, default_results_dir, find_table, result_path,
                                  start_session, table_setup)

__all__ = ["play_table", "register", "results_folder", "resume_table"]


def register(group: click.Group) -> None:
    """Add `debrief` and the `workshop` group to the CLI."""
    group.add_command(debrief)
    group.add_command(workshop)


def _say(text: str) -> None:
    click.echo(text, err=True)


# --- debrief ---

@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--export", "export_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Write CSV files and PNG charts here instead of opening a window.")
@click.option("--text", is_flag=True, help="Print the comparison instead of opening a window.")
@click.option("--size", default="1280x720", show_default=True, help="Window size, WIDTHxHEIGHT.")
@click.option("--screenshots", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Save a PNG of every view of the debrief screen here, then close it.")
def debrief(results: tuple[Path, ...], export_dir: Path | None, text: bool, size: str,
            screenshots: Path | None) -> int:
    """Compare the tables of a workshop: RESULT files (or folders of them) side by side."""
    data = collect(results)
    for problem in data.problems:
        _say(problem)
    if not data.tables:
        raise GoodhartError("no table could be loaded, so there is nothing to debrief")
    if export_dir is not None or text:
        click.echo(render_debrief(data), nl=False)
    if export_dir is not None:
        from game.ui.slides import export_debrief
        files = export_debrief(data, export_dir)
        _say(f"wrote {len(files)} files to {export_dir}: "
             f"{', '.join(p.name for p in files)}")
        return 0
    if text:
        return 0
    from game.cli.play import _size
    from game.ui.workshop_app import run_debrief
    return run_debrief(data, size=_size(size), screenshots=screenshots)


# --- workshop ---

@click.group()
def workshop() -> None:
    """Prepare and run a workshop: several tables, one scenario, then `goodhart debrief`."""


@workshop.command()
@click.argument("file", type=click.Path(path_type=Path))
def check(file: Path) -> None:
    """Check a workshop FILE and show its tables as they will start."""
    loaded = load_workshop(file)
    w = loaded.workshop
    click.echo(f"{w.title}: scenario '{loaded.scenario.id}' ({loaded.scenario.title}), "
               f"{len(w.tables)} table(s)")
    for t in w.tables:
        setup = table_setup(loaded, t.id)
        timers = setup.timers
        timer = (f"timers {timers.policy}s policy / {timers.work}s work"
                 if timers.policy or timers.work else "no timers")
        click.echo(f"  {t.id:<6} {t.label:<18} {setup.condition:<34} seed {setup.seed:<8} "
                   f"{timer}")
        for seat in setup.seats:
            who = f"bot ({seat.strategy})" if seat.is_bot else "human"
            click.echo(f"           {seat.name:<30} {seat.role:<12} {who}")
    click.echo(f"Result files will go to {results_folder(loaded)}")


@workshop.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--table", "tables", multiple=True, metavar="ID",
              help="Only this table (repeat for several); every table if absent.")
@click.option("--bot", "bots", multiple=True, metavar="ROLE=STRATEGY",
              help="The strategy of bots in the human seats of a role, e.g. employee=gamer.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the result files (the workshop's results folder if absent).")
def rehearse(file: Path, tables: tuple[str, ...], bots: tuple[str, ...], out: Path | None) -> None:
    """Play every table of FILE with bots only and write their result files (a dry run)."""
    from game.cli.table import parse_bots
    from game.workshop.run import run_table
    loaded = load_workshop(file)
    strategies = parse_bots(loaded.scenario, bots)
    folder = out or results_folder(loaded)
    chosen = [find_table(loaded, t) for t in tables] or loaded.workshop.tables
    for table in chosen:
        setup = table_setup(loaded, table.id, fill=strategies)
        path = result_path(folder, setup.meta, setup.seed)
        result = run_table(loaded, table.id, strategies, path=path)
        last = result.turns[-1]
        click.echo(f"{table.label:<18} {setup.condition:<34} health {last.health_index:5.1f}  "
                   f"proxy {last.proxy_index:5.1f}  gap {last.gap:+6.1f}  -> {path}")


@workshop.command()
@click.argument("save", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the result file (the default results folder if absent).")
def result(save: Path, out: Path | None) -> None:
    """Make a table's result file from its autosave (after a crash, or a game played
    without --workshop). Predictions are not in saves, so the result has none."""
    record = read_save(save)
    scenario, _note = scenario_of(record, save)
    session = Session.resume(Game(scenario), record, None)
    folder = out or default_results_dir()
    path = result_path(folder, session.meta, session.seed)
    written = write_result(session, path, what_if=session_what_if(session))
    state = "finished" if written.finished else \
        f"unfinished, {scenario.turn_name} {session.state.turn} of {scenario.turns}"
    click.echo(f"wrote {path} ({state})")


# --- play --workshop ---

def results_folder(loaded: LoadedWorkshop) -> Path:
    """Where this workshop's result files go."""
    return loaded.results_dir() or default_results_dir()


def play_table(workshop_file: Path | None, table_id: str | None, *, text: bool,
               seed: int | None, size: tuple[int, int]) -> int:
    """`goodhart play --workshop FILE --table ID`: start that table's game; write its result."""
    if workshop_file is None or table_id is None:
        raise click.UsageError("--workshop and --table go together, e.g. "
                               "--workshop workshop.yaml --table B")
    loaded = load_workshop(workshop_file)
    setup = table_setup(loaded, table_id)
    if not text:
        from game.ui.app import require_screen
        require_screen()
    if seed is not None and seed != setup.seed:
        raise click.UsageError(f"the workshop file sets this table's seed ({setup.seed}); "
                               "leave out --seed, or change the seed in the file")
    session, setup = start_session(loaded, table_id,
                                   path=new_save_path(loaded.scenario.id, setup.seed))
    out = result_path(results_folder(loaded), setup.meta, setup.seed)
    if text:
        return _play_text(session, out, setup.timers)
    from game.ui.workshop_app import run_table_window
    return run_table_window(session, setup, out, size=size)


def resume_table(session: Session, *, text: bool, size: tuple[int, int] = (1280, 720)) -> int:
    """`goodhart resume` of a workshop table's game (a session resumed from its save): the
    facilitator's controls come back, and the result file is written when the game ends."""
    scenario, path = session.game.scenario, session.path
    setup, folder = _setup_from_meta(session)
    out = result_path(folder, session.meta, session.seed)
    click.echo(f"Resuming {session.meta.get('table_name', 'the table')} of "
               f"{session.meta.get('workshop_title', 'the workshop')}, {scenario.turn_name} "
               f"{session.state.turn}, from {path}")
    if text:
        return _play_text(session, out, setup.timers)
    from game.ui.workshop_app import run_table_window
    return run_table_window(session, setup, out, size=size)


def _setup_from_meta(session: Session) -> tuple[TableSetup, Path]:
    """The table's setup from its workshop file, or from the save alone if the file has gone."""
    meta = session.meta
    try:
        loaded = load_workshop(meta["workshop"])
        return table_setup(loaded, meta.get("table", "")), results_folder(loaded)
    except GoodhartError:
        table = Table(id=meta.get("table") or "table", name=meta.get("table_name", ""))
        setup = TableSetup(table=table, seats=list(session.seats), locked=dict(session.locked),
                           seed=session.seed, timers=Timers(),
                           condition=meta.get("condition", ""), meta=dict(meta))
        return setup, default_results_dir()


def _play_text(session: Session, out: Path, timers: Timers) -> int:
    """The table in the terminal, with its phase timers; the result file is written when the
    game has ended."""
    from game.cli.text_game import TextGame
    game = TextGame(session, timers=timers)
    code = game.run()
    if session.game.is_terminal(session.state):
        write_result(session, out, game.predictions, game.what_if)
        click.echo(f"\nResult file for the debrief: {out}")
    return code
