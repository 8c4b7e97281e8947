"""Legal actions, checks and choices over a batch of games (game.engine.batch.state.Batch),
never building a GameState: who must act (`acting`), the shared Legal each game's seat is
offered (`legal_groups`, from the memo of game.engine.legal, games in the same situation in
one group), whether a choice is already known to be legal (`checked`), and the choices
applied to the batch (`apply_policies`, `open_work`, `apply_allocation`).

A batch here is the one a simulation keeps between phases: the state every game would have
as the phase opens. The numbers a role with decisions chose last turn are not in it (a turn's
resolution starts the next one with none chosen): the caller keeps them (`chosen_numbers`
before the turn is resolved, or `last_numbers_of` states) and passes them as `last`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from game.engine.actions import Action, Allocate, Legal, SetPolicies
from game.engine.batch.layout import Layout
from game.engine.batch.recorded import Allocations
from game.engine.batch.state import Batch
from game.engine.env import per_rules
from game.engine.legal import (BehaviourChoice, Choice, PolicyChoice, _choices, offered,
                               policy_choice_at, work_key)
from game.engine.state import GameState
from game.scenario.rules import Rules

Answer = tuple[Legal, Choice | None] | None
"""A group's shared Legal and the memo entry it comes from (None for a seat with nothing to
submit), or None where the memo cannot answer without a state."""


def acting(rules: Rules, batch: Batch, phase: str) -> np.ndarray:
    """(G, S) bool: the seats that must act in `phase` in each game (employed, their role
    choosing something in it), as the phase opens (no seat has submitted yet)."""
    acts = np.array([(role, phase) in rules.acting for role in batch.layout.roles], dtype=bool)
    return batch.employed & acts


def legal_groups(rules: Rules, batch: Batch, seat: int, phase: str, rows: np.ndarray,
                 last: np.ndarray | None = None, locked: Mapping[str, int] | None = None
                 ) -> tuple[np.ndarray, list[Answer]]:
    """(the group of each of `rows` (games of the batch), and per group the shared (Legal,
    Choice) `legal_choice(rules, state, seat)` gives each of its games' states), groups
    numbered in order of their first row. A group's answer is None where the memo cannot
    answer without a state: availability that reads aggregates or `seats`, or behaviour
    options not yet in the memo (the caller plays those games the old way). Policy options
    need no state: they are made from the levels when the memo lacks them, as
    `legal_choice` would. A seat that has nothing to submit gets its idle Legal and no
    Choice.

    `last` is (G, S, D): the numbers each seat chose last turn (`chosen_numbers`), None
    before any turn was resolved (each decision's initial number); `locked` the levels the
    facilitator locked (the same in every game of the batch, as `play_games` gives them)."""
    rows = np.asarray(rows, dtype=np.intp)
    plan = _plan(rules, batch.layout, seat, phase)
    if plan is None or not len(rows):
        idle = (_choices(rules).idle(seat, phase), None)
        return np.zeros(len(rows), dtype=np.intp), [idle] if len(rows) else []
    if last is None and len(plan.decisions):
        last = np.broadcast_to(batch.layout.decision_initial, batch.numbers.shape)
    groups, first = group_rows(plan.values(batch, rows, last))
    employed = batch.employed[rows[first], seat].tolist()
    answers = [plan.answer(rules, batch, g, last, locked or {}) if works
               else (_choices(rules).idle(seat, phase), None)
               for g, works in zip(rows[first].tolist(), employed)]
    return groups, answers


def group_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group of each row of `values` (n, K) float64, first row of each group): rows equal
    bit for bit are in one group, groups numbered in order of their first row."""
    n, k = values.shape
    bits = np.ascontiguousarray(values).view(np.int64)
    if n <= 1 or k == 0 or (bits == bits[0]).all():  # (one group: the usual case)
        return np.zeros(n, dtype=np.intp), np.zeros(min(n, 1), dtype=np.intp)
    order = np.lexsort(bits.T[::-1])  # stable: a group's rows stay in order
    ranked = bits[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.any(ranked[1:] != ranked[:-1], axis=1, out=starts[1:])
    sorted_group = np.cumsum(starts) - 1
    first = order[starts]  # each group's first row, groups in sorted order
    by_row = np.argsort(first, kind="stable")
    renumber = np.empty_like(by_row)
    renumber[by_row] = np.arange(len(by_row))
    groups = np.empty(n, dtype=np.intp)
    groups[order] = renumber[sorted_group]
    return groups, first[by_row]


class _Plan:
    """Where a seat's Legal reads the batch in a phase: employment, then what the memo key
    reads (`_Choices.reads`; the role's policy levels in a policy phase), then the numbers
    it chose last turn; and its answer for one game. Made once per rules, table, seat and
    phase (`_plan`)."""

    __slots__ = ("behaviours", "decisions", "metrics", "phase", "policies", "policy_ids",
                 "rank", "reads", "role", "score", "seat", "stats", "width")

    def __init__(self, rules: Rules, layout: Layout, seat: int, phase: str) -> None:
        choices = _choices(rules)
        self.seat, self.phase, self.role = seat, phase, layout.roles[seat]
        self.reads = reads = choices.reads[self.role] if phase == "work" else None
        column = {pid: n for n, pid in enumerate(layout.policy_ids)}
        self.policy_ids = choices.policy_ids[self.role]
        metrics, policies, stats, behaviours = reads[:4] if reads else ((), (), (), ())
        if phase == "policy":
            policies = self.policy_ids
        self.score, self.rank = (bool(reads[5]), bool(reads[6])) if reads else (False, False)
        self.metrics = _columns(map(layout.metric, metrics))
        self.policies = _columns(map(column.__getitem__, policies))
        self.stats = _columns(map(layout.stat, stats))
        self.behaviours = _columns(map(layout.behaviour_ids.index, behaviours))
        decisions = rules.role_specs[self.role].decisions if phase == "work" else ()
        self.decisions = _columns(layout.decision_ids.index(d.id) for d in decisions)
        self.width = 1 + self.score + self.rank + sum(len(c) for c in (
            self.metrics, self.policies, self.stats, self.behaviours, self.decisions))

    def values(self, batch: Batch, rows: np.ndarray, last: np.ndarray | None) -> np.ndarray:
        """(len(rows), width) float64: the columns of `rows` (ints and bools are exact)."""
        seat, down = self.seat, rows[:, None]
        out = np.empty((len(rows), self.width))
        out[:, 0] = batch.employed[rows, seat]
        at = 1
        for read, values in ((self.score, batch.score), (self.rank, batch.rank)):
            if read:
                out[:, at] = values[rows, seat]
                at += 1
        for columns, values in ((self.metrics, batch.metrics), (self.policies, batch.policies),
                                (self.stats, batch.stats[:, seat]),
                                (self.behaviours, batch.effort[:, seat]),
                                (self.decisions, last[:, seat] if last is not None else None)):
            if len(columns):
                out[:, at:at + len(columns)] = values[down, columns]
                at += len(columns)
        return out

    def answer(self, rules: Rules, batch: Batch, g: int, last: np.ndarray | None,
               locked: Mapping[str, int]) -> Answer:
        """The shared (Legal, Choice) of the seat in game `g`, or None (see `legal_groups`)."""
        seat, role = self.seat, self.role
        if self.phase == "policy":
            levels = dict(zip(self.policy_ids, batch.policies[g, self.policies].tolist()))
            choice: Choice = policy_choice_at(rules, role, levels, locked)
            return offered(rules, choice, seat, role), choice
        if self.reads is None:
            return None
        key = work_key(role, self.reads, batch.turn, float(batch.score[g, seat]),
                       int(batch.rank[g, seat]), batch.metrics[g, self.metrics].tolist(),
                       batch.policies[g, self.policies].tolist(),
                       batch.stats[g, seat, self.stats].tolist(),
                       batch.effort[g, seat, self.behaviours].tolist())
        choice = _choices(rules).memo.get(key)
        if not isinstance(choice, BehaviourChoice):
            return None
        currents = tuple(last[g, seat, self.decisions].tolist()) if len(self.decisions) else ()
        return offered(rules, choice, seat, role, currents), choice


def _columns(indices) -> np.ndarray:
    """The column indices `indices` as an index array."""
    return np.fromiter(indices, dtype=np.intp)


_plans = per_rules(lambda rules: {})
"""Per Rules: the `_Plan` of each (table, seat, phase), None for a seat whose role does not
act in the phase."""


def _plan(rules: Rules, layout: Layout, seat: int, phase: str) -> _Plan | None:
    """The seat's `_Plan` in `phase` at the batch's table, made once (None: never acts)."""
    plans = _plans(rules)
    key = (layout.roles, seat, phase)
    if key not in plans:
        acts = (layout.roles[seat], phase) in rules.acting
        plans[key] = _Plan(rules, layout, seat, phase) if acts else None
    return plans[key]


def checked(choice: Choice | None, action: Action, seat: int | None = None
            ) -> dict[str, int] | None:
    """What `check_chosen` submits for `action` (of `seat`, if given) chosen from `choice`,
    when `choice.checked` already holds it (a copy: the caller's own); else None (the
    choice has not been found legal in this situation yet: check it on a state)."""
    if seat is not None and getattr(action, "seat", None) != seat:
        return None
    if isinstance(choice, PolicyChoice) and isinstance(action, SetPolicies):
        key = Choice.key_of(action.levels)
    elif isinstance(choice, BehaviourChoice) and isinstance(action, Allocate):
        key = Choice.key_of(action.effort, action.numbers)
    else:
        return None
    try:
        found = choice.checked.get(key)
    except TypeError:  # an unhashable value: never found legal
        return None
    return None if found is None else dict(found)


def apply_policies(batch: Batch, rows: np.ndarray, submitted: Mapping[str, int]) -> None:
    """Set the levels `submitted` (a seat's checked policy choice) in games `rows`, as
    `Game._close` updates a state's levels (call it for each seat in seat order)."""
    if not submitted:
        return
    column = {pid: n for n, pid in enumerate(batch.layout.policy_ids)}
    columns = [column[pid] for pid in submitted]
    batch.policies[np.ix_(np.asarray(rows, dtype=np.intp), columns)] = \
        np.array(list(submitted.values()), dtype=np.int64)


def open_work(batch: Batch) -> None:
    """No allocation made yet in any game: effort 0, every number its decision's initial
    one, nothing allocated, each game's allocations empty (as `take_choices` finds them in
    states whose seats have not chosen)."""
    layout = batch.layout
    batch.effort = np.zeros_like(batch.effort)
    batch.numbers = np.broadcast_to(layout.decision_initial, batch.numbers.shape).copy()
    batch.allocated = np.zeros_like(batch.allocated)
    batch.allocations = Allocations(batch.size)


def apply_allocation(batch: Batch, rows: np.ndarray, seat: int,
                     submitted: Mapping[str, float]) -> None:
    """Set seat `seat`'s checked allocation `submitted` (points per behaviour, numbers per
    decision) in games `rows`, after `open_work`: the arrays as `take_choices` reads them,
    and the group kept in `batch.allocations` (whose games' dicts are made when read, each
    with its own copy, its seats kept in seat order)."""
    apply_allocations(batch, seat, [(np.asarray(rows, dtype=np.intp), submitted)])


def apply_allocations(batch: Batch, seat: int,
                      groups: Sequence[tuple[np.ndarray, Mapping[str, float]]]) -> None:
    """`apply_allocation(batch, rows, seat, submitted)` for each (rows, submitted) of
    `groups` (rows: index arrays) in order. When no row is in two groups (as the loop over
    arrays gives them), the groups that submit the same names are set in one assignment per
    array, their values repeated row by row; else group by group, so that the last group
    holding a row wins (numpy does not say which of a row given twice in one assignment
    does)."""
    if _distinct([rows for rows, _ in groups], batch.size):
        games = np.concatenate([rows for rows, _ in groups]).astype(np.intp, copy=False) \
            if groups else np.zeros(0, dtype=np.intp)
        which = np.repeat(np.arange(len(groups)), [len(rows) for rows, _ in groups])
        apply_decided(batch, games, np.full(len(games), seat), which,
                      [submitted for _, submitted in groups])
        return
    for rows, submitted in groups:  # (one by one: the last group holding a row wins)
        rows = np.asarray(rows, dtype=np.intp)
        apply_decided(batch, rows, np.full(len(rows), seat), np.zeros(len(rows), dtype=np.intp),
                      [submitted])


def apply_decided(batch: Batch, games: np.ndarray, seats: np.ndarray, which: np.ndarray,
                  submitted: Sequence[Mapping[str, float]]) -> None:
    """`apply_allocation(batch, [g], s, submitted[w])` for each game g, seat s and w of
    `games`, `seats`, `which` (no game and seat twice), in one assignment per array for the
    allocations that submit the same names, and kept in `batch.allocations` as one entry
    (`Allocations.apply_each`)."""
    alike: dict[tuple[str, ...], list[int]] = {}
    for w, given in enumerate(submitted):
        alike.setdefault(tuple(given), []).append(w)
    for names, ws in alike.items():
        if len(alike) > 1:
            bucket = np.zeros(len(submitted), dtype=bool)
            bucket[ws] = True
            take = bucket[which]
            _assign_each(batch, names, ws, games[take], seats[take], which[take], submitted)
        else:
            _assign_each(batch, names, ws, games, seats, which, submitted)
    batch.allocations.apply_each(games, seats, which, submitted)


def _assign_each(batch: Batch, names: tuple[str, ...], ws: list[int], games: np.ndarray,
                 seats: np.ndarray, which: np.ndarray,
                 submitted: Sequence[Mapping[str, float]]) -> None:
    """Write into effort, numbers and `allocated` the allocation `submitted[which[i]]` of
    seat `seats[i]` in game `games[i]`, for each i: allocations `ws` of `submitted`, which
    submit `names`."""
    layout = batch.layout
    for target, ids in ((batch.effort, layout.behaviour_ids),
                        (batch.numbers, layout.decision_ids)):
        given = [key for key in names if key in ids]
        if given:
            values = np.zeros((len(submitted), len(given)))
            for w in ws:
                values[w] = [submitted[w][key] for key in given]
            _put(target, games, seats, [ids.index(key) for key in given], values[which])
    batch.allocated[games, seats] = bool(names)


def _put(target: np.ndarray, games: np.ndarray, seats: np.ndarray, columns: list[int],
         values: np.ndarray) -> None:
    """`target[games[i], seats[i], columns[j]] = values[i, j]` for every i and j (target:
    (G, S, K)), through its flat view where it has one (a third of the cost)."""
    if not target.flags.c_contiguous:
        target[games[:, None], seats[:, None], columns] = values
        return
    _, width, depth = target.shape
    target.reshape(-1)[((games * width + seats) * depth)[:, None] + np.array(columns)] = values


def _distinct(arrays: list[np.ndarray], size: int) -> bool:
    """Whether no row (of `size`) is given twice in `arrays` (index arrays)."""
    if len(arrays) < 2:
        return True
    rows = np.concatenate(arrays)
    seen = np.zeros(size, dtype=bool)
    seen[rows] = True
    return int(np.count_nonzero(seen)) == len(rows)


def chosen_numbers(batch: Batch) -> np.ndarray:
    """(G, S, D) each seat's numbers as chosen this turn (after `apply_allocation`, before
    the turn is resolved): `last` for the next turn's `legal_groups`."""
    return batch.numbers.copy()


def last_numbers_of(batch: Batch, states: list[GameState]) -> np.ndarray:
    """(G, S, D) each seat's numbers last turn in `states` (the batch's games, in order), as
    `legal.last_numbers` reads them from a state's history: for a batch gathered mid-game."""
    layout = batch.layout
    out = np.broadcast_to(layout.decision_initial, batch.numbers.shape).copy()
    for g, state in enumerate(states):
        last = state.history[-1].allocations if state.history else {}
        for seat, chosen in last.items():
            for d, did in enumerate(layout.decision_ids):
                if did in chosen:
                    out[g, seat, d] = chosen[did]
    return out


def options_memoised(rules: Rules, role: str, phase: str) -> bool:
    """Whether a seat of `role`'s options in `phase` are memoised by what they read (policy
    options always; behaviour options where availability reads only names a state holds as
    they are, see `legal._Choices`): then the games of one of `legal_groups`' groups share
    them, and where the memo lacks them one game's `legal_choice` fills it for all."""
    return phase == "policy" or _choices(rules).reads[role] is not None
