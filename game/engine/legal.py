"""What a seat may choose now (`legal_actions`), and the memo of its options: a role's
options are computed once for the values they depend on, a seat's Legal once per situation
and shared (frozen) by every game in it, and a choice found legal in them once is a look-up
after that (game.engine.checks checks choices against them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from game.engine.actions import (BehaviourOption, Legal, NumberOption, PolicyOption,
                                 construct, construct_from)
from game.engine.env import global_env_for, per_rules, seat_env
from game.engine.state import GameState, SeatState
from game.errors import ActionError
from game.scenario.rules import Rules


def legal_actions(rules: Rules, state: GameState, seat: int) -> Legal:
    """What `seat` may choose now, with current levels, costs, availability and effort: the
    caller's own copy (its lists may be changed; `legal_choice`'s Legal is shared)."""
    legal = legal_choice(rules, state, seat)[0]
    return _legal(legal.seat, legal.phase, legal.must_act, list(legal.policies), legal.budget,
                  list(legal.behaviours), legal.effort, list(legal.numbers))


def legal_choice(rules: Rules, state: GameState, seat: int) -> tuple[Legal, Choice | None]:
    """`legal_actions`, shared (see `Choice.offer`: never change it), and the memo entry its
    options come from (None when the seat has nothing to submit): `check_chosen` checks the
    seat's choice against it.

    A seat's Legal depends only on the seat, the phase, whether it must act (employed, its
    role acting in the phase, not yet submitted), its role's options in the situation (the
    memo entry: policy levels and locks, or what availability reads) and, for a role with
    decisions, the numbers it chose last turn: equal situations share one Legal."""
    s = seat_at(state, seat)
    phase = state.phase
    if not s.employed or (s.role, phase) not in rules.acting or seat in state.submitted:
        return _choices(rules).idle(seat, phase), None
    if phase == "policy":
        choice: Choice = policy_choice(rules, state, s.role)
        return offered(rules, choice, seat, s.role), choice
    choice = behaviour_choice(rules, state, s)
    currents = last_numbers(state, s.index, choice.decisions) if choice.decisions else ()
    return offered(rules, choice, seat, s.role, currents), choice


def offered(rules: Rules, choice: Choice, seat: int, role: str,
            currents: tuple[float, ...] = ()) -> Legal:
    """The shared Legal of `seat` (of `role`) choosing from `choice` (and, for a role with
    decisions, its numbers last turn, `currents`): the one `choice.offers` holds, built and
    kept there the first time."""
    if isinstance(choice, PolicyChoice):
        legal = choice.offers.get(seat)
        if legal is None:
            legal = choice.offer(seat, _legal(seat, "policy", policies=list(choice.options),
                                              budget=rules.role_specs[role].policy_budget))
        return legal
    if not choice.decisions:  # (a BehaviourChoice)
        legal = choice.offers.get(seat)
        if legal is None:
            legal = choice.offer(seat, _legal(seat, "work", behaviours=list(choice.options),
                                              effort=choice.effort))
        return legal
    key = (seat, *map(float.hex, currents))  # exact: -0.0 and 0.0 are told apart
    legal = choice.offers.get(key)
    if legal is None:
        legal = choice.offer(key, _legal(seat, "work", behaviours=list(choice.options),
                                         effort=choice.effort,
                                         numbers=number_options(choice.decisions, currents)))
    return legal


def _legal(seat: int, phase: str, must_act: bool = True, policies: list | None = None,
           budget: float = 0.0, behaviours: list | None = None, effort: int = 0,
           numbers: list | None = None) -> Legal:
    """The Legal of these values, built field by field in order (see `construct_from`)."""
    return construct_from(Legal, {"seat": seat, "phase": phase, "must_act": must_act,
                                  "policies": policies or [], "budget": budget,
                                  "behaviours": behaviours or [], "effort": effort,
                                  "numbers": numbers or []})


def last_numbers(state: GameState, seat: int, decisions: tuple) -> tuple[float, ...]:
    """The seat's number last turn for each of `decisions` (its initial one before that)."""
    last = state.history[-1].allocations.get(seat, {}) if state.history else {}
    return tuple(float(last.get(d.id, d.initial)) for d in decisions)


def number_options(decisions: tuple, currents: tuple[float, ...]) -> list[NumberOption]:
    """The seat's decisions, in file order, each with its number last turn (`currents`)."""
    return [construct(NumberOption, id=d.id, name=d.name, min=d.min, max=d.max, step=d.step,
                      current=current) for d, current in zip(decisions, currents)]


