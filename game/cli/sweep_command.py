"""`goodhart sweep`: a designer's grid over constants and locked policies, showing where the
scenario's lesson holds: a table, one summary line, and optionally a CSV and a PNG."""

from __future__ import annotations

import os
from pathlib import Path

import click

from game.analysis.simulate import strategies_by_role, table_for
from game.analysis.sweep import Axis, CellResult, cells_of, sweep
from game.cli.simulate_command import _positive, default_workers, parse_bots
from game.cli.sweep_grid import (
    check_lock_combinations,
    grid_size,
    parse_lock_axes,
    parse_regimes,
    parse_vary,
    scenarios_for,
)
from game.cli.sweep_table import cells_csv, summary_line, sweep_table, symbols
from game.engine.game import Game
from game.engine.save import write_atomic
from game.errors import GoodhartError
from game.scenario.load import load_checked
from game.scenario.model import Scenario

__all__ = ["register", "sweep_command"]


def register(group: click.Group) -> None:
    """Add `sweep` to the `goodhart` group."""
    group.add_command(sweep_command)


def _check_plot(path: Path | None, axes: list[Axis]) -> None:
    """A plot needs a .png name and one or two varied axes."""
    if path is None:
        return
    if path.suffix.lower() != ".png":
        raise click.BadParameter(f"'{path}' should end in .png", param_hint="--plot")
    if len(axes) not in (1, 2):
        raise click.BadParameter(f"a plot shows one or two varied things; this sweep varies "
                                 f"{len(axes)} (drop --plot, or vary fewer)", param_hint="--plot")


def _check_writable(path: Path | None, option: str) -> None:
    """Refuse, before any game is played, an output file whose folder cannot be made or
    written (so a long sweep is not lost at its end)."""
    if path is None:
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise click.BadParameter(f"cannot make the folder {folder}: {err.strerror or err}",
                                 param_hint=option) from None
    if not os.access(folder, os.W_OK) or path.is_dir():
        raise click.BadParameter(f"cannot write {path}: check the path", param_hint=option)


def _heading(scenario: Scenario, runs: int, seed: int, strategies: dict[str, str],
             held: dict[str, int]) -> str:
    """`fishery: 50 runs a cell, seed 1, council=hype, boat=craft+gamer x4, top_catch held
    at on`."""
    table, chosen = table_for(Game(scenario), strategies, None)
    bots = ", ".join(f"{role}={name}" for role, name in strategies_by_role(table, chosen).items())
    levels = {p.id: p.levels for p in scenario.policies}
    locks = "".join(f", {pid} held at {levels[pid][n]}" for pid, n in held.items())
    return f"{scenario.id}: {runs} runs a cell, seed {seed}, {bots}{locks}"


def _progress(total: int, quiet: bool):
    """A tqdm bar over the games on stderr (silent with --quiet or GOODHART_NO_PROGRESS=1)."""
    from tqdm import tqdm
    return tqdm(total=total, unit="game", desc="sweep", leave=False, dynamic_ncols=True,
                disable=quiet or os.environ.get("GOODHART_NO_PROGRESS") == "1")


@click.command("sweep")
@click.argument("scenario")
@click.option("--vary", "varies", multiple=True, metavar="CONSTANT=VALUES",
              help="Vary a constant of the scenario (repeatable): a list, growth=0.2,0.35,0.5, "
                   "or LOW:HIGH:STEPS, growth=0.2:0.5:4.")
@click.option("--lock", "locks", multiple=True, metavar="POLICY=LEVEL[,LEVEL]",
              help="Hold a policy at a level in every cell, or at each of several levels in "
                   "turn (repeatable), e.g. top_catch=on,off.")
@click.option("--regimes", is_flag=True,
              help="Add the scenario's what-if regimes (debrief: what_if) as a varied thing: "
                   "each cell holds every lock of one regime.")
@click.option("--runs", "-n", default=50, show_default=True, callback=_positive("--runs"),
              help="Games per cell.")
@click.option("--seed", "-s", default=1, show_default=True, type=int,
              help="Seed of every cell: the cells differ by their settings, not by luck.")
