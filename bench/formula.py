"""Formula speed: compiling a 400-part formula, and evaluating a typical one.

Run: `python bench/formula.py`. Targets: compile < 50 ms; evaluation well under 1 us a call
(the simulator evaluates millions).
"""

from __future__ import annotations

import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.scenario.formula import compile_formula  # noqa: E402

TYPICAL = "0.6 * effort * (1 + ai_skill / 100) - 2 * (policy_x > 0)"
LARGE = "max(" + ", ".join(["x * 7"] * 132) + ") + 1"


def main() -> None:
    compile_ms = []
    for _ in range(20):
        start = time.perf_counter()
        compile_formula(LARGE, {"x"})
        compile_ms.append((time.perf_counter() - start) * 1000)
    formula = compile_formula(TYPICAL)
    env = {"effort": 3.0, "ai_skill": 50.0, "policy_x": 1.0}
    per_call = min(timeit.repeat(lambda: formula(env), number=200_000, repeat=5)) / 200_000
    print(f"compile a 400-part formula: median {sorted(compile_ms)[10]:.1f} ms (target < 50 ms)")
    print(f"evaluate `{TYPICAL}`: {per_call * 1e9:.0f} ns per call")


if __name__ == "__main__":
    main()
