"""Words for the terminal game: help for each prompt (`?` or `help`), and the scenario's names
in place of its ids (a player reads "Personal usage dashboards", never `personal_dashboards`).
"""

from __future__ import annotations

import re
import textwrap

from game.engine.actions import Legal
from game.scenario.model import Scenario

HELP_WORDS = ("?", "help")
HINT = "Type ? for help."
QUOTED_ID = re.compile(r"'([a-z][a-z0-9_]*)'")


def is_help(answer: str) -> bool:
    """Whether the player asked for help instead of answering."""
    return answer.strip().lower() in HELP_WORDS


def names_of(scenario: Scenario) -> dict[str, str]:
    """Every id of the scenario a player could meet, with the name to show instead."""
    names: dict[str, str] = {}
    for group in (scenario.roles, scenario.stats, scenario.metrics, scenario.behaviours,
                  scenario.policies):
        names.update({item.id: item.name for item in group})
    return names


def in_words(message: str, names: dict[str, str]) -> str:
    """`message` with every quoted id of the scenario replaced by its quoted name."""
    return QUOTED_ID.sub(lambda m: f"'{names.get(m.group(1), m.group(1))}'", message)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=72, initial_indent=indent,
                         subsequent_indent=" " * len(indent)) or [indent.rstrip()]


def policy_help(scenario: Scenario, legal: Legal) -> str:
    """What the policy prompt wants, and what each policy does."""
    names = names_of(scenario)
    specs = {p.id: p for p in scenario.policies}
    lines = ["Help: choosing policies",
             *_wrap("Type number=level pairs separated by spaces, e.g. \"1=1 3=2\": policy 1 at "
                    "its level 1, policy 3 at its level 2; level 0 is off. Each level costs the "
                    f"policy's points, and all together must fit in your budget of "
                    f"{legal.budget:g}. Enter keeps every policy as it is. Policies marked "
                    "[locked] are set by the facilitator.", "  "),
             "The policies:"]
    for i, option in enumerate(legal.policies, start=1):
        spec = specs.get(option.id)
        about = spec.description if spec is not None and spec.description else ""
        levels = ", ".join(f"{n}={name}" for n, name in enumerate(option.levels))
        lines.append(f"  {i:>2}. {option.name} (levels {levels}; cost {option.cost:g} a level)")
        if option.excludes:
            lines += _wrap("Cannot be on together with " +
                           ", ".join(names.get(x, x) for x in option.excludes) + ".", "      ")
        if about:
            lines += _wrap(about, "      ")
    return "\n".join(lines)


def effort_help(scenario: Scenario, legal: Legal) -> str:
    """What the work prompt wants, and what each behaviour and number is."""
    if not legal.effort:
        return numbers_help(scenario, legal, 1)
    specs = {b.id: b for b in scenario.behaviours}
    lines = ["Help: splitting your effort",
             *_wrap(f"Type number=points pairs separated by spaces, e.g. \"1=4 2=6\": 4 of your "
                    f"{legal.effort} points on the first line, 6 on the second. Enter repeats "
                    "your split from last time. Some lines can take only so many points, and "
                    "some are not open every turn.", "  "),
             "What you can spend them on:"]
    for i, option in enumerate(legal.behaviours, start=1):
        spec = specs.get(option.id)
        note = f"at most {option.max_effort} points" if option.available else "not available now"
        lines.append(f"  {i:>2}. {option.name} ({note})")
        if spec is not None and spec.description:
            lines += _wrap(spec.description, "      ")
    if legal.numbers:
        lines.append(numbers_help(scenario, legal, len(legal.behaviours) + 1))
    return "\n".join(lines)


def numbers_help(scenario: Scenario, legal: Legal, first: int) -> str:
    """What each number the seat chooses is (listed from line `first`), and how to type it."""
    specs = {d.id: d for r in scenario.roles for d in r.decisions}
    lines = ["Help: choosing your numbers",
             *_wrap(f"Type line=number, e.g. \"{first}={legal.numbers[0].max:g}\". A number "
                    "you leave out stays at last turn's; Enter repeats last turn. Only you see "
                    "the numbers you choose, unless a rule shows them.", "  ")]
    for i, n in enumerate(legal.numbers, start=first):
        spec = specs[n.id]
        steps = f"in steps of {n.step:g}" if n.step > 0 else "any number"
        unit = f" {spec.unit}" if spec.unit else ""
        lines.append(f"  {i:>2}. {n.name}: {n.min:g} to {n.max:g}{unit}, {steps}")
        if spec.description:
            lines += _wrap(spec.description, "      ")
    return "\n".join(lines)


PREDICTION_HELP = "\n".join(["Help: the prediction", *_wrap(
    "Before the reveal, guess how healthy the company really is now, from 0 (ruined) to 100 "
    "(thriving): the health index, built from the numbers that matter but that the "
    "leaderboards do not show. Type a number; Enter guesses 50. The reveal then shows how "
    "close you were.", "  ")])

HANDOFF_HELP = "\n".join(["Help: passing the keyboard", *_wrap(
    "Each player chooses in private. Give the keyboard to the player named, and look away; "
    "they press Enter when they are ready, and the screen is cleared between players.", "  ")])
