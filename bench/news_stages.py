"""Where a warm flagship chunk of 500 games spends its time (ms a game, three runs): the
integrator's stage timer (/tmp/stages.py), wrapping `open_batch` where the loop opens its
batch with it (its first news counted in .open_turn), else `new_states` and `gather`."""
import time, sys, collections
from game.scenario.load import load_scenario
from game.analysis.simulate import run_games, run_seed, batch_collection
import game.analysis.batch_play as bp
import game.engine.batch.turn as turn
import game.engine.batch.review as review, game.engine.batch.news as news
sc = load_scenario("scenarios/tokenmaxxing.yaml")
strat = {"manager": "hype", "employee": "gamer"}
N = 500
T = collections.Counter()
def wrap(mod, name, label):
    f = getattr(mod, name)
    def w(*a, **k):
        t = time.perf_counter()
        try: return f(*a, **k)
        finally: T[label] += time.perf_counter() - t
    setattr(mod, name, w)
for s in (1, 2): run_games(sc, [run_seed(s, i) for i in range(N)], strat)
wrap(bp._Loop, "phase", "decisions (phase)")
wrap(bp, "resolve_turn", "resolve_turn")
wrap(bp, "records_from", "records_from")
if hasattr(bp, "open_batch"):
    import game.engine.batch.opening as opening
    wrap(bp, "open_batch", "open_batch")
    wrap(opening, "open_turn", " .open_turn")
else:
    wrap(bp, "gather", "gather")
    wrap(bp.Game, "new_states", "new_states")
wrap(turn, "resolve_body", " .resolve_body")
wrap(review, "review_turn", " .review")
wrap(news, "open_turn", " .open_turn")
import game.engine.batch.streams as streams
wrap(streams, "bank_for", "  ..bank (seeding)")
best = None
for rep in range(3):
    T.clear()
    seeds = [run_seed(10 + rep, i) for i in range(N)]
    t = time.perf_counter()
    with batch_collection():
        run_games(sc, seeds, strat)
    wall = time.perf_counter() - t
    print(f"wall {wall*1000/N:.3f} ms/game", {k: round(v*1000/N, 3) for k, v in sorted(T.items())})
