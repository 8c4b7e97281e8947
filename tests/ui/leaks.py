"""What a seat must not see, as the numbers the screen would show if it leaked.

A secret is a number in the game state that this seat's view does not contain: another
seat's private stats and choices, true values of hidden, lagged or noisy metrics. Numbers the
seat may see (anything in its view or legal actions, or in the scenario's own text) are taken
out, so a coincidence is not reported as a leak.
"""

from __future__ import annotations

from game.ui.draw import format_number
from game.ui.play import Play


def _numbers(obj, out: set[str]) -> set[str]:
    if isinstance(obj, bool):
        return out
    if isinstance(obj, (int, float)):
        out.add(format_number(float(obj)).replace(",", ""))
        out.add(str(obj))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _numbers(k, out)
            _numbers(v, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _numbers(v, out)
    elif isinstance(obj, str):
        import re
        out.update(m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", obj))
    return out


def visible_numbers(play: Play, seat: int) -> set[str]:
    """Every number the seat may legitimately see."""
    view, legal = play.view(seat), play.legal(seat)
    out = _numbers(view.model_dump(), set())
    _numbers(legal.model_dump(), out)
    _numbers(play.scenario.model_dump(), out)
    _numbers(list(range(0, 101)), out)   # counters, points, turns, percentages
    return out


def secret_numbers(play: Play, seat: int) -> set[str]:
    """Numbers in the state that this seat's view does not reveal."""
    state, view = play.state, play.view(seat)
    secrets: set[str] = set()
    public = {o.index: o.stats for o in view.others}
    for other in state.seats:
        if other.index == seat:
            continue
        for stat, value in other.stats.items():
            if stat not in public.get(other.index, {}):
                _numbers(value, secrets)
        _numbers(state.submitted.get(other.index, {}), secrets)
        for record in state.history:
            _numbers(record.allocations.get(other.index, {}), secrets)
    for stat, value in state.seats[seat].stats.items():
        if stat not in view.own_stats:
            _numbers(value, secrets)
    for reading in view.metrics:
        if reading.note != "live":
            _numbers(state.metrics[reading.id], secrets)
    return {s.replace(",", "") for s in secrets} - visible_numbers(play, seat)


def leaked(play: Play, seat: int, on_screen: set[str]) -> set[str]:
    """Secrets of other seats (or hidden metrics) that appear on this seat's screen."""
    return secret_numbers(play, seat) & {n.replace(",", "") for n in on_screen}
