"""The terminal game's screens as text, and the parsing of what a player types: pure
functions of the scenario, a seat's view or its legal choices (the reveal: the ended game),
with no input or output of their own; `game.cli.text_game` runs the game around them.
"""

from __future__ import annotations

import math
import textwrap

from game.analysis.facts import fact_sentences, game_facts, shown_lessons
from game.analysis.indices import gap_series, index_series, seat_outcomes
from game.analysis.what_if import (WhatIfResult, comparison_text, game_rank_agreement,
                                   what_if_for_state)
from game.cli.text_help import HINT
from game.engine import Allocate, SetPolicies
from game.engine.actions import Action, Legal, allocation_from
from game.engine.view import SeatView
from game.scenario.scoring import scoring_lines

RULE = "=" * 72


def wrap(text: str, indent: str = "") -> str:
    """Text wrapped to 72 columns; continuation lines line up under the first word."""
    return textwrap.fill(" ".join(text.split()), width=72, initial_indent=indent,
                         subsequent_indent=" " * len(indent))


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "?"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return f"{text}{' ' + unit if unit else ''}"


def render_view(scenario, view: SeatView) -> str:
    """One seat's screen as text."""
    role = scenario.role(view.role).name
    lines = [RULE, f"{scenario.turn_name.capitalize()} {view.turn} of {view.turns} · "
                   f"{view.name} ({role})", RULE]
    news = [h for h in view.news if h.turn == view.turn]
    if news:
        lines.append("News")
        for h in news:
            lines.append(f"  * {h.headline}")
            if h.text:
                lines.append(wrap(h.text, "    "))
    lines.append("The company, as you see it")
    width = max(len(m.name) for m in view.metrics)
    for m in view.metrics:
        lines.append(f"  {m.name:<{width}}  {_fmt(m.value, m.unit):>16}   ({m.note})")
    active = [f"{p.name}" + (f": {p.levels[view.policies[p.id]]}" if len(p.levels) > 2 else "")
              for p in scenario.policies if view.policies.get(p.id, 0) > 0]
    lines.append("Policies in force: " + (", ".join(active) if active else "none"))
    new = frozenset(c.policy for c in view.policy_changes if c.turn == view.turn and c.after)
    lines.append("How you earn review points")
    lines += [wrap(text, "  - ") for text in scoring_lines(scenario, view.role, view.policies,
                                                             new)]
    stats = {s.id: s for s in scenario.stats}
    if view.own_stats:
        lines.append("You")
        width = max(len(stats[k].name) for k in view.own_stats)
        lines += [f"  {stats[k].name:<{width}}  {_fmt(v, stats[k].unit):>16}"
                  for k, v in view.own_stats.items()]
    lines += _relation_lines(scenario, view)
    if view.rank:
        lines.append(f"Your last review: score {view.score:.1f}, rank {view.rank}")
    for role_id, rows in view.leaderboards.items():
        lines.append(f"Leaderboard ({scenario.role(role_id).name}): " +
                     "  ".join(f"{r.rank}. {r.name} {r.score:.1f}" for r in rows))
    public = [(o.name, o.stats) for o in view.others if o.stats]
    for name, values in public:
        lines.append(f"  {name}: " + ", ".join(f"{stats[k].name.lower()} {_fmt(v)}"
                                              for k, v in values.items()))
    return "\n".join(lines)


def _relation_lines(scenario, view: SeatView) -> list[str]:
    """Who is upstream and downstream of the seat, and what is on its way to it (on the flows
    whose rules show it), soonest first; nothing for a scenario without an order."""
    if view.upstream is None and view.downstream is None and not view.incoming:
        return []
    names = {o.index: o.name for o in view.others}
    lines = ["Next to you: " + ", ".join(
        f"{side} {names.get(seat, 'you')}" for side, seat in
        (("upstream", view.upstream), ("downstream", view.downstream)) if seat is not None)]
    flows = {f.id: f.name or f.id for f in scenario.flows}
    lines += [f"  On the way: {i.amount:g} ({flows.get(i.flow, i.flow)}), arriving in "
              f"{scenario.turn_name} {i.due}" for i in view.incoming]
    return lines


