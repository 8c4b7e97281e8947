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
from game.engine.batch.near import held_neighbours
from game.engine.batch.ranks import Ranking, rank_seats
from game.engine.batch.recorded import Reviews, RoleReview
from game.engine.batch.state import Batch
from game.engine.batch.streams import Lanes
from game.scenario.rules import CEffect, CReview


@quietly
def review_turn(batch: Batch) -> None:
    """Review every reviewed role of every game of the batch, in the rules' review order;
    each role's ranking and the consequences that held go to `batch.reviews`, as arrays."""
    opening = _Opening(batch)
    lanes = Lanes(batch.seeds, batch.turn, "review")
    batch.reviews = Reviews(batch.size)
    for n, (role, review) in enumerate(batch.rules.reviews.items()):
        ranking = _rank(batch, role, review, opening.score_env(batch))
        scores = _scored(batch, ranking)
        senv = (None if not review.consequences else opening.seat_names(batch) if n == 0
                else seat_env(batch, global_env(batch)))
        held = _consequences(batch, review, ranking, senv, lanes)
        batch.reviews.add(RoleReview(role, ranking.order, scores, ranking.ranks,
                                     ranking.count, held,
                                     tuple(c.name for c in review.consequences)))


class _Opening:
    """The names as the review began, which every role's scores read (see the module)."""

    __slots__ = ("employed", "genv", "stats")

    def __init__(self, batch: Batch) -> None:
        self.genv = global_env(batch)
        self.employed = batch.employed.copy()
        self.stats = batch.stats.copy()

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


def _rank(batch: Batch, role: str, review: CReview, senv: Env) -> Ranking:
    """The role's employed seats ranked by their scores (the score plus the terms in force,
    added to 0 in policy file order, as `sum` would)."""
    layout = batch.layout
    shape = batch.employed.shape
    score = np.broadcast_to(layout.formula(review.score)(senv), shape)
    terms = np.zeros(shape)
    for policy_id, term in review.terms:
        active = (batch.policies[:, layout.policy_ids.index(policy_id)] > 0)[:, None]
        if active.any():  # (a term in force in no game adds nothing anywhere)
            terms = np.where(active, terms + layout.formula(term)(senv), terms)
    members = batch.employed & layout.role_of_seat[role]
    return rank_seats(score + terms, members, review.ties, batch.seeds, batch.turn, "ties",
                      role)


def _scored(batch: Batch, ranking: Ranking) -> np.ndarray:
    """Write each ranked seat's score, rank and running total; returns each game's scores
    by rank place, (G, S)."""
    placed = np.arange(batch.layout.seats) < ranking.count[:, None]
    where = (np.nonzero(placed)[0], ranking.order[placed])
    scores = np.take_along_axis(ranking.scores, ranking.order, axis=1)
    batch.score[where] = scores[placed]
    batch.rank[where] = ranking.ranks[placed]
    batch.score_total[where] = batch.score_total[where] + scores[placed]
    return scores


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
    whens = [layout.formula(c.when)(senv) for c in review.consequences]
    evaluated: dict[int, list] = {}
    laid_off = np.zeros(shape, dtype=bool)
    for place in range(int(ranking.count.max(initial=0))):
        ranked = place < ranking.count
        seat = ranking.order[:, place]
        for c, (consequence, when) in enumerate(zip(review.consequences, whens)):
            holds = ranked & (_at(when, rows, seat) != 0.0)
            if not holds.any():
                continue
            held[:, place, c] = holds
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
