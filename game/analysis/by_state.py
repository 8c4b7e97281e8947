"""The game-by-game loop: all-bot games played in lockstep on their `GameState`s, each seat's
bot choosing on its own game's view, the turns of all the games resolved together as one
batch. The simulator plays here the games its loop over arrays (game.analysis.batch_play)
cannot: tables whose bots decide by more than their planners' memos, and the games that loop
ejects.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from game.bots import make_bot
from game.engine.actions import Action, Legal
from game.engine.batch.state import Batch, gather, scatter, take_choices
from game.engine.batch.turn import resolve_turn
from game.engine.game import Game
from game.engine.glance import Glance, NotGlanced, glances, looks
from game.engine.past import room_for
from game.engine.rng import stream
from game.engine.state import GameState, SeatSetup
from game.engine.view import views


def play_game(game: Game, seed: int, table: list[SeatSetup], chosen: list[str],
              locked: dict[str, int] | None = None) -> GameState:
    """The ended state of a game played by a bot of strategy `chosen[i]` in seat `i`."""
    return play_games(game, [seed], table, chosen, locked)[0]


def play_games(game: Game, seeds: list[int], table: list[SeatSetup], chosen: list[str],
               locked: dict[str, int] | None = None) -> list[GameState]:
    """The ended states of games, one per seed, on the same table, played in lockstep: each
    game's bots choose on their own game's views, and the turns of all the games are resolved
    together, as one batch (a game's result is the same whatever games share its batch)."""
    scenario = game.scenario
    rules = game.rules
    states = game.new_states(seeds, table, locked)  # their first news as one batch
    choosers = []
    for seed, state in zip(seeds, states):
        # each bot's stream is seeded at its first draw (most strategies never draw)
        bots = [make_bot(name, scenario, i, partial(stream, seed, "bot", i))
                for i, name in enumerate(chosen)]
        choosers.append(_chooser(rules, state, bots))
    batch = None
    with room_for(len(states)):
        while True:
            working = []
            for state, choose in zip(states, choosers):
                while state.phase == "policy":
                    game.play_phase(state, choose)
                if state.phase == "work":
                    game.choose_work(state, choose)
                    working.append(state)
            if not working:
                return states
            batch = resolve_together(rules, working, batch)


def resolve_together(rules, states: list[GameState], batch: Batch | None) -> Batch:
    """Resolve the turn of `states` (each in a work phase whose seats have all submitted, see
    `Game.choose_work`) as one batch, which is returned to be used again at the next turn:
    when it holds the same games (it was last scattered into them), only their choices are
    taken, not the whole states (as `Game.resolve_work` does, but for the batch kept)."""
    for state in states:
        state.allocations, state.submitted = state.submitted, {}
    if batch is not None and batch.seeds == [st.seed for st in states] \
            and batch.turn == states[0].turn:
        take_choices(batch, states)
    else:
        batch = gather(rules, states)
    resolve_turn(batch)
    scatter(batch, states)
    for state in states:
        if state.phase != "ended":
            state.phase = "policy"
    return batch


def _chooser(rules, state: GameState, bots: list) -> Callable[[list[int], list[Legal]],
                                                              list[Action]]:
    """What a game's bots choose in a phase: seats in a phase choose simultaneously and never
    see each other's choices, so every seat that has to act decides on the state as the phase
    opens. A planning bot whose memo holds its choice answers from its seat's glance
    (game.engine.glance: the parts of its view the memo key reads), and one whose memo does
    not plans from its seat's look (its glance and the few parts of its view it reads to
    plan); the others act on their whole views (one `views` call shares what their views
    have in common). A glance comes without its metric readings until the seat's key first
    reads them (`NotGlanced`), then with them."""
    recalling = [getattr(bot, "recalls", False) for bot in bots]
    reads_metrics = [False] * len(bots)

    def recall(seen: Glance, legal: Legal) -> tuple[Glance, Action | None]:
        """The glance the seat's bot recalled from (`seen`, or one with its readings), and
        the action it recalled (None: its memo has no answer)."""
        seat = seen.seat
        try:
            return seen, bots[seat].recall(seen, legal)
        except NotGlanced:
            reads_metrics[seat] = True
            seen = glances(rules, state, [seat])[0]
            return seen, bots[seat].recall(seen, legal)

    def choose(acting: list[int], legal: list[Legal]) -> list[Action]:
        actions: list[Action | None] = [None] * len(acting)
        quick = [n for n, seat in enumerate(acting) if recalling[seat]]
        glanced = dict(zip(quick, glances(rules, state, [acting[n] for n in quick],
                                          [reads_metrics[acting[n]] for n in quick])
                           if quick else ()))
        for n, seen in glanced.items():
            glanced[n], actions[n] = recall(seen, legal[n])
        slow = [n for n, action in enumerate(actions) if action is None]
        looking = [n for n in slow if recalling[acting[n]]]
        seen = dict(zip(looking, looks(rules, state, [glanced[n] for n in looking])
                        if looking else ()))
        viewing = [n for n in slow if not recalling[acting[n]]]
        if viewing:
            seen.update(zip(viewing, views(rules, state, [acting[n] for n in viewing])))
        for n in slow:  # in seat order, as they act
            actions[n] = bots[acting[n]].act(seen[n], legal[n])
        return actions
    return choose
