"""Stage timer of a warm 500-game flagship chunk (hype manager, gamer engineers), ms a game,
three runs: the integrator's /tmp/stages.py plus apply_allocation, record_turn and
History.keep (and the fallback play_games with any argument). Run from the worktree root:
`PYTHONPATH=. python bench/review_stages.py`."""
import collections
import sys
import time
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
wrap(bp, "gather", "gather")
wrap(bp.Game, "new_states", "new_states")
wrap(turn, "resolve_body", " .resolve_body")
wrap(review, "review_turn", " .review")
wrap(news, "open_turn", " .open_turn")
import game.engine.batch.history as hist
wrap(bp, "apply_allocation", " .apply_allocation")
wrap(turn, "record_turn", " .record_turn")
wrap(hist.History, "keep", " .keep")
if len(sys.argv) > 1: wrap(bp, "play_games", "fallback play_games")
best = None
for rep in range(3):
    T.clear()
    seeds = [run_seed(10 + rep, i) for i in range(N)]
    t = time.perf_counter()
    with batch_collection():
        run_games(sc, seeds, strat)
    wall = time.perf_counter() - t
    print(f"wall {wall*1000/N:.3f} ms/game", {k: round(v*1000/N, 3) for k, v in sorted(T.items())})
