"""Workshop test helpers: a random legal bot (until game.bots lands), fixtures, headless runs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.engine import Allocate, SetPolicies
from game.engine.actions import Legal
from game.engine.view import SeatView

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY_WORKSHOP = FIXTURES / "tiny-workshop.yaml"


class RandomBot:
    """Random legal play: locked policies kept, others random within the budget; random effort."""

    def __init__(self, strategy: str, scenario, seat: int, rng: random.Random) -> None:
        self.scenario, self.seat, self.rng = scenario, seat, rng
        self.costs = {p.id: p.cost for p in scenario.policies}

    def act(self, view: SeatView, legal: Legal):
        if legal.phase == "policy":
            return SetPolicies(seat=self.seat, levels=self._policies(legal))
        effort: dict[str, int] = {}
        options = [b for b in legal.behaviours if b.available and b.max_effort > 0]
        for _ in range(legal.effort):
            open_ = [b for b in options if effort.get(b.id, 0) < b.max_effort]
            if not open_:
                break
            b = self.rng.choice(open_)
            effort[b.id] = effort.get(b.id, 0) + 1
        return Allocate(seat=self.seat, effort=effort)

    def _policies(self, legal: Legal) -> dict[str, int]:
        levels = {p.id: p.current if p.locked else 0 for p in legal.policies}
        spent = sum(self.costs[pid] * lv for pid, lv in levels.items())
        free = [p for p in legal.policies if not p.locked]
        self.rng.shuffle(free)
        active = {pid for pid, lv in levels.items() if lv}
        for p in free:
            level = self.rng.randrange(len(p.levels))
            if level and (set(p.excludes) & active or spent + self.costs[p.id] * level
                          > legal.budget + 1e-9):
                continue
            levels[p.id] = level
            spent += self.costs[p.id] * level
            if level:
                active.add(p.id)
        return levels


def random_bot(strategy: str, scenario, seat: int, rng: random.Random) -> RandomBot:
    return RandomBot(strategy, scenario, seat, rng)


@pytest.fixture
def tiny_workshop():
    from game.workshop.load import load_workshop
    return load_workshop(TINY_WORKSHOP)


def bot_factory():
    """`game.bots.make_bot` when the bots package has it, else the random bot above."""
    try:
        from game.bots import make_bot
    except ImportError:
        return random_bot
    return make_bot


@pytest.fixture
def four_tables(tmp_path, tiny_workshop):
    """The tiny workshop's four tables played headless by bots; their result files' paths."""
    from game.workshop.run import run_table
    folder = tmp_path / "results"
    paths = []
    for table in "ABCD":
        path = folder / f"table-{table}.json"
        run_table(tiny_workshop, table, path=path, make_bot=bot_factory())
        paths.append(path)
    return paths
