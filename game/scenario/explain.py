"""A plain-English summary of a scenario's rules that a facilitator can read aloud.

`explain(scenario)` says what the game is about, how long it lasts, what each role chooses
and how it is scored, what is hidden from whom, what news can happen and what the debrief
compares. It does not give away the lessons. Lines are wrapped at 88 columns.
"""

from __future__ import annotations

import re

import textwrap
from collections.abc import Iterator

from game.errors import FormulaError
from game.scenario.explain_relations import draw_words, neighbour_meanings, order_lines
from game.scenario.formula import compile_formula
from game.scenario.horizon import planning_horizon
from game.scenario.model import Effect, Metric, Policy, Role, Scenario, Stat, Visibility
from game.scenario.seating import default_seat_strategy, describe_strategy, sets_policies_only

__all__ = ["IDENTIFIER", "WIDTH", "and_list", "explain"]

WIDTH = 88


def explain(scenario: Scenario) -> str:
    """The scenario's rules in plain English, wrapped at 88 columns."""
    s = scenario
    parts = [_heading(s.title, "="), _para(s.summary)]
    if s.goals:
        parts.append(_para("Goals:") + "\n" + "\n".join(_bullet(g) for g in s.goals))
    parts.append(_para(f"The game lasts {_count(s.turns, s.turn_name)} (about {s.minutes} "
                       f"minutes). Each {s.turn_name}: news, then policies, then work, then "
                       "reviews."))
    if s.let:
        parts.append(_heading("Named values", "-"))
        parts.append("\n".join(_lets(s)))
    parts.append(_heading("Roles", "-"))
    parts += ["\n".join(_role(s, role)) for role in s.roles]
    if s.leaderboards:
        parts.append(_heading("Leaderboards", "-"))
        parts.append("\n".join(_boards(s)))
    parts.append(_heading("The default table", "-"))
    parts.append("\n".join(_table(s)))
    if s.order is not None:
        parts.append(_heading("Seats in relation", "-"))
        lines = order_lines(s)
        parts.append("\n".join([_para(lines[0])] + [_bullet(t) for t in lines[1:]]))
    if s.randoms:
        parts.append(_heading("Chance", "-"))
        parts.append("\n".join(_bullet(draw_words(k, d, s.turn_name))
                               for k, d in s.randoms.items()))
    hidden = list(_hidden(s))
    parts.append(_heading("What is hidden", "-"))
    parts.append("\n".join(hidden) if hidden else _para("Nothing: every seat sees every "
                                                        "number as it is."))
    if s.events:
        parts.append(_heading("News that can happen", "-"))
        parts.append("\n".join(_bullet(ev.headline + (" (can happen again)" if ev.repeat else ""))
                               for ev in s.events))
    parts.append(_heading("The debrief", "-"))
    parts.append("\n".join(_debrief(s)))
    return "\n\n".join(p for p in parts if p) + "\n"


# --- Text helpers ---

def _heading(text: str, underline: str) -> str:
    return f"{text}\n{underline * min(len(text), WIDTH)}"


def _para(text: str, indent: str = "") -> str:
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent, break_on_hyphens=False)


def _bullet(text: str, depth: int = 0) -> str:
    lead = "  " * depth
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=f"{lead}  - ",
                         subsequent_indent=f"{lead}    ", break_on_hyphens=False)


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _count(n: float, word: str) -> str:
    """`1 week`, `12 weeks`, `2.5 points`."""
    return f"{n:g} {word if n == 1 else _plural(word)}"


