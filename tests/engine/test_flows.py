"""Seats in relation, flows between them, and draws by scope (docs/rules.md)."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

from game.engine import Allocate, Game
from game.engine.relations import keyed_value
from game.engine.save import Session, open_save
from game.scenario.load import load_scenario, load_scenario_text
from game.scenario.model import Draw

CHAIN = Path(__file__).parent / "fixtures" / "chain.yaml"


def _play(game: Game, state, split: dict[int, int]):
    """One turn in which seat k ships `split[k]` units."""
    for seat in game.to_act(state):
        state = game.apply(state, Allocate(seat=seat, effort={"ship": split.get(seat, 0)}))
    return state


def test_what_is_in_transit_at_the_start_arrives_in_the_first_turns():
    game = Game(load_scenario(CHAIN))
    state = game.new_state(1)
    # 3 a turn for the first two turns, to each seat that has someone upstream
    assert sorted((t.seat, t.due, t.amount) for t in state.transit) == [
        (1, 1, 3.0), (1, 2, 3.0), (2, 1, 3.0), (2, 2, 3.0)]
    state = _play(game, state, {})
    assert [s.stats["received"] for s in state.seats] == [0.0, 3.0, 3.0]
    state = _play(game, state, {})
    assert [s.stats["received"] for s in state.seats] == [0.0, 6.0, 6.0]
    assert state.transit == []


def test_a_shipment_arrives_downstream_after_its_delay_and_the_end_of_the_chain_ships_nothing():
    game = Game(load_scenario(CHAIN))
    state = _play(game, game.new_state(1), {0: 2, 2: 3})  # turn 1: seat 0 ships 2, seat 2 3
    assert {(t.seat, t.due, t.amount) for t in state.transit if t.due == 3} == {(1, 3, 2.0)}
    state = _play(game, state, {})
    assert state.seats[1].stats["received"] == 6.0
    state = _play(game, state, {})  # turn 3: the two units arrive
    assert state.seats[1].stats["received"] == 8.0
    assert state.seats[2].stats["received"] == 6.0  # seat 2's own shipment left the chain


def test_formulas_read_the_neighbours_values():
    game = Game(load_scenario(CHAIN))
    state = _play(game, game.new_state(1), {0: 3, 1: 1})
    stock = [s.stats["stock"] for s in state.seats]
    assert stock == [7.0, 9.0, 10.0]
    assert [s.stats["seen_upstream"] for s in state.seats] == [0.0, 7.0, 9.0]
    # the review reads the downstream seat's Received (0 at the end of the chain)
    scores = {r.seat: r.score for r in state.history[-1].reviews["stage"]}
    assert scores == {0: 3.0, 1: 6.0, 2: 3.0}


def test_a_seat_sees_its_neighbours_but_not_what_is_in_transit_unless_the_flow_shows_it():
    scenario = load_scenario(CHAIN)
    game = Game(scenario)
    view = game.view(game.new_state(1), 1)
    assert (view.upstream, view.downstream) == (0, 2)
    assert view.incoming == []
    shown = load_scenario_text(CHAIN.read_text().replace("initial: 3}", "initial: 3, "
                                                         "visible: true}"), "chain")
    game = Game(shown)
    view = game.view(game.new_state(1), 1)
    assert [(i.due, i.amount) for i in view.incoming] == [(1, 3.0), (2, 3.0)]
    assert game.view(game.new_state(1), 0).incoming == []


def test_a_ring_passes_from_the_last_seat_to_the_first():
    game = Game(load_scenario_text(CHAIN.read_text().replace("order: chain", "order: ring"),
                                   "ring"))
    state = game.new_state(1)
    assert {t.seat for t in state.transit} == {0, 1, 2}
    assert (game.view(state, 0).upstream, game.view(state, 2).downstream) == (2, 0)


def test_a_game_with_goods_in_transit_saves_and_replays(tmp_path):
    game = Game(load_scenario(CHAIN))
    session = Session(game, 4, game.default_seats(), path=tmp_path / "chain.json")
    for seat in game.to_act(session.state):
        session.act(Allocate(seat=seat, effort={"ship": 2}))
    session.save()
    assert session.state.transit
    resumed, _ = open_save(tmp_path / "chain.json")
    assert resumed.state.state_hash() == session.state.state_hash()


def test_keyed_draws_follow_their_distribution_and_scope():
    binomial = Draw(binomial=[50, 0.2])
    values = [keyed_value(binomial, "b", seed, 1, 0) for seed in range(2000)]
    assert abs(mean(values) - 10.0) < 0.3 and all(v == int(v) and 0 <= v <= 50 for v in values)
    poisson = Draw(poisson=4)
    assert abs(mean(keyed_value(poisson, "p", s, 1, 0) for s in range(2000)) - 4.0) < 0.2
    big = Draw(poisson=200)
    assert abs(mean(keyed_value(big, "p", s, 1, 0) for s in range(500)) - 200.0) < 2.0
    choice = Draw(choice={"values": [1, 2, 3], "weights": [1, 1, 2]})
    picks = [keyed_value(choice, "c", s, 1, 0) for s in range(4000)]
    assert abs(picks.count(3.0) / 4000 - 0.5) < 0.03 and set(picks) == {1.0, 2.0, 3.0}
    seat_scope = [keyed_value(poisson, "p", 7, 1, k) for k in range(8)]
    assert len(set(seat_scope)) > 1
    turn = Draw(poisson=4, scope="turn")
    assert len({keyed_value(turn, "p", 7, 1, k) for k in range(8)}) == 1
    game_scope = Draw(poisson=4, scope="game")
    assert len({keyed_value(game_scope, "p", 7, t, k) for t in range(5) for k in range(3)}) == 1


def test_keyed_draws_in_a_game_are_per_seat_per_turn_or_per_game_as_declared():
    game = Game(load_scenario(CHAIN))
    state = game.new_state(3)
    seen = []
    for _ in range(4):
        state = _play(game, state, {0: 1, 1: 1, 2: 1})
        seen.append([(s.stats["luck"], s.stats["shared_luck"], s.stats["season_seen"])
                     for s in state.seats])
    assert any(len({row[0] for row in turn}) > 1 for turn in seen)  # demand: per seat
    assert all(len({row[1] for row in turn}) == 1 for turn in seen)  # defects: per turn
    assert len({row[2] for turn in seen for row in turn}) == 1  # season: per game


def test_formulas_read_a_neighbours_decision_of_this_turn(tmp_path):
    text = CHAIN.read_text().replace(
        "  - {id: stage, name: Stage, effort: 3, seats: {min: 2, max: 4, default: 3}}",
        "  - id: stage\n    name: Stage\n    effort: 3\n    seats: {min: 2, max: 4, default: 3}\n"
        "    decisions: [{id: ask, name: Ask, min: 0, max: 10, initial: 2}]").replace(
        "  - {target: seen_upstream, mode: set, value: upstream.stock}",
        "  - {target: seen_upstream, mode: set, value: downstream.ask}")
    game = Game(load_scenario_text(text, "chain"))
    state = game.new_state(1)
    for seat in game.to_act(state):
        state = game.apply(state, Allocate(seat=seat, effort={}, numbers={"ask": 5.0 + seat}))
    assert [s.stats["seen_upstream"] for s in state.seats] == [6.0, 7.0, 0.0]
