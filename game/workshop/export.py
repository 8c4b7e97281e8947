"""Debrief exports for spreadsheets: CSV in long format and summary CSVs.

`export(debrief, folder)` writes:
- `debrief-long.csv`: one row per table, turn and metric (columns `table, condition, turn,
  metric, value`); the metrics are `proxy_index`, `health_index`, `gap` and every scenario
  metric by id, and for a table with a what-if replay `what_if_proxy_index`,
  `what_if_health_index` and `what_if_gap`. Turn 0 is the start of the game.
- `debrief-tables.csv`: one row per table with its headline numbers, and its what-if's
  (`what_if_regime`, `what_if_proxy_end`, ...; empty when it has none).
- `debrief-conditions.csv`: one row per condition with the means over its tables.
- `debrief-lessons.csv`: per table, what is true of its game (`fact`) and the lessons whose
  condition held on it (`lesson`): columns `table, condition, kind, text`.

The PNG slides (each table, every table side by side, the conditions) are drawn by the debrief
screen itself, in `game.ui.slides.export_debrief`, which writes these files and the slides.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from game.engine.save import write_atomic
from game.errors import SaveError
from game.workshop.debrief import Debrief, TableSummary

__all__ = ["LONG_COLUMNS", "export", "long_rows"]

LONG_COLUMNS = ["table", "condition", "turn", "metric", "value"]
INDEX_METRICS = ("proxy_index", "health_index", "gap")


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


LESSON_COLUMNS = ["table", "condition", "kind", "text"]


def _lesson_rows(debrief: Debrief) -> list[dict[str, object]]:
    """Per table: its fact sentences, then the lessons that hold on its game."""
    return [{"table": s.label, "condition": s.condition, "kind": kind, "text": text}
            for s in debrief.summaries
            for kind, texts in (("fact", s.facts), ("lesson", s.lessons)) for text in texts]


def _r(value: float) -> float:
    return round(value, 6)


def _csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def export(debrief: Debrief, folder: Path) -> list[Path]:
    """Write the CSVs into `folder` (created if needed); returns the files written."""
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
                                            else ["condition"]),
             "debrief-lessons.csv": _csv(_lesson_rows(debrief), LESSON_COLUMNS)}
    try:
        for name, text in files.items():
            write_atomic(folder / name, text)
            written.append(folder / name)
    except OSError as err:
        raise SaveError(f"cannot write the export: {err.strerror or err}", str(folder)) from None
    return written
