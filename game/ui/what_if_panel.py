"""The reveal's "What if" layer: this game beside the same company replayed by bots under the
scenario's contrasting regime (same seed, same seats), on one scale, with the end figures.

The replay runs in another process (`game.analysis.what_if.WhatIfJob`); until it is ready the
layer says so, and the end screen keeps drawing.
"""

from __future__ import annotations

import pygame

from game.analysis.what_if import comparison_rows, held_sentence
from game.ui import theme
from game.ui.chart import Series, change_chart, legend, nice_range
from game.ui.draw import Painter, format_number, panel

WORKING = "Working out the other company"


def draw_what_if(surface: pygame.Surface, p: Painter, rect: pygame.Rect, d,
                 dots: int = 3) -> None:
    """The what-if layer of debrief `d` (a `game.ui.debrief.Debrief`) inside `rect`."""
    regime = d.what_if_regime
    p.text(surface, f"What if: the same company under \u201c{regime.name}\u201d", rect.topleft,
           "h3", theme.FOCUS, bold=True, max_width=rect.width)
    y = rect.y + p.line_height("h3") + p.px(2)
    about = " ".join(regime.text.split()) or "The scenario's contrasting regime."
    y += p.paragraph(surface, about, pygame.Rect(rect.x, y, rect.width, p.line_height() * 2),
                     "body", theme.MUTED, max_lines=2) + p.px(6)
    body = pygame.Rect(rect.x, y, rect.width, rect.bottom - y)
    if d.what_if is None:
        _waiting(surface, p, body, d.what_if_failed, dots)
        return
    charts = pygame.Rect(body.x, body.y, int(body.width * 0.62), body.height)
    _two_charts(surface, p, charts, d)
    side = pygame.Rect(charts.right + p.px(24), body.y, body.right - charts.right - p.px(24),
                       body.height)
    _figures(surface, p, side, d)


def _waiting(surface: pygame.Surface, p: Painter, rect: pygame.Rect, failed: str,
             dots: int) -> None:
    box = pygame.Rect(rect.x, rect.y + p.px(20), rect.width,
                      p.line_height("h2") + p.line_height() * 2 + p.px(48))
    panel(surface, box, theme.PANEL, theme.LINE)
    if failed:
        line, colour = "The other company could not be worked out this time.", theme.BAD
        note = failed
    else:
        line, colour = WORKING + "." * dots, theme.TEXT
        note = ("Bots are replaying this game, the same seed and the same seats, under the "
                "other regime. It takes a few seconds; the rest of the reveal works meanwhile.")
    p.text(surface, line, (box.x + p.px(24), box.y + p.px(16)), "h2", colour, bold=True,
           max_width=box.width - p.px(48))
    p.paragraph(surface, note, pygame.Rect(box.x + p.px(24), box.y + p.px(24)
                                           + p.line_height("h2"), box.width - p.px(48),
                                           p.line_height() * 2), "body", theme.MUTED,
                max_lines=2)


def _two_charts(surface: pygame.Surface, p: Painter, rect: pygame.Rect, d) -> None:
    """Both games' proxy and health index (change since the start) on one shared scale."""
    w = d.what_if
    games = [("This game", d.proxy, d.health), ("What if", w.proxy, w.health)]
    changes = [v - s[0] for _, proxy, health in games for s in (proxy, health) for v in s]
    lo, hi, step = nice_range(changes)
    key = [Series("Proxy index", [], theme.PROXY), Series("Health index", [], theme.HEALTH, True)]
    top = rect.y + legend(surface, p, rect, key, [("gap: proxy ahead", theme.GAP)]) + p.px(4)
    half = (rect.width - p.px(20)) // 2
    for n, (title, proxy, health) in enumerate(games):
        box = pygame.Rect(rect.x + n * (half + p.px(20)), top, half, rect.bottom - top)
        p.text(surface, title, (box.x + p.px(50), box.y), "body", theme.FOCUS if n else
               theme.TEXT, bold=True, max_width=box.width - p.px(50))
        plot = pygame.Rect(box.x, box.y + p.line_height(), box.width,
                           box.height - p.line_height())
        change_chart(surface, p, plot, proxy, health, (lo, hi, step), d.turn_name + "s",
                     "since the start" if n == 0 else "")


def _figures(surface: pygame.Surface, p: Painter, rect: pygame.Rect, d) -> None:
    """The end figures of both games in a small table, and what they add up to."""
    panel(surface, rect, theme.PANEL, theme.LINE)
    x, w = rect.x + p.px(16), rect.width - p.px(32)
    cols = (x + int(w * 0.72), x + w)
    y = rect.y + p.px(10)
    p.text(surface, "this game", (cols[0], y), "small", theme.MUTED, anchor="topright")
    p.text(surface, "what if", (cols[1], y), "small", theme.FOCUS, anchor="topright")
    y += p.line_height("small") + p.px(4)
    labels = {"Proxy index at the end": "Proxy index, end",
              "Health index at the end": "Health index, end",
              "Goodhart gap": "Goodhart gap",
              "Leaderboard vs real contribution": "Ranks match work"}
    for label, mine, theirs in comparison_rows(d.proxy, d.health, d.rank_agreement, d.what_if):
        ranks = label.startswith("Leaderboard")
        show = (lambda v: f"{v:+.2f}") if ranks else format_number
        p.text(surface, labels[label], (x, y), "body", bold=True,
               max_width=cols[0] - x - p.width("00000", "body"))
        p.text(surface, show(mine), (cols[0], y), "body", anchor="topright")
        p.text(surface, show(theirs), (cols[1], y), "body", theme.FOCUS, bold=True,
               anchor="topright")
        y += p.line_height() + p.px(4)
    y += p.px(6)
    notes = [(_health_sentence(d), theme.TEXT),
             ("Ranks match work: 1 when the leaderboard ranked people by real contribution, "
              "\u22121 when in reverse.", theme.MUTED),
             (held_sentence(d.what_if), theme.MUTED)]
    for text, colour in notes:
        if y + p.line_height("small") > rect.bottom - p.px(8):
            break
        y += p.paragraph(surface, text, pygame.Rect(x, y, w, rect.bottom - p.px(8) - y),
                         "small", colour) + p.px(6)


def _health_sentence(d) -> str:
    """One sentence on the health index: where the replay ended against this game."""
    diff = d.what_if.health[-1] - d.health[-1]
    if abs(diff) < 1:
        return "The company ended about as healthy under either regime."
    better = "healthier" if diff > 0 else "less healthy"
    return (f"Under \u201c{d.what_if.regime}\u201d the company ended "
            f"{format_number(abs(diff))} points {better} than in this game.")
