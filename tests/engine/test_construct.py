"""`construct_from` (game.engine.actions) copies a blank instance of the class with every field
replaced: what it returns must be what pydantic's `model_construct` gives, instance after
instance, never an instance shared with another call, and never holding a value another call
gave."""

from __future__ import annotations

import gc

import pytest
from pydantic import BaseModel, PrivateAttr

from game.engine import Allocate, Game
from game.engine.actions import Legal, NumberOption, construct, construct_from
from game.engine.state import GameState, SeatState
from game.scenario.load import load_scenario


def _same_instance(made: BaseModel, want: BaseModel) -> None:
    """Equal fields, in the same order, all counted as set, dumped alike."""
    assert type(made) is type(want)
    assert made == want
    assert list(made.model_dump()) == list(want.model_dump())
    assert made.model_fields_set == want.model_fields_set == set(type(want).model_fields)
    assert made.model_dump_json() == want.model_dump_json()


def test_each_construction_is_model_constructs_and_its_own():
    rows = [{"id": f"d{n}", "name": f"D {n}", "min": 0.0, "max": float(n), "step": 0.5,
             "current": n / 2} for n in range(4)]
    made = [construct_from(NumberOption, row) for row in rows]
    for instance, row in zip(made, rows):
        _same_instance(instance, NumberOption.model_construct(**row))
    assert len({id(instance) for instance in made}) == len(made)


def test_fields_given_in_another_order_are_held_in_the_models_order():
    first = construct(Allocate, kind="allocate", seat=0, effort={"a": 1}, numbers={})
    second = construct(Allocate, numbers={"n": 2.0}, effort={}, seat=3, kind="allocate")
    _same_instance(first, Allocate.model_construct(kind="allocate", seat=0, effort={"a": 1},
                                                   numbers={}))
    _same_instance(second, Allocate.model_construct(kind="allocate", seat=3, effort={},
                                                    numbers={"n": 2.0}))


def test_a_changed_instance_changes_no_later_one():
    game = Game(load_scenario("tokenmaxxing"))
    state = game.new_state(1)  # constructs a GameState and its SeatStates
    state.turn, state.phase = 7, "work"
    state.seats[0].score = 99.0
    again = game.new_state(1)
    assert (again.turn, again.phase, again.seats[0].score) == (1, "policy", 0.0)
    assert again.state_hash() == game.new_state(1).state_hash()
    assert isinstance(again, GameState) and isinstance(again.seats[0], SeatState)


def test_a_frozen_model_is_constructed_too():
    values = {"seat": 2, "phase": "work", "must_act": True, "policies": [], "budget": 0.0,
              "behaviours": [], "effort": 3, "numbers": []}
    _same_instance(construct_from(Legal, values), Legal.model_construct(**values))


class _WithPrivate(BaseModel):
    value: int
    _seen: list = PrivateAttr(default_factory=list)


def test_a_model_with_private_attributes_gets_them_afresh():
    first, second = construct(_WithPrivate, value=1), construct(_WithPrivate, value=2)
    first._seen.append("x")
    assert second._seen == [] and second.value == 2
    assert construct(_WithPrivate, value=3)._seen == []


class _Tagged(BaseModel):
    value: int
    tags: list


def test_a_misnamed_field_is_refused_and_no_caller_s_value_is_kept():
    """A field given under another name (the right count) is refused rather than filled
    with what an earlier call gave, and the module keeps none of a caller's values (a game's
    lists would otherwise live as long as the process)."""
    tags: list = ["first"]
    made = construct(_Tagged, value=1, tags=tags)
    with pytest.raises(AssertionError, match="by its name"):
        construct_from(_Tagged, {"value": 2, "tgas": []})
    held_by = [h for h in gc.get_referrers(tags) if isinstance(h, dict)]
    assert len(held_by) == 1 and made.tags is tags  # the one instance given it holds it
    assert construct(_Tagged, value=3, tags=[]).model_dump() == {"value": 3, "tags": []}
