"""The sweep's slide: every cell's verdict written in words, nothing cut, colour by share."""

from __future__ import annotations

import pytest

from game.analysis.lesson_check import Verdict
from game.analysis.sweep import Axis, Cell, CellResult, cells_of
from game.ui import theme
from game.ui.sweep_plot import draw_sweep, share_colour

REGIMES = Axis("regime", "regime", (0.0, 1.0), ("The token leaderboard",
                                                "Outcome metrics with counter-goals"),
               ({"token_leaderboard": 1}, {"outcome_metrics": 1}))
GROWTH = Axis("growth", "constant", (0.2, 0.35, 0.5, 0.65), ("0.2", "0.35", "0.5", "0.65"))


def _results(axes: list[Axis]) -> list[CellResult]:
    out = []
    for i, cell in enumerate(cells_of(axes)):
        share = (i % 5) / 4
        verdict = (Verdict("The token leaderboard", (("A lesson.", share),)) if i % 3
                   else Verdict(None, (), "no regime followed more than another"))
        out.append(CellResult(cell, 50, 23.6, 50.0 + i, 76.8, 40.0 - i, 10.0 * i - 30, verdict))
    return out


@pytest.mark.parametrize("axes", [[GROWTH, REGIMES], [REGIMES, GROWTH], [GROWTH], [REGIMES]],
                         ids=["growth-by-regime", "regime-by-growth", "bars", "regime-bars"])
def test_every_cell_says_its_verdict_in_words_and_nothing_is_cut(axes):
    results = _results(axes)
    surface, painter = draw_sweep("Tokenmaxxing at Parcelwise: where the lesson holds",
                                  "50 runs a cell, seed 1, manager=hype, "
                                  "employee=craft+gamer x3", axes, results)
    assert surface.get_size() == (1920, 1080)
    assert painter.cuts == []
    for r in results:
        share = r.verdict.weakest
        words = "not judged" if share is None else \
            f"{'holds' if r.verdict.holds else 'fails'} {share[1]:.0%}"
        assert words in painter.drawn
        assert f"gap {r.gap:+.1f}" in painter.drawn
    for axis in axes:
        assert axis.name in painter.drawn


def test_the_colour_runs_from_vermilion_through_grey_to_green():
    assert share_colour(0.0) == theme.VERMILION and share_colour(1.0) == theme.GREEN
    assert share_colour(None) != share_colour(0.5)
    # a row of cells from 0% to 100% gets lighter in green and darker in red all the way
    greens = [share_colour(s / 10)[1] for s in range(11)]
    assert greens == sorted(greens)


def test_a_cell_is_placed_by_its_values():
    axes = [GROWTH, REGIMES]
    assert [c.labels for c in cells_of(axes)][:2] == [
        ("0.2", "The token leaderboard"), ("0.2", "Outcome metrics with counter-goals")]
    assert isinstance(cells_of(axes)[0], Cell)
