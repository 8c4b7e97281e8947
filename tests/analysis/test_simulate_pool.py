"""A simulation's process pool: its workers start with what the parent planned."""

from __future__ import annotations

import multiprocessing
import os
import sys

import pytest

from game.analysis.simulate import WARM_UP, _start_context, simulate, warm_up_size
from game.bots.plan import AllocationPlanner
from game.scenario.load import load_scenario
from tests.conftest import TINY

FORKS = sys.platform.startswith("linux")
"""Where the pool forks its workers (game.analysis.simulate `_start_context`)."""


@pytest.mark.skipif(not FORKS, reason="workers inherit the parent's memos only when forked")
def test_workers_start_with_the_memos_the_parent_filled(monkeypatch):
    """Before: every worker of a fresh pool planned every decision of the simulation again
    (flagship: ~1.8 s of CPU a worker). Now the parent plays the first run, and the workers
    forked after it find those decisions in their memos: they plan only what that game did
    not meet, less than the parent did."""
    parent = os.getpid()
    planned_here = [0]
    planned_in_workers = multiprocessing.Value("i", 0)
    remember = AllocationPlanner._remember

    def counted(self, *args, **kwargs):
        if os.getpid() == parent:
            planned_here[0] += 1
        else:
            with planned_in_workers.get_lock():
                planned_in_workers.value += 1
        return remember(self, *args, **kwargs)

    monkeypatch.setattr(AllocationPlanner, "_remember", counted)
    # a copy of its own (load_scenario caches): no planner of it has planned yet
    scenario = load_scenario(TINY).model_copy(deep=True)
    simulate(scenario, 12, seed=3, strategies={"manager": "hype", "employee": "gamer"},
             workers=2, progress=False)
    assert planned_here[0] > 0
    assert planned_in_workers.value < planned_here[0]


@pytest.mark.parametrize("runs", [1, 2, 7, 24, 100, 600, 5000])
@pytest.mark.parametrize("workers", [2, 3, 8])
def test_the_warm_up_is_small_beside_a_workers_share(runs, workers):
    first = warm_up_size(runs, workers)
    assert 1 <= first <= max(1, WARM_UP)
    assert first == 1 or first <= runs / (4 * workers)


@pytest.mark.skipif(not FORKS, reason="the pool forks its workers on Linux only")
def test_the_pool_forks_whatever_the_default_start_method():
    """Python 3.14 makes forkserver the default on Linux: the pool still forks, or its
    workers would start with empty memos again."""
    default = multiprocessing.get_start_method(allow_none=True)
    try:
        multiprocessing.set_start_method("forkserver", force=True)
        assert _start_context().get_start_method() == "fork"
    finally:
        multiprocessing.set_start_method(default, force=True)


@pytest.mark.skipif(not FORKS, reason="the warm-up fills memos that forked workers inherit")
def test_a_table_simulated_before_needs_no_warm_up(monkeypatch):
    """Before: every pool played its warm-up games in the parent, even when this process had
    simulated the same table already (a sweep's later cells, a simulation run again), for
    nothing (~50 ms, flagship). Now only the first simulation of a table warms up; the
    results are the same either way."""
    import game.analysis.simulate as sim

    parent = os.getpid()
    played_here: list[int] = []
    run_columns = sim.run_columns  # (what simulate plays its chunks with)

    def counted(scenario, seeds, *args, **kwargs):
        if os.getpid() == parent:
            played_here.append(len(seeds))
        return run_columns(scenario, seeds, *args, **kwargs)

    monkeypatch.setattr(sim, "run_columns", counted)
    scenario = load_scenario(TINY).model_copy(deep=True)
    strategies = {"manager": "hype", "employee": "gamer"}
    first = simulate(scenario, 40, seed=3, strategies=strategies, workers=2, progress=False)
    assert sum(played_here) == warm_up_size(40, 2) > 0
    played_here.clear()
    again = simulate(scenario, 40, seed=3, strategies=strategies, workers=2, progress=False)
    assert sum(played_here) == 0
    assert again.model_dump_json() == first.model_dump_json()
    other = simulate(scenario, 40, seed=3, strategies={"manager": "hype", "employee": "craft"},
                     workers=2, progress=False)
    assert sum(played_here) == warm_up_size(40, 2)  # another table warms up again
    assert other.model_dump_json() != first.model_dump_json()


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not FORKS, reason="glibc's malloc_trim, on Linux")
def test_memory_freed_before_a_fork_goes_back_to_the_system():
    """Before: a worker's first chunk reused the free memory the parent held, copying each
    page it wrote. Now the pool gives it back before forking (`release_free_memory`)."""
    from game.analysis.simulate import release_free_memory

    held = [bytearray(100_000) for _ in range(400)]  # ~40 MB from the C heap, written
    pin = bytearray(100_000)  # (above them: freeing them leaves the heap's top in use)
    del held
    before = _resident_bytes()
    release_free_memory()
    assert before - _resident_bytes() > 20_000_000
    del pin
