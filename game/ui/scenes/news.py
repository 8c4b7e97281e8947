"""News and resolution, shown to the whole table: headlines and how the leaderboard moved."""

from __future__ import annotations

import pygame

from game.engine.view import LeaderRow
from game.ui import theme
from game.ui.draw import format_number, panel
from game.ui.play import Play
from game.ui.scenes.base import Scene
from game.ui.sidebar import publishes_leaderboards


def rank_change(row: LeaderRow, previous: list[LeaderRow]) -> tuple[str, tuple]:
    """How a seat moved since the last review, in words (colour is only a second cue)."""
    before = next((r.rank for r in previous if r.seat == row.seat), None)
    if before is None:
        return ("new", theme.MUTED)
    if before > row.rank:
        return (f"up {before - row.rank}", theme.GOOD)
    if before < row.rank:
        return (f"down {row.rank - before}", theme.BAD)
    return ("same", theme.MUTED)


class NewsScene(Scene):
    name = "news"
    help_lines = ("This screen is public: everyone at the table may look. It shows the "
                  "headlines that landed this turn (or, after a change of policy, what the "
                  "change means for each role) and the published leaderboard after the last "
                  "review. Press Enter to go on.",)

    def __init__(self, app, play: Play) -> None:
        super().__init__(app)
        self.play = play
        self.news = play.public_news()

    def build(self) -> None:
        w, h = self.size
        rect = pygame.Rect(w - self.px(24) - self.px(260), h - self.px(120), self.px(260),
                           self.px(56))
        label = "See the reveal" if self.news.ended else "Continue"
        self.button(rect, label, self.proceed, "continue", primary=True)

    def proceed(self) -> None:
        from game.ui.scenes import scene_for_step
        self.play.news_seen()
        self.app.go(scene_for_step(self.app, self.play))

    def escape(self) -> None:
        self.leave()

    def draw(self, surface: pygame.Surface) -> None:
        n = self.news
        turn_name = n.turn_name.capitalize()
        title = ("The game is over: the final review" if n.ended
                 else f"{turn_name} {n.turn} of {n.turns}: new policies" if n.policies
                 else f"{turn_name} {n.turn} of {n.turns}: the news")
        top = self.draw_header(surface, title, "Public screen: everyone at the table may look.")
        w, h = self.size
        split = int(w * 0.55)
        left = pygame.Rect(self.px(24), top, split - self.px(36), h - top - self.px(140))
        right = pygame.Rect(split, top, w - split - self.px(24), h - top - self.px(140))
        if n.policies:
            self._draw_policies(surface, left)
        else:
            self._draw_headlines(surface, left)
        self._draw_boards(surface, right)
        self.draw_footer(surface, "Enter: continue   ·   Esc: leave the game   ·   F1: help")

    def _draw_headlines(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        p = self.painter
        p.text(surface, "Headlines", rect.topleft, "h3", theme.FOCUS, bold=True)
        y = rect.y + p.line_height("h3") + self.px(6)
        if not self.news.headlines:
            quiet = ("No more news. The reviews are in." if self.news.ended
                     else f"A quiet {self.news.turn_name}: no news.")
            p.text(surface, quiet, (rect.x, y), "body", theme.MUTED)
            if self.news.turn == 1 and not self.news.ended:
                self._draw_intro(surface, pygame.Rect(rect.x, y + self.px(40), rect.width,
                                                      rect.bottom - y - self.px(40)))
            return
        for headline in self.news.headlines:
            if y + p.line_height("h3") > rect.bottom:
                break
            box = pygame.Rect(rect.x, y, rect.width, 0)
            inner = rect.width - self.px(32)
            tag = "  (announced by the facilitator)" if headline.injected else ""
            title = p.wrap(headline.headline + tag, inner, "h3", bold=True)[:2]
            lines = p.wrap(" ".join(headline.text.split()), inner, "body")
            top = len(title) * p.line_height("h3")
            box.height = min(rect.bottom - y, top + len(lines[:4]) * p.line_height("body")
                             + self.px(20))
            panel(surface, box, theme.PANEL, theme.LINE)
            for i, line in enumerate(title):
                p.text(surface, line, (box.x + self.px(16),
                                       box.y + self.px(8) + i * p.line_height("h3")),
                       "h3", bold=True, max_width=inner)
            p.paragraph(surface, " ".join(headline.text.split()),
                        pygame.Rect(box.x + self.px(16), box.y + self.px(8) + top, inner,
                                    box.height - top - self.px(12)),
                        "body", theme.MUTED)
            y = box.bottom + self.px(12)

    def _draw_policies(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Each policy change in a panel: what changed, then what it means for each role."""
        p = self.painter
        p.text(surface, "Policy changes, in force from now", rect.topleft, "h3", theme.FOCUS,
               bold=True, max_width=rect.width)
        y = rect.y + p.line_height("h3") + self.px(6)
        inner = rect.width - self.px(32)
        for n, (first, *rest) in enumerate(self.news.policies):
            title = p.wrap(first, inner, "h3", bold=True)[:2]
            lines = [line for text in rest for line in p.wrap(text, inner, "body")]
            height = len(title) * p.line_height("h3") + len(lines) * p.line_height("body")
            box = pygame.Rect(rect.x, y, rect.width, height + self.px(20))
            if box.bottom > rect.bottom:
                more = [c[0].split(":")[0] for c in self.news.policies[n:]]
                p.paragraph(surface, "Also changed: " + ", ".join(more) + ".",
                            pygame.Rect(rect.x, y, rect.width, rect.bottom - y), "body",
                            theme.MUTED)
                break
            panel(surface, box, theme.PANEL, theme.LINE)
            x, ty = box.x + self.px(16), box.y + self.px(8)
            ty += p.lines(surface, title, (x, ty), "h3", bold=True)
            p.lines(surface, lines, (x, ty), "body")   # wrapped above, the box made to fit
            y = box.bottom + self.px(12)

    def _draw_intro(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        s = self.play.scenario
        p = self.painter
        p.text(surface, s.title, rect.topleft, "h3", bold=True, max_width=rect.width)
        inner = pygame.Rect(rect.x, rect.y + p.line_height("h3"), rect.width,
                            rect.height - p.line_height("h3"))
        p.paragraph(surface, " ".join(s.summary.split()), inner, "body", theme.TEXT)

    def _draw_boards(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        p = self.painter
        p.text(surface, "Leaderboard", rect.topleft, "h3", theme.FOCUS, bold=True)
        y = rect.y + p.line_height("h3") + self.px(6)
        if not self.news.boards and not self.news.own:
            text = (f"No published leaderboard yet: reviews come at the end of each "
                    f"{self.news.turn_name}." if publishes_leaderboards(self.play.scenario)
                    else "None: this company publishes no ranking.")
            p.paragraph(surface, text,
                        pygame.Rect(rect.x, y, rect.width, rect.height), "body", theme.MUTED)
            return
        step = p.line_height("body") + self.px(4)
        for role, rows in self.news.boards.items():
            if len(self.news.boards) > 1:
                p.text(surface, self.play.scenario.role(role).name, (rect.x, y), "body", bold=True)
                y += step
            previous = self.news.previous.get(role, [])
            for row in rows:
                if y + step > rect.bottom - step:
                    break
                self._board_row(surface, row, previous, rect, y)
                y += step
        y = self._draw_own(surface, rect, y, step)
        if self.news.laid_off:
            p.text(surface, "Laid off: " + ", ".join(self.news.laid_off),
                   (rect.x, min(y + self.px(8), rect.bottom - step)), "body", theme.BAD,
                   max_width=rect.width)

    def _draw_own(self, surface: pygame.Surface, rect: pygame.Rect, y: int, step: int) -> int:
        """The scenario's own leaderboards below the reviews' (as many rows as fit); the y
        below them."""
        p = self.painter
        for board in self.news.own:
            if y + self.px(6) + step * (1 + min(len(board.rows), 3)) > rect.bottom - step:
                break  # not even its top rows fit
            y += self.px(6)
            p.text(surface, board.name, (rect.x, y), "body", bold=True, max_width=rect.width)
            y += step
            for row in board.rows:
                if y + step > rect.bottom - step:
                    break
                p.text(surface, f"{row.rank}.", (rect.x, y), "body", bold=True)
                p.text(surface, row.name, (rect.x + self.px(44), y), "body",
                       max_width=rect.width - self.px(250))
                p.text(surface, format_number(row.score), (rect.right - self.px(110), y),
                       "body", anchor="topright")
                y += step
        return y

    def _board_row(self, surface, row: LeaderRow, previous, rect: pygame.Rect, y: int) -> None:
        p = self.painter
        change, color = rank_change(row, previous)
        p.text(surface, f"{row.rank}.", (rect.x, y), "body", bold=True)
        p.text(surface, row.name, (rect.x + self.px(44), y), "body",
               max_width=rect.width - self.px(250))
        p.text(surface, format_number(row.score), (rect.right - self.px(110), y), "body",
               anchor="topright")
        p.text(surface, change, (rect.right, y), "body", color, anchor="topright")

    def autoplay(self) -> None:
        self.proceed()

    def shot_name(self) -> str:
        if self.news.policies:
            return "news-policies"
        return "news-final" if self.news.ended else ("news" if self.news.turn > 1 else "news-start")
