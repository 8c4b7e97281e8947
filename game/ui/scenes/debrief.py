"""The workshop debrief on the projector: every table side by side, one table up close, and the
conditions averaged. It reads `game.workshop.debrief.Debrief` (built from result files) only.

Views: `all` (a small chart per table: proxy and health index, the condition, the end numbers,
the top of the leaderboard), `table` (one table: the big chart with the predictions marked,
the policies in force, the final scores against real contribution, the events) and
`conditions` (the mean lines of each condition, and their table of means).
"""

from __future__ import annotations

import math

import pygame

from game.ui import theme
from game.ui.chart import (Axes, Series, change_chart, draw_series, legend, legend_height,
                           nice_range, x_labels)
from game.ui.draw import panel
from game.ui.focus import FocusItem
from game.ui.scenes.base import Scene
from game.ui.scenes.debrief_table import TableView
from game.workshop.debrief import Debrief
from game.workshop.result import ResultFile

CONDITION_COLOURS = (theme.PURPLE, theme.GREEN, theme.BLUE, theme.YELLOW, theme.VERMILION)
PER_PAGE = 8
LEGEND = ([Series("Proxy index (what the leaderboard saw)", [], theme.PROXY),
           Series("Health index (what the company was)", [], theme.HEALTH, True)],
          [("gap: proxy ahead", theme.GAP)])


