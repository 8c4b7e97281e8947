"""Time loading a flagship-sized scenario: read + validate + compile, over 50 runs.

Run: `python bench/load.py [SCENARIO] [--runs N]`. Uses scenarios/tokenmaxxing.yaml when it
exists (and loads), else the minimal fixture scaled up to flagship size. Target: < 50 ms.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.errors import ScenarioError  # noqa: E402
from game.scenario import load as load_module  # noqa: E402
from game.scenario import rules as rules_module  # noqa: E402
from game.scenario.load import load_scenario  # noqa: E402
from game.scenario.source import read_source  # noqa: E402

FLAGSHIP = ROOT / "scenarios" / "tokenmaxxing.yaml"
MINIMAL = ROOT / "tests" / "scenario" / "fixtures" / "minimal.yaml"
TARGET_MS = 50.0


def scaled_fixture(folder: Path) -> Path:
    """The minimal fixture grown to ~12 metrics, 10 stats, 12 policies, 8 behaviours, 8 events."""
    from ruamel.yaml import YAML
    data = read_source(MINIMAL).data
    data = copy.deepcopy(data)
    base_metric, base_stat = data["metrics"][0], data["stats"][0]
    base_policy, base_behaviour = data["policies"][1], data["behaviours"][1]
    base_event = data["events"][0]
    data["metrics"] += [{**copy.deepcopy(base_metric), "id": f"m{i}", "name": f"Metric {i}"} for i in range(10)]
    data["stats"] += [{**copy.deepcopy(base_stat), "id": f"s{i}", "name": f"Stat {i}"} for i in range(9)]
    data["policies"] += [{**copy.deepcopy(base_policy), "id": f"p{i}", "name": f"Policy {i}", "excludes": [],
                          "effects": [{"target": f"m{i % 10}", "value": f"2 * p{i} - m{i % 10} / 50"}]}
                         for i in range(10)]
    data["behaviours"] += [{**copy.deepcopy(base_behaviour), "id": f"b{i}", "name": f"Behaviour {i}",
                            "effects": [{"target": f"s{i}", "value": "effort * 2"},
                                        {"target": f"m{i}", "value": "max(0, quality - 50) / 10"}]}
                           for i in range(6)]
    data["events"] += [{**copy.deepcopy(base_event), "id": f"e{i}", "headline": f"Event {i}",
                        "when": f"m{i} > 40 and turn > 2"} for i in range(7)]
    path = folder / "flagship_sized.yaml"
    with path.open("w", encoding="utf-8") as handle:
        YAML().dump(data, handle)
    return path


def pick_scenario(arg: str | None, folder: Path) -> Path:
    """The scenario to time: the argument, the flagship if it loads, else the scaled fixture."""
    if arg:
        return Path(arg)
    try:
        load_scenario(FLAGSHIP)
        return FLAGSHIP
    except ScenarioError as err:
        print(f"(flagship not usable: {err}; timing the scaled fixture)")
        return scaled_fixture(folder)


def timed(path: Path, runs: int, cold: bool) -> list[float]:
    """Milliseconds per `load_scenario(path)`; `cold` empties the in-process cache first."""
    times = []
    for _ in range(runs):
        if cold:
            load_module._CACHE.clear()
            rules_module._compile_text.cache_clear()
        start = time.perf_counter()
        load_scenario(path)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def report(label: str, times: list[float]) -> str:
    """`label: mean, median, p95` in milliseconds."""
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    mean = statistics.fmean(times)
    verdict = "ok" if mean < TARGET_MS else "over target"
    return (f"{label}: mean {mean:.1f} ms, median {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms ({verdict}; target < {TARGET_MS:.0f} ms)")


def main() -> None:
    """Time `load_scenario` cold (parse, validate, compile) and warm (cached), in ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = pick_scenario(args.scenario, Path(folder))
        size = path.stat().st_size
        load_scenario(path)  # warm up imports
        cold = timed(path, args.runs, cold=True)
        warm = timed(path, args.runs, cold=False)
    print(f"{path.name}: {size} bytes, {args.runs} runs each")
    print(report("cold (read + parse + validate + compile)", cold))
    print(report("warm (same bytes, in-process cache)", warm))


if __name__ == "__main__":
    main()
