"""The end screen's six layers, drawn on any surface (the window, or a PNG for export).

Only the end screen uses this, after the game has ended: it reads the ended state through
`game.analysis` (the proxy and health indices, the gap, each seat's rank against its real
contribution), never during play.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.analysis.facts import fact_sentences, game_facts, shown_lessons
from game.analysis.indices import (SeatOutcome, correlation, gap_series, index_series,
                                   seat_outcomes)
from game.analysis.what_if import (WhatIfResult, contrast_regime, game_rank_agreement,
                                   policies_of)
from game.engine.boards import Board, leaderboards
from game.scenario.model import WhatIf
from game.scenario.rules import rules_for
from game.ui import theme
from game.ui.chart import index_chart, slope_chart, timeline
from game.ui.draw import Painter, format_number, panel
from game.ui.what_if_panel import draw_what_if

LAYERS = ("Predict", "Proxy", "Health", "Ranks", "Events", "Lessons", "Discuss")
WHAT_IF = "What if"
"""The extra layer, before the lessons, of a scenario that declares contrasting regimes."""
MAX_EVENTS = 8


@dataclass
class EventMark:
    turn: int
    headline: str
    injected: bool
    health_change: float


@dataclass
class Debrief:
    """Everything the end screen shows, computed once from the ended game."""

    title: str
    turn_name: str
    proxy: list[float]
    health: list[float]
    gap: list[float]
    together: float
    outcomes: list[SeatOutcome]
    events: list[EventMark]
    lessons: list[str]
    questions: list[str]
    proxy_names: list[str]
    health_names: list[str]
    people: list[tuple[int, str]] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    """What is true of this game, in sentences (shown above the lessons)."""
    layers: tuple[str, ...] = LAYERS
    what_if_regime: WhatIf | None = None
    """The regime the what-if layer replays the game under (None: no such layer)."""
    what_if: WhatIfResult | None = None
    """The replay, once the background process has finished it."""
    what_if_failed: str = ""
    rank_agreement: float = 0.0
    boards: list[Board] = field(default_factory=list)
    """The scenario's own leaderboards as the game ended (shown on the ranks layer)."""


def build_debrief(play) -> Debrief:
    """The debrief of an ended game (the only place the UI reads the whole state)."""
    s, state = play.scenario, play.state
    proxy, health = index_series(s, state)
    events = []
    for record in state.history:
        for h in record.news:
            change = health[h.turn] - health[h.turn - 1] if 0 < h.turn < len(health) else 0.0
            events.append(EventMark(h.turn, h.headline, h.injected, change))
    if len(events) > MAX_EVENTS:
        keep = sorted(events, key=lambda e: -abs(e.health_change))[:MAX_EVENTS]
        events = [e for e in events if e in keep]
    names = {m.id: m.name for m in s.metrics}
    facts = game_facts(s, state)
    regime = contrast_regime(s, policies_of(state))
    layers = LAYERS if regime is None else \
        LAYERS[:LAYERS.index("Lessons")] + (WHAT_IF,) + LAYERS[LAYERS.index("Lessons"):]
    return Debrief(
        title=s.title, turn_name=s.turn_name, proxy=proxy, health=health,
        gap=gap_series(proxy, health), together=correlation(proxy, health),
        outcomes=seat_outcomes(s, state), events=events,
        lessons=shown_lessons(s, facts),
        questions=[" ".join(x.split()) for x in s.debrief.questions],
        proxy_names=[names[m] for m in s.debrief.proxy_index],
        health_names=[names[m] for m in s.debrief.health_index],
        people=[(i, play.session.seats[i].name) for i in play.humans],
        facts=fact_sentences(facts), layers=layers, what_if_regime=regime,
        rank_agreement=game_rank_agreement(s, state),
        boards=leaderboards(rules_for(s), state, revealed=True))


