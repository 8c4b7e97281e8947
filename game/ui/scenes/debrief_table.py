"""The workshop debrief's one-table view: the big chart with the predictions marked and the
table's what-if under it; beside it the indices, the final scores against real contribution,
the policies in force and the events (under the chart when they do not fit beside it)."""

from __future__ import annotations

import pygame

from game.ui import theme
from game.ui.chart import Axes, Series, legend
from game.ui.draw import format_number, panel
from game.workshop.result import ResultFile

MIN_CHART_LINES = 5     # a table's chart stays at least this many lines of body text tall


class TableView:
    """`DebriefScene`'s `table` view, kept apart from the overview and the conditions; it
    draws with the scene's painter, `content()`, `_chip` and `_chart`."""

    def _draw_table(self, surface: pygame.Surface, i: int) -> None:
        """Table `i` up close: its chart on the left half, its numbers on the right."""
        p = self.painter
        _, result, s = self.debrief.tables[i]
        area = self.content()
        split = area.width // 2
        left = pygame.Rect(area.x, area.y, split, area.height)
        right = pygame.Rect(area.x + split + self.px(20), area.y,
                            area.width - split - self.px(20), area.height)
        title = p.text(surface, f"{s.label} ({i + 1} of {self.count})", left.topleft, "h3",
                       bold=True, max_width=left.width // 2)
        chip_bottom = self._chip(surface, s.condition, (title.right + self.px(16), left.y),
                                 left.right - title.right - self.px(16), "small")
        top = max(title.bottom, chip_bottom) + self.px(8)
        key_h = legend(surface, p, pygame.Rect(left.x, top, left.width, 0),
                       [Series("Proxy index", [], theme.PROXY),
                        Series("Health index", [], theme.HEALTH, True)],
                       [("gap", theme.GAP)] + ([("predictions", theme.FOCUS)]
                                               if result.predictions else []))
        side = right.inflate(-self.px(28), -self.px(20))
        aside, notes, events_below = self._table_notes(side, left.width, result, s)
        strip = self._predictions_text(result)
        strip_size, strip_rows = p.fitting(strip, left.width, ("body", "small"), max_lines=3) \
            if strip else ("body", [])
        strip_h = len(strip_rows) * p.line_height(strip_size) + (self.px(6) if strip else 0)
        room = left.bottom - top - key_h - strip_h
        if room - self._rows_height(notes + events_below) < MIN_CHART_LINES * p.line_height():
            events_below = []            # the chart comes first; the events are in the export
        below = notes + events_below
        below_h = self._rows_height(below)
        chart = pygame.Rect(left.x, top + key_h, left.width, room - below_h)
        if chart.height < MIN_CHART_LINES * p.line_height():   # the tests read it
            p.cuts.append(f"{s.label}'s chart, squeezed to {chart.height} px")
        axes = self._chart(surface, chart, result, big=True)
        start = result.turns[0].health_index
        for x in result.predictions:
            self._prediction(surface, axes, x.predicted_health - start)
        p.lines(surface, strip_rows, (left.x, chart.bottom + self.px(6)), strip_size,
                theme.FOCUS)
        p.lines(surface, below, (left.x, left.bottom - below_h + self.px(6)), "small",
                theme.MUTED)
        panel(surface, right, theme.PANEL, theme.LINE)
        column = self._table_side(surface, side, result, s, events=aside)
        if column.cut is not None:      # rows left out are cut short too: the tests read it
            p.cuts.append(f"{s.label}'s side panel, from row {column.cut + 1} on")

    def _rows_height(self, rows: list[str]) -> int:
        """The height of small-text rows under the chart, with their gap above."""
        return len(rows) * self.painter.line_height("small") + (self.px(6) if rows else 0)

    def _table_notes(self, side: pygame.Rect, width: int, result: ResultFile,
                     s) -> tuple[int, list[str], list[str]]:
        """How many events the side panel `side` holds (as many of the first four as fit),
        and the rows (of `width`) under the chart: the what-if sentences, and the events
        when not even one fits aside."""
        p = self.painter
        mark = len(p.cuts)
        aside = next((n for n in range(min(4, len(result.events)), 0, -1)
                      if self._table_side(None, side, result, s, events=n).cut is None), 0)
        del p.cuts[mark:]                # only measured: what is drawn records its own cuts
        rows = [row for text in self._what_if_texts(s)
                for row in p.fitting(text, width, ("small",), max_lines=2)[1]]
        events = [] if aside or not result.events else [
            row for text in self._event_texts(result, most=2 if s.what_if else 4)
            for row in p.fitting(text, width, ("small",), max_lines=2)[1]]
        return aside, rows, events

    @staticmethod
    def _predictions_text(result: ResultFile) -> str:
        """`Predicted health at the end: Ana 40, Sam 55. It was 64.`, or nothing."""
        if not result.predictions:
            return ""
        guesses = ", ".join(f"{x.name} {x.predicted_health:.0f}" for x in result.predictions)
        return (f"Predicted health at the end: {guesses}. "
                f"It was {result.predictions[0].actual_health:.0f}.")

    def _prediction(self, surface: pygame.Surface, axes: Axes, change: float) -> None:
        """A predicted end health (as change since the start): a mark at the right edge."""
        x, y = axes.plot.right, axes.y(change)
        pygame.draw.line(surface, theme.FOCUS, (x - self.px(10), y), (x + self.px(10), y),
                         max(3, self.px(4)))

    def _table_side(self, surface: pygame.Surface | None, rect: pygame.Rect,
                    result: ResultFile, s, events: int):
        """The indices, final scores, policies (and the first `events` events) in `rect`;
        returns the `Column` (its `cut` says whether everything fitted; no surface: only
        measures)."""
        from game.ui.sidebar import Column
        c = Column(surface, self.painter, rect)
        c.row("Health index", f"{s.health_start:.1f} to {s.health_end:.1f}")
        c.row("Proxy index", f"{s.proxy_start:.1f} to {s.proxy_end:.1f}")
        c.row("Gap at the end", f"{s.gap_end:+.1f}", right_color=theme.BAD if s.gap_end > 0
              else theme.GOOD)
        c.heading("Final scores · real rank")
        role = next((o.role for o in result.outcomes if o.name == s.leader), None)
        board = sorted((o for o in result.outcomes if o.role == role
                        and o.leaderboard_rank is not None), key=lambda o: o.leaderboard_rank)
        for o in board[:6]:
            gone = ", laid off" if not o.employed else ""
            c.row(f"{o.leaderboard_rank}. {o.name}{gone}",
                  f"{format_number(o.score_total)} · #{o.contribution_rank}", size="small")
        c.heading("Policies in force")
        for policy in s.policies[:6] or ["none"]:
            c.row(policy, size="small")
        if events > 0 and result.events:
            c.heading(f"Events ({len(result.events)})")
            for text in self._event_texts(result, most=events):
                c.row(text, size="small")
        return c

    @staticmethod
    def _event_texts(result: ResultFile, most: int = 4) -> list[str]:
        """`Week 2: <headline>` for the first `most` events, and how many more there were."""
        turn = result.scenario.turn_name.capitalize()
        texts = [f"{turn} {e.turn}: {e.headline}" + (" (facilitator)" if e.injected else "")
                 for e in result.events[:most]]
        if len(result.events) > most:
            texts.append(f"and {len(result.events) - most} more (in the CSV export)")
        return texts

    @staticmethod
    def _what_if_texts(s) -> list[str]:
        """The table's what-if replay in two sentences (none without one): the same game
        played by bots under the contrasting regime, its end figures beside this table's."""
        w = s.what_if
        if w is None:
            return []
        return [f"What if: {w.regime} (bots, the same seed): health {w.health[-1]:.1f} "
                f"(here {s.health_end:.1f}), gap {w.gap[-1]:+.1f} (here {s.gap_end:+.1f}).",
                f"Ranks match work {w.rank_agreement:+.2f} there, {s.rank_agreement:+.2f} here "
                "(1: the leaderboard ranked people by real contribution)."]
