"""The picture of `goodhart sweep` for a slide: where the scenario's lesson holds.

Two varied things make a heat map (one along, one down), one makes a bar per value. A cell's
or bar's colour is the share of its games in which the lesson held (its weakest lesson), from
vermilion (never) through grey (half) to bluish green (always); the words "holds" or "fails"
and the share are written on it too, so colour is never the only sign. Drawn off-screen at
1920x1080 with the projector theme; no window is opened.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.analysis.sweep import Axis, CellResult
from game.ui import theme
from game.ui.chart import _dashed
from game.ui.draw import Painter
from game.ui.slides import SLIDE, slide_painter, write_slides

__all__ = ["draw_sweep", "save_sweep_plot", "share_colour"]

NEUTRAL = (96, 104, 112)
HALF = "50%: holds above"
"""The legend's middle mark: the lesson holds in a cell where it held in more than half."""
UNJUDGED = (58, 66, 74)


def share_colour(share: float | None) -> tuple[int, int, int]:
    """The colour of a share of games (0..1) in which the lesson held; None: not judged."""
    if share is None:
        return UNJUDGED
    low, high, t = ((theme.VERMILION, NEUTRAL, share * 2) if share < 0.5
                    else (NEUTRAL, theme.GREEN, share * 2 - 1))
    return tuple(round(a + (b - a) * t) for a, b in zip(low, high))  # type: ignore[return-value]


def _share(result: CellResult) -> float | None:
    weakest = result.verdict.weakest
    return None if weakest is None else weakest[1]


def _verdict_words(result: CellResult) -> str:
    """`holds 84%`, `fails 20%` or `not judged`."""
    share = _share(result)
    if share is None:
        return "not judged"
    return f"{'holds' if result.verdict.holds else 'fails'} {share:.0%}"


def _regime_words(result: CellResult) -> str:
    """The regime a cell's games followed, or `neither regime`."""
    return result.verdict.regime or "neither regime"


def _title(surface: pygame.Surface, p: Painter, title: str, subtitle: str) -> int:
    """The title and subtitle at the top; returns the y below them."""
    margin = p.px(32)
    top = p.text(surface, title, (margin, margin), "h2", bold=True,
                 max_width=surface.get_width() - 2 * margin).bottom
    size, lines = p.fitting(subtitle, surface.get_width() - 2 * margin, ("body", "small"),
                            max_lines=2)
    for line in lines:
        top = p.text(surface, line, (margin, top + p.px(4)), size, theme.MUTED).bottom
    return top + p.px(20)


def _legend(surface: pygame.Surface, p: Painter, rect: pygame.Rect) -> None:
    """The colour scale (0% at the bottom, 100% at the top) with its meaning, and the swatch
    of a cell that no lesson judges."""
    p.text(surface, "lesson held in", (rect.x, rect.y), "body", bold=True)
    p.text(surface, "(share of games)", (rect.x, rect.y + p.line_height("body")), "small",
           theme.MUTED)
    bar = pygame.Rect(rect.x, rect.y + p.line_height("body") * 2 + p.px(12), p.px(36),
                      rect.height - p.line_height("body") * 5)
    for y in range(bar.height):
        pygame.draw.line(surface, share_colour(1 - y / max(1, bar.height - 1)),
                         (bar.x, bar.y + y), (bar.right - 1, bar.y + y))
    for share, words in ((1.0, "100%"), (0.5, HALF), (0.0, "0%")):
        y = bar.bottom - round(share * (bar.height - 1))
        pygame.draw.line(surface, theme.TEXT, (bar.right, y), (bar.right + p.px(8), y), 2)
        p.text(surface, words, (bar.right + p.px(14), y), "small", anchor="midleft")
    swatch = pygame.Rect(bar.x, bar.bottom + p.px(24), bar.width, bar.width)
    pygame.draw.rect(surface, UNJUDGED, swatch)
    p.text(surface, "not judged", (swatch.right + p.px(14), swatch.centery), "small",
           anchor="midleft")