def render_policy_menu(legal: Legal, names: dict[str, str] | None = None) -> str:
    """The policy choices, numbered; `names` shows excluded policies by name, not id."""
    names = names or {}
    lines = [f"Your policies (budget {legal.budget:g} points):"]
    for i, p in enumerate(legal.policies, start=1):
        excluded = ", ".join(names.get(x, x) for x in p.excludes)
        extra = f"  excludes {excluded}" if p.excludes else ""
        lock = "  [locked]" if p.locked else ""
        lines.append(f"  {i:>2}. {p.name:<34} now {p.levels[p.current]:<8} cost {p.cost:g}/level"
                     f"  levels: {'/'.join(p.levels)}{extra}{lock}")
    lines.append('Type changes like "1=1 3=0" (number=level), or press Enter to keep them. '
                 + HINT)
    return "\n".join(lines)


def render_effort_menu(legal: Legal) -> str:
    """The work phase's menu: the behaviours to split effort over, then the numbers to
    choose, numbered on from them."""
    lines = [f"Split your {legal.effort} effort points:"] if legal.effort else []
    if legal.effort:
        for i, b in enumerate(legal.behaviours, start=1):
            note = "" if b.available else "  (not available now)"
            lines.append(f"  {i:>2}. {b.name}{note}")
    if legal.numbers:
        lines.append("Choose your numbers:")
        first = len(legal.behaviours) + 1 if legal.effort else 1
        lines += [f"  {i:>2}. {n.name}: {number_range(n)}; last time {n.current:g}"
                  for i, n in enumerate(legal.numbers, start=first)]
    example = '"1=4 2=6" (line=points)' if legal.effort else f'"1={legal.numbers[0].max:g}"'
    lines.append(f"Type {example}, or press Enter to repeat last turn. " + HINT)
    return "\n".join(lines)


def number_range(n) -> str:
    """A decision's range and step in words: `0 to 40, in steps of 5`."""
    steps = f", in steps of {n.step:g}" if n.step > 0 else ", any number"
    return f"{n.min:g} to {n.max:g}{steps}"


def describe_choice(scenario, action: Action) -> str:
    """A choice in the scenario's words: `Hand-written work 5, AI on a bottleneck 5`."""
    if isinstance(action, SetPolicies):
        specs = {p.id: p for p in scenario.policies}
        on = [f"{specs[pid].name} {specs[pid].levels[level]}"
              for pid, level in action.levels.items() if level > 0 and pid in specs]
        return "policies " + (", ".join(on) if on else "all off")
    names = {b.id: b.name for b in scenario.behaviours}
    spent = [f"{names.get(bid, bid)} {points}" for bid, points in action.effort.items() if points]
    told = "effort " + (", ".join(spent) if spent else "none placed")
    if not action.numbers:
        return told
    decisions = {d.id: d.name for r in scenario.roles for d in r.decisions}
    chosen = ", ".join(f"{decisions.get(did, did)} {value:g}"
                       for did, value in action.numbers.items())
    return f"{told}; {chosen}" if spent else chosen


def _pairs(text: str, ids: list[str], reals: frozenset[str] = frozenset()
           ) -> dict[str, int | float] | str:
    """Parse `a=1 b=2` (numbers or ids) into {id: int} (a float for the ids in `reals`), or
    a message saying what is wrong."""
    out: dict[str, int | float] = {}
    for word in text.replace(",", " ").split():
        key, sep, value = word.partition("=")
        if not sep:
            return f"'{word}' should look like number=value"
        if key.isdigit() and 1 <= int(key) <= len(ids):
            key = ids[int(key) - 1]
        if key not in ids:
            return f"'{key}' is not on the list"
        try:
            out[key] = float(value) if key in reals else int(value)
        except ValueError:
            return f"'{value}' is not a {'number' if key in reals else 'whole number'}"
        if key in reals and not math.isfinite(out[key]):
            return f"'{value}' is not a number"
    return out


def parse_policies(legal: Legal, text: str) -> SetPolicies | str:
    levels = {p.id: p.current for p in legal.policies}
    changes = _pairs(text, [p.id for p in legal.policies])
    if isinstance(changes, str):
        return changes
    levels.update(changes)
    return SetPolicies(seat=legal.seat, levels=levels)


