"""JSON Schema of the case file, generated from the models (schemas/case.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from spinemets.case.models import Case

SCHEMA_ID = "https://spinemets.org/schemas/case.schema.json"


def case_schema() -> dict[str, Any]:
    """The case JSON Schema (draft 2020-12)."""
    schema = Case.model_json_schema()
    _type_expected_block(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["description"] = (
        "A spinemets case file (version 1): one patient at one decision point. Every clinical "
        "finding may be omitted, null or 'unknown'; unknown is never scored as normal."
    )
    return schema


def _type_expected_block(schema: dict[str, Any]) -> None:
    """The ``expected:`` block has the shape ``spinemets check`` reads (the loader keeps it
    as a mapping; ``check`` validates it)."""
    from spinemets.workflows.check import Expected

    block = Expected.model_json_schema(ref_template="#/$defs/{model}")
    schema["$defs"].update(block.pop("$defs", {}))
    schema["$defs"]["Expected"] = block
    schema["properties"]["expected"] = {
        "anyOf": [{"$ref": "#/$defs/Expected"}, {"type": "null"}],
        "default": None,
        "description": "Expected results for 'spinemets check'",
    }


def case_schema_text() -> str:
    """The schema as stable, pretty-printed JSON text."""
    return json.dumps(case_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
