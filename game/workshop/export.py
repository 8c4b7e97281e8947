"""Debrief exports for slides and spreadsheets: CSV in long format, summary CSVs, PNG charts.

`export(debrief, folder)` writes:
- `debrief-long.csv`: one row per table, turn and metric (columns `table, condition, turn,
  metric, value`); the metrics are `proxy_index`, `health_index`, `gap` and every scenario
  metric by id, and for a table with a what-if replay `what_if_proxy_index`,
  `what_if_health_index` and `what_if_gap`. Turn 0 is the start of the game.
- `debrief-tables.csv`: one row per table with its headline numbers, and its what-if's
  (`what_if_regime`, `what_if_proxy_end`, ...; empty when it has none).
- `debrief-conditions.csv`: one row per condition with the means over its tables.
- `table-<id>.png`: each table's proxy and health index over the turns, and the gap (and its
  what-if replay's two indices, dotted).
- `comparison.png`: every table side by side on the same scale, titled with its condition.
- `conditions.png`: the mean health and proxy index of each condition over the turns.

Charts are drawn by matplotlib on its Agg canvas, without a window and without touching
pyplot's global state.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from game.engine.save import write_atomic
from game.errors import SaveError
from game.workshop.debrief import Debrief, TableSummary
from game.workshop.result import ResultFile

__all__ = ["LONG_COLUMNS", "export", "long_rows"]

LONG_COLUMNS = ["table", "condition", "turn", "metric", "value"]
INDEX_METRICS = ("proxy_index", "health_index", "gap")
PROXY_COLOUR, HEALTH_COLOUR, GAP_COLOUR = "#d9480f", "#2b8a3e", "#5f3dc4"


def long_rows(debrief: Debrief) -> list[dict[str, object]]:
    """The long-format rows: table, condition, turn, metric, value."""
    rows: list[dict[str, object]] = []
    for _, result, summary in debrief.tables:
        for t in result.turns:
            values = {"proxy_index": t.proxy_index, "health_index": t.health_index,
                      "gap": t.gap, **t.metrics}
            for metric, value in values.items():
                rows.append({"table": summary.label, "condition": summary.condition,
                             "turn": t.turn, "metric": metric, "value": round(value, 6)})
        rows += _what_if_rows(summary)
    return rows


def _what_if_rows(summary: TableSummary) -> list[dict[str, object]]:
    """The table's what-if replay as long rows: `what_if_proxy_index`, `what_if_health_index`
    and `what_if_gap` for every turn (none when the table has no what-if)."""
    w = summary.what_if
    if w is None:
        return []
    return [{"table": summary.label, "condition": summary.condition, "turn": turn,
             "metric": f"what_if_{metric}", "value": round(series[turn], 6)}
            for metric, series in (("proxy_index", w.proxy), ("health_index", w.health),
                                   ("gap", w.gap))
            for turn in range(len(series))]


def _table_row(s: TableSummary) -> dict[str, object]:
    return {"table": s.label, "table_id": s.table_id, "condition": s.condition, "seed": s.seed,
            "finished": s.finished, "turns": s.turns, "proxy_start": _r(s.proxy_start),
            "proxy_end": _r(s.proxy_end), "health_start": _r(s.health_start),
            "health_end": _r(s.health_end), "gap_end": _r(s.gap_end), "gap_max": _r(s.gap_max),
            "proxy_health_correlation": _r(s.correlation), "leader": s.leader,
            "leader_contribution_rank": s.leader_contribution_rank,
            "prediction_error": None if s.prediction_error is None else _r(s.prediction_error),
            "policies": "; ".join(s.policies), "rank_agreement": _r(s.rank_agreement),
            **_what_if_columns(s)}


def _what_if_columns(s: TableSummary) -> dict[str, object]:
    """The what-if's end figures for the tables CSV (empty cells when there is none)."""
    w = s.what_if
    return {"what_if_regime": w.regime if w else "",
            "what_if_proxy_end": _r(w.proxy[-1]) if w else None,
            "what_if_health_end": _r(w.health[-1]) if w else None,
            "what_if_gap_end": _r(w.gap[-1]) if w else None,
            "what_if_rank_agreement": _r(w.rank_agreement) if w else None}


def _r(value: float) -> float:
    return round(value, 6)


def _csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export(debrief: Debrief, folder: Path) -> list[Path]:
    """Write the CSVs and charts into `folder` (created if needed); returns the files written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise SaveError("--export needs a folder, and this is a file", str(folder))
    written = []
    tables = [_table_row(s) for s in debrief.summaries]
    conditions = [{"condition": c.condition, "tables": len(c.tables),
                   "table_names": "; ".join(c.tables), "mean_proxy_end": _r(c.mean_proxy_end),
                   "mean_health_end": _r(c.mean_health_end),
                   "mean_health_change": _r(c.mean_health_change),
                   "mean_gap_end": _r(c.mean_gap_end)} for c in debrief.conditions()]
    files = {"debrief-long.csv": _csv(long_rows(debrief), LONG_COLUMNS),
             "debrief-tables.csv": _csv(tables, list(tables[0]) if tables else ["table"]),
             "debrief-conditions.csv": _csv(conditions, list(conditions[0]) if conditions
                                            else ["condition"])}
    try:
        for name, text in files.items():
            write_atomic(folder / name, text)
            written.append(folder / name)
        written += _charts(debrief, folder)
    except OSError as err:
        raise SaveError(f"cannot write the export: {err.strerror or err}", str(folder)) from None
    return written


# --- Charts ---

def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _plot_what_if(ax, what_if) -> None:
    """The what-if replay's proxy and health index, thin and dotted."""
    turns = list(range(len(what_if.proxy)))
    for series, colour, word in ((what_if.proxy, PROXY_COLOUR, "proxy"),
                                 (what_if.health, HEALTH_COLOUR, "health")):
        ax.plot(turns, series, color=colour, linewidth=1.4, linestyle=":", alpha=0.8,
                label=f"what if \"{what_if.regime}\": {word}")