def reveal_rect(painter: Painter, size: tuple[int, int]) -> pygame.Rect:
    """Where the reveal's layers go in a window (or slide) of `size`, under the title."""
    w, h = size
    top = painter.px(14) + painter.line_height("h2") + painter.px(54)
    return pygame.Rect(painter.px(32), top, w - painter.px(64), h - top - painter.px(120))


def reveal_title(surface: pygame.Surface, painter: Painter, title: str, layer: int,
                 layers: tuple[str, ...] = LAYERS) -> None:
    """The reveal's title and a chip per layer of `layers`, the current one highlighted."""
    p = painter
    w = surface.get_width()
    p.text(surface, f"The reveal — {title}", (p.px(32), p.px(14)), "h2", bold=True,
           max_width=w - p.px(64))
    x, y = p.px(32), p.px(14) + p.line_height("h2") + p.px(6)
    for n, name in enumerate(layers, start=1):
        label = f"{n} {name}"
        chip = pygame.Rect(x, y, p.width(label, "body", True) + p.px(24),
                           p.line_height("body") + p.px(6))
        if n <= layer:
            pygame.draw.rect(surface, theme.BLUE if n == layer else theme.PANEL_HI, chip,
                             border_radius=6)
        pygame.draw.rect(surface, theme.TEXT if n == layer else theme.LINE, chip, 2,
                         border_radius=6)
        p.text(surface, label, chip.center, "body", theme.TEXT if n <= layer else theme.MUTED,
               bold=n == layer, anchor="center")
        x = chip.right + p.px(10)


def prediction_rows(painter: Painter, rect: pygame.Rect, n: int) -> list[pygame.Rect]:
    """Where each person's prediction line goes (the window puts sliders in them)."""
    top = rect.y + painter.line_height("h3") * 2 + painter.px(30)
    step = painter.px(64)
    return [pygame.Rect(rect.x, top + i * step, rect.width, painter.px(48)) for i in range(n)]


def draw_layer(surface: pygame.Surface, painter: Painter, rect: pygame.Rect, d: Debrief,
               layer: int, predictions: dict[int, float], live: bool = False,
               dots: int = 3) -> None:
    """Draw layer `layer` (1 .. len(d.layers)) into `rect` (`dots`: how far the what-if
    layer's "working" line has got)."""
    name = d.layers[layer - 1]
    if name == WHAT_IF:
        draw_what_if(surface, painter, rect, d, dots)
        return
    drawers = dict(zip(LAYERS, [_predict, _proxy, _health, _ranks, _events, _lessons,
                                _questions]))
    drawers[name](surface, painter, rect, d, predictions, live)