def _cell_text(surface: pygame.Surface, p: Painter, rect: pygame.Rect, result: CellResult,
               regime: bool) -> None:
    """The verdict, the gap and (when `regime`) the regime followed, centred in `rect`, each
    in the largest size that fits."""
    room = rect.width - p.px(12)
    lines = [(_verdict_words(result), ("h3", "body", "small"), True),
             (f"gap {result.gap:+.1f}", ("body", "small"), False)]
    if regime:
        lines.append((_regime_words(result), ("small",), False))
    sized = [(text, next((z for z in sizes if p.width(text, z, bold) <= room), sizes[-1]),
              bold) for text, sizes, bold in lines]
    y = rect.centery - sum(p.line_height(size) for _, size, _ in sized) // 2
    for text, size, bold in sized:
        p.text(surface, text, (rect.centerx, y), size, theme.TEXT, bold=bold, anchor="midtop",
               max_width=room)
        y += p.line_height(size)


def _label(surface: pygame.Surface, p: Painter, text: str, pos: tuple[int, int], width: int,
           anchor: str) -> None:
    """An axis value in at most two lines of `width`, placed by `anchor` (`midtop` under a
    column, `midright` left of a row)."""
    size, lines = p.fitting(text, width, ("body", "small"), max_lines=2)
    step = p.line_height(size)
    x, y = pos
    top = y if anchor == "midtop" else y - step * len(lines) // 2
    for i, line in enumerate(lines):
        p.text(surface, line, (x, top + i * step), size, anchor="midtop" if anchor == "midtop"
               else "topright")


def _shows_regime(axes: list[Axis], results: list[CellResult]) -> bool:
    """Whether cells should name the regime they followed: when it differs between cells and
    no regime axis already says it."""
    regime_axis = any(a.kind == "regime" for a in axes)
    return not regime_axis and len({r.verdict.regime for r in results}) > 1


