"""`goodhart simulate`: many all-bot games of a scenario, summarised for balancing."""

from __future__ import annotations

import os
from pathlib import Path

import click

from game.analysis.simulate import simulate
from game.analysis.summary import SimulationSummary, records_csv, summary_table
from game.bots import strategies_for
from game.engine.save import write_atomic
from game.errors import GoodhartError
from game.scenario.cost import game_cost, over_budget
from game.scenario.load import load_scenario
from game.scenario.model import Scenario


def register(group: click.Group) -> None:
    """Add `simulate` to the `goodhart` group."""
    group.add_command(simulate_command)


def _positive(name: str):
    """A click callback that refuses a number below 1 (an option left out stays None)."""
    def check(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise click.BadParameter(f"{name} must be at least 1 (got {value})")
        return value
    return check


def default_workers() -> int:
    """The number of cores this process may run on (all of them, unless it is pinned)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def parse_bots(scenario: Scenario, specs: tuple[str, ...]) -> dict[str, str]:
    """`ROLE=STRATEGY` options as a dict; a bad one is a click.BadParameter."""
    roles = [r.id for r in scenario.roles]
    out: dict[str, str] = {}
    for spec in specs:
        role, sep, strategy = spec.partition("=")
        role, strategy = role.strip(), strategy.strip()
        if not sep or not role or not strategy:
            raise click.BadParameter(f"'{spec}' is not ROLE=STRATEGY", param_hint="'--bot'")
        if role not in roles:
            raise click.BadParameter(f"unknown role '{role}' in {scenario.id} "
                                     f"(roles: {', '.join(roles)})", param_hint="'--bot'")
        choices = strategies_for(scenario, role)
        if strategy not in choices:
            raise click.BadParameter(f"unknown strategy '{strategy}' for {role} "
                                     f"(choose from: {', '.join(choices)})",
                                     param_hint="'--bot'")
        out[role] = strategy
    return out


@click.command("simulate")
@click.argument("scenario")
@click.option("--runs", "-n", default=200, show_default=True, callback=_positive("--runs"),
              help="Number of games to play.")
@click.option("--seed", "-s", default=1, show_default=True, type=int,
              help="Seed of the whole simulation; each run's seed is derived from it.")
@click.option("--bot", "bots", multiple=True, metavar="ROLE=STRATEGY",
              help="Strategy of every seat of ROLE (repeatable), e.g. employee=gamer.")
@click.option("--lock", "locks", multiple=True, metavar="POLICY=LEVEL",
              help="Hold a policy at a level in every run (repeatable), e.g. token_leaderboard=on.")
@click.option("--workers", "-w", type=int, callback=_positive("--workers"),
              help="Processes to use (default: one per core this machine gives us); "
                   "results are identical for any number.")
@click.option("--json", "json_path", metavar="PATH|-",
              help="Write the summary as JSON to PATH, or to standard output with '-'.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one CSV row per run to PATH.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def simulate_command(scenario: str, runs: int, seed: int, bots: tuple[str, ...],
                     locks: tuple[str, ...], workers: int | None, json_path: str | None,
                     csv_path: Path | None, quiet: bool) -> None:
    """Play RUNS all-bot games of SCENARIO (a file or a bundled name) and summarise them.

    Prints the start and end proxy and health indices (mean and 5-95% range), the Goodhart
    gap, the proxy-health correlation, each strategy's share of effort per behaviour and how
    often each event fired. Seats without a --bot get the role's default strategy.
    """
    loaded = load_scenario(scenario)
    refusal = over_budget(game_cost(loaded))
    if refusal is not None:
        raise GoodhartError(refusal, file=scenario)
    strategies = parse_bots(loaded, bots)
    locked = parse_locks(loaded, locks)
    workers = workers or min(default_workers(), runs)
    summary = simulate(loaded, runs, seed, strategies, workers=workers, progress=not quiet,
                       locked=locked)
    _write(summary, json_path, csv_path)


def parse_locks(scenario, specs: tuple[str, ...]) -> dict[str, int]:
    """`POLICY=LEVEL` options (a level by number or by name) as {policy: level}."""
    policies = {p.id: p for p in scenario.policies}
    out: dict[str, int] = {}
    for spec in specs:
        pid, sep, level = spec.partition("=")
        if not sep or pid not in policies:
            known = ", ".join(policies) or "none"
            raise click.BadParameter(f"'{spec}' should be POLICY=LEVEL with a policy of this "
                                     f"scenario ({known})", param_hint="--lock")
        names = policies[pid].levels
        if level in names:
            out[pid] = names.index(level)
        elif level.isdigit() and int(level) < len(names):
            out[pid] = int(level)
        else:
            raise click.BadParameter(f"policy '{pid}' has no level '{level}' (levels: "
                                     f"{', '.join(names)})", param_hint="--lock")
    _check_locks(scenario, out)
    return out


def _check_locks(scenario, locked: dict[str, int]) -> None:
    """Locked policies must leave their role a legal choice: no exclusion, within budget."""
    policies = {p.id: p for p in scenario.policies}
    on = {pid for pid, level in locked.items() if level > 0}
    for pid in sorted(on):
        clash = sorted(set(policies[pid].excludes) & on)
        if clash:
            raise click.BadParameter(f"'{pid}' and '{clash[0]}' cannot both be on",
                                     param_hint="--lock")
    for role in scenario.roles:
        cost = sum(policies[pid].cost * level for pid, level in locked.items()
                   if policies[pid].role == role.id)
        if cost > role.policy_budget + 1e-9:
            raise click.BadParameter(f"the locked policies cost {cost:g} points; the "
                                     f"{role.name}'s budget is {role.policy_budget:g}",
                                     param_hint="--lock")


def _write(summary: SimulationSummary, json_path: str | None, csv_path: Path | None) -> None:
    """The table on stdout (stderr when the JSON goes to stdout), and the files asked for."""
    text = summary.model_dump_json(indent=2)
    click.echo(summary_table(summary), err=json_path == "-")
    if json_path == "-":
        click.echo(text)
    elif json_path:
        write_atomic(Path(json_path), text + "\n")
        click.echo(f"summary written to {json_path}", err=True)
    if csv_path is not None:
        write_atomic(csv_path, records_csv(summary.kept_records))
        click.echo(f"{summary.runs} runs written to {csv_path}", err=True)
