"""The rules as pure functions over serialisable state. Never imports pygame."""

from game.engine.actions import Action, Allocate, InjectEvent, Legal, SetPolicies
from game.engine.game import Game
from game.engine.state import GameState, SeatSetup
from game.engine.view import SeatView

__all__ = ["Action", "Allocate", "Game", "GameState", "InjectEvent", "Legal", "SeatSetup",
           "SeatView", "SetPolicies"]
