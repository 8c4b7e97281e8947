"""Exports for the facilitator's slides: the end screen as PNGs, the game as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

from game.analysis.indices import metric_series
from game.engine.save import save_dir, write_atomic
from game.ui.debrief import Debrief
from game.ui.slides import reveal_slide, write_slides


def export_folder(play, base: Path | None = None) -> Path:
    """A new folder for this game's exports (under `base`, else next to the saves)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    root = base if base is not None else save_dir().parent / "exports"
    return root / f"{play.scenario.id}-seed{play.session.seed}-{stamp}"


def export_game(play, d: Debrief, predictions: dict[int, float], folder: Path) -> list[Path]:
    """Write debrief-N-<layer>.png for every layer (the end screen's layers as 1920×1080
    slides), game.json, turns.csv and seats.csv (and what-if.csv once the what-if replay is
    ready); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = write_slides({f"debrief-{n}-{name.lower().replace(' ', '-')}.png":
                            reveal_slide(d, n, predictions)
                            for n, name in enumerate(d.layers, start=1)}, folder)
    for name, text in (("game.json", game_json(play, d, predictions)),
                       ("turns.csv", turns_csv(play, d)),
                       ("seats.csv", seats_csv(play, d, predictions)),
                       ("what-if.csv", what_if_csv(d))):
        if not text:
            continue
        write_atomic(folder / name, text)
        written.append(folder / name)
    return written


def game_json(play, d: Debrief, predictions: dict[int, float]) -> str:
    """The whole game: the save (seed, table, actions), the indices, outcomes and events."""
    s = play.scenario
    data = {
        "scenario": {"id": s.id, "title": s.title, "version": s.version},
        "seed": play.session.seed,
        "save": play.session.to_save().model_dump(mode="json"),
        "turns": [{"turn": t, "proxy_index": d.proxy[t], "health_index": d.health[t],
                   "gap": d.gap[t], "metrics": m}
                  for t, m in enumerate(metric_series(s, play.state))],
        "seats": [o.model_dump(mode="json") for o in d.outcomes],
        "events": [vars(e) for e in d.events],
        "predictions": {play.session.seats[k].name: v for k, v in predictions.items()},
        "facts": d.facts,
        "lessons": d.lessons,
        "questions": d.questions,
        "rank_agreement": d.rank_agreement,
        "what_if": d.what_if.model_dump(mode="json") if d.what_if is not None else None,
    }
    return json.dumps(data, indent=1)


def what_if_csv(d: Debrief) -> str:
    """One row per turn: this game's indices and gap beside the what-if replay's; empty text
    when there is no replay (yet)."""
    w = d.what_if
    if w is None:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["turn", "proxy_index", "health_index", "gap", "what_if_proxy_index",
                     "what_if_health_index", "what_if_gap", "what_if_regime"])
    for t in range(min(len(d.proxy), len(w.proxy))):
        writer.writerow([t, f"{d.proxy[t]:.3f}", f"{d.health[t]:.3f}", f"{d.gap[t]:.3f}",
                         f"{w.proxy[t]:.3f}", f"{w.health[t]:.3f}", f"{w.gap[t]:.3f}",
                         w.regime])
    return out.getvalue()


def turns_csv(play, d: Debrief) -> str:
    """One row per turn (0 is the start): the indices, the gap, every metric's true value."""
    series = metric_series(play.scenario, play.state)
    ids = [m.id for m in play.scenario.metrics]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["turn", "proxy_index", "health_index", "gap", *ids])
    for t, metrics in enumerate(series):
        writer.writerow([t, f"{d.proxy[t]:.3f}", f"{d.health[t]:.3f}", f"{d.gap[t]:.3f}",
                         *(f"{metrics[i]:.3f}" for i in ids)])
    return out.getvalue()


def seats_csv(play, d: Debrief, predictions: dict[int, float]) -> str:
    """One row per seat: who played it, its review total and rank, its real contribution."""
    outcomes = {o.seat: o for o in d.outcomes}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["seat", "name", "role", "player", "employed", "score_total",
                     "leaderboard_rank", "contribution", "contribution_rank",
                     "health_prediction"])
    for i, setup in enumerate(play.session.seats):
        o = outcomes.get(i)
        state_seat = play.state.seats[i]
        writer.writerow([i, setup.name, setup.role, setup.controller, state_seat.employed,
                         f"{o.score_total:.3f}" if o else "", o.leaderboard_rank if o else "",
                         f"{o.contribution:.3f}" if o else "", o.contribution_rank if o else "",
                         predictions.get(i, "")])
    return out.getvalue()