class Choice:
    """A seat's options in one situation (a memo entry, see `_Choices`) and the choices
    already found legal in it: whether a choice is legal, and what it submits, depend only
    on the situation and the choice, so checking a choice again costs a look-up."""

    __slots__ = ("checked", "offers")

    LIMIT = 64
    """Checked choices (and Legals) kept before starting over (a game's bots make a handful
    of choices; a table has at most 40 seats)."""

    def __init__(self) -> None:
        self.checked: dict[tuple, dict[str, int]] = {}  # tuple(choice.items()) -> submitted
        self.offers: dict[object, Legal] = {}
        """The Legals listing these options, by seat (and numbers last turn, see
        `legal_choice`): shared by every game in this situation, so never changed."""

    def offer(self, key: object, legal: Legal) -> Legal:
        """Keep `legal` under `key` in `offers` (starting over when full) and return it."""
        if len(self.offers) >= self.LIMIT:
            self.offers.clear()
        self.offers[key] = legal
        return legal

    @staticmethod
    def key_of(made: dict, numbers: dict | None = None) -> tuple:
        """The key in `checked` of the choice `made` (and `numbers`, if any), as `check`
        makes it (game.engine.batch.choose looks choices up by it)."""
        key = tuple(made.items())
        return (key, tuple(numbers.items())) if numbers else key

    def check(self, made: dict, full_check: Callable[..., dict[str, int]],
              *args: object, numbers: dict | None = None) -> dict[str, int]:
        """What the choice `made` (and `numbers`, if any) submits: `full_check(*args)` (which
        may raise ActionError) the first time, remembered after that. Refusals are not
        remembered, nor choices that cannot be keyed (an action built without validation
        may hold anything)."""
        key = tuple(made.items())  # (`key_of`, inline: checked at every decision)
        if numbers:
            key = (key, tuple(numbers.items()))
        try:
            found = self.checked.get(key)
        except TypeError:  # an unhashable value: check it, and let the check refuse it
            return full_check(*args)
        if found is None:
            found = full_check(*args)
            if len(self.checked) >= self.LIMIT:
                self.checked.clear()
            self.checked[key] = found
        return dict(found)


class PolicyChoice(Choice):
    """A role's policy options at some levels and locks."""

    __slots__ = ("options",)

    def __init__(self, options: tuple[PolicyOption, ...]) -> None:
        super().__init__()
        self.options = options  # frozen, in file order


class BehaviourChoice(Choice):
    """A seat's effort points and its behaviours' options, as `legal_actions` lists them and
    `check_allocation` checks them (shared: both ask for the same state in turn)."""

    __slots__ = ("decisions", "effort", "limits", "options")

    def __init__(self, effort: int, listed: list[tuple[str, bool, int]], rules: Rules,
                 role: str) -> None:
        super().__init__()
        self.effort = effort
        self.decisions = tuple(rules.role_specs[role].decisions)
        """The role's decisions (their specs), in file order."""
        self.options = tuple(
            construct(BehaviourOption, id=bid, name=rules.behaviour_specs[bid].name,
                      available=available, max_effort=most)
            for bid, available, most in listed)
        """The frozen options, in file order."""
        self.limits = {bid: (available, most) for bid, available, most in listed}
        """Each behaviour id's (available, most points)."""


class _Choices:
    """What the choice of each role reads from a state, computed once per Rules (see
    `_choices`), and the choices already made, memoised by the values they depend on.

    A role's policy options depend only on its policies' levels and locks; its behaviour
    options on the names their availability formulas read. When those names are all read
    straight from the state (metrics, policy levels, constants, the turn, the seat's own
    stats, effort, score and rank), the values read are the memo key: equal values give
    equal formula results. Otherwise (aggregates, `seats`) the key is None and nothing is
    memoised. It must not refer to the Rules object itself (see `per_rules`)."""

    LIMIT = 4096
    """Entries kept before the memo starts over (a game needs a handful)."""

    def __init__(self, rules: Rules) -> None:
        self.policy_ids = {role: tuple(p.id for p in rules.policies_of(role))
                           for role in rules.role_specs}
        self.reads = {role: _reads(rules, role) for role in rules.role_specs}
        """Per role: (metric, policy, stat, behaviour names, reads turn, score, rank), or
        None when the availability formulas read a name the key cannot hold."""
        self.memo: dict[tuple, object] = {}
        self.idle_legal: dict[tuple[int, str], Legal] = {}

    def idle(self, seat: int, phase: str) -> Legal:
        """The (shared) Legal of a seat with nothing to submit in `phase`."""
        legal = self.idle_legal.get((seat, phase))
        if legal is None:
            legal = self.idle_legal[seat, phase] = _legal(seat, phase, must_act=False)
        return legal

    def remember(self, key: tuple, value: object) -> None:
        """Memoise `value` under `key`, starting over when the memo is full."""
        if len(self.memo) >= self.LIMIT:
            self.memo.clear()
        self.memo[key] = value


