"""Headless all-bot games: plain records, seeded runs, identical whatever the worker count."""

from __future__ import annotations

import json

import pytest

from game.analysis.simulate import run_game, run_seed, simulate
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios

REQUIRED = ("runs", "proxy_start", "proxy_end_mean", "health_start", "health_end_mean",
            "gap_end_mean", "proxy_health_corr_mean", "behaviour_share")


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_a_record_has_one_index_value_per_turn_and_the_start(tiny):
    rec = run_game(tiny, 5, {"manager": "hype", "employee": "gamer"})
    assert len(rec.proxy) == len(rec.health) == len(rec.gap) == tiny.turns + 1
    assert rec.gap[0] == 0.0
    assert -1.0 <= rec.correlation <= 1.0
    assert rec.strategies == ["hype", "gamer", "gamer"]
    # the two gamers score alike, so a seeded draw picks the one laid off after turn 3
    # (before ties were drawn, seat order always kept seat 1)
    assert sorted(sum(rec.effort[i].values()) for i in (1, 2)) == [
        10 * (tiny.turns - 1), 10 * tiny.turns]
    assert [o["seat"] for o in rec.outcomes] == [1, 2]
    json.dumps(rec.to_dict())


def test_the_same_seed_gives_the_same_game(tiny):
    a = run_game(tiny, 9, {"employee": "random"})
    b = run_game(tiny, 9, {"employee": "random"})
    assert a == b


def test_run_seeds_come_from_the_simulation_seed_and_the_run_index():
    assert run_seed(1, 0) == run_seed(1, 0) != run_seed(1, 1) != run_seed(2, 1)


@pytest.mark.parametrize("name", ["tiny", "tokenmaxxing"])
def test_results_are_identical_whatever_the_worker_count(tiny, name):
    scenario = tiny if name == "tiny" else load_scenario(name)
    mix = {"manager": "adaptive", "employee": "adaptive"}
    one = simulate(scenario, 24, seed=4, strategies=mix, workers=1, progress=False)
    two = simulate(scenario, 24, seed=4, strategies=mix, workers=2, progress=False)
    assert one.model_dump_json() == two.model_dump_json()
    assert one.records == two.records


def test_summary_holds_the_documented_fields(tiny):
    summary = simulate(tiny, 10, seed=1, strategies={"manager": "hype", "employee": "gamer"},
                       progress=False)
    data = json.loads(summary.model_dump_json())
    assert all(key in data for key in REQUIRED)
    assert data["runs"] == 10 and data["scenario"] == "tiny"
    assert set(data["behaviour_share"]["employee"]) <= {"work", "farm"}
    assert abs(sum(data["behaviour_share"]["employee"].values()) - 1.0) < 1e-9
    assert set(data["event_frequency"]) == {"outage"}
    assert data["proxy_start_range"][0] <= data["proxy_end_mean"]


@pytest.mark.parametrize("bad", [{"boss": "gamer"}, {"employee": "hype"}])
def test_unknown_roles_and_strategies_are_refused(tiny, bad):
    with pytest.raises(ValueError):
        simulate(tiny, 1, seed=1, strategies=bad, progress=False)


@pytest.mark.parametrize("runs,workers", [(0, 1), (1, 0)])
def test_runs_and_workers_must_be_positive(tiny, runs, workers):
    with pytest.raises(ValueError):
        simulate(tiny, runs, seed=1, strategies={}, workers=workers, progress=False)


def test_rank_agreement_is_measured_within_each_role():
    from game.analysis.summary import rank_agreement
    manager = {"role": "manager", "score_total": 9.0, "contribution": 9.0}
    reversed_engineers = [{"role": "employee", "score_total": 10.0 - i, "contribution": float(i)}
                          for i in (1, 2, 3)]
    assert rank_agreement([manager, *reversed_engineers]) == pytest.approx(-1.0)


def test_equal_seats_show_norank_agreement():
    # seats that score and contribute alike used to agree perfectly (1.0): both rankings put
    # them in seat order; with ties shared, the ranking says nothing (0)
    from game.analysis.summary import rank_agreement
    alike = [{"role": "employee", "score_total": 5.0, "contribution": 2.0} for _ in range(4)]
    assert rank_agreement(alike) == 0.0
    partly = [{"role": "employee", "score_total": s, "contribution": c}
              for s, c in ((3.0, 1.0), (3.0, 1.0), (1.0, 0.0), (0.0, 0.0))]
    assert rank_agreement(partly) == pytest.approx(4 / 18 ** 0.5)  # ranks 1.5 1.5 3 4, 1.5 1.5 3.5 3.5


def test_seats_without_a_bot_flag_take_the_scenario_table_in_order():
    from game.analysis.simulate import strategies_by_role, table_for
    from game.engine import Game
    from tests.conftest import SCENARIOS
    game = Game(load_scenario(SCENARIOS / "tokenmaxxing.yaml"))
    table, chosen = table_for(game, {}, None)
    assert chosen == ["hype", "craft", "gamer", "gamer", "gamer"]
    assert strategies_by_role(table, chosen) == {"manager": "hype",
                                                 "employee": "craft+gamer x3"}
    assert table_for(game, {"employee": "cautious"}, None)[1] == ["hype"] + ["cautious"] * 4


