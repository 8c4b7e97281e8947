"""The pygame window: scenes, widgets, charts and the projector theme. Only this package
imports pygame; it reads seats' views and the ended game, and never computes rules."""