def _reads(rules: Rules, role: str) -> tuple | None:
    """The names the role's availability formulas read, by where a state keeps them (see
    `_Choices.reads`); None if one of them is kept elsewhere."""
    names = frozenset().union(*(b.available.names for b in rules.behaviours_of(role)
                                if b.available.constant is None))
    s = rules.scenario
    groups: tuple[list[str], ...] = ([], [], [], [])
    sources = ({m.id for m in s.metrics}, {p.id for p in s.policies},
               set(rules.role_stats[role]), {b.id for b in rules.behaviours_of(role)})
    for name in sorted(names - set(s.constants) - {"turn", "turns", "score", "rank"}):
        group = next((g for g, source in zip(groups, sources) if name in source), None)
        if group is None:
            return None
        group.append(name)
    return (*(tuple(g) for g in groups), "turn" in names, "score" in names, "rank" in names)


_choices = per_rules(_Choices)


def policy_choice(rules: Rules, state: GameState, role: str) -> PolicyChoice:
    """The role's policy options at the state's levels and locks, in file order."""
    return policy_choice_at(rules, role, state.policies, state.locked)


def policy_choice_at(rules: Rules, role: str, policies: Mapping[str, int],
                     locked: Mapping[str, int]) -> PolicyChoice:
    """The role's policy options at levels `policies` (by id; the role's own are read) and
    locks `locked`, in file order. The key holds the locked levels, not only which policies
    are locked: checking a choice reads them."""
    choices = _choices(rules)
    ids = choices.policy_ids[role]
    key = ("policy", role, *map(policies.__getitem__, ids), *map(locked.get, ids))
    choice = choices.memo.get(key)
    if choice is None:
        choice = PolicyChoice(tuple(
            construct(PolicyOption, id=p.id, name=spec.name, levels=tuple(spec.levels),
                      current=policies[p.id], cost=p.cost,
                      excludes=tuple(sorted(p.excludes)), locked=p.id in locked)
            for p in rules.policies_of(role) for spec in (rules.policy_specs[p.id],)))
        choices.remember(key, choice)
    return choice


def behaviour_choice(rules: Rules, state: GameState, s: SeatState) -> BehaviourChoice:
    """The seat's effort points and behaviour options now."""
    choices = _choices(rules)
    reads = choices.reads[s.role]
    key = None
    if reads is not None:
        # The key `work_key` makes, built here inline: the simulator asks this at every
        # decision (maps rather than comprehensions, which are calls of their own in
        # Python 3.11); tests/engine/test_batch_choose.py finds the same entries by both.
        metrics, policies, stats, behaviours, turn, score, rank = reads
        key = ["work", s.role, state.turn if turn else None, s.score if score else None,
               s.rank if rank else None]
        if metrics:
            key += map(state.metrics.__getitem__, metrics)
        if policies:
            key += map(state.policies.__getitem__, policies)
        if stats:
            key += map(s.stats.__getitem__, stats)
        if behaviours:
            alloc = state.allocations.get(s.index) or {}
            key += [alloc.get(n, 0) for n in behaviours]
        key = tuple(key)
        choice = choices.memo.get(key)
        if choice is not None:
            return choice
    choice = BehaviourChoice(*_behaviour_options(rules, state, s), rules, s.role)
    if key is not None:
        choices.remember(key, choice)
    return choice


def work_key(role: str, reads: tuple, turn: int, score: float, rank: int, metrics: Iterable,
             policies: Iterable, stats: Iterable, behaviours: Iterable) -> tuple:
    """The memo key of the behaviour options of a seat of `role` whose availability formulas
    read `reads` (`_Choices.reads`, not None): the turn, the seat's score and rank where
    read, then the values of the names read, each iterable in the order `reads` lists them
    (metrics, policy levels, the seat's stats, its points on behaviours): the key
    `behaviour_choice` builds inline for a state (a call here would cost the simulator
    ~0.3 us a decision), made for a batch's game (game.engine.batch.choose); the two are
    tested to find the same entries (tests/engine/test_batch_choose.py)."""
    return ("work", role, turn if reads[4] else None, score if reads[5] else None,
            rank if reads[6] else None, *metrics, *policies, *stats, *behaviours)


def _behaviour_options(rules: Rules, state: GameState,
                       s: SeatState) -> tuple[int, list[tuple[str, bool, int]]]:
    """The seat's effort points and (behaviour id, available, most points) for each
    behaviour of its role, in file order."""
    effort = rules.role_specs[s.role].effort
    own = rules.behaviours_of(s.role)
    env = None
    if any(b.available.constant is None for b in own):
        names = frozenset().union(*(b.available.names for b in own))
        env = global_env_for(rules, state, names)
        if not names <= rules.global_names:  # a seat's own names are read: add them
            env = seat_env(rules, env, state, s)
    return effort, [(b.id, bool(b.available(env) if env is not None else b.available.constant),
                     min(effort, b.max_effort if b.max_effort is not None else effort))
                    for b in own]


def seat_at(state: GameState, seat: int) -> SeatState:
    """The state's seat `seat`, or ActionError if the table has no such seat."""
    if not 0 <= seat < len(state.seats):
        raise ActionError(f"there is no seat {seat} (seats 0..{len(state.seats) - 1})")
    return state.seats[seat]