def test_a_seat_with_its_own_strategy_leaves_the_table_order_to_the_others():
    from game.analysis.simulate import table_for
    from game.engine import Game
    from game.engine.state import SeatSetup
    from tests.conftest import SCENARIOS
    game = Game(load_scenario(SCENARIOS / "tokenmaxxing.yaml"))
    seats = [SeatSetup(role="manager", name="M", controller="bot:outcome"),
             SeatSetup(role="employee", name="A", controller="bot:random"),
             SeatSetup(role="employee", name="B"), SeatSetup(role="employee", name="C")]
    assert table_for(game, {}, seats)[1] == ["outcome", "random", "craft", "gamer"]


def test_the_summary_gives_each_strategy_its_mean_ranks():
    from game.analysis.summary import summary_table
    from tests.conftest import SCENARIOS
    summary = simulate(load_scenario(SCENARIOS / "example.yaml"), 3, seed=4, strategies={},
                       progress=False)
    assert set(summary.rank_by_strategy) == {"rep:craft", "rep:gamer"}
    for board, real in summary.rank_by_strategy.values():
        assert 1.0 <= board <= 2.0 and 1.0 <= real <= 2.0
    craft = [o for r in summary.records for o in r.outcomes if r.strategies[o["seat"]] == "craft"]
    assert summary.rank_by_strategy["rep:craft"] == (
        sum(o["leaderboard_rank"] for o in craft) / 3, sum(o["contribution_rank"] for o in craft) / 3)
    assert "mean rank by strategy" in summary_table(summary)


def test_games_in_lockstep_grow_each_past_once(tiny, monkeypatch):
    """Games played side by side keep their latest pasts (game.engine.past.room_for): each
    game builds one past per turn, however many games share the lockstep (with more games
    than pasts kept, every view rebuilt its game's pasts from the first turn)."""
    from game.analysis.simulate import run_games
    from game.engine import past

    built = []
    made = past.Past.__init__
    monkeypatch.setattr(past.Past, "__init__",
                        lambda self, *args: (built.append(1), made(self, *args))[1])
    past._PASTS.clear()
    games = 2 * past._PASTS_LIMIT + 3
    run_games(tiny, list(range(games)), {"manager": "hype", "employee": "gamer"})
    assert len(built) <= games * (tiny.turns + 1)


def _one_by_one(scenario, seed: int, strategies: dict[str, str]):
    """The record of a game played alone, each phase through `Game.play_phase` (the
    engine resolves each turn of it by itself), the bots acting on their whole views."""
    from functools import partial

    from game.analysis.simulate import record_of, table_for
    from game.bots import make_bot
    from game.engine.game import Game
    from game.engine.rng import stream

    game = Game(scenario)
    table, chosen = table_for(game, strategies, None)
    state = game.new_state(seed, table)
    bots = [make_bot(name, scenario, i, partial(stream, seed, "bot", i))
            for i, name in enumerate(chosen)]
    while state.phase != "ended":
        game.play_phase(state, lambda seats, legal: [
            bots[s].act(game.view(state, s), options) for s, options in zip(seats, legal)])
    return record_of(scenario, state, table, chosen)


@pytest.mark.parametrize("path", [TINY, *bundled_scenarios()], ids=lambda p: p.stem)
def test_games_in_lockstep_are_the_games_played_alone(path):
    """A chunk of games shares one batch, kept across its turns (only the choices of each
    turn are taken into it): every game's record is the record of the game played alone."""
    from game.analysis.simulate import run_games

    scenario = load_scenario(path)
    roles = [r.id for r in scenario.roles]
    for mix in (("hype", "gamer"), ("adaptive", "random")):
        strategies = dict(zip(roles, mix))
        seeds = [11, 12, 13]
        assert run_games(scenario, seeds, strategies) == [
            _one_by_one(scenario, seed, strategies) for seed in seeds]


def test_a_batch_takes_only_the_choices_of_its_own_games(tiny):
    from game.engine.batch.state import gather, take_choices
    from game.engine.game import Game

    game = Game(tiny)
    states = [game.new_state(seed) for seed in (1, 2)]
    batch = gather(game.rules, states)
    with pytest.raises(ValueError):
        take_choices(batch, states[::-1])


@pytest.mark.parametrize("runs", [1, 5, 299, 500, 600, 1001, 1200, 10_000])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_chunks_are_as_large_as_allowed_and_even_over_the_workers(runs, workers):
    """A chunk is one batch: as few chunks as `CHUNK` and the workers allow, of even sizes
    (no small chunk left over to resolve on its own), one at least for every worker."""
    from game.analysis.simulate import CHUNK, chunk_size

    size = chunk_size(runs, workers)
    chunks = [min(size, runs - start) for start in range(0, runs, size)]
    assert sum(chunks) == runs and max(chunks) <= CHUNK
    assert len(chunks) <= workers * -(-runs // (CHUNK * workers))
    assert max(chunks) - min(chunks) < len(chunks)
    if runs >= 2 * workers:
        assert len(chunks) >= workers
