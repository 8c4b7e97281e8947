"""MT19937 seeded for many streams at once (game.engine.batch.twister) and Lanes reading its
words (game.engine.batch.streams) give CPython's `random.Random` numbers bit for bit."""

from __future__ import annotations

import random

import numpy as np
import pytest

from game.engine.batch import streams, twister
from game.engine.batch.streams import Bank, Lanes
from game.engine.rng import derive, derive_array, derive_many, stream
from game.scenario.load import load_scenario
from tests.conftest import TINY, bundled_scenarios

KEYS = [0, 1, 2, 12345, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**63, 2**64 - 1,
        *(derive(seed, 3, "work", 1) for seed in range(300)),
        *(derive(seed, "news") >> 32 for seed in range(100)),
        *(derive(seed, "bot") >> 48 for seed in range(20))]
"""Keys of one 32-bit word (0 among them) and of two, edges and `derive`'s."""


def test_derive_many_is_derive_for_each_seed_and_parts():
    seeds = [0, 7, 2**40, "room-1"]
    parts = [(), (3, "work", 1), (12, "news"), ("bot", 0), tuple(range(9))]
    assert derive_many(seeds, parts) == [derive(s, *p) for p in parts for s in seeds]


def test_derive_array_is_derive_for_each_seed_and_parts():
    """Held to `derive` itself (derive_many shares derive_array's digests): seeds that are
    negative, large or text, parts of no, many and non-ASCII texts."""
    seeds = [0, 7, -3, 2**40, -(2**70), "room-1", "salle-été"]
    parts = [(), (3, "work", 1), (12, "news"), ("bot", 0), tuple(range(9)), ("café", -1)]
    keys = derive_array(seeds, parts)
    assert keys.dtype == np.uint64
    assert keys.tolist() == [derive(s, *p) for p in parts for s in seeds]
    assert derive_array(seeds, []).shape == (0,)
    assert derive_array([], parts).shape == (0,)


def test_first_words_of_a_uint64_array_are_those_of_its_ints():
    keys = np.array(KEYS, dtype=np.uint64)
    assert np.array_equal(twister.first_words(keys, 9), twister.first_words(KEYS, 9))
    with pytest.raises(ValueError):
        twister.first_words(keys.astype(np.int64), 1)


def test_first_words_are_getrandbits_for_every_key_and_depth():
    words = twister.first_words(KEYS, twister.MOST)
    for k, key in enumerate(KEYS):
        rng = random.Random(key)
        assert words[:, k].tolist() == [rng.getrandbits(32) for _ in range(twister.MOST)], key


@pytest.mark.parametrize("most", [7, 8, 9])
def test_first_words_are_the_same_in_blocks(monkeypatch, most):
    """Streams seeded in several blocks (of even widths, the last one narrower when they
    do not divide) give the same words."""
    whole = twister.first_words(KEYS, 8)
    monkeypatch.setattr(twister, "BLOCK", most)
    assert np.array_equal(twister.first_words(KEYS, 8), whole)


