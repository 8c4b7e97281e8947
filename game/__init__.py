"""Goodhart: an incentive-design tabletop game engine."""

__version__ = "0.1.0"