@click.option("--bot", "bots", multiple=True, metavar="ROLE=STRATEGY",
              help="Strategy of every seat of ROLE (repeatable), e.g. employee=gamer.")
@click.option("--workers", "-w", type=int, callback=_positive("--workers"),
              help="Processes to use (default: one per core); results are identical for any.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one CSV row per cell to PATH.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw a 1920x1080 PNG: a heat map for two varied things, bars for one.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def sweep_command(scenario: str, varies: tuple[str, ...], locks: tuple[str, ...],
                  regimes: bool, runs: int,
                  seed: int, bots: tuple[str, ...], workers: int | None,
                  csv_path: Path | None, plot_path: Path | None, quiet: bool) -> int:
    """Simulate SCENARIO over a grid of constants and locked policies; show where its lesson
    holds.

    Each cell plays RUNS all-bot games with its constants and locks and reports the mean
    proxy and health indices (start -> end), the Goodhart gap, the what-if regime its games
    followed most, and whether the lesson holds there: every conditional lesson of that
    regime (a lesson whose `when` reads the regime's policies) held in more than half of the
    cell's games. At most 400 cells. Ctrl-C stops and shows the cells done so far.
    """
    loaded, source = load_checked(scenario)
    strategies = parse_bots(loaded, bots)
    axes = parse_vary(loaded, source, varies)
    lock_axes, held = parse_lock_axes(loaded, locks)
    axes += lock_axes + parse_regimes(loaded, regimes)
    total = grid_size(axes)
    check_lock_combinations(loaded, axes, held)
    _check_plot(plot_path, axes)
    _check_writable(csv_path, "--csv")
    _check_writable(plot_path, "--plot")
    scenarios = scenarios_for(loaded, source, axes)
    workers = workers or min(default_workers(), runs)
    heading = _heading(loaded, runs, seed, strategies, held)
    click.echo(heading)
    results, stopped = _run(scenarios, axes, held, runs, seed, strategies, workers, quiet,
                            total)
    click.echo(sweep_table(axes, results, symbols()) if results else "(no cell finished)")
    click.echo(summary_line(axes, results, total) if results else "")
    _write(loaded, axes, results, csv_path, plot_path, heading)
    if isinstance(stopped, GoodhartError):
        raise stopped
    if stopped is not None:
        click.echo(f"goodhart: interrupted after {len(results)} of {total} cells", err=True)
        return 130
    return 0


def _run(scenarios, axes: list[Axis], held: dict[str, int], runs: int, seed: int,
         strategies: dict[str, str], workers: int, quiet: bool, total: int
         ) -> tuple[list[CellResult], BaseException | None]:
    """The cells' results in grid order, and what stopped the sweep early (Ctrl-C, or an
    error in a cell's games), if anything."""
    results: list[CellResult] = []
    bar = _progress(total * runs, quiet)
    try:
        for result in sweep(scenarios, axes, held, runs, seed, strategies, workers):
            results.append(result)
            bar.update(runs)
    except KeyboardInterrupt as stop:
        return results, stop
    except GoodhartError as err:
        where = ", ".join(f"{a.name}={label}" for a, label in
                          zip(axes, _next_cell(axes, len(results))))
        err.message = f"{err.message} (in the cell {where})" if where else err.message
        return results, err
    finally:
        bar.close()
    return results, None


def _next_cell(axes: list[Axis], index: int) -> tuple[str, ...]:
    """The labels of cell number `index` in grid order."""
    cells = cells_of(axes)
    return cells[index].labels if index < len(cells) else ()


def _write(scenario: Scenario, axes: list[Axis], results: list[CellResult],
           csv_path: Path | None, plot_path: Path | None, heading: str) -> None:
    """The CSV and the PNG asked for, of the cells done."""
    if csv_path is not None:
        write_atomic(csv_path, cells_csv(axes, results))
        click.echo(f"{len(results)} cells written to {csv_path}", err=True)
    if plot_path is not None and results:
        from game.ui.sweep_plot import save_sweep_plot
        save_sweep_plot(plot_path, f"{scenario.title}: where the lesson holds",
                        heading.partition(": ")[2], axes, results)
        click.echo(f"plot written to {plot_path}", err=True)