class DebriefScene(TableView, Scene):
    name = "debrief"
    help_lines = (
        "The workshop debrief: every table that sent a result file. Orange (solid) is the "
        "proxy index, what the leaderboard saw; blue (dashed) is the health index, what the "
        "company really was.",
        "All tables: Up/Down/Tab pick a table, Enter opens it, C shows the conditions averaged, "
        "E exports CSV and PNG charts. One table: Left/Right step through the tables, Esc "
        "goes back. Esc on the overview closes the debrief.",
    )

    def __init__(self, app, debrief: Debrief, export_dir=None) -> None:
        super().__init__(app)
        self.debrief = debrief
        self.view = "all"
        self.index = 0
        self.page = 0
        self.export_dir = export_dir
        names = list(dict.fromkeys(s.condition for s in debrief.summaries))
        self.colours = {c: CONDITION_COLOURS[i % len(CONDITION_COLOURS)]
                        for i, c in enumerate(names)}
        changes = [t.proxy_index - r.turns[0].proxy_index for r in debrief.results
                   for t in r.turns] + [t.health_index - r.turns[0].health_index
                                        for r in debrief.results for t in r.turns]
        changes += [x.predicted_health - r.turns[0].health_index for r in debrief.results
                    for x in r.predictions]
        self.range = nice_range(changes or [0.0])   # one scale for every table

    # --- navigation -----------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.debrief.tables)

    def show(self, view: str, index: int | None = None) -> None:
        self.view = view
        if index is not None:
            self.index = index % max(1, self.count)
            self.page = self.index // self.per_page
        self.frames = 0
        self.say("")
        self.rebuild()

    def on_key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key == pygame.K_ESCAPE:
            if self.view == "all":
                self.app.quit(0)
            else:
                self.show("all")
        elif key == pygame.K_c:
            self.show("all" if self.view == "conditions" else "conditions")
        elif key == pygame.K_e:
            self.export()
        elif self.view == "table" and key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.show("table", self.index + (1 if key == pygame.K_RIGHT else -1))
        elif self.view == "all" and key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            pages = math.ceil(self.count / self.per_page)
            self.page = (self.page + (1 if key == pygame.K_PAGEDOWN else -1)) % pages
            self.rebuild()
        else:
            return False
        return True

    def export(self) -> None:
        """Write the CSV files and charts (`goodhart debrief --export` does the same)."""
        from datetime import datetime

        from game.engine.save import save_dir
        from game.errors import GoodhartError
        from game.ui.slides import export_debrief
        folder = self.export_dir or save_dir().parent / "exports" / \
            f"debrief-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
        try:
            files = export_debrief(self.debrief, folder)
        except GoodhartError as err:
            self.say(err.message, bad=True)
            return
        self.say(f"Exported {len(files)} files to {folder}")

    # --- layout ---------------------------------------------------------------------------

    def build(self) -> None:
        w, h = self.size
        y, bh = h - self.px(100), self.px(52)
        right = w - self.px(24)
        buttons: list[tuple[str, object, str, int]]
        if self.view == "all":
            for i, rect in self._panels():
                self.focusable(FocusItem(f"table{i}", rect,
                                         activate=lambda i=i: self.show("table", i),
                                         label=self.debrief.summaries[i].label))
            buttons = [("Close", lambda: self.app.quit(0), "close", 150),
                       ("Export (E)", self.export, "export", 200),
                       ("Conditions (C)", lambda: self.show("conditions"), "conditions", 250)]
        elif self.view == "table":
            buttons = [("All tables", lambda: self.show("all"), "all", 200),
                       ("Next", lambda: self.show("table", self.index + 1), "next", 150),
                       ("Previous", lambda: self.show("table", self.index - 1), "previous", 170)]
        else:
            buttons = [("All tables", lambda: self.show("all"), "all", 200)]
        for label, callback, key, width in buttons:
            rect = pygame.Rect(right - self.px(width), y, self.px(width), bh)
            self.button(rect, label, callback, key, primary=key in ("conditions", "next"))
            right = rect.x - self.px(12)

    def enter(self) -> None:
        super().enter()
        self.ring.focus("table0")

    def content(self) -> pygame.Rect:
        w, h = self.size
        top = self.px(14) + self.painter.line_height("h2") + self.painter.line_height("body") \
            + self.px(24)
        return pygame.Rect(self.px(24), top, w - self.px(48), h - top - self.px(140))

    def _grid(self) -> pygame.Rect:
        """Where the overview's panels go: the content under the chart key."""
        area = self.content()
        labels = [s.label for s in LEGEND[0]] + [label for label, _ in LEGEND[1]]
        legend_h = legend_height(self.painter, area.width, labels) + self.px(6)
        return pygame.Rect(area.x, area.y + legend_h, area.width, area.height - legend_h)

    @property
    def per_page(self) -> int:
        """Tables on a page of the overview: eight (two rows) when a panel half as high still
        holds its title, condition, a chart and its lines of text; else four."""
        p = self.painter
        need = p.line_height("h3") + 9 * p.line_height("small") + self.px(120)
        return PER_PAGE if (self._grid().height - self.px(14)) // 2 >= need else PER_PAGE // 2

    def _panels(self) -> list[tuple[int, pygame.Rect]]:
        """Where each table of the current page goes: up to four a row, two rows if tall
        enough."""
        area = self._grid()
        first = self.page * self.per_page
        shown = list(range(first, min(self.count, first + self.per_page)))
        cols = min(4, max(1, len(shown)))
        rows = math.ceil(len(shown) / cols) if shown else 1
        gap = self.px(14)
        pw = (area.width - (cols - 1) * gap) // cols
        ph = (area.height - (rows - 1) * gap) // rows
        return [(i, pygame.Rect(area.x + (k % cols) * (pw + gap), area.y + (k // cols) * (ph + gap),
                                pw, ph)) for k, i in enumerate(shown)]

    # --- drawing --------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_view(surface)
        hints = {"all": "Enter: open a table · C: conditions · E: export · PageDown: more "
                        "tables · Esc: close · F1: help",
                 "table": "Left/Right: previous/next table · C: conditions · E: export · "
                          "Esc: all tables · F1: help",
                 "conditions": "C or Esc: all tables · E: export · F1: help"}
        self.draw_footer(surface, hints[self.view])

    def slide(self, view: str) -> pygame.Surface:
        """The view drawn as on screen, without buttons and key hints (for the PNG export):
        a copy of the scene's surface."""
        self.view = view
        surface = self.app.screen
        surface.fill(theme.BG)
        self.draw_view(surface)
        return surface.copy()

    def draw_view(self, surface: pygame.Surface) -> None:
        """The title and the current view (every table, one table, or the conditions)."""
        s = self.debrief.scenario
        title = f"Debrief — {s.title}" if s else "Debrief"
        workshop = next((r.workshop for r in self.debrief.results if r.workshop), "")
        sub = f"{self.count} tables" + (f" · {workshop}" if workshop else "")
        if self.debrief.problems:
            sub += f" · {len(self.debrief.problems)} file(s) left out (see the terminal)"
        self.draw_header(surface, title, sub)
        if self.view == "all":
            self._draw_all(surface)
        elif self.view == "table":
            self._draw_table(surface, self.index)
        else:
            self._draw_conditions(surface)

    def _chip(self, surface: pygame.Surface, condition: str, pos: tuple[int, int],
              max_width: int, size: str = "body") -> int:
        """The condition's name on a coloured box, wrapped to two lines at most (the name is
        always written out: colour is only a second cue); returns the box's bottom."""
        p = self.painter
        pad = self.px(8)
        lines = p.wrap(condition, max_width - 2 * pad, size, True)[:2]
        width = max(p.width(line, size, True) for line in lines) + 2 * pad
        rect = pygame.Rect(pos, (width, len(lines) * p.line_height(size) + self.px(4)))
        pygame.draw.rect(surface, self.colours.get(condition, theme.LINE), rect, border_radius=6)
        for k, line in enumerate(lines):
            p.text(surface, line, (rect.x + pad, rect.y + self.px(2) + k * p.line_height(size)),
                   size, theme.BG, bold=True)
        return rect.bottom

    def _chart(self, surface: pygame.Surface, rect: pygame.Rect, result: ResultFile,
               big: bool = False) -> Axes:
        """Both indices as change since the start (the shaded area is the gap), on the scale
        shared by every table so that the panels compare at a glance."""
        return change_chart(surface, self.painter, rect,
                            [t.proxy_index for t in result.turns],
                            [t.health_index for t in result.turns], self.range,
                            f"{result.scenario.turn_name}s" if big else "",
                            "change since the start, index points" if big else "")

    def _draw_all(self, surface: pygame.Surface) -> None:
        p = self.painter
        area = self.content()
        key = pygame.Rect(area.x, area.y, area.width, p.line_height("body"))
        legend(surface, p, key, *LEGEND)
        focus = self.ring.current.key if self.ring.current else ""
        for i, rect in self._panels():
            _, result, s = self.debrief.tables[i]
            panel(surface, rect, theme.PANEL_HI if focus == f"table{i}" else theme.PANEL,
                  theme.LINE)
            inner = rect.inflate(-self.px(20), -self.px(16))
            p.text(surface, s.label, inner.topleft, "h3", bold=True, max_width=inner.width)
            y = self._chip(surface, s.condition, (inner.x, inner.y + p.line_height("h3")),
                           inner.width, "small") + self.px(4)
            lines = [f"Health {s.health_start:.0f} to {s.health_end:.0f} · gap {s.gap_end:+.0f}"]
            if s.leader:
                lines.append(f"Top scorer: {s.leader}")
                lines.append(f"Real contribution: #{s.leader_contribution_rank} of "
                             f"{_role_size(result, s.leader)}")
            if result.predictions:
                guess = sum(x.predicted_health for x in result.predictions) / \
                    len(result.predictions)
                lines.append(f"Predicted {guess:.0f}, was {s.health_end:.0f}")
            if not s.finished:
                lines.append(f"Unfinished: {s.turns} of {result.scenario.turns}")
            if s.what_if is not None:
                lines.append(f"What if: health {s.what_if.health[-1]:.0f}, gap "
                             f"{s.what_if.gap[-1]:+.0f}")
            rows = [row for line in lines
                    for row in p.fitting(line, inner.width, ("small",), max_lines=2)[1]]
            text_h = len(rows) * p.line_height("small")
            # the chart has no axis titles here: its text can take their line
            chart = pygame.Rect(inner.x, y, inner.width, inner.bottom - y - text_h
                                + p.line_height("small") - self.px(6))
            if chart.height > 2 * p.line_height("small") + self.px(80):
                self._chart(surface, chart, result)
            elif inner.bottom - text_h < y:     # text over the condition: the tests read it
                p.cuts.append(f"{s.label}'s panel is too short for its text")
            p.lines(surface, rows, (inner.x, inner.bottom - text_h), "small")
        pages = math.ceil(self.count / self.per_page)
        if pages > 1:
            p.text(surface, f"Page {self.page + 1} of {pages} (PageDown for more)",
                   (area.right, area.bottom + self.px(4)), "small", theme.MUTED,
                   anchor="topright")

    def _draw_conditions(self, surface: pygame.Surface) -> None:
        p = self.painter
        area = self.content()
        conditions = self.debrief.conditions()
        table_h = (len(conditions) + 1) * p.line_height("body") + self.px(16)
        chart = pygame.Rect(area.x, area.y, area.width, area.height - table_h - self.px(10))
        length = min(len(r.turns) for r in self.debrief.results)
        series, keys = [], []
        for c in conditions:
            members = [r for _, r, s in self.debrief.tables if s.condition == c.condition]
            for attr, dashed, word in (("proxy_index", False, "proxy"),
                                       ("health_index", True, "health")):
                values = [sum(getattr(r.turns[t], attr) - getattr(r.turns[0], attr)
                              for r in members) / len(members) for t in range(length)]
                series.append(Series(f"{c.condition}: {word}", values,
                                     self.colours[c.condition], dashed))
            keys.append(Series(c.condition, [], self.colours[c.condition]))
        key_h = legend(surface, p, chart, keys) + self.px(6)
        lo, hi, step = nice_range([v for line in series for v in line.values])
        axes = Axes(p, pygame.Rect(chart.x, chart.y + key_h, chart.width, chart.height - key_h),
                    length, lo, hi, step)
        turn_name = self.debrief.scenario.turn_name if self.debrief.scenario else "turn"
        axes.draw_frame(surface, x_labels(length - 1), f"{turn_name}s",
                        "mean change since the start · solid: proxy index · dashed: health index")
        for line in series:
            draw_series(surface, axes, line)
        y = chart.bottom + self.px(10)
        cols = [area.x, area.x + int(area.width * 0.42), area.x + int(area.width * 0.52),
                area.x + int(area.width * 0.70), area.x + int(area.width * 0.86)]
        heads = ["Condition", "Tables", "Mean end health", "Health change", "Mean end gap"]
        for x, head in zip(cols, heads):
            p.text(surface, head, (x, y), "body", theme.FOCUS, bold=True)
        for c in conditions:
            y += p.line_height("body")
            values = [c.condition, str(len(c.tables)), f"{c.mean_health_end:.1f}",
                      f"{c.mean_health_change:+.1f}", f"{c.mean_gap_end:+.1f}"]
            for k, (x, value) in enumerate(zip(cols, values)):
                p.text(surface, value, (x, y), "body", self.colours[c.condition] if k == 0
                       else theme.TEXT, bold=k == 0, max_width=cols[1] - cols[0] - self.px(10))

    # --- demo and screenshots -------------------------------------------------------------

    def shot_name(self) -> str:
        if self.view == "table":
            return f"debrief-table-{self.index + 1}"
        return f"debrief-{self.view}"

    def autoplay(self) -> None:
        """Walk through every view once: all tables, each table, the conditions; then close."""
        if self.view == "all":
            self.show("table", 0)
        elif self.view == "table" and self.index + 1 < self.count:
            self.show("table", self.index + 1)
        elif self.view == "table":
            self.show("conditions")
        else:
            self.app.quit(0)


def _role_size(result: ResultFile, name: str) -> int:
    """How many reviewed seats share the role of the seat called `name`."""
    role = next((o.role for o in result.outcomes if o.name == name), None)
    return sum(1 for o in result.outcomes if o.role == role and o.leaderboard_rank is not None)
