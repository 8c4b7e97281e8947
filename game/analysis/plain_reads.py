"""Plain attribute reads on pydantic models while a batch of simulated games runs.

pydantic's `BaseModel` defines `__getattr__`, the fallback that serves private attributes and
extra fields when the ordinary lookup fails. CPython gives every class with a `__getattr__`
anywhere in its MRO a generic attribute hook: each read of a field, even one found at once,
goes through the hook, and Python 3.11 cannot specialise such reads. They cost about 2.5 times
a plain read, and a simulated game reads some 13,000 model fields (seats, states, legal
options, views): about an eighth of its instructions.

`plain_attribute_reads` lifts the hook for the length of a batch. It hands pydantic's
`__getattr__` to every model class that can need it (one with private attributes, or with
extra fields allowed), so those behave exactly as before, then takes it off `BaseModel`: every
other model reads its fields the plain way, and a missing attribute still raises
AttributeError. On the way out `BaseModel` gets it back and the copies go. Only classes that
exist when the batch starts are handed the fallback, so a model class with private attributes
must not be defined during a batch (the simulator defines none).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel


def _needs_fallback(cls: type[BaseModel]) -> bool:
    """Whether reads on `cls` can need pydantic's `__getattr__`."""
    config = getattr(cls, "model_config", {})
    return bool(getattr(cls, "__private_attributes__", None)) or config.get("extra") == "allow"


def _model_classes() -> list[type[BaseModel]]:
    """Every subclass of BaseModel that exists now."""
    found: list[type[BaseModel]] = []
    todo = [BaseModel]
    seen = set()
    while todo:
        for sub in type.__subclasses__(todo.pop()):
            if sub not in seen:
                seen.add(sub)
                found.append(sub)
                todo.append(sub)
    return found


@contextmanager
def plain_attribute_reads() -> Iterator[None]:
    """Run a batch with pydantic's `__getattr__` only on the model classes that need it."""
    fallback = vars(BaseModel).get("__getattr__")
    if fallback is None:  # lifted already (a batch within a batch), or a pydantic without it
        yield
        return
    given = [cls for cls in _model_classes()
             if _needs_fallback(cls) and "__getattr__" not in vars(cls)]
    for cls in given:
        cls.__getattr__ = fallback
    del BaseModel.__getattr__
    try:
        yield
    finally:
        BaseModel.__getattr__ = fallback
        for cls in given:
            del cls.__getattr__
