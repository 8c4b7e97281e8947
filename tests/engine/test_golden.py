"""Golden games: seeded bot games and random legal play must stay bit-identical.

Performance work must not change a single result. For every bundled scenario and the tiny
one, seeded games are played with the simulator's bots and with random legal play; the final
state hash, a digest of the JSON of every seat's final view, and (for random play) a digest of
every seat's view after every action are compared with `golden.json`. Regenerate it (only for an intended change of
behaviour) with `python -m tests.engine.test_golden`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from game.analysis import simulate
from game.engine import Game
from game.engine.state import GameState
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios
from tests.engine.conftest import play_random

GOLDEN = Path(__file__).with_name("golden.json")
SEEDS = (1, 2, 3)
MIXES = {"hype-gamer": ("hype", "gamer"), "random": ("random", "random"),
         "adaptive": ("adaptive", "adaptive"), "outcome-cautious": ("outcome", "cautious")}
PATHS = [TINY, *bundled_scenarios()]


def _views(game: Game, state: GameState) -> list[str]:
    return [game.view(state, i).model_dump_json() for i in range(len(state.seats))]


def _final(game: Game, state: GameState) -> dict:
    return {"hash": state.state_hash(),
            "views": [hashlib.sha256(v.encode()).hexdigest() for v in _views(game, state)]}


def _bot_game(path: Path, mix: str, seed: int) -> dict:
    """A seeded all-bot game through the simulator: its record, final state and views."""
    scenario = load_scenario(path)
    manager, employee = MIXES[mix]
    strategies = {scenario.roles[0].id: manager, scenario.roles[1].id: employee}
    captured: list[GameState] = []
    original = simulate.record_of

    def capture(scenario, state, table, chosen):
        captured.append(state)
        return original(scenario, state, table, chosen)

    simulate.record_of = capture
    try:
        record = simulate.run_game(scenario, seed, strategies)
    finally:
        simulate.record_of = original
    text = json.dumps(record.to_dict(), sort_keys=True)
    return {"record": hashlib.sha256(text.encode()).hexdigest(),
            **_final(Game(scenario), captured[0])}


def _random_game(path: Path, seed: int) -> dict:
    """Random legal play, with a digest of every seat's view after every action."""
    game = Game(load_scenario(path))
    digest = hashlib.sha256()

    def on_state(state: GameState) -> None:
        for text in _views(game, state):
            digest.update(text.encode())

    state, _ = play_random(game, seed, on_state)
    return {**_final(game, state), "steps": digest.hexdigest()}


def _cases() -> list[tuple[str, str, int]]:
    return [(p.stem, mix, seed) for p in PATHS for mix in [*MIXES, "legal"] for seed in SEEDS]


def _compute(stem: str, mix: str, seed: int) -> dict:
    path = next(p for p in PATHS if p.stem == stem)
    return _random_game(path, seed) if mix == "legal" else _bot_game(path, mix, seed)


def compute_all() -> dict:
    out = {}
    for stem, mix, seed in _cases():
        out[f"{stem}/{mix}/{seed}"] = _compute(stem, mix, seed)
    return out


@pytest.mark.parametrize("stem,mix,seed", _cases(), ids=lambda v: str(v))
def test_golden(stem: str, mix: str, seed: int) -> None:
    golden = json.loads(GOLDEN.read_text())[f"{stem}/{mix}/{seed}"]
    value = _compute(stem, mix, seed)
    assert value["hash"] == golden["hash"]
    for seat, (got, want) in enumerate(zip(value["views"], golden["views"])):
        assert got == want, f"seat {seat}'s final view differs"
    assert value == golden


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(compute_all(), indent=1, sort_keys=True) + "\n")