@pytest.mark.parametrize("most", [7, 9, 1000])
def test_first_words_to_a_count_per_key(monkeypatch, most):
    """Keys given a count each (runs of counts crossing the blocks' edges) get their own
    first words, as many as their count."""
    monkeypatch.setattr(twister, "BLOCK", most)
    counts = np.array([3, 3, 3, 1, 1, 5, 5, 5, 5, 2] * (len(KEYS) // 10 + 1))[:len(KEYS)]
    words = twister.first_words(KEYS, counts)
    assert len(words) == 5
    for k, key in enumerate(KEYS):
        rng = random.Random(key)
        assert words[:counts[k], k].tolist() == [rng.getrandbits(32) for _ in range(counts[k])]
    with pytest.raises(ValueError):
        twister.first_words(KEYS[:2], np.array([1, 0]))


def test_randoms_and_gauss_pairs_are_cpythons():
    words = twister.first_words(KEYS, 12)
    u = twister.randoms(words[0::2], words[1::2])
    first, spare = twister.gauss_pairs(u[0], u[1])
    second, _ = twister.gauss_pairs(u[2], u[3])
    for k, key in enumerate(KEYS):
        rng = random.Random(key)
        assert [rng.gauss(), rng.gauss(), rng.gauss()] == [first[k], spare[k], second[k]]
        assert [rng.random() for _ in range(2)] == u[4:, k].tolist()[:2]


def test_keys_of_more_than_two_words_are_refused():
    with pytest.raises(ValueError):
        twister.first_words([2**64], 1)
    with pytest.raises(ValueError):
        twister.first_words([5], twister.MOST + 1)


RANDOMS = (("luck", (1.0, 0.1), False), ("spread", (-2.0, 3.0), True),
           ("odd", (0.0, 2.5), False))


def _call(lanes: Lanes, op: int, mask: np.ndarray) -> np.ndarray:
    """Call number `op` of a Lanes' draws on `mask`: what it gives, as one array."""
    if op == 0:
        return lanes.random(mask)
    if op == 1:
        return lanes.uniform(-1.0, 2.0, mask)
    if op == 2:
        return lanes.gauss(1.0, 0.3, mask)
    return np.concatenate(list(lanes.draws(RANDOMS, mask).values()))


def _same_draws(a: Lanes, b: Lanes, ops: np.random.Generator, games: int) -> None:
    """Draw the same random sequence of calls from both; every number must be equal."""
    for _ in range(14):
        mask = ops.random(games) < 0.7
        op = int(ops.integers(0, 5))
        if op == 4:
            times = ops.integers(0, 3, games)
            a.skip_draws(RANDOMS, mask, times)
            b.skip_draws(RANDOMS, mask, times)
        else:
            assert np.array_equal(_call(a, op, mask), _call(b, op, mask), equal_nan=True), op


def test_lanes_reading_words_draw_what_the_streams_draw():
    """Lanes on a bank's words and Lanes seeded by CPython give the same numbers through
    every kind of call, including the games whose words run out (they go on in CPython)."""
    seeds = list(range(40))
    ops = np.random.default_rng(7)
    spilled = 0
    for _ in range(12):
        words = Bank(seeds, [(4, "news")]).take((4, "news"))
        banked = Lanes(seeds, 4, "news", words=words)
        _same_draws(banked, Lanes(seeds, 4, "news"), ops, len(seeds))
        spilled += sum(rng is not None for rng in banked.rngs)
    assert 0 < spilled < 12 * len(seeds)  # both ways were taken


def test_a_bank_holds_only_its_parts():
    bank = Bank([1, 2], [(1, "news"), (1, "work", 0)])
    assert bank.take((2, "news")) is None
    rng = stream(2, 1, "work", 0)
    assert bank.take((1, "work", 0))[:, 1].tolist() == [
        rng.getrandbits(32) for _ in range(streams.DEPTH)]
    assert Bank([1, 2], []).take((1, "news")) is None


def test_a_bank_covers_as_many_turns_as_its_size_allows(monkeypatch):
    monkeypatch.setattr(streams, "WORTH", 1)
    monkeypatch.setattr(streams, "MOST_STREAMS", 30)
    bank = streams.bank_for([1, 2, 3], 2, 12, [0, 2])  # 9 streams a turn
    assert bank.turns == range(2, 5)
    assert sorted(bank.columns) == sorted([(t, "work", k) for t in (2, 3, 4) for k in (0, 2)]
                                          + [(t, "news") for t in (2, 3, 4)])
    assert streams.bank_for([1, 2, 3], 12, 12, [0, 2]).turns == range(12, 13)
    monkeypatch.setattr(streams, "WORTH", 10**9)
    assert streams.bank_for([1, 2, 3], 2, 12, [0, 2]).turns == range(2, 13)  # empty, all turns



def test_a_bank_gives_the_work_streams_their_own_depth(monkeypatch):
    monkeypatch.setattr(streams, "WORTH", 1)
    bank = streams.bank_for([1, 2, 3], 2, 3, [0, 2], ("news",), 4)
    assert bank.take((2, "work", 2)).shape == (4, 3)
    assert bank.take((3, "news")).shape == (streams.DEPTH, 3)
    rng = stream(3, 3, "work", 0)
    assert bank.take((3, "work", 0))[:, 2].tolist() == [rng.getrandbits(32) for _ in range(4)]


@pytest.mark.parametrize("path", [TINY, *bundled_scenarios()], ids=lambda p: p.stem)
def test_a_work_stream_is_banked_as_deep_as_a_turn_reads(path, monkeypatch):
    """`work_words` is enough: no seat's banked "work" stream runs out of words and goes on
    in CPython (which gives the same numbers, slower)."""
    from game.analysis.simulate import run_games

    scenario = load_scenario(path)
    strategies = dict(zip([r.id for r in scenario.roles], ("hype", "gamer")))
    made = []
    init = Lanes.__init__

    def spy(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(streams, "WORTH", 1)
    monkeypatch.setattr(Lanes, "__init__", spy)
    run_games(scenario, list(range(20)), strategies)
    work = [lanes for lanes in made if "work" in lanes.parts and lanes.words is not None]
    assert work or not scenario.behaviours
    assert all(rng is None for lanes in work for rng in lanes.rngs)


def test_a_batch_of_no_games_gets_an_empty_bank():
    """No seeds, no streams to seed (it divided by the streams a turn, 0, before)."""
    bank = streams.bank_for([], 1, 12, [1, 2])
    assert bank.words is None and bank.turns == range(1, 13)
    assert bank.take((1, "news")) is None

def test_a_batch_whose_seeds_changed_gets_a_new_bank(monkeypatch):
    """A bank is the words of its seeds' streams: a batch whose seeds were changed in place
    must not read the old ones."""
    from game.engine import Game
    from game.engine.batch.state import gather

    monkeypatch.setattr(streams, "WORTH", 1)
    game = Game(load_scenario(TINY))
    batch = gather(game.rules, [game.new_state(seed) for seed in (1, 2)])
    streams.lanes_of(batch, batch.turn, "news")
    batch.seeds[1] = 9
    lanes = streams.lanes_of(batch, batch.turn, "news")
    rng = stream(9, batch.turn, "news")
    assert lanes.random(np.array([False, True]))[1] == rng.random()


@pytest.mark.parametrize("path", [TINY, *bundled_scenarios()], ids=lambda p: p.stem)
def test_games_on_a_bank_are_the_games_on_cpython_streams(path, monkeypatch):
    """A chunk whose work and news streams come from a bank (forced here for 3 games; then
    a few words deep, so streams also run out and go on in CPython, and a bank a turn) plays
    the very games it plays with every stream seeded by CPython."""
    from game.analysis.simulate import run_games
    from game.engine import Game
    from game.engine.batch.streams import resolve_draws

    scenario = load_scenario(path)
    strategies = dict(zip([r.id for r in scenario.roles], ("hype", "gamer")))
    seeds = [11, 12, 13]
    monkeypatch.setattr(streams, "WORTH", 10**9)
    alone = run_games(scenario, seeds, strategies)
    banks = []
    made = Bank.__init__

    def spy(self, *args):
        made(self, *args)
        banks.append(self)

    monkeypatch.setattr(Bank, "__init__", spy)
    monkeypatch.setattr(streams, "WORTH", 1)
    for depth, most in ((streams.DEPTH, streams.MOST_STREAMS), (6, 1)):
        monkeypatch.setattr(streams, "DEPTH", depth)
        monkeypatch.setattr(streams, "MOST_STREAMS", most)
        assert run_games(scenario, seeds, strategies) == alone
    assert any(bank.words is not None for bank in banks)
    assert any(len(bank.turns) == 1 and bank.words is not None for bank in banks)
    if resolve_draws(Game(scenario).rules):
        assert any((1, "resolve") in bank.columns for bank in banks)


def test_long_skips_leave_the_streams_where_cpython_leaves_them():
    """`skip_draws` moves a bank's words by counting them (no number computed but the spare
    normal left): many draws skipped at once, from games with and without a spare normal,
    with uniforms between the normals and with normals only, then drawn on, equal CPython."""
    seeds = list(range(30))
    ops = np.random.default_rng(11)
    for randoms in (RANDOMS, RANDOMS[:1], RANDOMS[1:2]):
        for _ in range(6):
            words = Bank(seeds, [(5, "news")]).take((5, "news"))
            banked, cpython = Lanes(seeds, 5, "news", words=words), Lanes(seeds, 5, "news")
            for _ in range(2):
                mask = ops.random(len(seeds)) < 0.5
                assert np.array_equal(banked.gauss(0.0, 1.0, mask),
                                      cpython.gauss(0.0, 1.0, mask), equal_nan=True)
                times = ops.integers(0, 6 if len(randoms) == 1 else 3, len(seeds))
                mask = ops.random(len(seeds)) < 0.8
                banked.skip_draws(randoms, mask, times)
                cpython.skip_draws(randoms, mask, times)
            assert any(rng is None for rng in banked.rngs)  # some never left the words
            everyone = np.ones(len(seeds), dtype=bool)
            for op in range(4):
                assert np.array_equal(_call(banked, op, everyone), _call(cpython, op, everyone),
                                      equal_nan=True), op


def test_a_skip_computes_no_number_until_its_spare_normal_is_read(monkeypatch):
    """`skip_draws` on a bank's words only counts them: the spare normal a skipped pair
    leaves is computed (libm's log and sin) only when a draw reads it, and then it is the
    one CPython's stream holds."""
    seeds = list(range(30))
    everyone = np.ones(len(seeds), dtype=bool)
    words = Bank(seeds, [(6, "news")]).take((6, "news"))
    banked, cpython = Lanes(seeds, 6, "news", words=words), Lanes(seeds, 6, "news")
    times = np.random.default_rng(3).integers(0, 4, len(seeds))

    def no_number(function, values):
        raise AssertionError("a skip computed a number")
    with monkeypatch.context() as patched:
        patched.setattr(twister, "libm", no_number)
        patched.setattr(streams, "libm", no_number)
        banked.skip_draws(RANDOMS[:1], everyone, times)
    cpython.skip_draws(RANDOMS[:1], everyone, times)
    assert (banked.pairs >= 0).any()  # some spare kept as its pair
    assert np.array_equal(banked.gauss(0.0, 1.0, everyone), cpython.gauss(0.0, 1.0, everyone))
    assert np.array_equal(banked.gauss(0.0, 1.0, everyone), cpython.gauss(0.0, 1.0, everyone))