def _plot_table(ax, result: ResultFile, title: str, legend: bool,
                what_if=None) -> None:
    """Proxy and health index of one table on one axis, and the gap as a dashed line (and
    `what_if`'s two indices, dotted, if given)."""
    turns = [t.turn for t in result.turns]
    proxy = [t.proxy_index for t in result.turns]
    health = [t.health_index for t in result.turns]
    gap = [t.gap for t in result.turns]
    ax.axhline(0, color="#868e96", linewidth=0.8)
    ax.plot(turns, gap, color=GAP_COLOUR, linewidth=1.6, linestyle="--",
            label="gap (proxy's rise minus health's rise)")
    ax.plot(turns, proxy, color=PROXY_COLOUR, linewidth=2.2, marker="o", markersize=3,
            label="proxy index (what the leaderboard sees)")
    ax.plot(turns, health, color=HEALTH_COLOUR, linewidth=2.2, marker="o", markersize=3,
            label="health index (what the company is)")
    if what_if is not None:
        _plot_what_if(ax, what_if)
    ax.set_ylim(min(0.0, min(gap) - 5), 100)
    ax.set_xlim(0, max(turns[-1], 1))
    _whole_turns(ax)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(result.scenario.turn_name)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="upper left", fontsize=7, frameon=False)


def _charts(debrief: Debrief, folder: Path) -> list[Path]:
    written = []
    for _, result, summary in debrief.tables:
        fig = _figure(7, 4)
        ax = fig.add_subplot()
        _plot_table(ax, result, f"{summary.label}: {summary.condition}", legend=True,
                    what_if=result.what_if)
        ax.set_ylabel("index (0-100)")
        written.append(_save(fig, folder / f"{_slug(summary.label)}.png"))
    if debrief.tables:
        written.append(_comparison(debrief, folder / "comparison.png"))
        written.append(_conditions(debrief, folder / "conditions.png"))
    return written


def _comparison(debrief: Debrief, path: Path) -> Path:
    """Every table side by side (at most four a row), the same scale everywhere."""
    n = len(debrief.tables)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    fig = _figure(3.6 * cols, 3.0 * rows + 0.6)
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False)
    for k, (_, result, summary) in enumerate(debrief.tables):
        _plot_table(axes[k // cols][k % cols], result, f"{summary.label}\n{summary.condition}",
                    legend=k == 0)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    lowest = min(t.gap for r in debrief.results for t in r.turns)
    axes[0][0].set_ylim(min(0.0, lowest - 5), 100)   # shared by every panel
    title = debrief.scenario.title if debrief.scenario else "Debrief"
    fig.suptitle(f"{title}: proxy index against health index, table by table", fontsize=12)
    return _save(fig, path)


def _conditions(debrief: Debrief, path: Path) -> Path:
    """The mean proxy and health index of each condition over the turns."""
    fig = _figure(7, 4)
    ax = fig.add_subplot()
    styles = ["-", "--", ":", "-."]
    for k, cond in enumerate(debrief.conditions()):
        members = [r for _, r, s in debrief.tables if s.condition == cond.condition]
        length = min(len(r.turns) for r in members)
        turns = list(range(length))
        for attr, colour, word in (("proxy_index", PROXY_COLOUR, "proxy"),
                                   ("health_index", HEALTH_COLOUR, "health")):
            mean = [sum(getattr(r.turns[t], attr) for r in members) / len(members)
                    for t in turns]
            ax.plot(turns, mean, color=colour, linestyle=styles[k % len(styles)], linewidth=2,
                    label=f"{cond.condition}: {word} ({len(members)} tables)")
    ax.set_ylim(0, 100)
    _whole_turns(ax)
    ax.set_ylabel("mean index (0-100)")
    ax.set_xlabel(debrief.scenario.turn_name if debrief.scenario else "turn")
    ax.set_title("Conditions compared: mean over their tables", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False)
    return _save(fig, path)


def _whole_turns(ax) -> None:
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _save(fig, path: Path) -> Path:
    """Render to PNG bytes, then write them atomically."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)
    return path


def _slug(label: str) -> str:
    """`Table A (seed 11)` -> `table-a-seed-11`; always starts with `table`."""
    slug = re.sub(r"[^A-Za-z0-9_]+", "-", label).strip("-").lower()
    return slug if slug.startswith("table") else f"table-{slug}".rstrip("-")