def _heat_map(surface: pygame.Surface, p: Painter, rect: pygame.Rect, axes: list[Axis],
              results: list[CellResult]) -> None:
    """Cells laid out with the first axis along and the second down (a regime axis, whose
    names are long, always along)."""
    swap = axes[1].kind == "regime" and axes[0].kind != "regime"
    across, down = (axes[1], axes[0]) if swap else (axes[0], axes[1])
    label_w = min(max(p.width(label, "body") for label in down.labels) + p.px(20),
                  rect.width // 5)
    title_h = p.line_height("body") + p.px(8)
    grid = pygame.Rect(rect.x + label_w + title_h, rect.y, rect.width - label_w - title_h,
                       rect.height - 2 * title_h - p.line_height("body") - p.px(8))
    w, h = grid.width / len(across.labels), grid.height / len(down.labels)
    regimes = _shows_regime(axes, results)
    for index, result in enumerate(results):
        i, j = divmod(index, len(axes[1].labels))
        if swap:
            i, j = j, i
        cell = pygame.Rect(round(grid.x + i * w), round(grid.y + j * h), round(w) - p.px(6),
                           round(h) - p.px(6))
        pygame.draw.rect(surface, share_colour(_share(result)), cell, border_radius=p.px(6))
        _cell_text(surface, p, cell, result, regimes)
    for i, label in enumerate(across.labels):
        _label(surface, p, label, (round(grid.x + (i + 0.5) * w), grid.bottom + p.px(4)),
               round(w) - p.px(8), "midtop")
    for j, label in enumerate(down.labels):
        _label(surface, p, label, (grid.x - p.px(14), round(grid.y + (j + 0.5) * h)),
               label_w - p.px(20), "midright")
    p.text(surface, across.name, (grid.centerx, rect.bottom), "body", theme.MUTED, bold=True,
           anchor="midbottom")
    name = pygame.transform.rotate(p.render(down.name, "body", theme.MUTED, bold=True), 90)
    p.drawn.append(down.name)
    surface.blit(name, name.get_rect(midleft=(rect.x, grid.centery)))


def _under_bar(surface: pygame.Surface, p: Painter, result: CellResult, pos: tuple[int, int],
               width: int, regime: bool) -> None:
    """A bar's value (and, when `regime`, the regime its games followed, muted), each in at
    most two lines of `width` under the bar."""
    size, lines = p.fitting(result.cell.labels[0], width, ("body", "small"), max_lines=2)
    x, y = pos
    for line in lines:
        y = p.text(surface, line, (x, y), size, anchor="midtop").bottom
    if regime:
        size, lines = p.fitting(_regime_words(result), width, ("small",), max_lines=2)
        for line in lines:
            y = p.text(surface, line, (x, y), size, theme.MUTED, anchor="midtop").bottom


def _bars(surface: pygame.Surface, p: Painter, rect: pygame.Rect, axis: Axis,
          results: list[CellResult]) -> None:
    """A bar per value: its height the share of games in which the lesson held."""
    left = p.width("100%", "small") + p.px(16)
    below = 3 * p.line_height("body") + 2 * p.line_height("small") + p.px(16)
    plot = pygame.Rect(rect.x + left, rect.y + p.line_height("h3") * 2 + p.px(8),
                       rect.width - left, rect.height - p.line_height("h3") * 2 - below)
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = plot.bottom - round(share * plot.height)
        pygame.draw.line(surface, theme.LINE, (plot.x, y), (plot.right, y), 1)
        p.text(surface, f"{share:.0%}", (plot.x - p.px(8), y), "small", theme.MUTED,
               anchor="midright")
    w = plot.width / len(axis.labels)
    regimes = _shows_regime([axis], results)
    for i, result in enumerate(results):
        share = _share(result)
        top = plot.bottom - round((share or 0.0) * plot.height)
        bar = pygame.Rect(round(plot.x + i * w + w * 0.15), top, round(w * 0.7),
                          max(2, plot.bottom - top))
        pygame.draw.rect(surface, share_colour(share), bar)
        p.text(surface, f"gap {result.gap:+.1f}", (bar.centerx, bar.y - p.px(6)), "body",
               anchor="midbottom", max_width=round(w))
        p.text(surface, _verdict_words(result), (bar.centerx, bar.y - p.px(6)
               - p.line_height("body")), "h3", bold=True, anchor="midbottom", max_width=round(w))
        _under_bar(surface, p, result, (bar.centerx, plot.bottom + p.px(6)),
                   round(w) - p.px(8), regimes)
    half = plot.bottom - plot.height // 2
    _dashed(surface, theme.TEXT, (plot.x, half), (plot.right, half), 3, p.px(12))
    p.text(surface, axis.name, (plot.centerx, rect.bottom), "body", theme.MUTED, bold=True,
           anchor="midbottom")


def draw_sweep(title: str, subtitle: str, axes: list[Axis], results: list[CellResult],
               size: tuple[int, int] = SLIDE) -> tuple[pygame.Surface, Painter]:
    """The sweep's picture on a new surface of `size`, and the painter that drew its text.
    Cells not done (an interrupted sweep) are left out; a heat map then shows them empty."""
    p = slide_painter(size)
    surface = pygame.Surface(size)
    surface.fill(theme.BG)
    regimes = {_regime_words(r) for r in results}
    if len(regimes) == 1:
        subtitle += f"; the games followed: {regimes.pop()}"
    top = _title(surface, p, title, subtitle)
    margin = p.px(32)
    legend_w = max(p.width("(share of games)", "small"),
                   p.px(50) + p.width(HALF, "small")) + p.px(24)
    body = pygame.Rect(margin, top, size[0] - 3 * margin - legend_w, size[1] - top - margin)
    if len(axes) == 2:
        _heat_map(surface, p, body, axes, results)
    else:
        _bars(surface, p, body, axes[0], results)
    _legend(surface, p, pygame.Rect(body.right + margin, top + p.px(20), legend_w,
                                    body.height - p.px(20)))
    return surface, p


def save_sweep_plot(path: Path, title: str, subtitle: str, axes: list[Axis],
                    results: list[CellResult]) -> Path:
    """Draw the sweep and write it to `path` as a PNG (whole, then renamed into place)."""
    surface, _ = draw_sweep(title, subtitle, axes, results)
    write_slides({Path(path).name: surface}, Path(path).parent)
    return Path(path)
