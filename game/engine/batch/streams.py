"""Random streams for a batch: `Lanes` holds one `game.engine.rng.stream(seed, *parts)` per
game, and draws only for the games a mask selects. Each number is the one the stream's own
`random`, `uniform` or `gauss` gives, so a game's numbers are exactly those the scalar engine
draws from the same stream in the same order, whatever its batch.

A stream is either seeded lazily by CPython at its first draw, or read from words seeded
beforehand with every other stream of a large batch (`Bank`, `game.engine.batch.twister`:
thousands of MT19937 seedings at once cost a third of CPython's one by one). Read words are
the stream's own first outputs, so both give the same numbers; a stream that needs more words
than were seeded goes on as a CPython stream moved past the words it read.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from game.engine.batch.masks import anywhere
from game.engine.batch.twister import WORTH, first_words, gauss_polar, libm
from game.engine.batch.twister import randoms as _randoms
from game.engine.env import per_rules
from game.engine.rng import derive_array, stream
from game.scenario.rules import CEffect, Rules

if TYPE_CHECKING:
    from game.engine.batch.state import Batch

RandomSpec = tuple[str, tuple[float, float], bool]
"""(name, arguments, uniform?) of a draw that keeps the old streams (`Layout.randoms`)."""

DEPTH = 32
"""Words seeded ahead per banked stream, but the "work" streams (`work_words`): a flagship
game's "news" streams read at most 28."""
MOST_STREAMS = 40_000
"""Streams a bank seeds at most (it covers fewer turns, then another covers the next): its
words are 128 bytes a stream, and a flagship chunk of 500 games needs 30,000 for 12 turns."""


class Bank:
    """The first words of streams `stream(seed, *parts)` for every seed of a batch and each
    of some parts, seeded together: `DEPTH` words a stream, or as many as its part is given
    (`depths`)."""

    __slots__ = ("columns", "seeds", "turns", "words")

    def __init__(self, seeds: Sequence[int], parts: Sequence[tuple],
                 turns: range = range(0), depths: Sequence[int] | None = None) -> None:
        self.seeds = tuple(seeds)
        """The seeds it was made for (a batch whose seeds differ needs another bank)."""
        self.turns = turns
        """The turns it was made for (a batch at another turn needs another bank)."""
        size = len(seeds)
        depths = [DEPTH] * len(parts) if depths is None else list(depths)
        keys = derive_array(seeds, parts)
        self.words = first_words(keys, np.repeat(depths, size)) if len(keys) else None
        """(the largest depth, len(parts) * G) uint32: the streams of parts[i] in columns
        i*G.., their first depths[i] rows computed."""
        self.columns = {p: (slice(i * size, (i + 1) * size), depth)
                        for i, (p, depth) in enumerate(zip(parts, depths))}

    def take(self, parts: tuple) -> np.ndarray | None:
        """(its depth, G) the words of every game's stream of `parts`; None if not
        banked."""
        column = self.columns.get(parts)
        return None if column is None else self.words[:column[1], column[0]]


def draws(effect: CEffect) -> bool:
    """Whether applying `effect` may draw a number: its chance is not a constant at or above 1
    or at or below 0."""
    chance = effect.chance.constant
    return chance is None or 0.0 < chance < 1.0


def observes(rules: Rules, effects: Iterable[CEffect]) -> bool:
    """Whether applying `effects` can observe the stream they are given: one draws for its
    chance, or reads an old-stream random name."""
    randoms = frozenset(rules.legacy_draws)
    return any(draws(e) or not randoms.isdisjoint(e.names) for e in effects)


def work_words(rules: Rules, randoms: tuple[RandomSpec, ...]) -> int:
    """The most words a seat's "work" stream can give in a turn (`DEPTH` at most): its
    random names `randoms` (the layout's) once (`effects.work_draws`), then a `random()`
    for each effect of its role's behaviours that may draw (`draws`, `effects.apply_work`).
    A stream that reads more goes on in CPython, with the same numbers."""
    drawing = max((sum(draws(e) for b in rules.behaviours_of(role) for e in b.effects)
                   for role in {b.role for b in rules.behaviours}), default=0)
    return max(1, min(DEPTH, _most(randoms) + 2 * drawing))


