"""What `goodhart sweep` prints and writes: a table of cells, one summary sentence, a CSV."""

from __future__ import annotations

import csv
import io
import sys

from game.analysis.sweep import Axis, CellResult

__all__ = ["SYMBOLS", "cells_csv", "summary_line", "sweep_table", "symbols"]

SYMBOLS = {"arrow": "\u2192", True: "\u2713", False: "\u2717", None: "\u2013"}
ASCII = {"arrow": "->", True: "yes", False: "no", None: "-"}
SHORT_WHY = {"no regime declared": "none declared",
             "no regime followed more than another": "neither"}
WHY_WORDS = {"no regime declared": "the scenario declares no what_if regime",
             "no regime followed more than another": "their games followed neither regime",
             "no lesson for this regime": "no lesson reads the policies of the regime followed"}


def symbols(stream=None) -> dict:
    """The arrow and the holds/fails/not-judged marks, in ASCII where the terminal cannot
    print ✓ and ✗."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "ascii"
    try:
        "".join(str(v) for v in SYMBOLS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return SYMBOLS


def _lesson_cell(result: CellResult, marks: dict) -> str:
    """`✓ 84%`: holds or not, and the share of games in which its weakest lesson held."""
    verdict = result.verdict
    weakest = verdict.weakest
    if weakest is None:
        return f"{marks[None]} not judged"
    return f"{marks[verdict.holds]} {weakest[1]:.0%}"


def _followed_is_axis(axes: list[Axis], results: list[CellResult]) -> bool:
    """Whether a regime axis already says, in every cell, the regime its games followed."""
    at = next((i for i, a in enumerate(axes) if a.kind == "regime"), None)
    return at is not None and all(r.verdict.regime == r.cell.labels[at] for r in results)


def sweep_table(axes: list[Axis], results: list[CellResult], marks: dict = SYMBOLS) -> str:
    """One row per cell: the varied values, the regime its games followed most (unless a
    regime axis says it), the proxy and health indices start -> end, the gap, and whether
    the lesson holds."""
    arrow = marks["arrow"]
    followed = not _followed_is_axis(axes, results)
    head = [a.name for a in axes] + ["regime followed"] * followed + [
        "proxy", "health", "gap", "lesson holds"]
    rows = [[*r.cell.labels,
             *[r.verdict.regime or f"({SHORT_WHY.get(r.verdict.why, '-')})"] * followed,
             f"{r.proxy_start:.1f} {arrow} {r.proxy_end:.1f}",
             f"{r.health_start:.1f} {arrow} {r.health_end:.1f}", f"{r.gap:+.1f}",
             _lesson_cell(r, marks)] for r in results]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    numeric = set(range(len(axes) + followed, len(head) - 1))

    def line(row: list[str]) -> str:
        return "  ".join(text.rjust(w) if i in numeric else text.ljust(w)
                         for i, (text, w) in enumerate(zip(row, widths))).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *(line(row) for row in rows)])


def _cell_words(axes: list[Axis], result: CellResult) -> str:
    return ", ".join(f"{a.name}={label}" for a, label in zip(axes, result.cell.labels))


def _slices(axes: list[Axis], judged: list[CellResult], chosen: list[CellResult]
            ) -> tuple[str, list[CellResult]]:
    """The one axis's values whose judged cells are all `chosen` and cover the most of them
    (`growth is 0.2 or 0.3`, "" if none), and the chosen cells they leave out."""
    best: tuple[str, list[CellResult]] = ("", chosen)
    for i, axis in enumerate(axes):
        whole = [label for label in axis.labels
                 if (cells := [r for r in judged if r.cell.labels[i] == label])
                 and all(r in chosen for r in cells)]
        if not whole or len(whole) == len(axis.labels):
            continue
        left = [r for r in chosen if r.cell.labels[i] not in whole]
        if len(left) < len(best[1]):
            best = (f"{axis.name} is {' or '.join(whole)}", left)
    return best


def _where(axes: list[Axis], judged: list[CellResult], chosen: list[CellResult]) -> str:
    """Where the `chosen` cells are, as briefly as the grid allows: whole rows of one axis
    (`growth is 0.2`), then the other cells one by one (`(growth=0.5, regime=...)`)."""
    if not axes:
        return "the one cell"
    words, left = _slices(axes, judged, chosen)
    cells = [f"({_cell_words(axes, r)})" for r in left[:3]]
    listed = ", ".join(cells) + (f" and {len(left) - 3} more cells" if len(left) > 3 else "")
    if words and listed:
        return f"{words}, and at {listed}"
    return words or listed


def _short(text: str, most: int = 70) -> str:
    return text if len(text) <= most else text[:most - 1].rstrip() + "\u2026"


def summary_line(axes: list[Axis], results: list[CellResult], total: int) -> str:
    """`lesson holds in 14 of 16 cells; fails where ...` (or `holds only where ...` when it
    fails in most cells), naming the lesson missed most, and the cells not judged and why."""
    judged = [r for r in results if r.verdict.holds is not None]
    failing = [r for r in judged if r.verdict.holds is False]
    holding = [r for r in judged if r.verdict.holds]
    text = f"lesson holds in {len(holding)} of {len(judged)} cells" if judged else \
        "no cell judged"
    if failing and holding and len(holding) < len(failing):
        text += f"; holds only where {_where(axes, judged, holding)}"
    elif failing and holding:
        text += f"; fails where {_where(axes, judged, failing)}"
    if failing:
        missed = min((r.verdict.weakest for r in failing), key=lambda w: w[1])
        text += (f" (the lesson missed most: \"{_short(missed[0])}\", held in {missed[1]:.0%} "
                 "of the games of its worst cell)")
    whys: dict[str, int] = {}
    for r in results:
        if r.verdict.holds is None:
            whys[r.verdict.why] = whys.get(r.verdict.why, 0) + 1
    for why, n in whys.items():
        text += f"; {n} not judged: {WHY_WORDS.get(why, why)}"
    if len(results) < total:
        text += f" ({len(results)} of {total} cells done)"
    return text


def cells_csv(axes: list[Axis], results: list[CellResult]) -> str:
    """One row per cell: the varied values, the regime, the mean indices and gap, whether
    the lesson holds, and its weakest lesson with the share of games in which it held."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([a.name for a in axes] + [
        "regime_followed", "runs", "proxy_start", "proxy_end", "health_start", "health_end", "gap",
        "lesson_holds", "weakest_lesson_share", "weakest_lesson"])
    for r in results:
        weakest = r.verdict.weakest
        holds = {True: "yes", False: "no", None: ""}[r.verdict.holds]
        writer.writerow([*r.cell.labels, r.verdict.regime or "", r.runs,
                         *(f"{x:.4f}" for x in (r.proxy_start, r.proxy_end, r.health_start,
                                               r.health_end, r.gap)),
                         holds, f"{weakest[1]:.4f}" if weakest else "",
                         weakest[0] if weakest else ""])
    return out.getvalue()
