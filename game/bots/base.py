"""The bot interface: a seat controlled by a strategy that sees only its view and its options.

A bot gets the public rulebook (the `Scenario` and its compiled `Rules`), its seat number and
a random generator from the caller (or a function that makes one: then the generator is made
at the bot's first draw, and never for the many bots that do not draw). `act(view, legal)`
returns a legal action for whichever phase `legal.phase` names; a role may act in both the
policy and the work phase.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable
from operator import attrgetter

from game.bots.beliefs import Beliefs, read_beliefs
from game.bots.groups import NOTHING, Reads
from game.scenario.horizon import planning_horizon
from game.bots.objectives import Objective, index_objective, review_objective
from game.bots.plan import AllocationPlanner
from game.bots.search import NumberSpec, Option
from game.bots.policy_plan import PolicyPlanner
from game.engine.actions import (Action, Allocate, BehaviourOption, Legal, NumberOption,
                                 SetPolicies, allocation_from, construct, construct_from)
from game.engine.view import SeatView
from game.scenario.model import Scenario
from game.scenario.rules import Rules, rules_for


RandomSource = random.Random | Callable[[], random.Random]
"""A bot's random generator, or a function that makes it (see `Bot.rng`)."""


class Bot(ABC):
    """A seat's automatic player."""

    strategy = "bot"

    def __init__(self, scenario: Scenario, seat: int, rng: RandomSource) -> None:
        self.scenario = scenario
        self.rules: Rules = rules_for(scenario)
        self.seat = seat
        self._rng = rng if isinstance(rng, random.Random) else None
        self._make_rng = rng

    @property
    def rng(self) -> random.Random:
        """The bot's random generator (made at the first draw when the caller gave a maker:
        the simulator seeds a stream per bot, and most strategies never draw)."""
        if self._rng is None:
            self._rng = self._make_rng()
        return self._rng

    def act(self, view: SeatView, legal: Legal) -> Action:
        """A legal action for the current phase."""
        if legal.phase == "policy" and legal.policies:
            return self.action(legal, self.choose_policies(view, legal))
        if legal.phase == "work":
            return self.action(legal, self.allocate(view, legal))
        return self.action(legal, {})

    def action(self, legal: Legal, chosen: dict[str, int]) -> Action:
        """The action of the seat's choice `chosen` (levels, or points and numbers) in the
        phase of `legal`."""
        if legal.phase == "policy" and legal.policies:
            return construct_from(SetPolicies, {"kind": "policies", "seat": self.seat,
                                                "levels": chosen})
        if legal.phase == "work":
            if legal.numbers:  # the numbers are in the choice, beside the points
                return allocation_from(self.seat, chosen, legal)
            return construct_from(Allocate, {"kind": "allocate", "seat": self.seat,
                                             "effort": chosen, "numbers": {}})
        if legal.phase == "policy":
            return construct(SetPolicies, kind="policies", seat=self.seat, levels={})
        raise ValueError(f"seat {self.seat} has nothing to do in the {legal.phase} phase")

    @abstractmethod
    def choose_policies(self, view: SeatView, legal: Legal) -> dict[str, int]:
        """Levels for the role's policies (policy phase)."""

    @abstractmethod
    def allocate(self, view: SeatView, legal: Legal) -> dict[str, int]:
        """Effort points per behaviour (work phase)."""


def options_of(legal: Legal) -> tuple[Option, ...]:
    """(behaviour id, available, most points) for each behaviour the seat may use."""
    return tuple(map(_OPTION, legal.behaviours))


_OPTION = attrgetter("id", "available", "max_effort")


def numbers_of(legal: Legal) -> tuple[NumberSpec, ...]:
    """(decision id, min, max, step) for each number the seat chooses."""
    return tuple(map(_NUMBER, legal.numbers)) if legal.numbers else ()


_NUMBER = attrgetter("id", "min", "max", "step")


