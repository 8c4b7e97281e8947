"""Building a table from command-line words: who sits where, human or bot."""

from __future__ import annotations

import click

from game.bots import default_strategy, strategies_for
from game.engine.state import SeatSetup
from game.scenario.model import Scenario


def parse_bots(scenario: Scenario, specs: tuple[str, ...]) -> dict[str, str]:
    """`ROLE=STRATEGY` words as a dict, each role and strategy checked against the scenario."""
    roles = {r.id for r in scenario.roles}
    out: dict[str, str] = {}
    for spec in specs:
        role, sep, strategy = spec.partition("=")
        if not sep or not role or not strategy:
            raise click.BadParameter(f"'{spec}' should look like ROLE=STRATEGY, e.g. "
                                     f"employee=gamer", param_hint="--bot")
        if role not in roles:
            raise click.BadParameter(f"unknown role '{role}' (roles: {', '.join(sorted(roles))})",
                                     param_hint="--bot")
        allowed = strategies_for(scenario, role)
        if strategy not in allowed:
            raise click.BadParameter(f"unknown strategy '{strategy}' for {role} "
                                     f"(choose from {', '.join(allowed)})", param_hint="--bot")
        out[role] = strategy
    return out


def parse_humans(scenario: Scenario, specs: tuple[str, ...]) -> list[tuple[str, str]]:
    """`ROLE:NAME` words as (role, name) pairs."""
    roles = {r.id for r in scenario.roles}
    out = []
    for spec in specs:
        role, _, name = spec.partition(":")
        if role not in roles:
            raise click.BadParameter(f"unknown role '{role}' in '{spec}' "
                                     f"(roles: {', '.join(sorted(roles))})", param_hint="--human")
        out.append((role, name.strip() or f"Player {len(out) + 1}"))
    return out


def build_table(scenario: Scenario, humans: list[tuple[str, str]],
                bots: dict[str, str]) -> list[SeatSetup]:
    """The scenario's default table: humans in the first seats of their role, bots in the
    others, playing the strategy `bots` gives their role, else the scenario's table in order."""
    seats: list[SeatSetup] = []
    for role in scenario.roles:
        mine = [name for r, name in humans if r == role.id]
        count = max(scenario.default_count(role.id), len(mine))
        if count > role.seats.max:
            raise click.BadParameter(f"{len(mine)} humans as {role.name}; this scenario allows "
                                     f"at most {role.seats.max}", param_hint="--human")
        for i in range(count):
            if i < len(mine):
                seats.append(SeatSetup(role=role.id, name=mine[i], controller="human"))
            else:
                strategy = bots.get(role.id) or default_strategy(scenario, role.id, i - len(mine))
                label = f"{role.name} {i + 1}" if count > 1 else role.name
                seats.append(SeatSetup(role=role.id, name=label, controller=f"bot:{strategy}"))
    return seats