def parse_effort(legal: Legal, text: str, last: dict[str, int | float]) -> Allocate | str:
    """The work choice typed in `text` (lines numbered as `render_effort_menu` lists them),
    or a message saying what is wrong. Enter repeats `last` (the seat's last choice); a
    number left out keeps last turn's."""
    numbers = {n.id: n.current for n in legal.numbers}
    if not text:
        return allocation_from(legal.seat, {**numbers, **last}, legal)
    lines = [b.id for b in legal.behaviours] if legal.effort else []
    chosen = _pairs(text, lines + list(numbers), frozenset(numbers))
    if isinstance(chosen, str):
        return chosen
    return allocation_from(legal.seat, {**numbers, **chosen}, legal)


PLAY_WHAT_IF = "play"


def render_reveal(scenario, state, predictions: dict[int, float], seats,
                  what_if: WhatIfResult | None | str = PLAY_WHAT_IF) -> str:
    """The end screen in text: indices, gap, ranks against contributions, events, lessons.
    `what_if` is the game's what-if replay if it has been played (None: there is none);
    by default it is played here."""
    proxy, health = index_series(scenario, state)
    gap = gap_series(proxy, health)
    lines = [RULE, "What really happened", RULE]
    for seat, guess in predictions.items():
        lines.append(f"  {seats[seat].name} predicted health {guess:.0f}; "
                     f"it ended at {health[-1]:.0f}.")
    lines.append(f"\n  {'':<10}{'proxy index':>14}{'health index':>14}{'gap':>8}")
    for t, (p, h, g) in enumerate(zip(proxy, health, gap)):
        label = "start" if t == 0 else f"{scenario.turn_name} {t}"
        lines.append(f"  {label:<10}{p:>14.1f}{h:>14.1f}{g:>+8.1f}  "
                     f"{'P' * int(p / 5):<20}|{'H' * int(h / 5)}")
    lines += rank_lines(scenario, state)
    events = [h for rec in state.history for h in rec.news]
    if events:
        lines.append("\nEvents")
        lines += [f"  {scenario.turn_name} {h.turn}: {h.headline}" for h in events]
    facts = game_facts(scenario, state)
    lines.append("\nThis game in numbers")
    lines += [wrap(text, "  - ") for text in fact_sentences(facts)]
    if what_if == PLAY_WHAT_IF:
        what_if = what_if_for_state(scenario, state, list(seats))
    lines += what_if_lines(scenario, state, what_if, proxy, health)
    lessons = shown_lessons(scenario, facts)
    if lessons:
        lines.append("\nLessons")
        lines += [wrap(text, "  - ") for text in lessons]
    if scenario.debrief.questions:
        lines.append("\nTo discuss")
        lines += [wrap(text, "  ? ") for text in scenario.debrief.questions]
    return "\n".join(lines)


def rank_lines(scenario, state) -> list[str]:
    """For each role of two or more reviewed seats: every seat's leaderboard rank and score
    beside its real contribution and that rank."""
    lines = []
    outcomes = seat_outcomes(scenario, state)
    for role in scenario.roles:
        rows = sorted((o for o in outcomes if o.role == role.id), key=lambda o: o.leaderboard_rank)
        if len(rows) < 2:
            continue
        lines.append(f"\n{role.name}s: leaderboard rank against real contribution")
        for o in rows:
            gone = "" if o.employed else "  (laid off)"
            lines.append(f"  {o.name:<24} rank {o.leaderboard_rank}  score {o.score_total:8.1f}"
                         f"   contribution {o.contribution:8.1f} (rank {o.contribution_rank}){gone}")
    return lines


def what_if_lines(scenario, state, other: WhatIfResult | None, proxy: list[float],
                  health: list[float]) -> list[str]:
    """The what-if comparison (the same company replayed under the regime the game followed
    least); no lines when the scenario declares no such regime."""
    if other is None:
        return []
    ranks = game_rank_agreement(scenario, state)
    return [""] + [wrap(line, "  " * line.startswith("  ")) if len(line) > 72 else line
                   for line in comparison_text(proxy, health, ranks, other)]