def listed(legal: Legal) -> tuple[tuple[Option, ...], tuple[NumberSpec, ...]]:
    """`(options_of(legal), numbers_of(legal))`, found once per Legal and kept with it (so
    an id is never another's) and with its lists as they were: a planning bot reads them at
    every decision. The engine's shared Legals never change (game.engine.legal
    `legal_choice`), but a caller may change the lists of its own (`legal_actions`): then
    they are found again (the lists compare item by item, each first by identity)."""
    kept = _LISTED.get(id(legal))
    if kept is None or kept[0] is not legal or kept[1] != legal.behaviours \
            or kept[2] != legal.numbers:
        if len(_LISTED) >= LISTED_LIMIT:
            _LISTED.clear()
        kept = _LISTED[id(legal)] = (legal, list(legal.behaviours), list(legal.numbers),
                                     options_of(legal), numbers_of(legal))
    return kept[3], kept[4]


_LISTED: dict[int, tuple[Legal, list[BehaviourOption], list[NumberOption],
                         tuple[Option, ...], tuple[NumberSpec, ...]]] = {}
"""id of a Legal -> (the Legal, its behaviours and numbers as found, its options, its
numbers): see `listed`."""
LISTED_LIMIT = 4096


_PLANNERS: dict[tuple[int, str, str, str], tuple[Rules, object]] = {}


def _shared(rules: Rules, role: str, kind: str, phase: str, make):
    """One planner per (rules, role, objective, phase) in this process, so memos are shared."""
    key = (id(rules), role, kind, phase)
    entry = _PLANNERS.get(key)
    if entry is None or entry[0] is not rules:
        entry = _PLANNERS[key] = (rules, make())
    return entry[1]


def allocation_planner(rules: Rules, role: str, kind: str) -> AllocationPlanner:
    """The shared planner of `kind` (`review`, `proxy`, `health`) for a role's effort: a
    review is weighed over the scenario's planning horizon (game.scenario.horizon); an index
    counts every push in full already, so it is read after this turn."""
    horizon = planning_horizon(rules.scenario) if kind == "review" else 1
    return _shared(rules, role, kind, "work",
                   lambda: AllocationPlanner(rules, objective(rules, role, kind, horizon)))


def policy_planner(rules: Rules, role: str, kind: str) -> PolicyPlanner:
    """The shared planner of `kind` for a role's policies: it reads an index two turns on,
    its own review after this turn, and expects the workers to plan as gamers do (over the
    scenario's horizon)."""
    horizon = 1 if kind == "review" else 2
    return _shared(rules, role, kind, "policy",
                   lambda: PolicyPlanner(rules, objective(rules, role, kind, horizon)))


def objective(rules: Rules, role: str, kind: str, horizon: int) -> Objective:
    """The objective named `kind` for a seat of `role`."""
    if kind == "review":
        return review_objective(rules, role, horizon=horizon)
    return index_objective(rules, role, kind, horizon)


_RECALLED: dict[tuple[int, int], tuple[dict[str, int], Action]] = {}
"""(id of a planner's memo entry, seat) -> (the entry, the action of that seat that submits
it): see `PlanningBot._recalled_action`."""
RECALLED_LIMIT = 65_536