def _resolve_draws(rules: Rules) -> bool:
    """Whether anything can observe the turn's "resolve" stream: a policy or dynamics effect
    that draws for its chance or reads a random name (then the policies' env and the
    dynamics' env each draw the random names from it)."""
    return observes(rules, (*(e for p in rules.policies for e in p.effects), *rules.dynamics))


resolve_draws = per_rules(_resolve_draws)


def lanes_of(batch: Batch, *parts: object) -> Lanes:
    """The batch's `Lanes` of `parts`, reading its bank's words if it holds them. The bank
    is made at the first call: the "work" stream of every seat whose role works, the "news"
    and, if anything can draw from it, the "resolve" stream of every game for this turn and
    the next ones (`bank_for`); made again when the batch is at a turn past them, or its
    seeds are no longer those it was made for."""
    bank = batch.bank
    if bank is None or batch.turn not in bank.turns or bank.seeds != tuple(batch.seeds):
        rules = batch.rules
        working = [k for k, role in enumerate(batch.layout.roles) if rules.behaviours_of(role)]
        kinds = ("news", "resolve") if resolve_draws(rules) else ("news",)
        batch.bank = bank_for(batch.seeds, batch.turn, rules.scenario.turns, working, kinds,
                              work_words(rules, batch.layout.randoms))
    return Lanes(batch.seeds, *parts, words=batch.bank.take(parts))


def bank_for(seeds: Sequence[int], turn: int, last: int, working: Sequence[int],
             kinds: Sequence[str] = ("news",), work_depth: int = DEPTH) -> Bank:
    """A bank of the streams turns `turn`..`last` draw the most from, the "work" of each
    seat of `working` (`work_depth` words each) and the streams `(turn, kind)` of `kinds`
    (`DEPTH` words each; as many turns as
    `MOST_STREAMS` allows, at least one), if there are enough of them (`WORTH`) for seeding
    them together to pay; else an empty one for all those turns."""
    per_turn = len(seeds) * (len(working) + len(kinds))
    most = MOST_STREAMS // max(per_turn, 1)  # (no game: no stream, an empty bank below)
    turns = range(turn, max(turn, min(last, turn + most - 1)) + 1)
    if per_turn * len(turns) < WORTH:
        return Bank(seeds, [], range(turn, max(turn, last) + 1))
    work = [(t, "work", k) for t in turns for k in working]
    others = [(t, kind) for t in turns for kind in kinds]
    return Bank(seeds, work + others, turns, [work_depth] * len(work) + [DEPTH] * len(others))


