"""Flows over a batch (docs/rules.md, "Flows"), as game.engine.flows ships and delivers: every
flow in file order, each sending seat in the order of the line (upstream first) ships its
`from`, worked out on the state after resolution's steps 1-7; then everything in transit that
falls due this turn or earlier is added to its receiver's stat, one shipment at a time,
clamped to the stat's bounds.

A game's line depends on who is employed, so shipments are rows by (flow, receiver) for each
place in the line: a game's shipments are its present rows, in the scalar order.
"""

from __future__ import annotations

import numpy as np

from game.engine.batch.changes import clamp
from game.engine.batch.env import global_env, neighbour_index, seat_env
from game.engine.batch.state import Batch, Shipment
from game.engine.relations import line_of


def lines(batch: Batch) -> np.ndarray:
    """(G, S) the seat indices of each game's line, upstream first, padded with -1."""
    layout = batch.layout
    out = np.full(batch.employed.shape, -1, dtype=np.int64)
    for g, employed in enumerate(batch.employed.tolist()):
        rows = [(k, role) for k, role in enumerate(layout.roles) if employed[k]]
        line = line_of(layout.order, rows)
        out[g, :len(line)] = line
    return out


def ship_and_deliver(batch: Batch) -> None:
    """Every flow ships, then whatever falls due arrives (see the module)."""
    rules, layout = batch.rules, batch.layout
    senv = seat_env(batch, global_env(batch))
    line = lines(batch)
    up, down = neighbour_index(batch)
    rows = np.arange(batch.size)
    shipped: list[Shipment] = []
    for flow in rules.flows:
        amounts = np.broadcast_to(layout.formula(flow.source)(senv), batch.employed.shape)
        near = up if flow.upstream else down
        sends = np.array([role in flow.roles for role in layout.roles], dtype=bool)
        for n in range(layout.seats):
            sender = line[:, n]
            there = np.maximum(sender, 0)
            receiver = near[rows, there]
            amount = amounts[rows, there]
            ships = (sender >= 0) & sends[there] & (amount > 0) & (receiver >= 0)
            for seat in np.unique(receiver[ships]).tolist():
                present = ships & (receiver == seat)
                shipped.append(Shipment(flow.id, batch.turn + flow.delay, seat,
                                        np.where(present, amount, 0.0), present))
    _deliver(batch, batch.transit + shipped)


def _deliver(batch: Batch, transit: list[Shipment]) -> None:
    """Add what falls due this turn to its receivers' stats (clamped), one at a time in
    order; keep the rest in transit."""
    layout = batch.layout
    targets = {f.id: layout.stat(f.to) for f in batch.rules.flows}
    keep = []
    stats = batch.stats.copy()
    for item in transit:
        if item.due > batch.turn:
            keep.append(item)
            continue
        t = targets.get(item.flow)
        if t is None or not layout.has_stat[item.seat, t]:
            continue
        column = stats[:, item.seat, t]
        arrived = clamp(column + item.amount, layout.stat_low[t], layout.stat_high[t])
        stats[:, item.seat, t] = np.where(item.present, arrived, column)
    batch.stats = stats
    batch.transit = keep
