"""The scenario picker: each bundled scenario's title and plain-English summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from game.errors import GoodhartError
from game.scenario.load import list_bundled, load_scenario
from game.scenario.model import Scenario
from game.ui import theme
from game.ui.draw import panel
from game.ui.scenes.base import Scene

FLAGSHIP = "tokenmaxxing"


@dataclass
class Entry:
    name: str                 # what to load it by: a bundled name or a path
    scenario: Scenario | None
    error: str = ""

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario else Path(self.name).stem


_LOADED: dict[tuple[str, float], Entry] = {}


def load_entries(extra: str | None = None) -> list[Entry]:
    """Every bundled scenario (and `extra`, a file given on the command line), loaded once
    per version of its file."""
    paths = {p.stem: p for p in list_bundled()}
    names = list(paths)
    if extra is not None and Path(extra).stem not in names:
        names.append(extra)
    return [_entry(name, paths.get(name, Path(name))) for name in names]


def _entry(name: str, path: Path) -> Entry:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = 0.0
    key = (name, stamp)
    if key not in _LOADED:
        try:
            _LOADED[key] = Entry(name, load_scenario(name))
        except GoodhartError as err:
            _LOADED[key] = Entry(name, None, str(err))
    return _LOADED[key]


class PickerScene(Scene):
    name = "picker"
    help_lines = ("Choose the company you will run. Each scenario is a file: its metrics, "
                  "roles, policies and events. Up/Down to look at one, Enter to set up the table.",)

    def __init__(self, app, scenario: str | None = None, seed: int | None = None,
                 seats=None) -> None:
        super().__init__(app)
        self.wanted = scenario
        self.seed = seed
        self.seats = seats
        self.entries = load_entries(scenario)
        self.selected = self._initial()

    def _initial(self) -> int:
        for want in (self.wanted and Path(self.wanted).stem, FLAGSHIP):
            for i, entry in enumerate(self.entries):
                if want and Path(entry.name).stem == want:
                    return i
        return 0

    def build(self) -> None:
        w, h = self.size
        top = self.px(110)
        bw, bh = self._list_width(), self.px(54)
        x = self.px(24)
        rows = max(1, (h - top - self.px(170)) // (bh + self.px(10)))
        first = max(0, min(self.selected - rows + 1, len(self.entries) - rows))
        for i, entry in enumerate(self.entries[first:first + rows], start=first):
            rect = pygame.Rect(x, top + (i - first) * (bh + self.px(10)), bw, bh)
            self.button(rect, self.painter.fit(entry.title, bw - self.px(30), "body", True),
                        lambda i=i: self.choose(i), f"s{i}")
        back = pygame.Rect(x, h - self.px(130), self.px(160), bh)
        self.button(back, "Back", self.back, "back")
        self.ring.on_change = self._focus_moved

    def _list_width(self) -> int:
        """The scenario buttons' width: a third of the window, wider (up to 45%) when a
        title needs it, so that no title is cut."""
        w = self.size[0]
        widest = max([self.painter.width(e.title, "body", True) for e in self.entries] + [0])
        return min(int(w * 0.45), max(int(w * 0.34), widest + self.px(40)))

    def enter(self) -> None:
        wanted = self.selected
        super().enter()
        self.ring.focus(f"s{wanted}")

    def _focus_moved(self, item) -> None:
        self._focus_changed(item)
        if item is not None and item.key.startswith("s"):
            index = int(item.key[1:])
            if index != self.selected:
                self.selected = index

    def choose(self, index: int) -> None:
        entry = self.entries[index]
        self.selected = index
        if entry.scenario is None:
            self.say(f"This scenario cannot be loaded: {entry.error}", bad=True)
            return
        from game.ui.scenes.setup import SetupScene
        seats = self.seats if self.wanted and Path(self.wanted).stem == Path(entry.name).stem \
            else None
        self.app.go(SetupScene(self.app, entry.scenario, entry.name, self.seed, seats))

    def back(self) -> None:
        from game.ui.scenes.title import TitleScene
        self.app.go(TitleScene(self.app, self.wanted, self.seed, self.seats))

    escape = back

    def draw(self, surface: pygame.Surface) -> None:
        self.draw_header(surface, "Choose a scenario", f"{len(self.entries)} scenarios")
        w, h = self.size
        box = pygame.Rect(self._list_width() + self.px(48), self.px(110), 0, 0)
        box.width, box.height = w - box.x - self.px(24), h - box.y - self.px(80)
        panel(surface, box, theme.PANEL, theme.LINE)
        if not self.entries:
            self.painter.paragraph(surface, "No scenarios found. Put a scenario file in the "
                                   "scenarios folder, or give one on the command line.",
                                   box.inflate(-self.px(40), -self.px(40)))
        else:
            self._draw_entry(surface, self.entries[self.selected], box.inflate(-self.px(40),
                                                                               -self.px(32)))
        self.draw_footer(surface, "Up/Down: look   ·   Enter: choose   ·   Esc: back   ·   F1: help")

    def _draw_entry(self, surface: pygame.Surface, entry: Entry, rect: pygame.Rect) -> None:
        p = self.painter
        p.text(surface, entry.title, rect.topleft, "h2", bold=True, max_width=rect.width)
        y = rect.y + p.line_height("h2") + self.px(6)
        s = entry.scenario
        if s is None:
            p.paragraph(surface, entry.error, pygame.Rect(rect.x, y, rect.width, rect.bottom - y),
                        "body", theme.BAD)
            return
        roles = ", ".join(f"{r.name} ({r.seats.min}–{r.seats.max})" if r.seats.max > 1
                          else r.name for r in s.roles)
        facts = f"{s.turns} {s.turn_name}s · about {s.minutes} minutes · {roles}"
        y += p.paragraph(surface, facts, pygame.Rect(rect.x, y, rect.width, p.line_height() * 2),
                         "body", theme.FOCUS) + self.px(12)
        texts = [" ".join(s.summary.split())] + ["\u2022 " + " ".join(g.split()) for g in s.goals]
        size, gap = next(((size, gap) for size, gap in (("body", 8), ("small", 8), ("small", 2))
                          if sum(len(p.wrap(t, rect.width, size)) * p.line_height(size)
                                 + self.px(gap) for t in texts) <= rect.bottom - y + self.px(gap)),
                         ("small", 2))
        for n, text in enumerate(texts):
            if y + p.line_height(size) > rect.bottom:
                break
            y += p.paragraph(surface, text, pygame.Rect(rect.x, y, rect.width, rect.bottom - y),
                             size, theme.TEXT if n == 0 else theme.MUTED) + self.px(gap)

    def autoplay(self) -> None:
        self.choose(self.selected)
