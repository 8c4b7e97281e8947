"""The review over a batch (docs/rules.md, "Phases" step 5), for every
game of the batch: for each reviewed role in turn, every employed seat is scored (the
role's `score` plus the `review` term of every policy in force), ranked (game.engine.batch.ranks),
given its score, rank and running total, and then, seat by seat in rank order, the role's
consequences in file order; their changes are applied together, and layoffs come last.

What each formula reads is what the scalar engine reads at that moment:
- every role's scores read the global names as the review began (metrics, headcounts and the
  order's line before any consequence), the seats' own names as they are now;
- the first role's consequences read those same names; a later role's read them afresh;
- consequences draw from the turn's "review" stream, seeded at its first draw, seat by seat
  in rank order, consequence by consequence, effect by effect.
"""

from __future__ import annotations

import numpy as np

from game.engine.batch.changes import Changes, finish
from game.engine.batch.effects import land, passes
from game.engine.batch.env import Env, global_env, seat_env
from game.engine.batch.formula import quietly
from game.engine.batch.masks import anywhere
from game.engine.batch.near import held_neighbours
from game.engine.batch.ranks import Ranking, rank_seats
from game.engine.batch.recorded import Reviews, RoleReview
from game.engine.batch.state import Batch
from game.engine.batch.streams import Lanes
from game.engine.env import per_rules
from game.scenario.rules import CEffect, CReview, Rules


@quietly
def review_turn(batch: Batch) -> None:
    """Review every reviewed role of every game of the batch, in the rules' review order;
    each role's ranking and the consequences that held go to `batch.reviews`, as arrays."""
    opening = _Opening(batch)
    lanes = Lanes(batch.seeds, batch.turn, "review")
    batch.reviews = Reviews(batch.size)
    for n, (role, review) in enumerate(batch.rules.reviews.items()):
        members = batch.employed & batch.layout.role_of_seat[role]
        ranking = _rank(batch, review, members, opening.score_env(batch))
        scores = _scored(batch, ranking, members)
        senv = (None if not review.consequences else opening.seat_names(batch) if n == 0
                else seat_env(batch, global_env(batch, reads=review_reads(batch.rules))))
        held = _consequences(batch, review, ranking, senv, lanes)
        batch.reviews.add(RoleReview(role, ranking.order, scores, ranking.ranks,
                                     ranking.count, held,
                                     tuple(c.name for c in review.consequences)))


def _review_reads(rules: Rules) -> frozenset[str]:
    """The names some formula of a review reads (scores, terms, consequences, effects)."""
    names: set[str] = set()
    for review in rules.reviews.values():
        names |= review.score.names
        names.update(*(term.names for _, term in review.terms))
        for consequence in review.consequences:
            names |= consequence.when.names
            names.update(*(effect.names for effect in consequence.effects))
    return frozenset(names)


review_reads = per_rules(_review_reads)


class _Opening:
    """The names as the review began, which every role's scores read (see the module)."""

    __slots__ = ("employed", "genv", "stats")

    def __init__(self, batch: Batch) -> None:
        self.genv = global_env(batch, reads=review_reads(batch.rules))
        ordered = batch.layout.order is not None  # (the opening line, for the neighbours)
        self.employed = batch.employed.copy() if ordered else None
        self.stats = batch.stats.copy() if ordered else None

    def seat_names(self, batch: Batch) -> Env:
        """The seat names on the opening global names, the seats' own values as they are."""
        return seat_env(batch, self.genv)

    def score_env(self, batch: Batch) -> Env:
        """What the scores read: the opening global names and the seats' own names now, their
        neighbours' from the opening line (game.engine.batch.near)."""
        env = self.seat_names(batch)
        if batch.layout.order is not None:
            env.update(held_neighbours(batch, self.employed, self.stats))
        return env


def _rank(batch: Batch, review: CReview, members: np.ndarray, senv: Env) -> Ranking:
    """The role's employed seats, `members` (G, S), ranked by their scores (the score plus
    the terms in force, added to 0 in policy file order, as `sum` would)."""
    layout = batch.layout
    shape = batch.employed.shape
    score = layout.formula(review.score)(senv)  # (G, S) once added to the terms
    terms = np.zeros(shape)
    for policy_id, term in review.terms:
        active = (batch.policies[:, layout.policy_ids.index(policy_id)] > 0)[:, None]
        if anywhere(active):  # (a term in force in no game adds nothing anywhere)
            terms = np.where(active, terms + layout.formula(term)(senv), terms)
    return rank_seats(score + terms, members, review.ties, batch.seeds, batch.turn, "ties",
                      review.role)


