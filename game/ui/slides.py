"""Slides for the facilitator: the screens' own charts drawn again on a 1920×1080 surface.

Nothing here draws a chart of its own. A game's reveal is drawn by `game.ui.debrief` exactly as
the end screen draws it, and a workshop's debrief by `DebriefScene`'s own drawing methods on an
off-screen canvas, so an exported PNG shows what the projector showed (change since the start,
the gap shaded, the same colours and words), only sized for a 16:9 slide. No window is opened.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from types import SimpleNamespace

import pygame

from game.errors import SaveError
from game.ui import theme
from game.ui.debrief import Debrief, draw_layer, reveal_rect, reveal_title
from game.ui.draw import Painter

SLIDE = (1920, 1080)


def slide_painter(size: tuple[int, int] = SLIDE) -> Painter:
    """A painter at the scale a window of `size` would use (fonts set up if need be)."""
    if not pygame.font.get_init():
        pygame.font.init()
    return Painter(theme.scale_for(size))


def reveal_slide(d: Debrief, layer: int, predictions: dict[int, float],
                 size: tuple[int, int] = SLIDE) -> pygame.Surface:
    """Layer `layer` of a game's reveal, drawn as the end screen draws it in a window of
    `size` (title, layer chips and the layer itself), without the buttons and key hints."""
    painter = slide_painter(size)
    slide = pygame.Surface(size)
    slide.fill(theme.BG)
    reveal_title(slide, painter, d.title, layer, d.layers)
    rect = reveal_rect(painter, size)
    content = pygame.Surface(rect.size)
    content.fill(theme.BG)
    draw_layer(content, painter, content.get_rect(), d, layer, predictions)
    slide.blit(content, rect)
    return slide


def debrief_canvas(debrief, size: tuple[int, int] = SLIDE):
    """A `DebriefScene` drawing on an off-screen surface of `size` instead of a window."""
    from game.ui.scenes.debrief import DebriefScene
    host = SimpleNamespace(screen=pygame.Surface(size), scale=theme.scale_for(size),
                           painter=slide_painter(size), manager=None)
    return DebriefScene(host, debrief)


def debrief_slides(debrief, size: tuple[int, int] = SLIDE) -> dict[str, pygame.Surface]:
    """The debrief's views as slides by file name: `comparison.png` (every table, more pages
    as `comparison-2.png`...), `table-<id>.png` for each table, `conditions.png`."""
    scene = debrief_canvas(debrief, size)
    slides = {}
    pages = max(1, math.ceil(scene.count / scene.per_page))
    for page in range(pages):
        scene.page = page
        name = "comparison.png" if page == 0 else f"comparison-{page + 1}.png"
        slides[name] = scene.slide("all")
    for i, (_, _, summary) in enumerate(debrief.tables):
        scene.index = i
        slides[f"{table_slug(summary.label)}.png"] = scene.slide("table")
    if debrief.tables:
        slides["conditions.png"] = scene.slide("conditions")
    return slides


def write_slides(slides: dict[str, pygame.Surface], folder: Path) -> list[Path]:
    """Save each slide as a PNG in `folder` (written whole, then renamed into place)."""
    written = []
    for name, surface in slides.items():
        path = Path(folder) / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp.png")
            pygame.image.save(surface, str(tmp))
            tmp.replace(path)
        except (OSError, pygame.error) as err:
            raise SaveError(f"cannot write the slide: {err}", str(path)) from None
        written.append(path)
    return written


def export_debrief(debrief, folder: Path) -> list[Path]:
    """`goodhart debrief --export DIR` and E on the debrief screen: the CSV files
    (`game.workshop.export`) and the debrief's views as 1920×1080 PNG slides."""
    from game.workshop.export import export
    written = export(debrief, folder)
    return written + write_slides(debrief_slides(debrief), Path(folder))


def table_slug(label: str) -> str:
    """`Table A (seed 11)` -> `table-a-seed-11`; always starts with `table`."""
    slug = re.sub(r"[^A-Za-z0-9_]+", "-", label).strip("-").lower()
    return slug if slug.startswith("table") else f"table-{slug}".rstrip("-")


__all__ = ["SLIDE", "debrief_slides", "export_debrief", "reveal_slide", "write_slides"]