class Lanes:
    """One stream per game: `stream(seeds[g], *parts)`, seeded lazily by CPython, or read
    from `words` (depth, G) (a `Bank`'s) until they run out."""

    __slots__ = ("angles", "cached", "cursor", "pairs", "parts", "radii", "rngs", "seeds",
                 "spilled", "words")

    def __init__(self, seeds: Sequence[int], *parts: object,
                 words: np.ndarray | None = None) -> None:
        self.seeds = seeds
        self.parts = parts
        self.rngs: list[random.Random | None] = [None] * len(seeds)
        """Each game's CPython stream once it has one (its draws come from there)."""
        self.spilled = False
        """Whether some game reading `words` went on in its CPython stream (`lane`)."""
        self.words = words
        self.cursor = np.zeros(len(seeds), dtype=np.int64)
        """(G,) the words each game has read of `words`."""
        self.cached = np.full(len(seeds), np.nan)
        """(G,) each game's spare normal (`gauss_next`) while it reads `words`; NaN: none,
        or not computed yet (see `angles`)."""
        self.angles = np.full(len(seeds), np.nan)
        """(G,) the angle (x2pi, `twister.gauss_polar`) of each game's spare normal not
        computed yet (NaN: none such), whose radius is in `radii`: sin(x2pi) * g2rad is
        computed only where it is read (most work streams never read theirs)."""
        self.radii = np.zeros(len(seeds))
        self.pairs = np.full(len(seeds), -1, dtype=np.int64)
        """(G,) where a game's spare normal is the second of a pair skipped over, the place
        in `words` of the pair's first word (-1: none such): its angle and radius are
        computed only when it is read (`_settle`); a skipped stream's spare rarely is."""

    def lane(self, game: int) -> random.Random:
        """Game `game`'s CPython stream, seeded now if it has none yet (moved past the words
        it has read, with its spare normal)."""
        rng = self.rngs[game]
        if rng is None:
            rng = self.rngs[game] = stream(self.seeds[game], *self.parts)
            if self.words is not None:
                self.spilled = True
                for _ in range(int(self.cursor[game])):
                    rng.getrandbits(32)
                self._pairs_read(np.array([game]))
                angle = float(self.angles[game])  # (a spare as its angle: see `_settle`)
                spare = float(self.cached[game]) if math.isnan(angle) \
                    else math.sin(angle) * float(self.radii[game])
                rng.gauss_next = None if math.isnan(spare) else spare
        return rng

    def _split(self, mask: np.ndarray, most: int | np.ndarray
               ) -> tuple[np.ndarray, list[int]]:
        """(the selected games that have `most` more words (one count, or a count per game
        (G,)) left in `words` and no CPython stream, the other selected games, which draw
        from their CPython streams)."""
        games = mask.nonzero()[0]  # (mask: (G,) bool; flatnonzero's, without its wrappers)
        if self.words is None:
            return games[:0], games.tolist()
        if isinstance(most, np.ndarray):
            most = most[games]
        fast = self.cursor[games] + most <= len(self.words)
        if self.spilled:  # (else no game has left the words: no list of G streams to scan)
            fast &= np.array([self.rngs[g] is None for g in games.tolist()], dtype=bool)
        return games[fast], games[~fast].tolist()

    def _random(self, games: np.ndarray) -> np.ndarray:
        """A `random()` from the words of each of `games`, moving them on."""
        if not len(games):
            return np.empty(0)
        at = self.cursor[games]
        self.cursor[games] = at + 2
        return _randoms(self.words[at, games], self.words[at + 1, games])

    def _pairs_read(self, games: np.ndarray) -> None:
        """The angle and radius (`angles`, `radii`) of the spare normal of each of `games`
        that holds one as a skipped pair (`pairs`)."""
        at = self.pairs[games]
        skipped = at >= 0
        if anywhere(skipped):
            at, columns = at[skipped], games[skipped]
            u1 = _randoms(self.words[at, columns], self.words[at + 1, columns])
            u2 = _randoms(self.words[at + 2, columns], self.words[at + 3, columns])
            self.angles[columns], self.radii[columns] = gauss_polar(u1, u2)
            self.pairs[columns] = -1

    def _settle(self, games: np.ndarray) -> None:
        """Compute the spare normal each of `games` holds (as a skipped pair, or an angle
        and radius) into `cached` (the second of `twister.gauss_pairs`)."""
        self._pairs_read(games)
        angles = self.angles[games]
        held = ~np.isnan(angles)
        if anywhere(held):
            at = games[held]
            self.cached[at] = libm(math.sin, angles[held]) * self.radii[at]
            self.angles[at] = np.nan

    def _gauss(self, games: np.ndarray) -> np.ndarray:
        """CPython's `gauss(0, 1)` from the words of each of `games`: the spare normal if
        it has one, else a pair from two `random()`s whose second is kept as the spare
        (as its angle and radius, `angles`)."""
        self._settle(games)
        z = self.cached[games]
        fresh = np.isnan(z)
        self.cached[games] = np.nan
        if anywhere(fresh):
            drawing = games[fresh]
            u1 = self._random(drawing)
            x2pi, g2rad = gauss_polar(u1, self._random(drawing))
            z[fresh] = libm(math.cos, x2pi) * g2rad
            self.angles[drawing], self.radii[drawing] = x2pi, g2rad
        return z

    def random(self, mask: np.ndarray) -> np.ndarray:
        """(G,) a `random()` from each selected game's stream; NaN for the others (which
        draw nothing)."""
        out = np.full(len(self.seeds), np.nan)
        fast, slow = self._split(mask, 2)
        out[fast] = self._random(fast)
        for g in slow:
            out[g] = self.lane(g).random()
        return out

    def uniform(self, a: float, b: float, mask: np.ndarray) -> np.ndarray:
        """(G,) a `uniform(a, b)` from each selected game's stream; NaN for the others."""
        out = np.full(len(self.seeds), np.nan)
        fast, slow = self._split(mask, 2)
        out[fast] = a + (b - a) * self._random(fast)
        for g in slow:
            out[g] = self.lane(g).uniform(a, b)
        return out

    def gauss(self, mu: float, sigma: float, mask: np.ndarray) -> np.ndarray:
        """(G,) a `gauss(mu, sigma)` from each selected game's stream; NaN for the others."""
        out = np.full(len(self.seeds), np.nan)
        fast, slow = self._split(mask, 4)
        out[fast] = mu + self._gauss(fast) * sigma
        for g in slow:
            out[g] = self.lane(g).gauss(mu, sigma)
        return out

    def draws(self, randoms: tuple[RandomSpec, ...], mask: np.ndarray) -> dict[str, np.ndarray]:
        """A fresh value of every draw of `randoms`, in their order, from each selected game's
        stream, as `game.engine.env.draws_of` draws them: name -> (G,), NaN where unselected.
        (`uniform(a, b)` is `a + (b - a) * random()`, as `random.Random.uniform` computes it.)"""
        fast, games = self._split(mask, _most(randoms))
        columns: list[list[float]] = [[] for _ in randoms]
        specs = [(column, a, b - a if uniform else b, uniform)
                 for column, (_, (a, b), uniform) in zip(columns, randoms)]
        rngs, lane = self.rngs, self.lane
        for g in games:
            rng = rngs[g] or lane(g)
            for column, a, b, uniform in specs:
                column.append(a + b * rng.random() if uniform else rng.gauss(a, b))
        out = {}
        for (name, _, _), column, (_, a, b, uniform) in zip(randoms, columns, specs):
            values = out[name] = np.full(len(self.seeds), np.nan)
            values[games] = column
            if len(fast):
                values[fast] = (a + b * self._random(fast) if uniform
                                else a + self._gauss(fast) * b)
        return out

    def skip_draws(self, randoms: tuple[RandomSpec, ...], mask: np.ndarray,
                   times: np.ndarray | int = 1) -> None:
        """Move each selected game's stream on as `draws` would, `times` over (one count for
        every game, or a count per game (G,)), for numbers nothing reads."""
        counts = np.broadcast_to(np.asarray(times, dtype=np.int64), (len(self.seeds),))
        fast, games = self._split(mask, _most(randoms) * counts)
        if len(fast):
            self._skip(randoms, fast, counts[fast])
        rngs, lane = self.rngs, self.lane
        for g in games:
            rng = rngs[g] or lane(g)
            for _ in range(int(counts[g])):
                for _, (a, b), uniform in randoms:
                    if uniform:
                        rng.random()
                    else:
                        rng.gauss(a, b)


    def _skip(self, randoms: tuple[RandomSpec, ...], games: np.ndarray,
              counts: np.ndarray) -> None:
        """Move the words of each of `games` on past `counts` (per game) `draws` of
        `randoms`, computing no number but the spare normal a game is left with: a uniform
        reads 2 words; a normal takes the spare if there is one, else reads a pair (4 words)
        and keeps its second as the spare (where the pair is: `pairs`)."""
        cursor = self.cursor[games]
        spare = ~np.isnan(self.cached[games]) | ~np.isnan(self.angles[games]) \
            | (self.pairs[games] >= 0)
        pair = np.full(len(games), -1)
        """The first word of the last pair drawn (-1: none; the spare is the one it had)."""
        for rep in range(int(counts.max(initial=0))):
            moving = counts > rep
            for _, _, uniform in randoms:
                if uniform:
                    cursor += 2 * moving
                    continue
                fresh = moving & ~spare
                pair = np.where(fresh, cursor, pair)
                cursor += 4 * fresh
                spare ^= moving
        self.cursor[games] = cursor
        replaced = ~spare | (pair >= 0)  # (no spare left, or the last pair's second)
        self.cached[games[replaced]] = np.nan
        self.angles[games[replaced]] = np.nan
        self.pairs[games[replaced]] = np.where(spare, pair, -1)[replaced]


def _most(randoms: tuple[RandomSpec, ...]) -> int:
    """The most words one `draws` of `randoms` reads (2 a uniform, 4 a fresh normal pair)."""
    return sum(2 if uniform else 4 for _, _, uniform in randoms)
