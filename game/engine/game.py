"""The game: a validated scenario (fixed) and functions over its states (OpenSpiel style)."""

from __future__ import annotations

from collections.abc import Callable

from game.engine.actions import (Action, Allocate, InjectEvent, Legal, SetPolicies, acts_in,
                                 construct_from, to_act)
from game.engine.checks import check_allocation, check_chosen, check_policies
from game.engine.batch.turn import inject_states, open_news_states, resolve_states
from game.engine.env import per_rules
from game.engine.flows import initial_transit
from game.engine.legal import legal_actions, legal_choice
from game.engine.state import GameState, SeatSetup, SeatState, assign
from game.engine.view import SeatView, view
from game.errors import ActionError
from game.scenario.model import Scenario
from game.scenario.rules import Rules, rules_for


def _build_default_seats(rules: Rules) -> tuple[SeatSetup, ...]:
    """The default table of the rules' scenario (see `Game.default_seats`)."""
    s = rules.scenario
    counts = {r.id: s.default_count(r.id) for r in s.roles}
    return tuple(SeatSetup(role=r.id, name=f"{r.name} {i + 1}" if counts[r.id] > 1 else r.name)
                 for r in s.roles for i in range(counts[r.id]))


_default_seats = per_rules(_build_default_seats)


class Game:
    """A scenario's rules; every method is a pure function of the state it is given,
    except `apply_inplace` and `play_phase`, which the simulator uses on states it owns."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.rules: Rules = rules_for(scenario)

    def default_seats(self) -> list[SeatSetup]:
        """The scenario's default table (its `table:` counts, else each role's `seats.default`),
        every seat a human (the seats are frozen, so built once per rules: the simulator asks
        for them in every game)."""
        return list(_default_seats(self.rules))

    def new_state(self, seed: int, seats: list[SeatSetup] | None = None,
                  locked: dict[str, int] | None = None, secret: str = "") -> GameState:
        """The state at the start of turn 1, after its news. The noise on readings is drawn
        from `secret`, or from the seed when it is empty (see `GameState.noise_key`): a game
        whose players can see its seed needs a secret they cannot."""
        seats = seats if seats is not None else self.default_seats()
        self.check_table(seats, locked or {})
        return self._opened([self.unopened_state(seed, seats, locked, secret)])[0]

    def new_states(self, seeds: list[int], seats: list[SeatSetup] | None = None,
                   locked: dict[str, int] | None = None) -> list[GameState]:
        """`new_state(seed, seats, locked)` for each of `seeds` (no secret: the noise is drawn
        from each seed), their first news opened as one batch (the simulator's chunks; each
        game's news is the same whatever games share its batch)."""
        seats = seats if seats is not None else self.default_seats()
        self.check_table(seats, locked or {})
        return self._opened([self.unopened_state(seed, seats, locked, "")
                             for seed in seeds])

    def unopened_state(self, seed: int, seats: list[SeatSetup], locked: dict[str, int] | None,
                       secret: str) -> GameState:
        """A game's state at the start of turn 1, before its news (the table checked, see
        `check_table`): what `new_state` opens, and game.engine.batch.opening repeats."""
        s = self.scenario
        policies = {p.id: p.initial for p in s.policies}
        policies.update(locked or {})
        # Built without validation (the simulator starts a state for every game, and
        # validating it cost as much as the rest of this): every value below already has
        # its field's type, and every field is given, in order (see `construct_from`).
        state = construct_from(GameState, {
            "scenario_id": s.id, "scenario_version": s.version, "seed": seed, "turn": 1,
            "phase": "policy", "metrics": {m.id: m.initial for m in s.metrics},
            "carry": {m.id: 0.0 for m in s.metrics}, "pending": [], "transit": [],
            "policies": policies,
            "locked": dict(locked or {}), "seats": [construct_from(SeatState, {
                "index": i, "role": st.role, "name": st.name, "employed": True,
                "stats": {x.id: x.initial for x in s.stats_of(st.role)}, "score": 0.0,
                "rank": 0, "score_total": 0.0, "laid_off_turn": None})
                for i, st in enumerate(seats)],
            "submitted": {}, "allocations": {}, "fired": [], "news": [], "history": [],
            "secret": secret})
        if self.rules.flows:
            assign(state, {"transit": initial_transit(self.rules, state)})
        return state

    def _opened(self, states: list[GameState]) -> list[GameState]:
        """`states` (new games at one table) after their first news, opened as one batch,
        each moved on to its first phase that needs a choice."""
        if states:
            open_news_states(self.rules, states)
        for state in states:
            self._advance(state)
        return states

    def check_table(self, seats: list[SeatSetup], locked: dict[str, int]) -> None:
        """Seat counts per role within the scenario's limits; locked policies exist."""
        counts: dict[str, int] = {}  # one pass (the simulator checks a table every game)
        for st in seats:
            counts[st.role] = counts.get(st.role, 0) + 1
        for role in self.scenario.roles:
            n = counts.pop(role.id, 0)
            if not role.seats.min <= n <= role.seats.max:
                raise ActionError(f"{n} {role.name} seats; this scenario allows "
                                  f"{role.seats.min} to {role.seats.max}")
        if counts:  # roles the scenario does not have, in seat order
            raise ActionError(f"unknown role '{next(iter(counts))}'")
        if not locked:
            return
        levels = {p.id: len(p.levels) for p in self.scenario.policies}
        for pid, level in locked.items():
            if pid not in levels or not 0 <= level < levels[pid]:
                raise ActionError(f"cannot lock policy '{pid}' at level {level}")

    def apply(self, state: GameState, action: Action) -> GameState:
        """The state after `action`; `state` itself is left unchanged."""
        new = state.clone()
        self.apply_inplace(new, action)
        return new

    def apply_inplace(self, state: GameState, action: Action) -> None:
        """Apply `action` to a state the caller owns. On ActionError nothing has changed."""
        if isinstance(action, SetPolicies):
            state.submitted[action.seat] = check_policies(self.rules, state, action)
        elif isinstance(action, Allocate):
            state.submitted[action.seat] = check_allocation(self.rules, state, action)
        elif isinstance(action, InjectEvent):
            self._inject(state, action.event)
            return
        else:
            raise ActionError(f"unknown action {action!r}")
        self._advance(state)

    def play_phase(self, state: GameState,
                   choose: Callable[[list[int], list[Legal]], list[Action]]) -> None:
        """Every seat that has to act in the current phase chooses, and the choices are
        applied in seat order (the simulator's loop, on a state it owns).

        `choose(seats, legal)` returns one action per seat; the seats choose simultaneously,
        on the state as the phase opens, and `choose` must change neither it nor the Legals
        (shared by the games in the same situation, see `legal_choice`). Each action is
        checked against the options the engine itself listed for its seat in that state, so
        checking a bot's usual choice is a look-up (see `check_chosen`). On ActionError
        nothing has changed."""
        self._submit(state, choose)
        if state.phase != "ended":  # every seat that had to act has submitted
            self._close(state)
        self._advance(state)

    def choose_work(self, state: GameState,
                    choose: Callable[[list[int], list[Legal]], list[Action]]) -> None:
        """`play_phase` for a work phase, without resolving the turn: the seats' choices are
        checked and submitted, and `resolve_work` then resolves the turns of many games at
        once (the simulator's lockstep)."""
        if state.phase != "work":
            raise ActionError("not a work phase")
        self._submit(state, choose)

    def _submit(self, state: GameState,
                choose: Callable[[list[int], list[Legal]], list[Action]]) -> None:
        """Every seat that has to act in the current phase chooses, on the state as the phase
        opens, and each choice, checked, is submitted in seat order."""
        rules = self.rules
        seats = to_act(rules, state)
        # plain loops: in Python 3.11 each comprehension is a call of its own
        legal, choices = [], []
        for seat in seats:
            offer, choice = legal_choice(rules, state, seat)
            legal.append(offer)
            choices.append(choice)
        actions = choose(seats, legal)
        submitted = {}
        for seat, choice, action in zip(seats, choices, actions, strict=True):
            submitted[seat] = check_chosen(rules, state, seat, choice, action)
        state.submitted.update(submitted)

    def resolve_work(self, states: list[GameState]) -> None:
        """Resolve the turn of every state, each in a work phase whose seats have all
        submitted (see `choose_work`), as one batch; then each game goes on to its next
        phase that needs a choice (or ends)."""
        for state in states:
            if state.phase != "work" or to_act(self.rules, state):
                raise ActionError("a work phase with every seat's choice is needed")
            assign(state, {"allocations": state.submitted, "submitted": {}})
        resolve_states(self.rules, states)
        for state in states:
            if state.phase != "ended":
                assign(state, {"phase": "policy"})
            self._advance(state)

    def _inject(self, state: GameState, event_id: str) -> None:
        """Fire an event now, whatever its trigger (the facilitator's control)."""
        if state.phase == "ended":
            raise ActionError("the game is over")
        event = next((e for e in self.rules.events if e.id == event_id), None)
        if event is None:
            raise ActionError(f"unknown event '{event_id}'")
        inject_states(self.rules, [state], event.id)

    def _advance(self, state: GameState) -> None:
        """Close every phase whose seats have all submitted, resolving turns as they end."""
        while state.phase != "ended" and not to_act(self.rules, state):
            self._close(state)

    def _close(self, state: GameState) -> None:
        """Close the current phase, whose seats have all submitted (a work phase ends the
        turn: it is resolved)."""
        if state.phase == "policy":
            for seat_index in sorted(state.submitted):
                state.policies.update(state.submitted[seat_index])
            assign(state, {"submitted": {}, "phase": "work"})
        else:
            assign(state, {"allocations": state.submitted, "submitted": {}})
            resolve_states(self.rules, [state])
            if state.phase != "ended":
                assign(state, {"phase": "policy"})

    def legal_actions(self, state: GameState, seat: int) -> Legal:
        """What `seat` may choose now."""
        return legal_actions(self.rules, state, seat)

    def to_act(self, state: GameState) -> list[int]:
        """Seats that still have to choose in this phase."""
        return to_act(self.rules, state)

    def acts_in(self, role: str, phase: str) -> bool:
        """Whether a role chooses anything in a phase."""
        return acts_in(self.rules, role, phase)

    def view(self, state: GameState, seat: int) -> SeatView:
        """Exactly what `seat` may see now."""
        return view(self.rules, state, seat)

    def is_terminal(self, state: GameState) -> bool:
        """True once the last turn has been reviewed."""
        return state.phase == "ended"

    def returns(self, state: GameState) -> dict[int, float]:
        """Each seat's total review score so far."""
        return {s.index: s.score_total for s in state.seats}