def and_list(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _is_true(source: str) -> bool | None:
    """True/False when a formula is a constant, None when it depends on the state."""
    try:
        constant = compile_formula(source, None).constant
    except FormulaError:
        return None
    return None if constant is None else constant != 0


def _names_in(source: str) -> frozenset[str]:
    try:
        return compile_formula(source, None).names
    except FormulaError:
        return frozenset()


# --- Named values ---

def _lets(s: Scenario) -> Iterator[str]:
    """Lines about the scenario's named values: each name and its formula, in file order."""
    yield _para("The formulas below use these names for longer expressions:")
    for name, source in s.let.items():
        yield _bullet(f"{name} = `{_shown(s, source)}`{_glossary(s, source)}")


# --- Leaderboards ---

def _boards(s: Scenario) -> Iterator[str]:
    """Lines about the scenario's own leaderboards, which every seat sees."""
    yield _para("Besides the review rankings, every seat sees:")
    for b in s.leaderboards:
        roles = and_list([s.role(r).name for r in b.roles] if b.roles else ["every role"])
        what = {"seat": f"the seats of {roles} by",
                "team": f"the teams ({roles}) by the {b.combine} of their seats'",
                "role": f"{roles} by the {b.combine} of their seats'"}[b.by]
        order = "highest" if b.higher_is_better else "lowest"
        text = f"{b.name}: {what} `{_shown(s, b.score)}`, {order} first"
        if _is_true(b.when) is not True:
            text += f"; shown while `{_shown(s, b.when)}`"
        yield _bullet(text + ".")


# --- Roles ---

def _role(s: Scenario, role: Role) -> Iterator[str]:
    """Lines about one role: seats, choices, score and consequences."""
    seats = role.seats
    if seats.min == seats.max:
        count = _count(seats.max, "seat")
    else:
        count = f"{seats.min} to {seats.max} seats, {s.default_count(role.id)} by default"
    yield f"{role.name} ({count})"
    if role.description:
        yield _para(role.description, "  ")
    if role.teams:
        yield _para(f"Its seats are dealt to the teams {and_list(role.teams)} in turn.", "  ")
    yield from _policies(s, role)
    yield from _behaviours(s, role)
    yield from _decisions(s, role)
    yield from _review(s, role)


def _table(s: Scenario) -> Iterator[str]:
    """Lines about the default table: who plays each seat nobody takes."""
    yield _para("Bots fill the seats nobody takes, in this order (choose other bots on the "
                "setup screen, or with --bot ROLE=STRATEGY):")
    for role in s.roles:
        count = s.default_count(role.id)
        for i in range(count):
            strategy = default_seat_strategy(s, role.id, i)
            words = describe_strategy(strategy, sets_policies_only(s, role.id))
            label = f"{role.name} {i + 1}" if count > 1 else role.name
            yield _bullet(f"{label}: a bot that {words} ({strategy})")
    horizon = planning_horizon(s)
    if horizon > 1:
        yield _para(f"Bots that play to their review weigh each {s.turn_name}'s choice by what "
                    f"it adds to their reviews over {horizon} {s.turn_name}s, so a payoff that "
                    "comes later counts.")


def _policies(s: Scenario, role: Role) -> Iterator[str]:
    policies = s.policies_of(role.id)
    if not policies:
        return
    budget = f" with a budget of {role.policy_budget:g} points" if role.policy_budget else ""
    yield _para(f"Sets policies{budget}; active policies are public:", "  ")
    for p in policies:
        yield _bullet(_policy_line(s, p), 1)


def _policy_line(s: Scenario, p: Policy) -> str:
    levels = "on or off" if len(p.levels) == 2 else "levels " + " / ".join(p.levels)
    parts = [f"{p.name} ({levels}"]
    if p.cost:
        parts.append(f", costs {_count(p.cost, 'point')}" + (" per level" if len(p.levels) > 2
                                                             else ""))
    parts.append(")")
    text = "".join(parts)
    if p.initial:
        text += f"; starts at '{p.levels[p.initial]}'"
    if p.excludes:
        names = [_policy_name(s, x) for x in p.excludes]
        text += f"; cannot be combined with {and_list(names)}"
    return text + "."


def _policy_name(s: Scenario, policy_id: str) -> str:
    return next((p.name for p in s.policies if p.id == policy_id), policy_id)


def _behaviours(s: Scenario, role: Role) -> Iterator[str]:
    behaviours = s.behaviours_of(role.id)
    if not behaviours:
        return
    yield _para(f"Each {s.turn_name}, secretly splits {_count(role.effort, 'effort point')} "
                "over:", "  ")
    for b in behaviours:
        text = b.name
        if b.max_effort is not None:
            text += f" (at most {_count(b.max_effort, 'point')})"
        if _is_true(b.available) is not True:
            text += f", only when `{_shown(s, b.available)}`"
        yield _bullet(text, 1)


def _decisions(s: Scenario, role: Role) -> Iterator[str]:
    """The numbers the role chooses, each with its range and step."""
    if not role.decisions:
        return
    one = len(role.decisions) == 1
    yield _para(f"Each {s.turn_name}, secretly chooses {'a number' if one else 'numbers'} "
                f"(only the seat itself sees {'it' if one else 'them'}, unless a rule shows "
                f"{'it' if one else 'them'}):", "  ")
    for d in role.decisions:
        unit = f" {d.unit}" if d.unit else ""
        steps = f"in steps of {d.step:g}" if d.step > 0 else "any number"
        yield _bullet(f"{d.name} (`{d.id}`): {d.min:g} to {d.max:g}{unit}, {steps}; "
                      f"starts at {d.initial:g}", 1)


def _review(s: Scenario, role: Role) -> Iterator[str]:
    """How the role is scored, which policies add terms, and what follows a review."""
    review = s.reviews.get(role.id)
    terms = [(p, p.review[role.id]) for p in s.policies if role.id in p.review]
    if review is None and not terms:
        yield _para("Is not reviewed.", "  ")
        return
    score = review.score if review else "0"
    yield _para(f"Review score each {s.turn_name}: `{_shown(s, score)}`{_glossary(s, score)}.",
                "  ")
    for p, term in terms:
        yield _bullet(f"plus `{_shown(s, term)}` while '{p.name}' is active"
                      f"{_glossary(s, term)}", 1)
    if review is None:
        return
    if review.leaderboard:
        yield _para("The ranking is published as a leaderboard.", "  ")
    yield _para("Equal scores share a rank." if review.ties == "share" else
                "Equal scores are ranked by a fair draw.", "  ")
    for c in review.consequences:
        when = "" if _is_true(c.when) is True else f" when `{_shown(s, c.when)}`"
        tallies = {st.id for st in s.stats if st.bookkeeping}  # left out, as everywhere
        changes = [_effect_words(s, e) for e in c.effects if e.target not in tallies]
        if c.layoff:
            changes.append("the seat is laid off")
        what = c.text or and_list(changes) or "nothing changes"
        yield _bullet(f"{c.name}{when}: {what}", 1)


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""A name in a formula (an id, a constant, a function)."""


def _shown(s: Scenario, source: str) -> str:
    """A formula as it reads aloud: each constant replaced by its value."""
    def value(match: re.Match[str]) -> str:
        name = match.group()
        return f"{s.constants[name]:g}" if name in s.constants else name
    return IDENTIFIER.sub(value, " ".join(source.split()))


def _glossary(s: Scenario, source: str) -> str:
    """`, where real_work is the points on Real work` for the ids a formula reads."""
    meanings = _meanings(s)
    words = [f"{n} is {meanings[n]}" for n in sorted(_names_in(source)) if n in meanings]
    return f", where {and_list(words)}" if words else ""


def _meanings(s: Scenario) -> dict[str, str]:
    """What each id means, in words, for glossaries."""
    out = {m.id: f"the company's {m.name}" for m in s.metrics}
    out.update({st.id: f"the seat's own {st.name}" for st in s.stats if not st.bookkeeping})
    out.update({b.id: f"the points it puts on {b.name}" for b in s.behaviours})
    out.update({d.id: f"the {d.name} it chooses" for r in s.roles for d in r.decisions})
    out.update({p.id: f"the level of {p.name}" for p in s.policies})
    out.update({name: "the named value above" for name in s.let})
    out.update(neighbour_meanings(s))
    out.update({"rank": "its place on the leaderboard (1 is best)",
                "score": "its last review score", "seats": "the number of seats of its role"})
    return out


def _effect_words(s: Scenario, effect: Effect) -> str:
    """`Tokens used +10`, `Quality set to 50`."""
    names = {m.id: m.name for m in s.metrics} | {st.id: st.name for st in s.stats}
    target = names.get(effect.target, effect.target)
    if effect.mode == "set":
        return f"{target} set to {effect.value}"
    value = effect.value.strip()
    return f"{target} {value}" if value.startswith("-") else f"{target} +{value}"


# --- Hidden information ---

def _hidden(s: Scenario) -> Iterator[str]:
    """Bullets about metrics that some roles see late, noisy or not at all, and private stats."""
    role_names = {r.id: r.name for r in s.roles}
    for m in s.metrics:
        rules = [_visibility_words(m, key, rule, role_names, s.turn_name) for key, rule in m.visibility.items()]
        rules = [r for r in rules if r]
        if rules:
            yield _bullet(f"{m.name}: {'; '.join(rules)}.")
    for st in s.stats:
        if not st.bookkeeping:
            yield _bullet(_stat_words(s, st))


def _visibility_words(m: Metric, key: str, rule: Visibility,
                      role_names: dict[str, str], turn_name: str) -> str:
    who = "everyone else" if key == "default" and len(m.visibility) > 1 else \
        "everyone" if key == "default" else role_names.get(key, key)
    if rule.hidden:
        return f"hidden from {who} until the end"
    bits = []
    if rule.lag:
        bits.append(f"{_count(rule.lag, turn_name)} late")
    if rule.noise:
        bits.append(f"with noise (about {rule.noise:.0%} of its range)")
    return f"{who} sees it {' and '.join(bits)}" if bits else ""


def _stat_words(s: Scenario, st: Stat) -> str:
    """Who sees a per-seat stat."""
    public = _is_true(st.public)
    if st.hidden_from_self:
        text = f"{st.name}: hidden even from the seat itself until the end"
    elif public is True:
        text = f"{st.name}: every seat sees everyone's"
    else:
        text = f"{st.name}: each seat sees only its own"
    if public is None:
        policies = [p.name for p in s.policies if p.id in _names_in(st.public)]
        because = f"'{and_list(policies)}' is active" if policies else f"`{st.public}` holds"
        text += f"; everyone's becomes public while {because}"
    return text + "."


# --- Debrief ---

def _debrief(s: Scenario) -> Iterator[str]:
    names = {m.id: m.name for m in s.metrics}

    def index(weights: dict[str, float]) -> str:
        return and_list([f"{names.get(k, k)} (weight {w:g})" for k, w in weights.items()])

    yield _para("At the end, the hidden numbers are revealed and two indices are compared "
                "over time:")
    yield _bullet(f"the proxy index, what the leaderboard rewards: {index(s.debrief.proxy_index)}")
    yield _bullet(f"the health index, what the company needs: {index(s.debrief.health_index)}")
    extra = []
    if s.debrief.lessons:
        extra.append(_count(len(s.debrief.lessons), "lesson"))
    if s.debrief.questions:
        extra.append(_count(len(s.debrief.questions), "discussion question"))
    if extra:
        yield _para(f"The debrief brings {and_list(extra)} for the room.")
    if s.debrief.what_if:
        names = and_list([f"\u201c{w.name}\u201d" for w in s.debrief.what_if])
        yield _para(f"The reveal also replays the game with bots under whichever of {names} "
                    "the table followed least, and sets it beside the real game.")