def _scored(batch: Batch, ranking: Ranking, members: np.ndarray) -> np.ndarray:
    """Write each ranked seat's (each of `members`) score, rank and running total, in
    place; returns each game's scores by rank place, (G, S)."""
    order = ranking.order
    games, seats = order.shape
    first = np.arange(0, games * seats, seats)[:, None]  # each game's first cell, flattened
    cell = order + first  # the cell of the seat at each place, in the flattened (G, S)
    place = np.empty(games * seats, dtype=order.dtype)  # each seat's place in the ranking
    places = np.empty((games, seats), dtype=order.dtype)  # places 0..S-1 in every game
    places[:] = np.arange(seats, dtype=order.dtype)  # (np.tile's, without its Python)
    place[cell.ravel()] = places.ravel()
    np.copyto(batch.score, ranking.scores, where=members)
    np.copyto(batch.rank, np.take(ranking.ranks, place.reshape(games, seats) + first),
              where=members)
    np.add(batch.score_total, ranking.scores, out=batch.score_total, where=members)
    return np.take(ranking.scores, cell)  # (flat takes: a (G, S) fancy index costs ~2.5x)


def _consequences(batch: Batch, review: CReview, ranking: Ranking, senv: Env | None,
                  lanes: Lanes) -> np.ndarray | None:
    """Each consequence of `review` in file order, for each ranked seat in rank order, on the
    seat names `senv` (with the scores and ranks just given; None without consequences);
    their changes applied together, then the layoffs. The formulas are evaluated once for
    every seat: nothing they read changes until the changes are applied (an effect's only
    once its consequence holds somewhere: a consequence that holds in no game draws and
    changes nothing). Returns where each consequence held, (G, rank place, consequence) bool
    (None without consequences)."""
    if not review.consequences and batch.layout.settled:
        return None  # nothing to apply (a pass with nothing to add changes nothing)
    layout = batch.layout
    shape, rows = batch.employed.shape, np.arange(batch.size)
    held = np.zeros((*shape, len(review.consequences)), dtype=bool) \
        if review.consequences else None
    changes = Changes(batch)
    ranked = np.arange(shape[1]) < ranking.count[:, None]  # (G, place)
    for c, consequence in enumerate(review.consequences):
        when = layout.formula(consequence.when)(senv)
        held[:, :, c] = ranked & (_by_place(when, rows, ranking.order) != 0.0)
    evaluated: dict[int, list] = {}
    laid_off = np.zeros(shape, dtype=bool)
    for place in range(int(ranking.count.max(initial=0))):
        seat = ranking.order[:, place]
        for c, consequence in enumerate(review.consequences):
            holds = held[:, place, c]
            if not anywhere(holds):
                continue
            if c not in evaluated:
                evaluated[c] = [(e, *(layout.formula(f)(senv) for f in (e.when, e.chance,
                                                                         e.value)))
                                for e in consequence.effects]
            for effect, e_when, chance, value in evaluated[c]:
                applies = passes(_at(e_when, rows, seat), _at(chance, rows, seat), holds,
                                 lanes)
                _land(batch, changes, effect, _at(value, rows, seat), applies, seat)
            if consequence.layoff:
                laid_off[rows[holds], seat[holds]] = True
    finish(batch, changes, False)
    batch.employed = batch.employed & ~laid_off
    batch.laid_off_turn = np.where(laid_off, batch.turn, batch.laid_off_turn)
    return held


def _by_place(values: np.ndarray, rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The values of a formula's result on a seat env (0-d, (G, 1) or (G, S)) of the seat at
    each rank place, as `order` (G, S) places them (0-d stays 0-d; (G, 1) stays (G, 1):
    every seat's)."""
    if values.ndim == 0 or values.shape[1] == 1:
        return values
    return values[rows[:, None], order]


def _at(values: np.ndarray, rows: np.ndarray, seat: np.ndarray) -> np.ndarray:
    """The values (G,) of a formula's result on a seat env at `seat` (G,) of each game (a 0-d
    result stays 0-d; a (G, 1) result is every seat's)."""
    if values.ndim == 0:
        return values
    return values[rows, seat] if values.shape[1] > 1 else values[:, 0]


def _land(batch: Batch, changes: Changes, effect: CEffect, amount: np.ndarray, applies: np.ndarray,
          seat: np.ndarray) -> None:
    """Put a consequence's `amount` (G,) into `changes` where it `applies`, on the reviewed
    `seat` (G,) of each game (metric pushes are direct: they skip the metric's own delay)."""
    if not effect.on_seat:
        land(batch, changes, effect, effect.delay, True, amount, applies, None)
        return
    for k in np.unique(seat[applies]).tolist():
        land(batch, changes, effect, effect.delay, True, amount, applies & (seat == k), k)
