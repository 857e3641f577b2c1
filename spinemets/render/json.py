"""JSON report: exactly the contract of case-format.md, deterministic for the same input."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinemets.assessment import Assessment


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Serialise report data: UTF-8 text, stable separators, no NaN."""
    separators = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(
        data, indent=indent, ensure_ascii=False, allow_nan=False, separators=separators
    )


def render(assessment: Assessment) -> str:
    """The report as pretty-printed JSON followed by a newline."""
    return dumps(assessment.to_dict()) + "\n"
