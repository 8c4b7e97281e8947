"""The projector theme: where the assets are, the colour-blind-safe palette, text sizes.

Colours follow the Okabe–Ito palette (safe for the common colour-vision deficiencies) on a
dark, high-contrast background; meaning is never carried by colour alone (lines also differ
in pattern, rank changes are written in words). Sizes are for a 1280×720 window and grow with
larger windows, so text stays readable from the back of a room.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASSET_DIRS = (HERE / "assets", HERE.parents[1] / "assets")

# Okabe–Ito
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)
VERMILION = (213, 94, 0)
PURPLE = (204, 121, 167)

BG = (17, 20, 24)
PANEL = (30, 38, 46)
PANEL_HI = (44, 58, 72)
LINE = (70, 82, 94)
TEXT = (245, 247, 250)
MUTED = (190, 198, 206)
FOCUS = YELLOW
GOOD = (60, 200, 160)     # a lighter bluish green, readable as text on BG
BAD = (240, 120, 40)      # a lighter vermilion, readable as text on BG
PROXY = ORANGE
HEALTH = SKY
GAP = VERMILION

SIZES = {"small": 20, "body": 22, "h3": 26, "h2": 32, "h1": 64}
BASE = (1280, 720)


def scale_for(size: tuple[int, int]) -> float:
    """How much larger than the 1280×720 design the window is (0.8 to 2.0)."""
    return max(0.8, min(2.0, size[0] / BASE[0], size[1] / BASE[1]))


def assets_dir() -> Path | None:
    """The folder with theme.json and the fonts: the package's copy, else the repository's."""
    for folder in ASSET_DIRS:
        if (folder / "theme.json").is_file():
            return folder
    return None


def font_file(bold: bool = False) -> str:
    """The UI font (Noto Sans, SIL Open Font Licence); pygame_gui's own copy if ours is missing."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    folder = assets_dir()
    if folder is not None and (folder / "fonts" / name).is_file():
        return str(folder / "fonts" / name)
    import pygame_gui
    return str(Path(pygame_gui.__file__).parent / "data" / name)


def ui_theme(scale: float = 1.0) -> dict:
    """The pygame_gui theme from assets/theme.json, font paths made absolute, sizes scaled."""
    folder = assets_dir()
    theme = json.loads((folder / "theme.json").read_text("utf-8")) if folder else {}
    for block in theme.values():
        font = block.get("font") if isinstance(block, dict) else None
        if not font:
            continue
        font["size"] = str(round(int(font.get("size", SIZES["body"])) * scale))
        font["regular_path"] = font_file(False)
        font["bold_path"] = font_file(True)
    return theme


def px(n: float, scale: float) -> int:
    """A design length in pixels at this scale."""
    return int(round(n * scale))