class PlanningBot(Bot):
    """A bot that maximises one objective in the work phase and one in the policy phase."""

    work_goal = "review"
    policy_goal = "review"

    def __init__(self, scenario: Scenario, seat: int, rng: RandomSource) -> None:
        super().__init__(scenario, seat, rng)
        self._planners: dict[tuple, object] = {}
        """(finder, role, goal) -> the shared planner, found once per bot instead of at every
        decision (`allocation_planner`, `policy_planner`: the bot's rules never change)."""

    @property
    def recalls(self) -> bool:
        """Whether `recall` answers for this bot: its strategy decides by the planners alone
        (it overrides neither `act`, `choose_policies` nor `allocate`). Such a bot reads only
        the parts of its view that its planners read, so its seat's
        `game.engine.glance.Look` will do for `view` in `act` too."""
        cls = type(self)
        return (cls.act is Bot.act and cls.choose_policies is PlanningBot.choose_policies
                and cls.allocate is PlanningBot.allocate)

    def recall(self, view: SeatView, legal: Legal) -> Action | None:
        """`act(view, legal)` when the planners' memos already hold the choice (or there is
        nothing to choose), else None; only for a bot that `recalls`. It reads only what the
        memo keys read, so a `game.engine.glance.Glance` of the seat will do for `view`."""
        if legal.phase == "policy" and legal.policies:
            found = self._planner(policy_planner, view.role, self.policy_goal).recalled(
                view, legal)
        elif legal.phase == "work":
            options, numbers = listed(legal)
            found = self._planner(allocation_planner, view.role, self.work_goal).recalled(
                view, options, legal.effort, numbers)
        else:
            return self.action(legal, {})
        return self._recalled_action(legal, found) if found is not None else None

    def reads(self, role: str, legal: Legal, policies: dict[str, int],
              turn: int | None = None) -> Reads | None:
        """What `recall` reads of a glance of a seat of `role` whose policies are `policies`,
        beside its role, turn and `legal` (game.bots.groups): it holds for every glance
        whose levels of `Reads.policies` are those of `policies`, in `turn` if given, else
        in any turn. None where the key reads the whole view (forecasts that play the
        flows), or the bot does not `recall`."""
        if not self.recalls:
            return None
        if legal.phase == "policy" and legal.policies:
            return self._planner(policy_planner, role, self.policy_goal).reads()
        if legal.phase == "work":
            return self._planner(allocation_planner, role, self.work_goal).reads(policies, turn)
        return NOTHING

    def turn_read(self, role: str, legal: Legal, policies: dict[str, int], turn: int
                  ) -> tuple:
        """What `recall` reads of `turn` for a glance of a seat of `role` offered `legal`
        whose policies are `policies` (`reads` names the rest; only for a bot that
        `recalls`): two glances in two turns with equal turn reads, equal in all that
        `reads(role, legal, policies, turn)` names, give the same recall. The policy
        planner's key reads the turn or not at all; the allocation planner's, see
        `AllocationPlanner.turn_read`."""
        if legal.phase == "policy" and legal.policies:
            planner = self._planner(policy_planner, role, self.policy_goal)
            return (turn,) if planner.reads_turn else ()
        if legal.phase == "work":
            return self._planner(allocation_planner, role, self.work_goal).turn_read(policies,
                                                                                     turn)
        return ()

    def _recalled_action(self, legal: Legal, found: dict[str, int]) -> Action:
        """`action(legal, found)` for `found`, a planner's memo entry (`recalled`): made
        once per entry and seat, then shared (an action is frozen). The entry is a key of
        its memo's, so it fixes the options and numbers `legal` lists, which the action
        reads; kept by its id, with the entry itself, so the id is never another's."""
        key = (id(found), self.seat)
        kept = _RECALLED.get(key)
        if kept is None:
            if len(_RECALLED) >= RECALLED_LIMIT:
                _RECALLED.clear()
            kept = _RECALLED[key] = (found, self.action(legal, dict(found)))
        return kept[1]

    def beliefs(self, view: SeatView) -> Beliefs:
        """The seat's beliefs, read from its view."""
        return read_beliefs(self.rules, view)

    def choose_policies(self, view: SeatView, legal: Legal) -> dict[str, int]:
        return self._planner(policy_planner, view.role, self.policy_goal).choose(view, legal)

    def allocate(self, view: SeatView, legal: Legal) -> dict[str, int]:
        planner = self._planner(allocation_planner, view.role, self.work_goal)
        options, numbers = listed(legal)
        return planner.allocate_seen(view, options, legal.effort, numbers)

    def _planner(self, find, role: str, goal: str):
        """`find(rules, role, goal)` (`policy_planner` or `allocation_planner`), once."""
        key = (find, role, goal)
        planner = self._planners.get(key)
        if planner is None:
            planner = self._planners[key] = find(self.rules, role, goal)
        return planner
