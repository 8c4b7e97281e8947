"""The loop over arrays (game.analysis.batch_play) gives every game the record the
game-by-game loop gives it: cold (every decision planned on a state exported from the
arrays, once per group), warm (every decision recalled) and in between, in every bundled
scenario where planning bots can sit (where their keys read more than a glance over arrays
shows, the games are ejected and played game by game)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.analysis import batch_play
from game.analysis.batch_play import play_over_arrays, recalling_bots
from game.analysis.simulate import play_games, record_of, run_games, run_seed, table_for
from game.bots import strategies_for
from game.bots.base import PlanningBot
from game.bots import STRATEGIES
from game.engine.batch import streams
from game.engine.game import Game
from game.errors import ScenarioError
from game.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "scenarios" / "tokenmaxxing.yaml"


def _loadable() -> list[Path]:
    out = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        try:
            load_scenario(path)
        except ScenarioError:
            continue
        out.append(path)
    return out


def _planning(scenario) -> dict[str, str]:
    """Each acting role's first strategy whose bots decide by their planners alone."""
    out = {}
    for role in scenario.roles:
        for name in strategies_for(scenario, role.id):
            cls = STRATEGIES[name]
            if issubclass(cls, PlanningBot) and cls(scenario, 0, None).recalls:
                out[role.id] = name
                break
    return out


def _fresh(path: Path):
    """The scenario with planners of its own (load_scenario caches; planners are per
    scenario object): their memos start empty."""
    return load_scenario(path).model_copy(deep=True)


def _game_by_game(scenario, seeds, strategies, locked=None) -> list[str]:
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    return [json.dumps(record_of(scenario, state, table, chosen).to_dict())
            for state in play_games(game, seeds, table, chosen, locked)]


def _over_arrays(scenario, seeds, strategies, locked=None) -> list[str]:
    return [json.dumps(r.to_dict()) for r in run_games(scenario, seeds, strategies, None, locked)]


@pytest.mark.parametrize("path", _loadable(), ids=lambda p: p.stem)
def test_every_game_has_the_record_it_has_game_by_game(path):
    scenario = _fresh(path)
    strategies = _planning(scenario)
    seeds = [run_seed(11, i) for i in range(6)]
    cold = _over_arrays(scenario, seeds, strategies)  # planned on exported states
    assert cold == _game_by_game(_fresh(path), seeds, strategies)
    later = [run_seed(12, i) for i in range(6)]
    assert _over_arrays(scenario, later, strategies) == _game_by_game(scenario, later,
                                                                      strategies)
    # warm: the same games again, every decision in the memos
    assert _over_arrays(scenario, later, strategies) == _game_by_game(scenario, later,
                                                                      strategies)


def test_the_flagship_plays_over_arrays_once_warm_with_locked_policies_too():
    """Not vacuous: once the memos hold a table's decisions, its games are played over
    arrays (none ejected), and their records are still the game-by-game ones."""
    scenario = _fresh(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    for locked in (None, {"token_leaderboard": 1}):
        seeds = [run_seed(21, i) for i in range(10)]
        expected = _game_by_game(scenario, seeds, strategies, locked)  # fills the memos
        records, ejected = play_over_arrays(game, seeds, table, chosen,
                                            recalling_bots(game, chosen), locked)
        assert not ejected and sorted(records) == list(range(10))
        assert [json.dumps(records[n].to_dict()) for n in range(10)] == expected


def test_a_cold_chunk_is_planned_over_arrays_with_nothing_ejected():
    """Empty memos: every group's first decision is planned on its first game's exported
    state, and nothing is ejected (before, the whole cold chunk was played again game by
    game); the records are the game-by-game ones."""
    strategies = {"manager": "hype", "employee": "gamer"}
    scenario = _fresh(FLAGSHIP)
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    seeds = [run_seed(41, i) for i in range(6)]
    records, ejected = play_over_arrays(game, seeds, table, chosen,
                                        recalling_bots(game, chosen), None)
    assert not ejected
    assert [json.dumps(records[n].to_dict()) for n in range(6)] == _game_by_game(
        _fresh(FLAGSHIP), seeds, strategies)


def test_games_that_meet_new_situations_mid_game_keep_their_records():
    """Memos warmed by one game only: other games find their first decisions there and
    miss later ones, which are planned part-way on exported states."""
    scenario = _fresh(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    run_games(scenario, [run_seed(31, 0)], strategies)
    seeds = [run_seed(32, i) for i in range(8)]
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    assert _over_arrays(scenario, seeds, strategies) == _game_by_game(_fresh(FLAGSHIP), seeds,
                                                                      strategies)


def test_strategies_that_do_not_recall_play_game_by_game():
    scenario = load_scenario(FLAGSHIP)
    game = Game(scenario)
    _, chosen = table_for(game, {"manager": "hype", "employee": "adaptive"}, None)
    assert recalling_bots(game, chosen) is None


def test_no_seeds_make_no_records():
    """As the game-by-game loop gives (over arrays, the first news's bank of streams divided
    by the streams of a turn, none)."""
    assert run_games(load_scenario(FLAGSHIP), [], {"manager": "hype", "employee": "gamer"}) == []


def test_games_ejected_part_way_through_a_phase_keep_their_records(monkeypatch):
    """No bundled table ejects only some games of a chunk, so one is made to: the third
    game's second seat is refused at turn 3's work phase, after the first seat's choice for
    that game was made; it is played again game by game, the others go on over arrays."""
    scenario = _fresh(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    seeds = [run_seed(51, i) for i in range(5)]
    expected = _game_by_game(scenario, seeds, strategies)  # (fills the memos)
    refused = []
    submitted = batch_play._Loop._submitted

    def refusing(self, bot, g, seat, phase, *args):
        if (self.batch.turn, phase, seat) == (3, "work", 2) and g == 2:
            refused.append(g)
            return None
        return submitted(self, bot, g, seat, phase, *args)

    monkeypatch.setattr(batch_play._Loop, "_submitted", refusing)
    monkeypatch.setattr(batch_play, "shared_key", lambda *args: None)  # (every group its own)
    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    records, ejected = play_over_arrays(game, seeds, table, chosen,
                                        recalling_bots(game, chosen), None)
    assert refused and ejected == [2] and sorted(records) == [0, 1, 3, 4]
    assert _over_arrays(scenario, seeds, strategies) == expected


def test_a_chunk_over_arrays_draws_from_the_streams_seeded_together(monkeypatch):
    """The streams of a chunk are seeded together in numpy (streams.Bank) only from
    `twister.WORTH` streams on, more than a test chunk has: with the threshold lowered, the
    loop over arrays draws from a bank, and every record is still the game-by-game one."""
    scenario = _fresh(FLAGSHIP)
    strategies = {"manager": "hype", "employee": "gamer"}
    seeds = [run_seed(61, i) for i in range(8)]
    expected = _game_by_game(scenario, seeds, strategies)
    monkeypatch.setattr(streams, "WORTH", 10)
    banks = []
    bank_for = streams.bank_for

    def counted(*args, **kwargs):
        bank = bank_for(*args, **kwargs)
        banks.append(bank)
        return bank

    monkeypatch.setattr(streams, "bank_for", counted)
    assert _over_arrays(scenario, seeds, strategies) == expected
    assert any(bank.columns for bank in banks)
