"""Each game's list of a batch kept as what was added to many games at once
(game/engine/batch/lists.py `GameLists`): a game's list is the list it started with, then
the items added to it in the order they were added; and the simulator's records read the
events from those lists as they are kept (game/analysis/batch_records.py `_events`) in the
order `record_of` lists them: game by game, turn by turn, each turn's list in order.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np

from game.analysis.batch_records import _events
from game.engine.batch.lists import GameLists
from game.engine.state import Headline


def _plain(start: list[list], adds: list[tuple[object, np.ndarray]]) -> list[list]:
    """The lists written game by game: each start, then each item where its mask holds."""
    out = [list(s) for s in start]
    for item, mask in adds:
        for g, there in enumerate(mask.tolist()):
            if there:
                out[g].append(item)
    return out


def _random_lists(rng: random.Random, games: int, items: list, started: bool
                  ) -> tuple[GameLists, list[list]]:
    """Lists with random starts (or none) and random adds, with the same lists written
    plainly."""
    start = [rng.sample(items, rng.randrange(min(3, len(items) + 1))) if started else []
             for _ in range(games)]
    lists = GameLists(start) if started else GameLists(games)
    adds = []
    for item in rng.sample(items, rng.randrange(len(items))):
        mask = np.array([rng.random() < 0.4 for _ in range(games)], dtype=bool)
        lists.add(item, mask)
        mask_copy = mask.copy()
        mask[:] = True  # (the lists keep their own copy of the mask)
        adds.append((item, mask_copy))
    return lists, _plain(start, adds)


def test_a_games_list_is_its_start_then_what_was_added_to_it_in_order():
    rng = random.Random(5)
    for games in (1, 3, 8):
        for started in (False, True):
            lists, want = _random_lists(rng, games, list("abcdefg"), started)
            assert [lists[g] for g in range(games)] == want
            assert lists.lists() == want and list(lists) == want and lists == want
            assert len(lists) == games
            lists[0].append("z")  # (a list read is a new list)
            assert lists[0] == want[0]


def test_lists_that_differ_are_not_equal():
    one, other = GameLists(2), GameLists(2)
    one.add("a", np.array([True, False]))
    other.add("a", np.array([False, True]))
    assert one != other and one == [["a"], []] and other == GameLists([[], ["a"]])


def _headlines(turns: int) -> list[Headline]:
    return [Headline(turn=t, event=e, headline=e.upper(), text="")
            for t in range(1, turns + 1) for e in ("quake", "boom", "audit", "strike")]


def test_records_read_the_events_in_the_order_record_of_lists_them():
    """Turns' news lists (started or not, random adds of each turn's headlines) read for
    rows in any order and any subset: each game's headlines turn by turn, codes in the
    order the events are met game by game after the known ids."""
    rng = random.Random(11)
    for case in range(40):
        games, turns = rng.randrange(1, 9), rng.randrange(1, 5)
        heads = _headlines(turns)
        lists, plain = [], []
        for t in range(1, turns + 2):  # (the last: the news after the last turn)
            of_turn = [h for h in heads if h.turn == t]
            made, written = _random_lists(rng, games, of_turn or heads[:1], rng.random() < 0.3)
            lists.append(made)
            plain.append(written)
        rows = np.array(rng.sample(range(games), rng.randrange(1, games + 1)), dtype=np.intp)
        known = tuple(rng.sample(["boom", "calm"], rng.randrange(3)))
        history = SimpleNamespace(turns=[SimpleNamespace(recorded=SimpleNamespace(news=n))
                                         for n in lists[:-1]])
        turn, code, start, ids = _events(history, SimpleNamespace(news=lists[-1]), rows, known)
        per_game = [[h for written in plain for h in written[g]] for g in rows.tolist()]
        want_ids = dict.fromkeys(known)
        want_ids.update(dict.fromkeys(h.event for game in per_game for h in game))
        assert ids == tuple(want_ids), case
        numbered = {e: c for c, e in enumerate(want_ids)}
        assert turn.tolist() == [h.turn for game in per_game for h in game], case
        assert code.tolist() == [numbered[h.event] for game in per_game for h in game], case
        assert start.tolist() == np.cumsum([0] + [len(game) for game in per_game]).tolist()
        assert (turn.dtype, code.dtype, start.dtype) == (np.int64, np.int32, np.int64)
