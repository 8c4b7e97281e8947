"""Charts drawn with pygame: index lines over the turns with the gap shaded, ranks set against
contribution, and a timeline of events. Lines differ in pattern and markers as well as colour."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.ui import theme
from game.ui.draw import Painter


@dataclass
class Series:
    label: str
    values: list[float]
    color: tuple
    dashed: bool = False


def x_labels(turns: int) -> list[str]:
    return ["start"] + [str(t) for t in range(1, turns + 1)]


def nice_range(values: list[float]) -> tuple[float, float, float]:
    """Axis bounds that include 0 and every value, and a round tick step."""
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = max(hi - lo, 4.0)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 5)
    lo = step * (int(lo // step) - (1 if lo < 0 and lo % step == 0 else 0))
    hi = step * -int(-hi // step)
    if hi - lo < 2 * step:
        hi = lo + 2 * step
    return lo, hi, step


def signed(v: float) -> str:
    return "0" if abs(v) < 1e-9 else (f"+{v:g}" if v > 0 else f"\u2212{-v:g}")


class Axes:
    """Maps turn index and values into a plot rect, and draws the frame."""

    def __init__(self, painter: Painter, rect: pygame.Rect, points: int, lo: float, hi: float,
                 step: float) -> None:
        self.p = painter
        left = painter.width("\u2212100", "small") + painter.px(14)
        bottom = painter.line_height("small") * 2 + painter.px(6)
        self.plot = pygame.Rect(rect.x + left, rect.y + painter.px(8), rect.width - left
                                - painter.px(24), rect.height - bottom - painter.px(8))
        self.points = max(2, points)
        self.lo, self.hi, self.step = lo, hi, step

    def x(self, i: float) -> int:
        return int(self.plot.x + self.plot.width * i / (self.points - 1))

    def y(self, v: float) -> int:
        share = (v - self.lo) / ((self.hi - self.lo) or 1)
        return int(self.plot.bottom - self.plot.height * max(0.0, min(1.0, share)))

    def draw_frame(self, surface: pygame.Surface, labels: list[str], xtitle: str,
                   ytitle: str) -> None:
        p = self.p
        v, n = self.lo, 0
        zero = round(-self.lo / self.step)       # lines are labelled every `apart` from 0,
        ticks = round((self.hi - self.lo) / self.step) or 1   # so that labels never touch
        apart = max(1, -(-p.line_height("small") * ticks // max(1, self.plot.height)))
        while v <= self.hi + 1e-9:
            y = self.y(v)
            color, width = (theme.MUTED, 2) if abs(v) < 1e-9 else (theme.LINE, 1)
            pygame.draw.line(surface, color, (self.plot.x, y), (self.plot.right, y), width)
            if (n - zero) % apart == 0:
                p.text(surface, signed(v), (self.plot.x - p.px(8), y), "small", theme.MUTED,
                       anchor="midright")
            v, n = v + self.step, n + 1
        every = max(1, -(-len(labels) * p.px(56) // max(1, self.plot.width)))
        for i, label in enumerate(labels):
            if i % every == 0 or i == len(labels) - 1:   # the first clear of the value labels
                p.text(surface, label, (self.x(i), self.plot.bottom + p.px(4)), "small",
                       theme.MUTED, anchor="topleft" if i == 0 else "midtop")
        below = self.plot.bottom + p.px(4) + p.line_height("small")
        p.text(surface, xtitle, (self.plot.right, below), "small", theme.MUTED, anchor="topright")
        p.text(surface, ytitle, (self.plot.x, below), "small", theme.MUTED,
               max_width=self.plot.width - p.width(xtitle, "small") - p.px(24))


def _dashed(surface: pygame.Surface, color, a: tuple[int, int], b: tuple[int, int],
            width: int, dash: int) -> None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = max(1.0, (dx * dx + dy * dy) ** 0.5)
    n = int(length // dash)
    for k in range(0, n + 1, 2):
        t0, t1 = k * dash / length, min(1.0, (k + 1) * dash / length)
        pygame.draw.line(surface, color, (a[0] + dx * t0, a[1] + dy * t0),
                         (a[0] + dx * t1, a[1] + dy * t1), width)


def draw_series(surface: pygame.Surface, axes: Axes, series: Series) -> None:
    p = axes.p
    pts = [(axes.x(i), axes.y(v)) for i, v in enumerate(series.values)]
    width = max(3, p.px(5))
    for a, b in zip(pts, pts[1:]):
        if series.dashed:
            _dashed(surface, series.color, a, b, width, p.px(14))
        else:
            pygame.draw.line(surface, series.color, a, b, width)
    r = max(4, p.px(7))
    for x, y in pts:
        if series.dashed:
            pygame.draw.rect(surface, series.color, (x - r, y - r, 2 * r, 2 * r))
        else:
            pygame.draw.circle(surface, series.color, (x, y), r)


def shade_gap(surface: pygame.Surface, axes: Axes, top: list[float], bottom: list[float]) -> None:
    """Fill between two lines: vermilion where `top` is ahead, green where `bottom` is."""
    layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    for i in range(len(top) - 1):
        a0, a1, b0, b1 = top[i], top[i + 1], bottom[i], bottom[i + 1]
        d0, d1 = a0 - b0, a1 - b1
        pieces = [(i, i + 1, a0, a1, b0, b1)]
        if d0 * d1 < 0:  # the lines cross: split the segment where they meet
            t = d0 / (d0 - d1)
            m = a0 + (a1 - a0) * t
            pieces = [(i, i + t, a0, m, b0, m), (i + t, i + 1, m, a1, m, b1)]
        for x0, x1, p0, p1, q0, q1 in pieces:
            ahead = (p0 - q0) + (p1 - q1) > 0
            color = (*theme.GAP, 110) if ahead else (*theme.GREEN, 110)
            quad = [(axes.x(x0), axes.y(p0)), (axes.x(x1), axes.y(p1)),
                    (axes.x(x1), axes.y(q1)), (axes.x(x0), axes.y(q0))]
            pygame.draw.polygon(layer, color, quad)
    surface.blit(layer, (0, 0))


def _legend_places(painter: Painter, rect: pygame.Rect,
                   labels: list[str]) -> list[tuple[int, int]]:
    """Where each key entry (a sample, then its label) starts: left to right, wrapping to a
    new line when the next one would run past `rect`."""
    places, x, y = [], rect.x, rect.y
    for label in labels:
        width = painter.px(54) + painter.width(label, "body", True)
        if x > rect.x and x + width > rect.right:
            x, y = rect.x, y + painter.line_height("body") + painter.px(4)
        places.append((x, y))
        x += width + painter.px(28)
    return places


def legend_height(painter: Painter, width: int, labels: list[str]) -> int:
    """The height `legend` takes for entries labelled `labels` in a rect `width` wide."""
    rows = {y for _, y in _legend_places(painter, pygame.Rect(0, 0, width, 0), labels)}
    return max(1, len(rows)) * (painter.line_height("body") + painter.px(4))


def legend(surface: pygame.Surface, painter: Painter, rect: pygame.Rect,
           entries: list[Series], boxes: list[tuple[str, tuple]] = ()) -> int:
    """Line samples and colour boxes with labels, wrapping inside `rect`; the height used."""
    items = [(s.label, s, None) for s in entries] + [(label, None, c) for label, c in boxes]
    places = _legend_places(painter, rect, [label for label, _, _ in items])
    for (label, series, color), (x, y) in zip(items, places):
        mid = y + painter.line_height("body") // 2
        if series is not None:
            draw = _dashed if series.dashed else None
            end = (x + painter.px(44), mid)
            if draw:
                draw(surface, series.color, (x, mid), end, max(3, painter.px(5)), painter.px(10))
            else:
                pygame.draw.line(surface, series.color, (x, mid), end, max(3, painter.px(5)))
        else:
            pygame.draw.rect(surface, color, (x, mid - painter.px(9), painter.px(44),
                                              painter.px(18)))
        painter.text(surface, label, (x + painter.px(54), y), "body", bold=True,
                     max_width=rect.right - x - painter.px(54))
    return legend_height(painter, rect.width, [label for label, _, _ in items])


def change_chart(surface: pygame.Surface, painter: Painter, rect: pygame.Rect,
                 proxy: list[float], health: list[float], scale: tuple[float, float, float],
                 xtitle: str = "", ytitle: str = "") -> Axes:
    """Both indices as change since their first value on `scale` (lo, hi, step), the gap
    between them shaded, health dashed under proxy solid; returns the axes."""
    dp, dh = [v - proxy[0] for v in proxy], [v - health[0] for v in health]
    axes = Axes(painter, rect, len(dp), *scale)
    axes.draw_frame(surface, x_labels(len(dp) - 1), xtitle, ytitle)
    shade_gap(surface, axes, dp, dh)
    draw_series(surface, axes, Series("", dh, theme.HEALTH, True))
    draw_series(surface, axes, Series("", dp, theme.PROXY))
    return axes


def index_chart(surface: pygame.Surface, painter: Painter, rect: pygame.Rect, proxy: list[float],
                health: list[float], turn_name: str, reveal_health: bool,
                short: bool = False) -> Axes:
    """Both indices as change since the start, so the shaded area between them is the gap.

    The axes always fit both series, so revealing health adds a line without moving the proxy."""
    p0, h0 = proxy[0], health[0]
    dp, dh = [v - p0 for v in proxy], [v - h0 for v in health]
    lines = [Series("Proxy index" if short else "Proxy index (what the leaderboard rewards)",
                    dp, theme.PROXY)]
    boxes = []
    if reveal_health:
        lines.append(Series("Health index" if short else "Health index (what the company needs)",
                            dh, theme.HEALTH, True))
        gaps = [a - b for a, b in zip(dp, dh)]
        boxes = ([("gap: proxy ahead", theme.GAP)] if max(gaps) > 0.5 else []) + \
                ([("health ahead", theme.GREEN)] if min(gaps) < -0.5 else [])
    key_h = legend(surface, painter, rect, lines, boxes) + painter.px(4)
    plot = pygame.Rect(rect.x, rect.y + key_h, rect.width, rect.height - key_h)
    titles = (turn_name + "s", "change since the start, index points")
    if reveal_health:
        return change_chart(surface, painter, plot, proxy, health, nice_range(dp + dh), *titles)
    axes = Axes(painter, plot, len(proxy), *nice_range(dp + dh))
    axes.draw_frame(surface, x_labels(len(proxy) - 1), *titles)
    draw_series(surface, axes, lines[0])
    return axes


def slope_chart(surface: pygame.Surface, painter: Painter, rect: pygame.Rect,
                rows: list[tuple[str, int, int]]) -> None:
    """Each seat's leaderboard rank (left) joined to its real-contribution rank (right).
    A line going down means the leaderboard flattered the seat; colour repeats it."""
    if not rows:
        return
    p = painter
    n = len(rows)
    head = p.line_height("body") + p.px(16)
    room = rect.height - head - p.line_height("body")
    step = min(p.px(64), room / max(1, n - 1)) if n > 1 else 0
    left_x, right_x = rect.x + int(rect.width * 0.52), rect.right - int(rect.width * 0.14)
    p.text(surface, "Leaderboard rank", (left_x, rect.y), "body", theme.PROXY, bold=True,
           anchor="midtop")
    p.text(surface, "Contribution rank", (right_x, rect.y), "body", theme.HEALTH, bold=True,
           anchor="midtop")

    def y(place: int) -> int:
        return int(rect.y + head + p.line_height("body") // 2 + place * step)
    # each seat has its own place on each side (equal ranks, which can be shared, one
    # below the other), labelled with its rank
    by_board = sorted(range(n), key=lambda i: rows[i][1])
    by_real = {i: place for place, i in enumerate(
        sorted(range(n), key=lambda i: (rows[i][2], rows[i][1])))}
    for place, i in enumerate(by_board):
        name, board, real = rows[i]
        left_y, right_y = y(place), y(by_real[i])
        color = theme.GOOD if real < board else (theme.BAD if real > board else theme.MUTED)
        pygame.draw.line(surface, color, (left_x, left_y), (right_x, right_y), max(3, p.px(4)))
        pygame.draw.circle(surface, theme.PROXY, (left_x, left_y), p.px(8))
        pygame.draw.rect(surface, theme.HEALTH, (right_x - p.px(8), right_y - p.px(8),
                                                 p.px(16), p.px(16)))
        p.text(surface, f"{board}. {name}", (left_x - p.px(18), left_y), "body",
               anchor="midright", max_width=left_x - rect.x - p.px(24))
        p.text(surface, f"#{real}", (right_x + p.px(18), right_y), "body", bold=True,
               anchor="midleft")


def timeline(surface: pygame.Surface, painter: Painter, axes: Axes, top: int, bottom: int,
             events: list[tuple[int, str]]) -> None:
    """Events as numbered markers under the chart's turn axis; labels listed by the caller."""
    p = painter
    pygame.draw.line(surface, theme.MUTED, (axes.plot.x, top), (axes.plot.right, top), 2)
    size = p.px(30)
    stacked: dict[int, int] = {}
    for n, (turn, _) in enumerate(events, start=1):
        x = axes.x(max(0.0, turn - 0.5))
        level = stacked.get(turn, 0)
        stacked[turn] = level + 1
        box = pygame.Rect(0, 0, size, size)
        box.midtop = (x, top + p.px(6) + level * (size + p.px(4)))
        if box.bottom > bottom:
            continue
        pygame.draw.line(surface, theme.FOCUS, (x, axes.plot.y), (x, top), 1)
        pygame.draw.rect(surface, theme.FOCUS, box, border_radius=6)
        p.text(surface, str(n), box.center, "small", theme.BG, bold=True, anchor="center")
