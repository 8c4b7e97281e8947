"""Plain attribute reads during a batch (game.analysis.plain_reads): models read as before,
and pydantic is left as it was."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, PrivateAttr

from game.analysis.plain_reads import plain_attribute_reads
from game.analysis.simulate import batch_collection, run_game
from game.engine.state import SeatState
from game.scenario.load import load_scenario


class _Plain(BaseModel):
    value: int = 1


class _Private(BaseModel):
    value: int = 1
    _secret: str = PrivateAttr(default="kept")


class _Extra(BaseModel):
    model_config = ConfigDict(extra="allow")
    value: int = 1


class _OwnFallback(BaseModel):
    value: int = 1

    def __getattr__(self, name: str) -> str:
        return "own " + name


def test_models_read_as_before_during_a_batch():
    plain, private, extra, own = _Plain(), _Private(), _Extra(more=2), _OwnFallback()
    with plain_attribute_reads():
        assert "__getattr__" not in vars(BaseModel)
        # no fallback in the class's MRO: the plain attribute read, which CPython specialises
        assert not any("__getattr__" in vars(cls) for cls in _Plain.__mro__)
        assert plain.value == 1
        assert private._secret == "kept"
        assert extra.more == 2
        assert own.anything == "own anything"
        with pytest.raises(AttributeError):
            plain.missing
        with pytest.raises(AttributeError):
            extra.missing


def test_pydantic_is_left_as_it_was_after_a_batch_even_one_that_failed():
    fallback = vars(BaseModel)["__getattr__"]
    with pytest.raises(RuntimeError):
        with plain_attribute_reads():
            raise RuntimeError("a game failed")
    assert vars(BaseModel)["__getattr__"] is fallback
    for cls in (_Private, _Extra, SeatState):
        assert "__getattr__" not in vars(cls)
    assert vars(_OwnFallback)["__getattr__"] is not fallback
    assert _Private()._secret == "kept"


def test_a_batch_within_a_batch_restores_only_at_the_outer_end():
    with plain_attribute_reads():
        with plain_attribute_reads():
            pass
        assert "__getattr__" not in vars(BaseModel)
        assert _Private()._secret == "kept"
    assert "__getattr__" in vars(BaseModel)


def test_a_game_played_in_a_batch_is_the_game_played_outside_one():
    scenario = load_scenario("tokenmaxxing")
    strategies = {"manager": "hype", "employee": "gamer"}
    outside = run_game(scenario, 11, strategies)
    with batch_collection():
        inside = run_game(scenario, 11, strategies)
    assert inside == outside
