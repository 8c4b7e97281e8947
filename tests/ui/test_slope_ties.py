"""The debrief's slope chart gives seats with a shared rank places of their own."""

from __future__ import annotations

import pygame

from game.ui.chart import slope_chart
from game.ui.draw import Painter


def test_shared_ranks_are_drawn_one_below_the_other():
    pygame.init()
    surface = pygame.Surface((900, 420))
    painter = Painter(1.0)
    labels: list[tuple[str, tuple[int, int]]] = []
    text = painter.text

    def record(surface, words, pos, *args, **kwargs):
        labels.append((words, pos))
        return text(surface, words, pos, *args, **kwargs)

    painter.text = record
    rows = [("Ana", 1, 3), ("Ben", 1, 1), ("Cleo", 3, 1), ("Dev", 4, 4), ("Eve", 4, 1)]
    slope_chart(surface, painter, pygame.Rect(20, 20, 860, 380), rows)
    left = [pos for words, pos in labels if ". " in words]
    right = [pos for words, pos in labels if words.startswith("#")]
    assert len(left) == len(right) == 5
    assert len(set(left)) == 5 and len(set(right)) == 5  # before: "1. Ana" on "1. Ben"
    assert [w for w, _ in labels if ". " in w] == ["1. Ana", "1. Ben", "3. Cleo", "4. Dev",
                                                   "4. Eve"]
