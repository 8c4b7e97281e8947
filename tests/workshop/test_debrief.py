"""The debrief of a four-table workshop: its numbers agree with the result files and the CSV."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from statistics import mean

import pytest

from game.workshop.debrief import collect
from game.ui.slides import export_debrief
from game.workshop.export import LONG_COLUMNS


def _from_files(paths):
    """Each table's condition and its turn rows, read straight from the JSON files."""
    out = {}
    for path in paths:
        data = json.loads(path.read_text())
        out[data["table"]["name"]] = (data["condition"]["name"], data["turns"])
    return out


def test_the_debrief_compares_four_tables_under_two_conditions(four_tables):
    debrief = collect(four_tables)
    assert debrief.problems == []
    assert [s.label for s in debrief.summaries] == ["Table A", "Table B", "Table C", "Table D"]
    files = _from_files(four_tables)
    for s in debrief.summaries:
        condition, turns = files[s.label]
        assert s.condition == condition
        assert s.health_end == pytest.approx(turns[-1]["health_index"])
        assert s.proxy_end == pytest.approx(turns[-1]["proxy_index"])
        assert s.gap_end == pytest.approx(turns[-1]["gap"])
        assert s.gap_max == pytest.approx(max(t["gap"] for t in turns))
    conditions = {c.condition: c for c in debrief.conditions()}
    assert set(conditions) == {"Leaderboard", "Outcomes"}
    for name, c in conditions.items():
        rows = [turns for cond, turns in files.values() if cond == name]
        assert len(c.tables) == len(rows) == 2
        assert c.mean_health_end == pytest.approx(mean(t[-1]["health_index"] for t in rows))
        assert c.mean_gap_end == pytest.approx(mean(t[-1]["gap"] for t in rows))
        assert c.mean_health_change == pytest.approx(
            mean(t[-1]["health_index"] - t[0]["health_index"] for t in rows))


def test_the_exported_csv_holds_the_same_numbers(four_tables, tmp_path):
    debrief = collect(four_tables)
    written = export_debrief(debrief, tmp_path / "export")
    names = {p.name for p in written}
    assert {"debrief-long.csv", "debrief-tables.csv", "debrief-conditions.csv",
            "comparison.png", "conditions.png", "table-a.png", "table-d.png"} <= names
    for p in written:
        if p.suffix == ".png":
            assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(tmp_path / "export" / "debrief-long.csv", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == LONG_COLUMNS
        rows = list(reader)
    files = _from_files(four_tables)
    turns_per_table = len(next(iter(files.values()))[1])
    metrics = {r["metric"] for r in rows}
    assert {"proxy_index", "health_index", "gap", "quality", "tokens_burned"} <= metrics
    assert len(rows) == 4 * turns_per_table * len(metrics)
    series = defaultdict(dict)
    for r in rows:
        series[(r["table"], r["metric"])][int(r["turn"])] = float(r["value"])
        assert r["condition"] == files[r["table"]][0]
    for table, (_, turns) in files.items():
        for t in turns:
            for metric in ("proxy_index", "health_index", "gap"):
                assert series[(table, metric)][t["turn"]] == pytest.approx(t[metric], abs=1e-5)
    # the mean end health per condition, computed from the CSV, matches the debrief's
    last = turns_per_table - 1
    for c in debrief.conditions():
        from_csv = mean(series[(t, "health_index")][last] for t in c.tables)
        assert from_csv == pytest.approx(c.mean_health_end, abs=1e-5)
    with open(tmp_path / "export" / "debrief-conditions.csv", newline="") as f:
        summary = {r["condition"]: r for r in csv.DictReader(f)}
    for c in debrief.conditions():
        assert float(summary[c.condition]["mean_health_end"]) == pytest.approx(c.mean_health_end)
        assert int(summary[c.condition]["tables"]) == 2


def test_a_missing_and_a_corrupt_file_leave_the_other_tables(four_tables, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text(four_tables[0].read_text()[:200])
    debrief = collect([*four_tables[1:], tmp_path / "absent.json", broken])
    assert [s.label for s in debrief.summaries] == ["Table B", "Table C", "Table D"]
    assert len(debrief.problems) == 2
    assert debrief.problems[0].endswith("absent.json: no such result file")
    assert "broken.json" in debrief.problems[1] and "damaged or truncated" in debrief.problems[1]


def test_tables_of_another_scenario_are_left_out_with_one_line_each(four_tables, tmp_path):
    other = tmp_path / "other.json"
    data = json.loads(four_tables[0].read_text())
    data["scenario"]["id"] = "sales_quotas"
    other.write_text(json.dumps(data))
    debrief = collect([other, *four_tables[1:]])
    assert debrief.scenario.id == "tiny"
    assert len(debrief.tables) == 3
    assert len(debrief.problems) == 1
    assert "other.json: a table of scenario 'sales_quotas', not 'tiny'" in debrief.problems[0]


def test_a_folder_of_results_is_read_and_a_file_given_twice_counts_once(four_tables):
    debrief = collect([four_tables[0].parent, four_tables[0]])
    assert len(debrief.tables) == 4
    assert debrief.problems == [f"{four_tables[0]}: the same game as {four_tables[0]}; "
                                "counted once"]


def test_the_debrief_shows_only_the_lessons_that_hold_on_each_table(four_tables, tmp_path):
    """Lessons travel in the result file with their conditions; the debrief evaluates them
    on each table's own game, and the report and the lessons CSV show only those."""
    data = json.loads(four_tables[0].read_text())
    data["scenario"]["lessons"] = [
        {"text": "Said of every game.", "when": "1"},
        {"text": "Never true: the gap ended above a thousand.", "when": "gap > 1000"},
        {"text": "True here: the game lasted.", "when": "turns_played >= 1 and ranked_seats >= 0"},
        {"text": "Reads an unknown fact.", "when": "no_such_fact > 0"}]
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    debrief = collect([path])
    [summary] = debrief.summaries
    assert summary.lessons == ["Said of every game.", "True here: the game lasted."]
    assert summary.facts and summary.facts[0].startswith("The proxy index went from")
    from game.workshop.report import render_debrief
    text = render_debrief(debrief)
    assert "True here: the game lasted." in text and "Never true" not in text
    assert all(line in text for line in summary.facts)
    export_debrief(debrief, tmp_path / "out")
    with open(tmp_path / "out" / "debrief-lessons.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["text"] for r in rows if r["kind"] == "lesson"] == summary.lessons
    assert [r["text"] for r in rows if r["kind"] == "fact"] == summary.facts
