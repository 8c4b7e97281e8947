"""The pygame window: scenes, widgets, charts and the projector theme. Only this package
imports pygame; it reads seats' views and the ended game, and never computes rules."""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")   # no banner on the terminal
