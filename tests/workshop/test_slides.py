"""The debrief's PNG slides are the debrief screen itself, drawn at 1920×1080: the same charts
(change since the start, the gap shaded), colours and words as on the projector."""

from __future__ import annotations

import os

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
pygame = pytest.importorskip("pygame")

from game.ui import theme  # noqa: E402
from game.ui.slides import SLIDE, export_debrief  # noqa: E402
from game.workshop.debrief import collect  # noqa: E402


def blend(color: tuple, alpha: int, under: tuple) -> tuple:
    """`color` at `alpha` (0-255) drawn over `under`, as pygame blends it."""
    return tuple(u + ((c - u) * alpha + 127) // 255 for c, u in zip(color, under))


def colours(surface: pygame.Surface, rect: pygame.Rect) -> dict[tuple, int]:
    counts: dict[tuple, int] = {}
    for x in range(rect.left, rect.right, 2):
        for y in range(rect.top, rect.bottom, 2):
            c = tuple(surface.get_at((x, y)))[:3]
            counts[c] = counts.get(c, 0) + 1
    return counts


def test_each_table_slide_is_the_screen_at_1920x1080(four_tables, tmp_path):
    from game.ui.app import App
    from game.ui.scenes.debrief import DebriefScene
    debrief = collect(four_tables)
    files = {p.name: p for p in export_debrief(debrief, tmp_path / "out")}
    assert {"comparison.png", "conditions.png", "table-a.png", "table-d.png"} <= set(files)
    app = App(SLIDE, fps=0)
    try:
        app.go(DebriefScene(app, debrief))
        app.step()
        for view, index, name in (("table", 0, "table-a.png"), ("all", 0, "comparison.png"),
                                  ("conditions", 0, "conditions.png")):
            app.scene.show(view, index)
            app.scene.ring.focus("all" if view != "all" else "close")
            app.step()
            slide = pygame.image.load(str(files[name]))
            assert slide.get_size() == (1920, 1080)
            area = app.scene.content()
            same = slide.subsurface(area).copy()
            screen = app.screen.subsurface(area).copy()
            assert pygame.image.tobytes(same, "RGB") == pygame.image.tobytes(screen, "RGB"), \
                f"{name} differs from the {view} view on screen"
        found = colours(pygame.image.load(str(files["table-a.png"])), area)
        assert found.get(theme.PROXY, 0) > 50 and found.get(theme.HEALTH, 0) > 50
        shade = blend(theme.GAP, 110, theme.BG)
        near = sum(n for c, n in found.items() if max(abs(a - b) for a, b in zip(c, shade)) <= 2)
        assert near > 500, "the gap is shaded in the screen's vermilion"
    finally:
        pygame.display.quit()
