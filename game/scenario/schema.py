"""The JSON Schema of a scenario file, generated from the pydantic models.

The schema must accept exactly what the loader accepts (tests/scenario/test_json_schema.py
checks both on the bundled scenarios and on many broken variants). Rules it cannot express,
such as `min` below `max` or formulas naming known things, are left to the loader and lint.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from game.scenario.model import Scenario

__all__ = ["JSON_SCHEMA_DRAFT", "scenario_json_schema"]

JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


class _ScenarioSchema(GenerateJsonSchema):
    """Pydantic's generator, but a mapping with id keys (`constants`, `reviews`, ...) also
    refuses keys that are not ids, as the loader does (pydantic only lists the pattern)."""

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        """The mapping's schema; `additionalProperties: false` when its keys have a pattern."""
        body = super().dict_schema(schema)
        if "patternProperties" in body:
            body.setdefault("additionalProperties", False)
        return body


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, for editors."""
    body = Scenario.model_json_schema(mode="validation", schema_generator=_ScenarioSchema)
    body.pop("title", None)
    body.pop("description", None)
    return {"$schema": JSON_SCHEMA_DRAFT, "title": "Goodhart scenario",
            "description": "A scenario file for the Goodhart incentive-design game; "
                           "see scenarios/AUTHORING.md.", **body}
