"""The next turn's news (`news.open_turn`) alone, on the batches a warm flagship chunk of 500
games hands it (hype manager, gamer engineers): each captured as the loop opens it, then
opened again on copies, best of several rounds; prints ms a game (all turns of a game) and
a digest of the results, which must not change with the code."""
from __future__ import annotations

import copy
import hashlib
import sys
import time

import numpy as np

import game.engine.batch.news as news
try:
    import game.engine.batch.opening as opening
except ImportError:  # (before open_batch: the first news is opened by new_states)
    opening = news
from game.analysis.simulate import run_games, run_seed
from game.scenario.load import load_scenario

SCENARIO = sys.argv[1] if len(sys.argv) > 1 else "scenarios/tokenmaxxing.yaml"
N = 500


def snapshot(batch):
    """A copy of what open_turn reads and changes (the rules, layout and bank shared)."""
    out = copy.copy(batch)
    for name in ("metrics", "carry", "stats", "policies", "employed"):
        setattr(out, name, getattr(batch, name).copy())
    out.pending = list(batch.pending)
    out.fired = [list(f) for f in batch.fired]
    out.news = [list(n) for n in batch.news]
    out.cache = {}
    return out


def digest(batch) -> str:
    h = hashlib.sha256()
    for a in (batch.metrics, batch.carry, batch.stats):
        h.update(np.ascontiguousarray(a).tobytes())
    for p in batch.pending:
        h.update(repr((p.due, p.target, p.seat, p.mode, p.direct)).encode())
        h.update(p.amount.tobytes() + p.present.tobytes())
    h.update(repr(batch.fired).encode() + repr([[x.event for x in n] for n in batch.news]).encode())
    return h.hexdigest()[:16]


captured = []
original = news.open_turn


def keep(batch):
    captured.append(snapshot(batch))
    return original(batch)


sc = load_scenario(SCENARIO)
strat = {"manager": "hype", "employee": "gamer"} if "tokenmaxxing" in SCENARIO else None
for s in (1, 2):
    run_games(sc, [run_seed(s, i) for i in range(N)], strat)
news.open_turn = opening.open_turn = keep
run_games(sc, [run_seed(7, i) for i in range(N)], strat)
news.open_turn = opening.open_turn = original
captured = [b for b in captured if b.size == N]
best = None
for _ in range(10):
    copies = [snapshot(b) for b in captured]
    t = time.process_time()
    for b in copies:
        original(b)
    took = time.process_time() - t
    best = took if best is None else min(best, took)
    for b, c in zip(captured, copies):  # the bank seeded at turn 1 counted once (resolution's)
        b.bank = c.bank
print(f"{len(captured)} turns of {N} games: open_turn {best * 1000 / N:.4f} ms a game "
      f"(CPU, best of 10); digest {hashlib.sha256(''.join(digest(b) for b in copies).encode()).hexdigest()[:16]}")