def _predict(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    p.text(surface, "Before the reveal: how healthy is the company now?", rect.topleft, "h3",
           bold=True, max_width=rect.width)
    p.paragraph(surface, f"Each person guesses the health index: 0 is ruined, 100 is thriving. "
                         f"It started at {format_number(d.health[0])}.",
                pygame.Rect(rect.x, rect.y + p.line_height("h3"), rect.width,
                            p.line_height() * 2), "body", theme.MUTED)
    if not d.people:
        p.text(surface, "No people at this table: nothing to predict.",
               (rect.x, prediction_rows(p, rect, 1)[0].y), "body", theme.MUTED)
    for (seat, name), row in zip(d.people, prediction_rows(p, rect, len(d.people))):
        label_w = int(row.width * 0.3)
        p.text(surface, name, (row.x, row.centery), "h3", bold=True, anchor="midleft",
               max_width=label_w - p.px(16))
        value = predictions.get(seat, 50.0)
        p.text(surface, format_number(value), (row.right, row.centery), "h3", theme.FOCUS,
               bold=True, anchor="midright")
        if not live:
            bar = pygame.Rect(row.x + label_w, row.centery - p.px(8), row.width - label_w
                              - p.px(90), p.px(16))
            pygame.draw.rect(surface, theme.PANEL_HI, bar, border_radius=6)
            pygame.draw.rect(surface, theme.FOCUS, (bar.x, bar.y, int(bar.width * value / 100),
                                                    bar.height), border_radius=6)


def _story(surface, p: Painter, rect: pygame.Rect, lines: list[tuple[str, tuple]]) -> int:
    """Sentences under a chart, one line each (the last ones in the small size; a sentence
    too long goes a size smaller; the last may take two lines)."""
    y = rect.y
    for n, (text, color) in enumerate(lines):
        sizes = ("body", "small") if n < 2 else ("small",)
        size, rows = p.fitting(text, rect.width, sizes, max_lines=2 if n == len(lines) - 1
                               else 1)
        y += p.lines(surface, rows, (rect.x, y), size, color)
    return y - rect.y


def _chart_rect(p: Painter, rect: pygame.Rect, story_lines: int) -> tuple[pygame.Rect, pygame.Rect]:
    story_h = story_lines * p.line_height("body") + p.px(10)
    chart = pygame.Rect(rect.x, rect.y, rect.width, rect.height - story_h)
    return chart, pygame.Rect(rect.x, chart.bottom + p.px(6), rect.width, story_h - p.px(6))


def _proxy(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    chart, story = _chart_rect(p, rect, 3)
    index_chart(surface, p, chart, d.proxy, d.health, d.turn_name, reveal_health=False)
    _story(surface, p, story, [
        (f"What the leaderboard saw: the proxy index went from {format_number(d.proxy[0])} to "
         f"{format_number(d.proxy[-1])} (out of 100).", theme.TEXT),
        ("Proxy index: " + ", ".join(d.proxy_names) + ".", theme.MUTED)])


def points(x: float) -> str:
    return f"{format_number(x)} point{'' if format_number(x) == '1' else 's'}"


def _gap_sentence(d: Debrief) -> str:
    gap = d.gap[-1]
    if abs(gap) < 1:
        return "Proxy and health moved by about the same: no gap opened."
    if gap > 0:
        return f"The gap: since the start, the proxy did {points(gap)} better than health."
    return f"No Goodhart gap: since the start, health did {points(-gap)} better than the proxy."


def _together_sentence(d: Debrief) -> str:
    r = d.together
    how = ("together" if r > 0.3 else "in opposite directions" if r < -0.3
           else "with little to do with each other")
    return (f"{d.turn_name.capitalize()} by {d.turn_name}, proxy and health moved {how} "
            f"(correlation {r:+.2f}).")


def _prediction_sentence(d: Debrief, predictions: dict[int, float]) -> str:
    names = dict(d.people)
    guesses = ", ".join(f"{names.get(seat, '?')} {format_number(v)}"
                        for seat, v in predictions.items() if seat in names)
    if not guesses:
        return _together_sentence(d)
    return f"Your predictions: {guesses}. It ended at {format_number(d.health[-1])}."


def _health(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    chart, story = _chart_rect(p, rect, 5)
    index_chart(surface, p, chart, d.proxy, d.health, d.turn_name, reveal_health=True)
    lines = [(f"What the company needed: the health index went from "
              f"{format_number(d.health[0])} to {format_number(d.health[-1])}.", theme.TEXT),
             (_gap_sentence(d), theme.FOCUS),
             (_prediction_sentence(d, predictions), theme.MUTED),
             ("Health index: " + ", ".join(d.health_names) + ".", theme.MUTED)]
    _story(surface, p, story, lines)


def ranks_within_role(outcomes: list[SeatOutcome]) -> list[tuple[str, int, int]]:
    """(name, leaderboard rank, contribution rank) for the role with the most reviewed seats,
    ranked among themselves (a manager's score is not comparable with an engineer's)."""
    roles: dict[str, list[SeatOutcome]] = {}
    for o in outcomes:
        roles.setdefault(o.role, []).append(o)
    if not roles:
        return []
    seats = max(roles.values(), key=len)
    by_score = sorted(seats, key=lambda o: (o.leaderboard_rank, o.seat))
    return [(o.name, o.leaderboard_rank, o.contribution_rank) for o in by_score]


def _ranks(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    rows = ranks_within_role(d.outcomes)
    if not rows:
        p.text(surface, "No seat was reviewed in this scenario.", rect.topleft, "body")
        if d.boards:
            top = rect.y + p.line_height() * 2
            box = pygame.Rect(rect.x, top, min(rect.width, p.px(560)), rect.bottom - top)
            panel(surface, box, theme.PANEL, theme.LINE)
            _boards(surface, p, box, d.boards)
        return
    chart = pygame.Rect(rect.x, rect.y, int(rect.width * 0.6), rect.height)
    slope_chart(surface, p, chart, rows)
    side = pygame.Rect(chart.right + p.px(24), rect.y, rect.right - chart.right - p.px(24),
                       rect.height)
    panel(surface, side, theme.PANEL, theme.LINE)
    x, y, w = side.x + p.px(16), _boards(surface, p, side, d.boards), side.width - p.px(32)
    p.text(surface, "Total review score · real contribution", (x, y), "small", theme.MUTED,
           max_width=w)
    y += p.line_height("small") + p.px(6)
    names = [r[0] for r in rows]
    ordered = sorted((o for o in d.outcomes if o.name in names), key=lambda o: -o.score_total)
    for o in ordered:
        if y + p.line_height() * 2 > side.bottom:
            break
        p.text(surface, o.name + ("" if o.employed else " (laid off)"), (x, y), "body",
               bold=True, max_width=w)
        y += p.line_height()
        p.text(surface, f"score {format_number(o.score_total)} · contribution "
                        f"{format_number(o.contribution)}", (x, y), "body", theme.MUTED,
               max_width=w)
        y += p.line_height() + p.px(4)


BOARD_ROWS = 3
"""Rows of each of the scenario's own leaderboards that the ranks layer shows."""


def _boards(surface, p: Painter, box: pygame.Rect, boards: list[Board]) -> int:
    """The top rows of each final leaderboard at the top of `box`; the y below them."""
    x, y, w = box.x + p.px(16), box.y + p.px(12), box.width - p.px(32)
    for board in boards:
        if y + p.line_height() * 2 > box.bottom:
            break
        p.text(surface, board.name, (x, y), "body", bold=True, max_width=w)
        y += p.line_height()
        for row in board.rows[:BOARD_ROWS]:
            p.text(surface, f"{row.rank}. {row.name} · {format_number(row.score)}", (x, y),
                   "body", theme.MUTED, max_width=w)
            y += p.line_height()
        y += p.px(8)
    return y


def _events(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    chart_w = int(rect.width * 0.56)
    band = p.px(30) * max([1] + [sum(1 for e in d.events if e.turn == t) for t in
                                 {e.turn for e in d.events}]) + p.px(16)
    axes = index_chart(surface, p, pygame.Rect(rect.x, rect.y, chart_w, rect.height - band),
                       d.proxy, d.health, d.turn_name, reveal_health=True, short=True)
    timeline(surface, p, axes, rect.bottom - band + p.px(4), rect.bottom,
             [(e.turn, e.headline) for e in d.events])
    side = pygame.Rect(rect.x + chart_w + p.px(32), rect.y, 0, rect.height)
    side.width = rect.right - side.x
    p.text(surface, "The events that mattered", side.topleft, "h3", theme.FOCUS, bold=True,
           max_width=side.width)
    y = side.y + p.line_height("h3") + p.px(4)
    if not d.events:
        p.text(surface, "No events fired in this game.", (side.x, y), "body", theme.MUTED)
    more = p.line_height("small")     # room kept for "and N more" under a list that stops
    for n, e in enumerate(d.events, start=1):
        size, headline = p.fitting(e.headline, side.width - p.px(24), ("body", "small"),
                                   max_lines=2)
        need = p.line_height("small") + len(headline) * p.line_height(size) + p.px(6)
        if y + need > side.bottom - (more if n < len(d.events) else 0):
            p.text(surface, f"and {len(d.events) - n + 1} more (see the chart's markers)",
                   (side.x, y), "small", theme.MUTED, max_width=side.width)
            break
        who = " (facilitator)" if e.injected else ""
        change = f"  health {e.health_change:+.1f}" if abs(e.health_change) >= 0.05 else ""
        p.text(surface, f"{n}. {d.turn_name.capitalize()} {e.turn}{who}{change}", (side.x, y),
               "small", theme.MUTED, max_width=side.width)
        y += p.line_height("small")
        y += p.lines(surface, headline, (side.x + p.px(24), y), size) + p.px(6)


def _lessons(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    """Left: what is true of this game, in sentences; right: the lessons it bears out."""
    left_w = int(rect.width * 0.36)
    left = pygame.Rect(rect.x, rect.y, left_w, rect.height)
    right = pygame.Rect(rect.x + left_w + p.px(40), rect.y, rect.width - left_w - p.px(40),
                        rect.height)
    _column(surface, p, left, "This game in numbers", d.facts, "\u2022 ", theme.TEXT)
    _column(surface, p, right, "What this game shows", d.lessons, "\u2022 ", theme.TEXT,
            empty="(no lesson of this scenario fits how this game went: ask the room why)")


def _column(surface, p: Painter, rect: pygame.Rect, title: str, items: list[str], bullet: str,
            color, empty: str = "(none)") -> None:
    """A titled list in one column, in the largest text size that fits."""
    p.text(surface, title, rect.topleft, "h3", theme.FOCUS, bold=True, max_width=rect.width)
    top = rect.y + p.line_height("h3") + p.px(8)
    if not items:
        p.paragraph(surface, empty, pygame.Rect(rect.x, top, rect.width, rect.bottom - top),
                    "body", theme.MUTED)
        return
    texts = [bullet + t for t in items]
    size = "body" if _list_height(p, texts, rect.width, "body") <= rect.bottom - top \
        else "small"
    y = top
    for text in texts:
        if y + p.line_height(size) > rect.bottom:
            break
        y += p.paragraph(surface, text, pygame.Rect(rect.x, y, rect.width, rect.bottom - y),
                         size, color) + p.px(10)


def _questions(surface, p: Painter, rect, d: Debrief, predictions, live) -> None:
    _two_columns(surface, p, rect, "Questions to discuss", d.questions, True)


def _two_columns(surface, p: Painter, rect: pygame.Rect, title: str, items: list[str],
                 numbered: bool) -> None:
    """A titled list flowing down two columns, in the largest text size that fits."""
    p.text(surface, title, rect.topleft, "h3", theme.FOCUS, bold=True)
    if not items:
        p.text(surface, "(none in this scenario)", (rect.x, rect.y + p.line_height("h3")),
               "body", theme.MUTED)
        return
    top = rect.y + p.line_height("h3") + p.px(8)
    half = (rect.width - p.px(40)) // 2
    texts = [(f"{n}. " if numbered else "\u2022 ") + t for n, t in enumerate(items, start=1)]
    size = "body" if _list_height(p, texts, half, "body") <= 2 * (rect.bottom - top) else "small"
    x, y = rect.x, top
    for text in texts:
        need = len(p.wrap(text, half, size)) * p.line_height(size)
        if y + need > rect.bottom and x == rect.x:
            x, y = rect.x + half + p.px(40), top
        y += p.paragraph(surface, text, pygame.Rect(x, y, half, rect.bottom - y), size) + p.px(10)


def _list_height(p: Painter, items: list[str], width: int, size: str) -> int:
    return sum(len(p.wrap(t, width, size)) * p.line_height(size) + p.px(10) for t in items)
