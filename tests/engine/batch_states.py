"""States taken in the middle of real games, for the tests that a game's result does not depend
on the batch it is resolved in: the state handed to each turn's resolution (its work phase
closed, allocations set) and each new game's state before its first news, from random legal
play and from bot games of every bundled scenario, the tiny one and the engine's fixtures
(chain: an order, flows and keyed draws; commons: decisions; dice: ties on every review).

Each is captured by wrapping the engine's entry point (`resolve_states`, `open_news_states`,
as game.engine.game calls them) while a game is played, so it is exactly the state `Game`
hands to the batch core.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from game.analysis import simulate
from game.engine import Game
from game.engine import game as game_module
from game.engine.state import GameState
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios
from tests.engine.conftest import play_random

FIXTURES = Path(__file__).with_name("fixtures")
EDGES = FIXTURES / "edges.yaml"


def _edges_without_numbers() -> Path:
    """The edges fixture with no decisions: a seat's neighbours' stats are then read as they
    are (with decisions the scalar engine copies them when it reads the names)."""
    text = EDGES.read_text()
    text = text.replace("    decisions:\n      - {id: pace, name: Pace, min: 0, max: 4, step: 1, "
                        "initial: 2}\n", "")
    text = text.replace("stream.pace", "stream.flag").replace("id: edges", "id: edges_plain")
    path = Path(tempfile.mkdtemp(prefix="goodhart-edges-")) / "edges-plain.yaml"
    path.write_text(text)
    return path


PATHS = [TINY, *bundled_scenarios(),
         *(FIXTURES / f"{n}.yaml" for n in ("chain", "commons", "corners", "dice", "edges")),
         _edges_without_numbers()]
"""Every bundled scenario, tiny.yaml, and the fixtures: chain (an order, flows, keyed
draws), commons (decisions), corners (resolution's corners), dice (ties on every review),
edges (what the review and the news do that no bundled scenario does: see its summary) with
and without decisions."""
MIXES = (("hype", "gamer"), ("random", "random"), ("outcome", "cautious"))


@contextmanager
def _capturing(name: str, into: list[GameState]) -> Iterator[None]:
    """While active, every call of `game.engine.game.<name>` (`resolve_states` or
    `open_news_states`) first keeps a copy of each state it is given."""
    original = getattr(game_module, name)

    def wrapped(rules, states, *args, **kwargs):
        into.extend(state.clone() for state in states)
        return original(rules, states, *args, **kwargs)

    setattr(game_module, name, wrapped)
    try:
        yield
    finally:
        setattr(game_module, name, original)


def _play(game: Game, seeds: tuple[int, ...]) -> Iterator[None]:
    """Play random legal games and bot games of `game` (a generator: each step plays one)."""
    for seed in seeds:
        play_random(game, seed)
        yield
    roles = [r.id for r in game.scenario.roles]
    for n, (manager, employee) in enumerate(MIXES):
        strategies = {roles[0]: manager, **({roles[1]: employee} if len(roles) > 1 else {})}
        simulate.play_bot_game(game.scenario, 10 + n, strategies)
        yield


@cache
def captured(path: Path, step: str, seeds: tuple[int, ...] = (1, 2)) -> tuple[Game, tuple]:
    """The game of `path` and every state handed to `game.engine.game.<step>`
    ("resolve_states" or "open_news_states") while its games were played (the states are
    shared: callers copy before changing)."""
    game = Game(load_scenario(path))
    states: list[GameState] = []
    with _capturing(step, states):
        for _ in _play(game, seeds):
            pass
    return game, tuple(states)


def batches(states: tuple[GameState, ...], size: int) -> list[list[GameState]]:
    """`states` grouped into batches of at most `size` that share a turn, phase and table
    (the roles of the seats), games at different seeds mixed where there are several."""
    groups: dict[tuple, list[GameState]] = defaultdict(list)
    for state in states:
        groups[(state.turn, state.phase, tuple(s.role for s in state.seats))].append(state)
    out = []
    for group in groups.values():
        group.sort(key=lambda s: s.seed)
        out += [group[i:i + size] for i in range(0, len(group), size)]
    return out


def each_batch(path: Path, step: str, sizes: tuple[int, ...] = (1, 3, 8)
               ) -> Iterator[tuple[Game, list[GameState]]]:
    """(game, batch) for every batch of each size of the states `captured` at `step`."""
    game, states = captured(path, step)
    assert states, f"no state reached {step} in {path.stem}"
    for size in sizes:
        for group in batches(states, size):
            yield game, group
